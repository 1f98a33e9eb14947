"""'Copy Trino table' against a real S3 server (Ceph RGW): the CREATE TABLE statement for a
folder of CSV or Parquet files, read from headers and footers, and the folders it refuses."""

from __future__ import annotations

import io

import pytest

from jupyterlab_datalake.lake import tables as tables_module
from jupyterlab_datalake.tests import test_lake_browser as browser_tests
from jupyterlab_datalake.tests.test_lake_browser import call, put

home = browser_tests.home
datalake_overrides = browser_tests.datalake_overrides


async def table(jp_fetch, prefix: str, area: str = "shared", **extra) -> tuple[int, dict]:
    return await call(
        jp_fetch, "objects", "table", params={"area": area, "prefix": prefix, **extra}
    )


def parsed(statement: str) -> tuple[str, dict[str, str], dict[str, str]]:
    """The statement as a parser of Trino's grammar reads it (sqlglot's trino dialect; no
    Trino server can be installed here): the table's name, its columns with their types, and
    its WITH properties. A statement that does not parse as one CREATE TABLE fails here."""
    import sqlglot
    from sqlglot import exp

    tree = sqlglot.parse_one(statement, read="trino")
    assert isinstance(tree, exp.Create) and tree.args["kind"] == "TABLE", tree
    columns = {c.name: c.args["kind"].sql("trino") for c in tree.this.expressions}
    # Each property as the parser writes it back, "name=value" (format has a node of its own).
    properties = dict(p.sql("trino").split("=", 1) for p in tree.args["properties"].expressions)
    return tree.this.this.sql("trino"), columns, properties


def parquet(table_dict: dict, **schema) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    out = io.BytesIO()
    pq.write_table(pa.table(table_dict, schema=pa.schema(schema) if schema else None), out)
    return out.getvalue()


async def test_csv_folder_statement_is_exact(jp_fetch, folder, s3_client):
    base = f"shared/{folder}/Sales 2026/"
    header = 'Order ID,Prix (€),order id,"city, state",2nd\n'
    put(s3_client, base + "jan.csv", (header + '1,9.5,a,"x, y",z\n').encode())
    put(s3_client, base + "feb.csv", (header + "2,3,b,w,v\n").encode())
    put(s3_client, base + "_SUCCESS", b"")  # skipped, as Trino skips it
    put(s3_client, base + "empty.csv", b"")  # no rows and no header: harmless
    code, body = await table(jp_fetch, f"{folder}/Sales 2026")
    assert code == 200, body
    assert body["statement"] == (
        'CREATE TABLE "hive"."default"."sales_2026" (\n'
        '  "order_id" VARCHAR,\n'
        '  "prix" VARCHAR,\n'
        '  "order_id_2" VARCHAR,\n'
        '  "city_state" VARCHAR,\n'
        '  "_2nd" VARCHAR\n'
        ")\n"
        "WITH (\n"
        f"  external_location = 's3a://datalake/shared/{folder}/Sales 2026/',\n"
        "  format = 'CSV',\n"
        "  skip_header_line_count = 1\n"
        ")"
    )
    assert body["files"] == 3 and body["checked"] == 3 and body["format"] == "CSV"
    name, columns, properties = parsed(body["statement"])
    assert name == '"hive"."default"."sales_2026"'
    assert list(columns) == ["order_id", "prix", "order_id_2", "city_state", "_2nd"]
    assert set(columns.values()) == {"VARCHAR"}
    assert properties == {
        "external_location": f"'s3a://datalake/shared/{folder}/Sales 2026/'",
        "format": "'CSV'",
        "skip_header_line_count": "1",
    }


@pytest.mark.parametrize(
    "datalake_overrides", [{"trino_catalog": "lake", "trino_schema": "raw zone"}], indirect=True
)
async def test_name_schema_and_separator(jp_fetch, folder, s3_client):
    put(s3_client, f"shared/{folder}/t/a.csv", b"a;b\n1;2\n")
    code, body = await table(jp_fetch, f"{folder}/t", name="My Table")
    assert code == 200, body
    assert body["statement"].startswith('CREATE TABLE "lake"."raw zone"."my_table" (\n')
    assert body["statement"].endswith("  skip_header_line_count = 1,\n  csv_separator = ';'\n)")
    name, _, properties = parsed(body["statement"])
    assert name == '"lake"."raw zone"."my_table"' and properties["csv_separator"] == "';'"


