"""Working inside the lake through a real Jupyter server and a real S3 server (Ceph RGW): new
folders, renames, copies and moves run as transfers (progress, clashes, cancel, the multipart
copy), the area rules they obey, and share links that a plain HTTP client downloads."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
from urllib.parse import urlparse

import pytest
import requests

from jupyterlab_datalake.config import ConfigError, DataLake
from jupyterlab_datalake.lake import multipart as multipart_module
from jupyterlab_datalake.tests import test_lake_browser as browser_tests
from jupyterlab_datalake.tests.test_areas import AREAS, stranger_bucket  # noqa: F401
from jupyterlab_datalake.tests.test_authorization import ReadOnly, refused
from jupyterlab_datalake.tests.test_lake_browser import call, put, wait_done
from jupyterlab_datalake.tests.test_transfers import keys_under, open_uploads, read_object
from jupyterlab_datalake.transfers.copy import Copier

MiB = 1024**2


home = browser_tests.home


@pytest.fixture
def datalake_overrides(home, request):
    extra = dict(getattr(request, "param", {}))
    if "areas" in extra:
        request.getfixturevalue("stranger_bucket")
    if extra.pop("public", False):
        extra["public_endpoint_url"] = request.getfixturevalue("public_endpoint")
    return {"home_dir": str(home), "watched_paths": [str(home / "none")], **extra}


@pytest.fixture
def authorizer(request):
    """None: jupyter_server's own; a test may parametrize a stricter one."""
    return getattr(request, "param", None)


@pytest.fixture
def jp_server_config(jp_server_config, authorizer):
    if authorizer is None:
        return jp_server_config
    app = {**jp_server_config["ServerApp"], "authorizer_class": authorizer}
    return {**jp_server_config, "ServerApp": app}


def meta_of(s3_client, key: str) -> dict:
    return s3_client.head_object(Bucket="datalake", Key=key)["Metadata"]


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


async def copy(jp_fetch, **body) -> tuple[int, dict]:
    body.setdefault("operation", "copy")
    body.setdefault("area", "shared")
    return await call(jp_fetch, "objects", "copy", method="POST", body=body)


async def copied(jp_fetch, **body) -> dict:
    """Start a copy or move and wait for it to end."""
    code, started = await copy(jp_fetch, **body)
    assert code == 201, started
    return await wait_done(jp_fetch, started["id"])


@pytest.fixture
def gate(monkeypatch):
    """Holds a copy or move after its first object until the test opens the gate, so that
    the test sees it half-way (its progress, a cancel) whatever the machine's speed."""
    first_done, release = threading.Event(), threading.Event()
    real = Copier.run

    def run(self, transfer, item):
        if first_done.is_set():
            assert release.wait(60), "the test never opened the gate"
        real(self, transfer, item)
        first_done.set()

    monkeypatch.setattr(Copier, "run", run)
    return first_done, release


# ----- new folders ----------------------------------------------------------------------


async def test_new_folder_is_listed_and_a_second_one_is_refused(jp_fetch, folder, s3_client):
    body = {"area": "shared", "prefix": folder, "name": "reports 2026"}
    code, made = await call(jp_fetch, "objects", "folder", method="POST", body=body)
    assert code == 201, made
    assert made["key"] == f"shared/{folder}/reports 2026/"
    assert meta_of(s3_client, made["key"])["uploader"] == "tester"
    _, page = await call(jp_fetch, "objects", params={"area": "shared", "prefix": folder})
    assert [f["name"] for f in page["folders"]] == ["reports 2026"]
    _, inside = await call(jp_fetch, "objects", params={"area": "shared", "prefix": made["prefix"]})
    assert inside["folders"] == inside["objects"] == []

    code, reply = await call(jp_fetch, "objects", "folder", method="POST", body=body)
    assert code == 409 and "exists already" in reply["message"]
    for name in ("", "a/b", "..", None):
        code, reply = await call(
            jp_fetch, "objects", "folder", method="POST", body={**body, "name": name}
        )
        assert code == 400, (name, reply)


# ----- rename, copy, move ---------------------------------------------------------------


