"""What a transfer tells the browser besides its bytes, through a real Jupyter server and a real
S3 server (Ceph RGW): that it is verifying once every byte has moved, and, in a plan that asks
about clashes, where keeping both would put each clashing file."""

from __future__ import annotations

import asyncio
import os
import threading
import time

from jupyterlab_datalake.lake import multipart as multipart_module
from jupyterlab_datalake.tests import test_transfers as support
from jupyterlab_datalake.tests.test_transfers import (
    MiB,
    get_transfer,
    post,
    read_object,
    send,
    wait_for,
    write,
)
from jupyterlab_datalake.transfers.download import Downloader
from jupyterlab_datalake.transfers.records import Item, Transfer

# The transfer tests' fixtures: home as the file browser's root, a prefix of the test's own,
# and 5 MiB parts.
home, prefix, scratch = support.home, support.prefix, support.scratch
datalake_overrides = support.datalake_overrides


def held(checks: threading.Event, release: threading.Event, step):
    """``step`` as it is, once the test has looked: the transfer waits there, at the start of
    its final checks, until ``release``."""

    def wrapper(*args, **kwargs):
        checks.set()
        release.wait(60)
        return step(*args, **kwargs)

    return wrapper


async def until(event: threading.Event) -> None:
    deadline = time.monotonic() + 60
    while not event.is_set():
        assert time.monotonic() < deadline, "the transfer never reached its final checks"
        await asyncio.sleep(0.02)


async def test_an_upload_is_verifying_while_s3_assembles_and_checks_it(
    jp_fetch, home, prefix, s3_client, monkeypatch
):
    checks, release = threading.Event(), threading.Event()
    monkeypatch.setattr(
        multipart_module, "complete", held(checks, release, multipart_module.complete)
    )
    data = os.urandom(12 * MiB)  # three parts of 5 MiB
    write(home / "big.bin", data)
    code, started = await post(jp_fetch, sources=["big.bin"], prefix=prefix)
    assert code == 201 and started["verifying"] is False
    try:
        while not checks.is_set():
            moving = await get_transfer(jp_fetch, started["id"])
            if moving["bytes_done"] < moving["bytes_total"]:
                assert moving["verifying"] is False, moving
            await asyncio.sleep(0.02)
        checking = await get_transfer(jp_fetch, started["id"])
    finally:
        release.set()
    assert checking["state"] == "running" and checking["verifying"] is True, checking
    assert checking["bytes_done"] == checking["bytes_total"] == len(data)
    # Nothing is left to send, so no time left is claimed.
    assert checking["eta"] is None and checking["rate"] is None
    done = await wait_for(jp_fetch, started["id"])
    assert done["state"] == "done" and done["verifying"] is False
    assert read_object(s3_client, f"shared/{prefix}/big.bin") == data


async def test_a_download_is_verifying_once_every_byte_is_in(
    jp_fetch, home, prefix, s3_client, monkeypatch
):
    key = f"shared/{prefix}/data.bin"
    s3_client.put_object(Bucket="datalake", Key=key, Body=os.urandom(3 * MiB))
    checks, release = threading.Event(), threading.Event()
    monkeypatch.setattr(Downloader, "_place", held(checks, release, Downloader._place))
    (home / "in").mkdir()
    code, started = await post(jp_fetch, direction="download", sources=[key], destination="in")
    assert code == 201
    try:
        await until(checks)
        checking = await get_transfer(jp_fetch, started["id"])
    finally:
        release.set()
    assert checking["state"] == "running" and checking["verifying"] is True, checking
    done = await wait_for(jp_fetch, started["id"])
    assert done["state"] == "done" and done["verifying"] is False
    assert (home / "in" / "data.bin").stat().st_size == 3 * MiB


def test_a_retry_sends_again_before_it_verifies_again():
    """An item stopped in its checks (say, a damaged upload) starts its next run sending."""
    item = Item("a.bin", "shared/a.bin", 10, state="running")
    transfer = Transfer(
        id="t",
        direction="upload",
        area="shared",
        prefix="",
        sources=["a.bin"],
        conflict="ask",
        bucket="datalake",
        destination="shared/a.bin",
        items=[item],
        state="running",
        started=time.time(),
    )
    item.begin_checks()
    assert transfer.public()["verifying"] is True
    transfer.started = item.checking + 1  # the retry's run
    assert transfer.public()["verifying"] is False


async def test_a_plan_that_asks_says_where_keeping_both_would_put_each_clash(
    jp_fetch, home, prefix, s3_client
):
    for key in (f"shared/{prefix}/report.csv", f"shared/{prefix}/report (1).csv"):
        s3_client.put_object(Bucket="datalake", Key=key, Body=b"theirs")
    s3_client.put_object(Bucket="datalake", Key=f"shared/{prefix}/run/a.txt", Body=b"theirs")
    write(home / "report.csv", b"mine")
    write(home / "notes.txt", b"mine")
    write(home / "run" / "a.txt", b"mine")
    write(home / "run" / "b.txt", b"mine")
    sources = ["report.csv", "notes.txt", "run"]
    code, plan = await post(jp_fetch, sources=sources, prefix=prefix, dry_run=True)
    assert code == 200
    renamed = {i["destination"]: i["renamed"] for i in plan["items"]}
    base = f"shared/{prefix}/"
    assert renamed == {
        f"{base}report.csv": f"{base}report (2).csv",
        f"{base}notes.txt": None,  # no clash, no new name
        # A folder is kept both as a whole: what does not clash in it moves too.
        f"{base}run/a.txt": f"{base}run (1)/a.txt",
        f"{base}run/b.txt": f"{base}run (1)/b.txt",
    }
    # Keeping both does what the plan said.
    done = await send(jp_fetch, sources=sources, prefix=prefix, conflict="rename")
    assert sorted(i["destination"] for i in done["items"]) == sorted(
        renamed[k] or k for k in renamed
    )
    assert read_object(s3_client, f"{base}report (2).csv") == b"mine"


async def test_a_download_plan_that_asks_says_where_keeping_both_would_put_it(
    jp_fetch, home, prefix, s3_client
):
    key = f"shared/{prefix}/data.csv"
    s3_client.put_object(Bucket="datalake", Key=key, Body=b"from the lake")
    write(home / "in" / "data.csv", b"mine")
    write(home / "in" / "data (1).csv", b"mine too")
    body = {"direction": "download", "sources": [key], "destination": "in"}
    code, plan = await post(jp_fetch, dry_run=True, **body)
    assert code == 200
    [item] = plan["items"]
    assert item["exists"] and item["renamed"] == "in/data (2).csv"
    done = await send(jp_fetch, conflict="rename", **body)
    assert [i["destination"] for i in done["items"]] == ["in/data (2).csv"]
    assert (home / "in" / "data (2).csv").read_bytes() == b"from the lake"
    assert (home / "in" / "data.csv").read_bytes() == b"mine"
