"""The data lake browser's server side, against a real S3 server (Ceph RGW): listing a folder
level page by page, downloads into home and to the user's computer, uploads from the
computer in parts, and who may delete what."""

from __future__ import annotations

import asyncio
import json
import os
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import unquote

import pytest
from tornado.httpclient import HTTPClientError

from conftest import rgw

MiB = 1024**2


@pytest.fixture
def home(jp_root_dir):
    return jp_root_dir


@pytest.fixture
def datalake_overrides(home, request):
    config = {"home_dir": str(home), "part_size": "5Mi", "watched_paths": [str(home / "none")]}
    return {**config, **getattr(request, "param", {})}


def put(s3_client, key: str, body: bytes = b"x", uploader: str | None = None) -> None:
    meta = {"uploader": uploader} if uploader else {}
    s3_client.put_object(Bucket="datalake", Key=key, Body=body, Metadata=meta)


async def call(jp_fetch, *path, method="GET", body=None, params=None) -> tuple[int, object]:
    kwargs = {"method": method, "params": params or {}}
    if body is not None:
        kwargs["body"] = body if isinstance(body, bytes) else json.dumps(body)
    try:
        response = await jp_fetch("datalake", *path, **kwargs)
    except HTTPClientError as err:
        return err.code, json.loads(err.response.body)
    if not response.body:
        return response.code, None
    try:
        return response.code, json.loads(response.body)
    except ValueError:
        return response.code, response.body


async def list_all(jp_fetch, area: str, prefix: str, limit: int) -> tuple[list, list, int]:
    folders, objects, pages, token = [], [], 0, None
    while True:
        params = {"area": area, "prefix": prefix, "limit": str(limit)}
        if token:
            params["cursor"] = token
        code, page = await call(jp_fetch, "objects", params=params)
        assert code == 200, page
        pages += 1
        folders += page["folders"]
        objects += page["objects"]
        token = page["next_cursor"]
        if not token:
            return folders, objects, pages


async def download(jp_fetch, keys: list[str], destination: str, **extra) -> tuple[int, dict]:
    body = {"direction": "download", "area": "shared", "sources": keys, "destination": destination}
    return await call(jp_fetch, "transfers", method="POST", body={**body, **extra})


async def wait_done(jp_fetch, transfer_id: str) -> dict:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        _, transfer = await call(jp_fetch, "transfers", transfer_id)
        if transfer["state"] not in ("queued", "running"):
            return transfer
        await asyncio.sleep(0.05)
    raise AssertionError(transfer)


# ----- listing --------------------------------------------------------------------------


async def test_pagination_over_2500_objects_has_no_gaps_or_duplicates(jp_fetch, folder, s3_client):
    base = f"shared/{folder}/many/"
    names = [f"part-{i:05d}.csv" for i in range(2600)]
    with ThreadPoolExecutor(16) as pool:
        list(pool.map(lambda n: put(s3_client, base + n), names))
    put(s3_client, base + "sub/inner.csv")
    folders, objects, pages = await list_all(jp_fetch, "shared", f"{folder}/many", 1000)
    assert pages == 3
    assert [o["name"] for o in objects] == names
    assert [f["name"] for f in folders] == ["sub"]
    assert folders[0]["key"] == base + "sub/"
    assert objects[0]["key"] == base + names[0] and objects[0]["size"] == 1
    assert objects[0]["last_modified"] > time.time() - 3600


async def test_delimiter_folders_and_special_keys(jp_fetch, folder, s3_client):
    names = ["a b.csv", "c#d.csv", "e?f.csv", "100%.csv", "g+h.csv", "i&j.csv", "ünï 数据.csv"]
    for name in names:
        put(s3_client, f"users/tester/{folder}/{name}", name.encode())
    put(s3_client, f"users/tester/{folder}/deep/er/x.csv")
    put(s3_client, f"users/tester/{folder}/empty/")
    folders, objects, _ = await list_all(jp_fetch, "mine", f"/{folder}/", 500)
    assert sorted(o["name"] for o in objects) == sorted(names)
    assert [f["name"] for f in folders] == ["deep", "empty"]
    # An empty folder's marker is the folder, not an entry inside it.
    _, inside, _ = await list_all(jp_fetch, "mine", f"{folder}/empty", 500)
    assert inside == []
    for name in names:
        code, body = await call(
            jp_fetch,
            "objects",
            "download",
            params={"area": "mine", "key": f"users/tester/{folder}/{name}"},
        )
        assert code == 200 and body == name.encode()


async def test_only_the_two_areas_can_be_used(jp_fetch, folder):
    for params in (
        {"area": "everything", "prefix": ""},
        {"area": "shared", "prefix": "../users/someone"},
    ):
        code, reply = await call(jp_fetch, "objects", params=params)
        assert code == 400, reply
    code, reply = await call(
        jp_fetch, "objects", "download", params={"area": "mine", "key": "users/other/x.csv"}
    )
    assert code == 403 and "only your area" in reply["message"]


