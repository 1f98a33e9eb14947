"""A multi-user JupyterHub on this machine, built of the real parts a platform runs.

The per-user rules of the extension only mean something when each user has an S3 identity of
their own and S3 itself enforces a least-privilege policy; a single key shared by every server
hides every mistake there. This module brings up that arrangement without Kubernetes, for the
hub tests (jupyterlab_datalake/tests/hub) and for `demo.py --hub`:

- one RGW user per hub user (alice and bob), each with their own keys;
- the bucket policy of scripts/hub/bucket-policy.json: each user lists and writes only their
  own prefix and shared/, and reads datasets/ and raw/;
- JupyterHub from PyPI with configurable-http-proxy from npm (node_modules/.bin), a
  shared-password authenticator and a local process spawner with a home per user, whose
  environment hands each server its user's keys, as KubeSpawner would from a per-user Secret.

The hub's configuration is scripts/hub/jupyterhub_config.py, which reads what it needs (ports,
keys, areas) from a settings file written here, so that the configuration stays a plain file.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import boto3
from botocore.config import Config

ROOT = Path(__file__).resolve().parent.parent
HUB_FILES = ROOT / "scripts" / "hub"
CONFIG_FILE = HUB_FILES / "jupyterhub_config.py"
POLICY_TEMPLATE = HUB_FILES / "bucket-policy.json"
CHP = ROOT / "node_modules" / ".bin" / "configurable-http-proxy"
USERS = ("alice", "bob")
HOST = "127.0.0.1"
REGION = "us-east-1"
# Whoever is granted access to whose server (JupyterHub's server sharing, through a role).
SHARES = {"bob": ["alice"]}
STOP_TIMEOUT = 30.0


def rgw_dir() -> Path:
    """The test gateway's directory, as conftest.py and scripts/rgw.sh find it."""
    return Path(os.environ.get("RGW_DIR", "/tmp/datalake-rgw"))


def rgw_sh(*args: str) -> subprocess.CompletedProcess:
    """scripts/rgw.sh on the gateway of rgw_dir() (start, status, stop)."""
    env = {**os.environ, "RGW_DIR": str(rgw_dir()), "PYTHON": sys.executable}
    return subprocess.run(
        ["bash", str(ROOT / "scripts" / "rgw.sh"), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def read_env_file(path: Path) -> dict[str, str]:
    """The `export NAME=value` lines scripts/rgw.sh writes ($RGW_DIR/env)."""
    import shlex

    values = {}
    for line in path.read_text().splitlines():
        if line.startswith("export "):
            key, _, value = line[len("export ") :].partition("=")
            values[key] = shlex.split(value)[0] if value else ""
    return values


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


# --------------------------------------------------------------------------- S3 identities


@dataclass(frozen=True)
class S3User:
    uid: str
    access_key: str
    secret_key: str


def radosgw_admin(gateway_dir: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["radosgw-admin", "-c", str(gateway_dir / "ceph.conf"), *args],
        capture_output=True,
        text=True,
        timeout=60,
    )


def ensure_user(gateway_dir: Path, uid: str) -> S3User:
    """The RGW user `uid` and its keys, created on first use. An existing user keeps the keys
    it has, so that a second run (or a demo running beside the tests) agrees with the first."""
    info = radosgw_admin(gateway_dir, "user", "info", f"--uid={uid}")
    if info.returncode != 0:
        info = radosgw_admin(
            gateway_dir,
            "user",
            "create",
            f"--uid={uid}",
            f"--display-name=hub user {uid}",
            f"--access-key=datalake-{uid}",
            f"--secret-key={secrets.token_hex(20)}",
        )
        if info.returncode != 0:
            raise RuntimeError(f"radosgw-admin could not create {uid}: {info.stderr.strip()}")
    keys = json.loads(info.stdout)["keys"]
    return S3User(uid, keys[0]["access_key"], keys[0]["secret_key"])


def s3_client(endpoint: str, access_key: str, secret_key: str):
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id=access_key,
        aws_secret_access_key=secret_key,
        config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 3}),
    )


def bucket_policy(bucket: str, uids: tuple[str, ...]) -> dict:
    """The template's statements, once for each user."""
    template = POLICY_TEMPLATE.read_text()
    statements = []
    for uid in uids:
        filled = json.loads(template.replace("{bucket}", bucket).replace("{user}", uid))
        statements.extend(filled["Statement"])
    return {"Version": "2012-10-17", "Statement": statements}


@contextlib.contextmanager
def policy_applied(admin, bucket: str, policy: dict, lock_path: Path) -> Iterator[None]:
    """The bucket policy in force while any holder is inside this block. Each holder (a test
    session, a demo) keeps a shared lock; the last one out removes the policy, so that a
    demo ending does not pull it from under a test run, nor the other way round."""
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with lock_path.open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_SH)
        admin.put_bucket_policy(Bucket=bucket, Policy=json.dumps(policy))
        try:
            yield
        finally:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                pass  # someone else still relies on it
            else:
                admin.delete_bucket_policy(Bucket=bucket)


