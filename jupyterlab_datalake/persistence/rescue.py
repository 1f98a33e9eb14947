"""Moving the user's entries from a place that vanishes at restart into home, checked in full
before anything moves: each entry must be the user's own, a link must not lead elsewhere, and
the lot must fit in home's quota. Folders are reached from directory descriptors without
following links (``safefs``); an entry on another device is copied under a hidden name,
synced and renamed into place before the original is deleted, so a failure leaves it where it
was. Every function blocks; the server runs them in a thread.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import shutil
import stat
from collections.abc import Sequence
from dataclasses import dataclass, field

from .. import safefs
from ..errors import Refused
from ..home.scan import scan
from ..home.space import free_bytes as _free_bytes
from ..home.space import shortfall
from ..paths import candidates, is_within, refuse_overlap

# How an overlap of two sources is refused.
_TWICE, _INSIDE = (
    "{outer} is listed twice; nothing was moved.",
    "{inner} is inside {outer}, which is rescued too; nothing was moved.",
)


_COPY_CHUNK = 1 << 24


@dataclass
class Rescued:
    source: str
    destination: str  # absolute path in home
    bytes: int  # allocated bytes moved, du-style


@dataclass
class _Source:
    asked: str
    parent: str  # real path of the folder that holds it
    name: str
    st: os.stat_result
    bytes: int  # allocated, du-style
    root: str  # the watched location it is reached from, without following links
    same_device: bool = False

    @property
    def path(self) -> str:
        return os.path.join(self.parent, self.name)


@dataclass
class _Copied:
    """One entry copied, with what it was, so that only that is deleted from the source."""

    name: str
    st: os.stat_result
    children: list[_Copied] = field(default_factory=list)


class _Changed(Exception):
    def __init__(self, rel: str) -> None:
        super().__init__(rel)
        self.rel = rel


class _CopyError(Exception):
    def __init__(self, rel: str, error: OSError) -> None:
        super().__init__(rel)
        self.rel = rel
        self.error = error


def rescue(
    sources: Sequence[str],
    home: str,
    watched: Sequence[str],
    into: str = "rescued",
    quota: int | None = None,
    used: int | None = None,
    uid: int | None = None,
    since: float | None = None,
) -> list[Rescued]:
    """Move the user's files or folders out of the ``watched`` locations into ``home/into``.

    All sources are checked, and the space they need, before anything is moved: every entry,
    nested ones included, must be the user's own (safefs.not_yours; ``since``: when the
    server started), and a link must not lead to what is not. A source on another device
    is copied under a hidden name, synced, checked and renamed into place before it is
    deleted, so a failure leaves it where it was and nothing half-copied in the home. Names
    are kept; a name already taken gets " (1)", " (2)"... Folders are reached from the
    descriptors of home and of the watched locations, without following links.

    Raises Refused: 400 bad request, 403 not allowed, 404 missing, 409 changed while
    being moved, 507 does not fit, 500 any other failure of the filesystem.
    """
    if uid is None:
        uid = os.getuid()
    if not sources:
        raise Refused(400, "Nothing to rescue: no file or folder was given.")
    home_real = os.path.realpath(home)
    into_parts = _destination(into)
    shown_home = os.path.abspath(home)
    shown_dest = os.path.join(shown_home, *into_parts)
    watched_real = [os.path.realpath(w) for w in watched if os.path.isdir(w)]
    shown_watched = ", ".join(map(os.fspath, watched)) or "no location"
    checked = [
        _check_source(s, home_real, watched_real, shown_watched, uid, since) for s in sources
    ]
    refuse_overlap(checked, _TWICE, _INSIDE)
    try:
        home_fd = safefs.open_root(home_real)
    except OSError as exc:
        raise _failure(exc, shown_dest, f"{shown_home} could not be opened") from exc
    try:
        # The deepest folder of the destination there is already: where the room is counted.
        existing = _existing_folder(home_fd, into_parts, shown_home)
        try:
            dest_dev = os.fstat(existing).st_dev
            free = _free_bytes(existing)
        finally:
            os.close(existing)
        for source in checked:
            source.same_device = source.st.st_dev == dest_dev
        _check_space(checked, home_real, free, quota, used)
        dest_fd = _open_destination(home_fd, home_real, into_parts, shown_home, uid)
    finally:
        os.close(home_fd)
    done: list[Rescued] = []
    try:
        for source in checked:
            try:
                final = _move(source, dest_fd)
            except Refused as exc:
                if not done:
                    raise
                moved = ", ".join(r.source for r in done)
                raise Refused(exc.status, f"{exc.message} Already moved: {moved}.") from exc
            done.append(Rescued(source.asked, os.path.join(shown_dest, final), source.bytes))
    finally:
        os.close(dest_fd)
    return done


def _destination(into: str) -> list[str]:
    """The components of the folder to rescue into, below home."""
    norm = os.path.normpath(into) if into else ""
    if not norm or os.path.isabs(into) or norm in (".", "..") or norm.startswith("../"):
        raise Refused(400, f"{into!r} is not a folder inside your home to rescue into.")
    return norm.split("/")


def _existing_folder(home_fd: int, names: list[str], shown_home: str) -> int:
    """A descriptor of the deepest folder of ``names`` there is; a link on the way, or a file,
    refuses the rescue."""
    fd = os.dup(home_fd)
    try:
        for i, name in enumerate(names):
            try:
                child = safefs.open_folder(fd, [name], os.path.join(shown_home, *names[:i]))
            except FileNotFoundError:
                break
            os.close(fd)
            fd = child
    except safefs.Unsafe as exc:
        os.close(fd)
        raise Refused(exc.status, f"{exc} Nothing was moved.") from exc
    except OSError as exc:
        os.close(fd)
        shown = os.path.join(shown_home, *names)
        raise _failure(exc, shown, f"{shown} could not be opened") from exc
    return fd


def _open_destination(
    home_fd: int, home_real: str, names: list[str], shown_home: str, uid: int
) -> int:
    """The folder to rescue into, made as needed, from home's descriptor."""
    shown = os.path.join(shown_home, *names)

    def give(fd: int) -> None:
        # A server running as root must not leave root-owned folders in the home.
        if os.geteuid() == 0 and uid != 0:
            os.fchown(fd, uid, os.stat(home_real).st_gid)

    try:
        return safefs.open_folder(home_fd, names, shown_home, create=True, on_create=give)
    except safefs.Unsafe as exc:
        raise Refused(exc.status, f"{exc} Nothing was moved.") from exc
    except OSError as exc:
        raise _failure(exc, shown, f"{shown} could not be created") from exc


