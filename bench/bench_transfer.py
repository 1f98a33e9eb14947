"""Upload of a large file from home to the data lake: is the server extension as fast as
boto3's `upload_file` and `aws s3 cp`, does the server's memory stay flat, and is its event loop
free meanwhile?

Writes a file of incompressible data (1 GiB by default) into a temporary home, starts a Jupyter
server on that home with the data lake pointed at a local Ceph RGW (`scripts/rgw.sh`), and prints,
each against a reference measured in the same run:

- the throughput of `POST /datalake/transfers` (from the POST to `state: done`, polled every
  50 ms) as a ratio to boto3's `upload_file` with its defaults (the guide's script; goal:
  >= 1.0) and to Debian's `aws s3 cp` of the same file to the same S3 server, medians of
  `--repeat` alternating runs, all reading the file from a warm page cache;
- the growth of the server's resident memory: the peak VmRSS of the server (and any children),
  sampled every 20 ms from just before each POST to `done`, minus its VmRSS before its first
  transfer (goal: <= 64 MiB);
- the p50 and p99 latency of `GET /api/status` in a loop during one more transfer (not one of
  the timed ones, which the loop would slow), as ratios to the same request on the idle server
  (goal: p99 <= 5x).

It also checks that the object is the file: its size, the `sha256` metadata if the extension
stores one, and once the sha256 of the object read back. It exits non-zero if they differ.

S3: with AWS_ENDPOINT_URL_S3 set, the bench uses that endpoint and the AWS_* keys from the
environment. Otherwise it runs `scripts/rgw.sh start`, which reuses the gateway on RGW_PORT if one
answers (RGW_DIR, RGW_PORT and RGW_MON_PORT choose the instance) and starts one if not; a gateway
the bench started it also stops. awscli is installed with apt-get if /usr/bin/aws is missing.

    python bench/bench_transfer.py [--size 1GiB] [--repeat 3] [--dir DIR] [--keep] [--json]
                                   [--py-spy FILE]
    RGW_DIR=/tmp/my-rgw RGW_PORT=7490 RGW_MON_PORT=3390 python bench/bench_transfer.py --size 256MiB
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import json
import os
import secrets
import shlex
import shutil
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import boto3
from bench_usage_server import latencies
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError
from cpu import Meter, hash_costs
from cpu import live_children as children

from jupyterlab_datalake.config import parse_size

ROOT = Path(__file__).resolve().parent.parent
# Debian's awscli, not whatever `aws` is first on PATH (a pyenv shim, a pip install, ...).
AWS = "/usr/bin/aws"
MiB = 1024**2
GiB = 1024**3
BLOCK = 8 * MiB
FILE_NAME = "bench-transfer.bin"
REF_KEY = "bench/ref.bin"
S3_VARS = (
    "AWS_ENDPOINT_URL_S3",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_REGION",
    "DATALAKE_BUCKET",
)


class BenchError(Exception):
    pass


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


def human(size: int) -> str:
    return f"{size / GiB:.2f} GiB" if size >= GiB else f"{size / MiB:.0f} MiB"


def make_file(path: Path, size: int) -> str:
    """Write `size` bytes that no part size makes repeat, fsynced; return their sha256.

    One random 8 MiB block, with the block's number written over its first 8 bytes, so that
    every multipart part differs; the pages stay in the page cache, which both uploads read.
    """
    block = bytearray(os.urandom(BLOCK))
    digest = hashlib.sha256()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        for number, offset in enumerate(range(0, size, BLOCK)):
            struct.pack_into("<Q", block, 0, number)
            chunk = memoryview(block)[: min(BLOCK, size - offset)]
            digest.update(chunk)
            while chunk:
                chunk = chunk[os.write(fd, chunk) :]
        os.fsync(fd)  # no writeback of this file while the uploads are timed
    finally:
        os.close(fd)
    return digest.hexdigest()


def read_exports(text: str) -> dict[str, str]:
    """The `export NAME=value` lines that `scripts/rgw.sh env` prints."""
    env = {}
    for line in text.splitlines():
        words = shlex.split(line)
        if len(words) == 2 and words[0] == "export" and "=" in words[1]:
            name, value = words[1].split("=", 1)
            env[name] = value
    return env


class S3:
    """The S3 server: the one in the environment, or a local RGW that scripts/rgw.sh provides."""

    def __init__(self):
        self.started_here = False
        self.rgw_dir: Path | None = Path(os.environ["RGW_DIR"]) if "RGW_DIR" in os.environ else None
        if os.environ.get("AWS_ENDPOINT_URL_S3"):
            self.env = {name: os.environ[name] for name in S3_VARS if name in os.environ}
            self.env.setdefault("AWS_REGION", "us-east-1")
            self.env.setdefault("DATALAKE_BUCKET", "datalake")
        else:
            self.rgw_dir = self.rgw_dir or Path("/tmp/datalake-rgw")
            rgw_env = {**os.environ, "PYTHON": sys.executable}
            script = str(ROOT / "scripts" / "rgw.sh")
            up = subprocess.run(["bash", script, "status"], env=rgw_env, capture_output=True)
            if up.returncode != 0:
                log(f"starting Ceph RGW in {self.rgw_dir} (scripts/rgw.sh start)")
            # A gateway that is only stopped (tests do that) is restarted, not rebuilt; then the
            # cluster is someone else's and stays up after the bench.
            self.started_here = up.returncode != 0 and not self._mon_running()
            # Idempotent: with a gateway up it only makes sure of the bucket and the env file.
            subprocess.run(["bash", script, "start"], env=rgw_env, check=True)
            exports = subprocess.run(
                ["bash", script, "env"], env=rgw_env, capture_output=True, text=True, check=True
            ).stdout
            self.env = read_exports(exports)
        self.endpoint = self.env["AWS_ENDPOINT_URL_S3"]
        self._refuse_full()
        self.bucket = self.env["DATALAKE_BUCKET"]
        self.client = boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            region_name=self.env["AWS_REGION"],
            aws_access_key_id=self.env["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=self.env["AWS_SECRET_ACCESS_KEY"],
            config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 5}),
        )

    def _refuse_full(self) -> None:
        """A full memstore OSD makes Ceph hold every write without an answer, which looks
        like a hung bench; a long-lived test gateway fills up after many runs."""
        conf = self.rgw_dir / "ceph.conf" if self.rgw_dir else None
        if not conf or not conf.exists():
            return
        health = subprocess.run(
            ["ceph", "-c", str(conf), "health"], capture_output=True, text=True, timeout=30
        ).stdout
        if "full osd" in health:
            raise BenchError(
                f"the test RGW in {self.rgw_dir} is full ({health.strip()}); writes would "
                "hang. Start a fresh one: scripts/rgw.sh stop, remove the folder, start."
            )

    def _mon_running(self) -> bool:
        try:
            pid = int((self.rgw_dir / "run" / "mon.a.pid").read_text())
            return os.path.exists(f"/proc/{pid}")
        except (OSError, ValueError):
            return False

    def head(self, key: str) -> dict:
        return self.client.head_object(Bucket=self.bucket, Key=key)

    def sha256(self, key: str) -> str:
        digest = hashlib.sha256()
        body = self.client.get_object(Bucket=self.bucket, Key=key)["Body"]
        for chunk in iter(lambda: body.read(BLOCK), b""):
            digest.update(chunk)
        return digest.hexdigest()

    def abort_uploads(self, keys: set[str]) -> None:
        """Abort the open multipart uploads to these keys."""
        pages = self.client.get_paginator("list_multipart_uploads").paginate(Bucket=self.bucket)
        for page in pages:
            for upload in page.get("Uploads", []):
                if upload["Key"] in keys:
                    self.client.abort_multipart_upload(
                        Bucket=self.bucket, Key=upload["Key"], UploadId=upload["UploadId"]
                    )

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=key)
        self.collect_garbage()

    def collect_garbage(self) -> None:
        # The test RGW keeps objects in a 4 GiB memstore and frees deleted data only in its
        # garbage collection, 30 s or more later; a few GiB of uploads would fill it.
        conf = self.rgw_dir / "ceph.conf" if self.rgw_dir else None
        if conf and conf.exists():
            subprocess.run(
                ["radosgw-admin", "-c", str(conf), "gc", "process", "--include-all"],
                capture_output=True,
                timeout=300,
            )

    def stop(self) -> None:
        if self.started_here:
            log("stopping the Ceph RGW this bench started")
            subprocess.run(
                ["bash", str(ROOT / "scripts" / "rgw.sh"), "stop"],
                env={**os.environ, "RGW_DIR": str(self.rgw_dir)},
                capture_output=True,
            )


class AwsCli:
    def __init__(self, s3: S3, scratch: Path):
        if not os.path.exists(AWS):
            log(f"{AWS} is missing; installing Debian's awscli")
            subprocess.run(
                ["apt-get", "-o", "DPkg::Lock::Timeout=300", "install", "-y", "awscli"],
                env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
                check=True,
                stdout=subprocess.DEVNULL,
            )
        self.s3 = s3
        # The keys from the S3 server, and awscli's own defaults (8 MiB parts, 10 threads)
        # rather than whatever ~/.aws/config says; nothing of this venv's Python leaks in.
        keep = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "PYTHON"))}
        self.env = {
            **keep,
            "AWS_ACCESS_KEY_ID": s3.env["AWS_ACCESS_KEY_ID"],
            "AWS_SECRET_ACCESS_KEY": s3.env["AWS_SECRET_ACCESS_KEY"],
            "AWS_DEFAULT_REGION": s3.env["AWS_REGION"],
            "AWS_CONFIG_FILE": str(scratch / "aws-config-none"),
            "AWS_SHARED_CREDENTIALS_FILE": str(scratch / "aws-credentials-none"),
        }
        self.version = self.run(["--version"]).strip()
        # About what each `aws s3 cp` spends before it reads a byte: Python and awscli's imports.
        starts = []
        for _ in range(3):
            started = time.perf_counter()
            self.run(["--version"])
            starts.append(time.perf_counter() - started)
        self.startup = statistics.median(starts)

    def run(self, args: list[str]) -> str:
        done = subprocess.run([AWS, *args], env=self.env, capture_output=True, text=True)
        if done.returncode != 0:
            raise BenchError(f"aws {' '.join(args)}: exit {done.returncode}: {done.stderr.strip()}")
        return done.stdout + done.stderr

    def upload(self, path: Path, key: str) -> float:
        started = time.perf_counter()
        self.run(
            [
                "s3", "cp", str(path), f"s3://{self.s3.bucket}/{key}",
                "--endpoint-url", self.s3.endpoint, "--only-show-errors",
            ]
        )  # fmt: skip
        return time.perf_counter() - started


class Boto3Upload:
    """The guide's own script: `s3.upload_file(...)` with boto3's defaults (TransferConfig,
    checksums, retries), on a client made once as a user would, in this process."""

    def __init__(self, s3: S3):
        self.s3 = s3
        self.version = f"boto3 {boto3.__version__}"
        self.client = boto3.client(
            "s3",
            endpoint_url=s3.endpoint,
            region_name=s3.env["AWS_REGION"],
            aws_access_key_id=s3.env["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=s3.env["AWS_SECRET_ACCESS_KEY"],
        )

    def upload(self, path: Path, key: str) -> float:
        started = time.perf_counter()
        self.client.upload_file(str(path), self.s3.bucket, key)
        return time.perf_counter() - started


def hash_seconds(path: Path) -> float:
    """The SHA-256 of the file on one thread, as the extension must compute it (in order, so
    on one core whatever the upload's concurrency): the floor under any upload that checks it."""
    started = time.perf_counter()
    digest, buffer = hashlib.sha256(), bytearray(BLOCK)
    with open(path, "rb", buffering=0) as f:
        while n := f.readinto(buffer):
            digest.update(memoryview(buffer)[:n])
    return time.perf_counter() - started


def add_server_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--server-arg",
        action="append",
        default=[],
        metavar="ARG",
        help="a Jupyter server option, e.g. --server-arg=--DataLake.transfer_concurrency=8",
    )


