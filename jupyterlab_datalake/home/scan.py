"""Home usage as ``du -sxB1`` counts it, with the largest folders and files.

The figures match GNU du (coreutils 9.1) on Linux:

- ``used`` is ``st_blocks * 512`` summed over every entry, the root and every folder
  included, symlinks counted as themselves and never followed;
- a file with several hard links is counted once, in the folder where it is met first;
- anything on another device than the root (a mount point, a bind-mounted file) is left
  out entirely, the mount point's own folder included, as ``du -x`` does;
- a folder that cannot be read still counts its own blocks, as du's "cannot read
  directory" does, and an entry that cannot be stat'ed counts nothing, as du's "cannot
  access" does;
- ``apparent`` is ``st_size`` summed over the same entries, folders included, which is what
  coreutils 9.1 ``du --apparent-size`` prints (later versions leave folders out).

Speed: in Python, building each entry's stat result costs about as much as the ``lstat``
itself, so a pure-Python walk takes about twice as long as du in one process. Where the wheel
was built with a C compiler, each folder is listed by ``_walker.c`` (walker.py), which hands
back sums and only the entries Python must see (folders, hard-linked files, files large enough
for the top list); without it the same loop runs in Python and gives the same figures.
Threads do not help (the GIL is handed over on every ``lstat``), so on Linux with more than one
CPU a large tree is split between forked processes that share the hard-link set through shared
memory. Any failure there falls back to one process.

:func:`scan` blocks; the server runs it in a thread.
"""

from __future__ import annotations

import contextlib
import errno
import gc
import heapq
import marshal
import mmap
import os
import re
import select
import signal
import sys
import time
import warnings
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

# O_NOFOLLOW: a folder swapped for a symlink between listing and opening must not lead the
# walk out of the tree.
from ..safefs import DIR_FLAGS as _DIR_FLAGS
from . import walker as _walker

MAX_UNREADABLE = 100
# Forking the server costs a few milliseconds; below this many entries one process is done
# before the others would be of any use.
PARALLEL_AFTER = 10_000
# Folders waiting in the frontier per worker before it is shared: enough for the workers to
# even out subtrees of different sizes.
UNITS_PER_WORKER = 4
MAX_WORKERS = 4
# Seconds the parent waits for its workers' reports once its own share is done.
WORKER_TIMEOUT = 600
# fork() copies the page tables and exit() tears them down, about 7 ms per 100 MiB of
# resident memory here; past this a server is better off walking alone.
MAX_FORK_RSS = 1 << 30
# Load average per CPU past which the walk stays in one process (see _available_cpus).
BUSY_LOAD_PER_CPU = 2

# Parent of a subtree handed to a forked worker: its totals go back to the process that
# holds the folders above it, so the walk stops folding there.
_UNIT = object()

# The workers only run this module's walk and os._exit(), which is the safe use of fork()
# in a threaded process that Python 3.12+ warns about.
warnings.filterwarnings(
    "ignore",
    message=r".*fork\(\) may lead to deadlocks",
    category=DeprecationWarning,
    module=re.escape(__name__),
)


@dataclass
class Entry:
    path: str  # relative to root, POSIX separators
    bytes: int  # allocated (du) bytes; for folders: recursive total
    apparent: int  # apparent bytes; for folders: recursive total
    files: int  # 1 for a file; for folders: recursive file count


@dataclass
class Trash(Entry):
    # What the user deleted: the entries directly in the trash's files/ folder. ``files``
    # counts every file below the trash, the .trashinfo sidecar of each item included.
    items: int = 0


@dataclass
class ScanResult:
    root: str  # absolute real path scanned
    used: int  # == du -sxB1 root
    apparent: int  # == du -sxB1 --apparent-size root (coreutils 9.1)
    files: int  # non-folder entries (symlinks included), hard links once
    dirs: int  # folders, the root included
    largest_dirs: list[Entry]  # by recursive allocated bytes, any depth, root excluded
    largest_files: list[Entry]  # by allocated bytes
    trash: Trash  # totals of the trash folder; zeros if absent
    unreadable: list[str]  # folders not (fully) read, "." for the root; at most 100
    unreadable_count: int
    duration: float  # seconds


