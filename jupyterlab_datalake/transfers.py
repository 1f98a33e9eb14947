"""Transfers from home to the data lake, run inside the Jupyter server.

A transfer is planned on the request (sources checked, keys computed, clashes found), then run
on a thread of its own while the event loop goes on serving. A file is read once, in order:
each part is hashed (SHA-256 of the whole content, MD5 of the part) as it is read and handed to
a small pool that sends it with UploadPart, so memory holds at most a few parts whatever the
file's size. S3 checks each part against its Content-MD5; afterwards HeadObject must show the
size and the multipart ETag (the MD5 of the parts' MD5s) computed here, and the SHA-256 is
written into the object's metadata.

The list of transfers is kept in a journal file in home, so that it survives a browser reload
and a server restart; multipart uploads are journaled while they are open, so that those a
restart or an outage interrupted are aborted later rather than left as invisible parts that
the bucket keeps paying for. Each server owns its journal (journal.py) and, at start-up,
cleans up only the journals of servers that are gone, never those of one still running.
"""

from __future__ import annotations

import base64
import collections
import contextlib
import hashlib
import logging
import os
import stat
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any
from urllib.parse import quote

from botocore.exceptions import BotoCoreError, ClientError

from . import safefs
from .browser_uploads import BrowserUploads
from .config import Settings
from .downloads import Downloader
from .journal import Journal
from .keys import Refused, area_prefix, check_key, check_name, clean_prefix, content_type
from .lake import Lake, LakeError, multipart_etag, part_size_for
from .paths import candidates, is_within, overlap
from .records import (
    ACTIVE,
    BROWSER_STOPPED,
    MAX_FILES,
    STOPPED,
    Item,
    Stop,
    Transfer,
    check_policy,
    new_id,
)

log = logging.getLogger(__name__)

# Above this, CopyObject refuses; the metadata is then written by a multipart copy.
COPY_LIMIT = 5 * 1024**3
COPY_PART = 1024**3
# Finished transfers kept in the list, newest first.
KEEP_FINISHED = 200


@dataclass
class _Source:
    asked: str
    path: str
    name: str
    is_dir: bool
    root: str  # the folder it is read from: home, or the watched place it lies in
    shown_root: str  # that folder as the user sees it
    st: os.stat_result  # as planned


class Bandwidth:
    """A limit shared by all transfers of the server, so an admin can keep one user's upload
    from saturating the lake's network."""

    def __init__(self, per_second: int | None):
        self.per_second = per_second
        self._next = time.monotonic()
        self._lock = threading.Lock()

    def take(self, n: int, cancel: threading.Event) -> None:
        if not self.per_second:
            return
        with self._lock:
            now = time.monotonic()
            start = max(self._next, now)
            self._next = start + n / self.per_second
        # Waiting on the event wakes a cancel at once rather than after the pause.
        if start > now and cancel.wait(start - now):
            raise Stop("cancelled", "Cancelled.")


# ----- the manager ------------------------------------------------------------------------