def hash_line(costs: dict[str, float]) -> str:
    return (
        f"  one thread's CPU per GiB: MD5 {costs['md5']:.2f} s, SHA-256 {costs['sha256']:.2f} s, "
        f"CRC32 {costs['crc32']:.2f} s (the extension: MD5 of each part and SHA-256 of the file; "
        "boto3 over http: SHA-256 to sign each part and CRC32)"
    )


def vmrss(pid: int) -> int:
    """Resident bytes of a process, 0 once it is gone."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


class RssSampler(threading.Thread):
    """Peak VmRSS of a process and of it with its children, every `interval` s until stop()."""

    def __init__(self, pid: int, interval: float = 0.02):
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.finished = threading.Event()
        self.baseline_main, self.baseline_tree, _ = self.sample()
        self.peak_main, self.peak_tree = self.baseline_main, self.baseline_tree
        self.children_seen: set[int] = set()
        self.samples = 0

    def sample(self) -> tuple[int, int, list[int]]:
        main = vmrss(self.pid)
        pids, tree, queue = [], main, children(self.pid)
        while queue:
            pid = queue.pop()
            pids.append(pid)
            tree += vmrss(pid)
            queue += children(pid)
        return main, tree, pids

    def run(self) -> None:
        while not self.finished.wait(self.interval):
            main, tree, pids = self.sample()
            self.peak_main, self.peak_tree = max(self.peak_main, main), max(self.peak_tree, tree)
            self.children_seen.update(pids)
            self.samples += 1

    def stop(self) -> None:
        self.finished.set()
        self.join()


class Server:
    def __init__(self, home: Path, s3: S3, log_path: Path, extra_args: Sequence[str] = ()):
        self.port = free_port()
        self.token = secrets.token_hex(16)
        self.log_path = log_path
        env = {**os.environ, **s3.env, "DATALAKE_HOME": str(home)}
        env.pop("AWS_ENDPOINT_URL", None)
        with open(log_path, "wb") as server_log:
            self.process = subprocess.Popen(
                [
                    sys.executable, "-m", "jupyter", "server", "--no-browser", "--allow-root",
                    f"--port={self.port}", f"--ServerApp.root_dir={home}",
                    f"--IdentityProvider.token={self.token}",
                    f"--DataLake.home_dir={home}", "--DataLake.home_quota=20Gi",
                    *extra_args,
                ],
                env=env, stdout=server_log, stderr=subprocess.STDOUT,
            )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BenchError(f"the Jupyter server exited; see {log_path}")
            try:
                self.get("/api/status")
                return
            except OSError:
                time.sleep(0.2)
        raise BenchError(f"the Jupyter server did not start; see {log_path}")

    def call(self, path: str, method: str = "GET", body: bytes | None = None) -> tuple[int, bytes]:
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}{path}",
            data=body,
            method=method,
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as err:
            text = err.read().decode(errors="replace")[:1000]
            raise BenchError(f"{method} {path}: HTTP {err.code} {err.reason}: {text}") from err

    def get(self, path: str) -> bytes:
        return self.call(path)[1]

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def extension_upload(server: Server, source: str, size: int, loop_requests: bool) -> dict:
    """One upload through the extension, timed from the POST to `done` seen by a 50 ms poll."""
    sampler = RssSampler(server.process.pid)
    sampler.start()
    busy: list[float] = []
    finished = threading.Event()
    looper = threading.Thread(target=lambda: busy.extend(latencies(server, finished.is_set)))
    body = {"sources": [source], "area": "shared", "prefix": "bench", "conflict": "overwrite"}
    deadline = time.monotonic() + max(600, size / MiB)  # at least 1 MiB/s
    try:
        if loop_requests:
            looper.start()
        started = time.perf_counter()
        status, reply = server.call("/datalake/transfers", "POST", json.dumps(body).encode())
        if status != 201:
            raise BenchError(
                f"POST /datalake/transfers: HTTP {status}, expected 201: {reply[:500]!r}"
            )
        transfer = json.loads(reply)
        while transfer["state"] not in ("done", "failed", "cancelled"):
            if time.monotonic() > deadline:
                raise BenchError(f"transfer still {transfer['state']} after its deadline")
            time.sleep(0.05)
            transfer = json.loads(server.get(f"/datalake/transfers/{transfer['id']}"))
        seconds = time.perf_counter() - started
    finally:
        finished.set()
        if looper.is_alive():
            looper.join()
        sampler.stop()
    if transfer["state"] != "done":
        raise BenchError(
            f"transfer {transfer['id']} ended {transfer['state']}: {transfer.get('message')}"
        )
    if transfer.get("bytes_done") != size:
        log(f"note: transfer reports bytes_done={transfer.get('bytes_done')}, file has {size}")
    return {
        "seconds": seconds,
        "rss_before": sampler.baseline_tree,
        "rss_peak": sampler.peak_tree,
        "rss_before_main": sampler.baseline_main,
        "rss_peak_main": sampler.peak_main,
        "rss_samples": sampler.samples,
        "children": len(sampler.children_seen),
        "busy": busy,
        "transfer": transfer,
    }


def transfer_key(s3: S3, transfer: dict) -> str:
    """The object key of a one-file upload: `destination`, else the item's, else by listing."""
    key = transfer.get("destination")
    items = transfer.get("items") or []
    if (not key or key.endswith("/")) and items:
        key = items[0].get("destination")
    if key and not key.endswith("/"):
        return key
    pages = s3.client.get_paginator("list_objects_v2").paginate(Bucket=s3.bucket)
    for page in pages:
        for obj in page.get("Contents", []):
            if obj["Key"].endswith("/" + FILE_NAME):
                return obj["Key"]
    raise BenchError(f"cannot find the uploaded object; transfer: {json.dumps(transfer)[:1000]}")


