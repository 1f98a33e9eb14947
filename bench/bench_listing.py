"""Browsing a large folder of the data lake: does `GET /datalake/objects` cost about what the
S3 listing behind it costs, and does the server keep nothing of a listing once it is sent?

Seeds (once; a marker object says it was done) 100,000 small objects in one folder of the
user's own area (`users/bench/flat/`) and 10,000 in a tree in the shared area
(`shared/bench-tree/`: 10 folders of 10 sub-folders of 100 objects), starts a Jupyter server with
`--DataLake.username=bench`, and prints, each against a reference measured in the same run:

- the time to the first page of `GET /datalake/objects` (read and parsed, over a kept-alive
  connection) for the 100,000-object folder, the top of the tree and one of its leaf folders, as
  a ratio to boto3's `list_objects_v2` of the same prefix with Delimiter '/' and the same page
  size, on a warm client made once: medians and p90 of `--repeat` interleaved requests
  (goal: <= 1.2);
- the time to walk all pages of the 100,000-object folder by `next_cursor`, as a ratio to
  walking it with boto3's paginator (the two walks in step, a page of each in turn), after
  checking that the walk returned every key exactly once; and the server's VmRSS before, at its
  peak during, and after the walks (information).

`--small` seeds and lists 10,000 and 1,000 objects instead (in `flat-small/` and
`bench-tree-small/`), for a quick run. `--cleanup` deletes what either seeded, runs RGW's garbage
collection, and exits.

S3: as bench_transfer.py; with AWS_ENDPOINT_URL_S3 set, that endpoint and the AWS_* keys;
otherwise the RGW of `scripts/rgw.sh`, started if nothing answers on RGW_PORT and then stopped
again at the end (which loses the seed unless `--keep-rgw`).

    python bench/bench_listing.py [--small] [--repeat 20] [--walks 3] [--page-size 500]
    python bench/bench_listing.py --cleanup
"""

from __future__ import annotations

import argparse
import http.client
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError
from botocore.exceptions import ConnectionError as S3ConnectionError

sys.path.insert(0, str(Path(__file__).parent))
from bench_transfer import S3, BenchError, RssSampler, Server, log, percentile, vmrss

USER = "bench"
USER_PREFIX = f"users/{USER}/"
MARKERS = USER_PREFIX + ".bench-listing-seeded/"
PAGE_SIZE = 500  # the endpoint's default
SEED_THREADS = 32
DELETE_BATCH = 1000
MiB = 1024**2


@dataclass(frozen=True)
class Dataset:
    flat: str  # folder in the user's area
    flat_count: int
    tree: str  # folder in shared/
    tree_shape: tuple[int, int, int]  # folders, sub-folders in each, objects in each

    @property
    def flat_prefix(self) -> str:
        return f"{USER_PREFIX}{self.flat}/"

    @property
    def tree_prefix(self) -> str:
        return f"shared/{self.tree}/"

    @property
    def tree_count(self) -> int:
        top, sub, leaf = self.tree_shape
        return top * sub * leaf

    def flat_keys(self) -> Iterator[str]:
        return (f"{self.flat_prefix}obj-{i:06d}.csv" for i in range(self.flat_count))

    def tree_keys(self) -> Iterator[str]:
        top, sub, leaf = self.tree_shape
        for a in range(top):
            for b in range(sub):
                for c in range(leaf):
                    yield f"{self.tree_prefix}d{a:02d}/s{b:02d}/obj-{c:04d}.csv"


FULL = Dataset("flat", 100_000, "bench-tree", (10, 10, 100))
SMALL = Dataset("flat-small", 10_000, "bench-tree-small", (10, 10, 10))


def retrying(func: Callable, *args, **kwargs):
    """S3 calls that outlast a gateway restart (the tests sharing an RGW do that): retry
    connection failures for up to two minutes."""
    deadline = time.monotonic() + 120
    while True:
        try:
            return func(*args, **kwargs)
        except S3ConnectionError:
            if time.monotonic() > deadline:
                raise
            time.sleep(1)


