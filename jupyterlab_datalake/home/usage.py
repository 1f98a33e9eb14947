"""Home usage against the quota: cached scans, kept current by saves, refreshed when stale.

The scan itself (scan.py) is blocking and takes a fraction of a second to seconds, so it runs on
a thread, one at a time; requests that arrive meanwhile get the last result marked as being
refreshed. Saves through the Contents API adjust the cached figure from the file's size change
(pre- and post-save hooks), so the panel follows the user's work without a rescan.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import time
from dataclasses import asdict, dataclass, field
from typing import Any

from ..paths import is_within
from .scan import Entry, ScanResult, scan
from .space import volume_of

TRASH = ".local/share/Trash"


@dataclass
class _Pending:
    allocated: int
    apparent: int
    existed: bool


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
    _pending: dict[str, _Pending] = field(default_factory=dict)

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

    def _start_scan(self) -> asyncio.Task:
        if not self.scanning:
            self._task = asyncio.ensure_future(self._scan())
        return self._task

    async def _scan(self) -> None:
        while True:
            self._rescan_after = False
            loop = asyncio.get_running_loop()
            result = await loop.run_in_executor(
                None, scan, self.home, self.top, TRASH, self.processes
            )
            if self._rescan_after:
                # A save landed while the walk was under way: the walk may or may not have seen
                # it, so neither the result nor the delta can be trusted. Walk again.
                continue
            self.result = result
            self.scanned_at = self.updated_at = time.time()
            return

    # ----- saves ----------------------------------------------------------------------------

    def _inside_home(self, os_path: str) -> bool:
        return is_within(os.path.realpath(os_path), self.home)

    def before_save(self, os_path: str) -> None:
        """Remember the file's size before a save, so that the save's effect is a delta."""
        if not self._inside_home(os_path):
            return
        try:
            st = os.lstat(os_path)
            self._pending[os_path] = _Pending(st.st_blocks * 512, st.st_size, True)
        except OSError:
            self._pending[os_path] = _Pending(0, 0, False)

    def after_save(self, os_path: str) -> None:
        """Apply a save's size change to the cached figure."""
        started = time.perf_counter()
        before = self._pending.pop(os_path, None)
        if before is None or self.result is None:
            return
        if self.scanning:
            self._rescan_after = True
            return
        try:
            st = os.lstat(os_path)
        except OSError:
            return
        allocated = st.st_blocks * 512 - before.allocated
        apparent = st.st_size - before.apparent
        added = 0 if before.existed else 1
        r = self.result
        r.used += allocated
        r.apparent += apparent
        r.files += added
        relative = os.path.relpath(os.path.realpath(os_path), self.home).replace(os.sep, "/")
        for folder in r.largest_dirs:
            if relative.startswith(folder.path + "/"):
                folder.bytes += allocated
                folder.apparent += apparent
                folder.files += added
        if relative.startswith(TRASH + "/"):
            r.trash.bytes += allocated
            r.trash.apparent += apparent
            r.trash.files += added
        self._update_largest_file(relative, st.st_blocks * 512, st.st_size)
        r.largest_dirs.sort(key=lambda e: e.bytes, reverse=True)
        self.updated_at = time.time()
        self.update_seconds = time.perf_counter() - started

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
