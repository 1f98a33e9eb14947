"""Home usage inside a running Jupyter server: is the event loop free while a scan runs, and how
cheap is folding a save into the figure?

Builds (or reuses) the 100,000-file tree of bench_usage.py, starts a Jupyter server whose home is
that tree, and prints, each against a reference measured in the same run:

- the p50 and p99 latency of GET /api/status while a full usage scan runs, as a ratio to the
  same request on an idle server (the event loop must not be blocked by the scan);
- the server-side time of the incremental update after a 1 MiB save through the Contents API
  (`update_seconds`), as a ratio to the full scan it replaces (`scan_seconds`).

    python bench/bench_usage_server.py [--dir /tmp/datalake-bench-usage] [--keep]
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_usage import build_tree


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    def __init__(self, home: Path):
        self.port = free_port()
        self.token = secrets.token_hex(16)
        env = {**os.environ, "DATALAKE_HOME": str(home)}
        self.process = subprocess.Popen(
            [
                sys.executable, "-m", "jupyter", "server", "--no-browser", "--allow-root",
                f"--port={self.port}", f"--ServerApp.root_dir={home}",
                f"--IdentityProvider.token={self.token}",
                # The bench deletes its own files; keep the tree as built.
                "--FileContentsManager.delete_to_trash=False",
            ],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                self.get("/api/status")
                return
            except OSError:
                time.sleep(0.2)
        raise SystemExit("the Jupyter server did not start")

    def request(self, path: str, method: str = "GET", body: bytes | None = None) -> bytes:
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}{path}",
            data=body,
            method=method,
            headers={"Authorization": f"token {self.token}"},
        )
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.read()

    def get(self, path: str) -> bytes:
        return self.request(path)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def latencies(server: Server, until) -> list[float]:
    samples = []
    while not until():
        started = time.perf_counter()
        server.get("/api/status")
        samples.append(time.perf_counter() - started)
    return samples


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dir", default="/tmp/datalake-bench-usage", type=Path)
    parser.add_argument("--keep", action="store_true", help="reuse a tree built earlier")
    parser.add_argument("--scans", type=int, default=3, help="full scans to sample during")
    args = parser.parse_args()

    tree = args.dir / "tree"
    if not (args.keep and tree.is_dir()):
        tree = build_tree(args.dir)
    server = Server(tree)
    try:
        server.get("/datalake/usage")  # first scan, also warms the cache

        idle_done = time.monotonic() + 3
        idle = latencies(server, lambda: time.monotonic() > idle_done)

        busy: list[float] = []
        scan_seconds = []
        for _ in range(args.scans):
            finished = threading.Event()

            def rescan(done=finished):
                body = json.loads(server.get("/datalake/usage?refresh=1"))
                scan_seconds.append(body["scan_seconds"])
                done.set()

            thread = threading.Thread(target=rescan)
            thread.start()
            busy += latencies(server, finished.is_set)
            thread.join()

        body = json.dumps({"type": "file", "format": "text", "content": "x" * 2**20}).encode()
        updates = []
        for i in range(5):
            server.request(f"/api/contents/bench-save-{i}.txt", "PUT", body)
            updates.append(json.loads(server.get("/datalake/usage"))["update_seconds"])
        for i in range(5):
            server.request(f"/api/contents/bench-save-{i}.txt", "DELETE")
    finally:
        server.stop()

    idle_p50, idle_p99 = percentile(idle, 50), percentile(idle, 99)
    busy_p50, busy_p99 = percentile(busy, 50), percentile(busy, 99)
    scan = statistics.median(scan_seconds)
    update = statistics.median(updates)
    print(f"tree: {tree}")
    print(f"GET /api/status during a scan, {len(busy)} requests over {args.scans} scans:")
    print(
        f"  p50 {busy_p50 * 1e3:.1f} ms = {busy_p50 / idle_p50:.2f}x idle ({idle_p50 * 1e3:.1f} ms)"
    )
    print(
        f"  p99 {busy_p99 * 1e3:.1f} ms = {busy_p99 / idle_p99:.2f}x idle ({idle_p99 * 1e3:.1f} ms)"
    )
    print(
        f"incremental update after a 1 MiB save (server side, median of 5): "
        f"{update * 1e3:.2f} ms = {update / scan:.5f}x the full scan ({scan * 1e3:.0f} ms)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
