"""The request layer, through a real Jupyter server and a real S3 server (Ceph RGW): requests
too large to serve are refused with 413 and the limit, text no path can hold is a 400 (not a
500), messages come back as they were written, and the server log holds neither the token
nor a raw newline from a file name."""

from __future__ import annotations

import json
import logging

from jupyterlab_datalake import handlers
from jupyterlab_datalake.tests import test_transfers
from jupyterlab_datalake.tests.test_lake_browser import call

# Home is the file browser's root; the test's own scratch folder is the watched place.
home = test_transfers.home
scratch = test_transfers.scratch
datalake_overrides = test_transfers.datalake_overrides


async def post(jp_fetch, *path, **body) -> tuple[int, dict]:
    return await call(jp_fetch, *path, method="POST", body=body)


# ----- limits -----------------------------------------------------------------------------------


async def test_lists_longer_than_their_limit_are_refused_with_the_limit(jp_fetch, home, folder):
    limit = handlers.MAX_CLASSIFY_PATHS
    paths = [str(home / f"f{i}.txt") for i in range(limit)]
    code, reply = await post(jp_fetch, "paths", "classify", paths=paths)
    assert code == 200
    assert [r["path"] for r in reply["paths"]] == paths

    code, reply = await post(jp_fetch, "paths", "classify", paths=[*paths, "/tmp/one-more"])
    assert code == 413, reply
    assert f"{limit:,}" in reply["message"]

    rescue = [f"/tmp/r{i}" for i in range(handlers.MAX_RESCUE_PATHS + 1)]
    code, reply = await post(jp_fetch, "rescue", paths=rescue)
    assert code == 413 and f"{handlers.MAX_RESCUE_PATHS:,}" in reply["message"], reply

    sources = [f"s{i}.txt" for i in range(handlers.MAX_TRANSFER_SOURCES + 1)]
    code, reply = await post(jp_fetch, "transfers", sources=sources, area="shared", dry_run=True)
    assert code == 413 and f"{handlers.MAX_TRANSFER_SOURCES:,}" in reply["message"], reply

    keys = [f"users/tester/{folder}/k{i}" for i in range(handlers.MAX_DELETE_KEYS + 1)]
    code, reply = await post(jp_fetch, "objects", "delete", area="mine", keys=keys)
    assert code == 413 and f"{handlers.MAX_DELETE_KEYS:,}" in reply["message"], reply


async def test_as_many_sources_as_allowed_are_checked_and_an_overlap_named(jp_fetch, home):
    count = handlers.MAX_TRANSFER_SOURCES
    folder = home / "many"
    folder.mkdir()
    for i in range(count - 1):
        (folder / f"f{i}.txt").write_bytes(b"x")
    # The last source holds all the others: the first pair is named, inner first.
    sources = [*(f"many/f{i}.txt" for i in range(count - 1)), "many"]
    code, reply = await post(jp_fetch, "transfers", sources=sources, area="shared", dry_run=True)
    assert code == 400, reply
    assert reply["message"] == "many/f0.txt is inside many; pick one of them."


async def test_a_body_over_the_limit_is_refused_before_it_is_read(jp_fetch):
    huge = json.dumps({"paths": ["/tmp/" + "x" * 1000] * 5000})
    assert len(huge) > handlers.MAX_BODY
    code, reply = await call(jp_fetch, "paths", "classify", method="POST", body=huge.encode())
    assert code == 413, reply
    assert "at most 4.0 MiB" in reply["message"]


# ----- text that no path or key can hold ----------------------------------------------------------


async def test_a_nul_character_is_a_400_everywhere(jp_fetch, home, scratch):
    (scratch / "a").write_text("a")
    for path, body in (
        (("paths", "classify"), {"paths": [str(scratch / "a\0b")]}),
        (("rescue",), {"paths": [str(scratch / "a\0b")]}),
        (("transfers",), {"sources": ["a\0b"], "area": "shared", "dry_run": True}),
        (("objects", "info"), {"area": "mine", "keys": ["users/tester/a\0b"]}),
        (("uploads",), {"area": "shared", "name": "a\0b", "size": 1}),
    ):
        code, reply = await post(jp_fetch, *path, **body)
        assert code == 400, (path, code, reply)
        assert "NUL character" in reply["message"], (path, reply)
    assert (scratch / "a").exists()


# ----- messages and statuses -----------------------------------------------------------------


async def test_a_percent_sign_in_a_message_is_not_doubled(jp_fetch):
    code, reply = await post(jp_fetch, "transfers", sources=["a%2eb"], area="shared")
    assert code == 404
    assert reply["message"] == "a%2eb does not exist (any more)."


async def test_an_unknown_direction_is_refused(jp_fetch, home):
    (home / "a.txt").write_text("a")
    body = {"sources": ["a.txt"], "area": "shared", "direction": "sideways", "dry_run": True}
    code, reply = await post(jp_fetch, "transfers", **body)
    assert code == 400
    assert "'sideways'" in reply["message"]


# ----- the server log ---------------------------------------------------------------------------


async def test_the_token_of_a_refused_request_is_not_logged(jp_fetch, jp_serverapp, caplog):
    token = jp_serverapp.identity_provider.token
    assert token
    caplog.set_level(logging.DEBUG)
    for path, params in (
        (("objects", "download"), {"area": "shared", "key": "users/someone-else/x"}),  # 403
        (("objects", "download"), {"area": "shared", "key": "shared/no/such/key"}),  # 404
        (("at-risk",), {"top": "many"}),  # 400
    ):
        code, _ = await call(jp_fetch, *path, params={**params, "token": token})
        assert code in (400, 403, 404)
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "/datalake/objects/download" in logged  # the lines are there, without the token
    assert token not in logged


async def test_a_newline_in_a_name_stays_on_one_log_line(jp_fetch, caplog):
    caplog.set_level(logging.DEBUG)
    code, reply = await post(jp_fetch, "transfers", sources=["no\nsuch.txt"], area="shared")
    assert code == 404
    assert reply["message"] == "no\nsuch.txt does not exist (any more)."  # the reply is exact
    lines = [r.getMessage() for r in caplog.records if "such.txt" in r.getMessage()]
    assert lines
    assert all("\n" not in line for line in lines), lines
    assert any("no\\nsuch.txt" in line for line in lines), lines
