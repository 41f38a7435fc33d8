"""Tables as files a KAM opens in Excel: CSV, CSV for German Excel, and .xlsx (no Streamlit).

A table is a frame plus the shown columns (`Column(key, label, kind, decimals)`, the review model's
column; kinds are `model.KINDS` plus "bool"): only those columns are written, in that order, under
their business labels. Values are the raw typed values, never the displayed text.

- `csv_bytes`: `,`, `.` decimals, ISO dates (`2026-11-26`, `2026-11-26 14:30:00`), UTF-8 without BOM,
  booleans `true`/`false`: for tools and scripts.
- `german_csv_bytes`: `;`, decimal comma, no thousands separator, dates `TT.MM.JJJJ`, timestamps
  `TT.MM.JJJJ HH:MM` (Berlin time), booleans `WAHR`/`FALSCH`, UTF-8 with BOM, so a German Excel opens
  it by double-click with umlauts, numbers and dates intact.
- `xlsx_bytes`: typed cells (numbers as numbers, dates as dates) with German-friendly number formats,
  a frozen bold header row with an autofilter; openpyxl's write-only mode, so a big result is written
  row by row. The review pack's workbook (kamdata/review/xlsx.py) writes its cells with the same
  `typed`/`put`/`number_format`.

Every writer takes one frame or an iterable of frames (chunks): `iter_csv`/`iter_german_csv` yield
the file piece by piece, and a chunked file equals the file of the concatenated frame.
NULL is an empty cell everywhere.

Safety (CSV/formula injection): a text cell beginning with = + - @ tab or CR would be read by
Excel as a formula (=HYPERLINK(...), =cmd|...). In the workbook it is stored as a string with
Excel's quote prefix: the cell shows the text unchanged and never runs. A CSV has no cell types, so
there it is written with a leading single quote, as OWASP recommends ("'=1+2" shows as "'=1+2" and
is inert). Only text cells and labels are guarded; numbers are written as numbers, so "-5" stays -5.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from itertools import chain
from typing import Any, NamedTuple, TypeAlias

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from kamdata.app.formats import missing
from kamdata.query import TIMEZONE
from kamdata.review.model import KINDS, Column, display

__all__ = [
    "Column",
    "Sheet",
    "csv_bytes",
    "german_csv_bytes",
    "iter_csv",
    "iter_german_csv",
    "number_format",
    "put",
    "sheet_name",
    "typed",
    "xlsx_bytes",
]

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NUMERIC_KINDS = frozenset({"integer", "number", "pct", "eur", "hours", "days", "score"})
EXPORT_KINDS = frozenset(KINDS) | {"bool"}
SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")
HEADER_FILL = PatternFill("solid", fgColor="33475B")
HEADER_FONT = Font(bold=True, color="FFFFFF")
MAX_WIDTH = 60  # characters; longer texts wrap
WIDTH_SAMPLE_ROWS = 500  # column widths from the header and the first rows (a streamed sheet is not read twice)
CSV_MIME = "text/csv"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

Frames: TypeAlias = pd.DataFrame | Iterable[pd.DataFrame]


class Sheet(NamedTuple):
    """One worksheet: its title, the frame (or chunks of it) and the shown columns."""

    title: str
    data: Frames
    columns: Sequence[Column]


def _chunks(data: Frames) -> Iterator[pd.DataFrame]:
    return iter([data]) if isinstance(data, pd.DataFrame) else iter(data)


def _check(columns: Sequence[Column]) -> None:
    unknown = [c.kind for c in columns if c.kind not in EXPORT_KINDS]
    if unknown:
        raise ValueError(f"unknown column kind(s) {unknown}")


# --- cell values --------------------------------------------------------------------------------------


def _day(value: Any) -> date:
    if isinstance(value, str):
        return date.fromisoformat(value[:10])
    if isinstance(value, (pd.Timestamp, datetime)):
        return value.date()
    return value


def _local(value: Any) -> datetime:
    """A naive wall-clock datetime in Berlin time (aware values converted; Excel has no time zones)."""
    stamp = pd.Timestamp(value)
    if stamp.tzinfo is not None:
        stamp = stamp.tz_convert(TIMEZONE).tz_localize(None)
    return stamp.to_pydatetime()


def _number(value: Any) -> float | None:
    number = float(value)
    return None if math.isnan(number) or math.isinf(number) else number


def typed(value: Any, kind: str) -> Any:
    """The cell value of one raw value: None for missing, a date/datetime, a bool, an int/float, or a string."""
    if missing(value):
        return None
    if kind in ("date", "month"):
        return _day(value)
    if kind == "timestamp":
        return _local(value)
    if kind == "bool":
        return bool(value)
    if kind == "text":
        return ILLEGAL_CHARACTERS_RE.sub("", str(value))
    number = _number(value)
    if number is None:
        return None
    return int(number) if kind in ("integer", "days") and number.is_integer() else number


def number_format(kind: str, decimals: int | None, lang: str) -> str:
    """Excel number format for a kind (German-friendly: Excel shows the separators of the reader's
    locale; months by name in the file's language via the locale tag)."""
    if kind == "date":
        return "DD.MM.YYYY" if lang == "de" else "YYYY-MM-DD"
    if kind == "timestamp":
        return "DD.MM.YYYY HH:MM" if lang == "de" else "YYYY-MM-DD HH:MM"
    if kind == "month":
        return "[$-407]MMMM YYYY" if lang == "de" else "[$-409]MMMM YYYY"
    if kind == "text":
        return "@"
    if kind == "bool":
        return "General"
    places = KINDS[kind] if decimals is None else decimals
    digits = "#,##0" + ("." + "0" * places if places else "")
    if kind == "pct":
        return f'{digits} "%"'
    if kind == "eur":
        return f'{digits} "€"' if lang == "de" else f'"€"{digits}'
    if kind == "hours":
        return f'{digits} "h"'
    return digits


def put(cell: Cell, value: Any, kind: str = "text", decimals: int | None = None, lang: str = "de") -> None:
    """Write a typed value; a text that Excel would read as a formula is stored as quoted text."""
    if kind == "text" and value is not None and not isinstance(value, str):
        value = str(value)
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell.value = value
        if value.startswith(FORMULA_START):
            cell.data_type = "s"  # openpyxl would otherwise store "=..." as a formula
            cell.quotePrefix = True
        return
    cell.value = value
    if value is not None and kind != "text":
        cell.number_format = number_format(kind, decimals, lang)


def safe_text(value: str) -> str:
    """A CSV text cell that no spreadsheet reads as a formula (OWASP: a leading single quote)."""
    return "'" + value if value.startswith(FORMULA_START) else value


# --- CSV ----------------------------------------------------------------------------------------------


def _csv_texts(series: pd.Series, column: Column, german: bool) -> list[str]:
    """One column's cells as CSV text."""
    kind = column.kind
    out: list[str] = []
    for value in series.tolist():
        if missing(value):
            out.append("")
        elif kind == "text":
            out.append(safe_text(str(value)))
        elif kind in ("date", "month"):
            day = _day(value)
            out.append(day.strftime("%d.%m.%Y") if german else day.isoformat())
        elif kind == "timestamp":
            stamp = _local(value)
            out.append(stamp.strftime("%d.%m.%Y %H:%M") if german else stamp.strftime("%Y-%m-%d %H:%M:%S"))
        elif kind == "bool":
            out.append(("WAHR" if value else "FALSCH") if german else ("true" if value else "false"))
        else:
            number = _number(value)
            if number is None:
                out.append("")
                continue
            text = str(int(number)) if number.is_integer() else np.format_float_positional(number, trim="-")
            out.append(text.replace(".", ",") if german else text)
    return out


def _iter_csv(data: Frames, columns: Sequence[Column], german: bool) -> Iterator[bytes]:
    _check(columns)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";" if german else ",", lineterminator="\r\n")
    writer.writerow([safe_text(c.label) for c in columns])
    prefix = "\ufeff" if german else ""
    for chunk in _chunks(data):
        cells = [_csv_texts(chunk[c.key], c, german) for c in columns]
        writer.writerows(zip(*cells))
        yield (prefix + buffer.getvalue()).encode("utf-8")
        prefix = ""
        buffer.seek(0)
        buffer.truncate()
    if prefix or buffer.getvalue():  # no chunks at all: the header alone
        yield (prefix + buffer.getvalue()).encode("utf-8")


