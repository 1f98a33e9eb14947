"""A save that fails because the disk is full: a clear 507, nothing lost, and saving again
works once space is freed; a download that would not fit is refused before it starts. The
home is a real 4 MiB tmpfs, filled for real."""

from __future__ import annotations

import errno
import json
import os
import uuid

import pytest
from tornado.httpclient import HTTPClientError

MiB = 1024**2


@pytest.fixture
def jp_root_dir(mount_tmpfs):
    return mount_tmpfs("small-home", "4m")


@pytest.fixture
def datalake_overrides(jp_root_dir):
    return {"home_dir": str(jp_root_dir), "home_quota": "4Mi"}


def fill(root) -> None:
    """Write until the volume is full."""
    fd = os.open(root / "filler.bin", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        chunk = b"\0" * 4096
        while True:
            os.write(fd, chunk)
    except OSError as error:
        assert error.errno == errno.ENOSPC
    finally:
        os.close(fd)


async def put_text(jp_fetch, name: str, text: str):
    body = json.dumps({"type": "file", "format": "text", "content": text})
    return await jp_fetch("api", "contents", name, method="PUT", body=body)


async def test_full_disk_save_is_507_keeps_the_file_and_works_after_freeing(jp_fetch, jp_root_dir):
    original = "first version\n"
    assert (await put_text(jp_fetch, "notes.txt", original)).code == 201
    fill(jp_root_dir)

    with pytest.raises(HTTPClientError) as info:
        await put_text(jp_fetch, "notes.txt", "second version\n" * 50_000)
    assert info.value.code == 507
    message = json.loads(info.value.response.body)["message"]
    assert "No space left on device" in message
    assert "notes.txt" in message
    # Nothing lost: the file on disk is still the last good save.
    assert (jp_root_dir / "notes.txt").read_text() == original

    usage = json.loads((await jp_fetch("datalake", "usage")).body)
    assert usage["last_save_error"]["path"] == "notes.txt"
    assert usage["last_save_error"]["reason"] == "No space left on device"

    (jp_root_dir / "filler.bin").unlink()
    assert (await put_text(jp_fetch, "notes.txt", "second version\n" * 50_000)).code == 200
    assert (jp_root_dir / "notes.txt").read_text() == "second version\n" * 50_000


async def test_other_save_errors_keep_jupyter_servers_own_answer(jp_fetch, jp_root_dir):
    (jp_root_dir / "locked").mkdir()
    (jp_root_dir / "locked" / "x.txt").write_text("x")
    with pytest.raises(HTTPClientError) as info:
        # Saving a file over a folder fails for a reason that is not space.
        await put_text(jp_fetch, "locked", "text")
    assert info.value.code != 507


async def test_space_reports_the_room_where_the_file_would_go(jp_fetch, jp_root_dir):
    (jp_root_dir / "sub").mkdir()
    space = json.loads((await jp_fetch("datalake", "space", params={"path": "sub/new.ipynb"})).body)
    assert space["total"] == 4 * MiB
    assert 0 < space["free"] <= 4 * MiB
    fill(jp_root_dir)
    full = json.loads((await jp_fetch("datalake", "space", params={"path": "sub/new.ipynb"})).body)
    assert full["free"] < 64 * 1024


async def test_space_refuses_paths_outside_the_file_browser(jp_fetch):
    with pytest.raises(HTTPClientError) as info:
        await jp_fetch("datalake", "space", params={"path": "../../etc/passwd"})
    assert info.value.code == 404


async def test_a_download_larger_than_the_free_space_is_refused(jp_fetch, jp_root_dir, s3_client):
    key = f"shared/t-{uuid.uuid4().hex[:10]}/big.bin"
    s3_client.put_object(Bucket="datalake", Key=key, Body=os.urandom(6 * 1024**2))
    body = {"direction": "download", "area": "shared", "sources": [key], "destination": ""}
    try:
        with pytest.raises(HTTPClientError) as err:
            await jp_fetch("datalake", "transfers", method="POST", body=json.dumps(body))
    finally:
        s3_client.delete_object(Bucket="datalake", Key=key)
    assert err.value.code == 507
    message = json.loads(err.value.response.body)["message"]
    assert message.startswith("Not enough space in your home: " + key + " takes 6.0 MiB")
    assert "short" in message and message.endswith("Nothing was downloaded.")
    assert not (jp_root_dir / "big.bin").exists()


def free_bytes(root) -> int:
    st = os.statvfs(root)
    return st.f_bavail * st.f_frsize


@pytest.mark.parametrize(
    ("name", "model"),
    [
        ("bigsave.txt", {"type": "file", "format": "text", "content": "x" * (6 * MiB)}),
        (
            "nb.ipynb",
            {
                "type": "notebook",
                "content": {
                    "cells": [
                        {
                            "cell_type": "markdown",
                            "metadata": {},
                            "source": "y" * (6 * MiB),
                        }
                    ],
                    "metadata": {},
                    "nbformat": 4,
                    "nbformat_minor": 5,
                },
            },
        ),
    ],
)
async def test_a_new_file_that_does_not_fit_leaves_home_as_it_was(
    jp_fetch, jp_root_dir, name, model
):
    # Room for a part of the file only, as when a notebook grows past what is left.
    (jp_root_dir / "filler.bin").write_bytes(b"\0" * (2 * MiB))
    before = sorted(p.name for p in jp_root_dir.iterdir())
    free = free_bytes(jp_root_dir)

    with pytest.raises(HTTPClientError) as info:
        await jp_fetch("api", "contents", name, method="PUT", body=json.dumps(model))
    assert info.value.code == 507
    message = json.loads(info.value.response.body)["message"]
    assert f"{name} was not saved" in message
    # What the message says is true: no half-written file, and its space is back.
    assert sorted(p.name for p in jp_root_dir.iterdir()) == before
    assert free_bytes(jp_root_dir) == free
