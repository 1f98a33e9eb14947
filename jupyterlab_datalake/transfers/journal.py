"""The transfer journal's files: which server owns which journal, reading the journals of
servers that are gone, and writing one's own atomically and not too often.

The journal lets the list of transfers survive a reload and a restart, and it names the
multipart uploads a dead server left open, so that the next one aborts them. But two servers
can run on the same home (a second `jupyter lab` started by hand, even one that then fails to
bind its port), and a journal read by the wrong one is a weapon: the second server would mark
the first one's running transfers as stopped and abort their uploads under them. So each
server owns its journal by holding an exclusive `flock` on a lock file beside it for its whole
life; the kernel drops the lock when the process ends, however it ends (SIGKILL included), so
a lock that can be taken is the proof that its server is gone. The first server takes
`transfers.lock` and keeps `transfers.json`, as before; one that finds it held writes a journal
of its own, `transfers-<id>.json` under `transfers-<id>.lock`. At start-up a server adopts the
journals whose lock it can take, and no other: it merges them into its own list, and deletes
them, still holding their locks, only once its own journal holds what they held, so a crash in
between leaves a duplicate, never a loss. A `transfers.json` of an older version, which never
locked, is adopted like a dead server's.

The lock is on a separate file because the journal itself is replaced by `os.replace` on every
write, which gives it a new inode and would drop a lock held on the old one. A new lock file
is created under a hidden name, locked, then renamed into place, so that nobody can see it
unlocked and take it for a dead server's.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import logging
import os
import re
import secrets
import socket
import threading
import time
from collections.abc import Callable
from typing import Any

from .. import safefs
from ..paths import is_within

log = logging.getLogger(__name__)

BASE = "transfers"
# The journal is rewritten at most this often while bytes move; state changes write at once.
INTERVAL = 1.0
_NAME = re.compile(rf"^({BASE}(?:-[0-9a-f]+)?)\.(?:json|lock)$")
_FILE = os.O_NOFOLLOW | os.O_CLOEXEC


class Journal:
    """The journal of one server, in ``state_dir``."""

    def __init__(self, state_dir: str, home: str, lock: threading.RLock):
        self.state_dir = state_dir
        self.home = home
        self.name = BASE
        # The owner's lock: snapshots are taken under it, so their order is the order of the
        # changes; a write that lost the race to a newer snapshot is dropped.
        self._owner_lock = lock
        self._write_lock = threading.Lock()
        self._taken = 0
        self._saved = 0
        self._written_at = 0.0
        self._lock_fd: int | None = None
        # Whether our journal file exists: one with nothing in it need not be created.
        self._on_disk = False
        # Dead servers' journals read by claim(), with their locks held until they are deleted.
        self._adopted: list[tuple[str, int]] = []
        self._warned_locks = False

    @property
    def path(self) -> str:
        return os.path.join(self.state_dir, f"{self.name}.json")

    def claim(self) -> list[tuple[str, dict[str, Any]]]:
        """Take this server's own journal, and read every journal no live server owns: (path,
        contents) of each, for the caller to merge; they are deleted on the first write that
        succeeds."""
        try:
            folder = self._open_folder()
        except OSError as err:
            # The list then lives in memory only; each write says why it is not kept.
            log.warning("jupyterlab-datalake: cannot use %s: %s", self.state_dir, err)
            self.name = f"{BASE}-{secrets.token_hex(4)}"
            return []
        try:
            return self._claim(folder)
        finally:
            os.close(folder)

    def _open_folder(self) -> int:
        """The state folder, made if missing. In home (by default) it is walked from home
        without following links, like every file the extension writes there; one an admin
        configured elsewhere is trusted as it is."""
        if not is_within(self.state_dir, self.home):
            os.makedirs(self.state_dir, exist_ok=True)
            return safefs.open_root(os.path.realpath(self.state_dir))
        root = safefs.open_root(os.path.realpath(self.home))
        try:
            return safefs.open_folder(root, safefs.parts(self.state_dir, self.home), create=True)
        except safefs.Unsafe as err:
            raise OSError(errno.ELOOP, str(err)) from err
        finally:
            os.close(root)

    def _claim(self, folder: int) -> list[tuple[str, dict[str, Any]]]:
        found = []
        try:
            self._lock_fd = self._take(folder, BASE)
        except OSError as err:
            log.warning("jupyterlab-datalake: cannot lock %s: %s", self.path, err)
        if self._lock_fd is not None:
            # The base journal's server is gone (or never locked): it is ours now.
            data = self._read(folder, BASE)
            self._on_disk = safefs.lstat(folder, f"{BASE}.json") is not None
            if data is not None:
                found.append((self.path, data))
        else:
            self.name = f"{BASE}-{secrets.token_hex(4)}"
            try:
                self._lock_fd = _create_locked(folder, self.name)
            except OSError as err:
                log.warning("jupyterlab-datalake: cannot lock %s: %s", self.path, err)
        if self._lock_fd is not None:
            _say_who(self._lock_fd)
        try:
            entries = os.listdir(folder)
        except OSError as err:
            log.warning("jupyterlab-datalake: cannot list %s: %s", self.state_dir, err)
            entries = []
        names = {m.group(1) for m in map(_NAME.match, entries) if m}
        for name in sorted(names - {BASE, self.name}):
            try:
                fd = self._take(folder, name)
            except OSError as err:
                log.warning("jupyterlab-datalake: skipping journal %s: %s", name, err)
                continue
            if fd is None:
                continue  # a live server's
            self._adopted.append((name, fd))
            data = self._read(folder, name)
            if data is not None:
                found.append((os.path.join(self.state_dir, f"{name}.json"), data))
        return found

    def _take(self, folder: int, name: str) -> int | None:
        """The descriptor holding ``name``'s lock, or None if a live server holds it."""
        fd = os.open(f"{name}.lock", os.O_RDWR | os.O_CREAT | _FILE, 0o600, dir_fd=folder)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return None
        except OSError as err:
            if err.errno not in (errno.ENOLCK, errno.EOPNOTSUPP, errno.EINVAL):
                os.close(fd)
                raise
            # A filesystem without locks: as before locks, a journal is taken for a dead
            # server's, which is right unless two servers share the home.
            if not self._warned_locks:
                self._warned_locks = True
                log.warning(
                    "jupyterlab-datalake: %s does not support locks (%s); do not run two "
                    "servers on this home, or the second one stops the first one's transfers",
                    self.state_dir,
                    err,
                )
        return fd

    def _read(self, folder: int, name: str) -> dict[str, Any] | None:
        try:
            fd = os.open(f"{name}.json", os.O_RDONLY | _FILE, dir_fd=folder)
            with open(fd, encoding="utf-8") as f:
                data = json.load(f)
            if not isinstance(data, dict):
                raise ValueError("not a JSON object")
            return data
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as err:
            log.warning(
                "jupyterlab-datalake: ignoring unreadable %s: %s",
                os.path.join(self.state_dir, f"{name}.json"),
                err,
            )
            return None

    def write(self, snapshot: Callable[[], dict[str, Any]], force: bool = True) -> None:
        """Write what ``snapshot`` returns, taken under the owner's lock; unless forced, not
        within INTERVAL of the last write."""
        now = time.monotonic()
        if not force and now - self._written_at < INTERVAL:
            return
        self._written_at = now
        with self._owner_lock:
            data = snapshot()
            self._taken += 1
            taken = self._taken
        with self._write_lock:
            if taken < self._saved:
                return  # a newer state is on disk already
            if not (self._on_disk or self._adopted or any(data.values())):
                return
            if self._save(data):
                self._saved, self._on_disk = taken, True
                self._forget_adopted()

    def _save(self, data: dict[str, Any]) -> bool:
        tmp = f".{self.name}.json.tmp"
        folder = None
        try:
            folder = self._open_folder()
            flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | _FILE
            with open(os.open(tmp, flags, 0o600, dir_fd=folder), "w", encoding="utf-8") as f:
                json.dump(data, f)
            os.replace(tmp, f"{self.name}.json", src_dir_fd=folder, dst_dir_fd=folder)
            return True
        except OSError as err:
            # A full home must not stop a transfer that is freeing it; the list then lives in
            # memory only until the journal can be written again.
            log.warning("jupyterlab-datalake: cannot write %s: %s", self.path, err)
            if folder is not None:
                with contextlib.suppress(OSError):
                    os.unlink(tmp, dir_fd=folder)
            return False
        finally:
            if folder is not None:
                os.close(folder)

    def _forget_adopted(self) -> None:
        """Delete the adopted journals, now that ours holds what they held."""
        if not self._adopted:
            return
        adopted, self._adopted = self._adopted, []
        try:
            folder = self._open_folder()
        except OSError:
            folder = None
        for name, fd in adopted:
            # The journal goes first: a lock file left alone is just swept by the next start.
            if folder is not None:
                for suffix in (".json", ".lock"):
                    with contextlib.suppress(OSError):
                        os.unlink(name + suffix, dir_fd=folder)
            os.close(fd)
        if folder is not None:
            os.close(folder)


def _create_locked(folder: int, name: str) -> int:
    tmp = f".{name}.lock.tmp"
    fd = os.open(tmp, os.O_RDWR | os.O_CREAT | os.O_EXCL | _FILE, 0o600, dir_fd=folder)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        os.rename(tmp, f"{name}.lock", src_dir_fd=folder, dst_dir_fd=folder)
    except OSError:
        os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(tmp, dir_fd=folder)
        raise
    return fd


def _say_who(fd: int) -> None:
    """For whoever looks at the lock file: which server holds it."""
    with contextlib.suppress(OSError):
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()} on {socket.gethostname()}\n".encode(), 0)


__all__ = ["Journal"]
