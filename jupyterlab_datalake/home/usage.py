"""Home usage against the quota: cached scans, kept current by saves, refreshed when stale.

The scan itself (scan.py) is blocking and takes a fraction of a second to seconds, so it runs on
a thread, one at a time; requests that arrive meanwhile get the last result marked as being
refreshed. Saves through the Contents API adjust the cached figure without a rescan, so the panel
follows the user's work: saves.py measures, before and after each save or checkpoint, every
entry it may write (the file, its folder, the checkpoint and its folder; an atomic write's
temporary file is gone by then but may have grown the folder), and the difference is applied
as the scan would count it, so that the figure stays what ``du -sxB1`` says.

Writes from outside JupyterLab (a terminal, a kernel) have no hook. While a view is visible the
frontend polls :meth:`UsageMonitor.poll`, which answers "unchanged" in a few dozen bytes, and
rescans when home may have changed: when home is its own volume, when the volume's used bytes
(one statvfs) moved since the last scan began; on a shared volume, every so often. Either way a
rescan waits some times the last scan's duration after the previous one (``VOLUME_BUDGET``,
``SCAN_BUDGET``), so that scanning takes a bounded share of a CPU however often the poll comes.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import stat
import time
from collections.abc import Hashable, Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from ..paths import is_within
from .scan import Entry, ScanResult, scan
from .space import is_own_volume, volume_of, volume_used

TRASH = ".local/share/Trash"

# Seconds between polls the frontend is told to make when home is its own volume: a poll costs
# one statvfs, so a file made in a terminal shows within a few seconds.
VOLUME_POLL = 2.0
# On a shared volume its used bytes say nothing about home: rescan this often while watched
# (the scan's cost may make it rarer, see SCAN_BUDGET).
SHARED_RESCAN = 30.0
# A rescan the poll starts waits this many times the last scan's duration after the last scan:
# on a shared volume, where it comes on a timer, scans then take under 2% of a CPU; on home's own
# volume, where it comes only while home keeps changing, under a sixth, so that a home that
# takes half a second to walk still shows a new file within 5 s.
SCAN_BUDGET = 50
VOLUME_BUDGET = 5
# How long a poll that started a rescan waits for it, so that the reply has the new figure
# rather than the next poll, a poll interval later.
POLL_WAIT = 3.0


# What one entry adds to the figure, as the scan counts it: allocated bytes, apparent bytes,
# and "file", "dir" or None (absent, or on another device than home, which du -x leaves out).
_Taken = tuple[int, int, str | None]


@dataclass
class _Pending:
    """A write under way: the scan it started after, and the paths it may touch."""

    scan: int
    paths: list[str]


def _taken(path: str, dev: int | None) -> _Taken:
    try:
        st = os.lstat(path)
    except OSError:
        return 0, 0, None
    if st.st_dev != dev:
        return 0, 0, None
    return st.st_blocks * 512, st.st_size, "dir" if stat.S_ISDIR(st.st_mode) else "file"


@dataclass
class UsageMonitor:
    home: str
    quota: int | None
    top: int = 10
    max_age: float = 600.0
    processes: int = 0
    contents_root: str | None = None
    result: ScanResult | None = None
    scanned_at: float = 0.0
    updated_at: float = 0.0
    update_seconds: float | None = None
    last_save_error: dict[str, Any] | None = None
    _task: asyncio.Task | None = None
    _rescan_after: bool = False
    _pending: dict[Hashable, _Pending] = field(default_factory=dict)
    # What each path of a pending write takes as the figure counts it now.
    _known: dict[str, _Taken] = field(default_factory=dict)
    # Scans finished so far, and the device of home they found (du -x counts no other).
    _scans: int = 0
    _dev: int | None = None
    # Whether home is the root of its volume (None until the first scan looks).
    own_volume: bool | None = None
    # Seconds of SHARED_RESCAN, a field so that tests need not wait half a minute.
    shared_rescan: float = SHARED_RESCAN
    # The volume's used bytes when the last scan began (own volume only): a poll that finds
    # another figure knows home changed since.
    _volume_baseline: int | None = None
    # Saves under way that began with the volume at its baseline (nothing else had moved it).
    _clean_writes: set[Hashable] = field(default_factory=set)
    # Bumped whenever the figure changes, so that a poll can be answered "unchanged".
    version: int = 0

    # ----- scanning -------------------------------------------------------------------------

    @property
    def scanning(self) -> bool:
        return self._task is not None and not self._task.done()

    async def get(self, refresh: bool = False) -> dict[str, Any]:
        stale = time.time() - self.scanned_at > self.max_age
        if refresh and self.scanning:
            # The running walk may have passed the change the caller wants to see.
            self._rescan_after = True
        if self.result is None or refresh or stale:
            task = self._start_scan()
            if self.result is None or refresh:
                await asyncio.shield(task)
        return self.to_json()

    def mark_stale(self) -> None:
        """Something other than a save changed home (a download, say): rescan when next
        asked. Safe to call from any thread: it only sets flags the scan reads."""
        self.scanned_at = 0.0
        self._rescan_after = True

    async def poll(self, since: int | None) -> dict[str, Any]:
        """The figure, or ``{"unchanged": true}`` when the caller has version ``since`` and
        it still holds. Rescans first when home may have changed outside JupyterLab (see the
        module's docstring), waiting up to POLL_WAIT for the walk."""
        if self.result is None:
            return await self.get()
        if not self.scanning and self._rescan_due():
            task = self._start_scan()
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(asyncio.shield(task), POLL_WAIT)
        if since == self.version:
            return {"version": self.version, "unchanged": True, "refreshing": self.scanning}
        return self.to_json()

    def _rescan_due(self) -> bool:
        since_scan = time.time() - self.scanned_at
        if since_scan > self.max_age:
            return True
        if self.own_volume:
            if since_scan < VOLUME_BUDGET * self.result.duration:
                return False
            return self._volume_used() != self._volume_baseline
        if since_scan < SCAN_BUDGET * self.result.duration:
            return False
        return since_scan >= self.shared_rescan

    def poll_seconds(self) -> float:
        """How often a visible view should poll: often when the volume tells changes for free,
        else as often as a rescan may come."""
        if self.own_volume:
            return VOLUME_POLL
        cost = SCAN_BUDGET * (self.result.duration if self.result else 0.0)
        return min(max(self.shared_rescan, cost), self.max_age)

    def _volume_used(self) -> int | None:
        with contextlib.suppress(OSError):
            return volume_used(self.home)
        return None

    def _walk(self) -> tuple[int | None, ScanResult]:
        """The scan, with the volume's used bytes just before it: a change during the walk
        then moves the volume away from the baseline, and the next poll walks again."""
        if self.own_volume is None:
            self.own_volume = is_own_volume(self.home)
        before = self._volume_used() if self.own_volume else None
        return before, scan(self.home, self.top, TRASH, self.processes)

    def _start_scan(self) -> asyncio.Task:
        if not self.scanning:
            self._task = asyncio.ensure_future(self._scan())
        return self._task

    async def _scan(self) -> None:
        while True:
            self._rescan_after = False
            loop = asyncio.get_running_loop()
            baseline, result = await loop.run_in_executor(None, self._walk)
            if self._rescan_after:
                # A save landed while the walk was under way: the walk may or may not have seen
                # it, so neither the result nor the delta can be trusted. Walk again.
                continue
            self.result = result
            self._volume_baseline = baseline
            self.version += 1
            self._scans += 1
            self._known.clear()  # the new result is what home was during the walk
            with contextlib.suppress(OSError):
                self._dev = os.lstat(self.home).st_dev
            self.scanned_at = self.updated_at = time.time()
            return

    # ----- saves ----------------------------------------------------------------------------

    def before_write(self, key: Hashable, paths: Iterable[str]) -> None:
        """Measure each path a write may touch (one lstat each, no walk), so that the write's
        effect on the figure is a delta. ``key`` names the write for :meth:`after_write`;
        paths outside home are left out, as the scan leaves them out."""
        real = dict.fromkeys(os.path.realpath(path) for path in paths)
        inside = [path for path in real if is_within(path, self.home)]
        self._pending[key] = _Pending(self._scans, inside)
        if self.own_volume and self._volume_used() == self._volume_baseline:
            self._clean_writes.add(key)
        self._measure(inside)

    def after_write(self, key: Hashable) -> None:
        """Apply what a write changed at the paths :meth:`before_write` measured."""
        started = time.perf_counter()
        pending = self._pending.pop(key, None)
        clean = key in self._clean_writes
        self._clean_writes.discard(key)
        if pending is None:
            return
        if self.scanning:
            self._rescan_after = True
        elif self.result is not None and pending.scan != self._scans:
            # A scan ended between the two measurements and may have seen the write or not:
            # neither the delta nor its absence can be trusted.
            self.mark_stale()
        elif self.result is not None:
            self._measure(pending.paths)
            if clean:
                # Only this write moved the volume, and the figure has it now. (A write from
                # outside in the very moment of the save is missed until the next scan.)
                self._volume_baseline = self._volume_used()
            self.version += 1
            self.updated_at = time.time()
            self.update_seconds = time.perf_counter() - started
        # Only the paths of writes still under way need remembering.
        still = {path for other in self._pending.values() for path in other.paths}
        for path in [path for path in self._known if path not in still]:
            del self._known[path]

    def _measure(self, paths: list[str]) -> None:
        """Bring the figure to what each path takes now. A path measured before, by this write
        or by one that overlaps it (another save into the same folder, the checkpoint inside
        a save), counts the change since then; one measured for the first time is taken to be
        in the figure as it is."""
        changes = []
        for path in paths:
            now = _taken(path, self._dev)
            was = self._known.get(path, now)
            self._known[path] = now
            if now != was:
                changes.append((path, was, now))
        if changes and self.result is not None and not self.scanning:
            self._apply(changes)

    def _apply(self, changes: list[tuple[str, _Taken, _Taken]]) -> None:
        r = self.result
        relatives = []
        for path, old, new in changes:
            relative = os.path.relpath(path, self.home).replace(os.sep, "/")
            relatives.append(relative)
            allocated, apparent = new[0] - old[0], new[1] - old[1]
            files = (new[2] == "file") - (old[2] == "file")
            r.used += allocated
            r.apparent += apparent
            r.files += files
            r.dirs += (new[2] == "dir") - (old[2] == "dir")
            # A folder's totals include its own blocks, as du's do.
            for folder in r.largest_dirs:
                if is_within(relative, folder.path):
                    folder.bytes += allocated
                    folder.apparent += apparent
                    folder.files += files
            if is_within(relative, TRASH):
                r.trash.bytes += allocated
                r.trash.apparent += apparent
                r.trash.files += files
            if new[2] == "file":
                self._update_largest_file(relative, new[0], new[1])
        # A folder the write created (the first checkpoint's) holds what the write measured in
        # it, which may rank it among the largest.
        listed = {folder.path for folder in r.largest_dirs}
        for relative, (folder, old, new) in zip(relatives, changes, strict=True):
            if new[2] == "dir" and old[2] is None and relative not in listed:
                inside = [t for path, t in self._known.items() if is_within(path, folder)]
                r.largest_dirs.append(
                    Entry(
                        relative,
                        sum(t[0] for t in inside),
                        sum(t[1] for t in inside),
                        sum(t[2] == "file" for t in inside),
                    )
                )
        r.largest_dirs.sort(key=lambda e: e.bytes, reverse=True)
        del r.largest_dirs[self.top :]

    def _update_largest_file(self, relative: str, allocated: int, apparent: int) -> None:
        files = self.result.largest_files
        for entry in files:
            if entry.path == relative:
                entry.bytes, entry.apparent = allocated, apparent
                break
        else:
            files.append(Entry(relative, allocated, apparent, 1))
        files.sort(key=lambda e: e.bytes, reverse=True)
        del files[self.top :]

    def save_failed(self, path: str, reason: str) -> None:
        """Remember a save the disk or quota refused, for the frontend to explain."""
        self.last_save_error = {"path": path, "reason": reason, "at": time.time()}
        self.version += 1
        # The disk is full now, whatever the cached figure says: see it at the next request.
        self.scanned_at = 0.0

    # ----- trash ----------------------------------------------------------------------------

    async def empty_trash(self) -> dict[str, Any]:
        before = (await self.get(refresh=True))["used"]
        loop = asyncio.get_running_loop()
        failed = await loop.run_in_executor(None, self._empty_trash)
        after = await self.get(refresh=True)
        return {**after, "freed": max(0, before - after["used"]), "failed": failed}

    def _empty_trash(self) -> list[str]:
        trash = os.path.join(self.home, TRASH)
        # Only the trash inside home: a Trash that is a link elsewhere is not ours to empty.
        if os.path.islink(trash) or not os.path.isdir(trash):
            return []
        failed: list[str] = []
        for part in ("files", "info", "expunged"):
            folder = os.path.join(trash, part)
            if os.path.islink(folder) or not os.path.isdir(folder):
                continue
            for entry in os.scandir(folder):
                try:
                    if entry.is_dir(follow_symlinks=False):
                        shutil.rmtree(entry.path)
                    else:
                        os.unlink(entry.path)
                except OSError:
                    failed.append(f"{TRASH}/{part}/{entry.name}")
        return failed

    # ----- the figure -----------------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        r = self.result
        assert r is not None
        volume = volume_of(self.home)
        capacity = self.quota or volume.total
        return {
            "home": self.home,
            "home_in_contents": self.home_in_contents(),
            "used": r.used,
            "apparent": r.apparent,
            "files": r.files,
            "dirs": r.dirs,
            "capacity": capacity,
            "capacity_source": "quota" if self.quota else "volume",
            "percent": round(100.0 * r.used / capacity, 2) if capacity else None,
            "volume": asdict(volume),
            "largest_dirs": [asdict(e) for e in r.largest_dirs],
            "largest_files": [asdict(e) for e in r.largest_files],
            "trash": asdict(r.trash),
            "unreadable": r.unreadable,
            "unreadable_count": r.unreadable_count,
            "scanned_at": self.scanned_at,
            "updated_at": self.updated_at,
            "scan_seconds": r.duration,
            # How long the last save took to fold into the figure (post-save hook), if any.
            "update_seconds": self.update_seconds,
            "refreshing": self.scanning,
            "last_save_error": self.last_save_error,
            "version": self.version,
            "own_volume": bool(self.own_volume),
            "poll_seconds": self.poll_seconds(),
        }

    def home_in_contents(self) -> str | None:
        """Home's path in JupyterLab's file browser ("" when they are the same folder), or
        None when home is outside what the file browser shows."""
        if self.contents_root is None:
            return None
        root = os.path.realpath(self.contents_root)
        if self.home == root:
            return ""
        if is_within(self.home, root):
            return os.path.relpath(self.home, root).replace(os.sep, "/")
        return None
