"""kamdata/export.py: the CSVs parsed back with pandas, the workbook read with openpyxl, chunked = whole.

One frame holds every kind once, NULLs, umlauts, a separator and a quote inside a text, and formula
payloads (= + - @ tab) that must stay inert text in all three files.
"""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, datetime

import numpy as np
import openpyxl
import pandas as pd
import pytest

from kamdata import export
from kamdata.export import Column, Sheet

FORMULAS = ['=HYPERLINK("http://evil.example","klick")', "+49 30 1234", "-5 Tage", "@sum(A1)", "\tx"]
TEXTS = ["Müller; „Nord“, GmbH", 'sagt "ja"', None, *FORMULAS]
ROWS = len(TEXTS)


def frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "name": TEXTS,
            "count": pd.array([3, 1234567, None, 0, -4, 7, 8, 9], dtype="Int64"),
            "value": [1.25, -0.5, None, 1234567.891, 0.1 + 0.2, 2.0, 1e-4, 12.5],
            "share": [97.34, 50.0, 100.0, None, 0.0, 33.3, 66.7, 12.0],
            "money": [1234.5, 99999.0, None, -12.3, 0.0, 1.0, 2.0, 3.0],
            "day": [date(2026, 11, 20), date(2026, 1, 2), None, *[date(2025, 12, 31)] * 5],
            "month": pd.to_datetime(["2026-11-01", "2026-10-01", None, *["2026-01-01"] * 5]),
            "stamp": pd.to_datetime(
                ["2026-11-26 13:30", "2026-07-01 22:15", None, *["2026-01-01 00:00"] * 5], utc=True
            ),
            "late": [True, False, None, True, False, True, False, True],
            "hidden": ["not exported"] * ROWS,
        }
    )


COLUMNS = [
    Column("name", "Name"),
    Column("count", "Anzahl", "integer"),
    Column("value", "Wert", "number", 2),
    Column("share", "Anteil (%)", "pct"),
    Column("money", "Betrag", "eur"),
    Column("day", "Tag", "date"),
    Column("month", "Monat", "month"),
    Column("stamp", "Zeitpunkt", "timestamp"),
    Column("late", "Überfällig", "bool"),
]
# Berlin wall-clock time of the UTC stamps (CET +1, CEST +2)
LOCAL = [datetime(2026, 11, 26, 14, 30), datetime(2026, 7, 2, 0, 15), None, *[datetime(2026, 1, 1, 1, 0)] * 5]


def expected_texts() -> list:
    """The text column as it reads back from a CSV: formula-like cells with the leading quote."""
    return [None if t is None else ("'" + t if t.startswith(tuple("=+-@\t")) else t) for t in TEXTS]


def check_values(back: pd.DataFrame, texts: list) -> None:
    source = frame()
    assert list(back.columns) == [c.label for c in COLUMNS]
    assert [None if pd.isna(v) else v for v in back["Name"]] == texts
    assert [None if pd.isna(v) else int(v) for v in back["Anzahl"]] == [
        None if pd.isna(v) else int(v) for v in source["count"]
    ]
    for label, key in (("Wert", "value"), ("Anteil (%)", "share"), ("Betrag", "money")):
        assert np.allclose(back[label].astype(float), source[key].astype(float), equal_nan=True, rtol=0, atol=1e-12)
    assert [None if pd.isna(v) else v.date() for v in back["Tag"]] == list(source["day"])
    assert [None if pd.isna(v) else v.date() for v in back["Monat"]] == [
        None if pd.isna(v) else v.date() for v in source["month"]
    ]
    assert [None if pd.isna(v) else v.to_pydatetime() for v in back["Zeitpunkt"]] == LOCAL


