"""One object fetched into a file by parallel ranged GETs, and the check of what was written.

Each range is read into a preallocated buffer and written with ``os.pwrite`` at its offset,
several ranges at a time; meanwhile the calling thread hashes the file's complete prefix as it
grows (read back from the page cache), so that the check ends moments after the last byte, and
memory holds one buffer per stream whatever the object's size.

What is checked, from the object's HeadObject (``choose_check``):

- the ``sha256`` metadata the extension's uploads store: the SHA-256 of the whole file;
- else a single-part ETag, which is the MD5 of the object: the MD5 of the whole file;
- else a multipart ETag (the MD5 of the parts' MD5s, ``-`` their count): the MD5 of each part
  of the file, when the part size is known. S3 says it (HeadObject with PartNumber=1); Ceph
  before Reef ignores PartNumber, and then the part size is inferred from the count, when one
  whole number of MiB gives exactly that count (uploads use whole MiB parts);
- else (KMS or customer-key encryption, whose ETag is no MD5; parts of unknown size) the size.

Every GET carries ``If-Match`` with the ETag planned on, so that an object replaced during the
download fails it rather than mixing two versions in one file.
"""

from __future__ import annotations

import hashlib
import http.client
import os
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ConnectionClosedError, ReadTimeoutError

from ..errors import LakeError
from ..lake.client import Lake, part_size_for
from .records import Stop

MiB = 1024**2
# What one stream reads at a time: one of these per stream is the memory a download holds.
BUFFER = 1 * MiB
# Ranges are large enough that the cost of a request (signing, RGW's per-request work) is
# small beside the bytes, and small enough that every stream has several.
MIN_RANGE, MAX_RANGE = 8 * MiB, 32 * MiB
RANGES_PER_STREAM = 4
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

    def range_size(self, size: int, streams: int) -> int:
        step = range_size(size, streams)
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