# ----- downloads into home --------------------------------------------------------------


async def test_download_into_home_is_byte_exact_and_recursive(jp_fetch, home, folder, s3_client):
    data = os.urandom(7 * MiB)
    put(s3_client, f"shared/{folder}/run/model.bin", data)
    put(s3_client, f"shared/{folder}/run/logs/a.log", b"log")
    put(s3_client, f"shared/{folder}/run/empty/")
    (home / "in").mkdir()
    code, started = await download(jp_fetch, [f"shared/{folder}/run/"], "in")
    assert code == 201, started
    done = await wait_done(jp_fetch, started["id"])
    assert done["state"] == "done", done
    assert done["destination"] == "in/run"
    assert (home / "in" / "run" / "model.bin").read_bytes() == data
    assert (home / "in" / "run" / "logs" / "a.log").read_bytes() == b"log"
    assert (home / "in" / "run" / "empty").is_dir()
    assert not [p for p in (home / "in").rglob("*datalake-part*")]

    # The same again: asked about, then kept both.
    model = [f"shared/{folder}/run/model.bin"]
    code, reply = await download(jp_fetch, model, "in/run")
    assert code == 409 and reply["plan"]["conflicts"] == ["in/run/model.bin"]
    code, started = await download(jp_fetch, model, "in/run", conflict="rename")
    assert (await wait_done(jp_fetch, started["id"]))["destination"] == "in/run/model (1).bin"
    assert (home / "in" / "run" / "model (1).bin").read_bytes() == data


@pytest.mark.parametrize("datalake_overrides", [{"home_quota": "4Mi"}], indirect=True)
async def test_download_beyond_the_quota_is_refused_saying_by_how_much(
    jp_fetch, home, folder, s3_client
):
    put(s3_client, f"shared/{folder}/big.bin", os.urandom(5 * MiB))
    await jp_fetch("datalake", "usage")  # the quota check uses the usage figure
    code, reply = await download(jp_fetch, [f"shared/{folder}/big.bin"], "")
    assert code == 507, reply
    assert "Not enough room in your quota" in reply["message"]
    assert "over" in reply["message"] and "Nothing was downloaded" in reply["message"]
    assert not (home / "big.bin").exists()


@pytest.mark.parametrize("datalake_overrides", [{"transfer_bandwidth": "8Mi"}], indirect=True)
async def test_s3_lost_mid_download_leaves_no_partial_file(jp_fetch, home, folder, s3_client):
    data = os.urandom(40 * MiB)
    put(s3_client, f"shared/{folder}/big.bin", data)
    code, started = await download(jp_fetch, [f"shared/{folder}/big.bin"], "")
    assert code == 201, started
    while (await call(jp_fetch, "transfers", started["id"]))[1]["bytes_done"] == 0:
        await asyncio.sleep(0.02)
    try:
        assert rgw("gateway-stop").returncode == 0
        failed = await wait_done(jp_fetch, started["id"])
    finally:
        assert rgw("gateway-start").returncode == 0
    assert failed["state"] == "failed", failed
    # Only the list of transfers (in .local) is in home: no partial file, under any name.
    assert sorted(p.name for p in home.iterdir()) == [".local"]
    assert [p for p in home.rglob("*") if "big" in p.name] == []
    await call(jp_fetch, "transfers", started["id"], "retry", method="POST", body=b"")
    assert (await wait_done(jp_fetch, started["id"]))["state"] == "done"
    assert (home / "big.bin").read_bytes() == data


# ----- to and from the user's computer -------------------------------------------------


async def test_streamed_download_to_the_computer(jp_fetch, folder, s3_client):
    data = os.urandom(3 * MiB + 5)
    key = f"shared/{folder}/résumé final.pdf"
    put(s3_client, key, data)
    response = await jp_fetch(
        "datalake", "objects", "download", params={"area": "shared", "key": key}
    )
    assert response.body == data
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="r_sum_ final.pdf"')
    assert unquote(disposition.split("UTF-8''")[1]) == "résumé final.pdf"
    assert int(response.headers["Content-Length"]) == len(data)


async def upload_from_computer(jp_fetch, name, data, folder, part_cut=None, **extra):
    code, opened = await call(
        jp_fetch,
        "uploads",
        method="POST",
        body={"area": "shared", "prefix": folder, "name": name, "size": len(data), **extra},
    )
    if code != 201:
        return code, opened
    size = opened["part_size"]
    parts = [data[i : i + size] for i in range(0, len(data), size)]
    for number, part in enumerate(parts[:part_cut], 1):
        code, reply = await call(
            jp_fetch, "uploads", opened["id"], str(number), method="PUT", body=part
        )
        assert code == 200, reply
    return 201, opened


