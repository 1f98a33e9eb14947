"""Download of a large object from the data lake into home: is the server extension as fast as
the guide's own boto3 `download_file` and as `aws s3 cp`, with its verification on, and does
the server's memory stay flat?

Writes a file of incompressible data (1 GiB by default), puts it in the test RGW the way the
guide does (boto3 `upload_file`, default TransferConfig: a multipart object whose ETag is the MD5
of its 8 MiB parts' MD5s, no `sha256` metadata), or with `--seed extension` through the
extension's own upload (which stores a `sha256` in the metadata). Then, in one run of `--repeat`
alternating rounds, it downloads that object:

- through the extension: `POST /datalake/transfers` (direction download, into a folder of
  home) polled every 50 ms until `state: done`, as the frontend does; the extension verifies
  what it wrote (the item's message says how);
- with boto3 `download_file` (default TransferConfig, no verification) in this process;
- with Debian's `aws s3 cp` (its defaults, no verification).

All three write to the same filesystem. It prints the ratios of the medians (a ratio above 1 is
the extension being faster) and the growth of the server's resident memory (peak VmRSS of the
server and its children during the downloads, over the VmRSS before the first). Every file
downloaded, by any of the three, is compared with the source's SHA-256 outside the timing; the
bench exits non-zero if one differs.

S3 and awscli as in bench_transfer.py (RGW_DIR, RGW_PORT and RGW_MON_PORT choose the gateway).

    python bench/bench_download.py [--size 1GiB] [--repeat 3] [--seed boto3|extension] [--json]
    python bench/bench_download.py --py-spy /tmp/download.json [--gil]   # then one more under py-spy
    RGW_DIR=/tmp/my-rgw RGW_PORT=7490 RGW_MON_PORT=3390 python bench/bench_download.py --size 256MiB
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_transfer import (
    BLOCK,
    FILE_NAME,
    S3,
    AwsCli,
    BenchError,
    MiB,
    RssSampler,
    Server,
    add_server_arg,
    extension_upload,
    hash_line,
    human,
    log,
    make_file,
    record,
    transfer_key,
)
from botocore.exceptions import BotoCoreError, ClientError
from cpu import Meter, hash_costs

from jupyterlab_datalake.config import parse_size

SEED_KEY = f"shared/bench/{FILE_NAME}"
FOLDER = "downloads"  # in home, where the extension downloads to


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb", buffering=0) as f:
        for chunk in iter(lambda: f.read(BLOCK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def extension_download(server: Server, key: str, size: int) -> dict:
    """One download through the extension, timed from the POST to `done` seen by a 50 ms poll."""
    sampler = RssSampler(server.process.pid)
    sampler.start()
    body = {
        "direction": "download",
        "area": "shared",
        "sources": [key],
        "destination": FOLDER,
        "conflict": "overwrite",
    }
    deadline = time.monotonic() + max(600, size / MiB)
    try:
        started = time.perf_counter()
        status, reply = server.call("/datalake/transfers", "POST", json.dumps(body).encode())
        if status != 201:
            raise BenchError(f"POST /datalake/transfers: HTTP {status}: {reply[:500]!r}")
        transfer = json.loads(reply)
        while transfer["state"] not in ("done", "failed", "cancelled"):
            if time.monotonic() > deadline:
                raise BenchError(f"download still {transfer['state']} after its deadline")
            time.sleep(0.05)
            transfer = json.loads(server.get(f"/datalake/transfers/{transfer['id']}"))
        seconds = time.perf_counter() - started
    finally:
        sampler.stop()
    if transfer["state"] != "done":
        raise BenchError(f"download ended {transfer['state']}: {transfer.get('message')}")
    items = transfer.get("items") or [{}]
    return {
        "seconds": seconds,
        "rss_before": sampler.baseline_tree,
        "rss_peak": sampler.peak_tree,
        "verified": items[-1].get("message"),
    }


def timed(run) -> float:
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="1GiB", help="object size: bytes, or like 256MiB, 1GiB")
    parser.add_argument("--repeat", type=int, default=3, help="timed downloads of each kind")
    parser.add_argument(
        "--seed",
        choices=("boto3", "extension"),
        default="boto3",
        help="how the object is put in the lake: boto3 upload_file (ETag only) or the "
        "extension's upload (sha256 metadata)",
    )
    parser.add_argument("--dir", type=Path, help="work folder (default: a new one in /tmp)")
    parser.add_argument("--json", action="store_true", help="print a JSON summary instead")
    parser.add_argument(
        "--py-spy",
        type=Path,
        metavar="FILE",
        help="after the bench, profile one more download with py-spy into FILE (speedscope JSON)",
    )
    parser.add_argument(
        "--gil", action="store_true", help="with --py-spy: only samples that hold the GIL"
    )
    add_server_arg(parser)
    args = parser.parse_args()
    size = parse_size(args.size)

    work = args.dir or Path(tempfile.mkdtemp(prefix="datalake-bench-download-"))
    home = work / "home"
    (home / FOLDER).mkdir(parents=True, exist_ok=True)
    source, target = home / FILE_NAME, home / FOLDER / FILE_NAME
    reference = work / "reference.bin"  # boto3's and awscli's downloads, outside home
    s3 = server = None
    key = SEED_KEY
    try:
        log(f"writing {human(size)} to {source}")
        sha256 = make_file(source, size)
        s3 = S3()
        aws = AwsCli(s3, work)
        server = Server(home, s3, work / "server.log", args.server_arg)
        if args.seed == "boto3":
            s3.client.upload_file(str(source), s3.bucket, key)
        else:
            key = transfer_key(s3, extension_upload(server, FILE_NAME, size, False)["transfer"])
        hashes = hash_costs(source)
        source.unlink()
        head = s3.head(key)
        log(f"seeded {key}: ETag {head['ETag']}, metadata {sorted(head.get('Metadata', {}))}")

        def boto3_download() -> None:
            s3.client.download_file(s3.bucket, key, str(reference))

        def aws_download() -> None:
            aws.run(
                [
                    "s3", "cp", f"s3://{s3.bucket}/{key}", str(reference),
                    "--endpoint-url", s3.endpoint, "--only-show-errors",
                ]
            )  # fmt: skip

        def check(path: Path, who: str) -> None:
            if file_sha256(path) != sha256:
                raise BenchError(f"{who} downloaded a file that differs from the source")
            path.unlink()

        # Warm-up, not timed: S3 connections, the server's lazy imports, awscli's start.
        log("warm-up: each of the three once")
        first = extension_download(server, key, size)
        check(target, "the extension")
        boto3_download()
        check(reference, "boto3")
        aws_download()
        check(reference, "aws s3 cp")

        runs: dict[str, list[float]] = {"extension": [], "boto3": [], "aws": []}
        ext_runs = []
        meter = Meter(server.process.pid, s3.rgw_dir)
        order = ["extension", "boto3", "aws"]
        for i in range(args.repeat):
            for kind in order[i % 3 :] + order[: i % 3]:
                log(f"run {i + 1}/{args.repeat}: {kind}")
                if kind == "extension":
                    ext_runs.append(
                        meter.run(kind, "server", lambda: extension_download(server, key, size))
                    )
                    runs[kind].append(ext_runs[-1]["seconds"])
                    check(target, "the extension")
                elif kind == "boto3":
                    runs[kind].append(meter.run(kind, "self", lambda: timed(boto3_download)))
                    check(reference, "boto3")
                else:
                    runs[kind].append(meter.run(kind, "children", lambda: timed(aws_download)))
                    check(reference, "aws s3 cp")
        if args.py_spy:
            log(f"an extension download under py-spy, into {args.py_spy}")
            record(server, args.py_spy, lambda: extension_download(server, key, size), args.gil)
            check(target, "the extension")
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
            try:
                s3.delete(key)
            except (BotoCoreError, ClientError, subprocess.SubprocessError) as err:
                log(f"could not remove the bench's object: {err}")
            s3.stop()
        if args.dir is None:
            shutil.rmtree(work, ignore_errors=True)
        else:
            shutil.rmtree(home, ignore_errors=True)
            reference.unlink(missing_ok=True)

    ext, boto, cli = (statistics.median(runs[k]) for k in ("extension", "boto3", "aws"))
    transfers = [first, *ext_runs]
    growth = max(r["rss_peak"] for r in transfers) - first["rss_before"]
    summary = {
        "size": size,
        "repeat": args.repeat,
        "seed": args.seed,
        "etag": head["ETag"],
        "awscli": aws.version,
        "seconds": runs,
        "ratio_vs_boto3_download_file": boto / ext,
        "ratio_vs_aws_s3_cp": cli / ext,
        "ratio_vs_aws_s3_cp_without_its_startup": (cli - aws.startup) / ext,
        "extension_mib_s": size / MiB / ext,
        "rss_growth_mib": growth / MiB,
        "verified": first["verified"],
        "cpu_seconds": meter.summary(),
        "hash_cpu_seconds_per_gib": hashes,
    }
    if args.json:
        print(json.dumps(summary, indent=2))
        return 0
    print(f"download {human(size)} seeded by {args.seed} (ETag {head['ETag']}), {aws.version}")
    print(
        f"  median of {args.repeat}: extension / boto3 download_file: {boto / ext:.2f} "
        f"(goal >= 1.0); extension / aws s3 cp: {cli / ext:.2f} "
        f"({summary['ratio_vs_aws_s3_cp_without_its_startup']:.2f} without its start-up)"
    )
    print(f"  server peak RSS growth: {growth / MiB:.0f} MiB over {len(transfers)} downloads")
    print(f"  the extension's check: {first['verified']}")
    print("CPU of the median run of each (the client, and the gateway, which shares the CPUs):")
    print("\n".join(meter.report(["extension", "boto3", "aws"], "boto3", size / 1024**3)))
    print(hash_line(hashes))
    return 0


if __name__ == "__main__":
    sys.exit(main())
