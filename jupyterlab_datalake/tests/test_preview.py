"""Previews of lake objects without downloading them, against a real S3 server (Ceph RGW):
the first rows of CSV, TSV and .csv.gz from at most 1 MiB, a Parquet file's schema and first
rows from its footer and first row group, the head of text, and every bad input said in words
(never a 500)."""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import os
import random
import sys

import pytest

from jupyterlab_datalake.tests.test_lake_browser import call, list_all, put
from jupyterlab_datalake.tests.test_transfers import TRICKY

KiB, MiB = 1024, 1024**2


@pytest.fixture
def datalake_overrides(jp_root_dir):
    return {"home_dir": str(jp_root_dir)}


async def preview(jp_fetch, key: str, area: str = "shared") -> tuple[int, dict]:
    return await call(jp_fetch, "objects", "preview", params={"area": area, "key": key})


def csv_text(rows: list[list[str]], delimiter: str = ",") -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\n").writerows(rows)
    return out.getvalue()


def table(n: int, width: int = 5, seed: int = 1) -> list[list[str]]:
    """A header and ``n`` rows with the cells that break naive parsers: quoted delimiters,
    quotes, newlines inside a field, non-ASCII text, empty cells."""
    rnd = random.Random(seed)
    header = ["id", "name, full", 'say "hi"', "note", "ünï"][:width]
    rows = [header]
    for i in range(n):
        rows.append(
            [
                str(i),
                f"name {rnd.randint(0, 10**9)}, {rnd.choice('abcdef')}",
                'He said "yes"' if i % 7 == 0 else "",
                "line one\nline two" if i % 11 == 0 else f"{rnd.random():.6f}",
                "数据" * (i % 3),
            ][:width]
        )
    return rows


# ----- tables -----------------------------------------------------------------------------


async def test_csv_preview_of_a_large_csv_reads_at_most_1_mib(jp_fetch, folder, s3_client):
    rows = table(60_000)
    body = csv_text(rows).encode()
    assert len(body) > 2 * MiB
    key = f"shared/{folder}/big table.csv"
    digest = hashlib.sha256(body).hexdigest()
    s3_client.put_object(
        Bucket="datalake",
        Key=key,
        Body=body,
        ContentType="text/csv",
        Metadata={"uploader": "alice", "sha256": digest, "source-path": "data/big.csv"},
    )
    code, reply = await preview(jp_fetch, key)
    assert code == 200, reply
    assert reply["format"] == "csv" and reply["message"] is None
    assert reply["table"]["columns"] == rows[0]
    assert reply["table"]["rows"] == rows[1:101]
    assert reply["table"]["delimiter"] == "," and reply["table"]["more"] is True
    assert 0 < reply["bytes_read"] <= MiB
    info = reply["info"]
    head = s3_client.head_object(Bucket="datalake", Key=key)
    assert info["size"] == len(body) and info["etag"] == head["ETag"].strip('"')
    assert info["content_type"] == "text/csv" and info["uploader"] == "alice"
    assert info["sha256"] == digest and info["source_path"] == "data/big.csv"
    assert info["last_modified"] == head["LastModified"].timestamp()


async def test_tsv_and_semicolon_csv_previews_whole_small_files(jp_fetch, folder, s3_client):
    rows = table(40)
    put(s3_client, f"shared/{folder}/t.tsv", csv_text(rows, "\t").encode())
    put(s3_client, f"shared/{folder}/eu.csv", csv_text(rows, ";").encode())
    for name, delimiter in (("t.tsv", "\t"), ("eu.csv", ";")):
        code, reply = await preview(jp_fetch, f"shared/{folder}/{name}")
        assert code == 200, reply
        assert reply["table"]["delimiter"] == delimiter
        assert [reply["table"]["columns"], *reply["table"]["rows"]] == rows
        assert reply["table"]["more"] is False and reply["notes"] == []


async def test_csv_gz_preview_inflates_a_bounded_prefix(jp_fetch, folder, s3_client):
    rows = table(200_000, seed=2)
    body = gzip.compress(csv_text(rows).encode(), compresslevel=1)
    assert len(body) > 2 * MiB
    key = f"shared/{folder}/events.csv.gz"
    put(s3_client, key, body)
    code, reply = await preview(jp_fetch, key)
    assert code == 200, reply
    assert reply["format"] == "csv" and reply["compressed"] is True
    assert reply["table"]["rows"] == rows[1:101] and reply["table"]["more"] is True
    assert 0 < reply["bytes_read"] <= MiB


# ----- Parquet ----------------------------------------------------------------------------


