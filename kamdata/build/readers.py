"""Find an export set's files, check its manifest, and parse a CSV file strictly in Python.

Which table a file belongs to, how its header maps to the contract's columns, and the strict
Python parser for every CSV file DuckDB's reader cannot read line for line (kamdata.build.sources):
it decides the encoding (UTF-8, or Windows-1252 when the file has no UTF-8 sequence at all), the
dialect (`,` standard or `;` German Excel) and where each record starts (physical line, header =
line 1), into a raw VARCHAR table. Every record must have the header's number of fields and every
quote must close: a broken file fails the build instead of being merged into fewer rows. A record
with bytes that are not UTF-8 in a UTF-8 file, or with a field over the limit, is kept with its
faults (`_read_faults`) so that validation rejects that row alone.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import json
import re
import zlib
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa

from kamdata.build.contract import FIELD_TOO_LONG_REASON, INVALID_UTF8_REASON, MAX_FIELD_CHARS, TABLES, Table

SUFFIXES = (".csv.gz", ".csv", ".parquet")
MANIFEST = "manifest.json"
BATCH_ROWS = 100_000
UTF8, CP1252 = "utf-8-sig", "cp1252"  # utf-8-sig also reads UTF-8 without a BOM
# A field this long is a quote that never closed, not text: the file fails instead of filling memory.
UNCLOSED_QUOTE_CHARS = 64 * MAX_FIELD_CHARS
FIELD_PREVIEW_CHARS = 200  # how much of an over-long field rejected_rows keeps
# One valid multi-byte UTF-8 sequence (RFC 3629: no overlongs, no surrogates, at most U+10FFFF).
UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)
FAULT_TYPE = pa.struct([("column_name", pa.string()), ("raw_value", pa.string()), ("reason", pa.string())])

# Columns every raw table carries besides the contract's (all VARCHAR) columns.
RAW_LINEAGE = (
    ("_source_file", "VARCHAR"),
    ("_source_line", "BIGINT"),
    ("_file_order", "INTEGER"),
    ("_dialect", "VARCHAR"),
    ("_row_id", "BIGINT"),
    # faults the reader found in the record (not UTF-8, field too long); NULL for a sound record
    ("_read_faults", "STRUCT(column_name VARCHAR, raw_value VARCHAR, reason VARCHAR)[]"),
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


def confine(path: Path, exports_dir: Path) -> Path:
    """`path` if it (after following symlinks) lies inside the export directory, else a file-level failure.

    The message never names the target: a link to another file must not leak its name or contents.
    """
    if not path.resolve().is_relative_to(exports_dir.resolve()):
        raise FileError(
            f"{path.name}: a symbolic link to a file outside the export directory {exports_dir}; the build "
            "reads only files inside it. Copy the file into the export directory and rerun the build."
        )
    return path


def manifest_file(exports_dir: Path, name: str) -> Path:
    """The file a manifest entry names: a plain file name inside the export directory, nothing else."""
    if not name or name in (".", "..") or Path(name).name != name:
        raise FileError(
            f"manifest.json lists '{name}', which is not a file name in the export directory (a path with "
            "'/', '..' or an absolute path); expected plain file names such as tickets.csv. Fix the manifest "
            "and rerun the build."
        )
    return confine(exports_dir / name, exports_dir)


def discover(exports_dir: Path) -> ExportFiles:
    """Group the export directory's files by table; everything else is reported as unknown."""
    by_table: dict[str, list[Path]] = {}
    unknown: list[str] = []
    for path in sorted(p for p in exports_dir.iterdir() if p.is_file()):
        table = table_for_file(path.name)
        if table:
            by_table.setdefault(table, []).append(confine(path, exports_dir))
        elif path.name != MANIFEST:
            unknown.append(path.name)
    for files in by_table.values():
        files.sort(key=lambda p: p.name)
    return ExportFiles(by_table, unknown)


def read_manifest(exports_dir: Path) -> dict | None:
    path = exports_dir / MANIFEST
    if not path.exists():
        return None
    confine(path, exports_dir)
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