def test_german_csv_parses_back_with_semicolon_and_decimal_comma():
    content = export.german_csv_bytes(frame(), COLUMNS)
    assert content.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: German Excel reads the umlauts
    text = content.decode("utf-8-sig")
    assert text.splitlines()[0] == "Name;Anzahl;Wert;Anteil (%);Betrag;Tag;Monat;Zeitpunkt;Überfällig"
    first = text.splitlines()[1]
    # decimal comma, no thousands separator, TT.MM.JJJJ, TT.MM.JJJJ HH:MM, WAHR/FALSCH
    assert first == '"Müller; „Nord“, GmbH";3;1,25;97,34;1234,5;20.11.2026;01.11.2026;26.11.2026 14:30;WAHR'
    assert text.splitlines()[3] == ";;;100;;;;;"  # NULL is an empty cell, never 0 or "k. A."
    assert "1234567,891" in text and "1.234.567" not in text
    back = pd.read_csv(
        io.BytesIO(content),
        sep=";",
        decimal=",",
        encoding="utf-8-sig",
        parse_dates=["Tag", "Monat", "Zeitpunkt"],
        date_format={"Tag": "%d.%m.%Y", "Monat": "%d.%m.%Y", "Zeitpunkt": "%d.%m.%Y %H:%M"},
        dayfirst=True,
    )
    check_values(back, expected_texts())
    assert [None if pd.isna(v) else v for v in back["Überfällig"]] == [
        "WAHR",
        "FALSCH",
        None,
        *["WAHR", "FALSCH"] * 2,
        "WAHR",
    ]


def test_plain_csv_round_trip():
    content = export.csv_bytes(frame(), COLUMNS)
    assert not content.startswith(b"\xef\xbb\xbf")
    assert content.decode().splitlines()[1] == (
        '"Müller; „Nord“, GmbH",3,1.25,97.34,1234.5,2026-11-20,2026-11-01,2026-11-26 14:30:00,true'
    )
    back = pd.read_csv(io.BytesIO(content), parse_dates=["Tag", "Monat", "Zeitpunkt"])
    check_values(back, expected_texts())
    assert list(back["Überfällig"].astype(object).where(back["Überfällig"].notna(), None)) == list(frame()["late"])


@pytest.mark.parametrize("payload", FORMULAS)
def test_csv_formula_payloads_start_with_a_quote(payload):
    single = pd.DataFrame({"name": [payload], "n": [-5]})
    columns = [Column("name", "Name"), Column("n", "N", "integer")]
    for content in (export.csv_bytes(single, columns), export.german_csv_bytes(single, columns)):
        cell = content.decode("utf-8-sig").split("\r\n")[1]
        assert cell.lstrip('"').startswith("'" + payload[0])
        assert cell.endswith("-5")  # a negative number stays a number


def workbook(content: bytes):
    return openpyxl.load_workbook(io.BytesIO(content)).active


def test_workbook_typed_cells_formats_header_and_inert_formulas():
    sheet = workbook(export.xlsx_bytes([Sheet("Tickets", frame(), COLUMNS)], "de", title="Test"))
    assert sheet.title == "Tickets"
    assert [c.value for c in sheet[1]] == [c.label for c in COLUMNS]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:I{ROWS + 1}"
    assert all(c.font.bold for c in sheet[1])
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    source = frame()
    assert [r[0] for r in rows] == TEXTS  # formula-like text unchanged, as text
    assert [r[1] for r in rows] == [None if pd.isna(v) else int(v) for v in source["count"]]
    # openpyxl writes 16 significant digits: 0.1 + 0.2 reads back as 0.3
    assert [r[2] for r in rows] == [None if pd.isna(v) else pytest.approx(v, rel=1e-15) for v in source["value"]]
    assert [r[5] for r in rows] == [None if d is None else datetime(d.year, d.month, d.day) for d in source["day"]]
    assert [r[7] for r in rows] == LOCAL
    assert [r[8] for r in rows] == list(source["late"])
    for row in sheet.iter_rows(min_row=2, max_col=1):
        cell = row[0]
        if isinstance(cell.value, str) and cell.value.startswith(tuple("=+-@\t")):
            assert cell.data_type == "s" and cell.quotePrefix  # never a formula
    formats = {c.value: sheet.cell(2, i + 1).number_format for i, c in enumerate(sheet[1])}
    assert formats["Anzahl"] == "#,##0"
    assert formats["Wert"] == "#,##0.00"
    assert formats["Anteil (%)"] == '#,##0.0 "%"'
    assert formats["Betrag"] == '#,##0 "€"'
    assert formats["Tag"] == "DD.MM.YYYY"
    assert "MMMM" in formats["Monat"]
    assert formats["Zeitpunkt"] == "DD.MM.YYYY HH:MM"