def _check_source(
    asked: object,
    home_real: str,
    watched_real: list[str],
    shown_watched: str,
    uid: int,
    since: float | None,
) -> _Source:
    if not isinstance(asked, str) or not asked:
        raise Refused(400, "An empty path cannot be rescued; nothing was moved.")
    if not os.path.isabs(asked):
        raise Refused(400, f"{asked} is not an absolute path; nothing was moved.")
    parent_asked, name = os.path.split(asked.rstrip("/"))
    outside = Refused(403, f"{asked} is not in {shown_watched}; only what is there can be rescued.")
    if name in ("", ".", ".."):
        raise outside
    # The folder is resolved, the entry itself never: a symlink is judged as a symlink.
    parent = os.path.realpath(parent_asked)
    path = os.path.join(parent, name)
    root = next((w for w in watched_real if is_within(parent, w)), None)
    if root is None:
        raise outside
    if is_within(path, home_real) or is_within(home_real, path):
        raise Refused(403, f"{asked} is in your home already; nothing was moved.")
    try:
        with safefs.folder(root, safefs.parts(parent, root), root) as parent_fd:
            st = os.stat(name, dir_fd=parent_fd, follow_symlinks=False)
            parent_dev = os.fstat(parent_fd).st_dev
            _check_entry(asked, st, uid, since)
            if st.st_dev != parent_dev:
                raise Refused(403, f"{asked} is a mounted volume, not a file or folder of yours.")
            if stat.S_ISLNK(st.st_mode):
                _check_link(asked, path, home_real, watched_real, uid, since)
            elif stat.S_ISDIR(st.st_mode):
                _check_inside(parent_fd, name, asked, path, st, uid, since)
            elif not stat.S_ISREG(st.st_mode):
                raise Refused(
                    400,
                    f"{asked} is a {_kind(st.st_mode)}, not a file or folder; it cannot be rescued.",
                )
    except (FileNotFoundError, NotADirectoryError) as exc:
        raise Refused(404, f"{asked} does not exist (any more); nothing was moved.") from exc
    except safefs.Unsafe as exc:  # a link swapped in since realpath looked
        raise Refused(exc.status, f"{exc} Nothing was moved.") from exc
    except OSError as exc:
        raise Refused(403, f"{asked} cannot be read ({exc.strerror}); nothing was moved.") from exc
    size = st.st_blocks * 512
    if stat.S_ISDIR(st.st_mode):
        try:
            size = scan(path, top=0).used
        except OSError as exc:
            raise Refused(
                403, f"{asked} cannot be read ({exc.strerror}); nothing was moved."
            ) from exc
    return _Source(asked, parent, name, st, size, root)


