"""Write demo tables as export files in the standard or German Excel dialect.

Rows are typed pyarrow tables; DuckDB formats and writes them (`COPY ... TO`),
which keeps the portfolio-scale export fast and streaming. Faults that no
typed value can express (an unparseable date) travel as raw text in two
helper columns and replace the formatted cell of their row.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa

from kamdata.build.contract import TABLES_BY_NAME

# German-Excel number: thousands dots, decimal comma, digits as the shortest round-trip text.
DE_NUMBER_MACRO = """
create or replace macro de_num(x) as case when x is null then null else
    (case when x < 0 then '-' else '' end)
    || replace(format('{:,}', trunc(abs(x))::bigint), ',', '.')
    || (case when abs(x) = trunc(abs(x)) then '' else ',' || split_part(abs(x)::varchar, '.', 2) end)
end
"""

# How booleans are spelled, per table and dialect (the contract accepts all of these).
BOOLEAN_WORDS = {
    ("standard", "employees"): ("1", "0"),
    ("standard", "contracts"): ("yes", "no"),
    ("german", "contracts"): ("x", "nein"),
}
DEFAULT_BOOLEAN_WORDS = {"standard": ("true", "false"), "german": ("ja", "nein")}


@dataclass
class Rows:
    """Typed rows of one export table; `part` names the split file of each row (None: one file)."""

    table: str
    data: pa.Table
    part: np.ndarray | None = None
    bad: dict[int, tuple[str, str]] = field(default_factory=dict)  # row -> (column, raw text)
    extra_columns: tuple[str, ...] = ()


@dataclass(frozen=True)
class FileStyle:
    """How one file is spelled: dialect, compression/format and timestamp spelling."""

    dialect: str = "standard"
    fmt: str = "csv"  # csv | csv.gz | parquet
    timestamps: str = "local"  # local | local_space | offset | utc
    encoding: str = "utf-8"  # utf-8 | utf-8-sig | cp1252
    crlf: bool = False


def _timestamp_sql(col: str, style: FileStyle) -> str:
    if style.dialect == "german":
        return f"strftime({col}, '%d.%m.%Y %H:%M')"
    if style.timestamps == "utc":
        return f"strftime({col} at time zone 'UTC', '%Y-%m-%dT%H:%M:%SZ')"
    if style.timestamps == "offset":
        hours = f"extract(hour from ({col} at time zone 'Europe/Berlin') - ({col} at time zone 'UTC'))"
        return f"strftime({col}, '%Y-%m-%dT%H:%M:%S') || '+0' || {hours}::varchar || ':00'"
    if style.timestamps == "local_space":
        return f"strftime({col}, '%Y-%m-%d %H:%M:%S')"
    return f"strftime({col}, '%Y-%m-%dT%H:%M:%S')"


def _text_sql(table: str, name: str, kind: str, style: FileStyle) -> str:
    col = f'"{name}"'
    german = style.dialect == "german"
    if kind == "date":
        return f"strftime({col}, '{'%d.%m.%Y' if german else '%Y-%m-%d'}')"
    if kind == "month":
        return f"strftime({col}, '{'%m.%Y' if german else '%Y-%m'}')"
    if kind == "timestamp":
        return _timestamp_sql(col, style)
    if kind == "decimal":
        return f"de_num({col})" if german else f"{col}::varchar"
    if kind == "boolean":
        true, false = BOOLEAN_WORDS.get((style.dialect, table), DEFAULT_BOOLEAN_WORDS[style.dialect])
        return f"case when {col} then '{true}' when not {col} then '{false}' end"
    return f"{col}::varchar"


def _select_sql(rows: Rows, columns: list[tuple[str, str]], style: FileStyle) -> str:
    """One SELECT that spells every column; a raw fault text replaces its cell."""
    exprs = []
    for name, kind in columns:
        if style.fmt == "parquet":
            value = f'"{name}"'
            raw = f"try_cast(_bad_val as {pa_to_duckdb(rows.data.schema.field(name).type)})"
        else:
            value = _text_sql(rows.table, name, kind, style)
            raw = "_bad_val"
        exprs.append(f"case when _bad_col = '{name}' then {raw} else {value} end as \"{name}\"")
    return "select " + ", ".join(exprs) + " from rows_out"


def pa_to_duckdb(arrow_type: pa.DataType) -> str:
    if pa.types.is_floating(arrow_type):
        return "double"
    if pa.types.is_integer(arrow_type):
        return "bigint"
    if pa.types.is_date(arrow_type):
        return "date"
    if pa.types.is_boolean(arrow_type):
        return "boolean"
    if pa.types.is_timestamp(arrow_type):
        return "timestamptz" if arrow_type.tz else "timestamp"
    return "varchar"


def _with_faults(rows: Rows, take: np.ndarray | None) -> pa.Table:
    """The rows of one file plus the raw-fault helper columns."""
    n = rows.data.num_rows
    bad_col = np.full(n, None, dtype=object)
    bad_val = np.full(n, None, dtype=object)
    for i, (col, raw) in rows.bad.items():
        bad_col[i], bad_val[i] = col, raw
    data = rows.data if take is None else rows.data.take(pa.array(take))
    sel = slice(None) if take is None else take
    data = data.append_column("_bad_col", pa.array(bad_col[sel], pa.string()))
    return data.append_column("_bad_val", pa.array(bad_val[sel], pa.string()))


def write_rows(
    con: duckdb.DuckDBPyConnection, rows: Rows, path: Path, style: FileStyle, take: np.ndarray | None
) -> int:
    """Write (a part of) `rows` to `path`; returns the number of records written."""
    table = TABLES_BY_NAME[rows.table]
    columns = [(c.name, c.type) for c in table.columns] + [(name, "text") for name in rows.extra_columns]
    con.register("rows_out", _with_faults(rows, take))
    select = _select_sql(rows, columns, style)
    if style.fmt == "parquet":
        con.execute(f"copy ({select}) to '{path}' (format parquet, compression zstd)")
    else:
        delimiter = ";" if style.dialect == "german" else ","
        compression = "gzip" if style.fmt == "csv.gz" else "none"
        con.execute(
            f"copy ({select}) to '{path}' "
            f"(format csv, header true, delimiter '{delimiter}', quote '\"', compression {compression})"
        )
        if style.encoding != "utf-8" or style.crlf:
            _re_encode(path, style)
    con.unregister("rows_out")
    return rows.data.num_rows if take is None else len(take)


def _re_encode(path: Path, style: FileStyle) -> None:
    """Small master files as Excel saves them: Windows-1252 or UTF-8 with BOM, CRLF line ends."""
    text = path.read_bytes().decode("utf-8")
    if style.crlf:
        text = text.replace("\n", "\r\n")
    path.write_bytes(text.encode(style.encoding))


def open_text(path: Path, encoding: str = "utf-8"):
    """Open an export file as text whether or not it is gzip-compressed (tests and checks)."""
    if path.suffix == ".gz":
        return gzip.open(path, "rt", encoding=encoding, newline="")
    return open(path, encoding=encoding, newline="")


def connect() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("set TimeZone = 'Europe/Berlin'")
    con.execute(DE_NUMBER_MACRO)
    return con
