#!/usr/bin/env python3
"""Run a self-contained, root-free demo of jupyterlab-datalake.

Starts an in-process S3 server (moto), seeds the `datalake` bucket, prepares a
demo home directory, then runs JupyterLab against both until Ctrl-C.

    .venv/bin/python demo/demo.py            # interactive demo
    .venv/bin/python demo/demo.py --check    # start, smoke-test, stop (for tests)
    .venv/bin/python demo/demo.py --hub      # JupyterHub with alice and bob (hub_demo.py)
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path
from types import FrameType

# Allow importing the sibling modules even when this file is loaded by path
# from somewhere other than its own directory (e.g. by a test).
sys.path.insert(0, str(Path(__file__).resolve().parent))

import boto3
import home_volume
import sample_home
import sample_lake
from botocore.config import Config
from moto.server import ThreadedMotoServer

from jupyterlab_datalake.config import parse_size

REPO_ROOT = Path(__file__).resolve().parent.parent
STATE_DIR = REPO_ROOT / ".demo"

HOST = "127.0.0.1"
BUCKET = "datalake"
REGION = "us-east-1"
ACCESS_KEY = "demo"
SECRET_KEY = "demo-secret-key"
USERNAME = sample_lake.USERNAME

# Inherited variables with these prefixes could silently point the extension at
# real AWS credentials, another bucket or a real hub, so the demo drops them.
ISOLATED_ENV_PREFIXES = ("AWS_", "DATALAKE_", "JUPYTERHUB_")

LAB_STOP_TIMEOUT = 15.0
POLL_INTERVAL = 0.25

log = logging.getLogger("demo")


class StopRequested(Exception):
    """The user asked to stop (signal) before the demo was fully up."""


class DemoError(Exception):
    """Something the demo started did not come up or died."""


# Signal handlers only set a flag; the main thread polls it at safe points so
# that an interrupt never lands half-way through starting a process and leaks it.
_stop = threading.Event()


def _request_stop(signum: int, _frame: FrameType | None) -> None:
    _stop.set()


def _raise_if_stopping() -> None:
    if _stop.is_set():
        raise StopRequested


# --------------------------------------------------------------------------- arguments


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--port",
        type=int,
        default=8888,
        help="JupyterLab port; a free one is used if busy, 0 for any (default: 8888)",
    )
    parser.add_argument(
        "--s3-port", type=int, default=0, help="S3 (moto) port (default: any free port)"
    )
    parser.add_argument(
        "--home",
        type=Path,
        default=STATE_DIR / "home",
        help="demo home directory; existing files are kept (default: .demo/home in the repository)",
    )
    parser.add_argument(
        "--quota", default="5Gi", help="home quota passed as DATALAKE_HOME_QUOTA (default: 5Gi)"
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="start everything, smoke-test the endpoints, stop, exit 0 on success",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=60.0,
        help="seconds to wait for JupyterLab to answer (default: 60)",
    )
    parser.add_argument(
        "--verbose", action="store_true", help="show JupyterLab and S3 request logs on the terminal"
    )
    parser.add_argument(
        "--hub",
        action="store_true",
        help="instead: JupyterHub with two users, each with their own S3 key and home, on the "
        "tests' Ceph RGW (see demo/hub_demo.py); --check with it stops once the hub answers",
    )
    args = parser.parse_args(argv)
    try:
        parse_size(args.quota)
    except ValueError as error:
        parser.error(f"--quota: {error}")
    return args


# --------------------------------------------------------------------------- ports


def port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        # Both tornado and werkzeug bind with SO_REUSEADDR, so a port in
        # TIME_WAIT is usable for them and must not count as busy here.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((HOST, port))
        except OSError:
            return False
    return True


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


# --------------------------------------------------------------------------- S3


def start_s3(port: int, verbose: bool) -> tuple[ThreadedMotoServer, str]:
    if port and not port_is_free(port):
        raise DemoError(f"S3 port {port} is already in use")
    if not verbose:
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
    # Port 0 lets the OS pick, which avoids a probe-then-bind race.
    server = ThreadedMotoServer(ip_address=HOST, port=port, verbose=False)
    # start() waits forever if the bind fails inside moto's thread, so bound it.
    starter = threading.Thread(target=server.start, daemon=True)
    starter.start()
    starter.join(timeout=15)
    if starter.is_alive():
        raise DemoError(f"the S3 server did not start on {HOST}:{port}")
    host, bound_port = server.get_host_and_port()
    return server, f"http://{host}:{bound_port}"


def stop_s3(server: ThreadedMotoServer) -> None:
    try:
        server.stop()
    except Exception as error:  # shutting down must not mask the real exit reason
        log.warning("stopping the S3 server failed: %s", error)


def seed_datalake(endpoint: str) -> Future[int]:
    """Create the bucket, then make and put the sample objects in the background: a few
    thousand take seconds, which JupyterLab, starting meanwhile in a process of its own, needs
    anyway.
    The future gives how many were put, or raises the first failure."""
    s3 = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        config=Config(s3={"addressing_style": "path"}),
    )
    s3.create_bucket(Bucket=BUCKET)

    def seed() -> int:
        objects = sample_lake.sample_objects()
        sample_lake.put_all(s3, BUCKET, objects)
        return len(objects)

    seeder = ThreadPoolExecutor(1, thread_name_prefix="seed")
    seeded = seeder.submit(seed)
    seeder.shutdown(wait=False)  # the thread ends with the puts
    return seeded


def wait_for_seeding(seeding: Future[int]) -> int:
    while True:
        _raise_if_stopping()
        try:
            return seeding.result(timeout=POLL_INTERVAL)
        except FutureTimeout:
            continue
        except Exception as error:
            raise DemoError(f"seeding the demo bucket failed: {error}") from error


# --------------------------------------------------------------------------- JupyterLab


def jupyter_lab_command() -> list[str]:
    # Not resolved: sys.executable inside a venv is a symlink whose directory
    # is the venv's bin/, which is where jupyter-lab lives.
    script = Path(sys.executable).parent / "jupyter-lab"
    return [str(script)] if script.exists() else [sys.executable, "-m", "jupyterlab"]


def write_lab_settings(settings_dir: Path) -> None:
    """Pre-answer JupyterLab's "fetch news?" prompt, keeping any settings
    the user already changed in a previous demo run."""
    path = settings_dir / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings"
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"fetchNews": "false"}, indent=2) + "\n")


def lab_environment(endpoint: str, home: Path, quota: str, token: str) -> dict[str, str]:
    env = {
        key: value for key, value in os.environ.items() if not key.startswith(ISOLATED_ENV_PREFIXES)
    }
    env.update(
        AWS_ENDPOINT_URL_S3=endpoint,
        AWS_ACCESS_KEY_ID=ACCESS_KEY,
        AWS_SECRET_ACCESS_KEY=SECRET_KEY,
        AWS_REGION=REGION,
        # Keep ~/.aws of the person running the demo out of the picture.
        AWS_CONFIG_FILE=os.devnull,
        AWS_SHARED_CREDENTIALS_FILE=os.devnull,
        DATALAKE_BUCKET=BUCKET,
        DATALAKE_HOME_QUOTA=quota,
        DATALAKE_HOME=str(home),
        JUPYTERHUB_USER=USERNAME,
        # The environment keeps the token out of `ps` output.
        JUPYTER_TOKEN=token,
        # As on the platform, the server and kernels see the demo home as ~, so
        # that deleting in JupyterLab (send2trash) fills the demo home's trash.
        HOME=str(home),
        XDG_DATA_HOME=str(home / ".local" / "share"),
    )
    return env


def start_lab(
    port: int, home: Path, env: dict[str, str], log_path: Path | None
) -> subprocess.Popen[bytes]:
    settings_dir = STATE_DIR / "lab" / "user-settings"
    workspaces_dir = STATE_DIR / "lab" / "workspaces"
    write_lab_settings(settings_dir)
    workspaces_dir.mkdir(parents=True, exist_ok=True)
    command = [
        *jupyter_lab_command(),
        "--no-browser",
        f"--ServerApp.ip={HOST}",
        f"--ServerApp.port={port}",
        # Jupyter would otherwise silently move to another port and the URL we print would be wrong.
        "--ServerApp.port_retries=0",
        f"--ServerApp.root_dir={home}",
        f"--LabApp.user_settings_dir={settings_dir}",
        f"--LabApp.workspaces_dir={workspaces_dir}",
    ]
    if os.geteuid() == 0:
        command.append("--allow-root")
    output = None if log_path is None else log_path.open("wb")
    try:
        # A session of its own: a terminal Ctrl-C reaches only this script,
        # which then stops JupyterLab in order, without its "shut down? (y/n)" prompt.
        return subprocess.Popen(
            command,
            env=env,
            cwd=home,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT if output else None,
            start_new_session=True,
        )
    finally:
        if output:
            output.close()  # the child has its own copy


def stop_lab(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    # SIGTERM makes jupyter_server shut its kernels and terminals down cleanly.
    process.terminate()
    try:
        process.wait(timeout=LAB_STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        log.warning("JupyterLab did not stop within %.0f s, killing it", LAB_STOP_TIMEOUT)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def http_get(url: str, token: str, timeout: float = 10.0) -> tuple[int, bytes]:
    return http_call(url, token, timeout=timeout)


def http_call(
    url: str, token: str, method: str = "GET", body: object = None, timeout: float = 10.0
) -> tuple[int, bytes]:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(
        url, data=data, method=method, headers={"Authorization": f"token {token}"}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def wait_for_lab(
    process: subprocess.Popen[bytes],
    base_url: str,
    token: str,
    timeout: float,
    log_path: Path | None,
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        _raise_if_stopping()
        if process.poll() is not None:
            raise DemoError(
                f"JupyterLab {_describe_exit(process.returncode)} during startup{_log_hint(log_path)}"
            )
        try:
            status, _ = http_get(f"{base_url}/api/status", token, timeout=2.0)
            if status == 200:
                return
        except OSError:
            pass  # not listening yet
        _stop.wait(POLL_INTERVAL)
    raise DemoError(f"JupyterLab did not answer within {timeout:g} s{_log_hint(log_path)}")


def _describe_exit(returncode: int) -> str:
    if returncode < 0:
        return f"was killed by {signal.Signals(-returncode).name}"
    return f"exited with code {returncode}"


def _log_hint(log_path: Path | None, lines: int = 30) -> str:
    if log_path is None or not log_path.exists():
        return ""
    tail = log_path.read_text(errors="replace").splitlines()[-lines:]
    return f"; last lines of {log_path}:\n" + "\n".join(f"    {line}" for line in tail)


# --------------------------------------------------------------------------- modes


def run_check(base_url: str, token: str, home: Path, on_volume: bool) -> bool:
    """What a first-time user does: the panel's status, the shared area, and a file sent to
    the lake and back; each must work against the demo's S3 server."""
    status, _ = http_get(f"{base_url}/lab", token)
    print(f"GET /lab -> {status}", flush=True)
    if status != 200:
        return False
    status, body = http_get(f"{base_url}/datalake/status", token)
    print(f"GET /datalake/status -> {status}", flush=True)
    if status != 200 or json.loads(body)["connection"]["state"] != "ok":
        print(body.decode(errors="replace"), flush=True)
        return False
    status, body = http_get(f"{base_url}/datalake/objects?area=shared&prefix=", token)
    listing = json.loads(body) if status == 200 else {}
    print(
        f"GET /datalake/objects?area=shared -> {status}: "
        f"{[f['name'] for f in listing.get('folders', [])]}",
        flush=True,
    )
    if not listing.get("folders"):
        return False
    return (
        check_big_folder(base_url, token)
        and check_tmp(base_url, token, on_volume)
        and check_round_trip(base_url, token, home)
    )


