"""What a download into home is checked against, from the object's HeadObject
(``choose_check``), and the digests that check it (``Hasher``):

- the ``sha256`` metadata the extension's uploads store: the SHA-256 of the whole file;
- else a single-part ETag, which is the MD5 of the object: the MD5 of the whole file;
- else a multipart ETag (the MD5 of the parts' MD5s, ``-`` their count): the MD5 of each part
  of the file, when the part size is known. S3 says it (HeadObject with PartNumber=1); Ceph
  before Reef ignores PartNumber, and then the part size is inferred from the count, when one
  whole number of MiB gives exactly that count (uploads use whole MiB parts);
- else (KMS or customer-key encryption, whose ETag is no MD5; parts of unknown size) the size.

The item's record says which (``Check.passed``).
"""

from __future__ import annotations

import hashlib
import re
import threading
from dataclasses import dataclass
from typing import Any

from ..errors import LakeError
from ..lake.client import Lake, part_size_for
from ..lake.etags import if_match
from . import md5lanes

MiB = 1024**2
# Part sizes that tools use by default (boto3 and awscli 8 MiB, s3cmd 15, mc 16, s3a 64 ...),
# preferred, in this order, when several whole-MiB part sizes give an ETag's part count.
USUAL_PARTS = (8, 5, 16, 15, 64, 100, 128)
# Ranges hold whole parts up to this size, hashed by their stream; larger parts would leave too
# few ranges to keep the streams busy.
MAX_PART_RANGE = 64 * MiB
# Parts up to this size are hashed eight at a time (md5lanes.py) once all eight are in the file:
# larger ones would leave that much more to hash after the last byte arrived.
MAX_PART_LANES = 16 * MiB
# What each lane reads back per call when a stream hashes eight parts: eight of these are that
# stream's buffers, so a download's streams hold 1 MiB each for it.
STREAM_CHUNK = 128 * 1024
_MD5 = re.compile(r"[0-9a-f]{32}")
_MULTIPART = re.compile(r"([0-9a-f]{32})-([0-9]+)")
_SHA256 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class Check:
    """How a download is verified: ``kind`` "sha256", "md5", "parts" (MD5 per part against a
    multipart ETag) or "size"; ``part`` is the part size of "parts", ``certain`` whether a
    mismatch proves damage (False: the part size was a best guess)."""

    kind: str
    expected: str = ""
    part: int = 0
    told: bool = True
    certain: bool = True
    reason: str = ""

    def hasher(self) -> Hasher:
        return Hasher(self)

    def passed(self) -> str:
        """What the item's record says once the file matched."""
        if self.kind == "sha256":
            return "Verified: its SHA-256 matches the one stored when it was uploaded."
        if self.kind == "md5":
            return "Verified: its MD5 matches the object's ETag."
        if self.kind == "parts":
            how = "as S3 reports" if self.told else "inferred from the ETag's part count"
            return (
                f"Verified: the MD5s of its parts of {_mib(self.part)} ({how}) reproduce the "
                "object's multipart ETag."
            )
        return f"Only its size was checked: {self.reason}"

    def unsure(self) -> str:
        """What the record says when parts of a guessed size did not reproduce the ETag."""
        return (
            f"Not verified: S3 does not say the size of its parts, and parts of "
            f"{_mib(self.part)} do not reproduce its ETag; the file is as the data lake sent it."
        )

    def failed(self, key: str) -> str:
        what = {"sha256": "SHA-256", "md5": "MD5"}.get(self.kind, "per-part MD5")
        against = "the checksum stored at upload" if self.kind == "sha256" else "its ETag"
        return f"{key} arrived damaged: its {what} does not match {against}; nothing was kept."