def areas(bucket: str) -> list[dict]:
    """The four areas of the platform the guide describes, as DATALAKE_AREAS gives them."""
    return [
        {"id": "mine", "title": "My area", "prefix": "users/{username}/", "bucket": bucket,
         "allow": ["read", "write", "delete-any"]},
        {"id": "shared", "title": "Shared", "prefix": "shared/", "bucket": bucket,
         "allow": ["read", "write", "delete-own"]},
        {"id": "datasets", "title": "Datasets", "prefix": "datasets/", "bucket": bucket,
         "allow": ["read"]},
        {"id": "raw", "title": "Raw (Hive/Trino)", "prefix": "raw/", "bucket": bucket,
         "allow": ["read"]},
    ]  # fmt: skip


# --------------------------------------------------------------------------- the hub


@dataclass
class Hub:
    """A running hub: its URL, the shared password, each user's S3 identity and home."""

    url: str
    password: str
    users: dict[str, S3User]
    homes: Path
    state: Path
    process: subprocess.Popen
    log_path: Path
    endpoint: str
    bucket: str
    marker: str = field(default="")

    def home(self, user: str) -> Path:
        return self.homes / user

    def log_tail(self, lines: int = 40) -> str:
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])


def write_settings(
    state: Path,
    homes: Path,
    endpoint: str,
    bucket: str,
    users: dict[str, S3User],
    source_tree: bool,
    extra_areas: tuple[dict, ...] = (),
) -> tuple[Path, dict]:
    """The settings file jupyterhub_config.py reads; it holds keys, so only its owner reads it."""
    password = secrets.token_urlsafe(12)
    port = free_port()
    settings = {
        "url": f"http://{HOST}:{port}",
        "hub_port": free_port(),
        "proxy_api_port": free_port(),
        "state_dir": str(state),
        "homes_dir": str(homes),
        "password": password,
        "endpoint": endpoint,
        "region": REGION,
        "bucket": bucket,
        "areas": [*areas(bucket), *extra_areas],
        "users": {u.uid: {"access_key": u.access_key, "secret_key": u.secret_key}
                  for u in users.values()},
        "shares": SHARES,
        "proxy": str(CHP),
        "singleuser": str(Path(sys.executable).parent / "jupyterhub-singleuser"),
        # The tests run the server part from the source tree, as pytest imports it.
        "pythonpath": str(ROOT) if source_tree else None,
        "marker": secrets.token_hex(8),
    }  # fmt: skip
    path = state / "hub-settings.json"
    path.touch(mode=0o600)
    path.write_text(json.dumps(settings, indent=2))
    return path, settings


def hub_environment(settings_path: Path, marker: str) -> dict[str, str]:
    # Nothing of the caller's AWS, data lake or hub settings may reach the hub or its servers.
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("AWS_", "DATALAKE_", "JUPYTERHUB_", "CONFIGPROXY_"))
    }
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["DATALAKE_HUB_SETTINGS"] = str(settings_path)
    # Inherited by the proxy and handed to each server: how stop_hub finds leftovers.
    env["DATALAKE_HUB_MARKER"] = marker
    return env