def check_big_folder(base_url: str, token: str) -> bool:
    """The seeded folder of a few thousand objects lists whole, a page at a time."""
    prefix = sample_lake.READINGS_PREFIX.removeprefix("shared/")
    count, pages, cursor = 0, 0, ""
    while True:
        query = urllib.parse.urlencode(
            {"area": "shared", "prefix": prefix, "limit": 1000, "cursor": cursor}
        )
        status, body = http_get(f"{base_url}/datalake/objects?{query}", token)
        if status != 200:
            print(f"GET /datalake/objects?{query} -> {status}: {body.decode(errors='replace')}")
            return False
        page = json.loads(body)
        count, pages = count + len(page["objects"]), pages + 1
        cursor = page.get("next_cursor") or ""
        if not cursor:
            break
    print(f"shared/{prefix}: {count} objects in {pages} pages", flush=True)
    return count == sample_lake.STATIONS * sample_lake.DAYS and pages > 1


def check_tmp(base_url: str, token: str, on_volume: bool) -> bool:
    """What "Lost at restart" says of /tmp: lost once home is a volume of its own; either way
    with the reason, which the panel shows."""
    status, body = http_get(f"{base_url}/datalake/at-risk", token)
    places = {place["path"]: place for place in json.loads(body)["locations"]}
    tmp = places.get("/tmp")
    if status != 200 or tmp is None:
        print(f"GET /datalake/at-risk -> {status}: no /tmp in {sorted(places)}", flush=True)
        return False
    print(f"/tmp: {'kept' if tmp['persistent'] else 'lost'}, {tmp['reason']}", flush=True)
    return not (on_volume and tmp["persistent"])