def scan(
    root: str,
    top: int = 10,
    trash: str = ".local/share/Trash",
    processes: int = 0,
    native: bool | None = None,
) -> ScanResult:
    """Walk ``root`` and count its usage; see the module docstring for what is counted.

    ``native``: None lists folders with the compiled loop where it was built, False always
    with the Python one, True requires the compiled one (RuntimeError without it).

    Raises OSError when ``root`` itself cannot be stat'ed, NotADirectoryError when it is not
    a folder. Everything below the root that goes wrong is counted like du counts it.
    """
    start = time.perf_counter()
    root = os.path.realpath(root)
    root_st = os.lstat(root)
    if root_st.st_mode & 0o170000 != 0o040000:
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), root)
    trash_rel = _normalize(trash)
    lib = _walker.library() if native is not False else None
    if native and lib is None:
        raise RuntimeError(f"the compiled walker is not built ({_walker.LIBRARY})")
    # processes: 0 picks from the CPUs this process may use; 1 never forks.
    workers = _available_cpus() if processes <= 0 else min(processes, MAX_WORKERS)
    walk = None
    if workers > 1:
        walk = _scan_parallel(root, root_st, top, trash_rel, workers, lib)
    if walk is None:
        walk = _Walk(root, root_st, top, trash_rel, _local_links(set()), lib)
        walk.depth_first([walk.root_node])
    return walk.result(trash_rel, time.perf_counter() - start)


