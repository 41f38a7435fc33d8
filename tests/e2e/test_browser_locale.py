"""Numbers follow the app language, not the browser's locale: a German app in an en-US browser and an
English app in a de-DE browser show one format in tiles and tables (kamdata.app.widgets.table).

The data grid draws on a canvas (its accessible cells and the clipboard carry the raw number), so
the test records the texts the grid draws (CanvasRenderingContext2D.fillText) before the page loads.

Fixture (tests/app_fixture.py): the SLA page's malus table holds A1 (2 months, one at the 10 % cap,
exposure 4,000 €); the tile "Lösungsquote im SLA" / resolution compliance is 1 of 3 = 33.3 %.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

METRIC_VALUE = '[data-testid="stMetricValue"]'
RECORD_CANVAS_TEXT = """
window.__drawn = new Set();
const fillText = CanvasRenderingContext2D.prototype.fillText;
CanvasRenderingContext2D.prototype.fillText = function (text, ...rest) {
    window.__drawn.add(String(text));
    return fillText.call(this, text, ...rest);
};
"""

CASES = [
    # (app language, browser locale, malus cells as drawn, the browser's own format, tile)
    ("de", "en-US", ["10,0", "4.000 €"], ["€4,000.00", "10.0"], "33,3 %"),
    ("en", "de-DE", ["10.0", "€4,000"], ["4.000,00 €", "10,0"], "33.3%"),
]


@pytest.mark.parametrize(("lang", "locale", "cells", "browser_format", "tile"), CASES)
def test_tables_and_tiles_follow_the_app_language(browser, app_url, idle, lang, locale, cells, browser_format, tile):
    context = browser.new_context(locale=locale, viewport={"width": 1400, "height": 1000})
    context.add_init_script(RECORD_CANVAS_TEXT)
    try:
        page = context.new_page()
        page.goto(f"{app_url}/sla?lang={lang}")
        idle(page)
        assert page.evaluate("navigator.language") == locale
        expect(page.locator(METRIC_VALUE).first).to_be_visible()
        assert tile in [text.strip() for text in page.locator(METRIC_VALUE).all_inner_texts()]
        grid = page.locator('[data-testid="stDataFrame"]').last
        grid.scroll_into_view_if_needed()
        page.wait_for_function("cells => cells.every(cell => window.__drawn.has(cell))", arg=cells, timeout=30_000)
        drawn = set(page.evaluate("[...window.__drawn]"))
        assert not drawn & set(browser_format), drawn
    finally:
        context.close()