def check_round_trip(base_url: str, token: str, home: Path) -> bool:
    """Send the sample CSV to the user's area, then download it into home under a new name:
    the copy must equal the original, and is removed so the demo home stays as it was."""
    source = "data/sales_data.csv"
    sent = run_transfer(
        base_url,
        token,
        {"sources": [source], "area": "mine", "prefix": "demo-check", "conflict": "overwrite"},
    )
    if sent is None:
        return False
    received = run_transfer(
        base_url,
        token,
        {
            "direction": "download",
            "area": "mine",
            "sources": [sent["destination"]],
            "destination": "",
            "conflict": "rename",
        },
    )
    if received is None:
        return False
    copy = home / received["destination"]
    same = copy.read_bytes() == (home / source).read_bytes()
    print(f"{copy.name} equals {source}: {same}", flush=True)
    copy.unlink()
    return same


def run_transfer(base_url: str, token: str, request: dict) -> dict | None:
    status, body = http_call(f"{base_url}/datalake/transfers", token, "POST", request)
    if status != 201:
        print(f"POST /datalake/transfers -> {status}: {body.decode(errors='replace')}")
        return None
    transfer = json.loads(body)
    deadline = time.monotonic() + 60
    while transfer["state"] in ("queued", "running") and time.monotonic() < deadline:
        time.sleep(0.2)
        _, body = http_get(f"{base_url}/datalake/transfers/{transfer['id']}", token)
        transfer = json.loads(body)
    print(
        f"{transfer['direction']} {transfer['sources']} -> {transfer['destination']}: "
        f"{transfer['state']} {transfer['message'] or ''}",
        flush=True,
    )
    return transfer if transfer["state"] == "done" else None