class _Walk:
    """One process's share of a scan: the per-entry loop and the figures it collects.

    A folder node is a list: [absolute path, parent node, blocks, apparent, files,
    subfolders not done yet]. A node's totals go up to its parent when its last subfolder is
    done, so only the walk's frontier is held in memory.
    """

    def __init__(
        self,
        root: str,
        root_st: os.stat_result,
        top: int,
        trash_rel: str,
        first_link: Callable[[int], bool],
        lib: object | None = None,
    ) -> None:
        self.root = root
        self.dev = root_st.st_dev
        self.prefix_len = len(root) + 1
        self.top = top
        self.trash_rel = trash_rel
        self.first_link = first_link
        self.root_node: list = [root, None, root_st.st_blocks, root_st.st_size, 0, 0]
        # Heap items start with a size in 512-byte blocks, so the smallest is at [0].
        self.file_heap: list[tuple[int, int, str]] = []
        self.dir_heap: list[tuple[int, int, int, str]] = []
        # A file must have more blocks than this to enter the heap; -1 until it is full.
        self.fmin: float = -1 if top > 0 else float("inf")
        self.unreadable: list[str] = []
        self.unreadable_count = 0
        self.dirs = 0
        self.entries = 0
        self.trash: tuple[int, int, int] | None = None
        self.trash_files = os.path.normpath(os.path.join(root, trash_rel, "files"))
        self.trash_items: int | None = None
        self.lister = _walker.Lister(lib) if lib is not None else None

    def depth_first(self, stack: list[list]) -> None:
        list_dir = self.list_dir
        finish = self.finish
        push = stack.extend
        pop = stack.pop
        while stack:
            node = pop()
            subdirs = list_dir(node)
            if subdirs:
                push(subdirs)
            else:
                finish(node)

    def list_dir(self, node: list) -> list[list]:
        """Add a folder's files to its node; return nodes for its subfolders."""
        path = node[0]
        prefix_len = self.prefix_len
        subdirs: list[list] = []
        blocks = apparent = nfiles = listed = 0
        failed = False
        try:
            fd = os.open(path, _DIR_FLAGS)
        except (FileNotFoundError, NotADirectoryError):
            fd = -1  # gone since its parent was listed
        except OSError as exc:
            fd = -1
            if exc.errno == errno.ENAMETOOLONG:
                fd = _open_deep(self.root, path[prefix_len:])
            # ELOOP: replaced by a symlink since its parent was listed, i.e. gone too.
            failed = fd < 0 and exc.errno != errno.ELOOP
        if fd >= 0:
            try:
                read = self._read_native if self.lister is not None else self._read
                blocks, apparent, nfiles, listed, failed = read(fd, node, subdirs)
            except OSError:
                failed = True
            finally:
                os.close(fd)
        if failed:
            self.unreadable_count += 1
            if len(self.unreadable) < MAX_UNREADABLE:
                self.unreadable.append(path[prefix_len:] or ".")
        if path == self.trash_files:
            self.trash_items = listed
        self.dirs += len(subdirs)
        self.entries += nfiles + len(subdirs)
        node[2] += blocks
        node[3] += apparent
        node[4] += nfiles
        node[5] = len(subdirs)
        return subdirs

    def _read(self, fd: int, node: list, subdirs: list[list]) -> tuple[int, int, int, int, bool]:
        """The folder's entries in Python: sums of its files (blocks, apparent, count), the
        entries listed, whether any failed; its subfolders go into ``subdirs``."""
        path = node[0]
        dev = self.dev
        first_link = self.first_link
        fmin = self.fmin
        offer = self._offer
        add_subdir = subdirs.append
        blocks = apparent = nfiles = linked = 0
        failed = False
        # The loop runs once per entry: it only reads attributes and sums integers, and
        # builds a path only for a file that may make it into the top list.
        try:
            with os.scandir(fd) as it:
                for entry in it:
                    try:
                        st = entry.stat(follow_symlinks=False)
                    except FileNotFoundError:
                        continue
                    except OSError:
                        failed = True
                        continue
                    if st.st_dev != dev:
                        continue
                    if st.st_mode & 0o170000 == 0o040000:
                        add_subdir([path + "/" + entry.name, node, st.st_blocks, st.st_size, 0, 0])
                        continue
                    if st.st_nlink > 1 and not first_link(st.st_ino):
                        linked += 1
                        continue
                    b = st.st_blocks
                    blocks += b
                    apparent += st.st_size
                    nfiles += 1
                    if b >= fmin:
                        fmin = offer(b, st.st_size, path, entry.name)
        except OSError:
            failed = True
        return blocks, apparent, nfiles, nfiles + len(subdirs) + linked, failed

    def _read_native(
        self, fd: int, node: list, subdirs: list[list]
    ) -> tuple[int, int, int, int, bool]:
        """As :meth:`_read`, with the per-entry loop in C: Python sees only the records."""
        path = node[0]
        first_link = self.first_link
        offer = self._offer
        lister = self.lister
        blocks, apparent, nfiles, listed, failed = lister.list(fd, self.dev, self.fmin)
        for kind, b, size, ino, name in lister.records():
            if kind == _walker.FOLDER:
                subdirs.append([path + "/" + name, node, b, size, 0, 0])
                continue
            if kind == _walker.LINKED:
                if not first_link(ino):
                    continue
                blocks += b
                apparent += size
                nfiles += 1
            if b >= self.fmin:
                offer(b, size, path, name)
        return blocks, apparent, nfiles, listed, failed

    def _offer(self, b: int, size: int, folder: str, name: str) -> float:
        """Put a file in the top list if it ranks there (by blocks, then size, then path, so
        that the list does not depend on the order of the walk); the new threshold."""
        file_heap = self.file_heap
        item = (b, size, (folder + "/" + name)[self.prefix_len :])
        if len(file_heap) < self.top:
            heapq.heappush(file_heap, item)
        elif item > file_heap[0]:
            heapq.heapreplace(file_heap, item)
        if len(file_heap) == self.top:
            self.fmin = file_heap[0][0]
        return self.fmin

    def finish(self, node: list) -> None:
        """Fold a finished folder into its parent, and on up as far as they are finished."""
        prefix_len = self.prefix_len
        while node[5] == 0:
            parent = node[1]
            if parent is None or parent is _UNIT:
                break
            rel = node[0][prefix_len:]
            if self.top > 0:
                item = (node[2], node[3], node[4], rel)
                if len(self.dir_heap) < self.top:
                    heapq.heappush(self.dir_heap, item)
                elif item > self.dir_heap[0]:
                    heapq.heapreplace(self.dir_heap, item)
            if rel == self.trash_rel:
                self.trash = (node[2], node[3], node[4])
            parent[2] += node[2]
            parent[3] += node[3]
            parent[4] += node[4]
            parent[5] -= 1
            node = parent

    def merge(self, other: tuple) -> None:
        """Take in the figures a forked worker reported (see ``_run_worker``)."""
        dirs, file_heap, dir_heap, unreadable, unreadable_count, trash, trash_items = other
        self.dirs += dirs
        for item in file_heap:
            self._keep(self.file_heap, tuple(item))
        for item in dir_heap:
            self._keep(self.dir_heap, tuple(item))
        self.unreadable.extend(unreadable[: MAX_UNREADABLE - len(self.unreadable)])
        self.unreadable_count += unreadable_count
        if trash is not None:
            self.trash = tuple(trash)
        if trash_items is not None:
            self.trash_items = trash_items

    def _keep(self, heap: list, item: tuple) -> None:
        if len(heap) < self.top:
            heapq.heappush(heap, item)
        elif item > heap[0]:
            heapq.heapreplace(heap, item)

    def result(self, trash_rel: str, duration: float) -> ScanResult:
        node = self.root_node
        dir_heap = sorted(self.dir_heap, key=lambda t: (-t[0], t[3]))
        file_heap = sorted(self.file_heap, key=lambda t: (-t[0], t[2]))
        blocks, apparent, files = self.trash or (0, 0, 0)
        return ScanResult(
            root=self.root,
            used=node[2] * 512,
            apparent=node[3],
            files=node[4],
            dirs=self.dirs + 1,
            largest_dirs=[Entry(rel, b * 512, a, n) for b, a, n, rel in dir_heap],
            largest_files=[Entry(rel, b * 512, a, 1) for b, a, rel in file_heap],
            trash=Trash(trash_rel, blocks * 512, apparent, files, self.trash_items or 0),
            unreadable=self.unreadable,
            unreadable_count=self.unreadable_count,
            duration=duration,
        )


