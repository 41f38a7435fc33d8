"""Find an export set's files, check its manifest, and parse a CSV file strictly in Python.

Which table a file belongs to, how its header maps to the contract's columns,
and the strict Python parser used for every CSV file DuckDB's reader cannot
read line for line (kamdata.build.sources): it decides the encoding (UTF-8 or
Windows-1252), the dialect (`,` standard or `;` German Excel) and where each
record starts (physical line, header = line 1), into a raw VARCHAR table.
Every record must have the header's number of fields and every quote must
close: a broken file fails the build instead of being merged into fewer rows.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import json
import zlib
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa

from kamdata.build.contract import TABLES, Table

SUFFIXES = (".csv.gz", ".csv", ".parquet")
MANIFEST = "manifest.json"
BATCH_ROWS = 100_000
ENCODINGS = ("utf-8-sig", "cp1252")  # utf-8-sig also reads UTF-8 without a BOM

# Columns every raw table carries besides the contract's (all VARCHAR) columns.
RAW_LINEAGE = (
    ("_source_file", "VARCHAR"),
    ("_source_line", "BIGINT"),
    ("_file_order", "INTEGER"),
    ("_dialect", "VARCHAR"),
    ("_row_id", "BIGINT"),
)


class FileError(Exception):
    """A file-level problem: the build fails with this one-paragraph message."""


def one_line(exc: BaseException) -> str:
    """An error's text as one line (DuckDB's messages span several), for one-paragraph messages."""
    return " ".join(str(exc).split())


@dataclass(frozen=True)
class ExportFiles:
    by_table: dict[str, list[Path]]  # files per table, in code-point name order
    unknown: list[str]  # files that belong to no table (ignored)


@dataclass(frozen=True)
class LoadedFile:
    path: Path
    records: int
    dialect: str
    encoding: str


def table_for_file(file_name: str) -> str | None:
    """The table a file belongs to: `<table>.<ext>` or `<table>_<anything>.<ext>`, longest table name wins."""
    suffix = next((s for s in SUFFIXES if file_name.lower().endswith(s)), None)
    if suffix is None:
        return None
    stem = file_name[: -len(suffix)].lower()
    matches = [t.name for t in TABLES if stem == t.name or stem.startswith(t.name + "_")]
    return max(matches, key=len) if matches else None


def discover(exports_dir: Path) -> ExportFiles:
    """Group the export directory's files by table; everything else is reported as unknown."""
    by_table: dict[str, list[Path]] = {}
    unknown: list[str] = []
    for path in sorted(p for p in exports_dir.iterdir() if p.is_file()):
        table = table_for_file(path.name)
        if table:
            by_table.setdefault(table, []).append(path)
        elif path.name != MANIFEST:
            unknown.append(path.name)
    for files in by_table.values():
        files.sort(key=lambda p: p.name)
    return ExportFiles(by_table, unknown)


