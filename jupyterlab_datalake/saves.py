"""What the extension does around saves through the Contents API.

- Before and after each save, the usage figure is adjusted by the file's size change.
- A save that fails because the disk or the quota is full reaches the browser as
  ``507 Insufficient Storage`` with a message that says so, instead of jupyter_server's generic
  ``500 Unexpected error while saving file``, and the failure is remembered so that the
  frontend can explain it. The file on disk is left as it was: jupyter_server writes to a
  temporary file and replaces the original only once the write succeeded.
"""

from __future__ import annotations

import errno
import functools

from jupyter_server.utils import ensure_async
from tornado.web import HTTPError

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
        usage.before_save(contents_manager._get_os_path(path))

    def after_save(model, os_path, contents_manager, **kwargs):
        usage.after_save(os_path)

    contents_manager.register_pre_save_hook(before_save)
    contents_manager.register_post_save_hook(after_save)

    original = contents_manager.save

    @functools.wraps(original)
    async def save(model, path=""):
        try:
            return await ensure_async(original(model, path))
        except Exception as error:
            if not is_disk_full(error):
                raise
            cause = disk_full_cause(error)
            reason = (
                "Disk quota exceeded"
                if cause and cause.errno == errno.EDQUOT
                else ("No space left on device")
            )
            usage.save_failed(path.strip("/"), reason)
            raise HTTPError(
                507,
                f"{reason}: {path.strip('/')} was not saved, and the file on disk is "
                "unchanged. Free space in your home, then save again.",
                reason="Insufficient Storage",
            ) from error

    contents_manager.save = save
