"""The areas of the lake a user works in, as the admin configured them, and the rules that
follow from them: which area a request names, which keys lie inside it, what the extension
lets the user do there, and how S3's own refusal is said to the user.

S3's policy for the user's identity is the first line of isolation; the rights here are the
second, and they decide what the UI offers. When the two disagree, S3 wins, and its
AccessDenied becomes a 403 that names the area and the action rather than a 503 that says
the lake is down.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from ..config import Area, Settings
from ..errors import LakeError, Refused
from .keys import check_key

# The verbs of denied_message(): what the user was doing, as the message says it.
VERBS = {"list": "list", "read": "read", "write": "write to", "delete": "delete in"}


def get(settings: Settings, area_id: object) -> Area | None:
    """The configured area with this id, if there is one."""
    return next((area for area in settings.areas if area.id == area_id), None)


def find(settings: Settings, area_id: object) -> Area:
    """The configured area with this id; 400 naming the areas there are."""
    area = get(settings, area_id)
    if area is not None:
        return area
    names = ", ".join(a.id for a in settings.areas)
    raise Refused(400, f"There is no area {area_id!r} here; the areas are {names}.")


def key_in(area: Area, key: object) -> str:
    """A full key asked for by the browser, which must lie inside the area."""
    if not isinstance(key, str) or not key.startswith(area.prefix) or key == area.prefix:
        raise Refused(
            403,
            f"{key!r} is not in the {area.title} area ({area.prefix}); only your areas can be used.",
        )
    check_key(key, key)
    if any(part in (".", "..") for part in key[len(area.prefix) :].split("/")):
        raise Refused(400, f"{key!r} contains '.' or '..' as a folder name.")
    return key


def require_write(area: Area) -> None:
    if not area.write:
        raise Refused(
            403, f"{area.title} ({area.prefix}) is read-only here; nothing was written there."
        )


def require_delete(area: Area) -> None:
    if area.delete == "none":
        raise Refused(403, f"Nothing can be deleted in {area.title} ({area.prefix}) from here.")


def denied_message(area: Area, verb: str) -> str:
    return (
        f"Your data lake account may not {VERBS[verb]} {area.prefix} ({area.uri}). "
        "Ask your hub admin if you need to."
    )


@contextlib.contextmanager
def acting(area: Area, verb: str) -> Iterator[None]:
    """S3 refusing the user's identity inside the block is a 403 naming the area and verb."""
    try:
        yield
    except LakeError as err:
        if err.denied:
            raise Refused(403, denied_message(area, verb)) from err
        raise
