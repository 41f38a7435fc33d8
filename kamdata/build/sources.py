"""One export file as a SELECT the staging pass reads: the contract's columns plus lineage.

A CSV file is read by DuckDB's own parallel reader (strict mode, no sniffing, every field text) when
that reader's records are provably the file's physical lines: the file is valid UTF-8, ends with a
line break, has one line end style and exactly one record per line (records = line breaks - 1,
checked after the read). Then a record's line is its position + 1, computed inside the reader's
pipeline. Any other file (a quoted line break, a blank line, Windows-1252, a broken quote, a record
with the wrong number of fields) goes through the strict Python parser of `readers`, which knows
every line and words every file-level failure. Parquet columns keep their own types; only a column
whose type is not the contract's is rendered as text for the parse macros (kamdata.build.typed).
"""

from __future__ import annotations

import csv
import gzip
import itertools
import zlib
from dataclasses import dataclass
from pathlib import Path

import duckdb

from kamdata.build import readers
from kamdata.build.contract import MAX_FIELD_CHARS, Table

# DuckDB's reader refuses a longer physical line; the Python path then reads the file and rejects a
# field over the limit. A line within it cannot hold a longer field.
MAX_LINE_BYTES = MAX_FIELD_CHARS


@dataclass(frozen=True)
class Source:
    """A file's rows as `sql` (contract columns named as in the contract, absent optional ones NULL,
    then _source_file, _source_line, _file_order), the SQL type of each present column and the dialect."""

    sql: str  # its columns: the contract's, _source_file, _source_line, _file_order, _read_faults
    types: dict[str, str | None]
    dialect: str
    loaded: readers.LoadedFile
    scratch: str | None = None  # a temporary raw table behind `sql` (the Python path), dropped after use


@dataclass(frozen=True)
class _Probe:
    header: list[str]
    delimiter: str
    line_breaks: int
    crlf: bool


def probe_csv(path: Path) -> _Probe | None:
    """Header, delimiter and line breaks of a file DuckDB's reader can take line for line, else None."""
    try:
        chunks = readers._chunks(path)
        first = next(chunks, b"")
        end = first.find(b"\n")
        if end < 0:
            return None
        header_line = first[:end].decode("utf-8-sig").rstrip("\r")
        lf, cr, last = 0, 0, b""
        for chunk in itertools.chain([first], chunks):
            lf += chunk.count(b"\n")
            cr += chunk.count(b"\r")
            last = chunk[-1:]
    except (UnicodeDecodeError, EOFError, gzip.BadGzipFile, zlib.error, OSError):
        return None
    if last != b"\n" or cr not in (0, lf):
        return None
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    header = next(csv.reader([header_line], delimiter=delimiter, strict=True), [])
    return _Probe(header, delimiter, lf, cr == lf)


def _reader_sql(path: Path, probe: _Probe) -> str:
    columns = ", ".join(f"'c{i}': 'VARCHAR'" for i in range(len(probe.header)))
    new_line = "\\r\\n" if probe.crlf else "\\n"
    return (
        f"read_csv({_literal(str(path))}, delim = {_literal(probe.delimiter)}, quote = '\"', escape = '\"', "
        f"header = true, auto_detect = false, strict_mode = true, encoding = 'utf-8', new_line = '{new_line}', "
        f"max_line_size = {MAX_LINE_BYTES}, columns = {{{columns}}})"
    )


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _lineage(file_name: str, line_sql: str, file_order: int, read_faults: str = "null") -> str:
    """The lineage columns, and the faults the Python parser found in a record (NULL elsewhere)."""
    return (
        f"{_literal(file_name)} as _source_file, {line_sql} as _source_line, {file_order} as _file_order, "
        f"{read_faults} as _read_faults"
    )


def fast_csv(path: Path, table: Table, file_order: int) -> Source | None:
    """The DuckDB-reader source of a CSV file, or None when only the Python path can read it exactly."""
    probe = probe_csv(path)
    if probe is None:
        return None
    positions = readers.map_columns(path.name, probe.header, table)
    fields = ", ".join(
        f"coalesce(c{positions[c.name]}, '') as \"{c.name}\""
        if positions[c.name] is not None
        else f'null as "{c.name}"'
        for c in table.columns
    )
    dialect = "german" if probe.delimiter == ";" else "standard"
    sql = (
        f"select {fields}, {_lineage(path.name, 'row_number() over () + 1', file_order)} "
        f"from {_reader_sql(path, probe)}"
    )
    types = {c.name: "VARCHAR" if positions[c.name] is not None else None for c in table.columns}
    loaded = readers.LoadedFile(path, probe.line_breaks - 1, dialect, "utf-8")
    return Source(sql, types, dialect, loaded)


def python_csv(con: duckdb.DuckDBPyConnection, path: Path, table: Table, file_order: int) -> Source:
    """The strict Python parse of a CSV file into a temporary raw table (exact lines, both encodings)."""
    raw_name = f"raw_file_{table.name}"
    readers.create_raw_table(con, raw_name, table)
    loaded = readers.load_csv(con, path, table, raw_name, file_order, 0)
    fields = ", ".join(f'"{c.name}"' for c in table.columns)
    sql = f"select {fields}, {_lineage(path.name, '_source_line', file_order, '_read_faults')} from {raw_name}"
    types: dict[str, str | None] = {c.name: "VARCHAR" for c in table.columns}
    return Source(sql, types, loaded.dialect, loaded, scratch=raw_name)


def parquet(con: duckdb.DuckDBPyConnection, path: Path, table: Table, file_order: int) -> Source:
    """A Parquet file with its own column types; records counted from its metadata."""
    try:
        schema = con.execute("describe select * from read_parquet(?)", [str(path)]).fetchall()
        records = con.execute("select sum(num_rows)::bigint from parquet_file_metadata(?)", [str(path)]).fetchone()
    except duckdb.Error as exc:
        raise readers.FileError(
            f"{path.name}: unreadable Parquet file ({readers.one_line(exc)}); expected a complete Parquet file "
            "with the contract's columns. Fix the transfer and rerun the build."
        ) from exc
    positions = readers.map_columns(path.name, [name for name, *_ in schema], table)
    fields: list[str] = []
    types: dict[str, str | None] = {}
    for col in table.columns:
        pos = positions[col.name]
        if pos is None:
            fields.append(f'null as "{col.name}"')
            types[col.name] = None
        else:
            name = schema[pos][0].replace('"', '""')
            fields.append(f'"{name}" as "{col.name}"')
            types[col.name] = schema[pos][1]
    sql = (
        f"select {', '.join(fields)}, {_lineage(path.name, 'file_row_number + 1', file_order)} "
        f"from read_parquet({_literal(str(path))}, file_row_number = true)"
    )
    loaded = readers.LoadedFile(path, int(records[0] or 0) if records else 0, "parquet", "parquet")
    return Source(sql, types, "standard", loaded)