def parquet_file(rows: int, row_group: int) -> tuple[bytes, object]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    rnd = random.Random(3)
    data = pa.table(
        {
            "id": pa.array(range(rows), pa.int64()),
            "city": pa.array([f"city-{rnd.randint(0, 10**6)}" for _ in range(rows)]),
            "value": pa.array([rnd.random() if i % 5 else None for i in range(rows)]),
            "payload": pa.array([os.urandom(32).hex() for _ in range(rows)]),
        }
    )
    out = io.BytesIO()
    pq.write_table(data, out, row_group_size=row_group, compression="zstd")
    return out.getvalue(), data


async def test_parquet_preview_reads_the_footer_and_the_first_row_group(
    jp_fetch, folder, s3_client
):
    import pyarrow.parquet as pq

    body, data = parquet_file(400_000, 100_000)
    key = f"shared/{folder}/measures.parquet"
    put(s3_client, key, body)
    code, reply = await preview(jp_fetch, key)
    assert code == 200, reply
    meta = pq.ParquetFile(io.BytesIO(body)).metadata
    parquet = reply["parquet"]
    assert parquet["num_rows"] == 400_000 and parquet["num_row_groups"] == 4
    assert [c["name"] for c in parquet["columns"]] == ["id", "city", "value", "payload"]
    assert [c["type"] for c in parquet["columns"]] == ["int64", "string", "double", "string"]
    assert {c["compression"] for c in parquet["columns"]} == {"ZSTD"}
    assert [g["num_rows"] for g in parquet["row_groups"]] == [100_000] * 4
    first = data.slice(0, 100).to_pylist()
    assert reply["table"]["columns"] == ["id", "city", "value", "payload"]
    assert reply["table"]["rows"][0] == ["0", first[0]["city"], None, first[0]["payload"]]
    assert [r[1] for r in reply["table"]["rows"]] == [r["city"] for r in first]
    # At most the footer (pyarrow reads the last 64 KiB for it) and the first row group's
    # chunks, with a block of rounding at either end.
    group = meta.row_group(0)
    chunks = sum(group.column(i).total_compressed_size for i in range(group.num_columns))
    assert len(body) > 3 * chunks
    assert 0 < reply["bytes_read"] <= 64 * KiB + chunks + 2 * 64 * KiB


async def test_parquet_preview_without_pyarrow_says_how_to_install_it(
    jp_fetch, folder, s3_client, monkeypatch
):
    body, _ = parquet_file(10, 10)
    key = f"shared/{folder}/small.parquet"
    put(s3_client, key, body)
    # The server runs in this process: pyarrow missing there is pyarrow missing here.
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    code, reply = await preview(jp_fetch, key)
    assert code == 200, reply
    assert "pip install 'jupyterlab-datalake[parquet]'" in reply["message"]
    assert reply["install"] == "pip install 'jupyterlab-datalake[parquet]'"
    assert reply["info"]["size"] == len(body)


# ----- text and images --------------------------------------------------------------------


async def test_text_json_and_markdown_previews_are_bounded_heads(jp_fetch, folder, s3_client):
    lines = [json.dumps({"n": i, "text": "ü" * 50}) for i in range(5000)]
    ndjson = ("\n".join(lines) + "\n").encode()
    put(s3_client, f"shared/{folder}/events.ndjson", ndjson)
    put(s3_client, f"shared/{folder}/README.md", b"# Title\n\nSome *text*.\n")
    put(s3_client, f"shared/{folder}/photo.png", b"\x89PNG\r\n\x1a\n" + os.urandom(100))
    code, reply = await preview(jp_fetch, f"shared/{folder}/events.ndjson")
    assert code == 200, reply
    assert reply["format"] == "ndjson" and reply["text"]["truncated"] is True
    head = reply["text"]["head"]
    assert head.startswith(lines[0]) and head.endswith("\n")
    # Whole lines only: each one is the JSON it was.
    assert all(json.loads(line) for line in head.splitlines())
    assert reply["bytes_read"] <= 64 * KiB < len(ndjson)
    code, reply = await preview(jp_fetch, f"shared/{folder}/README.md")
    assert reply["format"] == "markdown"
    assert reply["text"] == {"head": "# Title\n\nSome *text*.\n", "truncated": False}
    code, reply = await preview(jp_fetch, f"shared/{folder}/photo.png")
    # The browser shows it from the download endpoint; the preview reads nothing of it.
    assert reply["format"] == "image" and reply["message"] is None and reply["bytes_read"] == 0


# ----- bad input --------------------------------------------------------------------------