async def test_rename_keeps_bytes_and_metadata(jp_fetch, folder, s3_client):
    data = os.urandom(3000)
    old, new = f"shared/{folder}/draft.csv", f"shared/{folder}/final.csv"
    s3_client.put_object(
        Bucket="datalake",
        Key=old,
        Body=data,
        ContentType="text/csv",
        Metadata={"uploader": "tester", "sha256": sha(data), "source-path": "work/draft.csv"},
    )
    done = await copied(jp_fetch, operation="move", keys=[old], prefix=folder, name="final.csv")
    assert done["state"] == "done", done
    assert done["direction"] == "move" and done["destination"] == new
    assert keys_under(s3_client, f"shared/{folder}/") == [new]
    assert read_object(s3_client, new) == data
    head = s3_client.head_object(Bucket="datalake", Key=new)
    assert head["ContentType"] == "text/csv"
    assert head["Metadata"] == {
        "uploader": "tester",
        "sha256": sha(data),
        "source-path": "work/draft.csv",
    }


async def test_a_copy_is_the_copier_s_own_and_keeps_the_checksum(jp_fetch, folder, s3_client):
    data = b"id,name\n1,ada\n"
    key = f"shared/{folder}/theirs.csv"
    s3_client.put_object(
        Bucket="datalake", Key=key, Body=data, Metadata={"uploader": "grace", "sha256": sha(data)}
    )
    done = await copied(jp_fetch, keys=[key], destination_area="mine", prefix=folder)
    assert done["state"] == "done", done
    mine = f"users/tester/{folder}/theirs.csv"
    assert read_object(s3_client, mine) == data
    assert meta_of(s3_client, mine) == {"uploader": "tester", "sha256": sha(data)}
    assert meta_of(s3_client, key)["uploader"] == "grace"  # the source is untouched


async def test_folder_move_runs_as_a_transfer_with_progress(jp_fetch, folder, s3_client, gate):
    first_done, release = gate
    files = {f"shared/{folder}/run/part{i}.bin": os.urandom(1000 + i) for i in range(4)}
    files[f"shared/{folder}/run/logs/"] = b""  # an empty folder's marker
    for key, data in files.items():
        put(s3_client, key, data, uploader="tester")
    code, started = await copy(
        jp_fetch, operation="move", keys=[f"shared/{folder}/run/"], destination_area="mine",
        prefix=f"{folder}/archive",
    )  # fmt: skip
    assert code == 201, started
    assert started["destination"] == f"users/tester/{folder}/archive/run/"
    assert started["files_total"] == 4 and started["bytes_total"] == sum(map(len, files.values()))

    assert first_done.wait(60)
    _, halfway = await call(jp_fetch, "transfers", started["id"])
    assert halfway["state"] == "running"
    assert halfway["files_done"] < 4 and halfway["bytes_done"] < halfway["bytes_total"]
    assert keys_under(s3_client, f"shared/{folder}/run/") == sorted(files)  # nothing deleted yet

    release.set()
    done = await wait_done(jp_fetch, started["id"])
    assert done["state"] == "done", done
    assert done["files_done"] == 4 and done["bytes_done"] == done["bytes_total"]
    assert keys_under(s3_client, f"shared/{folder}/") == []
    for key, data in files.items():
        moved = key.replace(f"shared/{folder}/", f"users/tester/{folder}/archive/")
        assert read_object(s3_client, moved) == data
    listed = json.loads((await jp_fetch("datalake", "transfers")).body)["transfers"]
    assert [t["direction"] for t in listed] == ["move"]
    assert listed[0]["source_area"] == "shared"


