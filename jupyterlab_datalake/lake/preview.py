"""A preview of one object of the lake without downloading it: what is known of it (its
metadata, as Objects.info says it), and a look inside that reads a bounded part of it.

The object's name decides how it is looked at: a table (CSV, TSV, and either gzip-compressed),
Parquet, text (JSON, NDJSON, Markdown and plain text), an image (which the browser fetches
itself through the download endpoint, up to ``IMAGE_BYTES``), or nothing. What cannot be
previewed (an empty object, binary content under a text name, a damaged Parquet file) is a
reply with a ``message`` and the metadata, not an error: the object is there, and the user
should hear what it is. An object that is not there (any more) is a 404.
"""

from __future__ import annotations

from typing import Any

from ..errors import Refused
from . import areas
from .objects import Objects
from .parquet_preview import BUDGET, parquet_preview
from .ranged_read import MiB, ObjectReader
from .text_preview import TABLE_BYTES, NotText, table_preview, text_preview

IMAGE_BYTES = 20 * MiB

# The last suffix of a name (after a ".gz"), and how such an object is looked at.
FORMATS = {
    "csv": "csv",
    "tsv": "tsv",
    "tab": "tsv",
    "parquet": "parquet",
    "pq": "parquet",
    "json": "json",
    "ndjson": "ndjson",
    "jsonl": "ndjson",
    "geojson": "json",
    "md": "markdown",
    "markdown": "markdown",
    **dict.fromkeys(
        ["txt", "log", "text", "yaml", "yml", "toml", "ini", "cfg", "conf", "xml", "html"],
        "text",
    ),
    **dict.fromkeys(["sql", "py", "r", "sh", "ipynb"], "text"),
    **dict.fromkeys(["png", "jpg", "jpeg", "gif", "webp", "bmp", "svg"], "image"),
}
TEXT_FORMATS = {"json", "ndjson", "markdown", "text"}
LABELS = {"csv": "CSV", "tsv": "TSV", "json": "JSON", "ndjson": "NDJSON", "markdown": "Markdown"}


def format_of(key: str) -> tuple[str, bool]:
    """How an object is looked at, from its name, and whether it is gzip-compressed."""
    name = key.rsplit("/", 1)[-1].lower()
    parts = name.split(".")
    gz = len(parts) > 2 and parts[-1] == "gz"
    if gz:
        parts = parts[:-1]
    fmt = FORMATS.get(parts[-1], "other") if len(parts) > 1 else "other"
    if gz and fmt not in ("csv", "tsv", *TEXT_FORMATS):
        return "other", True
    return fmt, gz


class Previews:
    def __init__(self, objects: Objects):
        self.objects = objects
        self.lake = objects.lake
        self.settings = objects.settings

    def preview(self, area: str, key: str, user: str) -> dict[str, Any]:
        where = areas.find(self.settings, area)
        key = areas.key_in(where, key)
        if key.endswith("/"):
            raise Refused(400, "A folder has no preview; open it to see what it holds.")
        info = self.objects.info(area, [key], user)[0]
        if info.get("missing"):
            raise Refused(
                404, f"{key} is not in the data lake (any more); refresh the folder to see."
            )
        fmt, gz = format_of(key)
        reply: dict[str, Any] = {
            "area": where.id,
            "key": key,
            "format": fmt,
            "compressed": gz,
            "info": info,
            "bytes_read": 0,
            "message": None,
            "notes": [],
        }
        size = info.get("size") or 0
        if size == 0:
            reply["message"] = "This object is empty (0 bytes): there is nothing to preview."
            return reply
        if fmt == "image":
            if size > IMAGE_BYTES:
                reply["message"] = "This image is too large to preview; download it to see it."
            return reply
        if fmt == "other":
            reply["message"] = "There is no preview for this kind of file."
            return reply
        budget = BUDGET if fmt == "parquet" else TABLE_BYTES
        reader = ObjectReader(
            self.lake, where.bucket, key, size, info.get("etag") or "", budget=budget
        )
        with areas.acting(where, "read"):
            try:
                if fmt == "parquet":
                    reply.update(parquet_preview(reader))
                elif fmt in ("csv", "tsv"):
                    reply.update(table_preview(reader, "\t" if fmt == "tsv" else None, gz))
                else:
                    reply.update(text_preview(reader, gz))
            except NotText as err:
                reply["message"] = (
                    f"This file cannot be previewed as {LABELS.get(fmt, fmt)}: {err}."
                )
        reply["bytes_read"] = reader.bytes_read
        return reply


__all__ = ["Previews", "format_of"]
