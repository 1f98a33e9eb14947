"""A folder of the lake as a Trino table: which files Trino would read there, that they are of
one format and one shape, and the ``CREATE TABLE`` that reads them (lake/trino.py writes it).

Nothing is downloaded whole. A CSV file's header comes from its first 64 KiB (one ranged
GET); a Parquet file's schema from its footer (ranged GETs of the tail, through pyarrow). At
most MAX_CHECKED files are read, listing order, and the reply says how many were.
"""

from __future__ import annotations

import csv
import zlib
from dataclasses import asdict
from typing import Any

from ..config import Area, Settings
from ..errors import Refused
from . import areas
from .client import Lake
from .objects import Objects
from .ranged_read import ObjectReader
from .text_preview import guess_delimiter
from .trino import Column, create_table, csv_columns, literal, parquet_columns, plain_name

HEAD_BYTES = 64 * 1024  # a CSV header longer than this is refused
READ_BLOCK = 64 * 1024  # what one ranged GET fetches at least: most footers fit in one
FOOTER_BUDGET = 16 * 1024**2  # a Parquet footer larger than this is refused
MAX_CHECKED = 1000  # files whose header or footer is read
MAX_LISTED = 100_000  # files the folder may hold before it is refused outright
SHOWN = 3  # files named in a refusal, per group

# Trino's Hive connector takes the format of every file in the location; it skips names
# starting with "_" or "." (Spark's _SUCCESS, checksums), and so does this.
FORMATS = {".csv": "CSV", ".csv.gz": "CSV", ".tsv": "CSV", ".tsv.gz": "CSV", ".parquet": "PARQUET"}
# The csv_separator property's value for each; Trino's default is the comma.
SEPARATOR_SQL = {";": "';'", "\t": "U&'\\0009'", "|": "'|'"}


def format_of(name: str) -> str | None:
    lower = name.lower()
    return next((f for ext, f in FORMATS.items() if lower.endswith(ext)), None)


def _named(names: list[str]) -> str:
    shown = ", ".join(names[:SHOWN])
    return shown + (f" and {len(names) - SHOWN:,} more" if len(names) > SHOWN else "")