async def test_cancel_of_a_folder_move_leaves_the_sources(jp_fetch, folder, s3_client, gate):
    first_done, release = gate
    files = {f"shared/{folder}/src/f{i}.txt": os.urandom(500) for i in range(3)}
    for key, data in files.items():
        put(s3_client, key, data, uploader="tester")
    code, started = await copy(
        jp_fetch, operation="move", keys=[f"shared/{folder}/src/"], prefix=f"{folder}/dst"
    )
    assert code == 201, started
    assert first_done.wait(60)
    response = await jp_fetch("datalake", "transfers", started["id"], method="DELETE")
    assert response.code == 202
    release.set()
    cancelled = await wait_done(jp_fetch, started["id"])
    assert cancelled["state"] == "cancelled", cancelled
    assert "sources are all still there" in cancelled["message"]
    for key, data in files.items():
        assert read_object(s3_client, key) == data

    # A retry goes on from there and ends the move.
    await jp_fetch("datalake", "transfers", started["id"], "retry", method="POST", body="")
    assert (await wait_done(jp_fetch, started["id"]))["state"] == "done"
    assert keys_under(s3_client, f"shared/{folder}/src/") == []
    assert keys_under(s3_client, f"shared/{folder}/dst/") == sorted(
        k.replace("/src/", "/dst/src/") for k in files
    )


async def test_a_clash_asks_then_each_choice_does_what_it_says(jp_fetch, folder, s3_client):
    source, there = f"shared/{folder}/in/a.csv", f"shared/{folder}/out/a.csv"
    put(s3_client, source, b"new", uploader="tester")
    put(s3_client, there, b"old", uploader="tester")
    body = {"keys": [source], "prefix": f"{folder}/out"}
    code, reply = await copy(jp_fetch, **body)
    assert code == 409, reply
    assert reply["plan"]["conflicts"] == [there]
    assert read_object(s3_client, there) == b"old"

    code, plan = await copy(jp_fetch, **body, conflict="rename", dry_run=True)
    assert code == 200 and plan["items"][0]["destination"] == f"shared/{folder}/out/a (1).csv"
    assert (await copied(jp_fetch, **body, conflict="skip"))["files_skipped"] == 1
    assert read_object(s3_client, there) == b"old"
    assert (await copied(jp_fetch, **body, conflict="rename"))["state"] == "done"
    assert read_object(s3_client, f"shared/{folder}/out/a (1).csv") == b"new"
    assert (await copied(jp_fetch, **body, conflict="overwrite"))["state"] == "done"
    assert read_object(s3_client, there) == b"new"
    # Copying into the same folder keeps both, as a duplicate.
    same = {"keys": [source], "prefix": f"{folder}/in"}
    assert (await copy(jp_fetch, **same, conflict="overwrite"))[0] == 400
    assert (await copied(jp_fetch, **same, conflict="rename"))["state"] == "done"
    assert read_object(s3_client, f"shared/{folder}/in/a (1).csv") == b"new"


async def test_objects_above_the_copy_limit_go_by_multipart_copy(
    jp_fetch, folder, s3_client, monkeypatch
):
    # CopyObject stops at 5 GiB; the same path, scaled down, exercises UploadPartCopy on RGW.
    monkeypatch.setattr(multipart_module, "COPY_LIMIT", 8 * MiB)
    monkeypatch.setattr(multipart_module, "COPY_PART", 5 * MiB)
    data = os.urandom(11 * MiB)
    key = f"shared/{folder}/big.bin"
    s3_client.put_object(
        Bucket="datalake", Key=key, Body=data, Metadata={"uploader": "tester", "sha256": sha(data)}
    )
    done = await copied(jp_fetch, operation="move", keys=[key], prefix=folder, name="moved.bin")
    assert done["state"] == "done", done
    moved = f"shared/{folder}/moved.bin"
    head = s3_client.head_object(Bucket="datalake", Key=moved)
    assert head["ETag"].strip('"').endswith("-3")  # three parts: the multipart path ran
    assert read_object(s3_client, moved) == data
    assert head["Metadata"] == {"uploader": "tester", "sha256": sha(data)}
    assert keys_under(s3_client, f"shared/{folder}/") == [moved]
    assert open_uploads(s3_client, f"shared/{folder}/") == []


async def test_a_move_follows_the_delete_rule_of_its_source(jp_fetch, folder, s3_client):
    # In shared/ users may delete only what they uploaded, and a move deletes.
    theirs = f"shared/{folder}/theirs.csv"
    put(s3_client, theirs, b"1,2\n", uploader="grace")
    body = {"operation": "move", "keys": [theirs], "destination_area": "mine", "prefix": folder}
    code, reply = await copy(jp_fetch, **body)
    assert code == 403, reply
    assert "uploaded by grace" in reply["message"] and "nothing was moved" in reply["message"]
    # The user may choose to copy instead.
    done = await copied(jp_fetch, **body, undeletable="copy")
    assert done["state"] == "done" and done["direction"] == "copy", done
    assert read_object(s3_client, theirs) == b"1,2\n"
    assert read_object(s3_client, f"users/tester/{folder}/theirs.csv") == b"1,2\n"