async def test_parquet_types_are_mapped(jp_fetch, folder, s3_client):
    import datetime
    import decimal

    import pyarrow as pa

    data = {
        "ID": [1],
        "n32": [2],
        "x": [1.5],
        "f": [2.5],
        "s": ["a"],
        "ok": [True],
        "ts": [datetime.datetime(2026, 1, 1)],
        "d": [datetime.date(2026, 1, 1)],
        "price": [decimal.Decimal("1.23")],
        "raw": [b"\x00"],
        "tags": [["a"]],
    }
    schema = {
        "ID": pa.int64(),
        "n32": pa.int32(),
        "x": pa.float64(),
        "f": pa.float32(),
        "s": pa.string(),
        "ok": pa.bool_(),
        "ts": pa.timestamp("us"),
        "d": pa.date32(),
        "price": pa.decimal128(10, 2),
        "raw": pa.binary(),
        "tags": pa.list_(pa.string()),
    }
    body_bytes = parquet(data, **schema)
    # Bigger than the tail read, so that the footer comes from ranged reads of a larger file.
    put(s3_client, f"shared/{folder}/pq/part-0.parquet", body_bytes)
    put(s3_client, f"shared/{folder}/pq/part-1.parquet", body_bytes)
    code, body = await table(jp_fetch, f"{folder}/pq")
    assert code == 200, body
    assert [(c["name"], c["type"]) for c in body["columns"]] == [
        ("id", "BIGINT"),
        ("n32", "INTEGER"),
        ("x", "DOUBLE"),
        ("f", "REAL"),
        ("s", "VARCHAR"),
        ("ok", "BOOLEAN"),
        ("ts", "TIMESTAMP"),
        ("d", "DATE"),
        ("price", "DECIMAL(10, 2)"),
        ("raw", "VARBINARY"),
        ("tags", "ARRAY(VARCHAR)"),
    ]
    assert body["statement"].endswith(
        f"  external_location = 's3a://datalake/shared/{folder}/pq/',\n  format = 'PARQUET'\n)"
    )
    _, columns, properties = parsed(body["statement"])
    assert columns == {c["name"]: c["type"] for c in body["columns"]}
    assert properties["format"] == "'PARQUET'"


async def test_large_parquet_footer_is_read_by_ranges(jp_fetch, folder, s3_client, monkeypatch):
    import os

    # Reads of 1 KiB, so that the footer (~200 KB of statistics) takes many ranged GETs.
    monkeypatch.setattr(tables_module, "READ_BLOCK", 1024)
    data = parquet({"blob": [os.urandom(200_000)], "k": [1]})
    put(s3_client, f"shared/{folder}/big/a.parquet", data)
    code, body = await table(jp_fetch, f"{folder}/big")
    assert code == 200, body
    assert [c["type"] for c in body["columns"]] == ["VARBINARY", "BIGINT"]


async def test_refusals_say_why(jp_fetch, folder, s3_client):
    base = f"shared/{folder}/"
    put(s3_client, base + "mixed/a.csv", b"a\n1\n")
    put(s3_client, base + "mixed/b.parquet", parquet({"a": [1]}))
    put(s3_client, base + "mixed/notes.txt", b"hello")
    code, body = await table(jp_fetch, f"{folder}/mixed")
    assert code == 400
    assert "not of one format" in body["message"]
    assert "a.csv" in body["message"] and "b.parquet" in body["message"]
    assert "notes.txt" in body["message"]

    put(s3_client, base + "headers/one.csv", b"id,name\n1,a\n")
    put(s3_client, base + "headers/two.csv", b"id,name\n2,b\n")
    put(s3_client, base + "headers/three.csv", b"id,label\n3,c\n")
    code, body = await table(jp_fetch, f"{folder}/headers")
    assert code == 400
    assert "do not share one header" in body["message"]
    assert "one.csv, two.csv: id,name" in body["message"]
    assert "three.csv: id,label" in body["message"]

    put(s3_client, base + "schemas/a.parquet", parquet({"a": [1]}))
    put(s3_client, base + "schemas/b.parquet", parquet({"a": ["x"]}))
    code, body = await table(jp_fetch, f"{folder}/schemas")
    assert code == 400 and "do not share one schema" in body["message"]

    put(s3_client, base + "binary/x.csv", bytes(range(256)) * 4)
    code, body = await table(jp_fetch, f"{folder}/binary")
    assert code == 400 and "x.csv is not UTF-8 text" in body["message"]

    put(s3_client, base + "broken/x.parquet", b"PAR1 not really")
    code, body = await table(jp_fetch, f"{folder}/broken")
    assert code == 400 and "x.parquet is not a readable Parquet file" in body["message"]

    put(s3_client, base + "deep/sub/a.csv", b"a\n1\n")
    code, body = await table(jp_fetch, f"{folder}/deep")
    assert code == 400 and "sub-folders are not read" in body["message"]

    code, body = await table(jp_fetch, "")
    assert code == 400 and "Choose a folder" in body["message"]
    code, body = await table(jp_fetch, f"{folder}/x", area="nowhere")
    assert code == 400 and "There is no area" in body["message"]
