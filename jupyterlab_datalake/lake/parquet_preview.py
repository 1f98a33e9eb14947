"""A Parquet object's schema and first rows, read with pyarrow through ranged GETs.

pyarrow reads the footer first (the end of the object: the schema, the row groups and where
each column chunk lies), then, for the first rows, only the first row group's chunks of the
columns shown; with ``pre_buffer`` off and a read buffer, it reads those chunks a page at a
time, so that 100 rows of a 1 GiB file cost the footer and a few pages rather than the row
group. pyarrow is an optional extra (``jupyterlab-datalake[parquet]``): without it the reply
says how to get Parquet previews.
"""

from __future__ import annotations

import datetime
import json
from typing import Any

from .ranged_read import KiB, MiB, ObjectReader
from .text_preview import MAX_CELL, ROWS

MAX_COLUMNS = 50  # shown in the rows; the schema lists every column
MAX_ROW_GROUPS = 100  # listed in the reply; the count is always given
BUFFER = 64 * KiB
BUDGET = 64 * MiB
INSTALL = "pip install 'jupyterlab-datalake[parquet]'"


def parquet_preview(reader: ObjectReader) -> dict[str, Any]:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        return {
            "message": "Parquet previews need pyarrow on the Jupyter server. Ask your hub admin "
            f"to install it, or install it yourself: {INSTALL}, then restart the server.",
            "install": INSTALL,
        }
    try:
        parquet = pq.ParquetFile(reader, buffer_size=BUFFER, pre_buffer=False)
    except (pa.ArrowException, OSError) as err:
        return {
            "message": "This is not a readable Parquet file: its footer, which holds the "
            f"schema, is missing or damaged (a truncated upload?). pyarrow says: {err}"
        }
    meta = parquet.metadata
    schema = parquet.schema_arrow
    first = meta.row_group(0) if meta.num_row_groups else None
    columns = [
        {"name": field.name, "type": str(field.type), "nullable": field.nullable}
        for field in schema
    ]
    if first is not None:
        # Compression is per column chunk; the first row group's is what writers use for all.
        leaves = {first.column(i).path_in_schema: first.column(i) for i in range(first.num_columns)}
        for column in columns:
            chunk = leaves.get(column["name"])
            column["compression"] = chunk.compression if chunk is not None else None
    reply: dict[str, Any] = {
        "parquet": {
            "num_rows": meta.num_rows,
            "num_row_groups": meta.num_row_groups,
            "created_by": meta.created_by,
            "format_version": meta.format_version,
            "columns": columns,
            "row_groups": [
                {
                    "num_rows": meta.row_group(i).num_rows,
                    "total_byte_size": meta.row_group(i).total_byte_size,
                }
                for i in range(min(meta.num_row_groups, MAX_ROW_GROUPS))
            ],
        },
        "notes": [],
    }
    if first is None or first.num_rows == 0:
        reply["notes"].append("The file holds no rows.")
        return reply
    shown = schema.names[:MAX_COLUMNS]
    if len(schema.names) > MAX_COLUMNS:
        reply["notes"].append(f"The rows show the first {MAX_COLUMNS} of {len(schema)} columns.")
    try:
        batches = parquet.iter_batches(
            batch_size=ROWS, row_groups=[0], columns=shown, use_threads=False
        )
        batch = next(batches)
    except (pa.ArrowException, OSError) as err:
        reply["notes"].append(f"The first rows could not be read: {err}")
        return reply
    records = batch.to_pylist()
    rows = [[cell(record[name]) for name in shown] for record in records]
    reply["table"] = {"columns": shown, "rows": rows, "more": meta.num_rows > len(rows)}
    return reply


def cell(value: Any) -> str | None:
    """A value as the grid shows it: text, or None for a null."""
    if value is None:
        return None
    if isinstance(value, str):
        text = value
    elif isinstance(value, bytes):
        text = value[: MAX_CELL // 2].hex() + ("…" if len(value) > MAX_CELL // 2 else "")
    elif isinstance(value, (datetime.date, datetime.time)):
        text = value.isoformat()
    elif isinstance(value, (list, dict)):
        text = json.dumps(value, default=str, ensure_ascii=False)
    else:
        text = str(value)
    return text if len(text) <= MAX_CELL else text[:MAX_CELL] + "…"


__all__ = ["BUDGET", "INSTALL", "parquet_preview"]
