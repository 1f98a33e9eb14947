"""Downloads from the data lake into home: planned against free space and the quota, written
to a hidden temporary file in the destination folder, and put in place only once complete
and verified, so that home never holds a partial file under the real name.

The transfer manager runs them like uploads: same list, progress, cancel, retry and journal.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .keys import Refused, key_in_area
from .lake import LakeError
from .paths import candidates, is_within
from .records import MAX_FILES, Item, Stop, Transfer, check_policy, new_id
from .usage import shortfall

if TYPE_CHECKING:
    from .transfers import TransferManager

CHUNK = 4 * 1024 * 1024
# Longest file name most Linux filesystems take, in bytes.
NAME_MAX = 255


class Downloader:
    def __init__(self, manager: TransferManager):
        self.manager = manager
        self.settings = manager.settings
        # Home's used bytes for the quota check (None: unknown, so not checked), and what to
        # call once home has changed; the service connects both to the usage monitor.
        self.used: Callable[[], int | None] = lambda: None
        self.home_changed: Callable[[], None] = lambda: None

    def _call(self, func, *args, **kwargs):
        return self.manager.lake.translated(func, *args, **kwargs)

    # ----- planning -------------------------------------------------------------------------

    def plan(self, keys: list[str], area: str, destination: str, conflict: str) -> Transfer:
        check_policy(conflict)
        folder_path, shown_folder = self._destination(destination)
        keys = [key_in_area(self.settings, area, k) for k in keys]
        tops: dict[str, list[Item]] = {}
        for key in keys:
            name = key.rstrip("/").rsplit("/", 1)[-1]
            if name in tops:
                raise Refused(
                    400, f"Two of the keys would both become {name}; download them separately."
                )
            tops[name] = self._items(key, name, folder_path, shown_folder)
        items = [i for own in tops.values() for i in own]
        for item in items:
            item.exists = os.path.lexists(item.path)
        if conflict == "rename":
            for name, own in tops.items():
                self._rename(name, own, folder_path, shown_folder)
        elif conflict == "skip":
            for item in items:
                if item.exists:
                    item.state, item.message = "skipped", "Skipped: it exists in your home already."
        self._check_space(items, folder_path, keys)
        single = next(iter(tops.values())) if len(tops) == 1 else None
        return Transfer(
            id=new_id(),
            direction="download",
            area=area,
            prefix="",
            sources=keys,
            conflict=conflict,
            bucket=self.settings.bucket,
            destination=_top(single[0], shown_folder) if single else shown_folder,
            items=items,
        )

    def _destination(self, destination: object) -> tuple[str, str]:
        """The folder in home that files are downloaded into: its real path, and its path as
        the file browser shows it."""
        if not isinstance(destination, str):
            raise Refused(400, 'Expected "destination": a folder in your home.')
        shown = destination.strip("/")
        real = os.path.realpath(os.path.join(self.manager.root, shown))
        if not is_within(real, self.manager.home):
            raise Refused(
                403, f"{destination or '/'} is outside your home; download into your home."
            )
        if not os.path.isdir(real):
            raise Refused(404, f"The folder {destination} does not exist (any more).")
        if not os.access(real, os.W_OK | os.X_OK):
            raise Refused(403, f"The folder {destination} cannot be written to.")
        return real, shown

    def _items(self, key: str, name: str, folder: str, shown_folder: str) -> list[Item]:
        def shown(rel: str) -> str:
            return f"{shown_folder}/{rel}" if shown_folder else rel

        if not key.endswith("/"):
            try:
                head = self._call(
                    self.manager.lake.client.head_object, Bucket=self.settings.bucket, Key=key
                )
            except LakeError as err:
                if err.not_found:
                    raise Refused(404, f"{key} is not in the data lake (any more).") from err
                raise
            _check_file_name(name, key)
            return [Item(key, shown(name), head["ContentLength"], path=os.path.join(folder, name))]
        items = [Item(key, shown(name), 0, path=os.path.join(folder, name), marker=True)]
        for obj in self.manager.lake.objects_under(key):
            if len(items) > MAX_FILES:
                raise Refused(
                    400, f"More than {MAX_FILES:,} objects; download the folders one at a time."
                )
            rel = obj["Key"][len(key) :]
            if not rel:
                continue
            parts = rel.rstrip("/").split("/")
            target = "/".join([name, *parts])
            problem = _bad_parts(parts)
            if problem:
                items.append(
                    Item(obj["Key"], "", 0, state="skipped", message=f"Skipped: {problem}.")
                )
            elif rel.endswith("/"):
                items.append(
                    Item(
                        obj["Key"],
                        shown(target),
                        0,
                        path=os.path.join(folder, target),
                        marker=True,
                    )
                )
            else:
                items.append(
                    Item(
                        obj["Key"],
                        shown(target),
                        obj["Size"],
                        path=os.path.join(folder, target),
                    )
                )
        if len(items) == 1:
            raise Refused(404, f"{key} is empty or not in the data lake (any more).")
        return items

    def _rename(self, name: str, items: list[Item], folder: str, shown_folder: str) -> None:
        if not any(i.exists for i in items):
            return
        is_dir = items[0].marker
        for candidate in candidates(name, is_dir):
            if not os.path.lexists(os.path.join(folder, candidate)):
                break
        old_path, new_path = os.path.join(folder, name), os.path.join(folder, candidate)
        old_shown = f"{shown_folder}/{name}" if shown_folder else name
        new_shown = f"{shown_folder}/{candidate}" if shown_folder else candidate
        for item in items:
            if item.path:
                item.path = new_path + item.path[len(old_path) :]
                item.destination = new_shown + item.destination[len(old_shown) :]
            item.exists = False

    def _check_space(self, items: list[Item], folder: str, keys: list[str]) -> None:
        needed = sum(i.bytes for i in items if i.state != "skipped")
        # An overwritten file frees its old blocks only once the new one is in place.
        st = os.statvfs(folder)
        what = keys[0] if len(keys) == 1 else f"the {len(keys)} items"
        counted = needed
        if (
            not is_within(folder, self.manager.home)
            or os.stat(folder).st_dev != os.stat(self.manager.home).st_dev
        ):
            counted = 0  # a volume mounted inside home has its own size, not home's quota
        problem = shortfall(
            what, needed, st.f_bavail * st.f_frsize, counted, self.settings.home_quota, self.used()
        )
        if problem:
            raise Refused(507, f"{problem} Nothing was downloaded.")

    # ----- running --------------------------------------------------------------------------

    def run(self, transfer: Transfer, item: Item) -> None:
        if item.marker:
            try:
                os.makedirs(item.path, exist_ok=True)
            except OSError as err:
                raise Stop("failed", _write_failure(item, err)) from err
            return
        os.makedirs(os.path.dirname(item.path), exist_ok=True)
        reply = self._call(
            self.manager.lake.client.get_object, Bucket=transfer.bucket, Key=item.source
        )
        size = reply["ContentLength"]
        expected = reply.get("Metadata", {}).get("sha256")
        temp = os.path.join(
            os.path.dirname(item.path),
            f".{os.path.basename(item.path)[:200]}.{transfer.id}.datalake-part",
        )
        with self.manager._lock:
            item.temp, item.bytes, item.done = temp, size, 0
        self.manager._write_journal()
        try:
            sha = self._receive(transfer, item, reply["Body"], temp)
            if item.done != size:
                raise Stop(
                    "failed",
                    f"{item.source} arrived incomplete ({item.done} of {size} bytes); nothing was kept.",
                )
            if expected and sha != expected:
                raise Stop(
                    "failed",
                    f"{item.source} arrived damaged (its SHA-256 does not match); nothing was kept.",
                )
            self._place(transfer, item, temp)
        finally:
            reply["Body"].close()
            _remove(temp)
            with self.manager._lock:
                item.temp = None
        self.home_changed()

    def _receive(self, transfer: Transfer, item: Item, body: Any, temp: str) -> str:
        sha = hashlib.sha256()
        try:
            with open(temp, "xb") as f:
                while True:
                    if transfer.cancel.is_set():
                        raise Stop("cancelled", "Cancelled; no partial file was left in your home.")
                    chunk = self._call(body.read, CHUNK)
                    if not chunk:
                        break
                    self.manager.bandwidth.take(len(chunk), transfer.cancel)
                    f.write(chunk)
                    sha.update(chunk)
                    with self.manager._lock:
                        item.done += len(chunk)
                    transfer.sample()
                    self.manager._write_journal(force=False)
                f.flush()
                os.fsync(f.fileno())
        except OSError as err:
            raise Stop("failed", _write_failure(item, err)) from err
        return sha.hexdigest()

    def _place(self, transfer: Transfer, item: Item, temp: str) -> None:
        """Give the complete file its name: replacing what is there only when overwriting;
        otherwise never, even if a file of that name appeared since the plan."""
        if transfer.conflict == "overwrite":
            if os.path.isdir(item.path) and not os.path.islink(item.path):
                raise Stop(
                    "failed", f"{item.destination} is a folder in your home; it was not replaced."
                )
            os.replace(temp, item.path)
            return
        folder, name = os.path.split(item.path)
        names = candidates(name, False) if transfer.conflict == "rename" else iter([name])
        for candidate in names:
            try:
                os.link(temp, os.path.join(folder, candidate))
            except FileExistsError:
                continue
            if candidate != name:
                item.destination = item.destination[: -len(name)] + candidate
                item.path = os.path.join(folder, candidate)
            return
        raise Stop(
            "failed",
            f"{item.destination} appeared in your home during the download; it was left as it is. "
            "Download again and choose to overwrite or keep both.",
        )

    def clean_up(self, item: Item) -> None:
        """A temporary file left by a server that stopped mid-download."""
        if item.temp:
            _remove(item.temp)
            item.temp = None


def _check_file_name(name: str, key: str) -> None:
    problem = _bad_parts([name])
    if problem:
        raise Refused(400, f"{key} cannot be saved in your home: {problem}.")


def _bad_parts(parts: list[str]) -> str | None:
    for part in parts:
        if part in ("", ".", ".."):
            return f"its key has {part or 'an empty'!r} as a folder name"
        if "\0" in part:
            return "its name holds a NUL character"
        if len(part.encode("utf-8", "surrogateescape")) > NAME_MAX:
            return f"a name in it is longer than {NAME_MAX} bytes"
    return None


def _top(item: Item, shown_folder: str) -> str:
    rel = item.destination[len(shown_folder) + 1 :] if shown_folder else item.destination
    top = rel.split("/", 1)[0]
    return f"{shown_folder}/{top}" if shown_folder else top


def _write_failure(item: Item, err: OSError) -> str:
    if err.errno in (errno.ENOSPC, errno.EDQUOT):
        return (
            f"Your home is full: {item.destination} could not be written, and no partial file "
            "was left. Free some space, then retry."
        )
    return (
        f"{item.destination} could not be written: {err.strerror or err}; no partial file was left."
    )


def _remove(path: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)


__all__ = ["Downloader"]