class Tables:
    def __init__(self, settings: Settings, lake: Lake, objects: Objects):
        self.settings = settings
        self.lake = lake
        self.objects = objects

    def statement(self, area: str, prefix: str, name: object = None) -> dict[str, Any]:
        where = areas.find(self.settings, area)
        listed = self._files(area, prefix)
        folder = listed["prefix"]
        if not folder:
            raise Refused(400, "Choose a folder inside the area: a table reads one folder.")
        files = listed["files"]
        if not files:
            more = " Its sub-folders are not read: choose one of them." if listed["folders"] else ""
            raise Refused(400, f"{listed['key_prefix']} holds no CSV or Parquet files.{more}")
        by_format: dict[str, list[str]] = {}
        for f in files:
            by_format.setdefault(format_of(f["name"]) or "other", []).append(f["name"])
        if len(by_format) > 1:
            groups = "; ".join(
                f"{len(names):,} {'other' if fmt == 'other' else fmt}: {_named(names)}"
                for fmt, names in sorted(by_format.items())
            )
            raise Refused(
                400,
                f"Trino reads every file in {listed['key_prefix']} as one table, and these are "
                f"not of one format ({groups}). Move the others out of the folder first.",
            )
        (fmt,) = by_format
        if fmt == "other":
            raise Refused(
                400,
                f"{listed['key_prefix']} holds no CSV or Parquet files "
                f"({_named(by_format[fmt])}); a table reads .csv, .csv.gz, .tsv or .parquet.",
            )
        checked = files[:MAX_CHECKED]
        with areas.acting(where, "read"):
            if fmt == "CSV":
                columns, properties = self._csv(where, checked)
            else:
                columns, properties = self._parquet(where, checked), []
        given = name if isinstance(name, str) and name.strip() else folder.rsplit("/", 1)[-1]
        table = plain_name(given, "lake_table")
        location = f"s3a://{where.bucket}/{listed['key_prefix']}"
        catalog, schema = self.settings.trino_catalog, self.settings.trino_schema
        return {
            "area": where.id,
            "prefix": folder,
            "location": location,
            "format": fmt,
            "catalog": catalog,
            "schema": schema,
            "table": table,
            "columns": [asdict(c) for c in columns],
            "files": len(files),
            "checked": len(checked),
            "subfolders": len(listed["folders"]),
            "statement": create_table(
                catalog,
                schema,
                table,
                columns,
                location,
                [("format", literal(fmt)), *properties],
            ),
        }

    # ----- the folder's files ---------------------------------------------------------------

    def _files(self, area: str, prefix: str) -> dict[str, Any]:
        """The objects directly in the folder that Trino would read, page after page of the
        browser's own listing; sub-folders are only counted (Trino does not read them)."""
        files: list[dict[str, Any]] = []
        folders: list[dict[str, Any]] = []
        cursor = None
        while True:
            page = self.objects.list(area, prefix, cursor, 1000)
            folders += page["folders"]
            files += [o for o in page["objects"] if not o["name"].startswith(("_", "."))]
            if len(files) > MAX_LISTED:
                raise Refused(
                    400,
                    f"{page['key_prefix']} holds over {MAX_LISTED:,} files; choose a smaller folder.",
                )
            cursor = page["next_cursor"]
            if not cursor:
                return {**page, "files": files, "folders": folders}

    def _reader(self, area: Area, entry: dict[str, Any], budget: int) -> ObjectReader:
        """The file as previews read objects: ranged GETs pinned to the listed ETag."""
        return ObjectReader(
            self.lake,
            area.bucket,
            entry["key"],
            entry["size"],
            entry.get("etag") or "",
            budget,
            block=READ_BLOCK,
        )

    # ----- CSV ------------------------------------------------------------------------------

    def _csv(self, area: Area, files: list[dict[str, Any]]) -> tuple[list[Column], list]:
        """Columns from the header line every file shares, and the properties that say how to
        read them; 400 naming the files when the headers (or separators) differ."""
        read = [f for f in files if f["size"] > 0]  # an empty file adds no rows, and no header
        if not read:
            raise Refused(400, "Every CSV file in the folder is empty; there is no header to read.")
        headers = self.lake.each(lambda f: self._header(area, f), read)
        groups: dict[tuple, list[str]] = {}
        for f, header in zip(read, headers):
            groups.setdefault(header, []).append(f["name"])
        if len(groups) > 1:
            said = "; ".join(
                f"{_named(names)}: {sep.join(cols) if sep != chr(9) else ' TAB '.join(cols)}"
                for (sep, *cols), names in groups.items()
            )
            raise Refused(
                400,
                "The CSV files do not share one header, so they cannot be one table "
                f"({said}). Put files of each header in a folder of their own.",
            )
        separator, *header = next(iter(groups))
        properties = [("skip_header_line_count", "1")]
        if separator in SEPARATOR_SQL:
            properties.append(("csv_separator", SEPARATOR_SQL[separator]))
        return csv_columns(header), properties

    def _header(self, area: Area, entry: dict[str, Any]) -> tuple[str, ...]:
        """(separator, column titles) of a CSV file's first line, from its first 64 KiB."""
        name = entry["name"]
        raw = self._reader(area, entry, HEAD_BYTES).get(0, min(entry["size"], HEAD_BYTES))
        if name.lower().endswith(".gz"):
            try:
                raw = zlib.decompressobj(wbits=47).decompress(raw, HEAD_BYTES)
            except zlib.error as err:
                raise Refused(400, f"{name} is not gzip-compressed as its name says.") from err
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as err:
            if len(raw) < HEAD_BYTES or err.start < len(raw) - 4:  # not a character cut off
                raise Refused(400, f"{name} is not UTF-8 text; is it really CSV?") from err
            text = raw[: err.start].decode("utf-8-sig")
        line, ended = _first_line(text)
        if not ended and entry["size"] > HEAD_BYTES:
            raise Refused(400, f"The first line of {name} is longer than 64 KiB; is it CSV?")
        if "\0" in line:
            raise Refused(400, f"{name} is not text; is it really CSV?")
        tsv = ".tsv" in name.lower()
        separator = "\t" if tsv else guess_delimiter(line)
        titles = next(csv.reader([line], delimiter=separator), [])
        if not titles or not any(t.strip() for t in titles):
            raise Refused(400, f"The first line of {name} is empty; a header is needed.")
        return (separator, *(t.strip() for t in titles))

    # ----- Parquet --------------------------------------------------------------------------

    def _parquet(self, area: Area, files: list[dict[str, Any]]) -> list[Column]:
        try:
            import pyarrow.parquet  # noqa: F401
        except ImportError as err:
            raise Refused(
                400,
                "Reading Parquet schemas needs pyarrow on the server: "
                "pip install 'jupyterlab-datalake[parquet]'.",
            ) from err
        schemas = self.lake.each(lambda f: self._schema(area, f), files)
        groups: dict[tuple, list[str]] = {}
        for f, columns in zip(files, schemas):
            groups.setdefault(tuple(columns), []).append(f["name"])
        if len(groups) > 1:
            said = "; ".join(
                f"{_named(names)}: {', '.join(f'{c.name} {c.type}' for c in cols)}"
                for cols, names in groups.items()
            )
            raise Refused(
                400,
                "The Parquet files do not share one schema, so they cannot be one table "
                f"({said}). Put files of each schema in a folder of their own.",
            )
        return list(next(iter(groups)))

    def _schema(self, area: Area, entry: dict[str, Any]) -> list[Column]:
        import pyarrow as pa
        import pyarrow.parquet as pq

        try:
            # The footer only: its length in the last 8 bytes, then the footer itself, both in
            # the file's last blocks.
            with self._reader(area, entry, FOOTER_BUDGET) as source:
                schema = pq.ParquetFile(source).schema_arrow
        except (pa.ArrowInvalid, OSError) as err:
            raise Refused(400, f"{entry['name']} is not a readable Parquet file ({err}).") from err
        return parquet_columns(schema)


def _first_line(text: str) -> tuple[str, bool]:
    """The first record's text (a quoted field may hold a line break) and whether it ended."""
    quoted = False
    for i, c in enumerate(text):
        if c == '"':
            quoted = not quoted
        elif c in "\r\n" and not quoted:
            return text[:i], True
    return text, False


__all__ = ["Tables", "format_of"]
