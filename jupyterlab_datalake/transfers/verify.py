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
from dataclasses import dataclass
from typing import Any

from ..errors import LakeError
from ..lake.client import Lake, part_size_for

MiB = 1024**2
# Part sizes that tools use by default (boto3 and awscli 8 MiB, s3cmd 15, mc 16, s3a 64 ...),
# preferred, in this order, when several whole-MiB part sizes give an ETag's part count.
USUAL_PARTS = (8, 5, 16, 15, 64, 100, 128)
# Ranges hold whole parts up to this size, hashed by their stream; larger parts would leave too
# few ranges to keep the streams busy.
MAX_PART_RANGE = 64 * MiB
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
            lake.client.head_object, Bucket=bucket, Key=key, PartNumber=1, IfMatch=etag
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
    """The check's digests. A whole-file digest is fed the file in order (``update``); so are
    the parts of a multipart ETag when they are large, while smaller ones are hashed by the
    stream that fetches them (each range holds whole parts), so that the MD5s run in
    parallel on the buffer just read."""

    def __init__(self, check: Check):
        self.check = check
        self.whole = {"sha256": hashlib.sha256, "md5": hashlib.md5}.get(check.kind, lambda: None)()
        self.by_range = check.kind == "parts" and check.part <= MAX_PART_RANGE
        self.parts: dict[int, bytes] = {}  # part number from 0: its MD5
        self._in_order = (
            PartMD5s(0, check.part) if check.kind == "parts" and not self.by_range else None
        )

    @property
    def follows(self) -> bool:
        """Whether the file is read back and hashed in order."""
        return self.whole is not None or self._in_order is not None

    def aligned(self, step: int) -> int:
        """A range size near ``step`` that holds whole parts when the streams hash them."""
        return self.check.part * max(1, step // self.check.part) if self.by_range else step

    def for_range(self, start: int) -> PartMD5s | None:
        return PartMD5s(start // self.check.part, self.check.part) if self.by_range else None

    def range_done(self, digests: PartMD5s) -> None:
        self.parts.update(digests.finish())

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