def start_hub(
    state: Path,
    endpoint: str,
    bucket: str,
    users: dict[str, S3User],
    source_tree: bool = False,
    homes: Path | None = None,
    extra_areas: tuple[dict, ...] = (),
) -> Hub:
    """The hub process, its database and settings in `state`, the users' homes in `homes`
    (default: state/homes); `source_tree` runs the servers on this checkout's package, and
    `extra_areas` are configured after the four of areas()."""
    if not CHP.exists():
        raise RuntimeError(f"{CHP} is missing: run `jlpm install` in {ROOT}")
    state.mkdir(parents=True, exist_ok=True)
    homes = homes or state / "homes"
    settings_path, settings = write_settings(
        state, homes, endpoint, bucket, users, source_tree, extra_areas
    )
    log_path = state / "jupyterhub.log"
    with log_path.open("ab") as output:
        process = subprocess.Popen(
            [str(Path(sys.executable).parent / "jupyterhub"), "-f", str(CONFIG_FILE)],
            env=hub_environment(settings_path, settings["marker"]),
            cwd=state,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return Hub(
        url=settings["url"],
        password=settings["password"],
        users=users,
        homes=Path(settings["homes_dir"]),
        state=state,
        process=process,
        log_path=log_path,
        endpoint=endpoint,
        bucket=bucket,
        marker=settings["marker"],
    )


def wait_for_hub(hub: Hub, timeout: float = 90.0) -> None:
    """Until the hub answers through its proxy, which shows that both are up."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if hub.process.poll() is not None:
            raise RuntimeError(f"jupyterhub exited ({hub.process.returncode}):\n{hub.log_tail()}")
        try:
            with urllib.request.urlopen(f"{hub.url}/hub/api/", timeout=3) as reply:
                if reply.status == 200:
                    return
        except (OSError, urllib.error.HTTPError):
            pass
        time.sleep(0.5)
    raise RuntimeError(f"jupyterhub did not answer within {timeout:g} s:\n{hub.log_tail()}")


def stop_hub(hub: Hub) -> None:
    """SIGTERM, on which the hub stops the users' servers and its proxy; whatever of ours is
    left after that (a hub that had to be killed) is found by the marker in its environment."""
    if hub.process.poll() is None:
        hub.process.terminate()
        try:
            hub.process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            os.killpg(hub.process.pid, signal.SIGKILL)
            hub.process.wait()
    for pid in _marked_processes(hub.marker):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def _marked_processes(marker: str) -> list[int]:
    needle = f"DATALAKE_HUB_MARKER={marker}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if needle in (entry / "environ").read_bytes().split(b"\0"):
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


@contextlib.contextmanager
def running_hub(
    state: Path,
    gateway: dict[str, str],
    source_tree: bool = False,
    homes: Path | None = None,
    extra_areas: tuple[dict, ...] = (),
) -> Iterator[Hub]:
    """Users, policy and hub for the block; `gateway` is $RGW_DIR/env's values."""
    endpoint, bucket = gateway["AWS_ENDPOINT_URL_S3"], gateway["DATALAKE_BUCKET"]
    users = {uid: ensure_user(rgw_dir(), uid) for uid in USERS}
    admin = s3_client(endpoint, gateway["AWS_ACCESS_KEY_ID"], gateway["AWS_SECRET_ACCESS_KEY"])
    policy = bucket_policy(bucket, USERS)
    with policy_applied(admin, bucket, policy, rgw_dir() / "hub-policy.lock"):
        hub = start_hub(state, endpoint, bucket, users, source_tree, homes, extra_areas)
        try:
            wait_for_hub(hub)
            yield hub
        finally:
            stop_hub(hub)


# --------------------------------------------------------------------------- command line


def serve(argv: list[str] | None = None) -> int:
    """`python scripts/hub_env.py serve`: running_hub() on the tests' RGW, for callers that are
    not Python (the Chromium test ui-tests/tests/hub.spec.ts), until SIGTERM or SIGINT, or
    with --until-stdin-closes until its starter goes away, so that a test runner that dies
    leaves no hub behind. Once the hub answers, one JSON line on stdout says where it is and
    the run's fresh password; no S3 key is printed."""
    import argparse
    import tempfile
    import threading

    parser = argparse.ArgumentParser(prog="hub_env.py serve", description=serve.__doc__)
    parser.add_argument("--state", type=Path, help="state and homes here (default: a temp dir)")
    parser.add_argument(
        "--area",
        action="append",
        default=[],
        metavar="JSON",
        help="one more area after the four, as a DATALAKE_AREAS entry (repeatable)",
    )
    parser.add_argument(
        "--source-tree", action="store_true", help="servers run this checkout's Python package"
    )
    parser.add_argument("--until-stdin-closes", action="store_true")
    args = parser.parse_args(argv)
    extra = tuple(json.loads(text) for text in args.area)

    stop = threading.Event()
    # Only a flag: the hub is stopped by running_hub's own exit, never half-started.
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    if args.until_stdin_closes:

        def watch_stdin() -> None:
            while sys.stdin.buffer.read(4096):
                pass
            stop.set()

        threading.Thread(target=watch_stdin, daemon=True).start()

    if rgw_sh("status").returncode != 0:
        print(f"error: no S3 test server at {rgw_dir()}: run scripts/rgw.sh start", file=sys.stderr)
        return 1
    gateway = read_env_file(rgw_dir() / "env")
    with contextlib.ExitStack() as stack:
        state = args.state or Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="hub-")))
        try:
            hub = stack.enter_context(
                running_hub(state, gateway, args.source_tree, extra_areas=extra)
            )
        except RuntimeError as error:
            print(f"error: {error}", file=sys.stderr, flush=True)
            return 1
        where = {
            "url": hub.url,
            "password": hub.password,
            "users": sorted(hub.users),
            "homes": str(hub.homes),
            "bucket": hub.bucket,
            "endpoint": hub.endpoint,
            "log": str(hub.log_path),
        }
        print(json.dumps(where), flush=True)
        while not stop.wait(0.5):
            if hub.process.poll() is not None:
                print(f"error: jupyterhub exited:\n{hub.log_tail()}", file=sys.stderr, flush=True)
                return 1
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] != ["serve"]:
        sys.exit("usage: hub_env.py serve [--help]")
    sys.exit(serve(sys.argv[2:]))
