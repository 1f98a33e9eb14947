"""Opening a 10 MiB CSV from the lake (the `datalake:` drive) against opening the same file from
home, through the two contents APIs, as JupyterLab's CSV viewer asks for it.

Opening a document is two requests: the model without content (the document manager's check
that the file is there) and then the model with its text. The bench starts a Jupyter server
against the test RGW (scripts/rgw.sh; `source $RGW_DIR/env` first), puts the same CSV into home
and into shared/, and times both ways, alternating, after one warm-up each. It prints the
medians and their ratio, lake/home (goal: at most 1.5).

    python bench/bench_open.py [--size-mib 10] [--runs 9]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

import boto3
from botocore.config import Config

sys.path.insert(0, str(Path(__file__).parent))
from bench_usage_server import Server


def csv_bytes(size: int) -> bytes:
    row = b"2026-12-02T10:00:00,sensor-0042,21.375,ok,some free text here\n"
    return b"time,sensor,value,state,note\n" + row * (size // len(row))


def timed(server: Server, paths: list[str]) -> float:
    start = time.perf_counter()
    for path in paths:
        server.get(path)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-mib", type=float, default=10)
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    if not os.environ.get("AWS_ENDPOINT_URL_S3"):
        raise SystemExit("Start the test RGW and `source $RGW_DIR/env` first.")
    data = csv_bytes(int(args.size_mib * 1024**2))
    key = "shared/bench-open/table.csv"
    s3 = boto3.client(
        "s3",
        endpoint_url=os.environ["AWS_ENDPOINT_URL_S3"],
        config=Config(s3={"addressing_style": "path"}),
    )
    bucket = os.environ.get("DATALAKE_BUCKET", "datalake")
    s3.put_object(Bucket=bucket, Key=key, Body=data)
    with tempfile.TemporaryDirectory() as home:
        Path(home, "table.csv").write_bytes(data)
        server = Server(Path(home))
        try:
            lake_path = urllib.parse.quote("shared/bench-open/table.csv")
            ways = {
                "home": [
                    "/api/contents/table.csv?content=0",
                    "/api/contents/table.csv?type=file&format=text&content=1",
                ],
                "lake": [
                    f"/datalake/contents?path={lake_path}&content=0",
                    f"/datalake/contents?path={lake_path}&type=file&format=text&content=1",
                ],
            }
            times: dict[str, list[float]] = {name: [] for name in ways}
            for paths in ways.values():
                timed(server, paths)  # warm-up: the boto3 client, caches
            for _ in range(args.runs):
                for name, paths in ways.items():
                    times[name].append(timed(server, paths))
        finally:
            server.stop()
            s3.delete_object(Bucket=bucket, Key=key)
    home_s, lake_s = (statistics.median(times[n]) for n in ("home", "lake"))
    print(f"{len(data) / 1024**2:.1f} MiB CSV, median of {args.runs} opens")
    print(f"home (/api/contents):      {home_s * 1000:8.1f} ms")
    print(f"lake (/datalake/contents): {lake_s * 1000:8.1f} ms")
    print(f"ratio lake/home: {lake_s / home_s:.2f} (goal <= 1.5)")


if __name__ == "__main__":
    main()