def _check_entry(shown: str, st: os.stat_result, uid: int, since: float | None) -> None:
    problem = safefs.not_yours(st, uid, since)
    if problem:
        raise Refused(403, f"{shown} {problem}; only your own files can be rescued.")


def _check_inside(
    parent_fd: int,
    name: str,
    asked: str,
    path: str,
    st: os.stat_result,
    uid: int,
    since: float | None,
) -> None:
    """The rules for the top-level entry, applied to everything in a folder that would move
    with it: each entry the user's own, and no link that leads to what is not."""
    stack = [""]
    while stack:
        rel = stack.pop()
        names = [name, *rel.split("/")] if rel else [name]
        with safefs.folder(parent_fd, names, os.path.dirname(asked.rstrip("/"))) as fd:
            listing = _listing(fd)
        for child, child_st in listing:
            if child_st.st_dev != st.st_dev:
                continue  # a volume mounted inside is neither copied nor moved
            child_rel = f"{rel}/{child}" if rel else child
            shown = f"{asked.rstrip('/')}/{child_rel}"
            _check_entry(shown, child_st, uid, since)
            if stat.S_ISLNK(child_st.st_mode):
                _check_nested_link(shown, os.path.join(path, child_rel), uid, since)
            elif stat.S_ISDIR(child_st.st_mode):
                stack.append(child_rel)


def _check_link(
    asked: str,
    path: str,
    home_real: str,
    watched_real: list[str],
    uid: int,
    since: float | None,
) -> None:
    # The link is moved as a link, but one that points at someone else's files or out of the
    # temporary locations has no business being "rescued" into the home under its name.
    target = os.path.realpath(path)
    if is_within(target, home_real) or not any(is_within(target, w) for w in watched_real):
        raise Refused(
            403, f"{asked} is a link to {target}, outside the locations that can be rescued."
        )
    try:
        problem = safefs.not_yours(os.lstat(target), uid, since)
    except OSError:
        return  # a dangling link inside the location: only the link itself is moved
    if problem:
        raise Refused(
            403,
            f"{asked} is a link to {target}, which {problem}; only your own files can be rescued.",
        )


def _check_nested_link(shown: str, path: str, uid: int, since: float | None) -> None:
    """A link inside a rescued folder travels with it, wherever it points (a virtualenv's
    bin/python leads to /usr/bin): fine when it leads to the user's own files or to what
    every user may read anyway, refused when it would hand over someone else's private file.
    """
    target = os.path.realpath(path)
    try:
        target_st = os.stat(target)
    except OSError:
        return  # dangling: only the link itself is moved
    problem = safefs.not_yours(target_st, uid, since)
    if problem is None or _readable_by_all(target, target_st):
        return
    raise Refused(
        403,
        f"{shown} is a link to {target}, which {problem} and is not readable by everyone; "
        "only your own files can be rescued.",
    )


def _readable_by_all(path: str, st: os.stat_result) -> bool:
    need = stat.S_IROTH | (stat.S_IXOTH if stat.S_ISDIR(st.st_mode) else 0)
    if st.st_mode & need != need:
        return False
    folder = os.path.dirname(path)
    while True:
        try:
            if not os.stat(folder).st_mode & stat.S_IXOTH:
                return False
        except OSError:
            return False
        if folder == "/":
            return True
        folder = os.path.dirname(folder)


