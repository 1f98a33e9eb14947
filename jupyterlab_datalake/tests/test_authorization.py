"""jupyter_server's Authorizer governs the extension as it does the Contents API, through a real
Jupyter server and a real S3 server (Ceph RGW). The servers here run with an Authorizer that
allows only `read`, as JupyterHub's read-only sharing configures one: everything that would
change home or the bucket is refused with 403 and changes nothing, and everything that only
looks still works. A second Authorizer lets the user write home but only read the lake."""

from __future__ import annotations

import json

import pytest
from jupyter_server.auth import Authorizer
from tornado.httpclient import HTTPClientError

from jupyterlab_datalake import handlers
from jupyterlab_datalake.tests import test_transfers
from jupyterlab_datalake.tests.test_lake_browser import call, put
from jupyterlab_datalake.tests.test_transfers import keys_under, open_uploads, send

# Home is the file browser's root; the test's own scratch folder is the watched place.
home = test_transfers.home
scratch = test_transfers.scratch
datalake_overrides = test_transfers.datalake_overrides


class ReadOnly(Authorizer):
    """Allows `read` only; a test sets `writes` to make its fixtures with the same server."""

    writes = False

    def is_authorized(self, handler, user, action, resource) -> bool:
        return action == "read" or ReadOnly.writes


class HomeOnly(Authorizer):
    """Reads anything, writes only home (jupyter_server's `contents`), never the lake."""

    def is_authorized(self, handler, user, action, resource) -> bool:
        return action == "read" or resource == "contents"


@pytest.fixture
def authorizer(request):
    return getattr(request, "param", ReadOnly)


@pytest.fixture
def jp_server_config(jp_server_config, authorizer):
    return {
        **jp_server_config,
        "ServerApp": {**jp_server_config["ServerApp"], "authorizer_class": authorizer},
    }


@pytest.fixture
def writes(monkeypatch):
    """Allow writes for the duration of a `with`, to set up what the test then tries to change."""

    class Writes:
        def __enter__(self):
            monkeypatch.setattr(ReadOnly, "writes", True)

        def __exit__(self, *exc):
            monkeypatch.setattr(ReadOnly, "writes", False)

    return Writes()


def refused(code: int, reply) -> bool:
    return code == 403 and "not authorized" in reply["message"]


async def test_no_transfer_starts_and_nothing_reaches_the_bucket(jp_fetch, home, folder, s3_client):
    # The sanity check first: jupyter_server itself obeys this Authorizer.
    with pytest.raises(HTTPClientError) as err:
        await jp_fetch(
            "api", "contents", "new.txt", method="PUT",
            body=json.dumps({"type": "file", "format": "text", "content": "x"}),
        )  # fmt: skip
    assert err.value.code == 403
    assert not (home / "new.txt").exists()

    (home / "data.csv").write_text("a,b\n")
    put(s3_client, f"shared/{folder}/remote.txt", b"remote")
    for body in (
        {"sources": ["data.csv"], "area": "shared", "prefix": folder},
        {"sources": ["data.csv"], "area": "shared", "prefix": folder, "dry_run": True},
        {
            "direction": "download",
            "sources": [f"shared/{folder}/remote.txt"],
            "area": "shared",
            "destination": "",
        },
    ):
        code, reply = await call(jp_fetch, "transfers", method="POST", body=body)
        assert refused(code, reply), (body, code, reply)
    assert keys_under(s3_client, f"shared/{folder}/") == [f"shared/{folder}/remote.txt"]
    assert not (home / "remote.txt").exists()
    assert (await call(jp_fetch, "transfers"))[1]["transfers"] == []


async def test_trash_rescue_and_deletes_are_refused_and_change_nothing(
    jp_fetch, home, scratch, folder, s3_client
):
    trash = home / ".local" / "share" / "Trash" / "files"
    trash.mkdir(parents=True)
    (trash / "old.txt").write_text("old")
    (scratch / "results.csv").write_text("1,2\n")
    key = f"users/tester/{folder}/mine.txt"
    put(s3_client, key, b"mine")

    code, reply = await call(jp_fetch, "trash", "empty", method="POST", body=b"")
    assert refused(code, reply), reply
    assert (trash / "old.txt").read_text() == "old"

    code, reply = await call(
        jp_fetch, "rescue", method="POST", body={"paths": [str(scratch / "results.csv")]}
    )
    assert refused(code, reply), reply
    assert (scratch / "results.csv").exists()
    assert not (home / "rescued").exists()

    code, reply = await call(
        jp_fetch, "objects", "delete", method="POST", body={"area": "mine", "keys": [key]}
    )
    assert refused(code, reply), reply
    assert keys_under(s3_client, f"users/tester/{folder}/") == [key]