def iter_csv(data: Frames, columns: Sequence[Column]) -> Iterator[bytes]:
    """The plain CSV of `data`, chunk by chunk (header first)."""
    return _iter_csv(data, columns, german=False)


def iter_german_csv(data: Frames, columns: Sequence[Column]) -> Iterator[bytes]:
    """The CSV for German Excel of `data`, chunk by chunk (BOM and header first)."""
    return _iter_csv(data, columns, german=True)


def csv_bytes(data: Frames, columns: Sequence[Column]) -> bytes:
    """Plain CSV: `,`, `.` decimals, ISO dates, UTF-8."""
    return b"".join(iter_csv(data, columns))


def german_csv_bytes(data: Frames, columns: Sequence[Column]) -> bytes:
    """CSV for German Excel: `;`, decimal comma, dates TT.MM.JJJJ, UTF-8 with BOM."""
    return b"".join(iter_german_csv(data, columns))


# --- workbook -----------------------------------------------------------------------------------------


def sheet_name(title: str, taken: set[str]) -> str:
    """A valid, unique sheet name from a title: no []:*?/\\, no leading/trailing quote, at most 31 chars."""
    base = SHEET_NAME_BAD.sub(" ", title).strip().strip("'").strip() or "Tabelle"
    base = re.sub(r"\s+", " ", base)[:31].rstrip()
    name, n = base, 2
    while name.lower() in {t.lower() for t in taken}:
        suffix = f" ({n})"
        name = base[: 31 - len(suffix)].rstrip() + suffix
        n += 1
    taken.add(name)
    return name


