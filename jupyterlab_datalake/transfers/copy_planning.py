"""Planning a copy or a move inside the lake (rename is a move within its folder): every source
key checked to lie in its area, every destination key computed, S3 asked which exist, the
clashes skipped or renamed as the user chose, and, for a move, whether the user may delete
every source, since a move deletes what it copied. A plan starts nothing; the manager runs it
through copy.py.
"""

from __future__ import annotations

from ..config import Area, Settings
from ..errors import LakeError, Refused
from ..lake import areas
from ..lake.client import Lake
from ..lake.keys import check_key, check_name, clean_prefix
from ..lake.objects import Objects
from ..paths import candidates
from .records import MAX_FILES, Item, Transfer, check_policy, new_id

OPERATIONS = ("copy", "move")
# What a move does when a source may not be deleted: refuse at planning, or copy only.
UNDELETABLE = ("refuse", "copy")


class CopyPlanner:
    def __init__(self, settings: Settings, lake: Lake, objects: Objects):
        self.settings = settings
        self.lake = lake
        self.objects = objects

    def plan(
        self,
        operation: object,
        area: object,
        keys: object,
        destination_area: object,
        prefix: object,
        name: object,
        conflict: object,
        user: str,
        undeletable: object = "refuse",
    ) -> Transfer:
        """Copy or move ``keys`` of ``area`` into the folder ``prefix`` of
        ``destination_area``; with one key, ``name`` renames it on the way."""
        if operation not in OPERATIONS:
            raise Refused(400, f'"operation" is "copy" or "move", not {operation!r}.')
        if undeletable not in UNDELETABLE:
            raise Refused(400, f'"undeletable" is "refuse" or "copy", not {undeletable!r}.')
        check_policy(conflict)  # type: ignore[arg-type]
        if not isinstance(keys, list) or not keys:
            raise Refused(400, 'Expected "keys": a list of keys to copy or move.')
        source = areas.find(self.settings, area)
        target = areas.find(self.settings, destination_area)
        areas.require_write(target)
        folder = clean_prefix(prefix if prefix is not None else "")  # type: ignore[arg-type]
        base = target.prefix + (folder + "/" if folder else "")
        keys = [areas.key_in(source, k) for k in keys]
        if name is not None and len(keys) != 1:
            raise Refused(400, "A new name can be given to one key at a time.")
        tops = self._tops(operation, source, keys, base, name, conflict, target.bucket)
        items: list[Item] = []
        with areas.acting(source, "read"):
            for key, destination in tops:
                items.extend(self._items(source, key, destination, len(items)))
        if operation == "move":
            operation = self._check_deletable(source, items, user, undeletable)
        with areas.acting(target, "list"):
            self._mark_existing(tops, items, target.bucket)
            if conflict == "rename":
                self._rename(tops, items, target.bucket)
        self._check_onto_itself(operation, source, target, items, conflict)
        if conflict == "skip":
            for item in items:
                if item.exists:
                    item.state = "skipped"
                    item.message = "Skipped: it exists at the destination already."
        return Transfer(
            id=new_id(),
            direction=operation,
            area=target.id,
            prefix=folder,
            sources=keys,
            conflict=conflict,  # type: ignore[arg-type]
            bucket=target.bucket,
            destination=tops[0][1] if len(tops) == 1 else base,
            items=items,
            source_area=source.id,
            source_bucket=source.bucket,
        )

    def _tops(self, operation, source, keys, base, name, conflict, bucket) -> list[list[str]]:
        """[source key, destination key] of each key asked for, checked: no key twice or
        inside another, no two with one destination, no folder into itself."""
        tops: list[list[str]] = []
        for key in keys:
            for other in keys:
                if other != key and other.endswith("/") and key.startswith(other):
                    raise Refused(400, f"{key} is inside {other}; pick one of them.")
            if keys.count(key) > 1:
                raise Refused(400, f"{key} is listed twice; nothing was started.")
            folder = key.endswith("/")
            new = key.rstrip("/").rsplit("/", 1)[-1] if name is None else _new_name(name)
            destination = base + new + ("/" if folder else "")
            check_key(destination, key)
            if folder and destination != key and destination.startswith(key):
                raise Refused(
                    400, f"{key} cannot be put inside itself ({destination}); pick another folder."
                )
            if any(destination == d for _, d in tops):
                raise Refused(
                    400, f"Two of the keys would both become {destination}; do them separately."
                )
            tops.append([key, destination])
        return tops

    def _items(self, area: Area, key: str, destination: str, planned: int) -> list[Item]:
        if not key.endswith("/"):
            try:
                head = self.lake.translated(
                    self.lake.client.head_object, Bucket=area.bucket, Key=key
                )
            except LakeError as err:
                if err.not_found:
                    raise Refused(404, f"{key} is not in the data lake (any more).") from err
                raise
            return [Item(key, destination, head["ContentLength"])]
        items = []
        for obj in self.lake.objects_under(key, area.bucket):
            if planned + len(items) >= MAX_FILES:
                raise Refused(
                    400, f"More than {MAX_FILES:,} objects; do the folders one at a time."
                )
            target = destination + obj["Key"][len(key) :]
            check_key(target, obj["Key"])
            marker = obj["Key"].endswith("/")
            items.append(Item(obj["Key"], target, obj["Size"], marker=marker))
        if not items:
            raise Refused(404, f"{key} is empty or not in the data lake (any more).")
        return items

    def _check_deletable(self, area: Area, items: list[Item], user: str, undeletable) -> str:
        """A move deletes its sources: "move" when the user may delete them all; otherwise
        a 403 saying why, or "copy" when the user chose to copy then."""
        try:
            self.objects.check_deletable(
                area,
                [i.source for i in items],
                user,
                "a move deletes what it moves, so nothing was moved. Copy instead.",
            )
        except Refused as err:
            if err.status != 403 or undeletable != "copy":
                raise
            return "copy"
        return "move"

    def _mark_existing(self, tops: list[list[str]], items: list[Item], bucket: str) -> None:
        """A listing per folder, a HeadObject per file."""
        found: set[str] = set()
        files = [d for _, d in tops if not d.endswith("/")]
        there = self.lake.each(lambda key: self.lake.exists(key, bucket), files)
        found.update(key for key, yes in zip(files, there) if yes)
        for _, destination in tops:
            if destination.endswith("/"):
                found.update(o["Key"] for o in self.lake.objects_under(destination, bucket))
        for item in items:
            item.exists = item.destination in found

    def _rename(self, tops: list[list[str]], items: list[Item], bucket: str) -> None:
        """Keep both, as a file manager does: a clashing file, or a clashing folder as a
        whole, gets the first free "name (n)"."""
        for top in tops:
            old = top[1]
            folder = old.endswith("/")
            own = [
                i for i in items if i.destination.startswith(old) if folder or i.destination == old
            ]
            if not any(i.exists for i in own):
                continue
            parent, name = old.rstrip("/").rsplit("/", 1)
            for candidate in candidates(name, folder):
                new = f"{parent}/{candidate}" + ("/" if folder else "")
                if not self._taken(new, bucket):
                    break
            for item in own:
                item.destination = new + item.destination[len(old) :]
                check_key(item.destination, item.source)
                item.exists = False
            top[1] = new

    def _taken(self, key: str, bucket: str) -> bool:
        if not key.endswith("/"):
            return self.lake.exists(key, bucket)
        page = self.lake.translated(
            self.lake.client.list_objects_v2, Bucket=bucket, Prefix=key, MaxKeys=1
        )
        return bool(page.get("KeyCount"))

    def _check_onto_itself(
        self, operation: str, source: Area, target: Area, items: list[Item], conflict
    ) -> None:
        """A key copied onto itself: a move there does nothing, an overwrite would destroy
        nothing but is refused by S3; keeping both (a duplicate) or asking is fine."""
        if source.bucket != target.bucket:
            return
        same = next((i for i in items if i.source == i.destination), None)
        if same is None:
            return
        if operation == "move":
            raise Refused(400, f"{same.source} is there already; pick another folder or name.")
        if conflict == "overwrite":
            raise Refused(
                400, f"{same.source} would be copied onto itself; choose Keep both instead."
            )


def _new_name(name: object) -> str:
    if not isinstance(name, str) or not name.strip() or "/" in name:
        raise Refused(400, "The new name must be a name, without '/'.")
    if name in (".", ".."):
        raise Refused(400, f"{name!r} cannot be a name; name it plainly.")
    check_name(name, "The new name")
    return name