def _scan_parallel(
    root: str, root_st: os.stat_result, top: int, trash_rel: str, workers: int, lib: object
) -> _Walk | None:
    """Walk breadth first until the tree proves big, then share the frontier with forks.

    Returns None when a worker failed, so that the caller walks again in one process.
    """
    seen: set[int] = set()
    walk = _Walk(root, root_st, top, trash_rel, _local_links(seen), lib)
    queue = deque([walk.root_node])
    # Breadth first, so that the frontier is many folders of a similar depth rather than
    # the few large siblings of a depth-first path.
    while queue and (walk.entries < PARALLEL_AFTER or len(queue) < UNITS_PER_WORKER * workers):
        node = queue.popleft()
        subdirs = walk.list_dir(node)
        if subdirs:
            queue.extend(subdirs)
        else:
            walk.finish(node)
    if not queue:
        return walk
    if _resident_bytes() > MAX_FORK_RSS:
        walk.depth_first(list(queue))
        return walk
    units = list(queue)
    del queue
    try:
        shared = _SharedState(seen)
    except (OSError, ImportError):
        walk.depth_first(units)
        return walk
    try:
        return _share_units(walk, units, shared, workers)
    finally:
        shared.close()


def _share_units(
    walk: _Walk, units: list[list], shared: _SharedState, workers: int
) -> _Walk | None:
    children: list[list[int]] = []  # [pid, read end of its pipe]; 0 and -1 once dealt with
    try:
        for _ in range(workers - 1):
            read_end, write_end = os.pipe()
            try:
                pid = os.fork()
            except OSError:
                os.close(read_end)
                os.close(write_end)
                break  # fewer workers, still correct
            if pid == 0:  # pragma: no cover - runs in the child, reported through the pipe
                os.close(read_end)
                _run_worker(walk, units, shared, write_end)
            os.close(write_end)
            children.append([pid, read_end])
        walk.first_link = shared.first_link
        while True:
            i = shared.next_unit()
            if i >= len(units):
                break
            walk.depth_first([units[i]])
        results = []
        deadline = time.monotonic() + WORKER_TIMEOUT
        for child in children:
            read_end, child[1] = child[1], -1
            results.append(_read_all(read_end, deadline))
        try:
            figures = [marshal.loads(data) for data in results]
        except (EOFError, ValueError, TypeError):
            return None  # a worker died before it could report
        for done, others in figures:
            for i, blocks, apparent, files in done:
                unit = units[i]
                unit[2], unit[3], unit[4], unit[5] = blocks, apparent, files, 0
                walk.finish(unit)
            walk.merge(others)
        # Reaping waits for the end of each worker's exit, which for a copy of a large
        # server takes a while; the figures were already in when its pipe closed.
        failed = False
        for child in children:
            pid, child[0] = child[0], 0
            # ChildProcessError: reaped by a SIGCHLD handler of the server, after its
            # figures came in whole.
            with contextlib.suppress(ChildProcessError):
                failed = os.waitpid(pid, 0)[1] != 0 or failed
        return None if failed or shared.overflowed() else walk
    finally:
        for pid, read_end in children:
            if read_end >= 0:
                os.close(read_end)
            if pid:
                try:
                    os.kill(pid, signal.SIGKILL)
                    os.waitpid(pid, 0)
                except OSError:
                    pass