def choose_check(lake: Lake, bucket: str, key: str, head: dict[str, Any], base: int) -> Check:
    """The check for an object of this HeadObject reply; ``base`` is the extension's part size."""
    sha = head.get("Metadata", {}).get("sha256", "")
    if _SHA256.fullmatch(sha):
        return Check("sha256", sha)
    etag = head.get("ETag", "").strip('"')
    if head.get("ServerSideEncryption") == "aws:kms" or head.get("SSECustomerAlgorithm"):
        return Check("size", reason="an object encrypted with KMS or a customer key has an ETag "
                     "that is not its MD5.")  # fmt: skip
    if _MD5.fullmatch(etag):
        return Check("md5", etag)
    multipart = _MULTIPART.fullmatch(etag)
    if not multipart:
        return Check("size", reason="the object's ETag is not one that an MD5 reproduces.")
    count, size = int(multipart.group(2)), head["ContentLength"]
    told = _told_part_size(lake, bucket, key, head["ETag"], count)
    if told and _parts(size, told) == count:
        return Check("parts", etag, told)
    part, certain = _inferred_part_size(size, count, base)
    if not part:
        return Check("size", reason=f"S3 does not say the size of the object's {count} parts.")
    return Check("parts", etag, part, told=False, certain=certain)


def _told_part_size(lake: Lake, bucket: str, key: str, etag: str, count: int) -> int | None:
    try:
        first = lake.translated(
            lake.client.head_object, Bucket=bucket, Key=key, PartNumber=1, IfMatch=if_match(etag)
        )
    except LakeError:
        return None  # no part numbers here; a lake gone is found by the download itself
    return first["ContentLength"] if first.get("PartsCount") == count else None