def check_object(s3: S3, key: str, size: int, sha256: str) -> dict:
    head = s3.head(key)
    stored = head.get("Metadata", {}).get("sha256")
    return {
        "key": key,
        "size_ok": head["ContentLength"] == size,
        "size": head["ContentLength"],
        "sha256_metadata": stored,
        "sha256_metadata_ok": None if stored is None else stored == sha256,
    }


def profile(server: Server, output: Path, size: int, gil: bool = False) -> None:
    """One more upload with `py-spy record` on the server: see `record`. With ``gil``, with
    `GET /api/status` in a loop, to see who holds the GIL while the event loop wants it."""
    log(f"an extension upload under py-spy, into {output}")
    record(server, output, lambda: extension_upload(server, FILE_NAME, size, gil), gil)


def record(server: Server, output: Path, run, gil: bool = False) -> None:
    """``run()`` with `py-spy record` on the server, every thread, idle ones too (or with
    ``gil``, only samples that hold the GIL), so that waits show beside work. Not timed: the
    sampler costs CPU too."""
    spy = shutil.which("py-spy")
    if spy is None:
        raise BenchError("py-spy is not installed (pip install py-spy)")
    recorder = subprocess.Popen(
        [
            spy, "record", "--pid", str(server.process.pid), "--threads",
            "--gil" if gil else "--idle",
            "--rate", "200", "--format", "speedscope", "--output", str(output),
        ],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    time.sleep(1)  # py-spy attaches
    try:
        run()
    finally:
        recorder.send_signal(2)  # py-spy writes its file on SIGINT
        _, err = recorder.communicate(timeout=60)
    if not output.exists():
        raise BenchError(f"py-spy wrote nothing: {err.decode(errors='replace')[-500:]}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="1GiB", help="file size: bytes, or like 256MiB, 1GiB")
    parser.add_argument("--repeat", type=int, default=3, help="timed uploads of each kind")
    parser.add_argument("--dir", type=Path, help="work folder (default: a new one in /tmp)")
    parser.add_argument("--keep", action="store_true", help="keep the file and the objects")
    parser.add_argument("--json", action="store_true", help="print a JSON summary instead")
    add_server_arg(parser)
    parser.add_argument(
        "--py-spy",
        type=Path,
        metavar="FILE",
        help="after the bench, profile one more upload with py-spy into FILE (speedscope JSON)",
    )
    parser.add_argument(
        "--gil",
        action="store_true",
        help="with --py-spy: only samples that hold the GIL, with GET /api/status in a loop",
    )
    args = parser.parse_args()
    size = parse_size(args.size)

    work = args.dir or Path(tempfile.mkdtemp(prefix="datalake-bench-transfer-"))
    home = work / "home"
    home.mkdir(parents=True, exist_ok=True)
    path = home / FILE_NAME
    s3 = server = None
    keys: set[str] = set()
    try:
        log(f"writing {human(size)} to {path}")
        sha256 = make_file(path, size)
        s3 = S3()
        aws = AwsCli(s3, work)
        server = Server(home, s3, work / "server.log", args.server_arg)

        boto = Boto3Upload(s3)

        # Warm-up, not timed: the page cache (read once by each), the S3 connections, the
        # server's lazy imports. Memory is compared with the server's before this transfer.
        log("warm-up: aws s3 cp, boto3 upload_file, then the extension")
        for reference in (aws, boto):
            reference.upload(path, REF_KEY)
            keys.add(REF_KEY)
            s3.delete(REF_KEY)
        first = extension_upload(server, FILE_NAME, size, loop_requests=False)
        key = transfer_key(s3, first["transfer"])
        keys.add(key)
        checks = [check_object(s3, key, size, sha256)]
        s3.delete(key)

        # The three kinds take turns at going first, so that a change of the machine's load
        # falls on each of them alike.
        ref_seconds: dict[str, list[float]] = {"aws": [], "boto3": [], "sha256": []}
        ext_runs = []
        meter = Meter(server.process.pid, s3.rgw_dir)
        kinds = ["aws", "boto3", "extension", "sha256"]
        for i in range(args.repeat):
            for kind in kinds[i % 4 :] + kinds[: i % 4]:
                log(f"run {i + 1}/{args.repeat}: {kind}")
                if kind == "sha256":
                    ref_seconds[kind].append(hash_seconds(path))
                    continue
                if kind == "extension":
                    ext_runs.append(
                        meter.run(
                            kind, "server", lambda: extension_upload(server, FILE_NAME, size, False)
                        )
                    )
                    checks.append(check_object(s3, key, size, sha256))
                    s3.delete(key)
                    continue
                reference = aws if kind == "aws" else boto
                client = "children" if kind == "aws" else "self"
                ref_seconds[kind].append(
                    meter.run(kind, client, functools.partial(reference.upload, path, REF_KEY))
                )
                if s3.head(REF_KEY)["ContentLength"] != size:
                    raise BenchError(f"{kind} stored an object of the wrong size")
                s3.delete(REF_KEY)

        hashes = hash_costs(path)
        idle_done = time.monotonic() + 3
        idle = latencies(server, lambda: time.monotonic() > idle_done)
        log("an extension upload with GET /api/status in a loop")
        loaded = extension_upload(server, FILE_NAME, size, loop_requests=True)
        checks.append(check_object(s3, key, size, sha256))
        log("reading the object back to compare its sha256")
        read_back_ok = s3.sha256(key) == sha256
        rss_after = RssSampler(server.process.pid).baseline_tree
        if args.py_spy:
            s3.delete(key)
            profile(server, args.py_spy, size, args.gil)
            s3.delete(key)
        if args.keep:
            aws.upload(path, REF_KEY)
    except (BenchError, BotoCoreError, ClientError, subprocess.CalledProcessError) as err:
        log(f"error: {err}")
        if server is not None:
            log(f"last lines of the server log ({work / 'server.log'}):")
            log("\n".join((work / "server.log").read_text(errors="replace").splitlines()[-30:]))
        return 2
    finally:
        if server is not None:
            server.stop()
        if s3 is not None:
            if not args.keep:
                try:
                    # An upload cut short (a failure, Ctrl-C) leaves its parts behind.
                    s3.abort_uploads({*keys, REF_KEY, f"shared/bench/{FILE_NAME}"})
                    for k in keys:
                        s3.delete(k)
                except (BotoCoreError, ClientError, subprocess.SubprocessError) as err:
                    log(f"could not remove the bench's objects: {err}")
            s3.stop()
        if not args.keep:
            if args.dir is None:
                shutil.rmtree(work, ignore_errors=True)
            else:  # only what the bench made in a folder it was given
                shutil.rmtree(home, ignore_errors=True)
                (work / "server.log").unlink(missing_ok=True)

    ext = statistics.median(r["seconds"] for r in ext_runs)
    ref = statistics.median(ref_seconds["aws"])
    ratio = ref / ext
    boto_ref = statistics.median(ref_seconds["boto3"])
    boto_ratio = boto_ref / ext
    hash_ref = statistics.median(ref_seconds["sha256"])
    transfers = [first, *ext_runs, loaded]
    fresh = first["rss_before"]
    growth = max(r["rss_peak"] for r in transfers) - fresh
    each = max(r["rss_peak"] - r["rss_before"] for r in transfers[1:])
    busy = loaded["busy"]
    idle_p50, idle_p99 = percentile(idle, 50), percentile(idle, 99)
    busy_p50, busy_p99 = percentile(busy, 50), percentile(busy, 99)
    sizes_ok = all(c["size_ok"] for c in checks)
    metadata = [c["sha256_metadata_ok"] for c in checks]
    metadata_ok = None if all(m is None for m in metadata) else all(m is True for m in metadata)
    summary = {
        "size": size,
        "repeat": args.repeat,
        "awscli": aws.version,
        "awscli_startup_seconds": aws.startup,
        "throughput_ratio_without_awscli_startup": (ref - aws.startup) / ext,
        "endpoint": s3.endpoint,
        "aws_seconds": ref_seconds["aws"],
        "boto3": boto.version,
        "boto3_seconds": ref_seconds["boto3"],
        "boto3_throughput_ratio": boto_ratio,
        "boto3_throughput_goal": 1.0,
        "sha256_seconds": ref_seconds["sha256"],
        "sha256_one_thread_over_boto3": boto_ref / hash_ref,
        "extension_seconds": [r["seconds"] for r in ext_runs],
        "extension_mib_s": size / MiB / ext,
        "aws_mib_s": size / MiB / ref,
        "throughput_ratio": ratio,
        "throughput_goal": 1.0,
        # Peak during any transfer over the server's RSS before its first one.
        "rss_growth_mib": growth / MiB,
        "rss_growth_mib_main_process": (
            max(r["rss_peak_main"] for r in transfers) - first["rss_before_main"]
        )
        / MiB,
        # Peak of each transfer over the RSS just before its POST (warm-up first).
        "rss_growth_mib_each": [(r["rss_peak"] - r["rss_before"]) / MiB for r in transfers],
        "rss_held_after_mib": (rss_after - fresh) / MiB,
        "rss_before_first_mib": fresh / MiB,
        "rss_samples": [r["rss_samples"] for r in transfers],
        "server_children_seen": max(r["children"] for r in transfers),
        "rss_goal_mib": 64,
        "idle_requests": len(idle),
        "busy_requests": len(busy),
        "idle_p50_ms": idle_p50 * 1e3,
        "idle_p99_ms": idle_p99 * 1e3,
        "busy_p50_ms": busy_p50 * 1e3,
        "busy_p99_ms": busy_p99 * 1e3,
        "p50_ratio": busy_p50 / idle_p50,
        "p99_ratio": busy_p99 / idle_p99,
        "p99_ratio_goal": 5,
        "loaded_transfer_seconds_ratio": loaded["seconds"] / ext,
        "object_key": key,
        "sizes_ok": sizes_ok,
        "sha256": sha256,
        "sha256_metadata_ok": metadata_ok,
        "read_back_sha256_ok": read_back_ok,
        "cpu_seconds": meter.summary(),
        "hash_cpu_seconds_per_gib": hashes,
    }
    ok = sizes_ok and metadata_ok is not False and read_back_ok
    if args.json:
        print(json.dumps(summary, indent=2))
        return 0 if ok else 1

    print(f"{aws.version}; {boto.version}; S3: {s3.endpoint}, bucket {s3.bucket}")
    print(f"upload {human(size)}, throughput ratios of the medians of {args.repeat} runs each:")
    print(f"  extension / boto3 upload_file: {boto_ratio:.2f} (goal >= 1.0)")
    print(
        f"  extension / aws s3 cp: {ratio:.2f}; without the CLI's start-up "
        f"({aws.startup / ref:.0%} of its time): "
        f"{summary['throughput_ratio_without_awscli_startup']:.2f}"
    )
    print(f"  boto3 upload_file / aws s3 cp: {ref / boto_ref:.2f}")
    print(
        f"  SHA-256 of the file alone, one thread / boto3 upload_file: {boto_ref / hash_ref:.2f} "
        "(the ceiling of an upload that hashes it in order)"
    )
    print("CPU of the median run of each (the client, and the gateway, which shares the CPUs):")
    print("\n".join(meter.report(["extension", "boto3", "aws"], "boto3", size / GiB)))
    print(hash_line(hashes))
    print(
        f"server peak RSS growth: {growth / MiB:.0f} MiB (goal <= 64 MiB), the highest VmRSS "
        f"in {len(transfers)} transfers minus the server's before its first"
    )
    print(
        f"  later transfers over the VmRSS just before them: at most {each / MiB:.0f} MiB; "
        f"held after the last: {(rss_after - fresh) / MiB:.0f} MiB"
    )
    print(f"GET /api/status during a transfer, {len(busy)} requests, against the idle server:")
    print(f"  p50 {busy_p50 / idle_p50:.2f}x, p99 {busy_p99 / idle_p99:.2f}x (goal <= 5x)")
    print(f"  that transfer took {summary['loaded_transfer_seconds_ratio']:.2f}x the median one")
    meta = {None: "not stored", True: "matched", False: "DIFFERED"}[metadata_ok]
    print(
        f"object {key}: size {'ok' if sizes_ok else 'WRONG'} in {len(checks)} uploads, "
        f"sha256 metadata {meta}, sha256 read back {'matched' if read_back_ok else 'DIFFERED'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
