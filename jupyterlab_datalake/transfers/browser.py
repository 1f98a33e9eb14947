"""Uploads from the user's computer straight into the data lake, never touching home or its
quota: the browser sends the file in parts, one request each, and every part becomes an S3
UploadPart of the open multipart upload. The server holds one part at a time.

Parts must arrive in order, so that the SHA-256 of the whole file can be computed on the way
and stored in the metadata, as for uploads from home. A browser that stops sending (closed
tab, lost network) leaves an upload that a timer of the server aborts after BROWSER_IDLE
seconds, whether or not anyone looks at the list of transfers: open parts cost the bucket
space that no listing shows.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from ..errors import LakeError, Refused
from ..lake import areas, multipart
from ..lake.client import MAX_OBJECT_SIZE, part_size_for
from ..lake.keys import check_key, check_name, clean_prefix, content_type
from ..paths import candidates
from .host import TransferHost
from .records import Item, Stop, Transfer, check_policy, new_id

log = logging.getLogger(__name__)

BROWSER_IDLE = 120.0
ABANDONED = (
    "Your browser stopped sending this file (the tab was closed or reloaded, or the network "
    "dropped); nothing partial was left. Upload it again."
)


@dataclass
class _Open:
    """What the server keeps of a browser upload between two parts."""

    part_size: int
    sha: Any = field(default_factory=hashlib.sha256)
    md5s: list[bytes] = field(default_factory=list)
    last_seen: float = field(default_factory=time.monotonic)
    lock: threading.Lock = field(default_factory=threading.Lock)


class BrowserUploads:
    def __init__(self, manager: TransferHost):
        self.manager = manager
        self.settings = manager.settings
        self._open: dict[str, _Open] = {}
        self._sweeper: threading.Thread | None = None

    def plan(self, area: str, prefix: str, name: object, size: object, conflict: str) -> Transfer:
        check_policy(conflict)
        if not isinstance(name, str) or not name or "/" in name or name in (".", ".."):
            raise Refused(400, f"{name!r} is not a file name.")
        if not isinstance(size, int) or isinstance(size, bool) or size < 0:
            raise Refused(400, 'Expected "size": the size of the file in bytes.')
        if size > MAX_OBJECT_SIZE:
            raise Refused(
                400, f"{name} is larger than 5 TiB, the most one object in the data lake can hold."
            )
        check_name(name, "The file")
        folder = clean_prefix(prefix)
        where = areas.find(self.settings, area)
        areas.require_write(where)
        base = where.prefix + (folder + "/" if folder else "")
        key = base + name
        check_key(key, name)
        with areas.acting(where, "list"):
            item = Item(name, key, size, exists=self.manager.exists(key, where.bucket))
        if item.exists and conflict == "rename":
            for candidate in candidates(name, False):
                if not self.manager.exists(base + candidate, where.bucket):
                    break
            item.destination, item.exists = base + candidate, False
            check_key(item.destination, name)
        elif item.exists and conflict == "skip":
            item.state, item.message = "skipped", "Skipped: it exists in the data lake already."
        return Transfer(
            id=new_id(),
            direction="upload",
            area=area,
            prefix=folder,
            sources=[name],
            conflict=conflict,
            bucket=where.bucket,
            destination=item.destination,
            items=[item],
            origin="browser",
        )

    def start(self, transfer: Transfer) -> dict[str, Any]:
        """Open the multipart upload; the reply says how large each part must be."""
        item = transfer.items[0]
        self.manager.register(transfer)
        if item.state == "skipped":
            self.manager.finish(transfer, "done", None)
            return {**transfer.public(items=True), "part_size": None}
        part_size = part_size_for(item.bytes, self.settings.part_size)
        with areas.acting(areas.find(self.settings, transfer.area), "write"):
            upload_id = self.manager.create_upload(
                transfer.bucket,
                item.destination,
                self._metadata(transfer, item),
                content_type(item.destination),
            )
        with self.manager.lock:
            item.upload_id = upload_id
            item.state = transfer.state = "running"
            transfer.started = time.time()
            self._open[transfer.id] = _Open(part_size)
            self._watch()
        self.manager.write_journal()
        return {**transfer.public(items=True), "part_size": part_size}

    def _metadata(self, transfer: Transfer, item: Item) -> dict[str, str]:
        user = transfer.user or self.settings.username
        return multipart.metadata(user, item.source, origin="browser")

    def _running(self, transfer_id: str) -> tuple[Transfer, _Open]:
        transfer = self.manager.find(transfer_id)
        state = self._open.get(transfer_id)
        if transfer.origin != "browser" or state is None or transfer.state != "running":
            raise self._ended(transfer)
        return transfer, state

    @staticmethod
    def _ended(transfer: Transfer) -> Refused:
        state = "cancelled" if transfer.cancel.is_set() else transfer.state
        return Refused(409, f"The upload {transfer.id} is {state}; it takes no more parts.")

    def part(self, transfer_id: str, number: int, data: bytes) -> dict[str, Any]:
        transfer, state = self._running(transfer_id)
        item = transfer.items[0]
        with state.lock:
            expected = len(state.md5s) + 1
            if number != expected:
                raise Refused(409, f"Part {number} came out of order; part {expected} is next.")
            left = item.bytes - item.done
            if len(data) != min(state.part_size, left) or not data:
                raise Refused(
                    400,
                    f"Part {number} holds {len(data)} bytes; it must hold "
                    f"{min(state.part_size, left)}.",
                )
            state.last_seen = time.monotonic()
            digest = hashlib.md5(data).digest()
            try:
                self.manager.bandwidth.take(len(data), transfer.cancel)
                self.manager.send_part(transfer, item, number, data, digest)
            except (Stop, LakeError) as err:
                # A cancel that came while this part was on its way aborted the upload under
                # it: that is the answer, not the NoSuchUpload S3 then gives.
                if transfer.cancel.is_set():
                    raise self._ended(transfer) from err
                raise
            if transfer.cancel.is_set():
                raise self._ended(transfer)
            state.sha.update(data)
            state.md5s.append(digest)
        return transfer.public()

    def complete(self, transfer_id: str) -> dict[str, Any]:
        transfer, state = self._running(transfer_id)
        item = transfer.items[0]
        with state.lock:
            if item.done != item.bytes:
                raise Refused(
                    409, f"Only {item.done} of {item.bytes} bytes arrived; send the rest first."
                )
            try:
                meta = self._metadata(transfer, item)
                sha = state.sha.hexdigest()
                if not state.md5s:
                    # A multipart upload needs a part; an empty file is one plain PUT.
                    self._abort(transfer)
                    self.manager.lake.translated(
                        self.manager.lake.client.put_object,
                        Bucket=transfer.bucket,
                        Key=item.destination,
                        Body=b"",
                        ContentType=content_type(item.destination),
                        Metadata={**meta, "sha256": sha},
                    )
                    self.manager.verify(transfer.bucket, item, item.bytes, None, sha)
                else:
                    self.manager.complete_upload(transfer, item, state.md5s)
                    self.manager.write_sha(transfer, item, state.md5s, meta, sha)
            except Stop as stop:
                self._end(transfer, "failed", str(stop))
                raise Refused(502, str(stop)) from stop
            item.state = "done"
            self._end(transfer, "done", None)
        return transfer.public(items=True)

    def cancel(self, transfer: Transfer, message: str, state: str = "cancelled") -> None:
        """Abort the open upload; called on DELETE and for browsers that stopped sending."""
        self._abort(transfer)
        self._end(transfer, state, message)

    def _abort(self, transfer: Transfer) -> None:
        item = transfer.items[0]
        if item.upload_id:
            self.manager.abort(transfer.bucket, item.destination, item)

    def _end(self, transfer: Transfer, state: str, message: str | None) -> None:
        self._open.pop(transfer.id, None)
        if state != "done":
            transfer.items[0].state, transfer.items[0].message = state, message
        self.manager.finish(transfer, state, message)

    def abandoned(self) -> list[Transfer]:
        """Uploads whose browser has not sent a part for BROWSER_IDLE seconds."""
        now = time.monotonic()
        stale = [t for t, s in list(self._open.items()) if now - s.last_seen > BROWSER_IDLE]
        # Popped here, so that the next sweep does not hand them out again.
        return [self.manager.find(t) for t in stale if self._open.pop(t, None)]

    def _watch(self) -> None:
        """Start the sweeper with the first upload; it ends once none is open."""
        if self._sweeper is None or not self._sweeper.is_alive():
            self._sweeper = threading.Thread(
                target=self._sweep, name="datalake-browser-sweeper", daemon=True
            )
            self._sweeper.start()

    def _sweep(self) -> None:
        while True:
            # Read each time, so that the idle limit can be lowered (tests do).
            time.sleep(min(BROWSER_IDLE / 4, 30.0))
            for transfer in self.abandoned():
                try:
                    self.cancel(transfer, ABANDONED, "failed")
                except Exception:  # S3 down: the abort is journaled and retried later
                    log.warning(
                        "jupyterlab-datalake: abort of abandoned upload failed", exc_info=True
                    )
            with self.manager.lock:
                if not self._open:
                    self._sweeper = None
                    return


__all__ = ["BrowserUploads"]
