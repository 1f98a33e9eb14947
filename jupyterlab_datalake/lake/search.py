"""Find by name in a folder and everything below it: a walk of ListObjectsV2 without a
delimiter, a step per request, so that the browser shows matches as they come and can stop.

Each request lists at most STEP objects (or stops at MATCHES matches) and hands back a cursor:
the last key looked at (ListObjectsV2's StartAfter, so a step may end in the middle of S3's
page) and how many objects were searched so far. The walk ends by itself after ``bound``
objects (at most MAX_SEARCHED), and says so, since a folder of millions is better narrowed.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from ..config import Settings
from ..errors import Refused
from . import areas
from .client import Lake
from .keys import clean_prefix

MAX_SEARCHED = 100_000  # objects one search looks at before it stops and says so
STEP = 5_000  # objects listed per request: a few ListObjectsV2 pages, well under a second
MATCHES = 200  # matches per request, at most
MAX_QUERY = 256


def _cursor(after: str, searched: int) -> str:
    raw = json.dumps({"after": after, "searched": searched}).encode()
    return base64.urlsafe_b64encode(raw).decode("ascii")


def _uncursor(cursor: str, key_prefix: str) -> tuple[str, int]:
    try:
        value = json.loads(base64.urlsafe_b64decode(cursor.encode("ascii")))
        after, searched = value["after"], value["searched"]
    except (ValueError, KeyError, TypeError, UnicodeEncodeError, binascii.Error) as err:
        raise Refused(400, "The search's cursor is not one this server gave.") from err
    if (
        not isinstance(after, str)
        or not after.startswith(key_prefix)
        or not isinstance(searched, int)
    ):
        raise Refused(400, "The search's cursor belongs to another folder; start again.")
    return after, max(0, searched)


def _matches(o: dict[str, Any], key_prefix: str, previous: str, needle: str) -> list[dict]:
    """What the object ``o`` adds to the matches: each folder on its way whose name matches,
    at the first key below that folder (keys come sorted, so a folder's keys are contiguous,
    and ``previous``, the key before, is below it unless this is the first: a folder without
    a marker object is found too, once), and the object itself unless it is a marker."""
    key = o["Key"]
    parts = key[len(key_prefix) :].split("/")
    found = []
    for depth in range(1, len(parts)):
        folder = key_prefix + "/".join(parts[:depth]) + "/"
        if not previous.startswith(folder) and needle in parts[depth - 1].casefold():
            found.append(_match(folder, parts[depth - 1], key_prefix, o if folder == key else None))
    if not key.endswith("/") and needle in parts[-1].casefold():
        found.append(_match(key, parts[-1], key_prefix, o))
    return found


def _match(key: str, name: str, key_prefix: str, o: dict[str, Any] | None) -> dict[str, Any]:
    """A match; a folder known only from the keys below it has no size or time of its own."""
    return {
        "key": key,
        "name": name,
        "path": key[len(key_prefix) :],
        "folder": key.endswith("/"),
        "size": o["Size"] if o else 0,
        "last_modified": o["LastModified"].timestamp() if o else 0,
        "etag": o.get("ETag", "").strip('"') if o else "",
    }


class Search:
    def __init__(self, settings: Settings, lake: Lake):
        self.settings = settings
        self.lake = lake

    def step(
        self,
        area: str,
        prefix: str,
        query: object,
        cursor: str | None = None,
        bound: int = MAX_SEARCHED,
    ) -> dict[str, Any]:
        """The next matches of ``query`` (a case-insensitive part of an object's name) under the
        folder, with the cursor of the step after, null at the end or at the bound."""
        if not isinstance(query, str) or not query.strip():
            raise Refused(400, "Say what to search for: a part of a name.")
        if len(query) > MAX_QUERY:
            raise Refused(400, f"Search for at most {MAX_QUERY} characters.")
        needle = query.strip().casefold()
        bound = max(1, min(bound, MAX_SEARCHED))
        where = areas.find(self.settings, area)
        folder = clean_prefix(prefix)
        key_prefix = where.prefix + (folder + "/" if folder else "")
        after, searched = _uncursor(cursor, key_prefix) if cursor else ("", 0)
        matches: list[dict[str, Any]] = []
        looked, done = 0, False
        with areas.acting(where, "list"):
            while looked < STEP and searched < bound and len(matches) < MATCHES:
                request = {
                    "Bucket": where.bucket,
                    "Prefix": key_prefix,
                    "MaxKeys": min(1000, STEP - looked, bound - searched),
                }
                if after:
                    request["StartAfter"] = after
                page = self.lake.translated(self.lake.client.list_objects_v2, **request)
                contents = page.get("Contents", [])
                for o in contents:
                    previous, after = after, o["Key"]
                    looked += 1
                    searched += 1
                    if o["Key"] != key_prefix:  # the folder's own marker is not in it
                        matches.extend(_matches(o, key_prefix, previous, needle))
                if not page.get("IsTruncated") or not contents:
                    done = True
                    break
        bounded = not done and searched >= bound
        return {
            "area": where.id,
            "prefix": folder,
            "key_prefix": key_prefix,
            "query": query.strip(),
            "matches": matches,
            "searched": searched,
            "bound": bound,
            "bounded": bounded,
            "next_cursor": None if done or bounded else _cursor(after, searched),
        }


__all__ = ["MAX_SEARCHED", "Search"]