def _check_space(
    sources: list[_Source], home_real: str, free: int, quota: int | None, used: int | None
) -> None:
    what = sources[0].asked if len(sources) == 1 else f"the {len(sources)} items"
    # A rename on the home's own device takes no room; a copy takes it all.
    copied = sum(s.bytes for s in sources if not s.same_device)
    if quota is not None and used is None:
        used = scan(home_real, top=0).used
    problem = shortfall(what, copied, free, sum(s.bytes for s in sources), quota, used)
    if problem:
        raise Refused(507, f"{problem} Nothing was moved.")


def _move(source: _Source, dest_fd: int) -> str:
    """Move one checked source into the folder ``dest_fd``; return its final name."""
    asked = source.asked
    try:
        # From the watched location's descriptor: a folder on the way swapped for a link
        # since the check must not lead the move elsewhere.
        root = source.root
        parent_fd = safefs.open_folder(root, safefs.parts(source.parent, root), root)
        try:
            st = os.stat(source.name, dir_fd=parent_fd, follow_symlinks=False)
        except BaseException:
            os.close(parent_fd)
            raise
    except (FileNotFoundError, NotADirectoryError) as exc:
        raise Refused(404, f"{asked} does not exist any more.") from exc
    except safefs.Unsafe as exc:
        raise Refused(exc.status, f"{exc} {asked} was not moved.") from exc
    except OSError as exc:
        raise _failure(exc, asked, f"{asked} could not be read") from exc
    try:
        if (st.st_dev, st.st_ino) != (source.st.st_dev, source.st.st_ino):
            raise Refused(409, f"{asked} was replaced before it could be moved; try again.")
        is_dir = stat.S_ISDIR(st.st_mode)
        if source.same_device:
            try:
                final = _place(parent_fd, source.name, dest_fd, source.name, is_dir)
                os.fsync(dest_fd)
                return final
            except OSError as exc:
                # Bind mounts of one filesystem still refuse a rename between them.
                if exc.errno != errno.EXDEV:
                    raise _failure(exc, asked, f"{asked} could not be moved") from exc
        return _copy_then_delete(source, st, parent_fd, dest_fd)
    finally:
        os.close(parent_fd)


def _copy_then_delete(source: _Source, st: os.stat_result, parent_fd: int, dest_fd: int) -> str:
    asked = source.asked
    name = source.name
    token = secrets.token_hex(4)
    temp = f".{name}.rescue-{token}" if len(os.fsencode(name)) <= 200 else f".rescue-{token}"
    placed = temp
    try:
        copied = _copy_entry(parent_fd, name, dest_fd, temp, st, st.st_dev, "")
        placed = _place(dest_fd, temp, dest_fd, name, stat.S_ISDIR(st.st_mode))
        # The rename must be on disk before the original goes.
        os.fsync(dest_fd)
    except _Changed as exc:
        _remove_temp(dest_fd, placed)
        where = f"{asked}/{exc.rel}" if exc.rel else asked
        raise Refused(
            409,
            f"{where} changed while it was being copied (is a program still writing to "
            f"it?). {asked} was left where it was and nothing was kept in your home; try "
            "again once it is finished.",
        ) from exc
    except _CopyError as exc:
        _remove_temp(dest_fd, placed)
        where = f"{asked}/{exc.rel}" if exc.rel else asked
        raise _failure(exc.error, asked, f"Copying {where} failed") from exc
    except OSError as exc:
        _remove_temp(dest_fd, placed)
        raise _failure(exc, asked, f"Moving {asked} failed") from exc
    except BaseException:
        _remove_temp(dest_fd, placed)
        raise
    # The copy is complete and durable: from here on a failure only leaves a duplicate.
    _remove_copied(parent_fd, copied)
    return placed


def _failure(exc: OSError, asked: str, what: str) -> Refused:
    kept = f"{asked} was left where it was and nothing half-copied was kept in your home."
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return Refused(507, f"Your home ran out of space while moving {asked}. {kept}")
    if exc.errno in (errno.ENOENT, errno.ENOTDIR):
        return Refused(409, f"{what}: it (or part of it) disappeared meanwhile. {kept}")
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return Refused(403, f"{what}: {exc.strerror}. {kept}")
    return Refused(500, f"{what}: {exc.strerror}. {kept}")


