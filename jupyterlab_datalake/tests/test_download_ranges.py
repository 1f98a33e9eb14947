"""Downloads into home by parallel ranged GETs, against a real S3 server (Ceph RGW): the file
is the object byte for byte whatever its layout, it is checked against the object's SHA-256
metadata or its ETag (the record says which), and a damaged object or a cancel leaves nothing
in home."""

from __future__ import annotations

import asyncio
import hashlib
import io
import os

import pytest
from boto3.s3.transfer import TransferConfig

from jupyterlab_datalake.tests import test_lake_browser as browser_tests
from jupyterlab_datalake.tests.test_lake_browser import call, download, wait_done
from jupyterlab_datalake.transfers import md5lanes, verify

MiB = 1024**2


# The browser tests' home; the part size stays the default, so ranges hold whole 8 MiB parts.
home = browser_tests.home


@pytest.fixture
def datalake_overrides(home, request):
    config = {"home_dir": str(home), "watched_paths": [str(home / "none")]}
    return {**config, **getattr(request, "param", {})}


def leftovers(home) -> list[str]:
    """What is in home besides the list of transfers (in .local)."""
    return sorted(str(p.relative_to(home)) for p in home.rglob("*") if ".local" not in p.parts)


async def fetch(jp_fetch, key: str) -> dict:
    code, started = await download(jp_fetch, [key], "")
    assert code == 201, started
    return await wait_done(jp_fetch, started["id"])


async def moving(jp_fetch, key: str) -> dict:
    """A download of ``key`` started, once its first bytes have arrived."""
    code, started = await download(jp_fetch, [key], "")
    assert code == 201, started
    while (await call(jp_fetch, "transfers", started["id"]))[1]["bytes_done"] == 0:
        await asyncio.sleep(0.02)
    return started


@pytest.mark.parametrize("hashed", ["eight-at-a-time", "by-stream", "in-order"])
async def test_a_multipart_object_arrives_byte_exact_and_checked_part_by_part(
    jp_fetch, home, folder, s3_client, monkeypatch, hashed
):
    if hashed == "eight-at-a-time":
        assert md5lanes.library() is not None, "build the package first (scripts/setup.sh)"
    else:  # as without the compiled lanes, or for parts larger than they take
        monkeypatch.setattr(verify, "MAX_PART_LANES", 0)
    if hashed == "in-order":  # as parts larger than a range are: read back and hashed in order
        monkeypatch.setattr(verify, "MAX_PART_RANGE", 0)
    # 8 MiB parts as boto3 and awscli make them, and a short last part: more than one range,
    # the last one short.
    data = os.urandom(40 * MiB + 12345)
    key = f"shared/{folder}/multi.bin"
    s3_client.upload_fileobj(io.BytesIO(data), "datalake", key, Config=TransferConfig())
    assert s3_client.head_object(Bucket="datalake", Key=key)["ETag"].endswith('-6"')
    done = await fetch(jp_fetch, key)
    assert done["state"] == "done", done
    assert (home / "multi.bin").read_bytes() == data
    assert leftovers(home) == ["multi.bin"]
    [item] = done["items"]
    assert item["message"].startswith("Verified: the MD5s of its parts of 8 MiB"), item
    assert item["done"] == item["bytes"] == len(data)


@pytest.mark.parametrize("size", [0, 3 * MiB + 7, 9 * MiB])
async def test_a_single_part_object_is_checked_against_its_md5_etag(
    jp_fetch, home, folder, s3_client, size
):
    data = os.urandom(size)  # empty; one GET; two ranges
    key = f"shared/{folder}/one.bin"
    s3_client.put_object(Bucket="datalake", Key=key, Body=data)
    done = await fetch(jp_fetch, key)
    assert done["state"] == "done", done
    assert (home / "one.bin").read_bytes() == data
    assert done["items"][0]["message"] == "Verified: its MD5 matches the object's ETag."


