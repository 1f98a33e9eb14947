"""GET /datalake/usage and POST /datalake/trash/empty through a real Jupyter server: the figure
matches du, follows saves without a rescan, and emptying the trash frees what it says."""

from __future__ import annotations

import json
import os
import subprocess

import pytest
from tornado.httpclient import HTTPClientError

MiB = 1024**2


def du(path) -> int:
    out = subprocess.run(["du", "-sxB1", str(path)], capture_output=True, text=True, check=True)
    return int(out.stdout.split()[0])


@pytest.fixture
def home(jp_root_dir):
    # Home is the file browser's root, as on the platform, so saves land in home.
    (jp_root_dir / "data").mkdir()
    (jp_root_dir / "data" / "sales.csv").write_bytes(os.urandom(3 * MiB))
    (jp_root_dir / "notebooks").mkdir()
    (jp_root_dir / "notebooks" / "explore.ipynb").write_text("{}")
    (jp_root_dir / ".cache").mkdir()
    (jp_root_dir / ".cache" / "pip.bin").write_bytes(os.urandom(MiB))
    trash = jp_root_dir / ".local" / "share" / "Trash"
    (trash / "files").mkdir(parents=True)
    (trash / "info").mkdir()
    (trash / "files" / "old.parquet").write_bytes(os.urandom(2 * MiB))
    (trash / "info" / "old.parquet.trashinfo").write_text(
        "[Trash Info]\nPath=/home/jovyan/old.parquet\nDeletionDate=2026-11-01T10:00:00\n"
    )
    return jp_root_dir


@pytest.fixture
def datalake_overrides(home):
    return {"home_dir": str(home), "home_quota": "20Mi"}


async def get_usage(jp_fetch, refresh=False) -> dict:
    params = {"refresh": "1"} if refresh else {}
    response = await jp_fetch("datalake", "usage", params=params)
    assert response.code == 200
    return json.loads(response.body)


async def test_usage_matches_du_and_the_quota(jp_fetch, home):
    usage = await get_usage(jp_fetch)
    assert usage["used"] == du(home)
    assert usage["capacity"] == 20 * MiB
    assert usage["capacity_source"] == "quota"
    assert usage["percent"] == pytest.approx(100 * usage["used"] / (20 * MiB), abs=0.01)
    assert usage["volume"]["free"] > 0
    assert usage["home_in_contents"] == ""
    assert usage["largest_files"][0]["path"] == "data/sales.csv"
    assert {"data", ".cache", ".local"} <= {d["path"] for d in usage["largest_dirs"]}
    assert usage["trash"]["files"] == 2  # the file and its .trashinfo
    assert usage["trash"]["items"] == 1  # what the user deleted
    assert usage["trash"]["bytes"] >= 2 * MiB


@pytest.mark.parametrize("datalake_overrides", [{"home_quota": None}])
async def test_without_a_quota_the_volume_is_the_capacity(jp_fetch):
    usage = await get_usage(jp_fetch)
    assert usage["capacity_source"] == "volume"
    assert (
        usage["capacity"] == os.statvfs(usage["home"]).f_blocks * os.statvfs(usage["home"]).f_frsize
    )
    assert usage["home_in_contents"] is None  # the test home is outside the contents root


async def test_a_save_updates_the_figure_without_a_rescan(jp_fetch, home):
    before = await get_usage(jp_fetch)
    body = {"type": "file", "format": "text", "content": "x" * (5 * MiB)}
    response = await jp_fetch(
        "api", "contents", "notebooks", "big.txt", method="PUT", body=json.dumps(body)
    )
    assert response.code == 201
    after = await get_usage(jp_fetch)
    assert after["scanned_at"] == before["scanned_at"], "the save must not cause a rescan"
    assert after["updated_at"] > before["updated_at"]
    assert after["update_seconds"] is not None
    assert after["used"] == du(home)
    assert after["used"] - before["used"] >= 5 * MiB
    assert after["files"] == before["files"] + 1
    assert after["largest_files"][0]["path"] == "notebooks/big.txt"
    notebooks = next(d for d in after["largest_dirs"] if d["path"] == "notebooks")
    assert notebooks["bytes"] >= 5 * MiB

    # Overwriting it smaller gives the space back.
    body["content"] = "small"
    await jp_fetch("api", "contents", "notebooks", "big.txt", method="PUT", body=json.dumps(body))
    shrunk = await get_usage(jp_fetch)
    assert shrunk["used"] == du(home)
    assert shrunk["files"] == after["files"]


