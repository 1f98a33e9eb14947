"""The compiled per-folder loop of the scan (``_walker.c``), through ctypes.

``library()`` is the loaded ``_walker.so`` beside this file, or None where it was not built
(no C compiler when the wheel was made, another platform): the scan then runs its pure-Python
loop, which gives the same figures. See ``_walker.c`` for what one call returns.
"""

from __future__ import annotations

import ctypes
import functools
import os
import struct
from collections.abc import Iterator

from .. import native_build

LIBRARY = os.path.join(os.path.dirname(os.path.abspath(__file__)), "_walker.so")

FOLDER, LINKED, LARGE = b"D"[0], b"L"[0], b"F"[0]
_HEADER = struct.Struct("=BqqQ")
_NO_LIMIT = (1 << 63) - 1


class _Listing(ctypes.Structure):
    _fields_ = [
        ("blocks", ctypes.c_int64),
        ("apparent", ctypes.c_int64),
        ("files", ctypes.c_int64),
        ("listed", ctypes.c_int64),
        ("failed", ctypes.c_int32),
        ("nomem", ctypes.c_int32),
        ("records", ctypes.c_void_p),
        ("len", ctypes.c_size_t),
        ("cap", ctypes.c_size_t),
    ]


def load(path: str) -> ctypes.CDLL:
    lib = ctypes.CDLL(path)
    lib.dl_list.argtypes = [
        ctypes.c_int,
        ctypes.c_uint64,
        ctypes.c_int64,
        ctypes.POINTER(_Listing),
    ]
    lib.dl_list.restype = ctypes.c_int
    lib.dl_release.argtypes = [ctypes.POINTER(_Listing)]
    lib.dl_release.restype = None
    return lib


@functools.cache
def library() -> ctypes.CDLL | None:
    return native_build.loaded(load, LIBRARY)


class Lister:
    """One walk's calls into the library, with the record buffer they reuse."""

    def __init__(self, lib: ctypes.CDLL) -> None:
        self._lib = lib
        self._listing = _Listing()
        self._ref = ctypes.byref(self._listing)

    def list(self, fd: int, dev: int, fmin: float) -> tuple[int, int, int, int, bool]:
        """Sums of the folder's unlinked non-folder entries (blocks, apparent, files), the
        entries listed, and whether anything failed; then :meth:`records` has the rest."""
        # fmin is -1 (every file is a candidate), a block count, or infinity (none is).
        limit = _NO_LIMIT if fmin == float("inf") else int(fmin)
        self._lib.dl_list(fd, dev, limit, self._ref)
        out = self._listing
        if out.nomem:
            raise MemoryError("no memory for a folder's listing")
        return out.blocks, out.apparent, out.files, out.listed, bool(out.failed)

    def records(self) -> Iterator[tuple[int, int, int, int, str]]:
        """(kind, st_blocks, st_size, st_ino, name) of each entry the last listing recorded."""
        out = self._listing
        if not out.len:
            return
        data = ctypes.string_at(out.records, out.len)
        offset, end, size = 0, out.len, _HEADER.size
        unpack, find, decode = _HEADER.unpack_from, data.index, os.fsdecode
        while offset < end:
            kind, blocks, length, ino = unpack(data, offset)
            stop = find(b"\0", offset + size)
            yield kind, blocks, length, ino, decode(data[offset + size : stop])
            offset = stop + 1

    def __del__(self) -> None:
        self._lib.dl_release(self._ref)
