"""GET /datalake/usage?since=…: files written outside JupyterLab (a terminal, a kernel) show in
the figure without a manual rescan, and a poll that finds nothing new is answered in a few bytes.
Home is a real tmpfs of its own here, as a PVC is; a shared volume is a folder of /tmp."""

from __future__ import annotations

import asyncio
import json
import os
import time

import pytest
from tornado.httpclient import HTTPClientError

from jupyterlab_datalake.home.usage import UsageMonitor
from jupyterlab_datalake.tests.test_usage_api import du

MiB = 1024**2


@pytest.fixture
def jp_root_dir(mount_tmpfs):
    return mount_tmpfs("own-home", "32m")


@pytest.fixture
def datalake_overrides(jp_root_dir):
    return {"home_dir": str(jp_root_dir), "home_quota": "20Mi"}


async def fetch_usage(jp_fetch, **params) -> dict:
    response = await jp_fetch("datalake", "usage", params=params)
    assert response.code == 200
    return json.loads(response.body)


async def poll_until_changed(jp_fetch, version: int, seconds: float = 10.0) -> dict:
    """Poll as the frontend does, every poll_seconds, until the figure is a new version."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        reply = await fetch_usage(jp_fetch, since=str(version))
        if not reply.get("unchanged"):
            return reply
        await asyncio.sleep(0.2)
    pytest.fail("the usage figure did not change")


async def test_a_file_written_by_another_process_shows_without_a_rescan(jp_fetch, jp_root_dir):
    first = await fetch_usage(jp_fetch)
    assert first["own_volume"] is True
    assert first["poll_seconds"] <= 2
    (jp_root_dir / "from-a-terminal.bin").write_bytes(os.urandom(3 * MiB))

    changed = await poll_until_changed(jp_fetch, first["version"])
    assert changed["used"] == du(jp_root_dir)
    assert changed["used"] >= first["used"] + 3 * MiB
    assert changed["largest_files"][0]["path"] == "from-a-terminal.bin"

    # Nothing moved since: the next poll says so, and only that.
    again = await jp_fetch("datalake", "usage", params={"since": str(changed["version"])})
    assert json.loads(again.body) == {
        "version": changed["version"],
        "unchanged": True,
        "refreshing": False,
    }


async def test_a_save_through_jupyter_needs_no_rescan_on_its_own_volume(jp_fetch, jp_root_dir):
    first = await fetch_usage(jp_fetch)
    body = {"type": "file", "format": "text", "content": "x" * MiB}
    await jp_fetch("api", "contents", "saved.txt", method="PUT", body=json.dumps(body))
    saved = await poll_until_changed(jp_fetch, first["version"])
    assert saved["scanned_at"] == first["scanned_at"], "the save hook counted it"
    assert saved["used"] == du(jp_root_dir)
    # The volume moved by the save only, so the poll does not walk home for it.
    after = await fetch_usage(jp_fetch, since=str(saved["version"]))
    assert after["unchanged"] is True


@pytest.mark.parametrize("since", ["abc", "-1", "1" * 40])
async def test_since_must_be_a_version(jp_fetch, since):
    with pytest.raises(HTTPClientError) as error:
        await jp_fetch("datalake", "usage", params={"since": since})
    assert error.value.code == 400
    assert "version" in json.loads(error.value.response.body)["message"]


@pytest.fixture
def allow_hidden() -> bool:
    return False


@pytest.fixture
def jp_server_config(jp_server_config, allow_hidden):
    return {**jp_server_config, "ContentsManager": {"allow_hidden": allow_hidden}}


@pytest.mark.parametrize("allow_hidden", [False, True])
async def test_the_reply_says_whether_hidden_paths_can_be_shown(jp_fetch, allow_hidden):
    usage = await fetch_usage(jp_fetch)
    assert usage["hidden_shown"] is allow_hidden


# ----- a shared volume: its used bytes say nothing about home, so the poll rescans on a timer --


async def test_on_a_shared_volume_the_poll_rescans_every_so_often(tmp_path):
    home = os.path.realpath(tmp_path)
    monitor = UsageMonitor(home, None, processes=1, shared_rescan=0.5)
    first = await monitor.get()
    assert first["own_volume"] is False
    assert first["poll_seconds"] == 0.5
    with open(os.path.join(home, "kernel-output.bin"), "wb") as out:
        out.write(os.urandom(MiB))
    # Before the interval: the cached figure, no walk.
    assert (await monitor.poll(first["version"]))["unchanged"] is True
    await asyncio.sleep(0.6)
    changed = await monitor.poll(first["version"])
    assert changed["used"] == du(home)
    assert changed["scanned_at"] > first["scanned_at"]


async def test_a_costly_scan_makes_the_shared_rescan_rarer(tmp_path):
    home = os.path.realpath(tmp_path)
    monitor = UsageMonitor(home, None, processes=1, shared_rescan=0.1)
    first = await monitor.get()
    monitor.result.duration = 1.0  # a home whose walk takes a second
    assert monitor.poll_seconds() == 50.0
    with open(os.path.join(home, "new.bin"), "wb") as out:
        out.write(os.urandom(MiB))
    await asyncio.sleep(0.2)
    assert (await monitor.poll(first["version"]))["unchanged"] is True
