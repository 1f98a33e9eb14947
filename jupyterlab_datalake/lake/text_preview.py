"""The head of a text object, and the first rows of a CSV or TSV (gzip-compressed or not), read
from a bounded range and never the whole object.

At most ``limit`` bytes come from S3 (1 MiB for a table), and a ``.gz`` object is inflated as
it arrives with the output bounded too, so that neither a large file nor a gzip bomb costs
more than the bound. What was read is checked before it is shown: binary content under a
text name is said to be binary (and what it looks like, where its magic bytes say), a row cut
off by the end of the read is dropped and said to be, and so is a last row whose fields do
not match the header's.
"""

from __future__ import annotations

import csv
import io
import zlib
from collections.abc import Callable
from typing import Any

from ..paths import human_bytes
from .ranged_read import KiB, MiB, ObjectReader

ROWS = 100
TABLE_BYTES = 1 * MiB
TEXT_BYTES = 64 * KiB
MAX_COLUMNS = 200
MAX_CELL = 1000
FIRST_STEP, MAX_STEP = 64 * KiB, 256 * KiB

# What binary content named as text most often is, by its first bytes.
MAGIC = [
    (b"PAR1", "a Parquet file"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"PK\x03\x04", "a ZIP archive (an Excel workbook is one)"),
    (b"\x89PNG", "a PNG image"),
    (b"%PDF", "a PDF document"),
]


class NotText(Exception):
    """What was read is not what the name says; the message says what it is."""


def read_head(
    reader: ObjectReader, limit: int, gz: bool, enough: Callable[[bytes], bool]
) -> tuple[bytes, bool]:
    """At most ``limit`` bytes from the start of the object (inflated when ``gz``), reading no
    more than ``limit`` bytes from S3 and stopping early once ``enough`` says so. Also whether
    they are the whole (inflated) object."""
    inflate = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS) if gz else None
    out = bytearray()
    pos, step = 0, FIRST_STEP
    while pos < min(reader.size, limit) and len(out) < limit and not enough(out):
        chunk = reader.pread(pos, min(step, limit - pos))
        pos += len(chunk)
        step = min(2 * step, MAX_STEP)
        if inflate is None:
            out += chunk
            continue
        try:
            out += inflate.decompress(chunk, limit - len(out))
        except zlib.error as err:
            raise NotText(f"it is not gzip-compressed data as its name says ({err})") from err
        if inflate.eof:
            break
    complete = pos >= reader.size and len(out) <= limit
    if inflate is not None:
        # A second gzip member (unused_data) or input held back by the bound: more to come.
        complete = inflate.eof and not inflate.unused_data and not inflate.unconsumed_tail
    return bytes(out[:limit]), complete


def check_text(data: bytes) -> None:
    """NotText for bytes that are not text, saying what they look like."""
    if b"\0" not in data[: 64 * KiB]:
        return
    for magic, what in MAGIC:
        if data.startswith(magic):
            raise NotText(f"it holds binary data: {what}, not text")
    raise NotText("it holds binary data (NUL bytes), not text")


def decode(data: bytes, notes: list[str]) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        if err.end == len(data) and len(data) - err.start < 4:
            # A character cut by the end of the read.
            return data[: err.start].decode("utf-8-sig")
        notes.append("The text is not UTF-8; it is shown as Latin-1, and may look wrong.")
        return data.decode("latin-1")


def complete_lines(data: bytes, complete: bool) -> tuple[bytes, bool]:
    """The bytes up to the last line end, unless they are the whole object; and whether a
    cut-off line was dropped. A line end is a character boundary in UTF-8 too."""
    if complete:
        return data, False
    end = max(data.rfind(b"\n"), data.rfind(b"\r"))
    return data[: end + 1], end + 1 < len(data)


# ----- text ---------------------------------------------------------------------------------


def text_preview(reader: ObjectReader, gz: bool = False) -> dict[str, Any]:
    data, complete = read_head(reader, TEXT_BYTES, gz, lambda out: False)
    check_text(data)
    notes: list[str] = []
    head, _ = complete_lines(data, complete)
    # A file of one very long line: its start.
    text = decode(head or data, notes)
    return {"text": {"head": text, "truncated": not complete}, "notes": notes}


# ----- tables -------------------------------------------------------------------------------


def table_preview(reader: ObjectReader, delimiter: str | None, gz: bool) -> dict[str, Any]:
    data, complete = read_head(reader, TABLE_BYTES, gz, lambda out: out.count(b"\n") > ROWS + 1)
    check_text(data)
    notes: list[str] = []
    data, cut = complete_lines(data, complete)
    text = decode(data, notes)
    if delimiter is None:
        delimiter = guess_delimiter(text)
    records, problem = parse(text, delimiter)
    more = not complete or len(records) > ROWS + 1 or problem is not None
    records = records[: ROWS + 1]
    if len(records) <= ROWS and (cut or problem):
        row = len(records)  # the header is row 0
        if problem:
            notes.append(f"Row {row} could not be read ({problem}); it is not shown.")
        else:
            notes.append(
                f"Row {row} is cut off by the end of the {human_bytes(TABLE_BYTES)} read; "
                "it is not shown."
            )
    if len(records) > 2 and complete and len(records) <= ROWS + 1:
        width, last = len(records[0]), len(records[-1])
        if last != width:
            notes.append(
                f"The last row has {last} fields where the header has {width}, as if the "
                "file were cut off; it is not shown."
            )
            records = records[:-1]
    if not records:
        return {"message": "No rows could be read from the start of this file.", "notes": notes}
    header, rows = records[0], records[1:]
    ragged = [i + 1 for i, row in enumerate(rows) if len(row) != len(header)]
    if ragged:
        notes.append(
            f"{len(ragged)} of {len(rows)} rows have a different number of fields from the "
            f"header's {len(header)} (first: row {ragged[0]})."
        )
    if len(header) > MAX_COLUMNS:
        notes.append(f"Only the first {MAX_COLUMNS} of {len(header)} columns are shown.")
    return {
        "table": {
            "columns": [cell(c) for c in header[:MAX_COLUMNS]],
            "rows": [[cell(c) for c in row[:MAX_COLUMNS]] for row in rows],
            "delimiter": delimiter,
            "more": more,
        },
        "notes": notes,
    }


def parse(text: str, delimiter: str) -> tuple[list[list[str]], str | None]:
    """The first records of ``text``, and why reading stopped early (a quoted field not
    closed, a malformed one), or None."""
    records: list[list[str]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        for record in reader:
            records.append(record)
            if len(records) > ROWS + 1:
                break
    except csv.Error as err:
        reason = str(err)
        if "unexpected end of data" in reason:
            reason = "a quoted field is not closed in what was read"
        return records, reason
    return records, None


def guess_delimiter(text: str) -> str:
    """The delimiter of a .csv: the one the header line holds most of (European CSVs use ";")."""
    header = text.split("\n", 1)[0]
    counts = {d: header.count(d) for d in (",", ";", "\t", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def cell(value: str) -> str:
    return value if len(value) <= MAX_CELL else value[:MAX_CELL] + "…"


__all__ = ["NotText", "table_preview", "text_preview"]
