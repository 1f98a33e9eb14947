"""Planning an upload from home: each source checked (in home, or the user's own in a watched
place, with no link on the way), every key computed and checked, S3 asked which exist, and the
clashes skipped or renamed as the user chose. A plan starts nothing; the manager runs it.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass

from .. import safefs
from ..config import Settings
from ..errors import Refused
from ..lake import areas
from ..lake.client import Lake
from ..lake.keys import check_key, check_name, clean_prefix
from ..paths import candidates, is_within, refuse_overlap
from .records import (
    MAX_FILES,
    Item,
    Transfer,
    check_policy,
    new_id,
)

# From how many files sent at once a listing of their folder replaces a HeadObject each, and
# how many listed keys cost about one HeadObject (a page of 1,000 keys took about ten HEADs'
# time on the test RGW).
LIST_FROM = 50
KEYS_PER_HEAD = 100
LIST_PAGE = 1000

# For how many clashing files or folders a plan that asks says where keeping both would put
# them: a free name costs a request or more each, and the dialog shows the first few.
RENAMES_SHOWN = 20

# How an overlap of two sources is refused.
_TWICE, _INSIDE = (
    "{outer} is listed twice; nothing was started.",
    "{inner} is inside {outer}; pick one of them.",
)


@dataclass
class _Source:
    asked: str
    path: str
    name: str
    is_dir: bool
    root: str  # the folder it is read from: home, or the watched place it lies in
    shown_root: str  # that folder as the user sees it
    st: os.stat_result  # as planned


class UploadPlanner:
    def __init__(self, settings: Settings, lake: Lake, root: str, home: str, shown_home: str):
        self.settings = settings
        self.lake = lake
        self.root = root  # the file browser's root, as a real path
        self.home = home  # home's real path
        self.shown_home = shown_home  # home as the file browser shows it

    def plan(self, sources: list[str], area: str, prefix: str, conflict: str) -> Transfer:
        """Check every source and compute every key, asking S3 which exist; starts nothing."""
        check_policy(conflict)
        s = self.settings
        prefix = clean_prefix(prefix)
        where = areas.find(s, area)
        areas.require_write(where)
        base = where.prefix + (prefix + "/" if prefix else "")
        checked = [self._check_source(src) for src in sources]
        refuse_overlap(checked, _TWICE, _INSIDE)
        names = {}
        for src in checked:
            if src.name in names:
                raise Refused(
                    400,
                    f"{names[src.name]} and {src.asked} would both become {base}{src.name}; "
                    "send them separately.",
                )
            names[src.name] = src.asked
        items: list[Item] = []
        tops: list[tuple[_Source, list[Item]]] = []
        for src in checked:
            own = list(self._items_of(src, base))
            items.extend(own)
            tops.append((src, own))
            if len(items) > MAX_FILES:
                raise Refused(
                    400, f"More than {MAX_FILES:,} files; send the folders one at a time."
                )
        with areas.acting(where, "list"):
            self._mark_existing(tops, where.bucket, base)
        if conflict == "rename":
            for src, own in tops:
                self._rename(src, where.bucket, base, own)
        elif conflict == "ask":
            # So that "Keep both" can say the new names before the user picks it: those of
            # the first clashes, as many as a dialog shows.
            clashing = [(src, own) for src, own in tops if any(i.exists for i in own)]
            for src, own in clashing[:RENAMES_SHOWN]:
                self._rename(src, where.bucket, base, own, apply=False)
        elif conflict == "skip":
            for item in items:
                if item.exists:
                    item.state = "skipped"
                    item.message = "Skipped: it exists in the data lake already."
        if len(checked) == 1:
            destination = base + checked[0].name + ("/" if checked[0].is_dir else "")
            if conflict == "rename" and tops[0][1]:
                first = tops[0][1][0].destination
                destination = first if not checked[0].is_dir else _top_of(first, base)
        else:
            destination = base
        return Transfer(
            id=new_id(),
            direction="upload",
            area=area,
            prefix=prefix,
            sources=[src.asked for src in checked],
            conflict=conflict,
            bucket=where.bucket,
            destination=destination,
            items=items,
        )

    def _check_source(self, asked: object) -> _Source:
        if not isinstance(asked, str) or not asked.strip("/"):
            raise Refused(400, "An empty path cannot be sent; nothing was started.")
        joined = asked if os.path.isabs(asked) else os.path.join(self.root, asked)
        real = os.path.realpath(joined)
        # Besides home, what the Storage panel lists as lost at restart may be sent: asked for
        # by its absolute path in a watched place, with no link on the way.
        in_watched = os.path.isabs(asked) and os.path.normpath(asked) == real
        root, shown_root = self.root_of(real, in_watched)
        if not root:
            shown = f" (it leads to {real})" if os.path.normpath(joined) != real else ""
            raise Refused(
                403,
                f"{asked} is outside your home{shown}; only files in your home can be sent.",
            )
        # realpath only planned the way: the source is reached again from its root's
        # descriptor without following links, here and when it is read, so that a link
        # swapped in meanwhile is refused.
        names = safefs.parts(real, root)
        try:
            st = safefs.lstat_at(root, names, shown_root)
        except safefs.Unsafe as err:
            if not err.link:
                raise Refused(404, f"{asked} does not exist (any more).") from err
            raise Refused(err.status, f"{err} Nothing was started.") from err
        except OSError as err:
            raise Refused(403, f"{asked} cannot be read ({err.strerror}).") from err
        if st is None:
            raise Refused(404, f"{asked} does not exist (any more).")
        # The one rule rescue applies too: in a watched place, only the user's own files.
        problem = None if root == self.home else safefs.not_yours(st, os.getuid())
        if problem:
            raise Refused(403, f"{asked} {problem}; only your own files can be sent.")
        if stat.S_ISDIR(st.st_mode):
            if not os.access(real, os.R_OK | os.X_OK):
                raise Refused(403, f"{asked} cannot be read (permission denied).")
        elif stat.S_ISREG(st.st_mode):
            _check_readable(root, names, asked)
        else:
            raise Refused(400, f"{asked} is not a regular file or a folder.")
        name = os.path.basename(real) if real != self.home else "home"
        check_name(name, asked)
        return _Source(asked, real, name, stat.S_ISDIR(st.st_mode), root, shown_root, st)

    def root_of(self, path: str, watched: bool = True) -> tuple[str, str]:
        """The folder ``path`` is read from, and how the user sees it: home, or (when
        ``watched``) the watched place it lies in; ("", "") for neither."""
        if is_within(path, self.home):
            return self.home, self.shown_home
        for place in self.settings.watched_paths if watched else ():
            real = os.path.realpath(place)
            if is_within(path, real) and path != real:
                return real, real
        return "", ""

    def _items_of(self, src: _Source, base: str) -> Iterator[Item]:
        shown_root = src.asked.rstrip("/")
        if not src.is_dir:
            key = base + src.name
            check_key(key, src.asked)
            identity = [src.st.st_dev, src.st.st_ino]
            yield Item(src.asked, key, src.st.st_size, path=src.path, identity=identity)
            return
        # Only the user's own files, in a watched place, as rescue says.
        uid = None if src.root == self.home else os.getuid()
        names = safefs.parts(src.path, src.root)
        for rel, kind, st in _walk(src.root, names, src.shown_root, src.asked, uid):
            shown = f"{shown_root}/{rel}" if rel else shown_root
            path = os.path.join(src.path, rel)
            if kind == "empty":
                key = f"{base}{src.name}/{rel}/" if rel else f"{base}{src.name}/"
                check_key(key, shown)
                yield Item(shown, key, 0, path=path, marker=True)
            elif kind == "file":
                key = f"{base}{src.name}/{rel}"
                check_key(key, shown)
                yield Item(shown, key, st.st_size, path=path, identity=[st.st_dev, st.st_ino])
            else:
                yield Item(shown, "", 0, path=path, state="skipped", message=f"Skipped: {kind}.")

    def _mark_existing(
        self, tops: list[tuple[_Source, list[Item]]], bucket: str, base: str
    ) -> None:
        """Which destinations S3 has already: a listing per folder; for files, see
        `_existing_files` (a selection of thousands of files is common)."""
        files = [own[0] for src, own in tops if not src.is_dir]
        found = self._existing_files(bucket, base, [item.destination for item in files])
        for item in files:
            item.exists = item.destination in found
        for src, own in tops:
            if src.is_dir:
                under = self.lake.objects_under(f"{base}{src.name}/", bucket)
                keys = {o["Key"] for o in under}
                for item in own:
                    item.exists = item.destination in keys

    def _existing_files(self, bucket: str, base: str, keys: list[str]) -> set[str]:
        """Which of these keys, all directly in `base`, exist. A few: a HeadObject each. Many:
        one level of `base` listed from the first name to the last, 1,000 keys a request, as
        long as that costs less than their HeadObjects would; the rest by HeadObject."""
        if len(keys) < LIST_FROM:
            return self._heads(bucket, keys)
        wanted, ordered = set(keys), sorted(keys)
        found: set[str] = set()
        budget = len(keys) * KEYS_PER_HEAD  # listed keys worth as much as their HeadObjects
        listed = ordered[0]
        request = {
            "Bucket": bucket,
            "Prefix": base,
            "Delimiter": "/",
            "MaxKeys": LIST_PAGE,
        }
        # StartAfter is exclusive: start after the first key shortened by one character.
        request["StartAfter"] = ordered[0][:-1]
        while budget > 0:
            page = self.lake.translated(self.lake.client.list_objects_v2, **request)
            names = [o["Key"] for o in page.get("Contents", [])]
            budget -= len(names) + len(page.get("CommonPrefixes", []))
            found.update(k for k in names if k in wanted)
            if names:
                listed = max(listed, names[-1])
            if not page.get("IsTruncated") or listed >= ordered[-1]:
                return found
            request["ContinuationToken"] = page["NextContinuationToken"]
        return found | self._heads(bucket, [key for key in ordered if key > listed])

    def _heads(self, bucket: str, keys: list[str]) -> set[str]:
        there = self.lake.each(lambda key: self.lake.exists(key, bucket), keys)
        return {key for key, found in zip(keys, there) if found}

    def _folder_exists(self, bucket: str, prefix: str) -> bool:
        reply = self.lake.translated(
            self.lake.client.list_objects_v2,
            Bucket=bucket,
            Prefix=prefix,
            MaxKeys=1,
        )
        return bool(reply.get("KeyCount"))

    def _rename(
        self, src: _Source, bucket: str, base: str, items: list[Item], apply: bool = True
    ) -> None:
        """Keep both, as a file manager does: the clashing file, or the clashing folder as a
        whole, gets the first free "name (n)". Unless ``apply``, the items only learn where
        keeping both would put them (``renamed``)."""
        if not any(i.exists for i in items):
            return
        for candidate in candidates(src.name, src.is_dir):
            if src.is_dir:
                if not self._folder_exists(bucket, f"{base}{candidate}/"):
                    break
            elif not self.lake.exists(base + candidate, bucket):
                break
        old = f"{base}{src.name}"
        new = f"{base}{candidate}"
        for item in items:
            if not item.destination:
                continue
            renamed = new + item.destination[len(old) :]
            if apply:
                check_key(renamed, item.source)
                item.destination, item.exists = renamed, False
            else:
                # A name too long to keep both is refused when the user picks it, not here.
                with contextlib.suppress(Refused):
                    check_key(renamed, item.source)
                    item.renamed = renamed


def _check_readable(root: str, names: list[str], asked: str) -> None:
    try:
        with os.fdopen(safefs.open_read(root, names), "rb") as f:
            f.read(1)
    except OSError as err:
        raise Refused(403, f"{asked} cannot be read ({err.strerror}).") from err


def _walk(
    root: str, names: list[str], shown_root: str, shown: str, uid: int | None
) -> Iterator[tuple[str, str, os.stat_result | None]]:
    """(relative path, kind, stat) below the folder ``names`` of ``root``: kind is "file",
    "empty" for an empty folder, or why an entry is not sent. Each folder is opened from
    ``root``'s descriptor without following links: one could lead out of home, or loop.
    With ``uid``, every file and folder must be that user's own."""
    stack = [""]
    while stack:
        rel = stack.pop()
        where = f"{shown.rstrip('/')}/{rel}" if rel else shown
        try:
            with safefs.folder(root, names + rel.split("/") if rel else names, shown_root) as fd:
                entries = []
                for entry in os.scandir(fd):
                    with contextlib.suppress(FileNotFoundError):  # gone: nothing to send
                        entries.append((entry.name, entry.stat(follow_symlinks=False)))
        except safefs.Unsafe as err:
            raise Refused(err.status, f"{err} Nothing was started.") from err
        except OSError as err:
            raise Refused(
                403, f"{where} cannot be read ({err.strerror}); nothing was started."
            ) from err
        entries.sort(key=lambda e: e[0])
        if not entries:
            yield rel, "empty", None
        subfolders = []
        for name, st in entries:
            child = f"{rel}/{name}" if rel else name
            check_name(name, f"{shown.rstrip('/')}/{child}")
            mode = st.st_mode
            problem = None
            if uid is not None and (stat.S_ISDIR(mode) or stat.S_ISREG(mode)):
                problem = safefs.not_yours(st, uid)
            if problem:
                raise Refused(
                    403,
                    f"{shown.rstrip('/')}/{child} {problem}; only your own files can be sent.",
                )
            if stat.S_ISDIR(mode):
                subfolders.append(child)
            elif stat.S_ISREG(mode):
                yield child, "file", st
            elif stat.S_ISLNK(mode):
                yield child, "a symbolic link, not followed", None
            else:
                yield child, "not a regular file", None
        stack.extend(reversed(subfolders))


def _top_of(key: str, base: str) -> str:
    return base + key[len(base) :].split("/", 1)[0] + "/"
