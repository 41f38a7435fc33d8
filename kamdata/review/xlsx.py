"""The review pack as an Excel workbook: `render(review) -> bytes` (openpyxl).

Sheets: a cover (account, KAM, industry, region, as-of date, data version, health score and band, the
cover sentences), the key figures of every section (typed, with window and note), then one sheet per
table shown, in the order of the review. A table sheet has the title and window above a frozen header
row with an autofilter; its cells are typed from the model's column kinds (numbers as numbers, dates as
dates; percentages are the model's 0-100 values with a '0.0 "%"' format, euros '#,##0 "€"'), so a KAM
can sort and sum without re-typing. Values are the Review's raw values, never the displayed text.

Cells are written by kamdata.export's `typed`/`put`/`number_format`, the same writer as every table
download. Safety: a text cell beginning with = + - @ tab or CR is stored as a string with Excel's quote
prefix, so a formula in the data (=HYPERLINK(...)) is shown as text and never runs.
"""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from kamdata.app.charts.base import BAND_COLORS
from kamdata.app.i18n import text
from kamdata.export import header, put, set_widths, sheet_name, typed
from kamdata.review.model import Column, Figure, Review, Table, display

HIGHLIGHT_FILL = PatternFill("solid", fgColor="FBE0E0")
BOLD = Font(bold=True)
MUTED = Font(color="5F6B7A", italic=True)


def _cover(sheet: Worksheet, review: Review) -> None:
    lang = review.lang
    sheet["A1"] = text("pack.title", lang)
    sheet["A1"].font = Font(bold=True, size=14)
    put(sheet["A2"], review.account_name)
    sheet["A2"].font = Font(bold=True, size=12)
    rows: list[tuple[str, Any, str]] = [
        ("pack.cover.account_id", review.account_id, "text"),
        ("pack.cover.kam", review.kam_name, "text"),
        ("pack.cover.industry", review.industry, "text"),
        ("pack.cover.region", review.region, "text"),
        ("pack.cover.as_of", review.as_of, "date"),
        ("pack.cover.version", review.build_id, "text"),
        ("pack.cover.score", review.health_score, "score"),
        ("pack.cover.band", review.band_label, "text"),
    ]
    for offset, (key, value, kind) in enumerate(rows):
        row = 4 + offset
        sheet.cell(row, 1, text(key, lang)).font = BOLD
        put(sheet.cell(row, 2), typed(value, kind), kind, None, lang)
        sheet.cell(row, 2).alignment = Alignment(horizontal="left")
    band = sheet.cell(4 + len(rows) - 1, 2)
    band.fill = PatternFill("solid", fgColor=BAND_COLORS.get(review.band, BAND_COLORS[None]).lstrip("#").upper())
    row = 4 + len(rows) + 1
    if review.cover:
        sheet.cell(row, 1, text("pack.cover.summary", lang)).font = BOLD
        for sentence in review.cover:
            row += 1
            put(sheet.cell(row, 1), sentence)
    sheet.column_dimensions["A"].width = 18
    sheet.column_dimensions["B"].width = 40


def _figures(sheet: Worksheet, review: Review) -> None:
    lang = review.lang
    heads = ["pack.sheet.section", "pack.sheet.figure", "pack.sheet.value", "pack.sheet.window", "pack.sheet.note"]
    for col, key in enumerate(heads, start=1):
        put(sheet.cell(1, col), text(key, lang))
        header(sheet.cell(1, col))
    shown: list[list[str]] = [[text(k, lang) for k in heads]]
    row = 1
    for section in review.sections:
        figure: Figure
        for figure in section.figures:
            row += 1
            put(sheet.cell(row, 1), section.title)
            put(sheet.cell(row, 2), figure.label)
            put(sheet.cell(row, 3), typed(figure.value, figure.kind), figure.kind, figure.decimals, lang)
            put(sheet.cell(row, 4), figure.window)
            put(sheet.cell(row, 5), figure.note)
            shown.append([section.title, figure.label, figure.text(lang), figure.window, figure.note or ""])
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:E{row}"
    set_widths(sheet, shown)


def _table(sheet: Worksheet, table: Table, lang: str) -> None:
    """Title (row 1), window and note (row 2), header (row 4, frozen), then one row per frame row."""
    put(sheet["A1"], table.title)
    sheet["A1"].font = Font(bold=True, size=12)
    put(sheet["A2"], table.window + (f" · {table.note}" if table.note else ""))
    sheet["A2"].font = MUTED
    header_row = 4
    columns: tuple[Column, ...] = table.columns
    for col, column in enumerate(columns, start=1):
        put(sheet.cell(header_row, col), column.label)
        header(sheet.cell(header_row, col))
    marks = table.frame[table.highlight].fillna(False).astype(bool).tolist() if table.highlight else []
    shown: list[list[str]] = [[c.label for c in columns]]
    for offset, values in enumerate(table.shown().itertuples(False)):
        row = header_row + 1 + offset
        for col, (value, column) in enumerate(zip(values, columns), start=1):
            cell = sheet.cell(row, col)
            put(cell, typed(value, column.kind), column.kind, column.decimals, lang)
            if column.kind == "text":
                cell.alignment = Alignment(vertical="top", wrap_text=True)
            if marks and marks[offset]:
                cell.fill = HIGHLIGHT_FILL
        shown.append([display(v, c.kind, lang, c.decimals) for v, c in zip(values, columns)])
    last_row = header_row + max(len(table.frame), 1)
    sheet.freeze_panes = sheet.cell(header_row + 1, 1)
    sheet.auto_filter.ref = f"A{header_row}:{get_column_letter(len(columns))}{last_row}"
    set_widths(sheet, shown)


def render(review: Review) -> bytes:
    """The review pack of `review` as .xlsx bytes."""
    workbook = Workbook()
    taken: set[str] = set()
    cover = workbook.active
    cover.title = sheet_name(text("pack.sheet.cover", review.lang), taken)
    _cover(cover, review)
    if any(section.figures for section in review.sections):
        _figures(workbook.create_sheet(sheet_name(text("pack.sheet.figures", review.lang), taken)), review)
    for section in review.sections:
        for table in section.tables:
            _table(workbook.create_sheet(sheet_name(table.title, taken)), table, review.lang)
    workbook.properties.title = f"{text('pack.title', review.lang)}: {review.account_name}"
    workbook.properties.creator = "KAM Cockpit"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
