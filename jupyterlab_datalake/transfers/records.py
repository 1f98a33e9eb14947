"""What a transfer is: its files, its state and its progress, as listed to the browser and
kept in the journal. Uploads (manager.py, browser.py), downloads (download.py) and copies
and moves inside the lake (copy.py) share it."""

from __future__ import annotations

import collections
import secrets
import threading
import time
from dataclasses import asdict, dataclass, field
from typing import Any

from ..errors import Refused

# A plan lists every file; past this many, one transfer is the wrong tool.
MAX_FILES = 100_000
RATE_WINDOW = 5.0
ACTIVE = ("queued", "running")
STOPPED = (
    "The Jupyter server stopped while this transfer was running. Retry to send what is missing."
)
BROWSER_STOPPED = (
    "The Jupyter server stopped during this upload from your computer; upload the file again."
)
POLICIES = ("ask", "overwrite", "rename", "skip")


class Stop(Exception):
    """Raised inside a running file to end it: cancelled, or the source changed."""

    def __init__(self, state: str, message: str):
        super().__init__(message)
        self.state = state


@dataclass
class Item:
    """One file, or one empty folder's marker object, of a transfer."""

    source: str
    destination: str
    bytes: int
    path: str = ""  # the real path on disk
    done: int = 0
    state: str = "queued"  # queued | running | done | failed | cancelled | skipped
    message: str | None = None
    exists: bool = False
    marker: bool = False
    upload_id: str | None = None
    temp: str | None = None  # a download's file until it is complete
    # An upload's source as planned, [st_dev, st_ino]: a different file there is not sent.
    identity: list[int] | None = None
    # When its final checks began (time.time()): all bytes moved, what was written now being
    # checked. Compared with the transfer's `started`, so a retry's run starts unchecked.
    checking: float | None = None
    # In a plan that asks about clashes: where keeping both would put it (planning.py).
    renamed: str | None = None

    def begin_checks(self) -> None:
        """Say that the bytes have all moved and what they made is being checked: the
        transfer is then "verifying" rather than sending, with nothing left to cancel."""
        self.checking = time.time()

    def public(self) -> dict[str, Any]:
        return {
            k: getattr(self, k)
            for k in (
                "source",
                "destination",
                "bytes",
                "done",
                "state",
                "message",
                "exists",
                "renamed",
            )
        }


@dataclass
class Transfer:
    id: str
    direction: str
    area: str
    prefix: str
    sources: list[str]
    conflict: str
    bucket: str
    destination: str
    items: list[Item]
    state: str = "queued"
    message: str | None = None
    created: float = field(default_factory=time.time)
    started: float | None = None
    finished: float | None = None
    # "home" for files read from the server's disk; "browser" for files the browser sends
    # in parts from the user's computer, which only that browser tab can send again.
    origin: str = "home"
    # Who started it (the `uploader` recorded): with hub sharing, not always the owner.
    user: str = ""
    # Copies and moves inside the lake (copy.py): the area and bucket the sources are read
    # from; ``area`` and ``bucket`` are then the destination's.
    source_area: str = ""
    source_bucket: str = ""
    cancel: threading.Event = field(default_factory=threading.Event, repr=False)
    samples: collections.deque = field(default_factory=collections.deque, repr=False)

    @property
    def key(self) -> str:
        """The data lake end: the key or common prefix written, or the one key read."""
        if self.direction != "download":
            return self.destination
        return (
            self.sources[0] if len(self.sources) == 1 else self.sources[0].rsplit("/", 2)[0] + "/"
        )

    @property
    def uri(self) -> str:
        return f"s3a://{self.bucket}/{self.key}"

    def public(self, items: bool = False) -> dict[str, Any]:
        done = sum(i.done for i in self.items)
        total = sum(i.bytes for i in self.items if i.state != "skipped")
        rate = self._rate() if self.state == "running" else None
        verifying = self.verifying
        reply = {
            "id": self.id,
            "direction": self.direction,
            "origin": self.origin,
            "area": self.area,
            "prefix": self.prefix,
            "sources": self.sources,
            "conflict": self.conflict,
            "state": self.state,
            "verifying": verifying,
            "message": self.message,
            "bytes_total": total,
            "bytes_done": done,
            "files_total": sum(1 for i in self.items if not i.marker),
            "files_done": sum(1 for i in self.items if i.state == "done" and not i.marker),
            "files_skipped": sum(1 for i in self.items if i.state == "skipped"),
            "rate": None if verifying else rate,
            "eta": None if verifying or not rate else (total - done) / rate,
            "created": self.created,
            "started": self.started,
            "finished": self.finished,
            "bucket": self.bucket,
            "destination": self.destination,
            "uri": self.uri,
        }
        if self.source_area:
            reply["source_area"] = self.source_area
        if items:
            reply["items"] = [i.public() for i in self.items]
        return reply

    @property
    def verifying(self) -> bool:
        """Whether the running file's bytes have all moved and its final checks run (the
        S3 assembly, ETag and SHA-256 of an upload; the flush and SHA-256 of a download)."""
        since = self.started or 0.0
        return self.state == "running" and any(
            i.state == "running" and i.checking is not None and i.checking >= since
            for i in self.items
        )

    def _rate(self) -> float | None:
        if len(self.samples) < 2:
            return None
        (t0, b0), (t1, b1) = self.samples[0], self.samples[-1]
        return (b1 - b0) / (t1 - t0) if t1 > t0 else None

    def sample(self) -> None:
        now = time.monotonic()
        self.samples.append((now, sum(i.done for i in self.items)))
        while len(self.samples) > 2 and now - self.samples[0][0] > RATE_WINDOW:
            self.samples.popleft()

    def journal(self) -> dict[str, Any]:
        data = {
            k: getattr(self, k)
            for k in (
                "id",
                "direction",
                "area",
                "prefix",
                "sources",
                "conflict",
                "bucket",
                "destination",
                "state",
                "message",
                "created",
                "started",
                "finished",
                "origin",
                "user",
                "source_area",
                "source_bucket",
            )
        }
        data["items"] = [asdict(i) for i in self.items]
        return data

    @classmethod
    def from_journal(cls, data: dict[str, Any]) -> Transfer:
        items = [Item(**i) for i in data.pop("items")]
        return cls(items=items, **data)


def new_id() -> str:
    return secrets.token_hex(8)


def check_policy(conflict: str) -> None:
    if conflict not in POLICIES:
        raise Refused(
            400, f"The conflict policy must be one of {', '.join(POLICIES)}, not {conflict!r}."
        )
