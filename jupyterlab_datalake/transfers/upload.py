"""Uploads from home (or a watched place) into the data lake: the direction the transfer
manager runs for a plan of ``planning``, kept apart from the queue so that the manager holds
only the list and the run loop.

A file is opened from its root's descriptor without following links and read once, in order,
into a few buffers made for it: each part goes into the SHA-256 of the whole content as it is
read and is handed to the manager's part pool, whose thread computes the part's MD5 and sends
it, so memory holds at most a few parts whatever the file's size. Before
every part, and once more at the end, the file must still be the one that was opened (same
inode, size and mtime): a file written while it is sent would arrive as neither version.

S3 checks each part against its Content-MD5; afterwards HeadObject must show the size and the
multipart ETag (the MD5 of the parts' MD5s) computed here, and only then is the SHA-256 written
into the object's metadata. These multipart steps are also those of browser uploads, which
reach them through the manager, their TransferHost.
"""

from __future__ import annotations

import base64
import collections
import contextlib
import hashlib
import os
import stat
from collections.abc import Callable
from concurrent.futures import Executor, Future

from .. import safefs
from ..lake import multipart
from ..lake.client import multipart_etag, part_size_for
from ..lake.keys import content_type
from .host import TransferHost
from .records import Item, Stop, Transfer


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
        pending: collections.deque[Future] = collections.deque()
        try:
            sha = hashlib.sha256()
            md5s: list[bytes] = []
            in_flight = max(1, min(self.settings.transfer_concurrency, (64 << 20) // part_size))
            in_flight = min(in_flight, -(-st.st_size // part_size))
            # Parts are read into buffers made once per file: a fresh 8 MiB object per part
            # costs its page faults and leaves the allocator holding freed ones (RSS). Before
            # a part is read, fewer than in_flight are still being sent, all of them later than
            # the last user of the buffer it is read into.
            buffers = [bytearray(part_size) for _ in range(in_flight)]
            number = 0
            while True:
                self._check_unchanged(transfer, item, st)
                data = buffers[number % len(buffers)]
                got = _fill(f, data)
                if not got:
                    break
                number += 1
                if got < len(data):
                    del data[got:]  # the last part; shrinks in place, no copy
                # The SHA-256 of the whole file runs here, in order, while earlier parts are
                # sent; each part's MD5 in the thread that sends it, so that they overlap.
                sha.update(data)
                self.manager.bandwidth.take(got, transfer.cancel)
                pending.append(self.parts.submit(self._send_read, transfer, item, number, data))
                while len(pending) >= in_flight:
                    md5s.append(pending.popleft().result())
            while pending:
                md5s.append(pending.popleft().result())
            self._check_unchanged(transfer, item, st)
            if len(md5s) != -(-st.st_size // part_size):
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

    def _send_read(self, transfer, item, number, data) -> bytes:
        """Send one part read from home, hashed here; its MD5, for the ETag check."""
        digest = hashlib.md5(data).digest()
        self.send_part(transfer, item, number, data, digest)
        return digest

    # ----- the steps every upload into the lake shares (browser uploads too) ----------------

    def create_upload(self, bucket: str, key: str, meta: dict[str, str], content_type: str) -> str:
        """Open a multipart upload; its id must be journaled before any part is sent."""
        return multipart.create(self.manager.lake, bucket, key, meta, content_type)

    def send_part(self, transfer, item, number, data, digest) -> None:
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
            item.done += len(data)
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


def _fill(f, buffer: bytearray) -> int:
    """Read into ``buffer`` until it is full or the file ends; the bytes read."""
    got = 0
    with memoryview(buffer) as view:
        while got < len(buffer):
            n = f.readinto(view[got:])
            if not n:
                break
            got += n
    return got


__all__ = ["Uploader"]
