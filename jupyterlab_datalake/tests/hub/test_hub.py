"""Two hub users, each with their own S3 identity under a least-privilege bucket policy, use
the extension on a real JupyterHub (scripts/hub_env.py): logged in through the hub's login
page, on their own single-user servers under /user/<name>/, and one of them acting on the
other's server through JupyterHub's sharing.

What a user can do is checked twice, as on a platform: S3 refuses what the policy does not
grant (boto3 with the user's own keys shows it), and the extension refuses what its areas do
not allow, with a 403 that says so, before S3 is asked.
"""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

AREAS = ("mine", "shared", "datasets", "raw")
WRITABLE = {"mine", "shared"}


def areas_by_id(status: dict) -> dict[str, dict]:
    areas = status.get("areas")
    assert isinstance(areas, list), f"status has no per-area list: {areas!r}"
    return {area["id"]: area for area in areas}


def make_file(hub, owner: str, relative: str, text: str) -> str:
    """A file in <owner>'s home on disk, as they would have made it in JupyterLab."""
    path = hub.home(owner) / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return relative


def uploader(s3, hub, key: str) -> str | None:
    """The `uploader` metadata, read with the key of the server that wrote the object: under
    RGW's default ACL an object belongs to its writer, and not even the bucket owner may read
    it (listing and deleting are rights on the bucket, and stay the owner's)."""
    return s3.head_object(Bucket=hub.bucket, Key=key)["Metadata"].get("uploader")


def assert_denied(call) -> None:
    with pytest.raises(ClientError) as caught:
        call()
    assert caught.value.response["Error"]["Code"] in ("AccessDenied", "403")


@pytest.fixture(scope="package")
def alice_private(hub, user_s3, run) -> str:
    """An object alice put in her own area with her own keys, which S3 lets her do."""
    key = f"users/alice/{run}/private/diary.txt"
    user_s3("alice").put_object(Bucket=hub.bucket, Key=key, Body=b"dear diary")
    return key


@pytest.fixture(scope="package")
def alice_sent(hub, alice, run) -> dict[str, str]:
    """alice sends one file from her home to her area and to shared/, through her server."""
    source = make_file(hub, "alice", f"{run}/results.csv", "id,score\n1,0.9\n")
    keys = {}
    for area in ("mine", "shared"):
        transfer = alice.transfer(
            "alice", {"sources": [source], "area": area, "prefix": run, "conflict": "overwrite"}
        )
        assert transfer["state"] == "done", transfer
        keys[area] = transfer["destination"]
    return keys


# --------------------------------------------------------------------------- S3 itself


def test_the_admin_key_that_owns_the_bucket_is_not_bound_by_the_policy(hub, admin_s3, run):
    # The rest of the suite works with this key while the hub tests run.
    admin_s3.head_bucket(Bucket=hub.bucket)
    admin_s3.list_objects_v2(Bucket=hub.bucket, MaxKeys=1)
    admin_s3.put_object(Bucket=hub.bucket, Key=f"raw/{run}/by-admin.txt", Body=b"x")
    admin_s3.delete_object(Bucket=hub.bucket, Key=f"raw/{run}/by-admin.txt")


def test_s3_refuses_bob_alices_area_with_his_own_keys(hub, user_s3, alice_private):
    bob_s3 = user_s3("bob")
    # His key works: his own area lists, so the refusals below are the policy's.
    bob_s3.list_objects_v2(Bucket=hub.bucket, Prefix="users/bob/", MaxKeys=1)
    assert_denied(lambda: bob_s3.list_objects_v2(Bucket=hub.bucket, Prefix="users/alice/"))
    assert_denied(lambda: bob_s3.get_object(Bucket=hub.bucket, Key=alice_private))
    assert_denied(
        lambda: bob_s3.put_object(Bucket=hub.bucket, Key="users/alice/planted.txt", Body=b"x")
    )
    # Nor may anyone write where the platform's admins publish.
    assert_denied(
        lambda: bob_s3.put_object(Bucket=hub.bucket, Key="datasets/planted.txt", Body=b"x")
    )


# --------------------------------------------------------------------------- status


@pytest.mark.parametrize("user", ["alice", "bob"])
def test_status_is_green_for_each_user_with_each_areas_rights(request, hub, user, read_areas):
    browser = request.getfixturevalue(user)
    reply = browser.call("GET", user, "status")
    assert reply.status_code == 200, reply.text
    status = reply.json()
    assert status["user"] == user
    assert status["connection"]["state"] == "ok", status["connection"]
    areas = areas_by_id(status)
    assert list(areas) == list(AREAS)
    assert areas["mine"]["prefix"] == f"users/{user}/"
    assert areas["mine"]["uri"] == f"s3a://{hub.bucket}/users/{user}/"
    for area_id, area in areas.items():
        assert area["read"]["state"] == "ok", area
        expected = "ok" if area_id in WRITABLE else "not-allowed"
        assert area["write"]["state"] == expected, area
    assert areas["mine"]["delete"] == "any"
    assert areas["shared"]["delete"] == "own"
    assert areas["datasets"]["delete"] == "none"