async def test_the_sha256_stored_at_upload_is_what_is_checked(jp_fetch, home, folder, s3_client):
    data = os.urandom(20 * MiB + 1)
    key = f"shared/{folder}/stored.bin"
    sha = hashlib.sha256(data).hexdigest()
    s3_client.put_object(Bucket="datalake", Key=key, Body=data, Metadata={"sha256": sha})
    done = await fetch(jp_fetch, key)
    assert done["state"] == "done", done
    assert (home / "stored.bin").read_bytes() == data
    assert "SHA-256 matches the one stored when it was uploaded" in done["items"][0]["message"]


async def test_an_object_that_differs_from_its_sha256_fails_and_leaves_nothing(
    jp_fetch, home, folder, s3_client
):
    data = os.urandom(20 * MiB)
    key = f"shared/{folder}/damaged.bin"
    # As if its bytes had changed in storage after the extension stored their SHA-256.
    wrong = hashlib.sha256(data + b"x").hexdigest()
    s3_client.put_object(Bucket="datalake", Key=key, Body=data, Metadata={"sha256": wrong})
    failed = await fetch(jp_fetch, key)
    assert failed["state"] == "failed", failed
    assert failed["message"] == (
        f"{key} arrived damaged: its SHA-256 does not match the checksum stored at upload; "
        "nothing was kept."
    )
    assert leftovers(home) == []


@pytest.mark.parametrize("datalake_overrides", [{"transfer_bandwidth": "8Mi"}], indirect=True)
async def test_cancel_mid_download_leaves_nothing(jp_fetch, home, folder, s3_client):
    key = f"shared/{folder}/big.bin"
    s3_client.put_object(Bucket="datalake", Key=key, Body=os.urandom(40 * MiB))
    started = await moving(jp_fetch, key)
    assert any(p.name.endswith(".datalake-part") for p in home.iterdir())
    code, _ = await call(jp_fetch, "transfers", started["id"], method="DELETE")
    assert code == 202
    cancelled = await wait_done(jp_fetch, started["id"])
    assert cancelled["state"] == "cancelled", cancelled
    assert "no partial file" in cancelled["message"]
    assert leftovers(home) == []


@pytest.mark.parametrize(
    "datalake_overrides", [{"transfer_bandwidth": "8Mi", "transfer_concurrency": 1}], indirect=True
)
async def test_an_object_replaced_during_the_download_fails_it(jp_fetch, home, folder, s3_client):
    # Two streams for five ranges: the later ones are asked for after the object was replaced
    # (those already streaming go on with the version they started on).
    key = f"shared/{folder}/moving.bin"
    s3_client.put_object(Bucket="datalake", Key=key, Body=os.urandom(40 * MiB))
    started = await moving(jp_fetch, key)
    s3_client.put_object(Bucket="datalake", Key=key, Body=os.urandom(40 * MiB))
    failed = await wait_done(jp_fetch, started["id"])
    assert failed["state"] == "failed", failed
    assert "changed in the data lake during the download" in failed["message"]
    assert leftovers(home) == []


async def test_parts_of_a_size_s3_does_not_tell_keep_the_file_and_say_it_is_unverified(
    jp_fetch, home, folder, s3_client
):
    # 7 MiB parts: 6 of them, as 8 MiB parts would also give; this RGW does not say which, and
    # a wrong guess is no proof of damage.
    data = os.urandom(40 * MiB + 12345)
    key = f"shared/{folder}/odd.bin"
    config = TransferConfig(multipart_chunksize=7 * MiB)
    s3_client.upload_fileobj(io.BytesIO(data), "datalake", key, Config=config)
    done = await fetch(jp_fetch, key)
    assert done["state"] == "done", done
    assert (home / "odd.bin").read_bytes() == data
    assert done["items"][0]["message"].startswith("Not verified: S3 does not say")


@pytest.mark.parametrize(
    ("size", "count", "part", "certain"),
    [
        (1024 * MiB, 128, 8 * MiB, True),  # boto3's 8 MiB: the only whole MiB giving 128
        (40 * MiB + 12345, 6, 8 * MiB, False),  # 7 MiB would give 6 too
        (3 * MiB, 1, 3 * MiB, True),  # one part is one layout
        (100 * MiB, 3, None, False),  # 34 to 49 MiB: none of the usual sizes
    ],
)
def test_the_part_size_inferred_from_an_etag(size, count, part, certain):
    assert verify._inferred_part_size(size, count, 8 * MiB) == (part, certain)
