"""Integers in the browser: a rejected row's line number and an emission-factor year show their exact
digits in the grid.

Streamlit's NumberColumn format "plain" draws 50591 as 50590.99999999999 (small numbers such as the
app fixture's line 8 come out right), so this test builds its own fixture database whose rejected
row sits on line 50591 of time_bookings.csv and starts a second server on it:
header (line 1) + base bookings B1, B2 (lines 2-3) + 50,587 padding bookings (lines 4-50590) +
one booking of 30 h (line 50591; hours must be greater than 0 and at most 24 -> rejected).
"""

from __future__ import annotations

import re
from datetime import date

import duckdb
import pytest

from tests.e2e.conftest import streamlit_server
from tests.exportset import base_row, build_fixture_db

LINE = 50591
PADDING = LINE - 4  # lines 4 .. LINE - 1


@pytest.fixture(scope="module")
def numbers_db(tmp_path_factory):
    padding = [
        base_row("time_bookings", booking_id=f"P{i}", booking_date=date(2026, 11, 2), hours=1.0) for i in range(PADDING)
    ]
    bad = base_row("time_bookings", booking_id="BAD", hours=30.0)
    return build_fixture_db(tmp_path_factory.mktemp("numbers"), add={"time_bookings": [*padding, bad]})


@pytest.fixture(scope="module")
def numbers_url(numbers_db, tmp_path_factory):
    """A second server on the numbers database; stopped after the module."""
    with streamlit_server(numbers_db, tmp_path_factory.mktemp("numbers-server")) as url:
        yield url


# The grid draws its cells on a canvas; its accessible table holds the raw values ("50591" even where
# the canvas shows 50590.99999999999). So record what is drawn: every fillText on any canvas.
RECORD_CANVAS_TEXT = """
window.__drawn = [];
const fillText = CanvasRenderingContext2D.prototype.fillText;
CanvasRenderingContext2D.prototype.fillText = function (text, ...rest) {
    window.__drawn.push(String(text));
    return fillText.call(this, text, ...rest);
};
"""


def drawn_texts(page) -> list[str]:
    """Every text drawn on a canvas so far (grid cells, headers), trimmed."""
    return [text.strip() for text in page.evaluate("window.__drawn")]


def test_fixture_puts_the_rejected_row_on_line_50591(numbers_db):
    con = duckdb.connect(str(numbers_db), read_only=True)
    rows = con.execute("select table_name, line_number, column_name, raw_value from rejected_rows").fetchall()
    con.close()
    assert rows == [("time_bookings", LINE, "hours", "30.0")]


@pytest.mark.parametrize("lang", ["de", "en"])
def test_line_number_shows_its_exact_digits(page, numbers_url, idle, lang):
    page.add_init_script(RECORD_CANVAS_TEXT)
    page.goto(f"{numbers_url}/data-status?tables=time_bookings&lang={lang}")
    idle(page)
    page.get_by_text("time_bookings.csv").first.wait_for(state="attached")
    page.wait_for_function("window.__drawn.includes('time_bookings.csv')", timeout=30_000)
    texts = drawn_texts(page)
    assert "50591" in texts
    # never the float artefact of format "plain" (50590.99999999999), never grouped like a quantity
    # (50.591 / 50,591); the row-accounting table's count of rows read, 50.590 / 50,590, is a quantity.
    assert not [t for t in texts if re.fullmatch(r"5059[01][.,]\d{4,}|50[.,]591", t)]


def test_emission_factor_year_shows_its_exact_digits(page, app_url, idle):
    # The app fixture's export factor: electricity 2026 ("Supplier mix 2026"); the grid draws column
    # by column, so the test looks for the year cells' texts, not at their position.
    page.add_init_script(RECORD_CANVAS_TEXT)
    page.goto(f"{app_url}/sustainability")
    idle(page)
    page.get_by_text("Verwendete Emissionsfaktoren").click()
    idle(page)
    # the grid draws column by column: wait until the source and both years are on the canvas
    page.wait_for_function(
        "needed => needed.every(t => window.__drawn.map(d => d.trim()).includes(t))",
        arg=["Supplier mix 2026", "2026", "2024"],
        timeout=30_000,
    )
    texts = drawn_texts(page)
    # the export's year 2026 and the shipped defaults' 2024 (BAFA natural gas) as their digits
    assert {"2026", "2024"} <= set(texts)
    assert not [t for t in texts if re.fullmatch(r"20\d\d[.,]\d+|2[.,]0\d\d", t)]
