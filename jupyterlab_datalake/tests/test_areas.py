"""Configured areas under an S3 policy that refuses some of them, against a real S3 server
(Ceph RGW) that enforces bucket policies: the status says what each area allows, and an
action S3 refuses is a 403 that names the area and the action, never a 503.

A second RGW user owns the bucket `stranger-lake` and grants the tests' own user only what the
guide's platforms grant for `raw/`: listing and reading there, nothing else. `secret/` in the
same bucket is not granted at all.
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import uuid

import boto3
import pytest
from botocore.config import Config

from conftest import RGW_DIR
from jupyterlab_datalake.tests import test_lake_browser as browser_tests
from jupyterlab_datalake.tests.test_lake_browser import call
from jupyterlab_datalake.tests.test_transfers import post, send

STRANGER = "datalake-stranger"
BUCKET = "stranger-lake"

AREAS = [
    {"id": "mine", "title": "My area", "prefix": "users/{username}/",
     "allow": ["read", "write", "delete-any"]},
    {"id": "shared", "title": "Shared", "prefix": "shared/", "allow": ["read", "write", "delete-own"]},
    {"id": "datasets", "title": "Datasets", "prefix": "datasets/", "allow": ["read"]},
    # The config allows writing here, but S3 does not: S3 has the last word.
    {"id": "raw", "title": "Raw", "bucket": BUCKET, "prefix": "raw/", "allow": ["read", "write"]},
    {"id": "secret", "title": "Secret", "bucket": BUCKET, "prefix": "secret/", "allow": ["read"]},
    # Granted by prefix only, as a per-user policy grants a user's own area.
    {"id": "drop", "title": "Drop", "bucket": BUCKET, "prefix": "drop/",
     "allow": ["read", "write", "delete-any"]},
]  # fmt: skip


def radosgw_admin(*args: str) -> dict:
    done = subprocess.run(
        ["radosgw-admin", "-c", str(RGW_DIR / "ceph.conf"), *args],
        capture_output=True,
        text=True,
        timeout=60,
    )
    return json.loads(done.stdout) if done.returncode == 0 and done.stdout.strip() else {}


@pytest.fixture(scope="module")
def stranger_bucket(s3_server):
    """`stranger-lake`, owned by another user, whose policy lets the tests' user list and read
    raw/ only; it holds raw/events.csv and secret/plans.txt."""
    user = radosgw_admin("user", "info", f"--uid={STRANGER}") or radosgw_admin(
        "user", "create", f"--uid={STRANGER}", "--display-name=stranger"
    )
    key = user["keys"][0]
    s3 = boto3.client(
        "s3",
        endpoint_url=s3_server["AWS_ENDPOINT_URL_S3"],
        region_name="us-east-1",
        aws_access_key_id=key["access_key"],
        aws_secret_access_key=key["secret_key"],
        config=Config(s3={"addressing_style": "path"}),
    )
    with contextlib.suppress(s3.exceptions.BucketAlreadyOwnedByYou):
        s3.create_bucket(Bucket=BUCKET)
    s3.put_object(Bucket=BUCKET, Key="raw/events.csv", Body=b"id,kind\n1,click\n")
    s3.put_object(Bucket=BUCKET, Key="secret/plans.txt", Body=b"not for you")
    principal = "arn:aws:iam:::user/datalake-test"  # the tests' user (scripts/rgw.sh)
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": [principal]},
                "Action": ["s3:ListBucket"],
                "Resource": [f"arn:aws:s3:::{BUCKET}"],
                "Condition": {"StringLike": {"s3:prefix": ["raw/", "raw/*", "drop/", "drop/*"]}},
            },
            {
                "Effect": "Allow",
                "Principal": {"AWS": [principal]},
                "Action": ["s3:GetObject"],
                "Resource": [f"arn:aws:s3:::{BUCKET}/raw/*"],
            },
            {
                "Effect": "Allow",
                "Principal": {"AWS": [principal]},
                "Action": [
                    "s3:GetObject",
                    "s3:PutObject",
                    "s3:DeleteObject",
                    "s3:AbortMultipartUpload",
                ],
                "Resource": [f"arn:aws:s3:::{BUCKET}/drop/*"],
            },
        ],
    }
    s3.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(policy))
    return s3


home = browser_tests.home


@pytest.fixture
def datalake_overrides(home, stranger_bucket):
    return {"home_dir": str(home), "areas": AREAS}


async def status(jp_fetch) -> dict:
    response = await jp_fetch("datalake", "status")
    return json.loads(response.body)


async def test_status_shows_each_area_as_the_policy_allows_it(jp_fetch):
    body = await status(jp_fetch)
    assert body["connection"]["state"] == "ok", body
    assert "5 of 6 areas readable, 3 writable" in body["connection"]["message"]
    by_id = {a["id"]: a for a in body["areas"]}
    assert [a["id"] for a in body["areas"]] == [
        "mine",
        "shared",
        "datasets",
        "raw",
        "secret",
        "drop",
    ]
    assert by_id["mine"]["write"]["state"] == by_id["shared"]["write"]["state"] == "ok"
    assert by_id["datasets"]["read"]["state"] == "ok"
    assert by_id["datasets"]["write"] == {
        "state": "not-allowed",
        "message": "Datasets is read-only here.",
    }
    assert by_id["raw"]["uri"] == f"s3a://{BUCKET}/raw/"
    assert by_id["raw"]["read"]["state"] == "ok"
    assert by_id["raw"]["write"]["state"] == "refused"
    assert "may not write to raw/" in by_id["raw"]["write"]["message"]
    assert by_id["secret"]["read"]["state"] == "refused"
    assert "may not list secret/" in by_id["secret"]["read"]["message"]


async def test_what_the_policy_refuses_is_a_403_naming_area_and_action(jp_fetch, home):
    code, reply = await call(jp_fetch, "objects", params={"area": "secret", "prefix": ""})
    assert code == 403
    assert reply["message"].startswith(
        f"Your data lake account may not list secret/ (s3a://{BUCKET}/secret/)."
    )

    code, reply = await call(
        jp_fetch, "objects", "download", params={"area": "secret", "key": "secret/plans.txt"}
    )
    assert code == 403 and "may not read secret/" in reply["message"]

    (home / "events.csv").write_bytes(b"id\n2\n")
    await status(jp_fetch)  # the write probe ran
    code, reply = await post(jp_fetch, sources=["events.csv"], area="raw", prefix="")
    assert code == 403 and "may not write to raw/" in reply["message"], reply

    code, reply = await call(
        jp_fetch,
        "uploads",
        method="POST",
        body={"area": "raw", "prefix": "", "name": "b.csv", "size": 3},
    )
    assert code == 403 and "may not write to raw/" in reply["message"], reply


async def test_what_the_policy_allows_works(jp_fetch, home):
    code, page = await call(jp_fetch, "objects", params={"area": "raw", "prefix": ""})
    assert code == 200 and [o["name"] for o in page["objects"]] == ["events.csv"]
    code, body = await call(
        jp_fetch, "objects", "download", params={"area": "raw", "key": "raw/events.csv"}
    )
    assert code == 200 and body == b"id,kind\n1,click\n"


async def test_what_the_config_refuses_says_so_before_asking_s3(jp_fetch, home):
    (home / "a.csv").write_bytes(b"x")
    code, reply = await post(jp_fetch, sources=["a.csv"], area="datasets", prefix="")
    assert code == 403 and reply["message"].startswith("Datasets (datasets/) is read-only here")
    code, reply = await call(
        jp_fetch,
        "objects",
        "delete",
        method="POST",
        body={"area": "raw", "keys": ["raw/events.csv"]},
    )
    assert code == 403 and "Nothing can be deleted in Raw (raw/)" in reply["message"]
    code, reply = await call(jp_fetch, "objects", params={"area": "nowhere", "prefix": ""})
    assert code == 400
    assert "the areas are mine, shared, datasets, raw, secret, drop" in reply["message"]


async def test_an_area_granted_by_prefix_only_can_be_written_and_emptied(jp_fetch, home):
    """Sending checks clashes with HeadObject, which S3 answers 403 for a missing key without
    a bucket-wide ListBucket; deleting uses DeleteObjects, which RGW checks against the bucket.
    Both fall back to what a prefix grant allows."""
    name = f"notes-{uuid.uuid4().hex[:8]}.txt"
    (home / name).write_bytes(b"dropped")
    done = await send(jp_fetch, sources=[name], area="drop", prefix="", conflict="ask")
    assert done["state"] == "done", done
    assert done["uri"] == f"s3a://{BUCKET}/drop/{name}"
    code, reply = await call(
        jp_fetch,
        "objects",
        "delete",
        method="POST",
        body={"area": "drop", "keys": [f"drop/{name}"]},
    )
    assert code == 200 and reply["deleted"] == 1 and reply["failed"] == [], reply
    code, page = await call(jp_fetch, "objects", params={"area": "drop", "prefix": ""})
    assert code == 200 and name not in [o["name"] for o in page["objects"]]
