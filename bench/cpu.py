"""CPU seconds that each side of a transfer spends, for the transfer benches.

On the 2-CPU machine these benches run on, the Jupyter server (or boto3, or awscli) and the
test RGW share the same two cores, so a transfer that must hash every byte more often can be
slower for that reason alone. Each timed run is therefore also counted in CPU time (user +
system, from /proc and getrusage): the client's, and the gateway's (radosgw, ceph-osd and
ceph-mon of the RGW_DIR instance). When a kind's CPU divided by its wall time is close to the
number of CPUs, that kind was CPU-bound, and the ratio of the totals says how far a transfer
doing that work can get on this machine.
"""

from __future__ import annotations

import hashlib
import os
import time
import zlib
from collections.abc import Callable
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")
GATEWAY = ("radosgw", "ceph-osd", "ceph-mon")


def process_seconds(pid: int) -> float:
    """utime + stime of a process, with its reaped children's; 0 once it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    # Fields 14 to 17 of proc(5): utime, stime, cutime, cstime; [0] here is field 3.
    return sum(int(v) for v in fields[11:15]) / TICK


def live_children(pid: int) -> list[int]:
    found = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as f:
                found += [int(child) for child in f.read().split()]
    except OSError:
        pass
    return found


def tree_seconds(pid: int) -> float:
    return process_seconds(pid) + sum(tree_seconds(c) for c in live_children(pid))


def gateway_pids(rgw_dir: Path | None) -> list[int]:
    """The Ceph daemons of the instance in ``rgw_dir`` (several instances may run at once)."""
    if rgw_dir is None:
        return []
    conf = str(rgw_dir / "ceph.conf")
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                argv = f.read().split(b"\0")
        except OSError:
            continue
        if os.path.basename(argv[0].decode(errors="replace")) in GATEWAY and conf.encode() in argv:
            pids.append(int(entry))
    return pids


class Meter:
    """Counts, for each run of a kind, the client's and the gateway's CPU seconds and the wall
    time. The client is ``server`` (a process tree), this process, or its reaped children."""

    def __init__(self, server_pid: int | None, rgw_dir: Path | None):
        self.server_pid = server_pid
        self.gateway = gateway_pids(rgw_dir)
        self.runs: dict[str, list[tuple[float, float, float]]] = {}

    def _now(self) -> dict[str, float]:
        times = os.times()
        return {
            "server": tree_seconds(self.server_pid) if self.server_pid else 0.0,
            "self": times.user + times.system,
            "children": times.children_user + times.children_system,
            "gateway": sum(process_seconds(pid) for pid in self.gateway),
        }

    def run(self, kind: str, client: str, fn: Callable[[], object]) -> object:
        """``fn()``, counted under ``kind``; ``client`` is "server", "self" or "children"."""
        before, started = self._now(), time.perf_counter()
        result = fn()
        wall = time.perf_counter() - started
        after = self._now()
        self.runs.setdefault(kind, []).append(
            (after[client] - before[client], after["gateway"] - before["gateway"], wall)
        )
        return result

    def median(self, kind: str) -> tuple[float, float, float]:
        """(client, gateway, wall) of the run with the median total CPU."""
        runs = sorted(self.runs[kind], key=lambda r: r[0] + r[1])
        return runs[len(runs) // 2]

    def report(self, kinds: list[str], reference: str, gib: float) -> list[str]:
        """Lines saying each kind's CPU per GiB, how many CPUs it kept busy, and the ratio of
        the reference's total CPU to each kind's."""
        lines = []
        ref_client, ref_gateway, _ = self.median(reference)
        for kind in kinds:
            client, gateway, wall = self.median(kind)
            total = client + gateway
            lines.append(
                f"  {kind:<10} client {client / gib:5.2f} s + gateway {gateway / gib:5.2f} s = "
                f"{total / gib:5.2f} s of CPU per GiB; {total / wall:.2f} of "
                f"{os.cpu_count()} CPUs busy; {reference} total / this total: "
                f"{(ref_client + ref_gateway) / total:.2f}"
            )
        return lines

    def summary(self) -> dict[str, list[dict[str, float]]]:
        return {
            kind: [{"client": c, "gateway": g, "wall": w} for c, g, w in runs]
            for kind, runs in self.runs.items()
        }


def hash_costs(path: Path, block: int = 8 * 1024**2) -> dict[str, float]:
    """CPU seconds per GiB of each digest the transfers compute, over the file, one thread:
    MD5 (per part, for S3's Content-MD5 and ETags), SHA-256 (the extension's whole-file check;
    botocore's SigV4 payload hash over http) and CRC32 (botocore's default checksum)."""
    size = path.stat().st_size
    costs = {}
    for name, make in (
        ("md5", hashlib.md5),
        ("sha256", hashlib.sha256),
        ("crc32", None),
    ):
        digest, crc, buffer = make() if make else None, 0, bytearray(block)
        started = time.process_time()
        with open(path, "rb", buffering=0) as f:
            while n := f.readinto(buffer):
                view = memoryview(buffer)[:n]
                if digest is not None:
                    digest.update(view)
                else:
                    crc = zlib.crc32(view, crc)
        costs[name] = (time.process_time() - started) / (size / 1024**3)
    return costs