def _inferred_part_size(size: int, count: int, base: int) -> tuple[int | None, bool]:
    """A part size giving ``count`` parts, and whether it is the only whole-MiB one (so that a
    mismatch is damage, not a wrong guess). One part is one layout, whatever its size."""
    if count == 1:
        return size, True
    # ceil(size / part) == count  <=>  size / count <= part < size / (count - 1)
    low, high = -(-size // count), -(-size // (count - 1))
    whole = range(max(-(-low // MiB), 5), -(-high // MiB))  # in MiB, at least S3's 5
    if len(whole) == 1:
        return whole[0] * MiB, True
    for part in (part_size_for(size, base), *(part_size_for(size, n * MiB) for n in USUAL_PARTS)):
        if _parts(size, part) == count:
            return part, False
    return None, False


def _parts(size: int, part: int) -> int:
    return max(1, -(-size // part))


def _mib(n: int) -> str:
    return f"{n // MiB} MiB" if n % MiB == 0 else f"{n:,} bytes"


class Hasher:
    """The check's digests. A whole-file digest is fed the file in order, read back as it
    becomes complete (``catch_up``). The parts of a multipart ETag are hashed eight at a time
    (md5lanes.py) where the compiled lanes run: the stream whose range completes a run of
    eight parts reads them back and hashes them (``written``), so that hashing runs on every
    stream, beside the transfer, and little is left once the last byte arrives. Without the
    lanes, the stream that fetches small parts hashes them (each range holds whole parts) on
    the buffer just read, and large ones are fed in order."""

    def __init__(self, check: Check):
        self.check = check
        self.whole = {"sha256": hashlib.sha256, "md5": hashlib.md5}.get(check.kind, lambda: None)()
        parts = check.kind == "parts"
        self.grouped = parts and check.part <= MAX_PART_LANES and md5lanes.library() is not None
        self.by_range = parts and not self.grouped and check.part <= MAX_PART_RANGE
        self.parts: dict[int, bytes] = {}  # part number from 0: its MD5
        self._in_order = PartMD5s(0, check.part) if parts and check.part > MAX_PART_RANGE else None
        self._buffer: memoryview | None = None
        self._lock = threading.Lock()
        self._unwritten: dict[int, int] = {}  # start of a run of eight parts: bytes still due
        self._lanes = threading.local()  # each stream's buffers

    @property
    def follows(self) -> bool:
        """Whether the file is read back and hashed in order as it becomes complete."""
        return self.whole is not None or self._in_order is not None

    def aligned(self, step: int) -> int:
        """A range size near ``step`` that holds whole parts when the streams hash them."""
        return self.check.part * max(1, step // self.check.part) if self.by_range else step

    def for_range(self, start: int) -> PartMD5s | None:
        return PartMD5s(start // self.check.part, self.check.part) if self.by_range else None

    def range_done(self, digests: PartMD5s) -> None:
        self.parts.update(digests.finish())

    def written(self, read_at: md5lanes.ReadAt, start: int, length: int, size: int) -> None:
        """Count ``length`` bytes at ``start`` as written to the file of ``size`` bytes, and
        hash each run of eight parts that this completes, read back with ``read_at``."""
        if not self.grouped:
            return
        run, ready = md5lanes.LANES * self.check.part, []
        with self._lock:
            for first in range(start - start % run, start + length, run):
                last = min(size, first + run)
                due = self._unwritten.get(first, last - first)
                due -= min(last, start + length) - max(first, start)
                self._unwritten[first] = due
                if due == 0:
                    ready.append((first, last))
        for first, last in ready:
            self._hash_run(read_at, first, last)

    def _hash_run(self, read_at: md5lanes.ReadAt, first: int, last: int) -> None:
        lanes = getattr(self._lanes, "lanes", None)
        if lanes is None:
            lanes = self._lanes.lanes = md5lanes.Lanes(read_at, chunk=STREAM_CHUNK)
        part = self.check.part
        whole = list(range(first, last - part + 1, part))
        digests = dict(zip(whole, lanes.md5s(whole, part), strict=True))
        short = first + part * len(whole)
        if short < last:  # the object's last part, shorter
            digests[short] = lanes.md5s([short], last - short)[0]
        with self._lock:
            self.parts.update((at // part, digest) for at, digest in digests.items())

    def catch_up(self, read_at: md5lanes.ReadAt, at: int, complete: int) -> int:
        """Hash, in order, what ``read_at`` reads of the file from ``at`` up to ``complete``
        (its complete prefix); how far it is hashed now."""
        if not self.follows:
            return complete
        if self._buffer is None:
            self._buffer = memoryview(bytearray(md5lanes.CHUNK))
        while at < complete:
            n = read_at(self._buffer[: min(len(self._buffer), complete - at)], at)
            self.update(self._buffer[:n])
            at += n
        return at

    def update(self, data: memoryview) -> None:
        if self.whole is not None:
            self.whole.update(data)
        elif self._in_order is not None:
            self._in_order.update(data)

    def matches(self) -> bool:
        if self.whole is not None:
            return self.whole.hexdigest() == self.check.expected
        if self.check.kind != "parts":
            return True
        if self._in_order is not None:
            self.parts.update(self._in_order.finish())
        md5s = [self.parts.get(n, b"") for n in range(len(self.parts))]
        joined = hashlib.md5(b"".join(md5s)).hexdigest()
        return f"{joined}-{len(md5s)}" == self.check.expected


class PartMD5s:
    """The MD5 of each part of ``part`` bytes in a run of the file's bytes fed in order, the
    first being part ``number`` (from 0)."""

    def __init__(self, number: int, part: int):
        self.number, self.part = number, part
        self.digests: dict[int, bytes] = {}
        self._md5, self._left = hashlib.md5(), part

    def update(self, data: memoryview) -> None:
        while data:
            take = data[: self._left]
            self._md5.update(take)
            self._left -= len(take)
            data = data[len(take) :]
            if self._left == 0:
                self._next()

    def finish(self) -> dict[int, bytes]:
        if self._left != self.part:  # the last part, shorter
            self._next()
        return self.digests

    def _next(self) -> None:
        self.digests[self.number] = self._md5.digest()
        self.number += 1
        self._md5, self._left = hashlib.md5(), self.part


__all__ = ["Check", "Hasher", "PartMD5s", "choose_check"]