def supervise(process: subprocess.Popen[bytes], log_path: Path | None) -> int:
    """Block until a stop signal (exit 0) or until JupyterLab dies (non-zero)."""
    while not _stop.wait(POLL_INTERVAL):
        if process.poll() is not None:
            print(
                f"error: JupyterLab {_describe_exit(process.returncode)}{_log_hint(log_path)}",
                file=sys.stderr,
                flush=True,
            )
            return process.returncode if process.returncode > 0 else 1
    print("\nStopping...", flush=True)
    return 0


def print_banner(
    lab_url: str, endpoint: str, volume: home_volume.HomeVolume, quota: str, log_path: Path | None
) -> None:
    rule = "=" * 78
    lines = [
        rule,
        "  jupyterlab-datalake demo is running",
        "",
        f"  JupyterLab:   {lab_url}",
        f"  S3 endpoint:  {endpoint}   (bucket {BUCKET}, key {ACCESS_KEY} / {SECRET_KEY})",
        f"  Demo home:    {volume.home}   (user {USERNAME}, quota {quota})",
        f"                {'a volume of its own' if volume.image else 'a folder, no volume'}",
    ]
    if log_path is not None:
        lines.append(f"  Server log:   {log_path}")
    lines += ["", "  Press Ctrl-C to stop.", rule]
    print("\n".join(lines), flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stdout)
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _request_stop)

    STATE_DIR.mkdir(parents=True, exist_ok=True)
    if args.hub:
        import hub_demo  # only this mode needs JupyterHub and the RGW

        return hub_demo.run(_stop, STATE_DIR, args.check)
    home = args.home.expanduser().resolve()
    log_path = None if args.verbose else STATE_DIR / "jupyterlab.log"
    s3_server: ThreadedMotoServer | None = None
    lab: subprocess.Popen[bytes] | None = None
    volume: home_volume.HomeVolume | None = None
    try:
        s3_server, endpoint = start_s3(args.s3_port, args.verbose)
        log.info("S3 server listening on %s", endpoint)
        seeding = seed_datalake(endpoint)
        _raise_if_stopping()

        volume = home_volume.mount(home, args.quota)
        log.info("Demo home %s is %s", home, volume.description)
        created = sample_home.create_home(home)
        log.info("Demo home %s: %d file(s) added", home, len(created))

        port = args.port if args.port and port_is_free(args.port) else free_port()
        if args.port and port != args.port:
            log.info("Port %d is busy, using %d", args.port, port)
        token = secrets.token_hex(24)
        base_url = f"http://{HOST}:{port}"
        log.info("Starting JupyterLab on %s ...", base_url)
        lab = start_lab(port, home, lab_environment(endpoint, home, args.quota, token), log_path)
        wait_for_lab(lab, base_url, token, args.timeout, log_path)
        log.info("Seeded s3://%s with %d objects", BUCKET, wait_for_seeding(seeding))
        # /dev/shm is RAM, lost at restart, and writable without root: something to rescue.
        # Made (or touched) once the server is up: a server running as root takes only what
        # appeared in a watched place since it started as the user's.
        scratch = Path("/dev/shm/datalake-demo")
        try:
            sample_home.create_scratch(scratch)
            os.utime(scratch)
            log.info("Scratch files in %s (shown under 'Lost at restart')", scratch)
        except OSError as err:
            log.info("No scratch files in %s: %s", scratch, err)

        if args.check:
            on_volume = volume.image is not None
            return 0 if run_check(base_url, token, home, on_volume) else 1
        print_banner(f"{base_url}/lab?token={token}", endpoint, volume, args.quota, log_path)
        return supervise(lab, log_path)
    except StopRequested:
        print("\nStopping...", flush=True)
        return 0
    except DemoError as error:
        print(f"error: {error}", file=sys.stderr, flush=True)
        return 1
    finally:
        # JupyterLab first: its extension may still be talking to S3 while it shuts down.
        if lab is not None:
            stop_lab(lab)
        if s3_server is not None:
            stop_s3(s3_server)
        if volume is not None:
            problem = home_volume.unmount(volume)
            if problem:
                log.warning("%s", problem)


if __name__ == "__main__":
    sys.exit(main())
