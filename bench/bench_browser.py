"""The data lake browser in Chromium: how soon the first screen of rows of a folder of 10,000
objects is visible, against the bare API request for the same page made from the same page in
the same run, and whether 10,000 loaded rows stay cheap to show and scroll.

Seeds `shared/bench-10k/` with 10,000 small objects (once; a marker remembers), starts a
Jupyter server with the extension, and drives Debian's Chromium with bench/browser_first_screen.js
(playwright-core from ui-tests/node_modules, so run `jlpm install` in ui-tests first; the
labextension must be built).

    python bench/bench_browser.py [--repeat 10] [--cleanup]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_listing import seed
from bench_transfer import S3, BenchError, Server, log

FOLDER = "bench-10k"
OBJECTS = 10_000
HERE = Path(__file__).parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--cleanup", action="store_true", help="delete the seeded objects")
    args = parser.parse_args()

    s3 = S3()
    prefix = f"shared/{FOLDER}/"
    if args.cleanup:
        paginator = s3.client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=s3.bucket, Prefix=prefix):
            keys = [{"Key": o["Key"]} for o in page.get("Contents", [])]
            if keys:
                s3.client.delete_objects(Bucket=s3.bucket, Delete={"Objects": keys})
        s3.client.delete_object(Bucket=s3.bucket, Key=f"users/bench/.bench-listing-seeded/{FOLDER}")
        log(f"deleted {prefix}")
        return 0
    keys = (f"{prefix}obj-{i:05d}.csv" for i in range(OBJECTS))
    seconds = seed(s3, FOLDER, keys, OBJECTS)
    if seconds is not None:
        log(f"seeded {OBJECTS:,} objects in {seconds:.0f} s (information only)")

    scratch = Path(tempfile.mkdtemp(prefix="datalake-bench-browser-"))
    home = scratch / "home"
    home.mkdir()
    server = Server(home, s3, scratch / "server.log", ["--DataLake.username=bench"])
    try:
        out = subprocess.run(
            [
                "node",
                str(HERE / "browser_first_screen.js"),
                f"http://127.0.0.1:{server.port}",
                server.token,
                FOLDER,
                str(args.repeat),
            ],
            capture_output=True,
            text=True,
            timeout=1200,
        )
        if out.returncode != 0:
            raise BenchError(f"the browser script failed:\n{out.stderr[-3000:]}")
        result = json.loads(out.stdout.strip().splitlines()[-1])
    finally:
        server.stop()
        shutil.rmtree(scratch, ignore_errors=True)

    screen = statistics.median(result["screens"])
    fetch = statistics.median(result["fetches"])
    print(f"folder of {OBJECTS:,} objects, median of {args.repeat}:")
    print(
        f"  first screen of rows {screen:.0f} ms = {screen / fetch:.2f}x the bare request for "
        f"the same page from the same page ({fetch:.0f} ms)"
    )
    print(
        f"  after scrolling down until all {result['loaded']:,} rows were loaded: "
        f"{result['domRows']} rows in the DOM ({result['domRows'] / result['loaded']:.1%} of them)"
    )
    frames, idle = result["scrolled"], result["idle"]
    print(
        f"  scrolling top to bottom in {frames['steps']} half-screen steps: frame p50 "
        f"{frames['p50']:.1f} ms = {frames['p50'] / idle['p50']:.2f}x, p95 {frames['p95']:.1f} ms "
        f"= {frames['p95'] / idle['p95']:.2f}x the same frames without scrolling "
        f"({idle['p50']:.1f} / {idle['p95']:.1f} ms)"
    )
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as err:
        print(f"error: {err}", file=sys.stderr)
        sys.exit(2)
