"""Previews against what a user does without them: the first 100 rows of a large Parquet
object (several row groups) and of a large CSV, as the preview reads them (ranged GETs through
ObjectReader, lake/text_preview.py and lake/parquet_preview.py, the code behind
GET /datalake/objects/preview, without the HTTP hop), against pandas `read_parquet` /
`read_csv` of the same object through s3fs, then `.head(100)`, in the same run.

Prints, for each: the bytes the preview read from S3 (goals: at most the footer and the first
row group's chunks for Parquet, at most 1 MiB for CSV) and its time as a ratio to pandas'.
Objects are written to `shared/bench-preview/` and deleted at the end (the test RGW keeps
data in a 4 GiB memstore) unless `--keep`.

S3: the endpoint and keys in AWS_ENDPOINT_URL_S3, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY
(`source /tmp/datalake-rgw/env` after `scripts/rgw.sh start`); bucket DATALAKE_BUCKET or
`datalake`. Needs pandas, pyarrow and s3fs (the demo extra).

    python bench/bench_preview.py [--size-mib 1024] [--keep]
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

import boto3
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from botocore.config import Config

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from jupyterlab_datalake.lake.parquet_preview import BUDGET, parquet_preview
from jupyterlab_datalake.lake.ranged_read import ObjectReader
from jupyterlab_datalake.lake.text_preview import TABLE_BYTES, table_preview

MiB = 1024**2
PREFIX = "shared/bench-preview/"


def client():
    return boto3.client(
        "s3",
        endpoint_url=os.environ["AWS_ENDPOINT_URL_S3"],
        region_name="us-east-1",
        config=Config(s3={"addressing_style": "path"}, max_pool_connections=16),
    )


def chunk_table(rows: int, seed: int) -> pa.Table:
    rng = np.random.default_rng(seed)
    return pa.table(
        {
            "id": np.arange(seed * rows, (seed + 1) * rows, dtype=np.int64),
            "value": rng.random(rows),
            "sensor": pa.array(rng.integers(0, 10_000, rows).astype(str)),
            "payload": pa.array(rng.integers(0, 2**62, rows).astype(str)),
        }
    )


def write_objects(s3, bucket: str, size: int, tmp: Path) -> tuple[str, str]:
    """A CSV and a Parquet file of about ``size`` bytes each, uploaded."""
    csv_path, parquet_path = tmp / "big.csv", tmp / "big.parquet"
    rows, seed = 500_000, 0
    with csv_path.open("w") as out:
        out.write("id,value,sensor,payload\n")
        while csv_path.stat().st_size < size:
            chunk_table(rows, seed).to_pandas().to_csv(out, header=False, index=False)
            out.flush()
            seed += 1
    # One row group per chunk written: a file of ~1 GiB has dozens.
    seed = 0
    with pq.ParquetWriter(parquet_path, chunk_table(1, 0).schema, compression="snappy") as writer:
        while seed == 0 or parquet_path.stat().st_size < size:
            writer.write_table(chunk_table(rows, seed))
            seed += 1
    keys = (PREFIX + "big.csv", PREFIX + "big.parquet")
    for path, key in zip((csv_path, parquet_path), keys):
        s3.upload_file(str(path), bucket, key)
    return keys


def preview(s3, bucket: str, key: str) -> tuple[float, int, int]:
    head = s3.head_object(Bucket=bucket, Key=key)
    lake = SimpleNamespace(client=s3, translated=lambda f, *a, **k: f(*a, **k))
    parquet = key.endswith(".parquet")
    start = time.perf_counter()
    reader = ObjectReader(
        lake,
        bucket,
        key,
        head["ContentLength"],
        head["ETag"].strip('"'),
        budget=BUDGET if parquet else TABLE_BYTES,
    )
    reply = parquet_preview(reader) if parquet else table_preview(reader, None, False)
    elapsed = time.perf_counter() - start
    assert len(reply["table"]["rows"]) == 100, reply.get("message")
    return elapsed, reader.bytes_read, head["ContentLength"]


def first_group(s3, bucket: str, key: str) -> str:
    """The size of the footer and of the first row group's column chunks."""
    size = s3.head_object(Bucket=bucket, Key=key)["ContentLength"]
    tail = s3.get_object(Bucket=bucket, Key=key, Range=f"bytes={size - 8}-{size - 1}")
    footer = int.from_bytes(tail["Body"].read()[:4], "little") + 8
    body = s3.get_object(Bucket=bucket, Key=key, Range=f"bytes={size - footer}-{size - 1}")
    meta = pq.read_metadata(io.BytesIO(b"PAR1" + body["Body"].read()))
    group = meta.row_group(0)
    chunks = sum(group.column(i).total_compressed_size for i in range(group.num_columns))
    return f"{footer / MiB:.2f} + {chunks / MiB:.2f} MiB of {meta.num_row_groups} row groups"


def with_pandas(bucket: str, key: str) -> float:
    options = {
        "key": os.environ["AWS_ACCESS_KEY_ID"],
        "secret": os.environ["AWS_SECRET_ACCESS_KEY"],
        "client_kwargs": {"endpoint_url": os.environ["AWS_ENDPOINT_URL_S3"]},
    }
    url = f"s3://{bucket}/{key}"
    start = time.perf_counter()
    if key.endswith(".parquet"):
        frame = pd.read_parquet(url, storage_options=options)
    else:
        frame = pd.read_csv(url, storage_options=options)
    assert len(frame.head(100)) == 100
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-mib", type=int, default=1024)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    bucket = os.environ.get("DATALAKE_BUCKET", "datalake")
    s3 = client()
    with tempfile.TemporaryDirectory() as tmp:
        keys = write_objects(s3, bucket, args.size_mib * MiB, Path(tmp))
    try:
        for key in keys:
            took, read, size = preview(s3, bucket, key)
            reference = with_pandas(bucket, key)
            extra = ""
            if key.endswith(".parquet"):
                extra = f"; goal: footer + first row group, {first_group(s3, bucket, key)}"
            print(
                f"{key.rsplit('/', 1)[-1]}: {size / MiB:.0f} MiB; preview read "
                f"{read / MiB:.2f} MiB in {took:.2f} s; pandas+s3fs {reference:.2f} s; "
                f"ratio {took / reference:.4f}{extra}"
            )
    finally:
        if not args.keep:
            s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": k} for k in keys]})


if __name__ == "__main__":
    main()
