"""Benchmark the home-usage scanner against ``du -sxB1`` on a 100,000-file tree.

Builds (or reuses with ``--keep``) a tree of about 100,000 files in about 1,000 folders, with
hard links, symlinks (a loop, one to a directory above, one to a big file outside the tree) and
a sparse file, then times ``scan()`` and ``du -sxB1`` on it with a warm cache and prints the
ratio of the medians. Exits non-zero when the two totals differ.

    python bench/bench_usage.py [--dir /tmp/datalake-bench-usage] [--keep] [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from jupyterlab_datalake.scan import scan

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


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dir", default="/tmp/datalake-bench-usage", type=Path)
    parser.add_argument("--keep", action="store_true", help="reuse a tree built earlier")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    base: Path = args.dir
    tree = base / "tree"
    spec_file = base / "tree-spec.json"
    reusable = args.keep and spec_file.exists() and json.loads(spec_file.read_text()) == SPEC
    if not reusable:
        build_tree(base)

    # Warm the cache with one run of each; the timed runs alternate so that any drift in
    # the machine's load hits both tools alike.
    result = scan(str(tree))
    du_used = du_total(tree)
    du_apparent = du_total(tree, "--apparent-size")
    du_inodes = du_total(tree, "--inodes")
    du_times, scan_times = [], []
    for _ in range(args.runs):
        du_times.append(timed(lambda: du_total(tree)))
        scan_times.append(timed(lambda: scan(str(tree))))

    same = result.used == du_used and result.apparent == du_apparent
    same_inodes = result.files + result.dirs == du_inodes
    du_median = statistics.median(du_times)
    scan_median = statistics.median(scan_times)
    ratio = scan_median / du_median
    print(f"tree: {tree} ({result.files} files, {result.dirs} folders)")
    print(f"used      scan {result.used:>14,}  du {du_used:>14,}  {'equal' if same else 'DIFFER'}")
    print(f"apparent  scan {result.apparent:>14,}  du {du_apparent:>14,}")
    print(f"inodes    scan {result.files + result.dirs:>14,}  du {du_inodes:>14,}")
    print(
        f"median of {args.runs} warm runs: scan {scan_median * 1000:.1f} ms, "
        f"du {du_median * 1000:.1f} ms, ratio scan/du = {ratio:.2f}"
    )
    if not (same and same_inodes):
        print("FAIL: the totals differ from du", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
