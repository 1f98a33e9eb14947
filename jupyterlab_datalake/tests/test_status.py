"""GET /datalake/status against a real S3 server (Ceph RGW): each state a user can meet."""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import threading

import pytest
from tornado.httpclient import AsyncHTTPClient, HTTPClientError

from conftest import rgw


async def get_status(jp_fetch) -> dict:
    response = await jp_fetch("datalake", "status")
    assert response.code == 200
    return json.loads(response.body)


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def test_connected(jp_fetch, s3_server):
    body = await get_status(jp_fetch)
    assert body["connection"]["state"] == "ok", body
    assert body["user"] == "tester"
    assert body["bucket"] == s3_server["DATALAKE_BUCKET"]
    assert body["endpoint_host"] == s3_server["AWS_ENDPOINT_URL_S3"].split("://")[1]
    bucket = s3_server["DATALAKE_BUCKET"]
    assert [(a["id"], a["prefix"], a["uri"], a["delete"]) for a in body["areas"]] == [
        ("mine", "users/tester/", f"s3a://{bucket}/users/tester/", "any"),
        ("shared", "shared/", f"s3a://{bucket}/shared/", "own"),
    ]
    for area in body["areas"]:
        assert area["read"] == {"state": "ok", "message": ""}
        assert area["write"] == {"state": "ok", "message": ""}


async def test_status_never_contains_a_secret(jp_fetch, s3_server):
    response = await jp_fetch("datalake", "status")
    text = response.body.decode()
    assert s3_server["AWS_SECRET_ACCESS_KEY"] not in text
    assert "secret" not in json.loads(text)


@pytest.mark.parametrize("datalake_overrides", [{"secret_access_key": "not-the-secret"}])
async def test_wrong_secret_is_bad_credentials(jp_fetch):
    connection = (await get_status(jp_fetch))["connection"]
    assert connection["state"] == "bad-credentials"
    assert "AWS_SECRET_ACCESS_KEY" in connection["hint"]


@pytest.mark.parametrize("datalake_overrides", [{"access_key_id": "nobody-has-this-key"}])
async def test_unknown_key_is_bad_credentials(jp_fetch):
    assert (await get_status(jp_fetch))["connection"]["state"] == "bad-credentials"


@pytest.mark.parametrize("datalake_overrides", [{"bucket": "no-such-bucket-here"}])
async def test_missing_bucket(jp_fetch):
    connection = (await get_status(jp_fetch))["connection"]
    assert connection["state"] == "no-such-bucket"
    assert "no-such-bucket-here" in connection["message"]


@pytest.mark.parametrize(
    "datalake_overrides", [{"endpoint_url": f"http://127.0.0.1:{closed_port()}"}]
)
async def test_nothing_listening_is_unreachable(jp_fetch):
    connection = (await get_status(jp_fetch))["connection"]
    assert connection["state"] == "unreachable"
    assert "127.0.0.1" in connection["message"]


@pytest.mark.parametrize(
    "datalake_overrides",
    [{"endpoint_url": None, "access_key_id": None, "secret_access_key": None}],
)
async def test_not_configured_says_what_is_missing(jp_fetch):
    body = await get_status(jp_fetch)
    connection = body["connection"]
    assert connection["state"] == "not-configured"
    assert "AWS_ENDPOINT_URL_S3" in connection["message"]
    assert "singleuser.extraEnv" in connection["hint"]
    assert body["endpoint_host"] is None


@pytest.mark.parametrize("datalake_overrides", [{"home_quota": "5Gx"}])
async def test_invalid_setting_is_reported_not_a_traceback(jp_fetch):
    body = await get_status(jp_fetch)
    connection = body["connection"]
    assert connection["state"] == "invalid-config"
    assert "home_quota" in connection["message"]
    assert "Traceback" not in json.dumps(body)


async def test_stopped_server_is_unreachable_and_recovers(jp_fetch):
    assert (await get_status(jp_fetch))["connection"]["state"] == "ok"
    stopped = rgw("gateway-stop")
    assert stopped.returncode == 0, stopped.stderr
    try:
        assert (await get_status(jp_fetch))["connection"]["state"] == "unreachable"
    finally:
        started = rgw("gateway-start")
        assert started.returncode == 0, started.stderr
    assert (await get_status(jp_fetch))["connection"]["state"] == "ok"


async def test_request_without_token_is_refused(jp_base_url, jp_http_port, jp_fetch):
    # jp_fetch starts the server; the raw client below carries no token or cookie.
    await get_status(jp_fetch)
    url = f"http://127.0.0.1:{jp_http_port}{jp_base_url}datalake/status"
    with pytest.raises(HTTPClientError) as info:
        await AsyncHTTPClient().fetch(url)
    assert info.value.code == 403
    assert b"bucket" not in (info.value.response.body or b"")


class BlackHole:
    """A TCP server that accepts connections and never answers: a hung S3 endpoint."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.accepted: list[socket.socket] = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.accepted.append(conn)

    def close(self):
        # shutdown() wakes the thread blocked in accept(); close() alone would leave the
        # socket listening until that call returns, and botocore's retry would hang on it.
        with contextlib.suppress(OSError):
            self.sock.shutdown(socket.SHUT_RDWR)
        self.sock.close()
        for conn in self.accepted:
            conn.close()


@pytest.fixture
def black_hole():
    hole = BlackHole()
    yield hole
    hole.close()


@pytest.fixture
def datalake_overrides(request):
    # Only the event-loop test needs the black hole; other tests parametrize this fixture.
    if "black_hole" in request.fixturenames:
        hole = request.getfixturevalue("black_hole")
        return {"endpoint_url": f"http://127.0.0.1:{hole.port}"}
    return {}


async def test_hung_s3_does_not_block_the_server(jp_fetch, black_hole):
    pending = asyncio.ensure_future(jp_fetch("datalake", "status"))
    while not black_hole.accepted:
        await asyncio.sleep(0.05)
    # While the S3 call hangs, the server still answers other requests.
    response = await jp_fetch("api", "status")
    assert response.code == 200
    assert not pending.done()
    black_hole.close()
    body = json.loads((await pending).body)
    assert body["connection"]["state"] == "unreachable"