def test_workbook_in_english_uses_iso_dates_and_leading_euro():
    sheet = workbook(export.xlsx_bytes([Sheet("T", frame(), COLUMNS)], "en"))
    assert sheet["E2"].number_format == '"€"#,##0'
    assert sheet["F2"].number_format == "YYYY-MM-DD"


def chunks(size: int):
    whole = frame()
    return (whole.iloc[start : start + size] for start in range(0, len(whole), size))


@pytest.mark.parametrize("size", [1, 3, 100])
def test_chunked_files_equal_the_unchunked_ones(size):
    whole = frame()
    assert b"".join(export.iter_csv(chunks(size), COLUMNS)) == export.csv_bytes(whole, COLUMNS)
    assert b"".join(export.iter_german_csv(chunks(size), COLUMNS)) == export.german_csv_bytes(whole, COLUMNS)
    one = workbook(export.xlsx_bytes([Sheet("T", whole, COLUMNS)], "de"))
    many = workbook(export.xlsx_bytes([Sheet("T", chunks(size), COLUMNS)], "de"))
    assert list(one.values) == list(many.values)
    assert many.auto_filter.ref == one.auto_filter.ref


def test_empty_result_has_the_header_only():
    empty = frame().iloc[0:0]
    assert export.german_csv_bytes(empty, COLUMNS).decode("utf-8-sig").splitlines() == [
        "Name;Anzahl;Wert;Anteil (%);Betrag;Tag;Monat;Zeitpunkt;Überfällig"
    ]
    assert export.csv_bytes(iter([]), COLUMNS).decode().count("\r\n") == 1
    sheet = workbook(export.xlsx_bytes([Sheet("T", iter([]), COLUMNS)], "de"))
    assert [c.value for c in sheet[1]] == [c.label for c in COLUMNS]


def test_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="unknown column kind"):
        export.csv_bytes(frame(), [Column("name", "Name", "percentish")])


ATTACKS = [
    '=HYPERLINK("http://evil.example","klick")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "-1+2",
    "\t=1+2",
    "\r=1+2",
]


@pytest.mark.parametrize("attack", ATTACKS, ids=["hyperlink", "plus-dde", "at-sum", "minus", "tab", "cr"])
def test_formula_attacks_read_back_as_text_from_every_file(attack):
    """The payload as a cell and as a column label: the CSVs parse back (csv module, pandas with the
    German separators) to the quoted text; the workbook holds the exact text, typed as a string
    with the quote prefix, and no formula anywhere."""
    single = pd.DataFrame({"name": [attack], "n": [-5]})
    columns = [Column("name", attack), Column("n", "N", "integer")]
    plain = list(csv.reader(io.StringIO(export.csv_bytes(single, columns).decode(), newline="")))
    assert plain == [["'" + attack, "N"], ["'" + attack, "-5"]]
    german = pd.read_csv(
        io.BytesIO(export.german_csv_bytes(single, columns)), sep=";", decimal=",", encoding="utf-8-sig", dtype=str
    )
    assert list(german.columns) == ["'" + attack, "N"]
    assert german.iloc[0].tolist() == ["'" + attack, "-5"]
    content = export.xlsx_bytes([Sheet("Daten", single, columns)], "de")
    with zipfile.ZipFile(io.BytesIO(content)) as book:
        assert not any(b"<f>" in book.read(n) for n in book.namelist() if n.startswith("xl/worksheets/"))
    sheet = workbook(content)
    for cell in (sheet["A1"], sheet["A2"]):  # XML reads a bare CR back as LF
        assert cell.value == attack.replace("\r", "\n") and cell.data_type == "s" and cell.quotePrefix
    assert sheet["B2"].value == -5 and sheet["B2"].data_type == "n"
