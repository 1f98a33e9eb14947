"""`demo.py --hub`: the extension on a real JupyterHub with two users, alice and bob.

The plain demo shows one user with one key; this one shows what a platform has: each user
logs in through the hub, gets a server and a home of their own, and works with an S3 identity
of their own that a least-privilege bucket policy confines to their own area and shared/, with
datasets/ and raw/ to read. bob may also open alice's server (JupyterHub's sharing), and what
he sends from there is recorded as his.

Moto checks no signatures and no policies, so this mode runs on the tests' Ceph RGW
(scripts/rgw.sh, root needed the first time to install it); the hub itself is
scripts/hub_env.py, the same environment the hub tests use.
"""

from __future__ import annotations

import sys
import tempfile
import threading
import urllib.request
from dataclasses import replace
from pathlib import Path

import sample_home
import sample_lake

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT / "scripts"))

import hub_env  # noqa: E402 (found through the path above)


def seed(gateway: dict[str, str], users: dict) -> list[tuple[object, list[str]]]:
    """The demo's sample lake, laid out as a platform's: shared/ as in the plain demo, a
    dataset in datasets/, a Hive-style partition in raw/, and alice's own notes in her area,
    written with her key. Returns (client, keys) for each writer, to remove them afterwards."""
    endpoint = gateway["AWS_ENDPOINT_URL_S3"]
    admin = hub_env.s3_client(
        endpoint, gateway["AWS_ACCESS_KEY_ID"], gateway["AWS_SECRET_ACCESS_KEY"]
    )
    alice = users["alice"]
    alice_s3 = hub_env.s3_client(endpoint, alice.access_key, alice.secret_key)
    bucket = gateway["DATALAKE_BUCKET"]
    as_admin: list[sample_lake.SampleObject] = []
    as_alice: list[sample_lake.SampleObject] = []
    for item in sample_lake.sample_objects():
        if item.key.startswith("shared/"):
            as_admin.append(item)
        if item.key == "shared/reference/countries.csv":
            as_admin.append(replace(item, key="datasets/reference/countries.csv", metadata={}))
        if item.key == "shared/projects/churn/2026-10/features.csv":
            key = "raw/churn_features/month=2026-10/features.csv"
            as_admin.append(replace(item, key=key, metadata={}))
        if item.key.startswith(f"users/{sample_lake.USERNAME}/"):
            key = "users/alice/" + item.key.split("/", 2)[2]
            as_alice.append(replace(item, key=key, metadata={"uploader": "alice"}))
    placed = []
    for client, objects in ((admin, as_admin), (alice_s3, as_alice)):
        sample_lake.put_all(client, bucket, objects)
        placed.append((client, [item.key for item in objects]))
    return placed


def unseed(placed: list[tuple[object, list[str]]], bucket: str) -> None:
    for client, keys in placed:
        for start in range(0, len(keys), 1000):  # DeleteObjects takes 1000 keys at most
            batch = keys[start : start + 1000]
            try:
                reply = client.delete_objects(
                    Bucket=bucket, Delete={"Objects": [{"Key": key} for key in batch]}
                )
                failed = [(error["Key"], error["Message"]) for error in reply.get("Errors", [])]
            except Exception:
                # RGW's policy may grant a user DeleteObject on their keys but not the
                # bucket-level batch request: one request per key then.
                failed = _delete_each(client, bucket, batch)
            for key, message in failed:
                print(f"could not remove {key}: {message}", file=sys.stderr)


def _delete_each(client, bucket: str, keys: list[str]) -> list[tuple[str, str]]:
    failed = []
    for key in keys:
        try:
            client.delete_object(Bucket=bucket, Key=key)
        except Exception as error:  # the gateway may be gone already; say so and go on
            failed.append((key, str(error)))
    return failed


def banner(hub) -> str:
    rule = "=" * 78
    return "\n".join(
        [
            rule,
            "  jupyterlab-datalake on JupyterHub is running",
            "",
            f"  Log in at:    {hub.url}/hub/login",
            f"  Users:        alice and bob, password {hub.password}",
            f"  Sharing:      bob may open alice's server too: {hub.url}/user/alice/lab",
            f"  Homes:        {hub.homes}/<user>",
            f"  S3 (RGW):     {hub.endpoint}, bucket {hub.bucket}, one key per user",
            f"  Hub log:      {hub.log_path}",
            "",
            "  Press Ctrl-C to stop.",
            rule,
        ]
    )


def run(stop: threading.Event, state_dir: Path, check: bool) -> int:
    """Gateway, users, policy, seed and hub; until `stop` is set (or, with `check`, until the
    login page has answered)."""
    started_gateway = hub_env.rgw_sh("status").returncode != 0
    if started_gateway:
        print("Starting the S3 test server (Ceph RGW) ...", flush=True)
        result = hub_env.rgw_sh("start")
        if result.returncode != 0:
            print(f"error: the S3 server did not start:\n{result.stderr}", file=sys.stderr)
            return 1
    gateway = hub_env.read_env_file(hub_env.rgw_dir() / "env")
    users = {uid: hub_env.ensure_user(hub_env.rgw_dir(), uid) for uid in hub_env.USERS}
    homes = state_dir / "hub-homes"
    for uid in hub_env.USERS:
        sample_home.create_home(homes / uid)
    try:
        with tempfile.TemporaryDirectory(prefix="datalake-hub-") as state:
            print("Starting JupyterHub ...", flush=True)
            with hub_env.running_hub(Path(state), gateway, homes=homes) as hub:
                # Under the policy, which is what lets alice write her own area.
                placed = seed(gateway, users)
                try:
                    return serve(hub, stop, check)
                finally:
                    unseed(placed, gateway["DATALAKE_BUCKET"])
    except RuntimeError as error:
        print(f"error: {error}", file=sys.stderr, flush=True)
        return 1
    finally:
        if started_gateway:
            hub_env.rgw_sh("stop")


def serve(hub, stop: threading.Event, check: bool) -> int:
    if check:
        with urllib.request.urlopen(f"{hub.url}/hub/login", timeout=10) as page:
            print(f"GET /hub/login -> {page.status}", flush=True)
            return 0 if page.status == 200 else 1
    print(banner(hub), flush=True)
    while not stop.wait(0.25):
        if hub.process.poll() is not None:
            print(f"error: JupyterHub exited:\n{hub.log_tail()}", file=sys.stderr)
            return 1
    print("\nStopping...", flush=True)
    return 0
