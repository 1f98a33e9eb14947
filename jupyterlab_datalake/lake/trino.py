"""The text of a Trino ``CREATE TABLE`` over a folder of the lake (Hive connector), and the
rules it follows: how column names are made identifiers, and which Parquet types Trino reads
as what. Pure functions: lake/tables.py reads the folder and calls them.

CSV columns are all VARCHAR, since that is the only column type Trino's Hive CSV format
takes, and they are read by position, so their names can be made plain identifiers freely.
Parquet columns are matched by name (Trino's default, ``hive.parquet.use-column-names``), so
their names are kept as they are, only lower-cased as the metastore stores them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ..errors import Refused


@dataclass(frozen=True)
class Column:
    name: str
    type: str


def quoted(identifier: str) -> str:
    """A Trino delimited identifier: any text, with its double quotes doubled."""
    return '"' + identifier.replace('"', '""') + '"'


def literal(text: str) -> str:
    """A Trino string literal, with its single quotes doubled."""
    return "'" + text.replace("'", "''") + "'"


def plain_name(text: str, fallback: str) -> str:
    """A lower-case identifier of letters, digits and underscores: accents dropped, every run
    of other characters one underscore, a leading digit prefixed. Hive's metastore lower-cases
    names and some tools choke on anything else; ``fallback`` when nothing is left."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    name = re.sub(r"[^a-z0-9]+", "_", ascii_text.lower()).strip("_")
    if not name:
        return fallback
    return "_" + name if name[0].isdigit() else name


def csv_columns(header: list[str]) -> list[Column]:
    """VARCHAR columns named after a CSV header, made unique (``id``, ``id_2``)."""
    seen: set[str] = set()
    columns = []
    for n, title in enumerate(header, 1):
        base = plain_name(title, f"col_{n}")
        name, k = base, 2
        while name in seen:
            name, k = f"{base}_{k}", k + 1
        seen.add(name)
        columns.append(Column(name, "VARCHAR"))
    return columns


# Arrow's names of the types Trino's Hive connector reads from Parquet, as Trino names them.
_SIMPLE = {
    "bool": "BOOLEAN",
    "int8": "TINYINT",
    "int16": "SMALLINT",
    "int32": "INTEGER",
    "int64": "BIGINT",
    # Unsigned integers are read into the next wider signed type, which holds every value.
    "uint8": "SMALLINT",
    "uint16": "INTEGER",
    "uint32": "BIGINT",
    "float": "REAL",
    "double": "DOUBLE",
    "string": "VARCHAR",
    "large_string": "VARCHAR",
    "binary": "VARBINARY",
    "large_binary": "VARBINARY",
    "date32[day]": "DATE",
}


def trino_type(arrow_type, column: str) -> str:
    """The Trino type of an Arrow type read from a Parquet schema; 400 naming the column for
    one Trino cannot read (time of day, durations, unsigned 64-bit, half floats)."""
    import pyarrow as pa  # optional: only Parquet needs it, and tables.py checks it is there

    t = arrow_type
    if pa.types.is_dictionary(t):
        return trino_type(t.value_type, column)
    if str(t) in _SIMPLE:
        return _SIMPLE[str(t)]
    if pa.types.is_fixed_size_binary(t):
        return "VARBINARY"
    if pa.types.is_timestamp(t):
        # With or without a zone: the Hive connector reads both as TIMESTAMP.
        return "TIMESTAMP"
    if pa.types.is_decimal(t) and t.precision <= 38:
        return f"DECIMAL({t.precision}, {t.scale})"
    if pa.types.is_list(t) or pa.types.is_large_list(t):
        return f"ARRAY({trino_type(t.value_type, column)})"
    if pa.types.is_map(t):
        key, item = trino_type(t.key_type, column), trino_type(t.item_type, column)
        return f"MAP({key}, {item})"
    if pa.types.is_struct(t):
        fields = ", ".join(
            f"{quoted(t.field(i).name.lower())} {trino_type(t.field(i).type, column)}"
            for i in range(t.num_fields)
        )
        return f"ROW({fields})"
    raise Refused(
        400,
        f"The column {column!r} holds {t}, which Trino's Hive connector cannot read from "
        "Parquet; write it as another type (a string, a timestamp, an integer) first.",
    )


def parquet_columns(schema) -> list[Column]:
    """Columns of an Arrow schema read from a Parquet footer, names lower-cased as the
    metastore keeps them; 400 when two differ only in case, since Trino could not tell them
    apart."""
    columns: list[Column] = []
    seen: dict[str, str] = {}
    for field in schema:
        name = field.name.lower()
        if name in seen:
            raise Refused(
                400,
                f"The columns {seen[name]!r} and {field.name!r} differ only in case; Trino "
                "cannot tell them apart. Rename one of them.",
            )
        seen[name] = field.name
        columns.append(Column(name, trino_type(field.type, field.name)))
    return columns


def create_table(
    catalog: str,
    schema: str,
    table: str,
    columns: list[Column],
    location: str,
    properties: list[tuple[str, str]],
) -> str:
    """The statement, one column and one property a line; ``properties`` are (name, SQL value)
    after ``external_location``."""
    lines = ",\n".join(f"  {quoted(c.name)} {c.type}" for c in columns)
    props = [("external_location", literal(location)), *properties]
    with_ = ",\n".join(f"  {name} = {value}" for name, value in props)
    target = ".".join(quoted(part) for part in (catalog, schema, table))
    return f"CREATE TABLE {target} (\n{lines}\n)\nWITH (\n{with_}\n)"


__all__ = [
    "Column",
    "create_table",
    "csv_columns",
    "literal",
    "parquet_columns",
    "plain_name",
    "quoted",
    "trino_type",
]
