"""What the user keeps in the places that do not survive a restart (/tmp, /var/tmp, /dev/shm
and whatever else the mount table shows as lost), for the Storage panel's "at risk" list.

The places are found from the mount table (``mounts``), never from a list of well-known paths;
only the user's own entries are listed, so that other users' files in a shared /tmp are not.
Every function blocks; the server runs them in a thread.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .. import safefs
from ..home.scan import scan
from .mounts import Mount, classify, read_mounts


@dataclass
class WatchedEntry:
    path: str  # absolute
    name: str
    bytes: int  # allocated, du-style
    files: int
    is_dir: bool
    mtime: float


@dataclass
class WatchedLocation:
    path: str
    persistent: bool
    reason: str
    writable: bool
    bytes: int  # total of the user's own entries
    files: int
    entries: list[WatchedEntry]  # largest first, at most `top`
    entry_count: int  # all of the user's top-level entries
    # What the user should know before trusting the list: set when the server runs as root,
    # and so cannot tell the user's files from those of other programs.
    note: str | None = None


@dataclass
class SkippedLocation:
    """A watched place the report leaves out, so that the panel can say why it is absent."""

    path: str
    # The location already reported that is the same folder (/var/tmp linked to /tmp);
    # None: the place does not exist here.
    same_as: str | None


def distinct_locations(locations: Sequence[str]) -> tuple[list[str], list[SkippedLocation]]:
    """The watched places that exist, each folder once (absolute, as configured), and the
    others with the reason they are left out."""
    present: list[str] = []
    skipped: list[SkippedLocation] = []
    first: dict[str, str] = {}
    for location in locations:
        path = os.path.abspath(location)
        real = os.path.realpath(path)
        if real in first:
            if first[real] != path:
                skipped.append(SkippedLocation(path, same_as=first[real]))
        elif not os.path.isdir(real):
            skipped.append(SkippedLocation(path, same_as=None))
        else:
            first[real] = path
            present.append(path)
    return present, skipped


def watched_report(
    locations: Sequence[str],
    home: str,
    persistent_paths: Iterable[str] = (),
    uid: int | None = None,
    top: int = 10,
    mounts: list[Mount] | None = None,
    since: float | None = None,
) -> list[WatchedLocation]:
    """The user's own files and folders in each location that is lost at restart, by the
    rule rescue applies (safefs.not_yours; ``since``: when the server started).

    Locations that do not exist are left out, and so is a location that is the same folder
    as one already reported (/var/tmp linked to /tmp), whose files would count twice
    (``distinct_locations`` tells which and why).
    """
    if uid is None:
        uid = os.getuid()
    if mounts is None:
        mounts = read_mounts()
    present, _ = distinct_locations(locations)
    classes = classify(present, home, persistent_paths, mounts)
    report = []
    for path, cls in zip(present, classes):
        writable = os.access(path, os.W_OK | os.X_OK)
        listed = not cls.persistent and writable
        entries = _user_entries(path, uid, since) if listed else []
        entries.sort(key=lambda e: (-e.bytes, e.name))
        report.append(
            WatchedLocation(
                path=path,
                persistent=cls.persistent,
                reason=cls.reason,
                writable=writable,
                bytes=sum(e.bytes for e in entries),
                files=sum(e.files for e in entries),
                entries=entries[: max(top, 0)],
                entry_count=len(entries),
                note=safefs.root_note(uid) if listed else None,
            )
        )
    return report


def _user_entries(location: str, uid: int, since: float | None) -> list[WatchedEntry]:
    real = os.path.realpath(location)
    try:
        dev = os.stat(real).st_dev
        listing = os.scandir(real)
    except OSError:
        return []
    entries = []
    with listing:
        for item in listing:
            try:
                st = item.stat(follow_symlinks=False)
            except OSError:
                continue
            # Another device is a mount point (a volume of its own, whatever it holds), not
            # something the user left here.
            if safefs.not_yours(st, uid, since) or st.st_dev != dev:
                continue
            if stat.S_ISDIR(st.st_mode):
                try:
                    found = scan(os.path.join(real, item.name), top=0)
                except OSError:
                    continue
                size, files, is_dir = found.used, found.files, True
            elif stat.S_ISREG(st.st_mode) or stat.S_ISLNK(st.st_mode):
                size, files, is_dir = st.st_blocks * 512, 1, False
            else:
                # Sockets, FIFOs and devices belong to running programs; nothing to keep.
                continue
            entries.append(
                WatchedEntry(
                    path=os.path.join(location, item.name),
                    name=item.name,
                    bytes=size,
                    files=files,
                    is_dir=is_dir,
                    mtime=st.st_mtime,
                )
            )
    return entries