def _gzipped(path: Path) -> bool:
    return path.name.lower().endswith(".gz")


def _chunks(path: Path):
    """The file's bytes (decompressed for .csv.gz) in 1 MiB chunks."""
    with gzip.open(path, "rb") if _gzipped(path) else open(path, "rb") as fh:
        yield from iter(lambda: fh.read(1 << 20), b"")


def _last_byte(path: Path) -> bytes:
    """The file's last byte (of the decompressed text for .csv.gz); b"" for an empty file."""
    if not _gzipped(path):
        with open(path, "rb") as fh:
            if fh.seek(0, 2) == 0:
                return b""
            fh.seek(-1, 2)
            return fh.read(1)
    last = b""
    for chunk in _chunks(path):
        last = chunk[-1:]
    return last


def detect_encoding(path: Path) -> str:
    """UTF-8, unless the file has bytes beyond ASCII but not one valid multi-byte UTF-8 sequence: Windows-1252.

    One sequence decides, not the whole file: a single Windows-1252 line in a UTF-8 file must not
    turn every umlaut into mojibake ("SchrÃ¶der"); that line is rejected instead (`_LineScan`).
    """
    beyond_ascii, tail = False, b""
    for chunk in _chunks(path):
        block = tail + chunk  # a sequence may straddle two chunks
        if not block.isascii():
            if UTF8_SEQUENCE.search(block):
                return UTF8
            beyond_ascii = True
        tail = chunk[-3:]
    return CP1252 if beyond_ascii else UTF8


def check_complete(path: Path) -> None:
    """A CSV whose last record does not end with a line break was cut off in transfer (a file-level failure).

    Without a manifest nothing else tells: `3322.13` cut to `3322.` is still a valid number.
    """
    if _last_byte(path) not in (b"\n", b"\r", b""):  # an empty file fails later, with its own message
        raise FileError(
            f"{path.name}: the file does not end with a line break (truncated?); every record, the last one "
            "included, must end with a line break, so the last record may be cut off. Repeat the transfer "
            "and rerun the build."
        )


def _open_text(path: Path, encoding: str):
    # Bytes that are not UTF-8 become lone surrogates, so that their line can be found and rejected.
    errors = "surrogateescape" if encoding == UTF8 else "strict"
    if _gzipped(path):
        return gzip.open(path, "rt", encoding=encoding, errors=errors, newline="")
    return open(path, encoding=encoding, errors=errors, newline="")


def _not_utf8(text: str) -> bool:
    """True when the text holds bytes that were not UTF-8 (decoded as lone surrogates)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _showable(text: str) -> str:
    """Text with its bytes that were not UTF-8 as \\xNN escapes (printable, storable)."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


class _LineScan:
    """The file's physical lines for csv.reader, noting what the per-record checks need cheaply:
    the characters read so far and the lines holding bytes that are not UTF-8."""

    def __init__(self, fh, first_line: int):
        self.fh, self.number = fh, first_line - 1
        self.chars = 0
        self.not_utf8: set[int] = set()

    def __iter__(self):
        for line in self.fh:
            self.number += 1
            self.chars += len(line)
            if not line.isascii() and _not_utf8(line):
                self.not_utf8.add(self.number)
            yield line