async def test_uploads_from_the_computer_are_refused(jp_fetch, folder, s3_client, writes):
    body = {"area": "shared", "prefix": folder, "name": "big.bin", "size": 6 * 1024**2}
    code, reply = await call(jp_fetch, "uploads", method="POST", body=body)
    assert refused(code, reply), reply
    assert open_uploads(s3_client, f"shared/{folder}/") == []

    # One opened while writes were allowed cannot be fed or completed afterwards.
    with writes:
        code, opened = await call(jp_fetch, "uploads", method="POST", body=body)
    assert code == 201, opened
    code, reply = await call(
        jp_fetch, "uploads", opened["id"], "1", method="PUT", body=b"x" * opened["part_size"]
    )
    assert refused(code, reply), reply
    code, reply = await call(jp_fetch, "uploads", opened["id"], "complete", method="POST", body=b"")
    assert refused(code, reply), reply
    assert keys_under(s3_client, f"shared/{folder}/") == []
    with writes:
        await call(jp_fetch, "transfers", opened["id"], method="DELETE")


async def test_transfers_cannot_be_retried_cancelled_or_cleared(jp_fetch, home, folder, writes):
    (home / "a.txt").write_text("a")
    with writes:
        done = await send(jp_fetch, sources=["a.txt"], area="shared", prefix=folder)
    assert done["state"] == "done", done

    code, reply = await call(jp_fetch, "transfers", done["id"], "retry", method="POST", body=b"")
    assert refused(code, reply), reply
    code, reply = await call(jp_fetch, "transfers", done["id"], method="DELETE")
    assert refused(code, reply), reply
    code, reply = await call(jp_fetch, "transfers", method="DELETE")
    assert refused(code, reply), reply
    listed = (await call(jp_fetch, "transfers"))[1]["transfers"]
    assert [t["id"] for t in listed] == [done["id"]]
    assert listed[0]["state"] == "done"


async def test_reads_still_work(jp_fetch, home, folder, s3_client):
    # The other half of the rule, passing before the change too: no read is taken for a write.
    (home / "notes.txt").write_text("n")
    key = f"shared/{folder}/seen.txt"
    put(s3_client, key, b"seen", uploader="tester")

    assert (await call(jp_fetch, "status"))[0] == 200
    code, usage = await call(jp_fetch, "usage")
    assert code == 200 and usage["used"] > 0
    assert (await call(jp_fetch, "space", params={"path": ""}))[0] == 200
    assert (await call(jp_fetch, "at-risk"))[0] == 200
    code, classified = await call(
        jp_fetch, "paths", "classify", method="POST", body={"paths": [str(home / "notes.txt")]}
    )
    assert code == 200 and classified["paths"][0]["persistent"] is True
    code, page = await call(jp_fetch, "objects", params={"area": "shared", "prefix": folder})
    assert code == 200 and [o["key"] for o in page["objects"]] == [key]
    code, info = await call(
        jp_fetch, "objects", "info", method="POST", body={"area": "shared", "keys": [key]}
    )
    assert code == 200 and info["objects"][0]["uploader"] == "tester"
    response = await jp_fetch(
        "datalake", "objects", "download", params={"area": "shared", "key": key}
    )
    assert response.body == b"seen"
    assert (await call(jp_fetch, "transfers"))[0] == 200


@pytest.mark.parametrize("authorizer", [HomeOnly], indirect=True)
async def test_a_download_needs_home_and_an_upload_the_lake(jp_fetch, home, folder, s3_client):
    (home / "data.csv").write_text("a,b\n")
    put(s3_client, f"shared/{folder}/remote.txt", b"remote")
    code, reply = await call(
        jp_fetch,
        "transfers",
        method="POST",
        body={"sources": ["data.csv"], "area": "shared", "prefix": folder, "dry_run": True},
    )
    assert refused(code, reply), reply
    assert "datalake" in reply["message"]
    download = {
        "direction": "download",
        "sources": [f"shared/{folder}/remote.txt"],
        "area": "shared",
        "destination": "",
    }
    done = await send(jp_fetch, **download)
    assert done["state"] == "done", done
    assert (home / "remote.txt").read_bytes() == b"remote"


def routed_handlers() -> list[type]:
    """Every handler class the extension serves, as setup_handlers gives them to Tornado."""

    class App:
        settings = {"base_url": "/"}

        def add_handlers(self, host, rules):
            self.rules = rules

    app = App()
    handlers.setup_handlers(app)
    return [rule[1] for rule in app.rules]


def test_every_handler_method_is_authorized():
    # A handler added later without @authorized would be open to a read-only user. The
    # classes come from the routes, so that one left out of handlers/__init__ is checked too.
    routed = routed_handlers()
    assert len(routed) >= 20
    for cls in routed:
        name = cls.__name__
        assert issubclass(cls, handlers.DataLakeHandler), name
        for method in ("get", "post", "put", "delete", "patch"):
            func = cls.__dict__.get(method)
            if func is None:
                continue
            chain = []
            while func is not None:
                chain.append(func.__code__.co_qualname)  # wraps() copies __qualname__
                func = getattr(func, "__wrapped__", None)
            assert any(q.startswith("authorized.") for q in chain), (name, method, chain)
            assert cls.auth_resource in (handlers.LAKE_RESOURCE, "contents"), name
