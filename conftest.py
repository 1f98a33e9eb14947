"""Fixtures shared by the server tests: a real S3 server (Ceph RGW) and a Jupyter server with
the extension configured against it."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

pytest_plugins = ("pytest_jupyter.jupyter_server",)

ROOT = Path(__file__).parent
RGW_SCRIPT = ROOT / "scripts" / "rgw.sh"
RGW_DIR = Path(os.environ.get("RGW_DIR", "/tmp/datalake-rgw"))


def rgw(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "RGW_DIR": str(RGW_DIR), "PYTHON": sys.executable}
    return subprocess.run(
        ["bash", str(RGW_SCRIPT), *args], env=env, capture_output=True, text=True, timeout=300
    )


def _read_env_file(path: Path) -> dict[str, str]:
    values = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if line.startswith("export "):
            key, _, value = line[len("export ") :].partition("=")
            values[key] = shlex.split(value)[0] if value else ""
    return values


@pytest.fixture(scope="session")
def s3_server():
    """The RGW gateway's endpoint and credentials; started here unless it already runs."""
    started_here = rgw("status").returncode != 0
    if started_here:
        result = rgw("start")
        if result.returncode != 0:
            pytest.fail(f"could not start the test S3 server:\n{result.stdout}\n{result.stderr}")
    yield _read_env_file(RGW_DIR / "env")
    if started_here and not os.environ.get("DATALAKE_KEEP_RGW"):
        rgw("stop")


@pytest.fixture
def s3_client(s3_server):
    import boto3
    from botocore.config import Config

    return boto3.client(
        "s3",
        endpoint_url=s3_server["AWS_ENDPOINT_URL_S3"],
        aws_access_key_id=s3_server["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=s3_server["AWS_SECRET_ACCESS_KEY"],
        region_name="us-east-1",
        config=Config(s3={"addressing_style": "path"}),
    )


@pytest.fixture
def folder(s3_client):
    """A folder of its own in both areas for each test, emptied afterwards."""
    name = f"b-{uuid.uuid4().hex[:10]}"
    yield name
    for area in ("shared/", "users/tester/"):
        paginator = s3_client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket="datalake", Prefix=f"{area}{name}/"):
            keys = [{"Key": o["Key"]} for o in page.get("Contents", [])]
            if keys:
                s3_client.delete_objects(Bucket="datalake", Delete={"Objects": keys})
        uploads = s3_client.list_multipart_uploads(Bucket="datalake", Prefix=f"{area}{name}/")
        for upload in uploads.get("Uploads", []):
            s3_client.abort_multipart_upload(
                Bucket="datalake", Key=upload["Key"], UploadId=upload["UploadId"]
            )


@pytest.fixture
def mount_tmpfs(tmp_path):
    """Mount small tmpfs volumes for a test (as root), unmounted afterwards; the test is
    skipped, with the reason, where mounting is not allowed."""
    mounted = []

    def mount(name: str, size: str) -> Path:
        path = tmp_path / f"{name}-{uuid.uuid4().hex[:8]}"
        path.mkdir()
        result = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here (needs root): {result.stderr.strip()}")
        mounted.append(path)
        return path

    yield mount
    for path in mounted:
        subprocess.run(["umount", "-l", str(path)], check=False)


@pytest.fixture
def datalake_overrides() -> dict:
    """Per-test changes to the DataLake config; tests parametrize this fixture to change it."""
    return {}


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch):
    # The developer's own AWS or hub settings must not leak into what the tests configure.
    for name in list(os.environ):
        if name.startswith(("AWS_", "DATALAKE_")) or name == "JUPYTERHUB_USER":
            monkeypatch.delenv(name, raising=False)


@pytest.fixture
def datalake_config(s3_server, datalake_overrides, tmp_path) -> dict:
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    config = {
        "endpoint_url": s3_server["AWS_ENDPOINT_URL_S3"],
        "access_key_id": s3_server["AWS_ACCESS_KEY_ID"],
        "secret_access_key": s3_server["AWS_SECRET_ACCESS_KEY"],
        "bucket": s3_server["DATALAKE_BUCKET"],
        "username": "tester",
        "home_dir": str(home),
        "connect_timeout": 3,
    }
    config.update(datalake_overrides)
    return {key: value for key, value in config.items() if value is not None}


@pytest.fixture
def jp_server_config(datalake_config):
    return {
        "ServerApp": {"jpserver_extensions": {"jupyterlab_datalake": True}},
        "DataLake": datalake_config,
    }