async def test_truncated_parquet_is_said_to_be_damaged(jp_fetch, folder, s3_client):
    body, _ = parquet_file(20_000, 5_000)
    key = f"shared/{folder}/cut.parquet"
    put(s3_client, key, body[: len(body) // 2])
    code, reply = await preview(jp_fetch, key)
    assert code == 200, reply
    assert "not a readable Parquet file" in reply["message"]
    assert "truncated" in reply["message"] and "parquet" not in reply


async def test_ragged_last_line_is_dropped_and_said(jp_fetch, folder, s3_client):
    key = f"shared/{folder}/ragged.csv"
    put(s3_client, key, b"a,b,c\n1,2,3\n4,5,6\n7,8\n")
    code, reply = await preview(jp_fetch, key)
    assert code == 200, reply
    assert reply["table"]["rows"] == [["1", "2", "3"], ["4", "5", "6"]]
    assert reply["notes"] == [
        "The last row has 2 fields where the header has 3, as if the file were cut off; "
        "it is not shown."
    ]


async def test_row_cut_by_the_end_of_the_read_is_dropped_and_said(jp_fetch, folder, s3_client):
    # Rows of 40 KiB: the 1 MiB read ends inside row 26.
    rows = [["id", "blob"]] + [[str(i), "x" * 40 * KiB] for i in range(60)]
    key = f"shared/{folder}/wide.csv"
    put(s3_client, key, csv_text(rows).encode())
    code, reply = await preview(jp_fetch, key)
    assert code == 200, reply
    shown = reply["table"]["rows"]
    assert [r[0] for r in shown] == [str(i) for i in range(25)]
    # A long cell is cut for the grid, and says so.
    assert shown[0][1] == "x" * 1000 + "…"
    assert reply["notes"] == ["Row 26 is cut off by the end of the 1.0 MiB read; it is not shown."]
    assert reply["bytes_read"] == MiB


async def test_binary_content_named_csv_is_said_to_be_binary(jp_fetch, folder, s3_client):
    body, _ = parquet_file(100, 100)
    put(s3_client, f"shared/{folder}/really.csv", body)
    put(s3_client, f"shared/{folder}/noise.csv", b"a,b\n" + bytes(range(256)) * 10)
    code, reply = await preview(jp_fetch, f"shared/{folder}/really.csv")
    assert code == 200, reply
    assert reply["message"] == (
        "This file cannot be previewed as CSV: it holds binary data: a Parquet file, not text."
    )
    assert "table" not in reply
    code, reply = await preview(jp_fetch, f"shared/{folder}/noise.csv")
    assert reply["message"] == (
        "This file cannot be previewed as CSV: it holds binary data (NUL bytes), not text."
    )


async def test_empty_object_is_said_to_be_empty(jp_fetch, folder, s3_client):
    for name in ("empty.csv", "empty.parquet", "empty.txt"):
        put(s3_client, f"shared/{folder}/{name}", b"")
        code, reply = await preview(jp_fetch, f"shared/{folder}/{name}")
        assert code == 200, reply
        assert reply["message"] == "This object is empty (0 bytes): there is nothing to preview."
        assert reply["info"]["size"] == 0 and reply["bytes_read"] == 0


async def test_tricky_keys_are_previewed(jp_fetch, folder, s3_client):
    for name in TRICKY:
        key = f"users/tester/{folder}/{name}"
        put(s3_client, key, b"col\n" + name.encode() + b"\n")
        code, reply = await preview(jp_fetch, key, area="mine")
        assert code == 200, (name, reply)
        assert reply["key"] == key and reply["info"]["size"] == len(name.encode()) + 5
        if name.endswith(".csv"):
            assert reply["table"]["rows"] == [[name]]
        elif name.endswith(".txt"):
            assert reply["text"]["head"] == "col\n" + name + "\n"


async def test_object_deleted_after_listing_is_a_404_with_words(jp_fetch, folder, s3_client):
    key = f"shared/{folder}/gone.csv"
    put(s3_client, key, b"a\n1\n")
    _, objects, _ = await list_all(jp_fetch, "shared", folder, 100)
    assert [o["key"] for o in objects] == [key]
    s3_client.delete_object(Bucket="datalake", Key=key)
    code, reply = await preview(jp_fetch, key)
    assert code == 404
    assert reply["message"] == (
        f"{key} is not in the data lake (any more); refresh the folder to see."
    )


async def test_folders_and_keys_outside_the_areas_are_refused(jp_fetch, folder, s3_client):
    put(s3_client, f"shared/{folder}/sub/x.csv", b"a\n1\n")
    code, reply = await preview(jp_fetch, f"shared/{folder}/sub/")
    assert code == 400 and "A folder has no preview" in reply["message"]
    code, reply = await preview(jp_fetch, "users/someone-else/x.csv", area="mine")
    assert code == 403 and "is not in the My area area" in reply["message"]
    code, reply = await preview(jp_fetch, f"shared/{folder}/sub/x.csv", area="nowhere")
    assert code == 400 and "There is no area 'nowhere'" in reply["message"]