async def test_bad_requests_are_clear_4xx(jp_fetch, folder, s3_client):
    put(s3_client, f"shared/{folder}/d/x.txt", b"x", uploader="tester")
    put(s3_client, f"shared/{folder}/y.txt", b"y", uploader="tester")
    d, y = f"shared/{folder}/d/", f"shared/{folder}/y.txt"
    cases = [
        ({"operation": "move", "keys": [d], "prefix": f"{folder}/d/deeper"}, 400, "inside itself"),
        ({"operation": "move", "keys": [y], "prefix": folder}, 400, "there already"),
        ({"operation": "copy", "keys": [d, f"{d}x.txt"], "prefix": "z"}, 400, "is inside"),
        ({"operation": "copy", "keys": [y, y], "prefix": "z"}, 400, "twice"),
        ({"operation": "copy", "keys": [y], "prefix": "../z"}, 400, "'..'"),
        ({"operation": "copy", "keys": [y], "prefix": "z", "name": "a/b"}, 400, "without '/'"),
        ({"operation": "copy", "keys": [d, y], "prefix": "z", "name": "n"}, 400, "one key"),
        ({"operation": "copy", "keys": "y", "prefix": "z"}, 400, "list of keys"),
        ({"operation": "copy", "keys": [], "prefix": "z"}, 400, "list of keys"),
        ({"operation": "rename", "keys": [y]}, 400, '"copy" or "move"'),
        ({"operation": "copy", "keys": ["users/other/x"]}, 403, "not in the Shared area"),
        ({"operation": "copy", "keys": [f"shared/{folder}/none.txt"]}, 404, "not in the data"),
        ({"operation": "copy", "keys": [y], "destination_area": "nowhere"}, 400, "no area"),
        ({"operation": "copy", "keys": [y], "conflict": "merge"}, 400, "conflict policy"),
    ]
    for body, status, words in cases:
        code, reply = await copy(jp_fetch, **body)
        assert (code, words in reply.get("message", "")) == (status, True), (body, reply)
    code, reply = await copy(jp_fetch, keys=[y] * 10_001)
    assert code == 413, reply
    code, reply = await call(
        jp_fetch, "objects", "copy", method="POST", body=b'{"keys": "' + b"x" * (5 * MiB) + b'"}'
    )
    assert code == 413, reply
    assert keys_under(s3_client, f"shared/{folder}/") == sorted([f"{d}x.txt", y])


@pytest.mark.parametrize("datalake_overrides", [{"areas": AREAS}], indirect=True)
async def test_copies_into_an_area_without_write_right_are_refused(jp_fetch, folder, s3_client):
    key = f"users/tester/{folder}/a.csv"
    put(s3_client, key, b"a", uploader="tester")
    # Read-only in the configuration: refused before anything starts.
    code, reply = await copy(jp_fetch, area="mine", keys=[key], destination_area="datasets")
    assert code == 403 and "read-only" in reply["message"], reply
    code, reply = await call(
        jp_fetch, "objects", "folder", method="POST", body={"area": "datasets", "name": "n"}
    )
    assert code == 403 and "read-only" in reply["message"], reply
    # Writable in the configuration, but S3's policy refuses: the transfer says so.
    done = await copied(jp_fetch, area="mine", keys=[key], destination_area="raw", prefix=folder)
    assert done["state"] == "failed", done
    assert "may not" in done["message"] and "write to raw/" in done["message"]
    assert read_object(s3_client, key) == b"a"


# ----- share links ----------------------------------------------------------------------


async def share(jp_fetch, key: str, lifetime=3600) -> tuple[int, dict]:
    body = {"area": "shared", "key": key, "lifetime": lifetime}
    return await call(jp_fetch, "objects", "share", method="POST", body=body)


