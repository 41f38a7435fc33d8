"""Explorer in the browser: a grouped result built on the page, downloaded as CSV for German Excel and as a
workbook; both files hold the values of the same query run directly on the fixture database.

App fixture (tests/app_fixture.py), default period 01.12.2025 - 26.11.2026: tickets per priority with
the resolution compliance met / (met + breached): P1 3 tickets 50.0 %, P2 1 ticket 0.0 %, P3 1 ticket n/a.
"""

from __future__ import annotations

import io
from pathlib import Path

import duckdb
import openpyxl
import pandas as pd
import pytest

HEADERS = ["Priorität", "Anzahl Zeilen", "Lösungs-SLA-Erfüllung (%)"]


@pytest.fixture(scope="module")
def expected(app_db) -> pd.DataFrame:
    with duckdb.connect(str(app_db), read_only=True) as con:
        frame = con.execute(
            "select priority, count(*) as n, "
            "100.0 * count(*) filter (where resolution_status = 'met') "
            "/ nullif(count(*) filter (where resolution_status in ('met', 'breached')), 0) as pct "
            "from mart_ticket_sla where created_date between date '2025-12-01' and date '2026-11-26' "
            "group by 1 order by 1"
        ).df()
    frame.columns = HEADERS
    return frame


def _download(page, label: str):
    page.get_by_role("button", name="Herunterladen").click()
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name=label).click()
    page.keyboard.press("Escape")
    return info.value


def _same(found: pd.DataFrame, expected: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(found.reset_index(drop=True), expected, check_dtype=False, atol=1e-9)


def test_grouped_result_downloads_as_german_csv_and_workbook(page, app_url, idle, screenshot, expected):
    page.goto(f"{app_url}/explorer?ds=ticket_sla")
    idle(page)
    # build the grouping and the measures on the page: group by priority, add the compliance measure
    page.get_by_role("combobox", name="Gruppieren nach").click()
    page.get_by_role("option", name="Priorität", exact=True).click()
    page.keyboard.press("Escape")
    idle(page)
    page.get_by_role("combobox", name="Kennzahlen").click()
    page.get_by_role("option", name="Lösungs-SLA-Erfüllung (%)").click()
    page.keyboard.press("Escape")
    # the app writes the state into the URL at the end of the run the change started
    page.wait_for_function(
        "() => /by=priority/.test(location.search) && /m=resolution_compliance/.test(location.search)"
    )
    idle(page)
    page.wait_for_selector('[data-testid="stVegaLiteChart"]')
    screenshot(page, "explorer-grouped")

    german = _download(page, "CSV für deutsches Excel")
    assert german.suggested_filename.endswith("_de.csv")
    assert Path(german.path()).read_bytes().startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM
    _same(pd.read_csv(german.path(), sep=";", decimal=",", encoding="utf-8-sig"), expected)

    workbook = _download(page, "Excel (.xlsx)")
    assert workbook.suggested_filename.endswith(".xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(Path(workbook.path()).read_bytes()), read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS
    # read-only mode leaves out a row's trailing empty cells (P3's n/a compliance): pad them back
    cells = pd.DataFrame([[*r, *[None] * (len(HEADERS) - len(r))] for r in rows[1:]], columns=HEADERS)
    assert all(isinstance(v, (int, float)) for v in cells["Anzahl Zeilen"])  # typed cells, not text
    _same(cells.astype({"Lösungs-SLA-Erfüllung (%)": float}), expected)
