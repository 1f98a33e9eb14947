"""The MD5s of download parts hashed eight at a time (transfers/_md5lanes.c through
md5lanes.py) are hashlib's, whatever the lengths and the number of lanes, compiled or not: a
wrong one would fail a good download or pass a damaged one."""

from __future__ import annotations

import hashlib
import os
import random

import pytest

from jupyterlab_datalake import native_build
from jupyterlab_datalake.transfers import md5lanes

MiB = 1024**2
DATA = os.urandom(12 * MiB)


def read_at(view: memoryview, offset: int) -> int:
    # A short read each time, as preadv may give: the lanes must ask again for the rest.
    chunk = DATA[offset : offset + min(len(view), 300_001)]
    view[: len(chunk)] = chunk
    return len(chunk)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The current source compiled, or a skip where there is no C compiler."""
    path = str(tmp_path_factory.mktemp("md5lanes") / native_build.MD5_LIBRARY)
    if native_build.build(path, native_build.MD5_SOURCE) is None:
        pytest.skip("no C compiler")
    lib = md5lanes.load(path)
    if lib is None:
        pytest.skip("this CPU has no AVX2")
    return lib


LENGTHS = [0, 1, 55, 56, 63, 64, 65, 119, 120, 128, 1000, MiB - 1, MiB + 7, 8 * MiB // 3]


@pytest.mark.parametrize("compiled", [True, False], ids=["compiled", "hashlib"])
def test_the_digests_are_hashlibs_for_every_length_and_lane_count(request, compiled):
    lanes = md5lanes.Lanes(read_at, request.getfixturevalue("built") if compiled else None)
    if not compiled:
        lanes.lib = None
    rng = random.Random(7)
    for length in LENGTHS:
        for count in (1, 3, 8):
            starts = [rng.randrange(0, len(DATA) - length + 1) for _ in range(count)]
            expected = [hashlib.md5(DATA[s : s + length]).digest() for s in starts]
            assert lanes.md5s(starts, length) == expected, (length, count)


def test_the_lanes_are_built_with_the_package():
    if native_build.compiler() is None:
        pytest.skip("no C compiler")
    assert os.path.exists(md5lanes.LIBRARY), "build the package first (scripts/setup.sh)"
    assert md5lanes.library() is not None or not _avx2()


def _avx2() -> bool:
    with open("/proc/cpuinfo") as cpuinfo:
        return " avx2" in cpuinfo.read()
