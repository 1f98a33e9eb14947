"""Two Jupyter servers on one home: a second server, even one that fails to bind its port,
leaves the first one's transfers alone, and the journal of a server that died is still cleaned
up by the next one. Real `jupyter lab` processes, sending to the real S3 server (Ceph RGW),
slowed down by transfer_bandwidth so that the servers start while bytes move."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest

from jupyterlab_datalake.tests import test_transfers
from jupyterlab_datalake.tests.test_transfers import (
    MiB,
    delete_prefix,
    open_uploads,
    read_object,
    write,
)

# The other tests' server settings, for these servers too.
server_config = test_transfers.server_config

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def prefix(s3_client):
    name = f"t-{uuid.uuid4().hex[:10]}"
    yield name
    delete_prefix(s3_client, f"shared/{name}/")


@pytest.fixture
def home(tmp_path):
    path = tmp_path / "home"
    path.mkdir()
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A `jupyter lab` process on ``home`` with the extension against RGW."""

    def __init__(self, tmp_path: Path, home: Path, datalake: dict, port: int, name: str):
        self.port, self.name, self.token = port, name, uuid.uuid4().hex
        self.log = tmp_path / f"{name}.log"
        config = tmp_path / f"{name}.json"
        config.write_text(
            json.dumps(
                {
                    "ServerApp": {
                        "ip": "127.0.0.1",
                        "port": port,
                        "port_retries": 0,
                        "open_browser": False,
                        "allow_root": True,
                        "root_dir": str(home),
                        "jpserver_extensions": {"jupyterlab_datalake": True},
                    },
                    "IdentityProvider": {"token": self.token},
                    # Slower than the other tests, so that servers start while bytes move.
                    "DataLake": {**datalake, "transfer_bandwidth": "2Mi"},
                }
            )
        )
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "DATALAKE_"))},
            # The source tree, not an installed copy, is what the test checks.
            "PYTHONPATH": str(ROOT),
            "HOME": str(tmp_path / "user"),
            "JUPYTER_RUNTIME_DIR": str(tmp_path / f"{name}-runtime"),
        }
        with open(self.log, "w") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "jupyterlab", f"--config={config}"],
                stdout=out,
                stderr=subprocess.STDOUT,
                env=env,
                cwd=str(home),
            )

    def output(self) -> str:
        return self.log.read_text()

    def wait_ready(self) -> Server:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"{self.name} exited:\n{self.output()}"
            with contextlib.suppress(OSError, ValueError):  # not up yet
                if self.call("GET", "api/status")[0] == 200:
                    return self
            time.sleep(0.1)
        raise AssertionError(f"{self.name} never answered:\n{self.output()}")

    def call(self, method: str, path: str, body: dict | None = None) -> tuple[int, dict]:
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}/{path}",
            method=method,
            data=None if body is None else json.dumps(body).encode(),
            headers={"Authorization": f"token {self.token}"},
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as err:
            return err.code, json.loads(err.read() or b"null")

    def transfers(self) -> list[dict]:
        code, reply = self.call("GET", "datalake/transfers")
        assert code == 200, reply
        return reply["transfers"]

    def send(self, source: str, prefix: str) -> str:
        code, reply = self.call(
            "POST",
            "datalake/transfers",
            {"sources": [source], "area": "shared", "prefix": prefix, "conflict": "ask"},
        )
        assert code == 201, reply
        return reply["id"]

    def transfer(self, transfer_id: str) -> dict:
        code, reply = self.call("GET", f"datalake/transfers/{transfer_id}")
        assert code == 200, reply
        return reply

    def wait_moving(self, transfer_id: str) -> None:
        deadline = time.monotonic() + 60
        while self.transfer(transfer_id)["bytes_done"] == 0:
            assert time.monotonic() < deadline, "the transfer never started"
            time.sleep(0.05)

    def wait_end(self, transfer_id: str) -> dict:
        deadline = time.monotonic() + 120
        while (transfer := self.transfer(transfer_id))["state"] in ("queued", "running"):
            assert time.monotonic() < deadline, f"transfer still running: {transfer}"
            time.sleep(0.1)
        return transfer

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@pytest.fixture
def servers(tmp_path, home, server_config):
    """start(name, port=None) starts another server on the same home; all stopped at the end."""
    started: list[Server] = []

    def start(name: str, port: int | None = None) -> Server:
        server = Server(tmp_path, home, server_config, port or free_port(), name)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


def test_a_second_server_leaves_the_first_ones_transfer_alone(home, prefix, s3_client, servers):
    # At 2 MiB/s, long enough for two more servers to start on a loaded machine.
    data = write(home / "big.bin", os.urandom(60 * MiB)).read_bytes()
    first = servers("first").wait_ready()
    running = first.send("big.bin", prefix)
    first.wait_moving(running)

    # One that fails to bind the first one's port still loads the extension, then exits.
    failed = servers("same-port", port=first.port)
    second = servers("second")
    assert failed.process.wait(timeout=60) != 0
    assert "Registered jupyterlab-datalake server extension" in failed.output()
    second.wait_ready()
    assert first.transfer(running)["state"] != "done", "finished before the test was set up"

    # Done means that its multipart upload was never aborted under it.
    done = first.wait_end(running)
    assert done["state"] == "done", done["message"]
    assert read_object(s3_client, f"shared/{prefix}/big.bin") == data
    assert [t["state"] for t in first.transfers()] == ["done"]
    # The second server's list is its own, and stays so when the browser reloads it.
    assert second.transfers() == []


def test_the_next_server_cleans_up_a_killed_one_and_leaves_a_live_one_alone(
    home, prefix, s3_client, servers
):
    write(home / "a.bin", os.urandom(30 * MiB))
    data_b = write(home / "b.bin", os.urandom(40 * MiB)).read_bytes()
    first = servers("first").wait_ready()
    killed = first.send("a.bin", f"{prefix}/a")
    first.wait_moving(killed)
    second = servers("second").wait_ready()
    assert second.transfers() == []
    alive = second.send("b.bin", f"{prefix}/b")
    second.wait_moving(alive)

    first.process.send_signal(signal.SIGKILL)
    first.process.wait(timeout=30)
    assert len(open_uploads(s3_client, f"shared/{prefix}/a/")) == 1

    third = servers("third").wait_ready()
    [listed] = third.transfers()
    assert listed["id"] == killed
    assert listed["state"] == "failed" and "server stopped" in listed["message"]
    deadline = time.monotonic() + 30
    while open_uploads(s3_client, f"shared/{prefix}/a/") and time.monotonic() < deadline:
        time.sleep(0.1)
    assert open_uploads(s3_client, f"shared/{prefix}/a/") == []

    assert second.transfer(alive)["state"] == "running", "finished before the test was set up"
    done = second.wait_end(alive)
    assert done["state"] == "done", done["message"]
    assert read_object(s3_client, f"shared/{prefix}/b/b.bin") == data_b
    assert [t["id"] for t in third.transfers()] == [killed]