class TransferManager:
    def __init__(self, settings: Settings, lake: Lake, contents_root: str | None = None):
        self.settings = settings
        self.lake = lake
        self.root = os.path.realpath(contents_root or settings.home_dir)
        self.home = os.path.realpath(settings.home_dir)
        self.bandwidth = Bandwidth(settings.transfer_bandwidth)
        self._lock = threading.RLock()
        self.journal = Journal(settings.state_dir, settings.home_dir, self._lock)
        self._transfers: dict[str, Transfer] = {}
        # Multipart uploads whose abort failed: retried at start-up and on every retry.
        self._orphans: list[dict[str, str]] = []
        self._runner = ThreadPoolExecutor(max_workers=2, thread_name_prefix="datalake-transfer")
        self._parts = ThreadPoolExecutor(
            max_workers=2 * settings.transfer_concurrency, thread_name_prefix="datalake-part"
        )
        self._stopping = False
        self.downloads = Downloader(self)
        self.browser = BrowserUploads(self)
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
                        orphan = {"key": item.destination, "upload_id": item.upload_id}
                        self._orphans.append(orphan)
                        item.upload_id = None
                self._transfers[t.id] = t
        self._trim()
        if self._orphans:
            self._runner.submit(self._abort_orphans)
        self._write_journal()

    def _write_journal(self, force: bool = True) -> None:
        self.journal.write(
            lambda: {
                "transfers": [t.journal() for t in self._transfers.values()],
                "orphans": list(self._orphans),
            },
            force,
        )

    # ----- queries --------------------------------------------------------------------------

    def list(self) -> list[dict[str, Any]]:
        with self._lock:
            transfers = sorted(self._transfers.values(), key=lambda t: t.created, reverse=True)
            return [t.public() for t in transfers]

    def get(self, transfer_id: str) -> dict[str, Any]:
        with self._lock:
            return self._find(transfer_id).public(items=True)

    def _find(self, transfer_id: str) -> Transfer:
        transfer = self._transfers.get(transfer_id)
        if transfer is None:
            raise Refused(404, f"There is no transfer {transfer_id}.")
        return transfer

    # ----- planning -------------------------------------------------------------------------

    def plan(self, sources: list[str], area: str, prefix: str, conflict: str) -> Transfer:
        """Check every source and compute every key, asking S3 which exist; starts nothing."""
        check_policy(conflict)
        s = self.settings
        prefix = clean_prefix(prefix)
        base = area_prefix(s, area) + (prefix + "/" if prefix else "")
        checked = [self._check_source(src) for src in sources]
        _check_overlaps(checked)
        names = {}
        for src in checked:
            if src.name in names:
                raise Refused(
                    400,
                    f"{names[src.name]} and {src.asked} would both become {base}{src.name}; "
                    "send them separately.",
                )
            names[src.name] = src.asked
        items: list[Item] = []
        tops: list[tuple[_Source, list[Item]]] = []
        for src in checked:
            own = list(self._items_of(src, base))
            items.extend(own)
            tops.append((src, own))
            if len(items) > MAX_FILES:
                raise Refused(
                    400, f"More than {MAX_FILES:,} files; send the folders one at a time."
                )
        for src, own in tops:
            self._mark_existing(src, base, own)
        if conflict == "rename":
            for src, own in tops:
                self._rename(src, base, own)
        elif conflict == "skip":
            for item in items:
                if item.exists:
                    item.state = "skipped"
                    item.message = "Skipped: it exists in the data lake already."
        if len(checked) == 1:
            destination = base + checked[0].name + ("/" if checked[0].is_dir else "")
            if conflict == "rename" and tops[0][1]:
                first = tops[0][1][0].destination
                destination = first if not checked[0].is_dir else _top_of(first, base)
        else:
            destination = base
        return Transfer(
            id=new_id(),
            direction="upload",
            area=area,
            prefix=prefix,
            sources=[src.asked for src in checked],
            conflict=conflict,
            bucket=s.bucket,
            destination=destination,
            items=items,
        )

    def plan_json(self, transfer: Transfer) -> dict[str, Any]:
        public = transfer.public(items=True)
        return {
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

    def _check_source(self, asked: object) -> _Source:
        if not isinstance(asked, str) or not asked.strip("/"):
            raise Refused(400, "An empty path cannot be sent; nothing was started.")
        joined = asked if os.path.isabs(asked) else os.path.join(self.root, asked)
        real = os.path.realpath(joined)
        # Besides home, what the Storage panel lists as lost at restart may be sent: asked for
        # by its absolute path in a watched place, with no link on the way.
        in_watched = os.path.isabs(asked) and os.path.normpath(asked) == real
        root, shown_root = self._root_of(real, in_watched)
        if not root:
            shown = f" (it leads to {real})" if os.path.normpath(joined) != real else ""
            raise Refused(
                403,
                f"{asked} is outside your home{shown}; only files in your home can be sent.",
            )
        # realpath only planned the way: the source is reached again from its root's
        # descriptor without following links, here and when it is read, so that a link
        # swapped in meanwhile is refused.
        names = safefs.parts(real, root)
        try:
            st = safefs.lstat_at(root, names, shown_root)
        except safefs.Unsafe as err:
            if not err.link:
                raise Refused(404, f"{asked} does not exist (any more).") from err
            raise Refused(err.status, f"{err} Nothing was started.") from err
        except OSError as err:
            raise Refused(403, f"{asked} cannot be read ({err.strerror}).") from err
        if st is None:
            raise Refused(404, f"{asked} does not exist (any more).")
        # The one rule rescue applies too: in a watched place, only the user's own files.
        problem = None if root == self.home else safefs.not_yours(st, os.getuid())
        if problem:
            raise Refused(403, f"{asked} {problem}; only your own files can be sent.")
        if stat.S_ISDIR(st.st_mode):
            if not os.access(real, os.R_OK | os.X_OK):
                raise Refused(403, f"{asked} cannot be read (permission denied).")
        elif stat.S_ISREG(st.st_mode):
            _check_readable(root, names, asked)
        else:
            raise Refused(400, f"{asked} is not a regular file or a folder.")
        name = os.path.basename(real) if real != self.home else "home"
        check_name(name, asked)
        return _Source(asked, real, name, stat.S_ISDIR(st.st_mode), root, shown_root, st)

    def _root_of(self, path: str, watched: bool = True) -> tuple[str, str]:
        """The folder ``path`` is read from, and how the user sees it: home, or (when
        ``watched``) the watched place it lies in; ("", "") for neither."""
        if is_within(path, self.home):
            return self.home, self.downloads.shown_home
        for place in self.settings.watched_paths if watched else ():
            real = os.path.realpath(place)
            if is_within(path, real) and path != real:
                return real, real
        return "", ""

    def _items_of(self, src: _Source, base: str) -> Iterator[Item]:
        shown_root = src.asked.rstrip("/")
        if not src.is_dir:
            key = base + src.name
            check_key(key, src.asked)
            identity = [src.st.st_dev, src.st.st_ino]
            yield Item(src.asked, key, src.st.st_size, path=src.path, identity=identity)
            return
        # Only the user's own files, in a watched place, as rescue says.
        uid = None if src.root == self.home else os.getuid()
        names = safefs.parts(src.path, src.root)
        for rel, kind, st in _walk(src.root, names, src.shown_root, src.asked, uid):
            shown = f"{shown_root}/{rel}" if rel else shown_root
            path = os.path.join(src.path, rel)
            if kind == "empty":
                key = f"{base}{src.name}/{rel}/" if rel else f"{base}{src.name}/"
                check_key(key, shown)
                yield Item(shown, key, 0, path=path, marker=True)
            elif kind == "file":
                key = f"{base}{src.name}/{rel}"
                check_key(key, shown)
                yield Item(shown, key, st.st_size, path=path, identity=[st.st_dev, st.st_ino])
            else:
                yield Item(shown, "", 0, path=path, state="skipped", message=f"Skipped: {kind}.")

    def _mark_existing(self, src: _Source, base: str, items: list[Item]) -> None:
        if not src.is_dir:
            item = items[0]
            item.exists = self._exists(item.destination)
            return
        found = {o["Key"] for o in self.lake.objects_under(f"{base}{src.name}/")}
        for item in items:
            item.exists = item.destination in found

    def _exists(self, key: str) -> bool:
        try:
            self._call(self.lake.client.head_object, Bucket=self.settings.bucket, Key=key)
        except LakeError as err:
            if err.not_found:
                return False
            raise
        return True

    def _folder_exists(self, prefix: str) -> bool:
        reply = self._call(
            self.lake.client.list_objects_v2,
            Bucket=self.settings.bucket,
            Prefix=prefix,
            MaxKeys=1,
        )
        return bool(reply.get("KeyCount"))

    def _rename(self, src: _Source, base: str, items: list[Item]) -> None:
        """Keep both, as a file manager does: the clashing file, or the clashing folder as a
        whole, gets the first free "name (n)"."""
        if not any(i.exists for i in items):
            return
        for candidate in candidates(src.name, src.is_dir):
            if src.is_dir:
                if not self._folder_exists(f"{base}{candidate}/"):
                    break
            elif not self._exists(base + candidate):
                break
        old = f"{base}{src.name}"
        new = f"{base}{candidate}"
        for item in items:
            if item.destination:
                item.destination = new + item.destination[len(old) :]
                check_key(item.destination, item.source)
            item.exists = False

    def _call(self, func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        return self.lake.translated(func, *args, **kwargs)

    # ----- control --------------------------------------------------------------------------

    def start(self, transfer: Transfer) -> dict[str, Any]:
        if transfer.conflict == "ask" and any(i.exists for i in transfer.items):
            clashes = [i.destination for i in transfer.items if i.exists]
            raise Refused(
                409,
                f"{len(clashes)} destination(s) exist already, such as {clashes[0]}; "
                "choose to overwrite, keep both or skip them.",
                plan=self.plan_json(transfer),
            )
        self.register(transfer)
        self._runner.submit(self._run, transfer)
        return transfer.public(items=True)

    def register(self, transfer: Transfer) -> None:
        with self._lock:
            self._transfers[transfer.id] = transfer
            self._trim()
        self._write_journal()

    def cancel_or_remove(self, transfer_id: str) -> dict[str, Any] | None:
        """Cancel an active transfer (its state turns to cancelled once its open upload is
        aborted); remove a finished one from the list."""
        with self._lock:
            transfer = self._find(transfer_id)
            if transfer.state in ACTIVE:
                transfer.cancel.set()
                if transfer.origin == "browser":
                    self.browser.cancel(transfer, "Cancelled; nothing partial was left.")
                elif transfer.state == "queued":
                    self._finish(transfer, "cancelled", "Cancelled before it started.")
                return transfer.public()
            del self._transfers[transfer_id]
        self._write_journal()
        return None

    def clear(self) -> int:
        with self._lock:
            gone = [k for k, t in self._transfers.items() if t.state not in ACTIVE]
            for k in gone:
                del self._transfers[k]
        self._write_journal()
        return len(gone)

    def retry(self, transfer_id: str) -> dict[str, Any]:
        with self._lock:
            transfer = self._find(transfer_id)
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
        self._write_journal()
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

    def _finish(self, transfer: Transfer, state: str, message: str | None) -> None:
        with self._lock:
            transfer.state, transfer.message = state, message
            transfer.finished = time.time()
        self._write_journal()

    # ----- running --------------------------------------------------------------------------

    def _run(self, transfer: Transfer) -> None:
        if transfer.cancel.is_set() or transfer.state != "queued":
            return
        with self._lock:
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
                else:
                    self._upload(transfer, item)
                item.state = "done"
                self._write_journal(force=False)
            except Stop as stop:
                state, message = stop.state, str(stop)
                if self._stopping:
                    state, message = "failed", STOPPED
                item.state, item.message = state, message
                self._finish(transfer, state, message)
                return
            except LakeError as err:
                message = f"{item.source}: {err.connection.message} {err.connection.hint}"
                item.state, item.message = "failed", message.strip()
                self._finish(transfer, "failed", item.message)
                return
            except OSError as err:
                item.state = "failed"
                verb = "written" if transfer.direction == "download" else "read"
                item.message = f"{item.source} could not be {verb}: {err.strerror or err}."
                self._finish(transfer, "failed", item.message)
                return
            except Exception as err:  # a transfer must end in a state, whatever went wrong
                log.exception("jupyterlab-datalake: transfer %s failed", transfer.id)
                item.state, item.message = "failed", f"{item.source}: unexpected error: {err}"
                self._finish(transfer, "failed", item.message)
                return
        self._finish(transfer, "done", None)

    def _upload(self, transfer: Transfer, item: Item) -> None:
        if item.marker:
            self._call(
                self.lake.client.put_object,
                Bucket=transfer.bucket,
                Key=item.destination,
                Body=b"",
                Metadata=self._metadata(item, None),
            )
            return
        root, shown_root = self._root_of(item.path)
        if not root:
            raise Stop("failed", f"{item.source} is not in your home any more; it was not sent.")
        try:
            fd = safefs.open_read(root, safefs.parts(item.path, root), shown_root)
        except safefs.Unsafe as err:
            raise Stop("failed", f"{err} {item.source} was not sent.") from err
        with os.fdopen(fd, "rb", buffering=0) as f:
            st = os.fstat(f.fileno())
            if not stat.S_ISREG(st.st_mode):
                raise OSError(f"{item.source} is no longer a regular file")
            if item.identity and [st.st_dev, st.st_ino] != list(item.identity):
                raise Stop(
                    "failed",
                    f"{item.source} was replaced by another file since the transfer was planned; "
                    "it was not sent. Send it again to send the file that is there now.",
                )
            with self._lock:
                item.bytes, item.done = st.st_size, 0
            part = part_size_for(st.st_size, self.settings.part_size)
            meta = self._metadata(item, st)
            ctype = content_type(item.destination)
            if st.st_size <= part:
                self._put_small(transfer, item, f, st, meta, ctype)
            else:
                self._put_multipart(transfer, item, f, st, part, meta, ctype)

    def _metadata(self, item: Item, st: os.stat_result | None) -> dict[str, str]:
        # Metadata travels in HTTP headers, which hold ASCII only: the path is percent-encoded.
        meta = {"uploader": self.settings.username, "source-path": quote(item.source)}
        if st is not None:
            mtime = datetime.fromtimestamp(st.st_mtime, timezone.utc)
            meta["source-mtime"] = mtime.isoformat(timespec="seconds").replace("+00:00", "Z")
        return meta

    def _check_unchanged(self, transfer: Transfer, item: Item, st: os.stat_result) -> None:
        if transfer.cancel.is_set():
            raise Stop("cancelled", "Cancelled; nothing partial was left in the data lake.")
        root, shown_root = self._root_of(item.path)
        try:
            now = safefs.lstat_at(root, safefs.parts(item.path, root), shown_root) if root else None
        except safefs.Unsafe as err:
            raise Stop(
                "failed", f"{err} {item.source} was not sent; the partial upload was removed."
            ) from err
        except OSError:
            now = None
        if now is None or (now.st_ino, now.st_size, now.st_mtime_ns) != (
            st.st_ino,
            st.st_size,
            st.st_mtime_ns,
        ):
            raise Stop(
                "failed",
                f"{item.source} changed while it was being sent, so the copy would be neither "
                "the old nor the new version; the partial upload was removed. "
                "Send it again once it is written.",
            )

    def _put_small(self, transfer, item, f, st, meta, content_type) -> None:
        data = f.read(st.st_size + 1)
        self._check_unchanged(transfer, item, st)
        if len(data) != st.st_size:
            raise Stop("failed", f"{item.source} changed size while it was being read.")
        self.bandwidth.take(len(data), transfer.cancel)
        sha = hashlib.sha256(data).hexdigest()
        md5 = hashlib.md5(data)
        self._call(
            self.lake.client.put_object,
            Bucket=transfer.bucket,
            Key=item.destination,
            Body=data,
            ContentMD5=base64.b64encode(md5.digest()).decode(),
            ContentType=content_type,
            Metadata={**meta, "sha256": sha},
        )
        with self._lock:
            item.done = len(data)
        transfer.sample()
        self._verify(item, st.st_size, md5.hexdigest(), sha)

    def _put_multipart(self, transfer, item, f, st, part_size, meta, content_type) -> None:
        client, bucket, key = self.lake.client, transfer.bucket, item.destination
        upload_id = self.create_upload(bucket, key, meta, content_type)
        with self._lock:
            item.upload_id = upload_id
        self._write_journal()
        pending: collections.deque[Future] = collections.deque()
        try:
            sha = hashlib.sha256()
            md5s: list[bytes] = []
            in_flight = max(1, min(self.settings.transfer_concurrency, (64 << 20) // part_size))
            number = 0
            while True:
                self._check_unchanged(transfer, item, st)
                data = f.read(part_size)
                if not data:
                    break
                number += 1
                sha.update(data)
                digest = hashlib.md5(data).digest()
                md5s.append(digest)
                self.bandwidth.take(len(data), transfer.cancel)
                pending.append(
                    self._parts.submit(self.send_part, transfer, item, number, data, digest)
                )
                del data
                while len(pending) >= in_flight:
                    pending.popleft().result()
            while pending:
                pending.popleft().result()
            self._check_unchanged(transfer, item, st)
            if len(md5s) != -(-st.st_size // part_size):
                raise Stop("failed", f"{item.source} changed size while it was being read.")
            self._call(
                client.complete_multipart_upload,
                Bucket=bucket,
                Key=key,
                UploadId=item.upload_id,
                MultipartUpload={
                    "Parts": [
                        {"PartNumber": n, "ETag": f'"{d.hex()}"'} for n, d in enumerate(md5s, 1)
                    ]
                },
            )
        except BaseException:
            for future in pending:
                future.cancel()
            for future in pending:
                with contextlib.suppress(Exception):
                    future.result()
            self._abort(key, item)
            raise
        with self._lock:
            item.upload_id = None
        self._write_journal()
        # The ETag check proves that S3 assembled exactly the parts hashed here; only then is
        # the content's SHA-256, known only now, written into the metadata.
        self._verify(item, st.st_size, multipart_etag(md5s), None)
        self._set_metadata(
            bucket, key, {**meta, "sha256": sha.hexdigest()}, content_type, st.st_size
        )
        self._verify(item, st.st_size, None, sha.hexdigest())

    def create_upload(self, bucket: str, key: str, meta: dict[str, str], content_type: str) -> str:
        """Open a multipart upload; its id must be journaled before any part is sent."""
        return self._call(
            self.lake.client.create_multipart_upload,
            Bucket=bucket,
            Key=key,
            Metadata=meta,
            ContentType=content_type,
        )["UploadId"]

    def send_part(self, transfer, item, number, data, digest) -> None:
        if transfer.cancel.is_set():
            return
        self._call(
            self.lake.client.upload_part,
            Bucket=transfer.bucket,
            Key=item.destination,
            UploadId=item.upload_id,
            PartNumber=number,
            Body=data,
            ContentMD5=base64.b64encode(digest).decode(),
        )
        with self._lock:
            item.done += len(data)
        transfer.sample()
        self._write_journal(force=False)

    def _set_metadata(self, bucket, key, meta, content_type, size: int) -> None:
        source = {"Bucket": bucket, "Key": key}
        if size <= COPY_LIMIT:
            self._call(
                self.lake.client.copy_object,
                Bucket=bucket,
                Key=key,
                CopySource=source,
                Metadata=meta,
                MetadataDirective="REPLACE",
                ContentType=content_type,
            )
            return
        # CopyObject stops at 5 GiB; a multipart copy rewrites larger objects part by part,
        # inside S3.
        client = self.lake.client
        upload = self.create_upload(bucket, key, meta, content_type)
        try:
            part = part_size_for(size, COPY_PART)
            parts = []
            for number, offset in enumerate(range(0, size, part), 1):
                end = min(offset + part, size) - 1
                reply = self._call(
                    client.upload_part_copy,
                    Bucket=bucket,
                    Key=key,
                    UploadId=upload,
                    PartNumber=number,
                    CopySource=source,
                    CopySourceRange=f"bytes={offset}-{end}",
                )
                parts.append({"PartNumber": number, "ETag": reply["CopyPartResult"]["ETag"]})
            self._call(
                client.complete_multipart_upload,
                Bucket=bucket,
                Key=key,
                UploadId=upload,
                MultipartUpload={"Parts": parts},
            )
        except BaseException:
            with contextlib.suppress(Exception):
                client.abort_multipart_upload(Bucket=bucket, Key=key, UploadId=upload)
            raise

    def _verify(self, item: Item, size: int, etag: str | None, sha: str | None) -> None:
        head = self._call(
            self.lake.client.head_object, Bucket=self.settings.bucket, Key=item.destination
        )
        problems = []
        if head.get("ContentLength") != size:
            problems.append(f"it holds {head.get('ContentLength')} bytes instead of {size}")
        got = str(head.get("ETag", "")).strip('"')
        if etag is not None and got and got != etag:
            problems.append(f"its ETag is {got} where the parts sent give {etag}")
        if sha is not None and head.get("Metadata", {}).get("sha256") != sha:
            problems.append("its SHA-256 in metadata does not match the file's")
        if problems:
            raise Stop(
                "failed",
                f"{item.source} reached the data lake damaged ({'; '.join(problems)}). "
                "Retry to send it again.",
            )

    def _abort(self, key: str, item: Item) -> None:
        upload_id = item.upload_id
        if not upload_id:
            return
        try:
            self.lake.client.abort_multipart_upload(
                Bucket=self.settings.bucket, Key=key, UploadId=upload_id
            )
        except (ClientError, BotoCoreError) as err:
            code = isinstance(err, ClientError) and err.response.get("Error", {}).get("Code")
            if code != "NoSuchUpload":
                log.warning("jupyterlab-datalake: abort of %s failed, kept for later: %s", key, err)
                with self._lock:
                    self._orphans.append({"key": key, "upload_id": upload_id})
        with self._lock:
            item.upload_id = None
        self._write_journal()

    def _abort_orphans(self) -> None:
        with self._lock:
            orphans, self._orphans = self._orphans, []
        kept = []
        for orphan in orphans:
            try:
                self.lake.client.abort_multipart_upload(
                    Bucket=self.settings.bucket, Key=orphan["key"], UploadId=orphan["upload_id"]
                )
            except ClientError as err:
                if err.response.get("Error", {}).get("Code") != "NoSuchUpload":
                    kept.append(orphan)
            except BotoCoreError:
                kept.append(orphan)
        with self._lock:
            self._orphans.extend(kept)
        if orphans:
            self._write_journal()

    def shutdown(self) -> None:
        """Stop at the next part, aborting open uploads, and record running transfers as
        interrupted by the stop, so that they can be retried after the restart."""
        self._stopping = True
        with self._lock:
            for t in self._transfers.values():
                t.cancel.set()
                if t.state == "queued":
                    t.state, t.message, t.finished = "failed", STOPPED, time.time()
        self._write_journal()
        self._runner.shutdown(wait=False, cancel_futures=True)
        self._parts.shutdown(wait=False, cancel_futures=True)


# ----- helpers ----------------------------------------------------------------------------


def _check_readable(root: str, names: list[str], asked: str) -> None:
    try:
        with os.fdopen(safefs.open_read(root, names), "rb") as f:
            f.read(1)
    except OSError as err:
        raise Refused(403, f"{asked} cannot be read ({err.strerror}).") from err


def _check_overlaps(sources: list[_Source]) -> None:
    found = overlap(sources, lambda s: s.path)
    if found is None:
        return
    inner, outer, same = found
    if same:
        raise Refused(400, f"{outer.asked} is listed twice; nothing was started.")
    raise Refused(400, f"{inner.asked} is inside {outer.asked}; pick one of them.")


def _walk(
    root: str, names: list[str], shown_root: str, shown: str, uid: int | None
) -> Iterator[tuple[str, str, os.stat_result | None]]:
    """(relative path, kind, stat) below the folder ``names`` of ``root``: kind is "file",
    "empty" for an empty folder, or why an entry is not sent. Each folder is opened from
    ``root``'s descriptor without following links: one could lead out of home, or loop.
    With ``uid``, every file and folder must be that user's own."""
    stack = [""]
    while stack:
        rel = stack.pop()
        where = f"{shown.rstrip('/')}/{rel}" if rel else shown
        try:
            with safefs.folder(root, names + rel.split("/") if rel else names, shown_root) as fd:
                entries = []
                for entry in os.scandir(fd):
                    with contextlib.suppress(FileNotFoundError):  # gone: nothing to send
                        entries.append((entry.name, entry.stat(follow_symlinks=False)))
        except safefs.Unsafe as err:
            raise Refused(err.status, f"{err} Nothing was started.") from err
        except OSError as err:
            raise Refused(
                403, f"{where} cannot be read ({err.strerror}); nothing was started."
            ) from err
        entries.sort(key=lambda e: e[0])
        if not entries:
            yield rel, "empty", None
        subfolders = []
        for name, st in entries:
            child = f"{rel}/{name}" if rel else name
            check_name(name, f"{shown.rstrip('/')}/{child}")
            mode = st.st_mode
            problem = None
            if uid is not None and (stat.S_ISDIR(mode) or stat.S_ISREG(mode)):
                problem = safefs.not_yours(st, uid)
            if problem:
                raise Refused(
                    403,
                    f"{shown.rstrip('/')}/{child} {problem}; only your own files can be sent.",
                )
            if stat.S_ISDIR(mode):
                subfolders.append(child)
            elif stat.S_ISREG(mode):
                yield child, "file", st
            elif stat.S_ISLNK(mode):
                yield child, "a symbolic link, not followed", None
            else:
                yield child, "not a regular file", None
        stack.extend(reversed(subfolders))


def _top_of(key: str, base: str) -> str:
    return base + key[len(base) :].split("/", 1)[0] + "/"


__all__ = ["Transfer", "TransferManager"]
