"""Transfers between home and the data lake, run inside the Jupyter server.

A transfer is planned on the request (sources checked, keys computed, clashes found), then run
on a thread of its own while the event loop goes on serving. The manager is the queue and the
run loop: it runs each item through its direction (upload.py, download.py; browser.py for
files from the user's computer; copy.py for copies and moves inside the lake) and turns whatever stops it into the transfer's state. The
directions see it only as their TransferHost (host.py), so none of them imports it back.

The list of transfers is kept in a journal file in home, so that it survives a browser reload
and a server restart; multipart uploads are journaled while they are open, so that those a
restart or an outage interrupted are aborted later rather than left as invisible parts that
the bucket keeps paying for. Each server owns its journal (journal.py) and, at start-up,
cleans up only the journals of servers that are gone, never those of one still running.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from ..config import Settings
from ..errors import LakeError, Refused
from ..lake import areas, multipart
from ..lake.client import Lake
from ..lake.objects import Objects
from .bandwidth import Bandwidth
from .browser import BrowserUploads
from .copy import DIRECTIONS as COPIES
from .copy import Copier
from .copy_planning import CopyPlanner
from .download import Downloader
from .journal import Journal
from .planning import UploadPlanner
from .records import (
    ACTIVE,
    BROWSER_STOPPED,
    STOPPED,
    Item,
    Stop,
    Transfer,
)
from .threads import background
from .upload import Uploader

log = logging.getLogger(__name__)

# Finished transfers kept in the list, newest first.
KEEP_FINISHED = 200


# ----- the manager ------------------------------------------------------------------------


class TransferManager:
    def __init__(
        self,
        settings: Settings,
        lake: Lake,
        contents_root: str | None = None,
        used: Callable[[], int | None] | None = None,
        home_changed: Callable[[], None] | None = None,
    ):
        """``used`` gives home's used bytes for a download's quota check (None: unknown),
        ``home_changed`` is called once a download changed home."""
        self.settings = settings
        self.lake = lake
        self.root = os.path.realpath(contents_root or settings.home_dir)
        self.home = os.path.realpath(settings.home_dir)
        self.bandwidth = Bandwidth(settings.transfer_bandwidth)
        self.lock = threading.RLock()
        self.journal = Journal(settings.state_dir, settings.home_dir, self.lock)
        self._transfers: dict[str, Transfer] = {}
        # Multipart uploads whose abort failed: retried at start-up and on every retry.
        self._orphans: list[dict[str, str]] = []
        self._runner = ThreadPoolExecutor(
            max_workers=2, thread_name_prefix="datalake-transfer", initializer=background
        )
        self._parts = ThreadPoolExecutor(
            max_workers=2 * settings.transfer_concurrency,
            thread_name_prefix="datalake-part",
            initializer=background,
        )
        self._stopping = False
        self.downloads = Downloader(self, used, home_changed)
        self.planner = UploadPlanner(
            settings, lake, self.root, self.home, self.downloads.shown_home
        )
        self.uploads = Uploader(self, self.planner.root_of, self._parts)
        self.browser = BrowserUploads(self)
        objects = Objects(settings, lake)
        self.copies = Copier(self, objects)
        self.copy_planner = CopyPlanner(settings, lake, objects)
        self._load()
        # The pools' threads are joined when the interpreter exits: without this, stopping the
        # server would wait for a large upload to finish.
        register = getattr(threading, "_register_atexit", None)
        if register is not None:
            register(self.shutdown)

    # ----- journal --------------------------------------------------------------------------

    def _load(self) -> None:
        # Only journals that no live server owns: a second server on the same home must leave
        # the first one's running transfers alone.
        for path, data in self.journal.claim():
            try:
                transfers = [Transfer.from_journal(t) for t in data.get("transfers", [])]
                orphans = list(data.get("orphans", []))
            except (TypeError, KeyError, AttributeError) as err:
                log.warning("jupyterlab-datalake: ignoring unreadable %s: %s", path, err)
                continue
            self._orphans.extend(o for o in orphans if o not in self._orphans)
            for t in transfers:
                if t.state in ACTIVE:
                    # The thread that ran it died with its server; its open upload is aborted.
                    t.state = "failed"
                    t.message = STOPPED if t.origin == "home" else BROWSER_STOPPED
                    t.finished = time.time()
                for item in t.items:
                    self.downloads.clean_up(item)
                    if item.state in ACTIVE:
                        item.state, item.done = "queued", 0
                    if item.upload_id:
                        orphan = {
                            "bucket": t.bucket,
                            "key": item.destination,
                            "upload_id": item.upload_id,
                        }
                        self._orphans.append(orphan)
                        item.upload_id = None
                self._transfers[t.id] = t
        self._trim()
        if self._orphans:
            self._runner.submit(self._abort_orphans)
        self.write_journal()

    def write_journal(self, force: bool = True) -> None:
        self.journal.write(
            lambda: {
                "transfers": [t.journal() for t in self._transfers.values()],
                "orphans": list(self._orphans),
            },
            force,
        )

    # ----- queries --------------------------------------------------------------------------

    def list(self) -> list[dict[str, Any]]:
        with self.lock:
            transfers = sorted(self._transfers.values(), key=lambda t: t.created, reverse=True)
            return [t.public() for t in transfers]

    def get(self, transfer_id: str) -> dict[str, Any]:
        with self.lock:
            return self.find(transfer_id).public(items=True)

    def find(self, transfer_id: str) -> Transfer:
        transfer = self._transfers.get(transfer_id)
        if transfer is None:
            raise Refused(404, f"There is no transfer {transfer_id}.")
        return transfer

    # ----- planning -------------------------------------------------------------------------

    def plan(self, sources: list[str], area: str, prefix: str, conflict: str) -> Transfer:
        """Check every source and compute every key, asking S3 which exist; starts nothing."""
        return self.planner.plan(sources, area, prefix, conflict)

    def exists(self, key: str, bucket: str) -> bool:
        return self.lake.exists(key, bucket)

    def plan_json(self, transfer: Transfer) -> dict[str, Any]:
        public = transfer.public(items=True)
        return {
            "direction": transfer.direction,
            "area": transfer.area,
            "prefix": transfer.prefix,
            "bucket": transfer.bucket,
            "items": public["items"],
            "conflicts": [i.destination for i in transfer.items if i.exists],
            "bytes_total": public["bytes_total"],
            "files_total": public["files_total"],
            "destination": transfer.destination,
            "uri": transfer.uri,
        }

    # ----- control --------------------------------------------------------------------------

    def refuse_clashes(self, transfer: Transfer) -> None:
        """A 409 with the plan when the user is still to be asked about existing destinations,
        so that the UI can ask what to do; nothing otherwise."""
        if transfer.conflict == "ask" and any(i.exists for i in transfer.items):
            clashes = [i.destination for i in transfer.items if i.exists]
            raise Refused(
                409,
                f"{len(clashes)} destination(s) exist already, such as {clashes[0]}; "
                "choose to overwrite, keep both or skip them.",
                plan=self.plan_json(transfer),
            )

    def start(self, transfer: Transfer) -> dict[str, Any]:
        self.refuse_clashes(transfer)
        self.register(transfer)
        self._runner.submit(self._run, transfer)
        return transfer.public(items=True)

    def register(self, transfer: Transfer) -> None:
        with self.lock:
            self._transfers[transfer.id] = transfer
            self._trim()
        self.write_journal()

    def cancel_or_remove(self, transfer_id: str) -> dict[str, Any] | None:
        """Cancel an active transfer (its state turns to cancelled once its open upload is
        aborted); remove a finished one from the list."""
        with self.lock:
            transfer = self.find(transfer_id)
            if transfer.state in ACTIVE:
                transfer.cancel.set()
                if transfer.origin == "browser":
                    self.browser.cancel(transfer, "Cancelled; nothing partial was left.")
                elif transfer.state == "queued":
                    self.finish(transfer, "cancelled", "Cancelled before it started.")
                return transfer.public()
            del self._transfers[transfer_id]
        self.write_journal()
        return None

    def clear(self) -> int:
        with self.lock:
            gone = [k for k, t in self._transfers.items() if t.state not in ACTIVE]
            for k in gone:
                del self._transfers[k]
        self.write_journal()
        return len(gone)

    def retry(self, transfer_id: str) -> dict[str, Any]:
        with self.lock:
            transfer = self.find(transfer_id)
            if transfer.origin == "browser":
                raise Refused(
                    409, "A file from your computer can only be sent again from your computer."
                )
            if transfer.state not in ("failed", "cancelled"):
                raise Refused(
                    409,
                    f"Only a failed or cancelled transfer can be retried; it is {transfer.state}.",
                )
            transfer.state, transfer.message, transfer.finished = "queued", None, None
            transfer.cancel = threading.Event()
            transfer.samples.clear()
            for item in transfer.items:
                if item.state in ("failed", "cancelled", "running"):
                    item.state, item.done, item.message = "queued", 0, None
        self.write_journal()
        self._runner.submit(self._run, transfer)
        return transfer.public(items=True)

    def _trim(self) -> None:
        finished = sorted(
            (t for t in self._transfers.values() if t.state not in ACTIVE),
            key=lambda t: t.created,
            reverse=True,
        )
        for t in finished[KEEP_FINISHED:]:
            del self._transfers[t.id]

    def finish(self, transfer: Transfer, state: str, message: str | None) -> None:
        with self.lock:
            transfer.state, transfer.message = state, message
            transfer.finished = time.time()
        self.write_journal()

    # ----- running --------------------------------------------------------------------------

    def _run(self, transfer: Transfer) -> None:
        if transfer.cancel.is_set() or transfer.state != "queued":
            return
        with self.lock:
            transfer.state, transfer.started = "running", time.time()
        self._abort_orphans()
        transfer.sample()
        for item in transfer.items:
            if item.state != "queued":
                continue
            try:
                item.state = "running"
                if transfer.direction == "download":
                    self.downloads.run(transfer, item)
                elif transfer.direction in COPIES:
                    self.copies.run(transfer, item)
                else:
                    self.uploads.run(transfer, item)
                item.state = "done"
                self.write_journal(force=False)
            except Stop as stop:
                state, message = stop.state, str(stop)
                if self._stopping:
                    state, message = "failed", STOPPED
                item.state, item.message = state, message
                self.finish(transfer, state, message)
                return
            except LakeError as err:
                message = f"{item.source}: {err.connection.message} {err.connection.hint}"
                area = areas.get(self.settings, transfer.area)
                if area is not None and err.denied:
                    # The user's S3 policy, not the lake, refused: say which area and what.
                    verb = "read" if transfer.direction == "download" else "write"
                    message = f"{item.source}: {areas.denied_message(area, verb)}"
                item.state, item.message = "failed", message.strip()
                self.finish(transfer, "failed", item.message)
                return
            except OSError as err:
                item.state = "failed"
                verb = "written" if transfer.direction == "download" else "read"
                item.message = f"{item.source} could not be {verb}: {err.strerror or err}."
                self.finish(transfer, "failed", item.message)
                return
            except Exception as err:  # a transfer must end in a state, whatever went wrong
                log.exception("jupyterlab-datalake: transfer %s failed", transfer.id)
                item.state, item.message = "failed", f"{item.source}: unexpected error: {err}"
                self.finish(transfer, "failed", item.message)
                return
        # A move deletes its sources once all are copied; what stops that is its end.
        end = self.copies.finish(transfer) if transfer.direction in COPIES else ("done", None)
        self.finish(transfer, *end)

    # ----- the steps every upload into the lake shares (TransferHost) ------------------------
    # Browser uploads reach the Uploader's steps through the manager, their host.

    def create_upload(self, bucket: str, key: str, meta: dict[str, str], content_type: str) -> str:
        """Open a multipart upload; its id must be journaled before any part is sent."""
        return self.uploads.create_upload(bucket, key, meta, content_type)

    def send_part(self, transfer, item, number, data, digest) -> None:
        self.uploads.send_part(transfer, item, number, data, digest)

    def complete_upload(self, transfer: Transfer, item: Item, md5s: list[bytes]) -> None:
        self.uploads.complete_upload(transfer, item, md5s)

    def write_sha(self, transfer, item, md5s, meta, sha) -> None:
        self.uploads.write_sha(transfer, item, md5s, meta, sha)

    def verify(self, bucket: str, item: Item, size: int, etag: str | None, sha: str | None) -> None:
        found = multipart.problems(self.lake, bucket, item.destination, size, etag, sha)
        if found:
            raise Stop(
                "failed",
                f"{item.source} reached the data lake damaged ({'; '.join(found)}). "
                "Retry to send it again.",
            )

    def abort(self, bucket: str, key: str, item: Item) -> None:
        upload_id = item.upload_id
        if not upload_id:
            return
        err = multipart.abort(self.lake, bucket, key, upload_id)
        if err is not None:
            log.warning("jupyterlab-datalake: abort of %s failed, kept for later: %s", key, err)
            with self.lock:
                self._orphans.append({"bucket": bucket, "key": key, "upload_id": upload_id})
        with self.lock:
            item.upload_id = None
        self.write_journal()

    def _abort_orphans(self) -> None:
        with self.lock:
            orphans, self._orphans = self._orphans, []
        kept = [
            orphan
            for orphan in orphans
            if multipart.abort(
                self.lake,
                orphan.get("bucket") or self.settings.bucket,  # journals before areas had none
                orphan["key"],
                orphan["upload_id"],
            )
        ]
        with self.lock:
            self._orphans.extend(kept)
        if orphans:
            self.write_journal()

    def shutdown(self) -> None:
        """Stop at the next part, aborting open uploads, and record running transfers as
        interrupted by the stop, so that they can be retried after the restart."""
        self._stopping = True
        with self.lock:
            for t in self._transfers.values():
                t.cancel.set()
                if t.state == "queued":
                    t.state, t.message, t.finished = "failed", STOPPED, time.time()
        self.write_journal()
        self._runner.shutdown(wait=False, cancel_futures=True)
        self._parts.shutdown(wait=False, cancel_futures=True)


# ----- helpers ----------------------------------------------------------------------------


__all__ = ["Transfer", "TransferManager"]