def header(cell: Cell) -> None:
    """The style of a header cell: bold white on dark blue, wrapped."""
    cell.font = HEADER_FONT
    cell.fill = HEADER_FILL
    cell.alignment = Alignment(vertical="top", wrap_text=True)


def set_widths(sheet: Worksheet, texts: list[list[str]]) -> None:
    """Column widths from the longest shown text (header words and cells), capped; wrap beyond."""
    for index in range(max((len(r) for r in texts), default=0)):
        longest = max((len(row[index]) for row in texts if index < len(row)), default=8)
        sheet.column_dimensions[get_column_letter(index + 1)].width = min(MAX_WIDTH, max(8, longest + 2))


def _shown(value: Any, column: Column, lang: str) -> str:
    if column.kind == "bool" or missing(value):
        return str(value)
    return display(value, column.kind, lang, column.decimals)


def _write_sheet(workbook: Workbook, sheet: Sheet, lang: str, taken: set[str]) -> None:
    columns = list(sheet.columns)
    _check(columns)
    ws = workbook.create_sheet(sheet_name(sheet.title, taken))
    chunks = _chunks(sheet.data)
    first = next(chunks, None)
    sample = [] if first is None else first[[c.key for c in columns]].head(WIDTH_SAMPLE_ROWS).itertuples(False)
    set_widths(ws, [[c.label for c in columns], *[[_shown(v, c, lang) for v, c in zip(r, columns)] for r in sample]])
    ws.freeze_panes = "A2"  # before the first row: write-only sheets write their views first
    heads = []
    for column in columns:
        cell = WriteOnlyCell(ws)
        put(cell, column.label)
        header(cell)
        heads.append(cell)
    ws.append(heads)
    rows = 1
    for chunk in chain([] if first is None else [first], chunks):
        frame = chunk[[c.key for c in columns]]
        for values in frame.itertuples(False):
            cells = []
            for value, column in zip(values, columns):
                cell = WriteOnlyCell(ws)
                put(cell, typed(value, column.kind), column.kind, column.decimals, lang)
                cells.append(cell)
            ws.append(cells)
            rows += 1
    if columns:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(rows, 2)}"


def xlsx_bytes(sheets: Sequence[Sheet], lang: str, title: str | None = None) -> bytes:
    """A workbook with one sheet per `Sheet` (header row 1, frozen, autofilter; typed cells)."""
    workbook = Workbook(write_only=True)
    taken: set[str] = set()
    for sheet in sheets:
        _write_sheet(workbook, Sheet(*sheet), lang, taken)
    if not sheets:
        workbook.create_sheet(sheet_name("", taken))
    workbook.properties.creator = "KAM Cockpit"
    if title:
        workbook.properties.title = title
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