async def test_chunked_upload_from_the_computer(jp_fetch, folder, s3_client):
    data = os.urandom(12 * MiB + 7)
    code, opened = await upload_from_computer(jp_fetch, "from desk.bin", data, folder)
    assert code == 201
    code, done = await call(jp_fetch, "uploads", opened["id"], "complete", method="POST", body=b"")
    assert code == 200 and done["state"] == "done", done
    key = f"shared/{folder}/from desk.bin"
    assert s3_client.get_object(Bucket="datalake", Key=key)["Body"].read() == data
    meta = s3_client.head_object(Bucket="datalake", Key=key)["Metadata"]
    assert meta["uploader"] == "tester" and meta["source-origin"] == "browser"
    code, listed = await call(jp_fetch, "transfers")
    assert listed["transfers"][0]["origin"] == "browser"

    # A part out of order is refused, and cancelling leaves no parts behind.
    code, opened = await upload_from_computer(
        jp_fetch, "second.bin", data, folder, part_cut=1, conflict="overwrite"
    )
    code, reply = await call(jp_fetch, "uploads", opened["id"], "3", method="PUT", body=b"x")
    assert code == 409 and "part 2 is next" in reply["message"]
    code, _ = await call(jp_fetch, "transfers", opened["id"], method="DELETE")
    assert code == 202
    uploads = s3_client.list_multipart_uploads(Bucket="datalake", Prefix=f"shared/{folder}/")
    assert uploads.get("Uploads", []) == []
    code, cancelled = await call(jp_fetch, "transfers", opened["id"])
    assert cancelled["state"] == "cancelled"


async def test_upload_of_an_existing_name_asks_first(jp_fetch, folder, s3_client):
    put(s3_client, f"shared/{folder}/same.csv", b"theirs", uploader="bob")
    code, reply = await upload_from_computer(jp_fetch, "same.csv", b"mine", folder)
    assert code == 409 and reply["plan"]["conflicts"] == [f"shared/{folder}/same.csv"]
    code, opened = await upload_from_computer(
        jp_fetch, "same.csv", b"mine", folder, conflict="rename"
    )
    code, done = await call(jp_fetch, "uploads", opened["id"], "complete", method="POST", body=b"")
    assert done["destination"] == f"shared/{folder}/same (1).csv"


# ----- who may delete what ----------------------------------------------------------------


async def test_delete_permissions(jp_fetch, folder, s3_client):
    put(s3_client, f"users/tester/{folder}/mine.csv")
    put(s3_client, f"shared/{folder}/own.csv", uploader="tester")
    put(s3_client, f"shared/{folder}/bobs.csv", uploader="bob")
    for i in range(3):
        put(s3_client, f"shared/{folder}/mixed/{i}.csv", uploader="tester")
    put(s3_client, f"shared/{folder}/mixed/zz.csv", uploader="bob")

    code, info = await call(
        jp_fetch,
        "objects",
        "info",
        method="POST",
        body={"area": "shared", "keys": [f"shared/{folder}/own.csv", f"shared/{folder}/bobs.csv"]},
    )
    assert [(o["uploader"], o["can_delete"]) for o in info["objects"]] == [
        ("tester", True),
        ("bob", False),
    ]

    async def delete(area, *keys):
        return await call(
            jp_fetch, "objects", "delete", method="POST", body={"area": area, "keys": list(keys)}
        )

    assert (await delete("mine", f"users/tester/{folder}/mine.csv"))[1]["deleted"] == 1
    assert (await delete("shared", f"shared/{folder}/own.csv"))[1]["deleted"] == 1
    code, reply = await delete("shared", f"shared/{folder}/bobs.csv")
    assert code == 403 and "uploaded by bob" in reply["message"]
    code, reply = await delete("shared", f"shared/{folder}/mixed/")
    assert code == 403 and "Nothing was deleted" in reply["message"]
    left = s3_client.list_objects_v2(Bucket="datalake", Prefix=f"shared/{folder}/")
    assert sorted(o["Key"] for o in left["Contents"]) == [
        f"shared/{folder}/bobs.csv",
        *(f"shared/{folder}/mixed/{i}.csv" for i in range(3)),
        f"shared/{folder}/mixed/zz.csv",
    ]
    code, reply = await delete("mine", f"shared/{folder}/bobs.csv")
    assert code == 403


# ----- errors ---------------------------------------------------------------------------


def closed_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.parametrize(
    ("datalake_overrides", "words"),
    [
        ({"bucket": "no-such-bucket-here"}, "bucket no-such-bucket-here does not exist"),
        ({"secret_access_key": "not-the-secret"}, "rejected the credentials"),
        ({"endpoint_url": f"http://127.0.0.1:{closed_port()}"}, "does not answer"),
    ],
    indirect=["datalake_overrides"],
)
async def test_listing_says_what_is_wrong_with_s3(jp_fetch, words):
    code, reply = await call(jp_fetch, "objects", params={"area": "shared", "prefix": ""})
    assert code == 503, reply
    assert words in reply["message"]
