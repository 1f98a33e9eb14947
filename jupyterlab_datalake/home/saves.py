"""What the extension does around saves through the Contents API.

- Before and after each save, and each checkpoint, the usage figure is adjusted by what the
  write changed: the file, its folder, the checkpoint and the checkpoints folder.
- A save that fails because the disk or the quota is full reaches the browser as
  ``507 Insufficient Storage`` with a message that says so, instead of jupyter_server's generic
  ``500 Unexpected error while saving file``, and the failure is remembered so that the
  frontend can explain it.
- Such a save leaves home as it was. Over an existing file jupyter_server restores its backup
  copy; a new file, though, it leaves half-written, filling the disk to the last byte, so here
  a file that did not exist before the save is removed again (through `safefs`, so that a link
  swapped into the path cannot make that removal hit anything else).
"""

from __future__ import annotations

import contextlib
import errno
import functools
import inspect
import os
import stat

from jupyter_server.utils import ensure_async
from tornado.web import HTTPError

from .. import safefs
from ..errors import Refused
from .usage import UsageMonitor

_FULL_ERRNOS = {errno.ENOSPC, errno.EDQUOT}
_FULL_MESSAGES = ("No space left on device", "Disk quota exceeded")


def disk_full_cause(error: BaseException) -> OSError | None:
    """The ENOSPC or EDQUOT error behind an exception, following its chain of causes."""
    seen = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if isinstance(error, OSError) and error.errno in _FULL_ERRNOS:
            return error
        error = error.__cause__ or error.__context__
    return None


def is_disk_full(error: BaseException) -> bool:
    if disk_full_cause(error) is not None:
        return True
    text = str(getattr(error, "log_message", "") or error)
    return any(message in text for message in _FULL_MESSAGES)


def watch_saves(contents_manager, usage: UsageMonitor) -> None:
    def before_save(model, path, contents_manager, **kwargs):
        os_path = contents_manager._get_os_path(path)
        # The file, the folder an atomic write's temporary file goes into, and the checkpoint
        # a first save of a notebook makes.
        paths = [os_path, os.path.dirname(os_path), *checkpoint_paths(contents_manager, path)]
        usage.before_write(_save_key(os_path), paths)

    def after_save(model, os_path, contents_manager, **kwargs):
        usage.after_write(_save_key(os_path))

    # Supported hooks where jupyter_server has them: before and after a save that succeeds.
    contents_manager.register_pre_save_hook(before_save)
    contents_manager.register_post_save_hook(after_save)
    patch_save(contents_manager, usage)
    patch_create_checkpoint(contents_manager, usage)


def _save_key(os_path: str) -> tuple[str, str]:
    """How the usage monitor tells a save's measurements from a checkpoint's."""
    return ("save", os_path)


# FileCheckpoints keeps one checkpoint per file, always under this id.
CHECKPOINT_ID = "checkpoint"


def checkpoint_paths(contents_manager, path: str) -> list[str]:
    """The folder and the file where jupyter_server's FileCheckpoints (and its async and
    generic kinds, the default) keep the checkpoint of ``path``; none for other checkpoints.
    Worked out here as their ``checkpoint_path`` does, because that one creates the folder."""
    checkpoints = getattr(contents_manager, "checkpoints", None)
    folder_name = getattr(checkpoints, "checkpoint_dir", None)
    root = getattr(checkpoints, "root_dir", None)
    if not isinstance(folder_name, str) or not isinstance(root, str):
        return []
    parent, _, name = path.strip("/").rpartition("/")
    base, ext = os.path.splitext(name)
    folder = os.path.join(os.path.abspath(root), *filter(None, parent.split("/")), folder_name)
    return [folder, os.path.join(folder, f"{base}-{CHECKPOINT_ID}{ext}")]


# The parameters of ContentsManager.save that the wrapper below takes and passes on, as in
# jupyter_server 2; tests/home/test_saves.py fails when the core signature no longer matches.
SAVE_PARAMETERS = ("model", "path")


