"""Benchmark the home-usage scanner against ``du -sxB1`` on a 100,000-file tree.

Builds (or reuses with ``--keep``) a tree of 100,000 files in about 1,000 folders, with hard
links, symlinks (a loop, one to a folder above, one to a big file outside the tree) and a
sparse file, then times ``scan()`` and ``du -sxB1`` on it with a warm cache and prints the
ratio of the medians. Exits non-zero when the totals differ.

``scan()`` runs inside the Jupyter server, and forking a process costs in proportion to its
resident memory, so by default this process first grows to about the size of a JupyterLab
server (``--rss``). The ratio is printed for ``scan()`` as the server calls it (forked workers
unless the load average says no CPU is idle), for a walk kept to one process, for two
processes whatever the load, and for the first two with the pure-Python loop instead of the compiled one
(``_walker.c``), each as wall time and as CPU time (this process's and its children's, user
and system), which on a shared machine depends less on what else runs.

    python bench/bench_usage.py [--dir /tmp/datalake-bench-usage] [--keep] [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import mmap
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from jupyterlab_datalake.home import scan as scan_module
from jupyterlab_datalake.home import walker
from jupyterlab_datalake.home.scan import scan

SPEC = {"version": 1, "top": 10, "per_top": 100, "files_per_dir": 100, "seed": 20240}


def build_tree(base: Path) -> Path:
    tree = base / "tree"
    if tree.exists():
        shutil.rmtree(tree)
    base.mkdir(parents=True, exist_ok=True)
    rng = random.Random(SPEC["seed"])
    # Mostly small files, as in a real home, with a tail of bigger ones so that the
    # largest-files heap has something to sort.
    blob = os.urandom(256 * 1024)
    leaves = []
    for i in range(SPEC["top"]):
        for j in range(SPEC["per_top"]):
            leaf = tree / f"project-{i}" / f"run {j:03d}"
            leaf.mkdir(parents=True)
            leaves.append(leaf)
    count = 0
    for leaf in leaves:
        for k in range(SPEC["files_per_dir"]):
            roll = rng.random()
            size = rng.randrange(0, 8192) if roll < 0.97 else rng.randrange(8192, len(blob))
            name = f".hidden-{k}" if k % 50 == 0 else f"file-{k:03d}.dat"
            fd = os.open(leaf / name, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
            try:
                os.write(fd, blob[:size])
            finally:
                os.close(fd)
            count += 1
    # Links are extra directory entries, not extra files: the file count stays at 100,000.
    for n, leaf in enumerate(leaves):
        other = leaves[(n * 7 + 3) % len(leaves)]
        os.link(leaf / "file-001.dat", other / f"hardlink-{n}.dat")
        os.symlink(f"../../project-0/run 000/file-00{n % 10}.dat", other / f"symlink-{n}")
    (tree / "loop-a").symlink_to("loop-b")
    (tree / "loop-b").symlink_to("loop-a")
    (tree / "project-0" / "up").symlink_to("..")
    outside = base / "outside-big.bin"
    with open(outside, "wb") as f:
        f.write(blob * 40)  # 10 MiB that must not be counted
    (tree / "outside-link").symlink_to(outside)
    trash = tree / ".local" / "share" / "Trash" / "files"
    trash.mkdir(parents=True)
    (trash / "old.bin").write_bytes(blob)
    with open(tree / "sparse.img", "wb") as f:
        f.write(blob[:4096])
        f.truncate(1024**3)
    (base / "tree-spec.json").write_text(json.dumps(SPEC))
    print(f"built {count} files in {len(leaves) + SPEC['top']} folders under {tree}")
    return tree


def du_total(tree: Path, *extra: str) -> int:
    out = subprocess.run(
        ["du", "-sxB1", *extra, str(tree)], capture_output=True, text=True, check=False
    ).stdout
    return int(out.split()[0])


def cpu_seconds() -> float:
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed(fn) -> tuple[float, float]:
    """Wall and CPU seconds; forked workers and du are reaped children, so they count."""
    cpu, start = cpu_seconds(), time.perf_counter()
    fn()
    return time.perf_counter() - start, cpu_seconds() - cpu


def one_process(tree: Path, native: bool | None = None):
    saved = scan_module._available_cpus
    scan_module._available_cpus = lambda: 1
    try:
        return scan(str(tree), native=native)
    finally:
        scan_module._available_cpus = saved


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dir", default="/tmp/datalake-bench-usage", type=Path)
    parser.add_argument("--keep", action="store_true", help="reuse a tree built earlier")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--rss", type=int, default=150, help="MiB this process holds, like a server (150)"
    )
    args = parser.parse_args()

    base: Path = args.dir
    tree = base / "tree"
    spec_file = base / "tree-spec.json"
    reusable = args.keep and spec_file.exists() and json.loads(spec_file.read_text()) == SPEC
    if not reusable:
        build_tree(base)
    # Touched page by page, so that it is resident, as a server's heap is.
    ballast = bytearray(args.rss * 1024 * 1024)
    ballast[:: mmap.PAGESIZE] = b"x" * len(range(0, len(ballast), mmap.PAGESIZE))

    # Warm the cache with one run of each; the timed runs alternate so that any drift in
    # the machine's load hits all alike.
    compiled = walker.library() is not None
    kinds = {
        "du": lambda: du_total(tree),
        "scan": lambda: scan(str(tree)),
        "one process": lambda: one_process(tree),
        # What scan() does on an idle machine; on a busy one it walks in one process.
        "2 workers": lambda: scan(str(tree), processes=2),
    }
    if compiled:
        kinds["python loop"] = lambda: scan(str(tree), native=False)
        kinds["python, one"] = lambda: one_process(tree, native=False)
    results = [fn() for name, fn in kinds.items() if name != "du"]
    result = results[0]
    du_used = du_total(tree)
    du_apparent = du_total(tree, "--apparent-size")
    du_inodes = du_total(tree, "--inodes")
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in kinds}
    for _ in range(args.runs):
        for name, fn in kinds.items():
            times[name].append(timed(fn))
    wall = {name: statistics.median(t[0] for t in values) for name, values in times.items()}
    cpu = {name: statistics.median(t[1] for t in values) for name, values in times.items()}

    same = all(
        (r.used, r.apparent, r.files + r.dirs) == (du_used, du_apparent, du_inodes) for r in results
    )
    print(f"tree: {tree} ({result.files:,} files, {result.dirs:,} folders)")
    print(f"used      scan {result.used:>15,}  du {du_used:>15,}  {'equal' if same else 'DIFFER'}")
    print(f"apparent  scan {result.apparent:>15,}  du {du_apparent:>15,}")
    print(f"inodes    scan {result.files + result.dirs:>15,}  du {du_inodes:>15,}")
    print(
        f"median of {args.runs} warm runs on {os.cpu_count()} CPUs (load {os.getloadavg()[0]:.1f}),"
        f" from a process of {args.rss} MiB + Python; compiled walker: "
        f"{'yes' if compiled else 'no, pure-Python loop'}"
    )
    for name in kinds:
        if name == "du":
            continue
        print(
            f"  {name:<12} wall {wall[name] * 1000:7.1f} ms vs du {wall['du'] * 1000:7.1f} ms:"
            f" ratio {wall[name] / wall['du']:.2f};  CPU {cpu[name] * 1000:6.1f} ms vs du"
            f" {cpu['du'] * 1000:6.1f} ms: ratio {cpu[name] / cpu['du']:.2f}"
        )
    del ballast
    if not same:
        print("FAIL: the totals differ from du", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