def pooled_client(s3: S3):
    """A client like the bench's, with a connection for each seeding thread."""
    return boto3.client(
        "s3",
        endpoint_url=s3.endpoint,
        region_name=s3.env["AWS_REGION"],
        aws_access_key_id=s3.env["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=s3.env["AWS_SECRET_ACCESS_KEY"],
        config=s3.client.meta.config.merge(Config(max_pool_connections=SEED_THREADS)),
    )


def marker_count(s3: S3, name: str) -> int | None:
    try:
        body = s3.client.get_object(Bucket=s3.bucket, Key=MARKERS + name)["Body"].read()
        return json.loads(body)["objects"]
    except ClientError as err:
        if err.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
            return None
        raise


def seed(s3: S3, name: str, keys: Iterator[str], count: int) -> float | None:
    """Put `count` small objects unless the marker says they are there; the seconds it took,
    None if it was already done. The marker is written last, so a seed cut short is redone."""
    if marker_count(s3, name) == count:
        return None
    log(f"seeding {count:,} objects for {name!r} with {SEED_THREADS} threads")
    client = pooled_client(s3)

    def put(item: tuple[int, str]) -> None:
        number, key = item
        body = f"id,name\n{number},{key.rsplit('/', 1)[-1]}\n".encode()
        retrying(client.put_object, Bucket=s3.bucket, Key=key, Body=body)

    started = time.perf_counter()
    with ThreadPoolExecutor(SEED_THREADS) as pool:
        for done, _ in enumerate(pool.map(put, enumerate(keys)), 1):
            if done % 10_000 == 0:
                log(f"  {done:,} / {count:,}")
    seconds = time.perf_counter() - started
    s3.client.put_object(
        Bucket=s3.bucket, Key=MARKERS + name, Body=json.dumps({"objects": count}).encode()
    )
    return seconds


def nagle_note(s3: S3) -> str | None:
    """Why the ratios may be noise: a beast frontend without tcp_nodelay=1 (scripts/rgw.sh's)
    delays some responses by a delayed ACK, 40 ms, on some connections and not others."""
    conf = s3.rgw_dir / "ceph.conf" if s3.rgw_dir else None
    if conf is None or not conf.exists():
        return None
    for line in conf.read_text().splitlines():
        if line.strip().startswith("rgw frontends") and "tcp_nodelay=1" not in line:
            return (
                f"note: {conf} has `{line.strip()}` without tcp_nodelay=1; a keep-alive "
                "connection to it may wait 40 ms (Nagle and delayed ACK) for every response, "
                "the server's or the bench's at random, which can swamp these ratios"
            )
    return None


def cleanup(s3: S3) -> int:
    """Delete both datasets and their markers in DeleteObjects batches; the number deleted."""
    prefixes = [p for d in (FULL, SMALL) for p in (d.flat_prefix, d.tree_prefix)] + [MARKERS]
    client = pooled_client(s3)
    deleted = 0
    for prefix in prefixes:
        pages = client.get_paginator("list_objects_v2").paginate(
            Bucket=s3.bucket, Prefix=prefix, PaginationConfig={"PageSize": DELETE_BATCH}
        )
        batches = ([{"Key": o["Key"]} for o in page.get("Contents", [])] for page in pages)

        def delete(batch: list[dict]) -> int:
            if not batch:
                return 0
            reply = retrying(
                client.delete_objects,
                Bucket=s3.bucket,
                Delete={"Objects": batch, "Quiet": True},
            )
            if reply.get("Errors"):
                raise BenchError(f"DeleteObjects: {reply['Errors'][:3]}")
            return len(batch)

        # pool.map lists the whole prefix first (it submits every batch at once), then deletes.
        with ThreadPoolExecutor(4) as pool:
            here = sum(pool.map(delete, batches))
        if here:
            log(f"  deleted {here:,} under {prefix}")
        deleted += here
    log("RGW garbage collection (radosgw-admin gc process --include-all)")
    s3.collect_garbage()
    return deleted


class Api:
    """GETs to the Jupyter server over one kept-alive connection, as a browser sends them:
    with the token once, then with the login cookie the server set in return (``cookie``
    False: the token on every request, as a script would, which costs the server a new
    signed cookie each time)."""

    def __init__(self, server: Server, cookie: bool = True):
        self.server = server
        self.connection: http.client.HTTPConnection | None = None
        self.use_cookie = cookie
        self.cookies: dict[str, str] = {}

    def headers(self) -> dict[str, str]:
        if self.use_cookie and self.cookies:
            return {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        return {"Authorization": f"token {self.server.token}"}

    def get_json(self, path: str) -> dict:
        for attempt in (1, 2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection(
                    "127.0.0.1", self.server.port, timeout=120
                )
            try:
                self.connection.request("GET", path, headers=self.headers())
                response = self.connection.getresponse()
                body = response.read()
                for header in response.headers.get_all("Set-Cookie") or []:
                    name, _, rest = header.partition("=")
                    self.cookies[name.strip()] = rest.split(";", 1)[0]
            except (http.client.HTTPException, OSError):
                self.connection.close()
                self.connection = None
                if attempt == 2:
                    raise
                continue
            if response.status != 200:
                text = body.decode(errors="replace")[:1000]
                raise BenchError(f"GET {path}: HTTP {response.status}: {text}")
            return json.loads(body)
        raise AssertionError("unreachable")


@dataclass(frozen=True)
class Case:
    label: str
    area: str
    prefix: str  # folder inside the area
    key_prefix: str
    folders: int  # expected on the first page
    objects: int


def query(case: Case, page_size: int, cursor: str | None = None) -> str:
    params = {"area": case.area, "prefix": case.prefix}
    if page_size != PAGE_SIZE:
        params["limit"] = str(page_size)
    if cursor:
        params["cursor"] = cursor
    return "/datalake/objects?" + urlencode(params)


def endpoint_first_page(api: Api, case: Case, page_size: int) -> tuple[float, list[str], bool]:
    started = time.perf_counter()
    page = api.get_json(query(case, page_size))
    seconds = time.perf_counter() - started
    keys = [f["key"] for f in page["folders"]] + [o["key"] for o in page["objects"]]
    return seconds, keys, page["next_cursor"] is not None


def boto_first_page(s3: S3, case: Case, page_size: int) -> tuple[float, list[str], bool]:
    started = time.perf_counter()
    page = s3.client.list_objects_v2(
        Bucket=s3.bucket, Prefix=case.key_prefix, Delimiter="/", MaxKeys=page_size
    )
    seconds = time.perf_counter() - started
    keys = [p["Prefix"] for p in page.get("CommonPrefixes", [])] + [
        o["Key"] for o in page.get("Contents", []) if o["Key"] != case.key_prefix
    ]
    return seconds, keys, page["IsTruncated"]


def endpoint_pages(api: Api, case: Case, page_size: int) -> Iterator[list[str]]:
    """The keys of each page of a folder through the endpoint, following next_cursor."""
    cursor = None
    while True:
        page = api.get_json(query(case, page_size, cursor))
        yield [f["key"] for f in page["folders"]] + [o["key"] for o in page["objects"]]
        cursor = page["next_cursor"]
        if not cursor:
            return


def boto_pages(s3: S3, case: Case, page_size: int) -> Iterator[list[str]]:
    """The keys of each page of a folder through boto3's paginator."""
    paginator = s3.client.get_paginator("list_objects_v2").paginate(
        Bucket=s3.bucket,
        Prefix=case.key_prefix,
        Delimiter="/",
        PaginationConfig={"PageSize": page_size},
    )
    for page in paginator:
        yield [p["Prefix"] for p in page.get("CommonPrefixes", [])] + [
            o["Key"] for o in page.get("Contents", []) if o["Key"] != case.key_prefix
        ]


def walk_in_step(walks: dict[str, Iterator[list[str]]], flip: bool) -> dict[str, dict]:
    """Walk both a page at a time, taking turns at going first, so that both see the same load
    on a shared machine; the time each spent, its keys and its number of pages."""
    results: dict[str, dict] = {kind: {"seconds": 0.0, "keys": [], "pages": 0} for kind in walks}
    active = list(walks)
    turn = int(flip)
    while active:
        for kind in list(active) if turn % 2 == 0 else active[::-1]:
            result = results[kind]
            started = time.perf_counter()
            keys = next(walks[kind], None)
            result["seconds"] += time.perf_counter() - started
            if keys is None:
                active.remove(kind)
            else:
                result["keys"] += keys
                result["pages"] += 1
        turn += 1
    return results


def ms(seconds: float) -> str:
    return f"{seconds * 1e3:.1f} ms"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", action="store_true", help="10,000 and 1,000 objects")
    parser.add_argument("--repeat", type=int, default=20, help="first-page requests of each kind")
    parser.add_argument("--walks", type=int, default=3, help="full walks of each, in step")
    parser.add_argument("--page-size", type=int, default=PAGE_SIZE, help="1 to 1000")
    parser.add_argument("--cleanup", action="store_true", help="delete the seeded objects, exit")
    parser.add_argument("--keep-rgw", action="store_true", help="leave an RGW it started running")
    parser.add_argument(
        "--token-auth", action="store_true", help="the token on every request, no cookie"
    )
    args = parser.parse_args()
    data = SMALL if args.small else FULL
    page_size = args.page_size
    top, _, leaf = data.tree_shape
    cases = [
        Case(
            f"mine/{data.flat}/",
            "mine",
            data.flat,
            data.flat_prefix,
            0,
            min(page_size, data.flat_count),
        ),
        Case(f"shared/{data.tree}/", "shared", data.tree, data.tree_prefix, top, 0),
        Case(
            f"shared/{data.tree}/d03/s07/",
            "shared",
            f"{data.tree}/d03/s07",
            f"{data.tree_prefix}d03/s07/",
            0,
            min(page_size, leaf),
        ),
    ]
    flat = cases[0]

    work = Path(tempfile.mkdtemp(prefix="datalake-bench-listing-"))
    home = work / "home"
    home.mkdir()
    server_log = work / "server.log"
    s3 = server = None
    try:
        s3 = S3()
        print(f"S3: {s3.endpoint}, bucket {s3.bucket}")
        if args.cleanup:
            started = time.perf_counter()
            deleted = cleanup(s3)
            print(f"deleted {deleted:,} objects in {time.perf_counter() - started:.0f} s")
            return 0

        seeded = {
            data.flat_prefix: seed(s3, data.flat, data.flat_keys(), data.flat_count),
            data.tree_prefix: seed(s3, data.tree, data.tree_keys(), data.tree_count),
        }
        counts = {data.flat_prefix: data.flat_count, data.tree_prefix: data.tree_count}
        for prefix, seconds in seeded.items():
            how = (
                "already seeded"
                if seconds is None
                else f"seeded in {seconds:.0f} s, {counts[prefix] / seconds:.0f} objects/s"
            )
            print(f"{prefix}: {counts[prefix]:,} objects ({how}; information only)")

        server = Server(home, s3, server_log, [f"--DataLake.username={USER}"])
        api = Api(server, cookie=not args.token_auth)

        # Warm-up, not timed: the server builds its boto3 client on first use, and both sides
        # open their connections.
        for case in cases:
            endpoint_first_page(api, case, page_size)
            boto_first_page(s3, case, page_size)

        # First pages, interleaved: each round asks every case once of each, the order of the
        # two alternating from round to round.
        times: dict[str, dict[str, list[float]]] = {c.label: {"ep": [], "s3": []} for c in cases}
        problems: list[str] = []
        status: list[float] = []  # what any request to the server costs, for comparison
        for i in range(args.repeat):
            started = time.perf_counter()
            api.get_json("/api/status")
            status.append(time.perf_counter() - started)
            for case in cases:
                results = {}
                for kind in ("ep", "s3") if i % 2 == 0 else ("s3", "ep"):
                    get = endpoint_first_page if kind == "ep" else boto_first_page
                    seconds, keys, more = get(api if kind == "ep" else s3, case, page_size)
                    times[case.label][kind].append(seconds)
                    results[kind] = (keys, more)
                if results["ep"] != results["s3"] and len(problems) < 10:
                    problems.append(f"{case.label}: the endpoint's first page differs from S3's")
                if i == 0:
                    keys, more = results["ep"]
                    wanted = case.folders + case.objects
                    if len(keys) != wanted:
                        problems.append(
                            f"{case.label}: first page has {len(keys)} entries, expected "
                            f"{wanted}; run --cleanup and seed again"
                        )

        # Whole-folder walks, the two in step; the server's memory sampled throughout.
        rss_before = vmrss(server.process.pid)
        sampler = RssSampler(server.process.pid)
        sampler.start()
        walk_times: dict[str, list[float]] = {"ep": [], "s3": []}
        walk_pages: dict[str, int] = {}
        walks_ok = True
        try:
            for i in range(args.walks):
                log(f"walk {i + 1}/{args.walks} (the endpoint and boto3's paginator in step)")
                walks = {
                    "ep": endpoint_pages(api, flat, page_size),
                    "s3": boto_pages(s3, flat, page_size),
                }
                for kind, result in walk_in_step(walks, flip=i % 2 == 1).items():
                    walk_times[kind].append(result["seconds"])
                    walk_pages[kind] = result["pages"]
                    keys = result["keys"]
                    unique = set(keys)
                    who = "endpoint" if kind == "ep" else "boto3"
                    if len(keys) != data.flat_count or len(unique) != len(keys):
                        walks_ok = False
                        problems.append(
                            f"{who} walk {i + 1}: {len(keys):,} keys, {len(unique):,} distinct, "
                            f"expected {data.flat_count:,}"
                        )
                    elif unique != set(data.flat_keys()):
                        walks_ok = False
                        problems.append(f"{who} walk {i + 1}: not the seeded keys")
        finally:
            sampler.stop()
        rss_after = vmrss(server.process.pid)
    except (BenchError, BotoCoreError, ClientError, OSError, subprocess.CalledProcessError) as err:
        log(f"error: {err}")
        if server is not None:
            log(f"last lines of the server log ({server_log}):")
            log("\n".join(server_log.read_text(errors="replace").splitlines()[-30:]))
        return 2
    finally:
        if server is not None:
            server.stop()
        if s3 is not None:
            if args.keep_rgw and s3.started_here:
                log(f"the RGW in {s3.rgw_dir} is left running (scripts/rgw.sh stop stops it)")
            else:
                s3.stop()
        shutil.rmtree(work, ignore_errors=True)

    print(
        f"first page (page size {page_size}), endpoint / boto3 list_objects_v2, "
        f"{args.repeat} interleaved requests of each:"
    )
    width = max(len(c.label) for c in cases)
    excess = []
    for case in cases:
        ep, ref = times[case.label]["ep"], times[case.label]["s3"]
        ep50, ref50 = statistics.median(ep), statistics.median(ref)
        ep90, ref90 = percentile(ep, 90), percentile(ref, 90)
        excess.append(ep50 - ref50)
        entries = (
            f"{case.folders} folders" if case.folders else f"{case.objects} objects"
        ) + " on it"
        print(
            f"  {case.label:<{width}}  median {ep50 / ref50:.2f}, p90 {ep90 / ref90:.2f}"
            f"  (goal <= 1.1; {entries}; endpoint {ms(ep50)}, p90 {ms(ep90)}; "
            f"boto3 {ms(ref50)}, p90 {ms(ref90)})"
        )
    print(
        f"  the endpoint's median excess over boto3: {ms(min(excess))} to {ms(max(excess))}; "
        f"GET /api/status, any request's cost, takes {ms(statistics.median(status))}"
    )
    ep_walk, ref_walk = statistics.median(walk_times["ep"]), statistics.median(walk_times["s3"])
    print(
        f"walk of {flat.label} ({data.flat_count:,} objects), median of {args.walks} in step: "
        f"endpoint / boto3 paginator {ep_walk / ref_walk:.2f} "
        f"({walk_pages['ep']} pages by next_cursor, {walk_pages['s3']} by the paginator; "
        f"endpoint {ep_walk:.2f} s, boto3 {ref_walk:.2f} s)"
    )
    print(
        f"  every walk: {data.flat_count:,} keys, no duplicates, the seeded ones: "
        f"{'yes' if walks_ok else 'NO'}"
    )
    print(
        f"server VmRSS (information): {rss_before / MiB:.0f} MiB before the walks, "
        f"peak {sampler.peak_main / MiB:.0f} MiB during, {rss_after / MiB:.0f} MiB after "
        f"({(rss_after - rss_before) / MiB:+.1f} MiB)"
    )
    note = nagle_note(s3)
    if note:
        print(note)
    for problem in problems:
        print(f"PROBLEM: {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
