"""The MD5s of up to eight equal-length runs of a file, hashed side by side.

A download checked against a multipart ETag needs the MD5 of every part, and one MD5 is serial:
hashlib's (OpenSSL's) runs at about 400 MiB/s on a core here, which on a two-CPU server made it
the largest cost of a download. ``_md5lanes.c`` runs eight MD5s in the lanes of AVX2 registers
for about the price of one (2 GiB/s for the eight here), so the parts of a download are hashed
eight at a time, read back from the page cache into buffers made once. Where the library is not
built (no C compiler at install) or the CPU lacks AVX2, ``Lanes`` hashes the same runs with
hashlib, one after the other, with the same digests.
"""

from __future__ import annotations

import ctypes
import functools
import hashlib
import os
import struct
from collections.abc import Callable

from .. import native_build

LIBRARY = os.path.join(os.path.dirname(os.path.abspath(__file__)), "_md5lanes.so")
LANES = 8
CHUNK = 1024**2  # bytes of each run read and hashed per call: a multiple of the 64-byte block
_INITIAL = (0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476)

ReadAt = Callable[[memoryview, int], int]  # fills a prefix of the buffer from the offset


def load(path: str) -> ctypes.CDLL | None:
    """The library at ``path`` if it runs on this CPU, else None."""
    lib = ctypes.CDLL(path)
    lib.md5_lanes.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int, ctypes.c_size_t]
    lib.md5_lanes.restype = ctypes.c_int
    lib.md5_lanes_available.restype = ctypes.c_int
    return lib if lib.md5_lanes_available() else None


@functools.cache
def library() -> ctypes.CDLL | None:
    return native_build.loaded(load, LIBRARY)


def padding(length: int) -> bytes:
    """MD5's padding after a message of ``length`` bytes: 0x80, zeros, the length in bits."""
    return b"\x80" + b"\0" * ((55 - length) % 64) + struct.pack("<Q", 8 * length)


class Lanes:
    """Hashes runs of a file read with ``read_at``; holds LANES buffers of ``chunk`` bytes (a
    multiple of 64; one buffer without the library), made once."""

    def __init__(self, read_at: ReadAt, lib: ctypes.CDLL | None = None, chunk: int = CHUNK):
        self.read_at, self.chunk = read_at, chunk
        self.lib = lib if lib is not None else library()
        count = LANES if self.lib is not None else 1
        self._buffers = [bytearray(chunk + 128) for _ in range(count)]  # + room for the padding
        self._views = [memoryview(b) for b in self._buffers]
        self._pointers = (ctypes.c_void_p * LANES)(
            *(ctypes.addressof(ctypes.c_char.from_buffer(b)) for b in self._buffers)
        )

    def md5s(self, starts: list[int], length: int) -> list[bytes]:
        """The MD5 of the ``length`` bytes at each offset in ``starts`` (at most LANES)."""
        if not starts:
            return []
        if self.lib is None:
            return [self._one(start, length) for start in starts]
        count = len(starts)
        state = (ctypes.c_uint32 * (4 * LANES))()
        for word, value in enumerate(_INITIAL):
            for lane in range(LANES):
                state[word * LANES + lane] = value
        whole = length - length % 64
        at = 0
        while at < whole:
            n = min(self.chunk, whole - at)
            for lane, start in enumerate(starts):
                self._fill(self._views[lane][:n], start + at)
            self.lib.md5_lanes(state, self._pointers, count, n // 64)
            at += n
        rest, pad = length - whole, padding(length)
        for lane, start in enumerate(starts):
            self._fill(self._views[lane][:rest], start + whole)
            self._views[lane][rest : rest + len(pad)] = pad
        self.lib.md5_lanes(state, self._pointers, count, (rest + len(pad)) // 64)
        return [
            struct.pack("<4I", *(state[word * LANES + lane] for word in range(4)))
            for lane in range(count)
        ]

    def _one(self, start: int, length: int) -> bytes:
        digest, view, at = hashlib.md5(), self._views[0], 0
        while at < length:
            n = min(self.chunk, length - at)
            self._fill(view[:n], start + at)
            digest.update(view[:n])
            at += n
        return digest.digest()

    def _fill(self, view: memoryview, offset: int) -> None:
        while view:
            n = self.read_at(view, offset)
            view, offset = view[n:], offset + n


__all__ = ["LANES", "Lanes", "library", "padding"]
