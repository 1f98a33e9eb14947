"""What the data lake side of issue 11 fixed, against a real Jupyter server and a real S3
server (Ceph RGW): folders one uploaded can be deleted again, a delete counts only what it
removed, browser uploads are bounded and cleaned up by the server itself, and a part that
races a cancel is answered as cancelled."""

from __future__ import annotations

import asyncio
import os
import time

import pytest

from jupyterlab_datalake.tests import test_lake_browser as browser_tests
from jupyterlab_datalake.tests.test_lake_browser import call, put
from jupyterlab_datalake.tests.test_transfers import send
from jupyterlab_datalake.transfers import browser as browser_uploads

MiB = 1024**2

# The browser tests' home and server config: the same set-up, written once.
home = browser_tests.home
datalake_overrides = browser_tests.datalake_overrides


def open_uploads(s3_client, prefix: str) -> list[dict]:
    return s3_client.list_multipart_uploads(Bucket="datalake", Prefix=prefix).get("Uploads", [])


async def delete(jp_fetch, area: str, *keys: str) -> tuple[int, dict]:
    body = {"area": area, "keys": list(keys)}
    return await call(jp_fetch, "objects", "delete", method="POST", body=body)


# ----- folders one uploaded ---------------------------------------------------------------


async def test_a_folder_one_uploaded_with_an_empty_subfolder_can_be_deleted(
    jp_fetch, home, folder, s3_client
):
    (home / "pfold" / "empty").mkdir(parents=True)
    (home / "pfold" / "a.txt").write_text("a")
    done = await send(jp_fetch, sources=["pfold"], area="shared", prefix=folder)
    assert done["state"] == "done", done
    marker = f"shared/{folder}/pfold/empty/"

    code, info = await call(
        jp_fetch, "objects", "info", method="POST", body={"area": "shared", "keys": [marker]}
    )
    assert code == 200
    assert info["objects"][0]["uploader"] == "tester"
    assert info["objects"][0]["can_delete"] is True

    code, reply = await delete(jp_fetch, "shared", f"shared/{folder}/pfold/")
    assert code == 200, reply
    assert reply["deleted"] == 2 and reply["failed"] == []
    left = s3_client.list_objects_v2(Bucket="datalake", Prefix=f"shared/{folder}/")
    assert left.get("KeyCount") == 0


async def test_someone_elses_folder_marker_still_protects_the_folder(jp_fetch, folder, s3_client):
    put(s3_client, f"shared/{folder}/theirs/", b"", uploader="bob")
    code, reply = await delete(jp_fetch, "shared", f"shared/{folder}/theirs/")
    assert code == 403 and "uploaded by bob" in reply["message"]
    assert s3_client.head_object(Bucket="datalake", Key=f"shared/{folder}/theirs/")


# ----- deleting what is not there ---------------------------------------------------------


@pytest.mark.parametrize("area", ["mine", "shared"])
async def test_deleting_a_key_that_is_not_there_deletes_nothing(jp_fetch, folder, area):
    base = "users/tester/" if area == "mine" else "shared/"
    key = f"{base}{folder}/never-was.csv"
    code, reply = await delete(jp_fetch, area, key)
    assert code == 200, reply
    assert reply["deleted"] == 0
    assert reply["missing"] == [key]


async def test_a_delete_counts_only_what_was_there(jp_fetch, folder, s3_client):
    here = f"users/tester/{folder}/here.csv"
    put(s3_client, here)
    gone = f"users/tester/{folder}/gone.csv"
    code, reply = await delete(jp_fetch, "mine", here, gone)
    assert (code, reply["deleted"], reply["missing"]) == (200, 1, [gone])


# ----- uploads from the computer ----------------------------------------------------------


@pytest.mark.parametrize("size", [10**30, 5 * 1024**4 + 1])
async def test_an_upload_larger_than_s3_takes_is_refused_before_it_opens(
    jp_fetch, folder, s3_client, size
):
    code, reply = await call(
        jp_fetch,
        "uploads",
        method="POST",
        body={"area": "shared", "prefix": folder, "name": "huge.bin", "size": size},
    )
    assert code == 400 and "larger than 5 TiB" in reply["message"]
    assert open_uploads(s3_client, f"shared/{folder}/") == []


async def open_upload(jp_fetch, folder: str, size: int) -> dict:
    code, opened = await call(
        jp_fetch,
        "uploads",
        method="POST",
        body={"area": "shared", "prefix": folder, "name": "slow.bin", "size": size},
    )
    assert code == 201, opened
    return opened


async def test_an_abandoned_upload_is_aborted_without_anyone_listing(
    jp_fetch, folder, s3_client, monkeypatch
):
    monkeypatch.setattr(browser_uploads, "BROWSER_IDLE", 0.5)
    opened = await open_upload(jp_fetch, folder, 12 * MiB)
    assert len(open_uploads(s3_client, f"shared/{folder}/")) == 1
    # Nobody asks for the list of transfers: the server's own timer must notice.
    deadline = time.monotonic() + 20
    while open_uploads(s3_client, f"shared/{folder}/") and time.monotonic() < deadline:
        await asyncio.sleep(0.2)
    assert open_uploads(s3_client, f"shared/{folder}/") == []
    code, transfer = await call(jp_fetch, "transfers", opened["id"])
    assert code == 200 and transfer["state"] == "failed"
    assert "stopped sending" in transfer["message"]


@pytest.mark.parametrize("datalake_overrides", [{"transfer_bandwidth": "1Mi"}], indirect=True)
async def test_a_part_that_races_a_cancel_is_answered_as_cancelled(jp_fetch, folder, s3_client):
    data = os.urandom(10 * MiB)
    opened = await open_upload(jp_fetch, folder, len(data))
    size = opened["part_size"]
    code, _ = await call(jp_fetch, "uploads", opened["id"], "1", method="PUT", body=data[:size])
    assert code == 200
    # The bandwidth limit holds the second part back for seconds: cancel meanwhile.
    second = asyncio.ensure_future(
        call(jp_fetch, "uploads", opened["id"], "2", method="PUT", body=data[size:])
    )
    await asyncio.sleep(0.5)
    code, _ = await call(jp_fetch, "transfers", opened["id"], method="DELETE")
    assert code == 202
    code, reply = await second
    assert code == 409, reply
    assert "cancelled" in reply["message"]
    assert open_uploads(s3_client, f"shared/{folder}/") == []
