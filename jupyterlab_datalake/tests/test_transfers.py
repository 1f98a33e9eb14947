"""Sending files and folders from home to the data lake, through a real Jupyter server and a
real S3 server (Ceph RGW): what lands in the bucket, what is refused, and what is left behind
when a transfer is cancelled, loses S3, or its source changes."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import os
import pwd
import signal
import subprocess
import sys
import textwrap
import time
import uuid

import pytest
from tornado.httpclient import HTTPClientError

from conftest import rgw
from jupyterlab_datalake.config import DataLake
from jupyterlab_datalake.errors import Refused
from jupyterlab_datalake.lake import client as lake_module
from jupyterlab_datalake.lake import multipart as multipart_module
from jupyterlab_datalake.lake.client import Lake, part_size_for
from jupyterlab_datalake.transfers import md5lanes, planning
from jupyterlab_datalake.transfers import upload as upload_module
from jupyterlab_datalake.transfers.manager import TransferManager

MiB = 1024**2


@pytest.fixture
def home(jp_root_dir):
    # Home is the file browser's root, as on the platform.
    return jp_root_dir


@pytest.fixture
def prefix(s3_client):
    """A sub-folder of its own for each test in the shared bucket, emptied afterwards."""
    name = f"t-{uuid.uuid4().hex[:10]}"
    yield name
    for area in ("shared/", "users/tester/"):
        delete_prefix(s3_client, f"{area}{name}/")


def delete_prefix(s3_client, prefix: str) -> None:
    paginator = s3_client.get_paginator("list_objects_v2")
    for page in paginator.paginate(Bucket="datalake", Prefix=prefix):
        keys = [{"Key": o["Key"]} for o in page.get("Contents", [])]
        if keys:
            s3_client.delete_objects(Bucket="datalake", Delete={"Objects": keys})
    for upload in open_uploads(s3_client, prefix):
        s3_client.abort_multipart_upload(
            Bucket="datalake", Key=upload["Key"], UploadId=upload["UploadId"]
        )


def open_uploads(s3_client, prefix: str) -> list[dict]:
    return s3_client.list_multipart_uploads(Bucket="datalake", Prefix=prefix).get("Uploads", [])


def keys_under(s3_client, prefix: str) -> list[str]:
    paginator = s3_client.get_paginator("list_objects_v2")
    return sorted(
        o["Key"]
        for page in paginator.paginate(Bucket="datalake", Prefix=prefix)
        for o in page.get("Contents", [])
    )


def read_object(s3_client, key: str) -> bytes:
    return s3_client.get_object(Bucket="datalake", Key=key)["Body"].read()


def write(path, data: bytes):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


@pytest.fixture
def scratch(tmp_path):
    """The test's own non-persistent place, so that the rest of /tmp counts as outside."""
    path = tmp_path / "scratch"
    path.mkdir()
    return path


@pytest.fixture
def datalake_overrides(home, scratch, request):
    # 5Mi parts, the smallest S3 takes, make multipart uploads out of files of a few MiB.
    config = {"home_dir": str(home), "part_size": "5Mi", "watched_paths": [str(scratch)]}
    return {**config, **getattr(request, "param", {})}


async def post(jp_fetch, **body) -> tuple[int, dict]:
    """POST /datalake/transfers; (status, body) whatever the status."""
    body.setdefault("area", "shared")
    try:
        response = await jp_fetch("datalake", "transfers", method="POST", body=json.dumps(body))
    except HTTPClientError as err:
        return err.code, json.loads(err.response.body)
    return response.code, json.loads(response.body)


async def send(jp_fetch, **body) -> dict:
    """Start a transfer and wait for it to end."""
    code, reply = await post(jp_fetch, **body)
    assert code == 201, reply
    return await wait_for(jp_fetch, reply["id"])


async def get_transfer(jp_fetch, transfer_id: str) -> dict:
    response = await jp_fetch("datalake", "transfers", transfer_id)
    return json.loads(response.body)


