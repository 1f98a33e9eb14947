"""While a transfer runs, the server still answers the user first: the threads that move and
hash the bytes run at a lower priority than the event loop (transfers/threads.py). Measured
in bench_transfer.py as the p99 of GET /api/status during an upload; here, the nice values of
the threads while an upload and a download are under way, in the real server."""

from __future__ import annotations

import asyncio
import os
import threading

import pytest

from jupyterlab_datalake.tests import test_lake_browser as browser_tests
from jupyterlab_datalake.tests.test_lake_browser import call, download, wait_done
from jupyterlab_datalake.transfers.threads import NICER

MiB = 1024**2
home = browser_tests.home


@pytest.fixture
def datalake_overrides(home):
    # Slow enough to look at the threads while the bytes move.
    return {
        "home_dir": str(home),
        "watched_paths": [str(home / "none")],
        "part_size": "5Mi",
        "transfer_bandwidth": "8Mi",
        "transfer_concurrency": 2,
    }


def nice_of(native_id: int) -> int:
    with open(f"/proc/self/task/{native_id}/stat") as f:
        return int(f.read().rsplit(")", 1)[1].split()[16])  # field 19 of proc(5)


def priorities() -> dict[str, int]:
    """Each running transfer thread's nice value, over the main thread's."""
    base = nice_of(threading.main_thread().native_id)
    return {
        t.name: nice_of(t.native_id) - base
        for t in threading.enumerate()
        if t.name.startswith(("datalake-part", "datalake-transfer", "datalake-range"))
    }


async def while_running(jp_fetch, started: dict) -> dict[str, int]:
    while (await call(jp_fetch, "transfers", started["id"]))[1]["bytes_done"] == 0:
        await asyncio.sleep(0.02)
    seen = priorities()
    code, _ = await call(jp_fetch, "transfers", started["id"], method="DELETE")
    assert code == 202
    await wait_done(jp_fetch, started["id"])
    return seen


async def test_an_upload_s_threads_yield_to_the_event_loop(jp_fetch, home, folder):
    (home / "big.bin").write_bytes(os.urandom(40 * MiB))
    body = {"sources": ["big.bin"], "area": "shared", "prefix": folder}
    code, started = await call(jp_fetch, "transfers", method="POST", body=body)
    assert code == 201, started
    seen = await while_running(jp_fetch, started)
    assert any(name.startswith("datalake-part") for name in seen), seen
    assert set(seen.values()) == {NICER}, seen
    # The thread that answers requests keeps the server's priority.
    assert nice_of(threading.get_native_id()) == nice_of(threading.main_thread().native_id)


async def test_a_download_s_streams_yield_to_the_event_loop(jp_fetch, home, folder, s3_client):
    key = f"shared/{folder}/big.bin"
    s3_client.put_object(Bucket="datalake", Key=key, Body=os.urandom(40 * MiB))
    code, started = await download(jp_fetch, [key], "")
    assert code == 201, started
    seen = await while_running(jp_fetch, started)
    assert any(name.startswith("datalake-range") for name in seen), seen
    assert set(seen.values()) == {NICER}, seen
