"""Uploads from home (or a watched place) into the data lake: the direction the transfer
manager runs for a plan of ``planning``, kept apart from the queue so that the manager holds
only the list and the run loop.

A file is opened from its root's descriptor without following links and read in order for
the SHA-256 of the whole content, and every eight parts for their MD5s, computed side by side
(md5lanes.py); each part is then handed to the manager's part pool, whose thread reads it
again (from the page cache) as the request's body (and for its MD5 first, where the compiled
lanes do not run), so memory holds one small buffer per thread whatever the file's size or
the parts in flight.
Before every part, and once more at the end, the file must still be the one that was opened
(same inode, size and mtime): a file written while it is sent would arrive as neither version.

S3 checks each part against its Content-MD5; afterwards HeadObject must show the size and the
multipart ETag (the MD5 of the parts' MD5s) computed here, and only then is the SHA-256 written
into the object's metadata. These multipart steps are also those of browser uploads, which
reach them through the manager, their TransferHost.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import os
import stat
import threading
from collections.abc import Callable
from concurrent.futures import ALL_COMPLETED, FIRST_COMPLETED, Executor, Future, wait

from .. import safefs
from ..lake import multipart
from ..lake.client import part_size_for
from ..lake.etags import multipart_etag
from ..lake.keys import content_type
from . import md5lanes
from .host import TransferHost
from .records import Item, Stop, Transfer

MiB = 1024**2
# What a thread reads at a time: the memory an upload holds is one of these per thread.
BUFFER = 1 * MiB
# Parts up to this size have their MD5s computed eight at a time (md5lanes.py), by the
# transfer's thread, before it hands them out; larger ones are hashed by the thread sending each.
MAX_PART_LANES = 16 * MiB
LANES_CHUNK = 256 * 1024  # what each of the eight lanes reads per call: 2 MiB of buffers


class Uploader:
    def __init__(
        self,
        manager: TransferHost,
        root_of: Callable[[str], tuple[str, str]],
        parts: Executor,
    ):
        """``root_of`` gives the folder a source is read from and how the user sees it (the
        planner's), ``parts`` the pool that sends the parts."""
        self.manager = manager
        self.settings = manager.settings
        self.root_of = root_of
        self.parts = parts
        self._local = threading.local()  # each thread's read buffer

    # ----- running --------------------------------------------------------------------------

    def run(self, transfer: Transfer, item: Item) -> None:
        lake = self.manager.lake
        if item.marker:
            lake.translated(
                lake.client.put_object,
                Bucket=transfer.bucket,
                Key=item.destination,
                Body=b"",
                Metadata=self._metadata(transfer, item, None),
            )
            return
        root, shown_root = self.root_of(item.path)
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
            with self.manager.lock:
                item.bytes, item.done = st.st_size, 0
            part = part_size_for(st.st_size, self.settings.part_size)
            meta = self._metadata(transfer, item, st)
            ctype = content_type(item.destination)
            if st.st_size <= part:
                self._put_small(transfer, item, f, st, meta, ctype)
            else:
                self._put_multipart(transfer, item, f, st, part, meta, ctype)

    def _metadata(self, transfer: Transfer, item: Item, st: os.stat_result | None) -> dict:
        return multipart.metadata(
            transfer.user or self.settings.username,
            item.source,
            st.st_mtime if st is not None else None,
        )

    def _check_unchanged(self, transfer: Transfer, item: Item, st: os.stat_result) -> None:
        if transfer.cancel.is_set():
            raise Stop("cancelled", "Cancelled; nothing partial was left in the data lake.")
        root, shown_root = self.root_of(item.path)
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
        self.manager.bandwidth.take(len(data), transfer.cancel)
        sha = hashlib.sha256(data).hexdigest()
        md5 = hashlib.md5(data)
        lake = self.manager.lake
        lake.translated(
            lake.client.put_object,
            Bucket=transfer.bucket,
            Key=item.destination,
            Body=data,
            ContentMD5=base64.b64encode(md5.digest()).decode(),
            ContentType=content_type,
            Metadata={**meta, "sha256": sha},
        )
        with self.manager.lock:
            item.done = len(data)
        transfer.sample()
        self.manager.verify(transfer.bucket, item, st.st_size, md5.hexdigest(), sha)

    def _put_multipart(self, transfer, item, f, st, part_size, meta, content_type) -> None:
        bucket, key = transfer.bucket, item.destination
        upload_id = self.create_upload(bucket, key, meta, content_type)
        with self.manager.lock:
            item.upload_id = upload_id
        self.manager.write_journal()
        pending: dict[Future, int] = {}  # parts in flight: their numbers
        fd = f.fileno()
        parts = -(-st.st_size // part_size)
        try:
            sha = hashlib.sha256()
            sent: dict[int, bytes] = {}  # part number: its MD5
            in_flight = max(1, min(self.settings.transfer_concurrency, parts))
            buffer = memoryview(self._buffer())
            lanes = self._lanes(fd) if part_size <= MAX_PART_LANES else None
            ahead: dict[int, bytes] = {}  # offset: the MD5 of the part there, computed ahead
            offset = number = 0
            while offset < st.st_size:
                self._check_unchanged(transfer, item, st)
                length = min(part_size, st.st_size - offset)
                if lanes is not None and offset not in ahead:
                    ahead = _md5s_ahead(lanes, offset, part_size, st.st_size)
                # The SHA-256 of the whole file runs here, in order, while earlier parts are
                # sent; each part is read again by the thread that sends it, from the page
                # cache, as the body (and for its MD5 first, without the lanes). A part in
                # flight thus holds no buffer of its size: more parts can be in flight (what
                # throughput needs) for a fixed memory (what the server can afford).
                at = offset
                while at < offset + length:
                    n = _read_at(fd, buffer[: min(len(buffer), offset + length - at)], at)
                    sha.update(buffer[:n])
                    at += n
                self.manager.bandwidth.take(length, transfer.cancel)
                number += 1
                md5 = ahead.pop(offset, None)
                future = self.parts.submit(
                    self._send_read, transfer, item, number, fd, offset, length, md5
                )
                pending[future] = number
                offset += length
                # The next part goes as soon as any part in flight is in, not the oldest: one
                # slow reply would otherwise hold back the parts behind it.
                while len(pending) >= in_flight:
                    _collect(pending, sent, FIRST_COMPLETED)
            while pending:
                _collect(pending, sent, ALL_COMPLETED)
            md5s = [sent[n] for n in sorted(sent)]
            self._check_unchanged(transfer, item, st)
            if len(md5s) != parts:
                raise Stop("failed", f"{item.source} changed size while it was being read.")
            self.complete_upload(transfer, item, md5s)
        except BaseException:
            for future in pending:
                future.cancel()
            for future in pending:
                with contextlib.suppress(Exception):
                    future.result()
            self.manager.abort(bucket, key, item)
            raise
        self.write_sha(transfer, item, md5s, meta, sha.hexdigest())

    def _buffer(self) -> bytearray:
        """This thread's read buffer, made once: a fresh one per part would cost its page
        faults and leave the allocator holding freed ones (RSS)."""
        buffer = getattr(self._local, "buffer", None)
        if buffer is None:
            buffer = self._local.buffer = bytearray(BUFFER)
        return buffer

    def _lanes(self, fd: int) -> md5lanes.Lanes | None:
        """This thread's MD5 lanes, reading ``fd``; None where the compiled lanes do not run."""
        if md5lanes.library() is None:
            return None
        lanes = getattr(self._local, "lanes", None)
        if lanes is None:
            lanes = self._local.lanes = md5lanes.Lanes(_read_at, chunk=LANES_CHUNK)
        lanes.read_at = lambda buffer, offset: _read_at(fd, buffer, offset)
        return lanes

    def _send_read(self, transfer, item, number, fd, offset, length, md5=None) -> bytes:
        """Send one part of a file of home, MD5-hashed here first unless ``md5`` was computed
        ahead; its MD5, for the ETag check. Were the file to change between the two reads,
        S3 would refuse the part as not matching its Content-MD5."""
        buffer = memoryview(self._buffer())
        if md5 is None:
            digest = hashlib.md5()
            at = offset
            while at < offset + length:
                n = _read_at(fd, buffer[: min(len(buffer), offset + length - at)], at)
                digest.update(buffer[:n])
                at += n
            md5 = digest.digest()
        body = _Window(fd, offset, length, buffer)
        self.send_part(transfer, item, number, body, md5, length)
        return md5

    # ----- the steps every upload into the lake shares (browser uploads too) ----------------

    def create_upload(self, bucket: str, key: str, meta: dict[str, str], content_type: str) -> str:
        """Open a multipart upload; its id must be journaled before any part is sent."""
        return multipart.create(self.manager.lake, bucket, key, meta, content_type)

    def send_part(self, transfer, item, number, data, digest, length: int | None = None) -> None:
        """``data``: the part's bytes, or a file-like body of ``length`` bytes."""
        if transfer.cancel.is_set():
            return
        multipart.send_part(
            self.manager.lake,
            transfer.bucket,
            item.destination,
            item.upload_id,
            number,
            data,
            digest,
        )
        with self.manager.lock:
            item.done += len(data) if length is None else length
        transfer.sample()
        self.manager.write_journal(force=False)

    def complete_upload(self, transfer: Transfer, item: Item, md5s: list[bytes]) -> None:
        item.begin_checks()  # every part is in: S3 assembles them, then they are checked
        multipart.complete(
            self.manager.lake, transfer.bucket, item.destination, item.upload_id, md5s
        )
        with self.manager.lock:
            item.upload_id = None
        self.manager.write_journal()

    def write_sha(self, transfer, item, md5s, meta, sha) -> None:
        # The ETag check proves that S3 assembled exactly the parts hashed here; only then is
        # the content's SHA-256, known only now, written into the metadata.
        size, key = item.bytes, item.destination
        self.manager.verify(transfer.bucket, item, size, multipart_etag(md5s), None)
        meta = {**meta, "sha256": sha}
        multipart.replace_metadata(
            self.manager.lake, transfer.bucket, key, meta, content_type(key), size
        )
        self.manager.verify(transfer.bucket, item, size, None, sha)


def _collect(pending: dict[Future, int], sent: dict[int, bytes], when: str) -> None:
    """Wait for parts in flight (any, or all) and move their MD5s from ``pending`` to ``sent``;
    a part that failed raises its error."""
    done, _ = wait(pending, return_when=when)
    for future in done:
        sent[pending.pop(future)] = future.result()


def _md5s_ahead(lanes: md5lanes.Lanes, offset: int, part: int, size: int) -> dict[int, bytes]:
    """The MD5s of the (up to eight) parts from ``offset``, read from the page cache."""
    starts = range(offset, min(size, offset + md5lanes.LANES * part), part)
    whole = [s for s in starts if s + part <= size]
    md5s = dict(zip(whole, lanes.md5s(whole, part), strict=True))
    last = offset + part * len(whole)
    if last < min(size, offset + md5lanes.LANES * part):  # the file's last part, shorter
        md5s[last] = lanes.md5s([last], size - last)[0]
    return md5s


def _read_at(fd: int, buffer: memoryview, offset: int) -> int:
    n = os.preadv(fd, [buffer], offset)
    if n <= 0:
        raise Stop("failed", "The file changed size while it was being sent; nothing was kept.")
    return n


class _Window:
    """A part of a file as a request body that botocore and http.client send: read at its
    offset into the sending thread's buffer, a whole buffer per read (http.client sends what
    ``read`` returns, whatever size it asked for), and rewound for a retry."""

    def __init__(self, fd: int, offset: int, length: int, buffer: memoryview):
        self.fd, self.offset, self.length, self.buffer = fd, offset, length, buffer
        self.position = 0

    def __len__(self) -> int:  # botocore's Content-Length
        return self.length - self.position

    def read(self, amount: int = -1) -> memoryview:
        left = self.length - self.position
        if left <= 0:
            return self.buffer[:0]
        n = _read_at(
            self.fd, self.buffer[: min(len(self.buffer), left)], self.offset + self.position
        )
        self.position += n
        return self.buffer[:n]

    def seek(self, position: int, whence: int = os.SEEK_SET) -> int:
        base = {os.SEEK_SET: 0, os.SEEK_CUR: self.position, os.SEEK_END: self.length}[whence]
        self.position = max(0, min(self.length, base + position))
        return self.position

    def tell(self) -> int:
        return self.position


__all__ = ["Uploader"]