# --------------------------------------------------------------------------- sending files


def test_alice_sends_a_file_to_her_area_and_to_shared_as_herself(hub, user_s3, run, alice_sent):
    assert alice_sent == {
        "mine": f"users/alice/{run}/results.csv",
        "shared": f"shared/{run}/results.csv",
    }
    for key in alice_sent.values():
        assert uploader(user_s3("alice"), hub, key) == "alice"
        body = user_s3("alice").get_object(Bucket=hub.bucket, Key=key)["Body"].read()
        assert body == b"id,score\n1,0.9\n"


def test_bob_sees_alices_shared_file_and_cannot_delete_it(hub, admin_s3, bob, run, alice_sent):
    reply = bob.call("GET", "bob", "objects", params={"area": "shared", "prefix": run})
    assert reply.status_code == 200, reply.text
    assert [o["name"] for o in reply.json()["objects"]] == ["results.csv"]

    key = alice_sent["shared"]
    info = bob.call("POST", "bob", "objects/info", json={"area": "shared", "keys": [key]})
    assert info.status_code == 200, info.text
    [entry] = info.json()["objects"]
    assert entry["uploader"] == "alice"
    assert entry["can_delete"] is False

    refused = bob.call("POST", "bob", "objects/delete", json={"area": "shared", "keys": [key]})
    assert refused.status_code == 403, refused.text
    assert "alice" in refused.json()["message"]
    still = admin_s3.list_objects_v2(Bucket=hub.bucket, Prefix=key)
    assert [o["Key"] for o in still.get("Contents", [])] == [key]


def test_bob_does_not_see_alices_area_from_his_server(hub, bob, run, alice_private):
    # His "mine" is his own prefix; alice's area is no area of his.
    reply = bob.call("GET", "bob", "objects", params={"area": "mine", "prefix": run})
    assert reply.status_code == 200, reply.text
    assert reply.json()["key_prefix"].startswith("users/bob/")
    assert reply.json()["objects"] == []


def test_the_read_areas_list_and_refuse_a_send_with_a_message(
    hub, admin_s3, alice, run, read_areas
):
    for area, key in read_areas.items():
        folder = key[len(f"{area}/") :].rsplit("/", 1)[0]
        reply = alice.call("GET", "alice", "objects", params={"area": area, "prefix": folder})
        assert reply.status_code == 200, reply.text
        assert [o["key"] for o in reply.json()["objects"]] == [key]

    source = make_file(hub, "alice", f"{run}/to-datasets.csv", "a\n")
    refused = alice.call(
        "POST", "alice", "transfers", json={"sources": [source], "area": "datasets", "prefix": run}
    )
    assert refused.status_code == 403, refused.text
    assert "datasets/" in refused.json()["message"]
    listed = admin_s3.list_objects_v2(Bucket=hub.bucket, Prefix=f"datasets/{run}/to-")
    assert listed.get("KeyCount", 0) == 0


# --------------------------------------------------------------------------- sharing


def test_bob_acting_on_alices_shared_server_is_recorded_as_the_uploader(
    hub, user_s3, alice, bob, run
):
    # Granted by the hub (access:servers!user=alice), after the hub's "Authorize" page.
    bob.open_server("alice")
    source = make_file(hub, "alice", f"{run}/from-bob.txt", "bob was here\n")
    transfer = bob.transfer(
        "alice",
        {"sources": [source], "area": "shared", "prefix": f"{run}/by-bob", "conflict": "overwrite"},
    )
    assert transfer["state"] == "done", transfer
    assert transfer["destination"] == f"shared/{run}/by-bob/from-bob.txt"
    # Written with alice's key, the server's, and recorded as bob's doing.
    assert uploader(user_s3("alice"), hub, transfer["destination"]) == "bob"


def test_a_user_without_a_grant_cannot_open_anothers_server(hub, alice, bob):
    # The sharing is one way: alice was given nothing on bob's server.
    reply = alice.session.get(f"{hub.url}/user/bob/lab", timeout=60)
    assert reply.status_code == 403
    assert "permission" in reply.text


def test_a_cookie_session_post_without_the_xsrf_header_is_refused(hub, admin_s3, bob, run):
    # What a page on another site could send with bob's cookies: refused, nothing written.
    reply = bob.session.post(
        f"{hub.url}/user/bob/datalake/transfers",
        json={"sources": ["x"], "area": "mine", "prefix": run},
        allow_redirects=False,
        timeout=60,
    )
    assert reply.status_code == 403
    assert "xsrf" in reply.text.lower()
    listed = admin_s3.list_objects_v2(Bucket=hub.bucket, Prefix=f"users/bob/{run}/")
    assert listed.get("KeyCount", 0) == 0
