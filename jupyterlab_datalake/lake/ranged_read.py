"""One object of the lake read as a seekable file, by ranged GETs, for previews.

A preview reads a few pieces of an object that may be many GiB: the head of a CSV, or a
Parquet file's footer and the first pages of its first row group. Each piece is one ranged
GetObject through the extension's own boto3 client (its credentials, its error translation),
pinned with ``If-Match`` to the ETag the preview started with, so that an object replaced
meanwhile is said to have changed rather than shown as a mix of two versions.

Readers such as pyarrow ask for many small reads (a page header, then its page); each miss
fetches at least ``block`` bytes and the last few blocks are kept, so that small reads cost
one request per block, not one each. ``bytes_read`` counts what S3 sent, which the reply
reports, and a ``budget`` bounds it: a preview never turns into a download.
"""

from __future__ import annotations

import io
from collections import OrderedDict

from ..errors import LakeError, Refused
from .client import Lake
from .etags import if_match

KiB = 1024
MiB = 1024 * KiB
BLOCK = 64 * KiB
KEPT_BLOCKS = 32


class ObjectReader(io.RawIOBase):
    """``key`` of ``bucket`` (``size`` bytes, ETag ``etag``) as a read-only binary file."""

    def __init__(
        self,
        lake: Lake,
        bucket: str,
        key: str,
        size: int,
        etag: str,
        budget: int,
        block: int = BLOCK,
    ):
        super().__init__()
        self.lake = lake
        self.bucket = bucket
        self.key = key
        self.size = size
        self.etag = etag
        self.budget = budget
        self.block = block
        self.bytes_read = 0
        self.requests = 0
        self._pos = 0
        self._blocks: OrderedDict[int, bytes] = OrderedDict()

    # ----- io.RawIOBase ---------------------------------------------------------------------

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: self.size}[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def readinto(self, buffer) -> int:
        view = memoryview(buffer).cast("B")
        data = self.pread(self._pos, len(view))
        view[: len(data)] = data
        self._pos += len(data)
        return len(data)

    def read(self, n: int = -1) -> bytes:
        if n is None or n < 0:
            n = self.size - self._pos
        data = self.pread(self._pos, n)
        self._pos += len(data)
        return data

    # ----- ranges ---------------------------------------------------------------------------

    def pread(self, start: int, length: int) -> bytes:
        """``length`` bytes from ``start`` (fewer at the end), from kept blocks where it can."""
        end = min(self.size, start + max(0, length))
        if start >= end:
            return b""
        first = start // self.block * self.block
        if end - first > KEPT_BLOCKS * self.block:
            # More than the cache holds (a large column chunk): one GET, kept nowhere.
            return self.get(start, end)
        pieces = []
        for offset in range(first, end, self.block):
            block = self._block(offset, end)
            pieces.append(block[max(0, start - offset) : end - offset])
        return b"".join(pieces)

    def _block(self, offset: int, wanted_end: int) -> bytes:
        block = self._blocks.get(offset)
        if block is not None:
            self._blocks.move_to_end(offset)
            return block
        # One request for all the missing blocks up to wanted_end: a large read is one GET.
        last = offset
        while last + self.block < wanted_end and last + self.block not in self._blocks:
            last += self.block
        data = self.get(offset, min(self.size, last + self.block))
        for at in range(offset, offset + len(data), self.block):
            self._blocks[at] = data[at - offset : at - offset + self.block]
            self._blocks.move_to_end(at)
        # The block asked for is returned from the data itself: a read of more than
        # KEPT_BLOCKS blocks evicts its own first ones.
        while len(self._blocks) > KEPT_BLOCKS:
            self._blocks.popitem(last=False)
        return data[: self.block]

    def get(self, start: int, end: int) -> bytes:
        """Bytes ``start`` to ``end`` (exclusive) of the object as it was when the preview began."""
        if self.bytes_read + (end - start) > self.budget:
            raise Refused(
                413,
                f"A preview of {self.key} would read more than {self.budget // MiB} MiB from "
                "the data lake; download the object to look at it.",
            )
        try:
            reply = self.lake.translated(
                self.lake.client.get_object,
                Bucket=self.bucket,
                Key=self.key,
                Range=f"bytes={start}-{end - 1}",
                IfMatch=if_match(self.etag),
            )
        except LakeError as err:
            if err.not_found:
                raise Refused(404, f"{self.key} is not in the data lake (any more).") from err
            if err.changed:
                raise Refused(
                    409, f"{self.key} changed while it was being previewed; refresh and try again."
                ) from err
            raise
        body = reply["Body"]
        try:
            data = body.read()
        finally:
            body.close()
        self.requests += 1
        self.bytes_read += len(data)
        return data


__all__ = ["ObjectReader"]
