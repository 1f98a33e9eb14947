"""Whether the lake can be used, area by area, asked only in ways a least-privilege policy
allows.

A HeadBucket (the obvious probe) is refused by the usual per-user policy, which grants
ListBucket only under the user's prefixes: it told working users that nothing worked. So each
area is probed on its own: a ListObjectsV2 of one key under its prefix says whether it can be
read, and starting a multipart upload there (aborted at once; no object is made) whether it
can be written. The write probe costs two requests and leaves an open upload for a moment,
so its answer is kept for a while; the read probe is one request and runs on every status.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from typing import Any

from ..config import Area, Settings
from ..errors import Connection, LakeError, Refused
from . import areas as rules
from .client import Lake

log = logging.getLogger(__name__)

# Seconds a write probe's answer is kept; a policy rarely changes while a server runs.
WRITE_TTL = 600.0
# The key a write probe opens an upload at; nothing is ever stored under it.
PROBE_NAME = ".datalake-write-check"


class Prober:
    def __init__(self, settings: Settings, lake: Lake):
        self.settings = settings
        self.lake = lake
        self._writes: dict[str, tuple[float, dict[str, str]]] = {}
        self._lock = threading.Lock()

    async def check(self) -> tuple[Connection, list[dict[str, Any]]]:
        """The connection as a whole and each area's rights, as /datalake/status says them."""
        # The first look may run a credential_process or ask a container endpoint: off the loop.
        unusable = await self.lake.run(self.lake.check_configured)
        if unusable:
            return unusable, [
                self._area(a, _unchecked(), _unchecked()) for a in self.settings.areas
            ]
        results = await asyncio.gather(
            *(self.lake.run(self._probe, area) for area in self.settings.areas)
        )
        failures = [failure for _, _, failure in results if failure is not None]
        listed = [
            self._area(area, read, write)
            for area, (read, write, _) in zip(self.settings.areas, results)
        ]
        if failures:
            # Not the policy but the lake, the credentials or the bucket: that is the news.
            return failures[0], listed
        readable = [a for a in listed if a["read"]["state"] == "ok"]
        if not readable:
            return (
                Connection(
                    "access-denied",
                    "Your data lake account may read none of the areas "
                    f"({', '.join(a.prefix for a in self.settings.areas)}).",
                    "Ask your hub admin to grant your S3 identity access to your areas.",
                ),
                listed,
            )
        writable = sum(1 for a in listed if a["write"]["state"] == "ok")
        return (
            Connection(
                "ok",
                f"Connected to bucket {self.settings.bucket}: {len(readable)} of {len(listed)} "
                f"areas readable, {writable} writable.",
            ),
            listed,
        )

    def require_write(self, area: Area) -> None:
        """403 at once when the last write probe found S3 refusing writes there: the user
        learns it when asking, not when the transfer fails in the background."""
        with self._lock:
            known = self._writes.get(area.id)
        if known and time.monotonic() - known[0] < WRITE_TTL and known[1]["state"] == "refused":
            raise Refused(403, known[1]["message"])

    def _probe(self, area: Area) -> tuple[dict, dict, Connection | None]:
        try:
            self.lake.translated(
                self.lake.client.list_objects_v2, Bucket=area.bucket, Prefix=area.prefix, MaxKeys=1
            )
            read = _state("ok")
        except LakeError as err:
            if not err.denied:
                return _unchecked(), _unchecked(), err.connection
            read = _state("refused", rules.denied_message(area, "list"))
        if not area.write:
            return read, _state("not-allowed", f"{area.title} is read-only here."), None
        try:
            return read, self._write_state(area), None
        except LakeError as err:
            return read, _unchecked(), err.connection

    def _write_state(self, area: Area) -> dict[str, str]:
        with self._lock:
            known = self._writes.get(area.id)
        if known and time.monotonic() - known[0] < WRITE_TTL:
            return known[1]
        key = area.prefix + PROBE_NAME
        client = self.lake.client
        try:
            upload = self.lake.translated(
                client.create_multipart_upload, Bucket=area.bucket, Key=key
            )["UploadId"]
        except LakeError as err:
            if not err.denied:
                raise
            state = _state("refused", rules.denied_message(area, "write"))
        else:
            state = _state("ok")
            try:
                self.lake.translated(
                    client.abort_multipart_upload, Bucket=area.bucket, Key=key, UploadId=upload
                )
            except LakeError as err:
                log.warning("jupyterlab-datalake: the write check at %s stays open: %s", key, err)
        with self._lock:
            self._writes[area.id] = (time.monotonic(), state)
        return state

    def _area(self, area: Area, read: dict, write: dict) -> dict[str, Any]:
        return {
            "id": area.id,
            "title": area.title,
            "bucket": area.bucket,
            "prefix": area.prefix,
            "uri": area.uri,
            "read": read,
            "write": write,
            "delete": area.delete,
        }


def _state(state: str, message: str = "") -> dict[str, str]:
    return {"state": state, "message": message}


def _unchecked() -> dict[str, str]:
    return _state("unchecked")