async def wait_for(jp_fetch, transfer_id: str, until=("done", "failed", "cancelled")) -> dict:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        transfer = await get_transfer(jp_fetch, transfer_id)
        if transfer["state"] in until:
            return transfer
        await asyncio.sleep(0.05)
    raise AssertionError(f"transfer still {transfer['state']}: {transfer}")


async def wait_running(jp_fetch, transfer_id: str) -> dict:
    """Until some bytes of the transfer have reached S3."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        transfer = await get_transfer(jp_fetch, transfer_id)
        if transfer["bytes_done"] > 0 or transfer["state"] not in ("queued", "running"):
            return transfer
        await asyncio.sleep(0.02)
    raise AssertionError("the transfer never started")


# ----- what lands in the bucket ---------------------------------------------------------


async def test_file_round_trip_is_byte_exact_with_metadata(jp_fetch, home, prefix, s3_client):
    big = write(home / "data" / "sales.parquet", os.urandom(12 * MiB + 123))
    small = write(home / "notes.txt", b"first line\n")
    done = await send(jp_fetch, sources=["data/sales.parquet"], prefix=prefix)
    assert done["state"] == "done", done
    assert done["bytes_done"] == done["bytes_total"] == big.stat().st_size
    assert done["uri"] == f"s3a://datalake/shared/{prefix}/sales.parquet"
    await send(jp_fetch, sources=["notes.txt"], area="mine", prefix=prefix)

    key = f"shared/{prefix}/sales.parquet"
    assert read_object(s3_client, key) == big.read_bytes()
    assert read_object(s3_client, f"users/tester/{prefix}/notes.txt") == small.read_bytes()
    head = s3_client.head_object(Bucket="datalake", Key=key)
    assert head["ETag"].strip('"').endswith("-3"), "12 MiB in 5 MiB parts is a 3-part upload"
    meta = head["Metadata"]
    assert meta["sha256"] == hashlib.sha256(big.read_bytes()).hexdigest()
    assert meta["uploader"] == "tester"
    assert meta["source-path"] == "data/sales.parquet"
    assert meta["source-mtime"].startswith(time.strftime("%Y-", time.gmtime(big.stat().st_mtime)))
    assert open_uploads(s3_client, f"shared/{prefix}/") == []


@pytest.mark.parametrize("datalake_overrides", [{"transfer_concurrency": 2}], indirect=True)
@pytest.mark.parametrize("size", [5 * 5 * MiB, 6 * 5 * MiB + 1, 9 * 5 * MiB + 1])
@pytest.mark.parametrize("hashed", ["eight-at-a-time", "by-part"])
async def test_parts_read_into_reused_buffers_arrive_exact(
    jp_fetch, home, prefix, s3_client, monkeypatch, size, hashed
):
    # Two parts in flight: each buffer is read into again while later parts are sent, and the
    # file ends on a part boundary or one byte past it. The parts' MD5s are computed eight at a
    # time ahead of them (with the compiled lanes; 10 parts are a run of 8 and one of 2), or
    # by the thread sending each.
    if hashed == "eight-at-a-time":
        assert md5lanes.library() is not None, "build the package first (scripts/setup.sh)"
    else:
        monkeypatch.setattr(upload_module, "MAX_PART_LANES", 0)
    data = os.urandom(size)
    write(home / "parts.bin", data)
    done = await send(jp_fetch, sources=["parts.bin"], prefix=prefix)
    assert done["state"] == "done", done
    key = f"shared/{prefix}/parts.bin"
    assert read_object(s3_client, key) == data
    head = s3_client.head_object(Bucket="datalake", Key=key)
    assert head["ETag"].strip('"').endswith(f"-{-(-size // (5 * MiB))}")
    assert head["Metadata"]["sha256"] == hashlib.sha256(data).hexdigest()


TRICKY = [
    "ünïcødé 数据.csv",
    "with space.txt",
    "hash#tag.txt",
    "what?.txt",
    "100%.txt",
    "a+b.txt",
    "r&d.txt",
    ".hidden",
    "l" * 240 + ".txt",
]


async def test_tricky_names_and_a_zero_byte_file(jp_fetch, home, prefix, s3_client):
    folder = home / "odd names"
    contents = {name: os.urandom(100 + i) for i, name in enumerate(TRICKY)}
    for name, data in contents.items():
        write(folder / name, data)
    write(folder / "empty.bin", b"")
    done = await send(jp_fetch, sources=["odd names"], prefix=prefix)
    assert done["state"] == "done", done
    assert done["files_done"] == len(TRICKY) + 1
    base = f"shared/{prefix}/odd names/"
    assert keys_under(s3_client, base) == sorted(base + n for n in [*TRICKY, "empty.bin"])
    for name, data in contents.items():
        assert read_object(s3_client, base + name) == data
    assert read_object(s3_client, base + "empty.bin") == b""
    head = s3_client.head_object(Bucket="datalake", Key=base + "ünïcødé 数据.csv")
    assert (
        head["Metadata"]["source-path"]
        == "odd%20names/%C3%BCn%C3%AFc%C3%B8d%C3%A9%20%E6%95%B0%E6%8D%AE.csv"
    )


async def test_folder_keeps_nested_and_empty_folders_and_skips_links(
    jp_fetch, home, prefix, s3_client
):
    project = home / "project"
    write(project / "a.csv", b"a")
    write(project / "deep" / "er" / "b.csv", b"bb")
    (project / "deep" / "empty").mkdir(parents=True)
    (project / "nothing").mkdir()
    (project / "link.csv").symlink_to(project / "a.csv")
    done = await send(jp_fetch, sources=["project"], prefix=prefix)
    assert done["state"] == "done", done
    assert done["destination"] == f"shared/{prefix}/project/"
    assert done["files_skipped"] == 1
    base = f"shared/{prefix}/project/"
    assert keys_under(s3_client, base) == [
        base + "a.csv",
        base + "deep/empty/",
        base + "deep/er/b.csv",
        base + "nothing/",
    ]
    skipped = [i for i in done["items"] if i["state"] == "skipped"]
    assert [i["source"] for i in skipped] == ["project/link.csv"]
    assert "symbolic link" in skipped[0]["message"]


async def test_part_size_grows_to_stay_within_the_part_limit(
    jp_fetch, home, prefix, s3_client, monkeypatch
):
    assert part_size_for(5 * 1024**4, 8 * MiB) == 1024**3
    assert part_size_for(80 * 1024**3, 8 * MiB) == 16 * MiB
    assert part_size_for(8 * MiB * 10_000, 8 * MiB) == 8 * MiB
    # The same rule, for real, with a limit of 3 parts: 22 MiB needs 10 MiB parts, not 5.
    monkeypatch.setattr(lake_module, "MAX_PARTS", 3)
    data = write(home / "wide.bin", os.urandom(22 * MiB)).read_bytes()
    assert (await send(jp_fetch, sources=["wide.bin"], prefix=prefix))["state"] == "done"
    head = s3_client.head_object(Bucket="datalake", Key=f"shared/{prefix}/wide.bin")
    assert head["ETag"].strip('"').endswith("-3")
    assert read_object(s3_client, f"shared/{prefix}/wide.bin") == data


async def test_objects_beyond_the_copy_limit_get_their_checksum_by_multipart_copy(
    jp_fetch, home, prefix, s3_client, monkeypatch
):
    # CopyObject stops at 5 GiB; the same path, scaled down, exercises UploadPartCopy on RGW.
    monkeypatch.setattr(multipart_module, "COPY_LIMIT", 8 * MiB)
    monkeypatch.setattr(multipart_module, "COPY_PART", 5 * MiB)
    data = write(home / "huge.bin", os.urandom(11 * MiB)).read_bytes()
    done = await send(jp_fetch, sources=["huge.bin"], prefix=prefix)
    assert done["state"] == "done", done
    key = f"shared/{prefix}/huge.bin"
    assert read_object(s3_client, key) == data
    meta = s3_client.head_object(Bucket="datalake", Key=key)["Metadata"]
    assert meta["sha256"] == hashlib.sha256(data).hexdigest()
    assert meta["uploader"] == "tester"


# ----- conflicts --------------------------------------------------------------------------


async def test_conflict_policies(jp_fetch, home, prefix, s3_client):
    key = f"shared/{prefix}/report.csv"
    s3_client.put_object(Bucket="datalake", Key=key, Body=b"colleague's version")
    write(home / "report.csv", b"my version")

    code, plan = await post(jp_fetch, sources=["report.csv"], prefix=prefix, dry_run=True)
    assert code == 200 and plan["conflicts"] == [key]

    code, reply = await post(jp_fetch, sources=["report.csv"], prefix=prefix)
    assert code == 409
    assert "exist already" in reply["message"] and reply["plan"]["conflicts"] == [key]
    assert read_object(s3_client, key) == b"colleague's version"

    skipped = await send(jp_fetch, sources=["report.csv"], prefix=prefix, conflict="skip")
    assert skipped["state"] == "done" and skipped["files_skipped"] == 1
    assert read_object(s3_client, key) == b"colleague's version"

    renamed = await send(jp_fetch, sources=["report.csv"], prefix=prefix, conflict="rename")
    assert renamed["destination"] == f"shared/{prefix}/report (1).csv"
    assert read_object(s3_client, f"shared/{prefix}/report (1).csv") == b"my version"
    assert read_object(s3_client, key) == b"colleague's version"

    await send(jp_fetch, sources=["report.csv"], prefix=prefix, conflict="overwrite")
    assert read_object(s3_client, key) == b"my version"


@pytest.mark.parametrize("listing", ["whole", "cut short"])
async def test_clashes_among_many_files_are_found_exactly(
    jp_fetch, home, prefix, s3_client, monkeypatch, listing
):
    """Many files sent at once are checked by listing their folder: every clash, the first and
    last names included, and nothing in a sub-folder or with a longer name."""
    if listing == "cut short":  # the listing gives up early; HeadObject checks the rest
        monkeypatch.setattr(planning, "LIST_PAGE", 7)
        monkeypatch.setattr(planning, "KEYS_PER_HEAD", 0.3)
    names = [f"f{i:03}.txt" for i in range(80)]
    for name in names:
        write(home / name, b"mine")
    existing = [names[0], names[-1], *names[10:70:3]]
    for name in existing:
        s3_client.put_object(Bucket="datalake", Key=f"shared/{prefix}/{name}", Body=b"theirs")
    for other in ("f001.txt/inside", "f002.txt.bak", "a/f003.txt", "zz"):
        s3_client.put_object(Bucket="datalake", Key=f"shared/{prefix}/{other}", Body=b"other")
    code, plan = await post(jp_fetch, sources=names, prefix=prefix, dry_run=True)
    assert code == 200
    assert sorted(plan["conflicts"]) == sorted(f"shared/{prefix}/{n}" for n in existing)


async def test_rename_keeps_both_folders(jp_fetch, home, prefix, s3_client):
    s3_client.put_object(Bucket="datalake", Key=f"shared/{prefix}/run/a.txt", Body=b"theirs")
    write(home / "run" / "a.txt", b"mine")
    done = await send(jp_fetch, sources=["run"], prefix=prefix, conflict="rename")
    assert done["destination"] == f"shared/{prefix}/run (1)/"
    assert read_object(s3_client, f"shared/{prefix}/run (1)/a.txt") == b"mine"
    assert read_object(s3_client, f"shared/{prefix}/run/a.txt") == b"theirs"


# ----- refused, with nothing started --------------------------------------------------------


async def test_paths_leading_out_of_home_are_refused(jp_fetch, home, prefix, s3_client, tmp_path):
    outside = write(tmp_path / "elsewhere" / "secret.txt", b"not yours to send")
    (home / "escape.txt").symlink_to(outside)
    (home / "escape-dir").symlink_to(outside.parent, target_is_directory=True)
    for source in ("../elsewhere/secret.txt", "escape.txt", "escape-dir", str(outside)):
        code, reply = await post(jp_fetch, sources=[source], prefix=prefix)
        assert code == 403, (source, reply)
        assert "outside your home" in reply["message"]
    listed = json.loads((await jp_fetch("datalake", "transfers")).body)["transfers"]
    assert listed == []
    assert keys_under(s3_client, f"shared/{prefix}/") == []


async def test_entries_lost_at_restart_can_be_sent_by_absolute_path(
    jp_fetch, home, prefix, scratch, s3_client
):
    """What the Storage panel lists under "Lost at restart" can be saved to the lake."""
    data = write(scratch / "model.ckpt", os.urandom(1000)).read_bytes()
    (scratch / "via-link").symlink_to(scratch / "model.ckpt")
    code, _ = await post(jp_fetch, sources=[str(scratch / "via-link")], prefix=prefix)
    assert code == 403
    done = await send(jp_fetch, sources=[str(scratch / "model.ckpt")], prefix=prefix)
    assert done["state"] == "done"
    assert read_object(s3_client, f"shared/{prefix}/model.ckpt") == data


async def test_bad_requests_say_what_is_wrong(jp_fetch, home, prefix):
    write(home / "a.txt", b"a")
    cases = [
        ({"sources": ["missing.csv"]}, 404, "does not exist"),
        ({"sources": ["a.txt"], "prefix": "x/../y"}, 400, "'..'"),
        ({"sources": ["a.txt"], "prefix": "d" * 1100}, 400, "at most 1024"),
        ({"sources": ["a.txt"], "area": "elsewhere"}, 400, "area"),
        ({"sources": ["a.txt"], "conflict": "maybe"}, 400, "conflict policy"),
        ({"sources": ["a.txt", "./a.txt"]}, 400, "listed twice"),
        ({"sources": []}, 400, "sources"),
    ]
    for body, status, words in cases:
        body.setdefault("prefix", prefix)
        code, reply = await post(jp_fetch, **body)
        assert code == status, (body, reply)
        assert words in reply["message"], (body, reply)


def test_unreadable_source_is_refused(home, tmp_path):
    """Root reads everything, so the refusal is checked in a process running as nobody."""
    try:
        nobody = pwd.getpwnam("nobody")
    except KeyError:
        pytest.skip("no 'nobody' user to read without root's privileges")
    home.chmod(0o755)
    secret = write(home / "secret.csv", b"x")
    secret.chmod(0o600)
    config = DataLake(home_dir=str(home), state_dir=str(tmp_path / "state"), bucket="datalake")
    settings = config.resolve()
    read, written = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child reports through the pipe
        try:
            os.setgid(nobody.pw_gid)
            os.setuid(nobody.pw_uid)
            try:
                TransferManager(settings, Lake(settings)).plan(["secret.csv"], "shared", "", "ask")
                answer = "planned"
            except Refused as err:
                answer = f"{err.status} {err}"
            os.write(written, answer.encode())
        finally:
            os._exit(0)
    os.close(written)
    os.waitpid(pid, 0)
    answer = os.read(read, 4096).decode()
    assert answer.startswith("403 secret.csv cannot be read (Permission denied)"), answer


# ----- cancel, outages, changes and restarts ----------------------------------------------


SLOW = {"part_size": "5Mi", "transfer_bandwidth": "8Mi"}


@pytest.mark.parametrize("datalake_overrides", [SLOW], indirect=True)
async def test_cancel_aborts_the_upload(jp_fetch, home, prefix, s3_client):
    write(home / "big.bin", os.urandom(40 * MiB))
    _, started = await post(jp_fetch, sources=["big.bin"], prefix=prefix)
    await wait_running(jp_fetch, started["id"])
    response = await jp_fetch("datalake", "transfers", started["id"], method="DELETE")
    assert response.code == 202
    cancelled = await wait_for(jp_fetch, started["id"])
    assert cancelled["state"] == "cancelled", cancelled
    assert 0 < cancelled["bytes_done"] < cancelled["bytes_total"]
    assert open_uploads(s3_client, f"shared/{prefix}/") == []
    assert keys_under(s3_client, f"shared/{prefix}/") == []

    # A cancelled transfer can run again, and a finished one be removed from the list.
    await jp_fetch("datalake", "transfers", started["id"], "retry", method="POST", body="")
    assert (await wait_for(jp_fetch, started["id"]))["state"] == "done"
    response = await jp_fetch("datalake", "transfers", started["id"], method="DELETE")
    assert response.code == 204
    listed = json.loads((await jp_fetch("datalake", "transfers")).body)["transfers"]
    assert listed == []


@pytest.mark.parametrize("datalake_overrides", [SLOW], indirect=True)
async def test_s3_going_down_fails_cleanly_and_retry_completes(jp_fetch, home, prefix, s3_client):
    data = write(home / "big.bin", os.urandom(40 * MiB)).read_bytes()
    _, started = await post(jp_fetch, sources=["big.bin"], prefix=prefix)
    await wait_running(jp_fetch, started["id"])
    try:
        assert rgw("gateway-stop").returncode == 0
        failed = await wait_for(jp_fetch, started["id"])
        assert failed["state"] == "failed", failed
        assert "does not answer" in failed["message"]
        assert (home / "big.bin").read_bytes() == data
    finally:
        assert rgw("gateway-start").returncode == 0
    await jp_fetch("datalake", "transfers", started["id"], "retry", method="POST", body="")
    done = await wait_for(jp_fetch, started["id"])
    assert done["state"] == "done", done
    assert read_object(s3_client, f"shared/{prefix}/big.bin") == data
    # The upload the outage interrupted was aborted once S3 was back.
    assert open_uploads(s3_client, f"shared/{prefix}/") == []


@pytest.mark.parametrize("datalake_overrides", [SLOW], indirect=True)
async def test_source_changed_mid_upload_fails_and_leaves_nothing(
    jp_fetch, home, prefix, s3_client
):
    source = write(home / "growing.log", os.urandom(30 * MiB))
    _, started = await post(jp_fetch, sources=["growing.log"], prefix=prefix)
    await wait_running(jp_fetch, started["id"])
    with source.open("ab") as f:
        f.write(b"one more line\n")
    failed = await wait_for(jp_fetch, started["id"])
    assert failed["state"] == "failed"
    assert "changed while it was being sent" in failed["message"]
    assert open_uploads(s3_client, f"shared/{prefix}/") == []
    assert keys_under(s3_client, f"shared/{prefix}/") == []


STOPPING_SERVER = textwrap.dedent(
    """
    import sys, time
    from jupyterlab_datalake.config import DataLake
    from jupyterlab_datalake.lake.client import Lake
    from jupyterlab_datalake.transfers.manager import TransferManager
    direction, where, end = sys.argv[1:4]
    settings = DataLake(**dict(a.split("=", 1) for a in sys.argv[4:])).resolve()
    manager = TransferManager(settings, Lake(settings))
    if direction == "upload":
        plan = manager.plan(["big.bin"], "shared", where, "ask")
    else:
        plan = manager.downloads.plan([where], "shared", "", "ask")
    transfer = manager.start(plan)
    while manager.get(transfer["id"])["bytes_done"] == 0:
        time.sleep(0.01)
    print("running", flush=True)
    if end == "exit":
        sys.exit(0)  # as the server does when stopped: atexit hooks run
    time.sleep(600)
    """
)


@pytest.fixture
def server_config(home, s3_server) -> dict:
    return {
        "endpoint_url": s3_server["AWS_ENDPOINT_URL_S3"],
        "access_key_id": s3_server["AWS_ACCESS_KEY_ID"],
        "secret_access_key": s3_server["AWS_SECRET_ACCESS_KEY"],
        "bucket": "datalake",
        "username": "tester",
        "home_dir": str(home),
        "part_size": "5Mi",
        "transfer_bandwidth": "8Mi",
    }


def run_server_until(config: dict, direction: str, where: str, end: str) -> int:
    """Start a transfer in another process, wait until bytes move, then end that process by
    SIGKILL ("kill") or by a normal exit ("exit"); its exit status."""
    args = [direction, where, end, *(f"{k}={v}" for k, v in config.items())]
    child = subprocess.Popen(
        [sys.executable, "-c", STOPPING_SERVER, *args], stdout=subprocess.PIPE, text=True
    )
    try:
        assert child.stdout.readline().strip() == "running"
        if end == "kill":
            child.send_signal(signal.SIGKILL)
        return child.wait(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()


@contextlib.contextmanager
def restarted(config: dict):
    """The next server: a new manager reading the journal the last one left."""
    settings = DataLake(**config).resolve()
    manager = TransferManager(settings, Lake(settings))
    try:
        yield manager
    finally:
        manager.shutdown()


def test_server_killed_mid_transfer_shows_failed_and_aborts_its_upload(
    home, prefix, s3_client, server_config
):
    data = write(home / "big.bin", os.urandom(30 * MiB)).read_bytes()
    run_server_until(server_config, "upload", prefix, "kill")
    assert len(open_uploads(s3_client, f"shared/{prefix}/")) == 1

    with restarted(server_config) as manager:
        [listed] = manager.list()
        assert listed["state"] == "failed"
        assert "server stopped" in listed["message"]
        deadline = time.monotonic() + 30
        while open_uploads(s3_client, f"shared/{prefix}/") and time.monotonic() < deadline:
            time.sleep(0.1)
        assert open_uploads(s3_client, f"shared/{prefix}/") == []
        manager.retry(listed["id"])
        while manager.get(listed["id"])["state"] in ("queued", "running"):
            time.sleep(0.05)
        assert manager.get(listed["id"])["state"] == "done"
        assert read_object(s3_client, f"shared/{prefix}/big.bin") == data


def test_server_stopped_mid_transfer_aborts_its_upload_before_exiting(
    home, prefix, s3_client, server_config
):
    write(home / "big.bin", os.urandom(30 * MiB))
    assert run_server_until(server_config, "upload", prefix, "exit") == 0
    # Aborted by the stopping server itself, not left for the next one.
    assert open_uploads(s3_client, f"shared/{prefix}/") == []
    with restarted(server_config) as manager:
        [listed] = manager.list()
        assert listed["state"] == "failed" and "server stopped" in listed["message"]


def test_server_killed_mid_download_leaves_no_partial_file(home, prefix, s3_client, server_config):
    key = f"shared/{prefix}/big.bin"
    s3_client.put_object(Bucket="datalake", Key=key, Body=os.urandom(30 * MiB))
    run_server_until(server_config, "download", key, "kill")
    [partial] = [p for p in home.iterdir() if p.name.endswith(".datalake-part")]
    with restarted(server_config) as manager:
        assert not partial.exists()
        assert not (home / "big.bin").exists()
        [listed] = manager.list()
        assert listed["state"] == "failed"


@pytest.mark.parametrize("datalake_overrides", [{"endpoint_url": None}], indirect=True)
async def test_not_configured_is_a_clear_503(jp_fetch, home):
    with pytest.raises(HTTPClientError) as err:
        await jp_fetch("datalake", "transfers")
    assert err.value.code == 503
    assert "not configured" in json.loads(err.value.response.body)["message"]