def _copy_entry(
    src_dir: int,
    name: str,
    dst_dir: int,
    dst_name: str,
    st: os.stat_result,
    dev: int,
    rel: str,
) -> _Copied:
    """Copy one entry (a folder with everything in it) under ``dst_name``, synced."""
    try:
        if stat.S_ISLNK(st.st_mode):
            os.symlink(os.readlink(name, dir_fd=src_dir), dst_name, dir_fd=dst_dir)
            _keep_owner(dst_name, st, dst_dir)
            os.utime(
                dst_name,
                ns=(st.st_atime_ns, st.st_mtime_ns),
                dir_fd=dst_dir,
                follow_symlinks=False,
            )
            return _Copied(name, st)
        if stat.S_ISREG(st.st_mode):
            return _copy_file(src_dir, name, dst_dir, dst_name, st, rel)
        src_fd = os.open(name, safefs.DIR_FLAGS, dir_fd=src_dir)
        try:
            if os.fstat(src_fd).st_ino != st.st_ino:
                raise _Changed(rel)
            # Owner-only until its content is in, so nothing half-copied is readable by others.
            os.mkdir(dst_name, 0o700, dir_fd=dst_dir)
            dst_fd = os.open(dst_name, safefs.DIR_FLAGS, dir_fd=dst_dir)
            try:
                children = []
                for child, child_st in _listing(src_fd):
                    # As du -x: a mount inside is another volume, not this folder's content.
                    if child_st.st_dev != dev:
                        continue
                    mode = child_st.st_mode
                    if not (stat.S_ISDIR(mode) or stat.S_ISREG(mode) or stat.S_ISLNK(mode)):
                        continue  # sockets, FIFOs, devices: meaningless after a restart
                    child_rel = f"{rel}/{child}" if rel else child
                    children.append(
                        _copy_entry(src_fd, child, dst_fd, child, child_st, dev, child_rel)
                    )
                _finish_copy(dst_fd, st)
            finally:
                os.close(dst_fd)
        finally:
            os.close(src_fd)
        return _Copied(name, st, children)
    except OSError as exc:
        raise _CopyError(rel, exc) from exc


def _listing(dir_fd: int) -> list[tuple[str, os.stat_result]]:
    items = []
    with os.scandir(dir_fd) as it:
        for item in it:
            try:
                items.append((item.name, item.stat(follow_symlinks=False)))
            except FileNotFoundError:
                continue  # deleted meanwhile: nothing to copy, nothing to delete
    return items


def _copy_file(
    src_dir: int, name: str, dst_dir: int, dst_name: str, st: os.stat_result, rel: str
) -> _Copied:
    src_fd = os.open(name, safefs.READ_FLAGS, dir_fd=src_dir)
    try:
        before = os.fstat(src_fd)
        if before.st_ino != st.st_ino or not stat.S_ISREG(before.st_mode):
            raise _Changed(rel)
        dst_fd = os.open(dst_name, safefs.CREATE_FLAGS, 0o600, dir_fd=dst_dir)
        try:
            copied = _copy_data(src_fd, dst_fd)
            after = os.fstat(src_fd)
            if (
                copied != before.st_size
                or after.st_size != before.st_size
                or after.st_mtime_ns != before.st_mtime_ns
            ):
                raise _Changed(rel)
            if os.fstat(dst_fd).st_size != copied:
                raise OSError(errno.EIO, "the copy is not the size of the original", dst_name)
            _finish_copy(dst_fd, before)
        finally:
            os.close(dst_fd)
    finally:
        os.close(src_fd)
    return _Copied(name, before)


def _copy_data(src_fd: int, dst_fd: int) -> int:
    """Copy from the current offsets to the end of the source; return the bytes copied."""
    total = 0
    try:
        while True:
            sent = os.sendfile(dst_fd, src_fd, None, _COPY_CHUNK)
            if not sent:
                return total
            total += sent
    except OSError as exc:
        # sendfile does not take every kind of file; read and write do.
        if total or exc.errno not in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
            raise
    while True:
        chunk = os.read(src_fd, 1 << 20)
        if not chunk:
            return total
        view = memoryview(chunk)
        while view:
            view = view[os.write(dst_fd, view) :]
        total += len(chunk)