def _run_worker(parent_walk: _Walk, units: list[list], shared: _SharedState, fd: int) -> None:
    """Body of a forked worker: walk the units it claims, write its figures, exit."""
    status = 1
    try:
        # A collection would write to every object of the server's heap, copying all of its
        # pages; everything this process allocates is freed by reference counting anyway.
        gc.disable()
        # The server's handlers are not for this process: Ctrl-C or a stop ends it, and
        # the server, if it lives on, walks again without it.
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, signal.SIG_DFL)
        walk = _Walk.__new__(_Walk)
        walk.__dict__.update(parent_walk.__dict__)
        walk.first_link = shared.first_link
        walk.file_heap, walk.dir_heap, walk.unreadable = [], [], []
        walk.fmin = -1 if walk.top > 0 else float("inf")
        walk.unreadable_count = walk.dirs = walk.entries = 0
        walk.trash = walk.trash_items = None
        done = []
        while True:
            i = shared.next_unit()
            if i >= len(units):
                break
            unit = units[i]
            node = [unit[0], _UNIT, unit[2], unit[3], 0, 0]
            walk.depth_first([node])
            done.append((i, node[2], node[3], node[4]))
        figures = (
            walk.dirs,
            walk.file_heap,
            walk.dir_heap,
            walk.unreadable,
            walk.unreadable_count,
            walk.trash,
            walk.trash_items,
        )
        data = memoryview(marshal.dumps((done, figures)))
        while data:
            data = data[os.write(fd, data) :]
        # Closed here, not by the exit: the parent can go on while the kernel tears down
        # this process's copy of a large server's address space.
        os.close(fd)
        status = 0
    finally:
        os._exit(status)


