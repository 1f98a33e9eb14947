"""One object fetched into a file by parallel ranged GETs, and hashed for its check
(verify.py) as it arrives.

Each range is read into a preallocated buffer and written with ``os.pwrite`` at its offset,
several ranges at a time, and hashed for its check (verify.Hasher) so that the check ends
moments after the last byte: a whole-file digest by the calling thread, reading back the file's
complete prefix as it grows (from the page cache); a multipart ETag's parts eight at a time by
the stream whose range completes them, read back the same way (or, without the compiled MD5
lanes, each by the stream that fetches it). Memory holds one
buffer per stream whatever the object's size.

Every GET carries ``If-Match`` with the ETag planned on, so that an object replaced during the
download fails it rather than mixing two versions in one file.
"""

from __future__ import annotations

import http.client
import os
import threading
from collections.abc import Callable
from typing import Any

from botocore.exceptions import ConnectionClosedError, ReadTimeoutError

from ..errors import LakeError
from ..lake.client import Lake
from ..lake.etags import if_match
from .records import Stop
from .verify import Hasher

MiB = 1024**2
# What one stream reads at a time: one of these per stream is the memory a download holds.
BUFFER = 1 * MiB
# Ranges are large enough that the cost of a request (signing, RGW's per-request work) is
# small beside the bytes, and small enough that every stream has several.
MIN_RANGE, MAX_RANGE = 8 * MiB, 32 * MiB
RANGES_PER_STREAM = 4


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

    def run(self, submit: Callable[..., Any], streams: int, whole: Any = None) -> None:
        """Fetch every range and hash it; raise the first failure once every stream has
        stopped. ``whole``: the reply of a GET of the whole (small) object, read instead."""
        hasher = self.hasher
        if whole is not None:
            step = max(1, self.size)
        else:
            step = hasher.aligned(range_size(self.size, streams))
        starts = list(range(0, self.size, step))
        self._lengths = {s: min(step, self.size - s) for s in starts}
        if len(starts) <= 1:
            # One request: no thread to hand it to; the check reads it back afterwards.
            if whole is None:
                for start in starts:
                    self._fetch(start)
            elif starts:
                self._take(0, whole)
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
                IfMatch=if_match(self.etag),
            )
        except LakeError as err:
            if err.changed:
                raise Stop(
                    "failed",
                    f"{self.key} changed in the data lake during the download; nothing was "
                    "kept. Download it again to get the new version.",
                ) from err
            raise
        self._take(start, reply)

    def _take(self, start: int, reply: dict[str, Any]) -> None:
        """Write the body of a GET of the range at ``start`` into the file, hashing it."""
        length = self._lengths.get(start, 0)
        end = start + length - 1
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
            _release(body)
        finally:
            body.close()
        if digest is not None:
            self.hasher.range_done(digest)
        self.hasher.written(self._read_at, start, length, self.size)
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
        at = 0
        while at < self.size:
            with self._changed:
                while self._complete <= at and self.error is None and self.stopped() is None:
                    self._changed.wait(0.2)
                complete = self._complete
            self._check()
            at = hasher.catch_up(self._read_at, at, complete)

    def _read_at(self, buffer: memoryview, offset: int) -> int:
        return _read_at(self.fd, buffer, offset)


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


def _release(body: Any) -> None:
    """Give a body read to its end back to the connection pool. Read through http.client
    (``_reader``), urllib3 has not seen the end, and closing the body would close the
    connection: every range would then open a new one."""
    raw = getattr(body, "_raw_stream", None)
    if raw is not None and raw.isclosed():
        raw.release_conn()


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


__all__ = ["Fetch", "range_size"]
