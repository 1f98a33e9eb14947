"""The REST side of "lost at restart": classify, at-risk and rescue through a real server.
A tmpfs mounted by the test stands for /tmp (not persistent); home is on another volume."""

from __future__ import annotations

import json

import pytest
from tornado.httpclient import HTTPClientError


@pytest.fixture
def scratch(mount_tmpfs):
    """A watched, non-persistent place: a tmpfs of its own, as /tmp often is."""
    return mount_tmpfs("scratch", "16m")


@pytest.fixture
def datalake_overrides(scratch, jp_root_dir):
    return {"home_dir": str(jp_root_dir), "watched_paths": [str(scratch)]}


async def post(jp_fetch, *parts, body):
    return await jp_fetch("datalake", *parts, method="POST", body=json.dumps(body))


async def test_at_risk_lists_what_sits_in_a_watched_place(jp_fetch, scratch):
    (scratch / "model.pkl").write_bytes(b"m" * 300_000)
    (scratch / "run").mkdir()
    (scratch / "run" / "log.txt").write_text("x" * 5000)
    body = json.loads((await jp_fetch("datalake", "at-risk")).body)
    location = next(loc for loc in body["locations"] if loc["path"] == str(scratch))
    assert location["persistent"] is False
    assert "lost at restart" in location["reason"]
    assert location["entry_count"] == 2
    assert location["entries"][0]["name"] == "model.pkl"
    assert location["entries"][0]["bytes"] >= 300_000
    assert location["files"] == 2
    assert isinstance(body["packages"], list)


async def test_rescue_moves_into_home_and_the_usage_follows(jp_fetch, scratch, jp_root_dir):
    (scratch / "results.csv").write_text("a,b\n" * 10_000)
    before = json.loads((await jp_fetch("datalake", "usage")).body)["used"]
    reply = json.loads(
        (await post(jp_fetch, "rescue", body={"paths": [str(scratch / "results.csv")]})).body
    )
    assert reply["folder"] == "rescued"
    assert reply["rescued"][0]["destination"] == str(jp_root_dir / "rescued" / "results.csv")
    assert (jp_root_dir / "rescued" / "results.csv").read_text() == "a,b\n" * 10_000
    assert not (scratch / "results.csv").exists()
    after = json.loads((await jp_fetch("datalake", "usage")).body)["used"]
    assert after > before


async def test_rescue_refuses_what_is_not_in_a_watched_place(jp_fetch, jp_root_dir):
    (jp_root_dir / "mine.txt").write_text("keep")
    for path in [str(jp_root_dir / "mine.txt"), "/etc/passwd"]:
        with pytest.raises(HTTPClientError) as info:
            await post(jp_fetch, "rescue", body={"paths": [path]})
        assert info.value.code == 403
        assert path in json.loads(info.value.response.body)["message"]
    assert (jp_root_dir / "mine.txt").read_text() == "keep"


async def test_rescue_and_classify_want_a_list_of_paths(jp_fetch):
    for endpoint in ("rescue", ("paths", "classify")):
        parts = endpoint if isinstance(endpoint, tuple) else (endpoint,)
        with pytest.raises(HTTPClientError) as info:
            await post(jp_fetch, *parts, body={"paths": "/tmp/x"})
        assert info.value.code == 400


async def test_classify_and_the_roots_persistence(jp_fetch, scratch, jp_root_dir):
    reply = json.loads(
        (
            await post(
                jp_fetch, "paths", "classify", body={"paths": [str(scratch), str(jp_root_dir)]}
            )
        ).body
    )
    by_path = {r["path"]: r for r in reply["paths"]}
    assert by_path[str(scratch)]["persistent"] is False
    assert by_path[str(scratch)]["fstype"] == "tmpfs"
    assert by_path[str(jp_root_dir)]["persistent"] is True
    status = json.loads((await jp_fetch("datalake", "status")).body)
    assert status["root"]["persistent"] is True


async def test_status_says_when_the_file_browser_root_is_not_persistent(
    jp_root_dir, scratch, jp_server_config, jp_configurable_serverapp
):
    # Home is the tmpfs here, and the server was started in another folder.
    jp_server_config["DataLake"]["home_dir"] = str(scratch)
    app = jp_configurable_serverapp(config=jp_server_config)
    service = app.web_app.settings["datalake"]
    status = await service.status()
    assert status["root"]["path"] == str(jp_root_dir)
    assert status["root"]["persistent"] is False
    assert "lost at restart" in status["root"]["reason"]