def read_manifest(exports_dir: Path) -> dict | None:
    path = exports_dir / MANIFEST
    if not path.exists():
        return None
    try:
        manifest = json.loads(path.read_text(encoding="utf-8-sig"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise FileError(
            f"{MANIFEST}: not valid JSON ({exc}); expected "
            '{"exported_at": "...", "files": {"<file>": {"rows": N, "sha256": "..."}}}.'
        ) from exc
    if not isinstance(manifest, dict) or not isinstance(manifest.get("files", {}), dict):
        raise FileError(
            f'{MANIFEST}: expected an object with a "files" object mapping file names to '
            '{"rows": N, "sha256": "..."}.'
        )
    return manifest


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def create_raw_table(con: duckdb.DuckDBPyConnection, raw_name: str, table: Table) -> None:
    cols = [(c.name, "VARCHAR") for c in table.columns] + list(RAW_LINEAGE)
    body = ", ".join(f'"{name}" {sql_type}' for name, sql_type in cols)
    con.execute(f"create or replace temp table {raw_name} ({body})")


def _expected_columns(table: Table) -> str:
    required = ", ".join(c.name for c in table.columns if not c.optional)
    optional = ", ".join(c.name for c in table.columns if c.optional)
    return f"`{table.name}` needs the columns {required}" + (f" (optional: {optional})" if optional else "")


def map_columns(file_name: str, header: list[str], table: Table) -> dict[str, int | None]:
    """Contract column -> position in the file (None for an absent optional column).

    Names match case-insensitively after trimming; extra columns are ignored.
    """
    names = [h.replace("\ufeff", "").strip().lower() for h in header]
    positions: dict[str, int | None] = {}
    missing = []
    for col in table.columns:
        hits = [i for i, name in enumerate(names) if name == col.name]
        if len(hits) > 1:
            raise FileError(
                f"{file_name}: column '{col.name}' appears {len(hits)} times in the header; "
                f"expected it once. {_expected_columns(table)}."
            )
        if hits:
            positions[col.name] = hits[0]
        elif col.optional:
            positions[col.name] = None
        else:
            missing.append(col.name)
    if missing:
        found = ", ".join(h.strip() for h in header) or "(nothing)"
        raise FileError(
            f"{file_name}: required column{'s' if len(missing) > 1 else ''} "
            f"{', '.join(repr(m) for m in missing)} missing. "
            f"{_expected_columns(table)} (matched case-insensitively); the header has: {found}."
        )
    return positions


def _open_text(path: Path, encoding: str):
    if path.name.lower().endswith(".gz"):
        return gzip.open(path, "rt", encoding=encoding, newline="")
    return open(path, encoding=encoding, newline="")


class _RawWriter:
    """Collects parsed records and appends them to the raw table in Arrow batches.

    Each batch goes to DuckDB as one list-of-strings column; DuckDB picks the contract's fields out
    of it, which costs about a third of transposing the records into columns in Python.
    """

    def __init__(self, con, raw_name, table, positions, file_name, file_order, dialect, first_row_id):
        self.con, self.raw_name = con, raw_name
        self.next_row_id = first_row_id
        self.records: list[list[str]] = []
        self.lines: list[int] = []
        fields = ", ".join(
            f'_record[{positions[c.name] + 1}] as "{c.name}"'
            if positions[c.name] is not None
            else f'null as "{c.name}"'
            for c in table.columns
        )
        self.insert_sql = (
            f"insert into {raw_name} by name select {fields}, $file as _source_file, "
            "_line as _source_line, $order as _file_order, $dialect as _dialect, _row_id "
            "from _raw_batch"
        )
        self.params = {"file": file_name, "order": file_order, "dialect": dialect}

    def add(self, record: list[str], line: int) -> None:
        self.records.append(record)
        self.lines.append(line)
        if len(self.records) >= BATCH_ROWS:
            self.flush()

    def flush(self) -> None:
        n = len(self.records)
        if not n:
            return
        batch = pa.Table.from_arrays(
            [
                pa.array(self.records, type=pa.list_(pa.string())),
                pa.array(self.lines, type=pa.int64()),
                pa.array(np.arange(self.next_row_id, self.next_row_id + n, dtype=np.int64)),
            ],
            names=["_record", "_line", "_row_id"],
        )
        self.con.register("_raw_batch", batch)
        try:
            self.con.execute(self.insert_sql, self.params)
        finally:
            self.con.unregister("_raw_batch")
        self.next_row_id += n
        self.records, self.lines = [], []


def _parse_csv(
    con, path: Path, table: Table, raw_name: str, file_order: int, first_row_id: int, encoding: str
) -> LoadedFile:
    with _open_text(path, encoding) as fh:
        header_line = fh.readline()
        if not header_line.strip():
            raise FileError(f"{path.name}: the file is empty; expected a header line. {_expected_columns(table)}.")
        delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
        dialect = "german" if delimiter == ";" else "standard"
        header = next(csv.reader([header_line], delimiter=delimiter, strict=True))
        positions = map_columns(path.name, header, table)
        writer = _RawWriter(con, raw_name, table, positions, path.name, file_order, dialect, first_row_id)
        reader = csv.reader(fh, delimiter=delimiter, strict=True)
        width = len(header)
        last_line = 1  # physical lines consumed so far (the header is line 1)
        try:
            for record in reader:
                start = last_line + 1
                last_line = 1 + reader.line_num
                if len(record) == width:
                    writer.add(record, start)
                elif record:  # a blank physical line is no record
                    raise FileError(
                        f"{path.name} line {start}: expected {width} fields as in the header "
                        f"({dialect} dialect, delimiter '{delimiter}') but the record has {len(record)}"
                        + (f" and spans lines {start}-{last_line}" if last_line > start else "")
                        + ". The file is truncated, has a broken quote or a stray delimiter; "
                        "fix the export and rerun the build."
                    )
        except csv.Error as exc:
            raise FileError(
                f"{path.name} line {last_line + 1}: unreadable CSV ({exc}); a quoted field must end with a quote "
                "followed by the delimiter or the line end, and every quote must be closed. The file is "
                "truncated or has a broken quote; fix the export and rerun the build."
            ) from exc
        writer.flush()
    return LoadedFile(path, writer.next_row_id - first_row_id, dialect, encoding)


def load_csv(con, path: Path, table: Table, raw_name: str, file_order: int, first_row_id: int) -> LoadedFile:
    """Strictly parse one CSV (or .csv.gz) file into the raw table; UTF-8 first, else Windows-1252."""
    for encoding in ENCODINGS:
        try:
            return _parse_csv(con, path, table, raw_name, file_order, first_row_id, encoding)
        except UnicodeDecodeError:
            con.execute(f"delete from {raw_name} where _source_file = ?", [path.name])
        except (EOFError, gzip.BadGzipFile, zlib.error, OSError) as exc:
            raise FileError(
                f"{path.name}: unreadable or truncated file ({one_line(exc)}); expected a complete "
                "CSV file (gzip-compressed for .csv.gz). Fix the transfer and rerun the build."
            ) from exc
    raise FileError(f"{path.name}: the text is neither UTF-8 nor Windows-1252; expected one of these encodings.")