class _SharedState:
    """Hard-link set and unit counter shared by forked workers, in anonymous shared memory.

    An open-addressing table of inode numbers (0 marks a free slot) behind a process-shared
    lock: 32 MiB of address space, of which only the pages touched are allocated.
    """

    SLOTS = 1 << 22
    _NEXT_UNIT, _COUNT, _OVERFLOW, _ZERO_INODE, _HEADER = 0, 1, 2, 3, 4

    def __init__(self, seen: set[int]) -> None:
        import multiprocessing

        # The "fork" context unlinks the semaphore at once and starts no resource tracker.
        self._lock = multiprocessing.get_context("fork").Lock()
        self._map = mmap.mmap(-1, (self.SLOTS + self._HEADER) * 8)
        self._slots = memoryview(self._map).cast("Q")
        for ino in seen:
            self.first_link(ino)

    def next_unit(self) -> int:
        with self._lock:
            i = self._slots[self._NEXT_UNIT]
            self._slots[self._NEXT_UNIT] = i + 1
        return i

    def first_link(self, ino: int) -> bool:
        slots = self._slots
        if ino == 0:
            with self._lock:
                seen = slots[self._ZERO_INODE]
                slots[self._ZERO_INODE] = 1
            return not seen
        mask = self.SLOTS - 1
        # Inodes created together have close numbers and land on the same few pages.
        i = (ino ^ (ino >> 22)) & mask
        with self._lock:
            while True:
                value = slots[self._HEADER + i]
                if value == ino:
                    return False
                if value == 0:
                    count = slots[self._COUNT] + 1
                    slots[self._COUNT] = count
                    if count > self.SLOTS // 2:
                        # Past half full the probes get long; the scan is redone in one
                        # process, which has no such limit.
                        slots[self._OVERFLOW] = 1
                    else:
                        slots[self._HEADER + i] = ino
                    return True
                i = (i + 1) & mask

    def overflowed(self) -> bool:
        return bool(self._slots[self._OVERFLOW])

    def close(self) -> None:
        self._slots.release()
        self._map.close()


def _local_links(seen: set[int]) -> Callable[[int], bool]:
    def first_link(ino: int) -> bool:
        if ino in seen:
            return False
        seen.add(ino)
        return True

    return first_link


def _available_cpus() -> int:
    """CPUs this process may use, counting a cgroup CPU quota (a Kubernetes limit), or 1
    when the machine is busy already."""
    if not sys.platform.startswith("linux"):
        return 1
    try:
        cpus = len(os.sched_getaffinity(0))
    except OSError:
        return 1
    quota = _cgroup_cpu_quota()
    if quota is not None:
        cpus = min(cpus, max(1, int(quota)))
    # On a machine that runs far more than it has CPUs for (the last minute's load average),
    # the scheduler shares out CPU time by process group (a container, a session), so forked
    # workers split one share between them and add the fork. On the 2-CPU machine of
    # bench_usage.py two processes took 1.2 to 1.3 times as long as one at loads of 14 to 27,
    # and 0.6 times at a load of 2; the threshold lies in between, unmeasured.
    if os.getloadavg()[0] >= BUSY_LOAD_PER_CPU * cpus:
        return 1
    return max(1, min(cpus, MAX_WORKERS))


def _cgroup_cpu_quota() -> float | None:
    try:
        with open("/sys/fs/cgroup/cpu.max") as f:
            quota, period = f.read().split()[:2]
        return None if quota == "max" else int(quota) / int(period)
    except (OSError, ValueError):
        pass
    try:
        with open("/sys/fs/cgroup/cpu/cpu.cfs_quota_us") as f:
            quota_us = int(f.read())
        with open("/sys/fs/cgroup/cpu/cpu.cfs_period_us") as f:
            period_us = int(f.read())
        return None if quota_us <= 0 else quota_us / period_us
    except (OSError, ValueError):
        return None


def _resident_bytes() -> int:
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * mmap.PAGESIZE
    except (OSError, ValueError, IndexError):
        return 0


def _read_all(fd: int, deadline: float) -> bytes:
    """A worker's report; empty, which counts as a failed worker, if it is not in by the
    deadline: a stuck worker must cost a single-process walk, not a scan that never ends."""
    chunks = []
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
                return b""
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(fd)
    return b"".join(chunks)


def _normalize(rel: str) -> str:
    return os.path.normpath(rel).replace(os.sep, "/").strip("/")


def _open_deep(root: str, rel: str) -> int:
    """Open a folder whose absolute path is longer than PATH_MAX, one level at a time.

    du walks with openat and has no such limit; this keeps the totals equal in the rare
    trees that go that deep, at the price of one open per level for those folders only.
    """
    fd = -1
    try:
        fd = os.open(root, _DIR_FLAGS)
        for name in rel.split("/"):
            child = os.open(name, _DIR_FLAGS, dir_fd=fd)
            os.close(fd)
            fd = child
    except OSError:
        if fd >= 0:
            os.close(fd)
        return -1
    return fd