async def test_refresh_rescans_what_changed_outside_jupyter(jp_fetch, home):
    before = await get_usage(jp_fetch)
    (home / "data" / "from-a-terminal.bin").write_bytes(os.urandom(MiB))
    assert (await get_usage(jp_fetch))["used"] == before["used"], "served from the cache"
    refreshed = await get_usage(jp_fetch, refresh=True)
    assert refreshed["used"] == du(home)
    assert refreshed["scanned_at"] > before["scanned_at"]


async def test_trash_counts_what_jupyterlab_deleted_as_items(
    jp_fetch, jp_serverapp, home, monkeypatch
):
    from send2trash import plat_other

    # JupyterLab's delete moves files to the XDG trash of the user whose home this is.
    data_home = home / ".local" / "share"
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setattr(plat_other, "XDG_DATA_HOME", os.fsencode(data_home))
    monkeypatch.setattr(plat_other, "HOMETRASH_B", os.fsencode(data_home / "Trash"))
    monkeypatch.setattr(plat_other, "HOMETRASH", str(data_home / "Trash"))
    assert jp_serverapp.contents_manager.delete_to_trash
    empty = await jp_fetch("datalake", "trash", "empty", method="POST", body="")
    assert json.loads(empty.body)["trash"]["items"] == 0
    for name in ("a.csv", "b.csv"):
        body = json.dumps({"type": "file", "format": "text", "content": "x" * 5000})
        await jp_fetch("api", "contents", name, method="PUT", body=body)
        await jp_fetch("api", "contents", name, method="DELETE")

    usage = await get_usage(jp_fetch, refresh=True)

    assert sorted(p.name for p in (data_home / "Trash" / "files").iterdir()) == ["a.csv", "b.csv"]
    assert usage["trash"]["items"] == 2
    assert usage["trash"]["files"] == 4  # each file and its .trashinfo


async def test_emptying_the_trash_frees_its_space_and_nothing_else(jp_fetch, home):
    before = await get_usage(jp_fetch)
    response = await jp_fetch("datalake", "trash", "empty", method="POST", body="")
    result = json.loads(response.body)
    assert result["trash"]["files"] == 0
    assert result["failed"] == []
    assert result["used"] == du(home)
    assert result["freed"] == before["used"] - result["used"]
    assert result["freed"] >= 2 * MiB
    assert not any((home / ".local" / "share" / "Trash" / "files").iterdir())
    assert (home / "data" / "sales.csv").stat().st_size == 3 * MiB


async def test_trash_that_links_out_of_home_is_left_alone(jp_fetch, home, tmp_path):
    outside = tmp_path / "elsewhere"
    (outside / "files").mkdir(parents=True)
    (outside / "files" / "precious.txt").write_text("keep me")
    trash = home / ".local" / "share" / "Trash"
    subprocess.run(["rm", "-rf", str(trash)], check=True)
    trash.symlink_to(outside, target_is_directory=True)
    await jp_fetch("datalake", "trash", "empty", method="POST", body="")
    assert (outside / "files" / "precious.txt").read_text() == "keep me"


async def test_trash_empty_needs_authentication(jp_fetch, jp_base_url, jp_http_port, home):
    from tornado.httpclient import AsyncHTTPClient

    await get_usage(jp_fetch)
    url = f"http://127.0.0.1:{jp_http_port}{jp_base_url}datalake/trash/empty"
    with pytest.raises(HTTPClientError) as info:
        await AsyncHTTPClient().fetch(url, method="POST", body="")
    assert info.value.code == 403
    assert (home / ".local" / "share" / "Trash" / "files" / "old.parquet").exists()
