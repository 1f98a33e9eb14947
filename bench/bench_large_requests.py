"""Large but allowed requests inside a running Jupyter server: does any one of them stall the
event loop for everyone else?

Builds a home with a folder of as many files as a transfer may name (`handlers`' limit) and a
tree of small files, a watched non-persistent place (in /dev/shm) holding another such tree,
and starts a Jupyter server on that home with the data lake pointed at a local Ceph RGW
(bench_transfer.py's S3 and Server). Then, for each request below, it sends the request again and again from one
thread (or once, when one takes long) while another sends GET /api/status in a loop, and
prints the p50 and p99 of /api/status as ratios to the same request on the idle server,
measured in the same run; and the p99 in ms against the goal of issue 11, 50 ms:

- POST /datalake/paths/classify with the most paths a request may carry;
- POST /datalake/transfers, a dry run with the most sources a request may carry;
- GET /datalake/usage?refresh=1, a full scan of home;
- GET /datalake/at-risk?refresh=1&top=0, a walk of the watched place, every entry listed;
- GET /datalake/transfers and GET /datalake/transfers/{id} of a finished upload of the folder.

    python bench/bench_large_requests.py [--dir DIR] [--tree-files 50000] [--seconds 3]

Run it from the repository root; the server runs this source tree (PYTHONPATH).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
# This source tree, not a copy installed in the environment: here for its limits, and in the
# server (PYTHONPATH, set in main) for the code measured.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench_transfer import S3, BenchError, Server, log, percentile
from bench_usage_server import latencies

from jupyterlab_datalake import handlers

ROOT = Path(__file__).resolve().parent.parent
GOAL_P99 = 0.050
PREFIX = "bench-large-requests"


def build(root: Path, files: int, prefix: str) -> None:
    """`files` files of `prefix`, in folders of 1,000 under `root`."""
    for i in range(files):
        folder = root / f"d{i // 1000:03}"
        if i % 1000 == 0:
            folder.mkdir(parents=True)
        (folder / f"{prefix}{i:06}.bin").write_bytes(b"y" * 512)


def during(server: Server, request: Callable[[], object], seconds: float) -> dict:
    """/api/status latencies while `request` runs again and again for `seconds` (at least once)."""
    finished = threading.Event()
    durations: list[float] = []
    errors: list[BaseException] = []

    def repeat():
        started = time.monotonic()
        try:
            while not durations or time.monotonic() - started < seconds:
                began = time.perf_counter()
                request()
                durations.append(time.perf_counter() - began)
        except BaseException as err:  # reported in the main thread
            errors.append(err)
        finally:
            finished.set()

    thread = threading.Thread(target=repeat)
    thread.start()
    samples = latencies(server, finished.is_set)
    thread.join()
    if errors:
        raise errors[0]
    return {"samples": samples, "durations": durations}


def post(server: Server, path: str, body: dict) -> bytes:
    return server.call(path, "POST", json.dumps(body).encode())[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dir", type=Path, help="work folder (default: a temporary one)")
    parser.add_argument("--tree-files", type=int, default=50_000, help="files in each tree")
    parser.add_argument("--seconds", type=float, default=3.0, help="sampling time per request")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    parser.add_argument(
        "--watched-in",
        type=Path,
        default=Path("/dev/shm"),
        help="where the watched place is made: another filesystem than home's, or it is not at "
        "risk and the report does not walk it",
    )
    args = parser.parse_args()

    base = args.dir or Path(tempfile.mkdtemp(prefix="datalake-bench-large-"))
    files = handlers.MAX_TRANSFER_SOURCES
    watched = Path(tempfile.mkdtemp(prefix="datalake-bench-watched-", dir=args.watched_in))
    log(f"building {files + args.tree_files:,} files in {base}, {args.tree_files:,} in {watched}")
    home = base / "home"
    build(home / "many", files, "f")
    build(home / "tree", args.tree_files, "t")
    s3 = S3()
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), os.getenv("PYTHONPATH")]))
    server = Server(home, s3, base / "server.log", [f"--DataLake.watched_paths={watched}"])
    results: list[tuple[str, dict]] = []
    try:
        # Made once the server runs: as root it reports only what appeared since it started.
        build(watched / "tree", args.tree_files, "w")
        server.get("/datalake/usage")  # the first scan, and a warm page cache
        report = json.loads(server.get("/datalake/at-risk?top=0"))
        listed = sum(loc["files"] for loc in report["locations"])
        if listed < args.tree_files:
            raise BenchError(f"the at-risk report lists {listed} files of {watched}, not all")
        until = time.monotonic() + args.seconds
        idle = latencies(server, lambda: time.monotonic() > until)

        sources = [f"many/d{i // 1000:03}/f{i:06}.bin" for i in range(files)]
        paths = [str(home / s) for s in sources][: handlers.MAX_CLASSIFY_PATHS]
        upload = {"sources": sources, "area": "shared", "prefix": PREFIX, "conflict": "overwrite"}
        cases: list[tuple[str, Callable[[], object]]] = [
            (
                f"POST paths/classify, {len(paths):,} paths",
                lambda: post(server, "/datalake/paths/classify", {"paths": paths}),
            ),
            (
                f"POST transfers dry run, {files:,} sources",
                lambda: post(server, "/datalake/transfers", {**upload, "dry_run": True}),
            ),
            (
                f"GET usage?refresh=1, {args.tree_files + files:,} files",
                lambda: server.get("/datalake/usage?refresh=1"),
            ),
            (
                f"GET at-risk?refresh=1&top=0, {args.tree_files:,} files",
                lambda: server.get("/datalake/at-risk?refresh=1&top=0"),
            ),
        ]
        for name, request in cases:
            log(f"measuring {name}")
            results.append((name, during(server, request, args.seconds)))

        log(f"uploading the {files:,} files, for the transfers list")
        transfer = json.loads(post(server, "/datalake/transfers", upload))
        while transfer["state"] in ("queued", "running"):
            time.sleep(0.5)
            transfer = json.loads(server.get(f"/datalake/transfers/{transfer['id']}"))
        if transfer["state"] != "done":
            raise BenchError(f"the upload ended {transfer['state']}: {transfer.get('message')}")
        for name, path in (
            ("GET transfers, one of {n:,} files", "/datalake/transfers"),
            ("GET transfers/{{id}}, {n:,} items", f"/datalake/transfers/{transfer['id']}"),
        ):
            name = name.format(n=files)
            log(f"measuring {name}")
            results.append((name, during(server, lambda p=path: server.get(p), args.seconds)))
    finally:
        server.stop()
        pages = s3.client.get_paginator("list_objects_v2")
        for page in pages.paginate(Bucket=s3.bucket, Prefix=f"shared/{PREFIX}/"):
            keys = [{"Key": o["Key"]} for o in page.get("Contents", [])]
            if keys:
                s3.client.delete_objects(Bucket=s3.bucket, Delete={"Objects": keys})
        s3.stop()
        shutil.rmtree(watched, ignore_errors=True)
        if not args.keep and not args.dir:
            shutil.rmtree(base, ignore_errors=True)

    idle_p50, idle_p99 = percentile(idle, 50), percentile(idle, 99)
    print(
        f"GET /api/status on the idle server: p50 {idle_p50 * 1e3:.1f} ms, "
        f"p99 {idle_p99 * 1e3:.1f} ms ({len(idle)} requests)"
    )
    worst = 0.0
    for name, result in results:
        samples, durations = result["samples"], result["durations"]
        p50, p99 = percentile(samples, 50), percentile(samples, 99)
        worst = max(worst, p99)
        took = sorted(durations)[len(durations) // 2]
        print(f"{name} (median {took * 1e3:.0f} ms, {len(durations)} runs):")
        print(
            f"  /api/status p50 {p50 / idle_p50:.2f}x idle, p99 {p99 / idle_p99:.2f}x idle "
            f"= {p99 * 1e3:.1f} ms ({'within' if p99 < GOAL_P99 else 'OVER'} the 50 ms goal; "
            f"{len(samples)} requests)"
        )
    print(f"worst p99 during a large request: {worst * 1e3:.1f} ms = {worst / GOAL_P99:.2f}x goal")
    return 0 if worst < GOAL_P99 else 1


if __name__ == "__main__":
    sys.exit(main())