def _finish_copy(fd: int, st: os.stat_result) -> None:
    """Give a copied file or folder its original's owner, mode and times, and make it durable
    before the original may be deleted."""
    _keep_owner(fd, st)
    os.fchmod(fd, stat.S_IMODE(st.st_mode))
    os.utime(fd, ns=(st.st_atime_ns, st.st_mtime_ns))
    os.fsync(fd)


def _keep_owner(target: int | str, st: os.stat_result, dir_fd: int | None = None) -> None:
    # A server running as root would otherwise leave the user root-owned files in the home.
    if os.geteuid() != 0:
        return
    if isinstance(target, int):
        os.fchown(target, st.st_uid, st.st_gid)
    else:
        os.chown(target, st.st_uid, st.st_gid, dir_fd=dir_fd, follow_symlinks=False)


def _place(src_dir: int, src_name: str, dst_dir: int, wanted: str, is_dir: bool) -> str:
    """Rename into ``dst_dir`` under ``wanted``, or the first free "wanted (n)"."""
    for candidate in candidates(wanted, is_dir):
        try:
            safefs.rename_noreplace(src_dir, src_name, dst_dir, candidate)
        except FileExistsError:
            continue
        return candidate
    raise OSError(errno.EEXIST, "no free name left", wanted)


def _remove_temp(dir_fd: int, name: str) -> None:
    st = safefs.lstat(dir_fd, name)
    if st is None:
        return
    if not stat.S_ISDIR(st.st_mode):
        with contextlib.suppress(OSError):
            os.unlink(name, dir_fd=dir_fd)
        return
    # The copy of a read-only folder is read-only too: open every folder up, top down, so
    # that rmtree can empty them.
    _open_up(dir_fd, name)
    shutil.rmtree(name, dir_fd=dir_fd, ignore_errors=True)


def _open_up(dir_fd: int, name: str) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(name, safefs.DIR_FLAGS, dir_fd=dir_fd)
        try:
            os.fchmod(fd, 0o700)
            with os.scandir(fd) as it:
                folders = [e.name for e in it if e.is_dir(follow_symlinks=False)]
            for folder in folders:
                _open_up(fd, folder)
        finally:
            os.close(fd)


def _remove_copied(parent_fd: int, copied: _Copied) -> None:
    """Delete from the source what was copied, and only that: an entry replaced or added
    since the copy stays where it is. Failures leave a duplicate, never a loss."""
    try:
        st = os.stat(copied.name, dir_fd=parent_fd, follow_symlinks=False)
    except OSError:
        return
    if (st.st_dev, st.st_ino) != (copied.st.st_dev, copied.st.st_ino):
        return
    if not stat.S_ISDIR(st.st_mode):
        if stat.S_ISREG(st.st_mode) and (st.st_size, st.st_mtime_ns) != (
            copied.st.st_size,
            copied.st.st_mtime_ns,
        ):
            return
        with contextlib.suppress(OSError):
            os.unlink(copied.name, dir_fd=parent_fd)
        return
    try:
        fd = os.open(copied.name, safefs.DIR_FLAGS, dir_fd=parent_fd)
    except OSError:
        return
    try:
        st = os.fstat(fd)
        if st.st_ino != copied.st.st_ino:
            return
        if copied.children and not st.st_mode & stat.S_IWUSR and st.st_uid == os.geteuid():
            # A read-only folder (as unpacked archives often have) is going anyway, and its
            # copy in the home keeps the read-only mode.
            with contextlib.suppress(OSError):
                os.fchmod(fd, stat.S_IMODE(st.st_mode) | stat.S_IWUSR)
        for child in copied.children:
            _remove_copied(fd, child)
    finally:
        os.close(fd)
    with contextlib.suppress(OSError):
        os.rmdir(copied.name, dir_fd=parent_fd)


# --- wording --------------------------------------------------------------------------------


def _kind(mode: int) -> str:
    if stat.S_ISSOCK(mode):
        return "socket"
    if stat.S_ISFIFO(mode):
        return "named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    return "special file"
