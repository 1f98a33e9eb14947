"""Rules for the keys a user may write: sub-folders typed by hand, and names that S3 and the
tools reading the lake can hold. Which area a key lies in is lake/areas.py's rule."""

from __future__ import annotations

import mimetypes
import unicodedata

from ..errors import Refused

MAX_KEY_BYTES = 1024


def clean_prefix(prefix: str) -> str:
    """A sub-folder inside an area, as typed by a user: slashes at either end and doubled ones
    are forgiven; ``.`` and ``..`` are not, since S3 would keep them as literal names."""
    if not isinstance(prefix, str):
        raise Refused(400, "The sub-folder must be text.")
    parts = [p for p in prefix.strip().split("/") if p]
    for part in parts:
        if part in (".", ".."):
            raise Refused(
                400, f"The sub-folder {prefix!r} contains {part!r}; name the folder plainly."
            )
        check_name(part, "The sub-folder")
    return "/".join(parts)


def check_name(name: str, what: str) -> None:
    """Names S3 and the tools reading the lake cannot hold are refused, not mangled."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError as err:
        shown = name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
        raise Refused(
            400, f"{what} {shown!r} has a name that is not valid UTF-8; rename it first."
        ) from err
    if any(unicodedata.category(c) == "Cc" for c in name):
        raise Refused(400, f"{what} {name!r} has a control character in its name; rename it first.")


def check_key(key: str, source: str) -> None:
    check_name(key, "The destination of " + source)
    size = len(key.encode("utf-8"))
    if size > MAX_KEY_BYTES:
        raise Refused(
            400,
            f"{source} would become a key of {size} bytes; S3 keys hold at most "
            f"{MAX_KEY_BYTES}. Shorten the names or the sub-folder.",
        )


def content_type(key: str) -> str:
    """What an object's name says it holds, so that browsers and tools open it right."""
    return mimetypes.guess_type(key)[0] or "application/octet-stream"
