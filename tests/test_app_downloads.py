"""The download menu under every table (kamdata/app/downloads.py through widgets.table), in AppTest on
the app fixture: each page's every grid has one "Herunterladen"/"Download" popover with the three
formats in the app language; nothing is written on a page run; the German CSV and the workbook made
by the buttons' callables hold the grid's values under the shown labels.
"""

from __future__ import annotations

import csv
import io
import tomllib
import zipfile
from datetime import datetime
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import streamlit as st

from kamdata import export
from kamdata.app import frame, widgets
from kamdata.app.i18n import text
from tests.payload_fixture import MARKUP

PAGES = [
    ("app_pages/portfolio.py", {}),
    ("app_pages/sla.py", {}),
    ("app_pages/sustainability.py", {}),
    ("app_pages/workload.py", {}),
    ("app_pages/data_status.py", {}),
    ("app_pages/account_review.py", {"account": "A1"}),
]
ROOT = Path(__file__).resolve().parent.parent
PAYLOAD_PAGES = [*PAGES, ("app_pages/explorer.py", {"ds": "tickets", "by": "account_name"})]
BUTTONS = {
    "de": ["Excel (.xlsx)", "CSV", "CSV für deutsches Excel"],
    "en": ["Excel (.xlsx)", "CSV", "CSV for German Excel"],
}


@pytest.fixture
def recorded(monkeypatch):
    """Every download menu (data, columns, stem) and button (label, callable, file name) of the last
    run (the frame's data header starts a run: run_app runs the app before switching pages); the export
    writers count their calls (a page run must not make any file)."""
    record: dict = {"menus": [], "buttons": [], "made": 0}
    menu, button, header = widgets.download_menu, st.download_button, frame.data_header

    def new_run(*args, **kwargs):
        record["menus"].clear()
        record["buttons"].clear()
        return header(*args, **kwargs)

    def spy_menu(data, columns, file_stem, key, **kwargs):
        record["menus"].append((data, list(columns), file_stem))
        return menu(data, columns, file_stem, key, **kwargs)

    def spy_button(label, data, file_name=None, *args, **kwargs):
        record["buttons"].append((label, data, file_name))
        return button(label, data, file_name, *args, **kwargs)

    monkeypatch.setattr(frame, "data_header", new_run)
    monkeypatch.setattr(widgets, "download_menu", spy_menu)
    monkeypatch.setattr(st, "download_button", spy_button)
    for name in ("xlsx_bytes", "csv_bytes", "german_csv_bytes"):
        writer = getattr(export, name)

        def counted(*args, _writer=writer, **kwargs):
            record["made"] += 1
            return _writer(*args, **kwargs)

        monkeypatch.setattr(export, name, counted)
    return record


def menus(at, lang: str) -> list:
    return [p for p in at.get("popover") if p.proto.popover.label == text("downloads.menu", lang)]


@pytest.mark.parametrize("lang", ["de", "en"])
@pytest.mark.parametrize(("page", "query"), PAGES, ids=[p.split("/")[1][:-3] for p, _ in PAGES])
def test_every_table_has_the_menu_in_the_app_language(run_app, recorded, page, query, lang):
    at = run_app(page, lang=lang, **query)
    assert not at.exception
    grids = len(at.dataframe)
    assert grids > 0
    assert len(menus(at, lang)) == grids == len(recorded["menus"])
    menu_buttons = [b for b in at.get("download_button") if (b.key or "").startswith("download-")]
    assert [b.label for b in menu_buttons] == BUTTONS[lang] * grids
    assert recorded["made"] == 0  # the files are made on click only
    names = [name for label, _, name in recorded["buttons"] if label in BUTTONS[lang]]
    assert all(n.endswith(("_2026-11-26.xlsx", "_2026-11-26.csv", "_2026-11-26_de.csv")) for n in names)
    assert len(set(names)) == len(names)  # every table its own file names


def german_csv(make) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(make()), sep=";", decimal=",", encoding="utf-8-sig", dtype=str, keep_default_na=False)


def _blank(value) -> bool:
    return value is None or (not isinstance(value, (list, tuple)) and pd.isna(value)) or value == ""


def same(cell: str, value, kind: str) -> bool:
    """A German CSV cell (read as text) against the grid's raw value."""
    if _blank(value):
        return cell == ""
    if kind == "text":
        text_value = str(value)
        return cell == ("'" + text_value if text_value.startswith(export.FORMULA_START) else text_value)
    if kind == "bool":
        return cell == ("WAHR" if value else "FALSCH")
    if kind in ("date", "month"):
        return cell == pd.Timestamp(value).strftime("%d.%m.%Y")
    if kind == "timestamp":
        return cell == pd.Timestamp(value).strftime("%d.%m.%Y %H:%M")
    return abs(float(cell.replace(",", ".")) - float(value)) < 1e-9