def range_size(size: int, streams: int) -> int:
    wanted = -(-size // (streams * RANGES_PER_STREAM))
    return min(MAX_RANGE, max(MIN_RANGE, -(-wanted // MiB) * MiB))


class Fetch:
    """One object's ranges fetched into ``fd`` (open for reading and writing) by ``submit``'s
    threads, ``streams`` at a time, and hashed for ``hasher``: by the streams, or by ``run``'s
    thread reading back what is complete.
    ``received(n)`` counts progress (and may raise Stop); ``stopped()`` says why to give up
    (a Stop), or None."""

    def __init__(
        self,
        lake: Lake,
        bucket: str,
        key: str,
        etag: str,
        size: int,
        fd: int,
        hasher: Hasher,
        received: Callable[[int], None],
        stopped: Callable[[], Stop | None],
    ):
        self.lake, self.bucket, self.key, self.etag = lake, bucket, key, etag
        self.size, self.fd, self.hasher = size, fd, hasher
        self.received, self.stopped = received, stopped
        self._changed = threading.Condition()
        self._complete = 0  # bytes from offset 0 that are all written
        self._done: set[int] = set()  # starts of ranges written beyond that
        self._lengths: dict[int, int] = {}
        self.error: BaseException | None = None

    def run(self, submit: Callable[..., Any], streams: int) -> None:
        """Fetch every range and hash it; raise the first failure once every stream has
        stopped."""
        hasher = self.hasher
        step = hasher.range_size(self.size, streams)
        starts = list(range(0, self.size, step))
        self._lengths = {s: min(step, self.size - s) for s in starts}
        if len(starts) <= 1:
            # One request: no thread to hand it to; the check reads it back afterwards.
            for start in starts:
                self._fetch(start)
            self._follow(hasher)
            return
        pending = iter(starts)
        lock = threading.Lock()

        def stream() -> None:
            while self.error is None:
                with lock:
                    start = next(pending, None)
                if start is None:
                    return
                try:
                    self._fetch(start)
                except BaseException as err:
                    self._fail(err)

        futures = [submit(stream) for _ in range(min(streams, len(starts)))]
        try:
            self._follow(hasher)
        except BaseException as err:
            self._fail(err)
        finally:
            for future in futures:
                future.cancel()
            for future in futures:
                if not future.cancelled():
                    future.exception()  # waits: no stream writes once this returns
        if self.error is not None:
            raise self.error

    def _fail(self, err: BaseException) -> None:
        with self._changed:
            if self.error is None:
                self.error = err
            self._changed.notify_all()

    def _fetch(self, start: int) -> None:
        length = self._lengths[start]
        end = start + length - 1
        try:
            reply = self.lake.translated(
                self.lake.client.get_object,
                Bucket=self.bucket,
                Key=self.key,
                Range=f"bytes={start}-{end}",
                IfMatch=self.etag,
            )
        except LakeError as err:
            if err.code in ("PreconditionFailed", "412"):
                raise Stop(
                    "failed",
                    f"{self.key} changed in the data lake during the download; nothing was "
                    "kept. Download it again to get the new version.",
                ) from err
            raise
        body = reply["Body"]
        try:
            if reply.get("ContentLength") != length:
                raise Stop(
                    "failed",
                    f"{self.key}: the data lake did not send the range asked for; nothing was kept.",
                )
            read = _reader(body)
            buffer = memoryview(bytearray(min(BUFFER, length)))
            digest = self.hasher.for_range(start)
            at = start
            while at <= end:
                self._check()
                n = self.lake.translated(_read, read, buffer[: min(len(buffer), end + 1 - at)])
                if not n:
                    closed = ConnectionClosedError(endpoint_url=self.lake.settings.endpoint_url)
                    raise LakeError(self.lake.classify(closed))
                if digest is not None:
                    digest.update(buffer[:n])
                _write(self.fd, buffer[:n], at)
                self.received(n)
                at += n
        finally:
            body.close()
        if digest is not None:
            self.hasher.range_done(digest)
        with self._changed:
            self._done.add(start)
            while self._complete in self._done:
                self._done.discard(self._complete)
                self._complete += self._lengths[self._complete]
            self._changed.notify_all()

    def _check(self) -> None:
        stop = self.stopped()
        if stop is not None:
            raise stop
        if self.error is not None:
            raise Stop("failed", "")  # another stream failed; its error is the one reported

    def _follow(self, hasher: Hasher) -> None:
        """Hash the file from offset 0 as far as it is complete, until its end."""
        buffer = memoryview(bytearray(BUFFER if hasher.follows else 0))
        at = 0
        while at < self.size:
            with self._changed:
                while self._complete <= at and self.error is None and self.stopped() is None:
                    self._changed.wait(0.2)
                complete = self._complete
            self._check()
            if not hasher.follows:
                at = complete
                continue
            while at < complete:
                n = _read_at(self.fd, buffer[: min(len(buffer), complete - at)], at)
                hasher.update(buffer[:n])
                at += n


def _reader(body: Any) -> Callable[[memoryview], int]:
    """How to read the body into a buffer. urllib3 2's ``readinto`` is a ``read`` and a copy;
    http.client's, under it, writes into the buffer itself, which halves the CPU time spent per
    byte. The range's length is checked here, byte by byte, in place of urllib3's count."""
    raw = getattr(body, "_raw_stream", None)
    fp = getattr(raw, "_fp", None)
    if isinstance(fp, http.client.HTTPResponse):
        return fp.readinto
    if hasattr(body, "readinto"):
        return body.readinto

    def read(buffer: memoryview) -> int:
        data = body.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    return read


def _read(read: Callable[[memoryview], int], buffer: memoryview) -> int:
    """One read from S3; a connection lost or timed out is the lake's failure, like botocore's."""
    try:
        return read(buffer)
    except TimeoutError as err:
        raise ReadTimeoutError(endpoint_url="", error=err) from err
    except (OSError, http.client.HTTPException) as err:
        raise ConnectionClosedError(endpoint_url="", error=err) from err


def _write(fd: int, data: memoryview, offset: int) -> None:
    while data:
        n = os.pwrite(fd, data, offset)
        data, offset = data[n:], offset + n


def _read_at(fd: int, buffer: memoryview, offset: int) -> int:
    n = os.preadv(fd, [buffer], offset)
    if n <= 0:
        raise OSError(f"the temporary file ended at {offset:,} bytes")
    return n


__all__ = ["Check", "Fetch", "Hasher", "choose_check", "range_size"]