async def test_a_share_link_downloads_byte_exact_and_is_never_logged(
    jp_fetch, folder, s3_client, s3_server, caplog
):
    caplog.set_level(logging.INFO)
    data = os.urandom(70_000)
    key = f"shared/{folder}/report v2 (final).bin"
    put(s3_client, key, data, uploader="tester")
    code, link = await share(jp_fetch, key, 604800)
    assert code == 200, link
    assert link["inside_cluster_only"] is True and link["lifetime"] == 604800
    internal = urlparse(s3_server["AWS_ENDPOINT_URL_S3"])
    assert urlparse(link["url"]).netloc == internal.netloc
    response = requests.get(link["url"], timeout=30)
    assert response.status_code == 200 and response.content == data
    signature = link["url"].split("X-Amz-Signature=")[1]
    assert signature not in caplog.text

    for lifetime in (60, 604801, "3600", True):
        assert (await share(jp_fetch, key, lifetime))[0] == 400
    assert (await share(jp_fetch, f"shared/{folder}/"))[0] == 400
    assert (await share(jp_fetch, f"shared/{folder}/gone.bin"))[0] == 404
    assert (await share(jp_fetch, "users/other/x.bin"))[0] == 403


@pytest.fixture
def public_endpoint(s3_server) -> str:
    # Another name of the same gateway, as a public ingress would be.
    internal = urlparse(s3_server["AWS_ENDPOINT_URL_S3"])
    host = "localhost" if internal.hostname != "localhost" else "127.0.0.1"
    return f"{internal.scheme}://{host}:{internal.port}"


@pytest.mark.parametrize("datalake_overrides", [{"public": True}], indirect=True)
async def test_a_public_endpoint_is_what_the_link_is_signed_for(
    jp_fetch, folder, s3_client, public_endpoint, datalake_config
):
    assert datalake_config["public_endpoint_url"] == public_endpoint
    data = b"a,b\n1,2\n"
    key = f"shared/{folder}/public.csv"
    put(s3_client, key, data)
    code, link = await share(jp_fetch, key)
    assert code == 200, link
    assert link["inside_cluster_only"] is False
    assert link["url"].startswith(public_endpoint + "/datalake/shared/")
    assert requests.get(link["url"], timeout=30).content == data


# ----- who may -------------------------------------------------------------------------


@pytest.mark.parametrize("authorizer", [ReadOnly], indirect=True)
async def test_read_only_users_may_share_but_not_change_anything(jp_fetch, folder, s3_client):
    key = f"shared/{folder}/a.csv"
    put(s3_client, key, b"a", uploader="tester")
    for path, body in [
        (("objects", "folder"), {"area": "shared", "prefix": folder, "name": "n"}),
        (("objects", "copy"), {"operation": "copy", "area": "shared", "keys": [key], "name": "b"}),
        (("objects", "copy"), {"operation": "move", "area": "shared", "keys": [key], "name": "b"}),
    ]:
        code, reply = await call(jp_fetch, *path, method="POST", body=body)
        assert refused(code, reply), (path, body, reply)
    assert keys_under(s3_client, f"shared/{folder}/") == [key]
    # A link gives away only what the user may read.
    code, link = await share(jp_fetch, key)
    assert code == 200, link
    assert requests.get(link["url"], timeout=30).content == b"a"


def test_the_public_endpoint_comes_from_the_environment_and_is_checked(monkeypatch):
    monkeypatch.setenv("DATALAKE_PUBLIC_ENDPOINT_URL", "https://s3.example.org/")
    assert DataLake().resolve().public_endpoint_url == "https://s3.example.org"
    assert DataLake(public_endpoint_url="http://s3.local:9000").resolve().public_endpoint_url == (
        "http://s3.local:9000"
    )
    monkeypatch.setenv("DATALAKE_PUBLIC_ENDPOINT_URL", "s3.example.org")
    with pytest.raises(ConfigError, match="DATALAKE_PUBLIC_ENDPOINT_URL"):
        DataLake().resolve()
    monkeypatch.delenv("DATALAKE_PUBLIC_ENDPOINT_URL")
    assert DataLake().resolve().public_endpoint_url is None
