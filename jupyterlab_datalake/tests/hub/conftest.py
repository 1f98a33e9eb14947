"""Fixtures of the hub tests: one JupyterHub for this package's tests (scripts/hub_env.py) with alice
and bob, each with their own RGW user under the least-privilege bucket policy, and each logged
in through the hub's login page in a browser of their own.

Everything the tests write goes under one folder name per run, in every area, and is removed
at the end with the admin key (which owns the bucket, so the policy does not bind it).
"""

from __future__ import annotations

import uuid

import pytest

from .support import Browser, load_hub_env

hub_env = load_hub_env()


@pytest.fixture(scope="package")
def hub(s3_server, tmp_path_factory):
    try:
        import jupyterhub  # noqa: F401
    except ImportError:
        pytest.fail("JupyterHub is not installed: pip install -e '.[test]' (scripts/setup.sh)")
    state = tmp_path_factory.mktemp("hub")
    with hub_env.running_hub(state, s3_server, source_tree=True) as running:
        yield running


@pytest.fixture(scope="package")
def admin_s3(s3_server):
    return hub_env.s3_client(
        s3_server["AWS_ENDPOINT_URL_S3"],
        s3_server["AWS_ACCESS_KEY_ID"],
        s3_server["AWS_SECRET_ACCESS_KEY"],
    )


@pytest.fixture(scope="package")
def user_s3(hub):
    """boto3 with a hub user's own keys, as a notebook on their server would have them."""

    def client(uid: str):
        user = hub.users[uid]
        return hub_env.s3_client(hub.endpoint, user.access_key, user.secret_key)

    return client


@pytest.fixture(scope="package")
def run(hub, admin_s3):
    """This run's folder name; the lake is emptied of it in every area afterwards."""
    name = f"hub-{uuid.uuid4().hex[:8]}"
    yield name
    prefixes = [f"{p}{name}/" for p in ("shared/", "datasets/", "raw/")]
    prefixes += [f"users/{uid}/{name}/" for uid in hub.users]
    for prefix in prefixes:
        for page in admin_s3.get_paginator("list_objects_v2").paginate(
            Bucket=hub.bucket, Prefix=prefix
        ):
            keys = [{"Key": o["Key"]} for o in page.get("Contents", [])]
            if keys:
                admin_s3.delete_objects(Bucket=hub.bucket, Delete={"Objects": keys})
        uploads = admin_s3.list_multipart_uploads(Bucket=hub.bucket, Prefix=prefix)
        for upload in uploads.get("Uploads", []):
            admin_s3.abort_multipart_upload(
                Bucket=hub.bucket, Key=upload["Key"], UploadId=upload["UploadId"]
            )


@pytest.fixture(scope="package")
def read_areas(hub, admin_s3, run):
    """What the platform's admins put in datasets/ and raw/ (users only read there)."""
    keys = {"datasets": f"datasets/{run}/countries.csv", "raw": f"raw/{run}/events/day=1.csv"}
    for key in keys.values():
        admin_s3.put_object(Bucket=hub.bucket, Key=key, Body=b"id,name\n1,one\n")
    return keys


def _logged_in(hub, user: str) -> Browser:
    browser = Browser(hub.url)
    reply = browser.login(user, hub.password)
    assert reply.status_code < 400, f"{user} could not log in: {reply.status_code}"
    browser.open_server(user)
    return browser


@pytest.fixture(scope="package")
def alice(hub) -> Browser:
    return _logged_in(hub, "alice")


@pytest.fixture(scope="package")
def bob(hub) -> Browser:
    return _logged_in(hub, "bob")