@pytest.mark.parametrize(("page", "query"), PAGES, ids=[p.split("/")[1][:-3] for p, _ in PAGES])
def test_downloaded_files_hold_the_tables_values(run_app, recorded, page, query):
    at = run_app(page, **query)
    assert not at.exception
    makers = [data for label, data, _ in recorded["buttons"] if label in BUTTONS["de"]]
    assert len(makers) == 3 * len(recorded["menus"])
    for index, (_, columns, stem) in enumerate(recorded["menus"]):
        grid = at.dataframe[index].value
        xlsx, _, german = makers[3 * index : 3 * index + 3]
        back = german_csv(german)
        assert list(back.columns) == [c.label for c in columns], stem
        assert len(back) == len(grid), stem
        for column in columns:
            cells, values = list(back[column.label]), list(grid[column.key])
            bad = [(c, v) for c, v in zip(cells, values) if not same(c, v, column.kind)]
            assert not bad, (stem, column.key, bad[:3])
        sheet = openpyxl.load_workbook(io.BytesIO(xlsx())).active
        rows = list(sheet.iter_rows(values_only=True))
        assert list(rows[0]) == [c.label for c in columns] and len(rows) == len(grid) + 1, stem
        for position, column in enumerate(columns):
            for row, value in zip(rows[1:], grid[column.key]):
                cell = row[position]
                if _blank(value):
                    assert cell in (None, ""), (stem, column.key)
                elif column.kind in ("integer", "number", "eur", "pct", "hours", "days", "score"):
                    assert cell == pytest.approx(float(value)), (stem, column.key)
                elif column.kind in ("date", "month"):
                    assert cell == datetime.combine(pd.Timestamp(value).date(), datetime.min.time()), (stem, column.key)
                elif column.kind == "text":
                    assert cell == str(value), (stem, column.key)


def test_english_portfolio_download_has_english_business_labels(run_app, recorded):
    at = run_app(lang="en")
    assert not at.exception
    labels = [[c.label for c in columns] for _, columns, _ in recorded["menus"]]
    accounts = next(labels for labels in labels if text("portfolio.table.health", "en") in labels)
    assert text("portfolio.table.account", "en") in accounts
    assert "account_name" not in accounts and "health_score" not in accounts
    assert text("portfolio.table.trend", "en") not in accounts  # the sparkline is no cell value


def _cells(name: str, content: bytes) -> tuple[list[str], list[str]]:
    """(text cells that start like a formula, payload cells) of one downloaded file: the CSVs parsed
    back with the csv module, the workbook's shared strings and cells read with openpyxl."""
    if name.endswith(".csv"):
        delimiter = ";" if name.endswith("_de.csv") else ","
        rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""), delimiter=delimiter))
        cells = [cell for row in rows for cell in row]
        live = [c for c in cells if c.startswith(export.FORMULA_START) and not _is_number(c)]
        return live, [c for c in cells if MARKUP in c]
    with zipfile.ZipFile(io.BytesIO(content)) as book:
        sheets = [n for n in book.namelist() if n.startswith("xl/worksheets/")]
        assert not any(b"<f>" in book.read(n) or b"<f " in book.read(n) for n in sheets), name
    book = openpyxl.load_workbook(io.BytesIO(content))
    cells = [cell for sheet in book for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)]
    live = [c.value for c in cells if c.value.startswith(export.FORMULA_START) and not c.quotePrefix]
    return live, [c.value for c in cells if MARKUP in c.value]


def _is_number(cell: str) -> bool:
    try:
        float(cell.replace(",", "."))
    except ValueError:
        return False
    return True


@pytest.mark.parametrize(("page", "query"), PAYLOAD_PAGES, ids=[p.split("/")[1][:-3] for p, _ in PAYLOAD_PAGES])
def test_formula_payloads_download_as_inert_text(run_app, recorded, payload_db, page, query):
    """Names starting with = + - @ (tests/payload_fixture.py) reach every page's downloads (grids,
    explorer, review pack workbook) as text: a CSV cell with the leading quote, a workbook cell with
    Excel's quote prefix, never a formula."""
    at = run_app(page, db_path=payload_db, **query)
    assert not at.exception
    payloads = 0
    for _, data, name in recorded["buttons"]:
        if not name.endswith((".csv", ".xlsx")):
            continue
        live, found = _cells(name, data() if callable(data) else data)
        assert not live, (name, live[:3])
        payloads += len(found)
    assert payloads > 0  # the payloads did reach this page's files


def test_grids_built_in_csv_export_is_off():
    """The grids' own "Download as CSV" writes formula text live; only the app's menu may export.
    The option is one the installed Streamlit knows (a misspelt key would be ignored silently)."""
    from streamlit import config

    settings = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert settings["client"]["disableDataExport"] is True
    assert "client.disableDataExport" in config._config_options_template