def patch_save(contents_manager, usage: UsageMonitor) -> None:
    """The extension's patch of ``save``: jupyter_server has no hook for a save that fails, so
    ``contents_manager.save`` is wrapped here, and only here, to answer a full disk with a
    507 and to remove a new file that was left half-written."""
    original = contents_manager.save

    @functools.wraps(original)
    async def save(model, path=""):
        entry = _entry(contents_manager, path)
        new = entry is not None and _absent(*entry)
        try:
            return await ensure_async(original(model, path))
        except Exception as error:
            full = is_disk_full(error)
            if full and new:
                _remove_partial(*entry)
            _measure_failed(contents_manager, usage, path)
            if not full:
                raise
            cause = disk_full_cause(error)
            reason = (
                "Disk quota exceeded"
                if cause and cause.errno == errno.EDQUOT
                else ("No space left on device")
            )
            usage.save_failed(path.strip("/"), reason)
            kept = "nothing of it was left on disk" if new else "the file on disk is unchanged"
            raise HTTPError(
                507,
                f"{reason}: {path.strip('/')} was not saved, and {kept}. Free space in your "
                "home, then save again.",
                reason="Insufficient Storage",
            ) from error

    contents_manager.save = save


# The parameters of ContentsManager.create_checkpoint that the wrapper below passes on, as in
# jupyter_server 2; tests/home/test_save_counting.py fails when the core signature changes.
CHECKPOINT_PARAMETERS = ("path",)


def patch_create_checkpoint(contents_manager, usage: UsageMonitor) -> None:
    """The other patch, for the same lack of a hook: JupyterLab writes the checkpoint with
    every Ctrl+S (POST .../checkpoints right after the save), through
    ``contents_manager.create_checkpoint``, which no save hook sees. The wrapper measures the
    checkpoint, its folder and the folder that holds it before and after. It keeps the method
    sync or async as it was, since the core's own save calls it that way."""
    original = contents_manager.create_checkpoint

    def before(path: str) -> object:
        key = object()
        paths = checkpoint_paths(contents_manager, path)
        if paths:
            # The folder that holds the checkpoints folder grows by it on the first checkpoint.
            paths.insert(0, os.path.dirname(paths[0]))
        usage.before_write(key, paths)
        return key

    if inspect.iscoroutinefunction(original):

        @functools.wraps(original)
        async def create_checkpoint(path):
            key = before(path)
            try:
                return await original(path)
            finally:
                # Also after a failure: whatever it left on disk is measured.
                usage.after_write(key)

    else:

        @functools.wraps(original)
        def create_checkpoint(path):
            key = before(path)
            try:
                return original(path)
            finally:
                usage.after_write(key)

    contents_manager.create_checkpoint = create_checkpoint


def _measure_failed(contents_manager, usage: UsageMonitor, path: str) -> None:
    """A failed save gets no post-save hook: measure what it left (usually nothing, once the
    backup is back or the partial file gone), which also ends its measurement. Not done after
    a save that succeeds: a chunked upload runs its pre-save hook at the first chunk and its
    post-save hook at the last."""
    with contextlib.suppress(HTTPError, ValueError):
        usage.after_write(_save_key(contents_manager._get_os_path(path.strip("/"))))


def _entry(contents_manager, path: str) -> tuple[str, list[str]] | None:
    """The folder a save's path is below (the file browser's root) and the path's components;
    None for a path the contents manager refuses anyway."""
    root = os.path.abspath(contents_manager.root_dir)
    try:
        os_path = contents_manager._get_os_path(path.strip("/"))
        names = safefs.parts(os.path.abspath(os_path), root)
    except (HTTPError, ValueError):
        return None
    return (os.path.realpath(root), names) if names else None


def _absent(root: str, names: list[str]) -> bool:
    """Whether nothing is at the path yet. Anything unclear (a link on the way, an unreadable
    folder) counts as present, so that a failed save never removes what it did not create."""
    try:
        return safefs.lstat_at(root, names) is None
    except (Refused, OSError):
        return False


def _remove_partial(root: str, names: list[str]) -> None:
    with contextlib.suppress(Refused, OSError), safefs.folder(root, names[:-1]) as dir_fd:
        st = safefs.lstat(dir_fd, names[-1])
        if st is not None and stat.S_ISREG(st.st_mode):
            safefs.unlink(dir_fd, names[-1])