def field_faults(record: list[str], names: list[str]) -> list[dict] | None:
    """The reader's faults of one record (None when sound); faulty fields are replaced by showable text.

    A field with bytes that are not UTF-8 is shown with \\xNN escapes; a field over MAX_FIELD_CHARS
    by its start and length. `names` are the column names by field position.
    """
    faults = []
    for i, field in enumerate(record):
        if len(field) > MAX_FIELD_CHARS:
            shown = f"{field[:FIELD_PREVIEW_CHARS]}… ({len(field)} characters)"
            reason = FIELD_TOO_LONG_REASON
        elif not field.isascii() and _not_utf8(field):
            shown = _showable(field)
            reason = INVALID_UTF8_REASON
        else:
            continue
        record[i] = shown
        faults.append({"column_name": names[i], "raw_value": shown, "reason": reason})
    return faults or None


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
        self.faults: list[list[dict] | None] = []
        fields = ", ".join(
            f'_record[{positions[c.name] + 1}] as "{c.name}"'
            if positions[c.name] is not None
            else f'null as "{c.name}"'
            for c in table.columns
        )
        self.insert_sql = (
            f"insert into {raw_name} by name select {fields}, $file as _source_file, "
            "_line as _source_line, $order as _file_order, $dialect as _dialect, _row_id, "
            "_faults as _read_faults from _raw_batch"
        )
        self.params = {"file": file_name, "order": file_order, "dialect": dialect}

    def add(self, record: list[str], line: int, faults: list[dict] | None = None) -> None:
        self.records.append(record)
        self.lines.append(line)
        self.faults.append(faults)
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
                pa.array(self.faults, type=pa.list_(FAULT_TYPE)),
            ],
            names=["_record", "_line", "_row_id", "_faults"],
        )
        self.con.register("_raw_batch", batch)
        try:
            self.con.execute(self.insert_sql, self.params)
        finally:
            self.con.unregister("_raw_batch")
        self.next_row_id += n
        self.records, self.lines, self.faults = [], [], []


def _parse_csv(
    con, path: Path, table: Table, raw_name: str, file_order: int, first_row_id: int, encoding: str
) -> LoadedFile:
    with _open_text(path, encoding) as fh:
        header_line = fh.readline()
        if not header_line.strip():
            raise FileError(f"{path.name}: the file is empty; expected a header line. {_expected_columns(table)}.")
        delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
        dialect = "german" if delimiter == ";" else "standard"
        header = [_showable(h) for h in next(csv.reader([header_line], delimiter=delimiter, strict=True))]
        positions = map_columns(path.name, header, table)
        names = [h.replace("\ufeff", "").strip() for h in header]
        for name, pos in positions.items():
            if pos is not None:
                names[pos] = name
        writer = _RawWriter(con, raw_name, table, positions, path.name, file_order, dialect, first_row_id)
        csv.field_size_limit(UNCLOSED_QUOTE_CHARS)
        scan = _LineScan(fh, first_line=2)
        reader = csv.reader(scan, delimiter=delimiter, strict=True)
        width = len(header)
        last_line = 1  # physical lines consumed so far (the header is line 1)
        chars = 0  # characters consumed so far (after the header)
        try:
            for record in reader:
                start = last_line + 1
                last_line = 1 + reader.line_num
                suspect = scan.chars - chars > MAX_FIELD_CHARS or (
                    scan.not_utf8 and not scan.not_utf8.isdisjoint(range(start, last_line + 1))
                )
                chars = scan.chars
                if len(record) == width:
                    writer.add(record, start, field_faults(record, names) if suspect else None)
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


def _unreadable(path: Path, exc: BaseException) -> FileError:
    return FileError(
        f"{path.name}: unreadable or truncated file ({one_line(exc)}); expected a complete "
        "CSV file (gzip-compressed for .csv.gz). Fix the transfer and rerun the build."
    )


def load_csv(con, path: Path, table: Table, raw_name: str, file_order: int, first_row_id: int) -> LoadedFile:
    """Strictly parse one CSV (or .csv.gz) file into the raw table, in the encoding `detect_encoding` decides."""
    try:
        check_complete(path)
        return _parse_csv(con, path, table, raw_name, file_order, first_row_id, detect_encoding(path))
    except UnicodeDecodeError as exc:  # only Windows-1252 decodes strictly; UTF-8 keeps bad bytes for their line
        raise FileError(
            f"{path.name}: the text is neither UTF-8 nor Windows-1252 ({one_line(exc)}); expected one of these "
            "encodings."
        ) from exc
    except (EOFError, gzip.BadGzipFile, zlib.error, OSError) as exc:
        raise _unreadable(path, exc) from exc
