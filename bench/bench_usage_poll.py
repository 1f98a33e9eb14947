"""A file written outside JupyterLab shows in the usage within seconds, and the poll that finds it
costs the server well under a millisecond of CPU.

Mounts a tmpfs as home (its own volume, as a PVC is; needs root), fills it with `--files` small
files, starts a Jupyter server on it, and polls GET /datalake/usage?since=… as the frontend does,
every `poll_seconds` of the reply. It prints, each against a reference from the same run:

- the delay from another process finishing a 10 MiB write to the first poll reply that counts
  it, over `--trials` writes, as a ratio to the poll interval (the goal: under 5 s);
- the server's CPU per "unchanged" poll, from /proc/<pid>/stat (utime + stime) over `--polls`
  polls, against GET /api/status, jupyter_server's cheapest authenticated request, and against
  a full usage reply (the goal: under 1 ms);
- the part of it this extension adds, `UsageMonitor.poll` itself (a statvfs and a small dict),
  timed in this process with time.process_time: the rest is jupyter_server's and tornado's
  handling of any authenticated request.

    python bench/bench_usage_poll.py [--files 20000] [--trials 5] [--polls 1000]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_usage_server import Server

from jupyterlab_datalake.home.usage import VOLUME_BUDGET, UsageMonitor

TICK = os.sysconf("SC_CLK_TCK")
WRITE = 10 * 1024**2


def cpu_seconds(pid: int) -> float:
    """User and system CPU of a process so far, from /proc (its own, not its children's)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def cpu_per_request(server: Server, path: str, count: int) -> float:
    before = cpu_seconds(server.process.pid)
    for _ in range(count):
        server.get(path)
    return (cpu_seconds(server.process.pid) - before) / count


def monitor_poll_cpu(home: Path, count: int) -> float:
    """CPU seconds per "unchanged" UsageMonitor.poll, in this process: what the handler adds
    to the request pipeline every Jupyter request goes through."""
    monitor = UsageMonitor(os.path.realpath(home), None, processes=1)

    async def run() -> float:
        figure = await monitor.get()
        # Past the wait after a scan, so that each poll reads the volume's used bytes.
        await asyncio.sleep(VOLUME_BUDGET * figure["scan_seconds"] + 0.1)
        version = figure["version"]
        started = time.process_time()
        for _ in range(count):
            await monitor.poll(version)
        return (time.process_time() - started) / count

    return asyncio.run(run())


def mount_home() -> Path:
    home = Path(tempfile.mkdtemp(prefix="datalake-bench-poll-"))
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=512m", "tmpfs", str(home)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise SystemExit(f"cannot mount a tmpfs as home (needs root): {done.stderr.strip()}")
    return home


def fill(home: Path, files: int) -> None:
    for i in range(files):
        folder = home / f"project-{i // 200:03d}"
        folder.mkdir(exist_ok=True)
        (folder / f"part-{i:05d}.csv").write_bytes(b"x" * (i % 4096))


def usage(server: Server, since: int | None = None) -> dict:
    query = "" if since is None else f"?since={since}"
    return json.loads(server.get(f"/datalake/usage{query}"))


class Poller(threading.Thread):
    """The frontend's poll: every `poll_seconds`, ask whether the figure changed since the
    version held, and keep the new one when it did."""

    def __init__(self, server: Server):
        super().__init__(daemon=True)
        self.server = server
        self.figure = usage(server)
        self.changed = threading.Condition()
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(self.figure["poll_seconds"]):
            reply = usage(self.server, self.figure["version"])
            if not reply.get("unchanged"):
                with self.changed:
                    self.figure = reply
                    self.changed.notify_all()

    def wait_for(self, used: int, timeout: float = 60) -> float:
        """Block until a figure of at least `used` bytes arrives; when it did, monotonic."""
        with self.changed:
            if not self.changed.wait_for(lambda: self.figure["used"] >= used, timeout):
                raise SystemExit("the write did not show within a minute")
            return time.monotonic()


def delay_of_one_write(poller: Poller, home: Path, trial: int, every: float) -> float:
    """Seconds from another process's write, `every` seconds or so after the last one was
    seen, to the first poll reply that counts it."""
    before = poller.figure["used"]
    # The poll runs on its own clock: write at different points of its interval.
    time.sleep(every + 0.77 * trial % poller.figure["poll_seconds"])
    # dd, not this process: none of JupyterLab's hooks sees the write.
    target = home / f"from-a-terminal-{trial}.bin"
    subprocess.run(
        ["dd", "if=/dev/zero", f"of={target}", "bs=1M", f"count={WRITE // 2**20}"],
        check=True,
        capture_output=True,
    )
    written = time.monotonic()
    return poller.wait_for(before + WRITE) - written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=20000, help="files in home")
    parser.add_argument("--trials", type=int, default=5, help="writes to time")
    parser.add_argument("--polls", type=int, default=1000, help="requests per CPU figure")
    parser.add_argument(
        "--every",
        type=float,
        default=5.0,
        help="seconds between a write being seen and the next write (0: back to back, where "
        "the scan's budget, 10x its duration between rescans, sets the delay)",
    )
    args = parser.parse_args()

    home = mount_home()
    try:
        fill(home, args.files)
        server = Server(home)
        try:
            first = usage(server)
            poller = Poller(server)
            poller.start()
            delays = [delay_of_one_write(poller, home, i, args.every) for i in range(args.trials)]
            poller.stopped.set()
            poller.join()
            version = usage(server)["version"]
            assert usage(server, version).get("unchanged"), "nothing changed, yet a new figure"
            poll = cpu_per_request(server, f"/datalake/usage?since={version}", args.polls)
            status = cpu_per_request(server, "/api/status", args.polls)
            full = cpu_per_request(server, "/datalake/usage", args.polls // 4)
            scan = usage(server)["scan_seconds"]
        finally:
            server.stop()
        own = monitor_poll_cpu(home, args.polls * 10)
    finally:
        subprocess.run(["umount", "-l", str(home)], check=False)
        os.rmdir(home)

    seconds = delays
    interval = first["poll_seconds"]
    print(f"home: tmpfs of its own, {args.files} files, {first['used'] / 2**20:.0f} MiB on disk")
    print(f"own volume: {first['own_volume']}, poll every {interval:g} s, scan {scan * 1e3:.0f} ms")
    print(
        f"a 10 MiB write by dd, {args.every:g} s after the last was seen, shows after "
        f"(median of {args.trials}) "
        f"{statistics.median(seconds):.2f} s = {statistics.median(seconds) / interval:.2f}x the "
        f"poll interval; worst {max(seconds):.2f} s = {max(seconds) / interval:.2f}x "
        f"(goal: under 5 s)"
    )
    print(
        f"server CPU per unchanged poll ({args.polls} polls): {poll * 1e3:.3f} ms = "
        f"{poll / status:.2f}x GET /api/status ({status * 1e3:.3f} ms), "
        f"{poll / full:.2f}x a full usage reply ({full * 1e3:.3f} ms) (goal: under 1 ms)"
    )
    print(
        f"  of which UsageMonitor.poll itself: {own * 1e6:.1f} us = {own / poll:.3f}x the request"
    )
    return 0 if max(seconds) < 5 and poll < 1e-3 else 1


if __name__ == "__main__":
    sys.exit(main())
