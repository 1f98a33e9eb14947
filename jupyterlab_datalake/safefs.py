"""Descriptor-relative, no-follow filesystem primitives: the one way this extension creates,
opens, renames and removes files in home and in the watched places: downloads, uploads from
home and rescue use it, and saves are meant to.

Why it exists: path-based calls (``open``, ``os.makedirs``, ``os.replace``,
``os.path.lexists``) follow a symbolic link in every component of a path but the last, and the
user, or any program of theirs, can put one anywhere in home. Issue 11 showed what follows:
with ``link-out -> /outside`` in home, a folder download created files in /outside and
overwrote one there (its clash check even listed ``link-out/victim.txt``, looking through the
link), and a folder upload whose sub-folder was swapped for a link while it ran sent a file
from outside home. A ``realpath`` check does not help: it comes before the use, and the link
can appear in between.

So every access here starts from an open descriptor of a trusted folder (home, or a watched
place such as /tmp) and goes one component at a time with
``openat(O_NOFOLLOW | O_DIRECTORY)``; files are created with ``O_CREAT | O_EXCL | O_NOFOLLOW``
and renamed or linked within the descriptor of their own folder. The kernel then checks at the
moment of use that no component is a link (it answers ELOOP or ENOTDIR), whatever happened
before. `Unsafe` reports it: a `Refused` (403 for a link, 409 for a file where a folder was
needed) whose message names the offending component as the user sees it. Callers that speak
another error type (rescue's RescueError, a running transfer's Stop) translate it.

This module also holds the one rule of whose files in a watched place may be taken as the
user's own (`not_yours`), which rescue and uploads from those places share.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import functools
import os
import pwd
import stat
import time
from collections.abc import Callable, Iterator, Sequence

from .errors import Refused

DIR_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_DIRECTORY", 0)
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_CLOEXEC", 0)
)
# O_NONBLOCK: if a FIFO took the file's place, opening it must not hang the thread; reading a
# regular file ignores the flag.
READ_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_NONBLOCK", 0)
)
CREATE_FLAGS = (
    os.O_WRONLY
    | os.O_CREAT
    | os.O_EXCL
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_CLOEXEC", 0)
)
_RENAME_NOREPLACE = 1
# What came before this moment cannot be the work of the user of this server (see not_yours).
# The module is loaded when the server loads the extension, right after the process started.
STARTED = time.time()


class Unsafe(Refused):
    """A symbolic link, or something that is not a folder, where a folder was needed (or a link
    where a file is opened). ``shown`` is the offending component as the user sees it."""

    def __init__(self, shown: str, link: bool):
        if link:
            message = f"{shown} is a symbolic link; links are not followed, so nothing is read "
            message += "or written through it."
        else:
            message = f"{shown} is not a folder."
        super().__init__(403 if link else 409, message)
        self.shown = shown
        self.link = link


# ----- walking ----------------------------------------------------------------------------


def parts(path: str, root: str) -> list[str]:
    """The components of ``path`` below ``root`` (both absolute and normalised alike)."""
    rel = os.path.relpath(path, root)
    if rel == ".":
        return []
    if rel == ".." or rel.startswith("../"):
        raise ValueError(f"{path} is not inside {root}")
    return rel.split("/")


def shown(path: str, root: str) -> str:
    """How ``path`` appears to someone whose view starts at ``root`` (the file browser's
    root): relative below it, absolute elsewhere; ``""`` for the root itself."""
    rel = os.path.relpath(path, root)
    if rel == ".":
        return ""
    return path if rel == ".." or rel.startswith("../") else rel


def open_root(path: str) -> int:
    """A descriptor of a trusted folder to walk from: home or a watched place, as a real
    path the caller resolved."""
    return os.open(path, DIR_FLAGS)


def open_folder(
    root: int | str,
    names: Sequence[str],
    shown_root: str = "",
    create: bool = False,
    mode: int = 0o777,
    on_create: Callable[[int], None] | None = None,
) -> int:
    """A new descriptor of the folder ``names`` below the folder ``root`` (a descriptor, or a
    trusted real path), walked one component at a time without following links; missing
    folders are made when ``create`` (``on_create`` gets the descriptor of each one made).

    Raises Unsafe for a link or a non-folder on the way (named as ``shown_root`` joined with
    the components up to it), FileNotFoundError for a missing one, OSError otherwise.
    """
    current = open_root(root) if isinstance(root, str) else os.dup(root)
    try:
        for i, name in enumerate(names):
            made = False
            try:
                child = _open_dir(current, name)
            except FileNotFoundError:
                if not create:
                    raise
                # Made meanwhile by someone else: then judged like any other folder.
                with contextlib.suppress(FileExistsError):
                    os.mkdir(name, mode, dir_fd=current)
                    made = True
                child = _open_dir(current, name)
            if child is None:
                raise _unsafe(current, name, shown_root, names[: i + 1])
            os.close(current)
            current = child
            if made and on_create is not None:
                on_create(current)
    except BaseException:
        os.close(current)
        raise
    return current


def _open_dir(dir_fd: int, name: str) -> int | None:
    """A descriptor of the folder ``name``; None when the kernel refuses it as a link or a
    non-folder."""
    try:
        return os.open(name, DIR_FLAGS, dir_fd=dir_fd)
    except OSError as err:
        # O_NOFOLLOW refuses a link with ELOOP, O_DIRECTORY a file with ENOTDIR (and, with
        # both flags, a link to a folder may get either).
        if err.errno in (errno.ELOOP, errno.ENOTDIR):
            return None
        raise


def _unsafe(dir_fd: int, name: str, shown_root: str, names: Sequence[str]) -> Unsafe:
    st = lstat(dir_fd, name)
    return Unsafe(
        os.path.join(shown_root, *names), link=st is not None and stat.S_ISLNK(st.st_mode)
    )


@contextlib.contextmanager
def folder(root: int | str, names: Sequence[str], shown_root: str = "", **kwargs) -> Iterator[int]:
    """`open_folder` as a context manager."""
    fd = open_folder(root, names, shown_root, **kwargs)
    try:
        yield fd
    finally:
        os.close(fd)


def open_read(root: int | str, names: Sequence[str], shown_root: str = "") -> int:
    """A descriptor for reading the file ``names`` below ``root``, no component followed.

    Opened non-blocking, so that a FIFO put in its place cannot hang the thread: the caller
    checks with fstat that it is a regular file.
    """
    if not names:
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), shown_root)
    with folder(root, names[:-1], shown_root) as dir_fd:
        try:
            return os.open(names[-1], READ_FLAGS, dir_fd=dir_fd)
        except OSError as err:
            if err.errno != errno.ELOOP:
                raise
            raise Unsafe(os.path.join(shown_root, *names), link=True) from err


def lstat(dir_fd: int, name: str) -> os.stat_result | None:
    """The entry ``name`` of the folder ``dir_fd`` itself (a link as a link); None if there
    is none."""
    try:
        return os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
    except (FileNotFoundError, NotADirectoryError):
        return None


def lstat_at(root: int | str, names: Sequence[str], shown_root: str = "") -> os.stat_result | None:
    """`lstat` of ``names`` below ``root``, its folders walked without following links;
    None if it, or a folder on the way, is missing."""
    try:
        with folder(root, names[:-1], shown_root) as dir_fd:
            return lstat(dir_fd, names[-1]) if names else os.fstat(dir_fd)
    except FileNotFoundError:
        return None


# ----- creating, placing, removing ------------------------------------------------------------


def create_temp(dir_fd: int, name: str, mode: int = 0o666, readable: bool = False) -> int:
    """A new file ``name`` in the folder ``dir_fd``, for writing (and reading back, when
    ``readable``); never an existing file, and never through a link (FileExistsError for
    either)."""
    flags = CREATE_FLAGS & ~os.O_WRONLY | os.O_RDWR if readable else CREATE_FLAGS
    return os.open(name, flags, mode, dir_fd=dir_fd)


def link(dir_fd: int, src: str, dst: str) -> None:
    """Give the file ``src`` the second name ``dst`` in the same folder; never replaces
    anything there (FileExistsError), a link included."""
    os.link(src, dst, src_dir_fd=dir_fd, dst_dir_fd=dir_fd, follow_symlinks=False)


def replace(dir_fd: int, src: str, dst: str) -> None:
    """Rename ``src`` to ``dst`` in the same folder, replacing ``dst``; a link there is itself
    replaced, never followed."""
    os.replace(src, dst, src_dir_fd=dir_fd, dst_dir_fd=dir_fd)


def unlink(dir_fd: int, name: str) -> None:
    """Remove the file (or link) ``name`` of the folder ``dir_fd``, if it is there."""
    with contextlib.suppress(FileNotFoundError):
        os.unlink(name, dir_fd=dir_fd)


@functools.lru_cache(maxsize=1)
def _renameat2() -> Callable[..., int] | None:
    try:
        func = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return None
    func.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    func.restype = ctypes.c_int
    return func


def rename_noreplace(src_dir: int, src: str, dst_dir: int, dst: str) -> None:
    """os.rename between two folder descriptors that fails with FileExistsError instead of
    replacing ``dst``."""
    func = _renameat2()
    if func is not None:
        if func(src_dir, os.fsencode(src), dst_dir, os.fsencode(dst), _RENAME_NOREPLACE) == 0:
            return
        err = ctypes.get_errno()
        # EINVAL: a filesystem without the flag (NFS, for one); checked by hand below.
        if err not in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
            raise OSError(err, os.strerror(err), dst)
    # Not atomic, but only the user's own processes write in this folder.
    if lstat(dst_dir, dst) is not None:
        raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), dst)
    try:
        os.rename(src, dst, src_dir_fd=src_dir, dst_dir_fd=dst_dir)
    except OSError as exc:
        if exc.errno == errno.ENOTEMPTY:
            raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), dst) from exc
        raise


# ----- whose files ---------------------------------------------------------------------------


def not_yours(st: os.stat_result, uid: int, since: float | None = None) -> str | None:
    """Why an entry of a watched place is not the user's own to take (rescue it, send it);
    None when it is. ``uid`` is the user's; ``since`` when their server started.

    The owner must be the user. A server running as root (``uid`` 0) cannot tell the user's
    files from those of the system's other programs, which are root's too: there, what was
    already there when the server started (by its ctime, which no one can set back) is not
    taken as the user's.
    """
    if st.st_uid != uid:
        return f"belongs to {owner_name(st.st_uid)}"
    if uid == 0 and st.st_ctime < (STARTED if since is None else since):
        return (
            "belongs to root and was there before this server started: running as root, the "
            "server cannot tell your files from those of other programs"
        )
    return None


ROOT_NOTE = (
    "This server runs as root, so it cannot tell your files from those of the system's other "
    "programs: only what appeared here since the server started is listed, and some of it may "
    "still belong to other programs."
)


def root_note(uid: int) -> str | None:
    """What a report of the user's files in a watched place must say when ``uid`` is root."""
    return ROOT_NOTE if uid == 0 else None


def owner_name(uid: int) -> str:
    try:
        return f"another user ({pwd.getpwuid(uid).pw_name})"
    except KeyError:
        return f"another user (uid {uid})"


__all__ = [
    "CREATE_FLAGS",
    "DIR_FLAGS",
    "READ_FLAGS",
    "ROOT_NOTE",
    "STARTED",
    "Unsafe",
    "create_temp",
    "folder",
    "link",
    "lstat",
    "lstat_at",
    "not_yours",
    "open_folder",
    "open_read",
    "open_root",
    "owner_name",
    "parts",
    "rename_noreplace",
    "replace",
    "root_note",
    "shown",
    "unlink",
]
