"""Data texts on the account review page stay plain text in the browser.

A fixture database of its own (tests/exportset.py base set, as of 2026-11-26) adds, for account A1, one
survey comment, one interaction subject and one commitment description per payload below (the
commitments are overdue, so they also reach the early warnings). On the review page each payload must
be drawn as its literal characters wherever the review model (kamdata.review.assemble on the same
database) shows it, and none may turn into markup: no script or img element from it, no javascript:
link, no bold text, no dialog.
"""

from __future__ import annotations

from datetime import date

import pytest

from kamdata import query
from kamdata.app.review_view import EAGER_SECTIONS, OPEN_PREFIX
from kamdata.review import assemble
from tests.e2e.conftest import streamlit_server
from tests.e2e.test_browser_numbers import RECORD_CANVAS_TEXT, drawn_texts
from tests.exportset import base_row, build_fixture_db

PAYLOADS = (
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    "**bold**",
)


@pytest.fixture(scope="module")
def markup_db(tmp_path_factory):
    surveys = [
        base_row("surveys", response_id=f"RX{i}", account_id="A1", response_date=date(2026, 11, 2 + i), comment=text)
        for i, text in enumerate(PAYLOADS)
    ]
    interactions = [
        base_row("interactions", interaction_id=f"IX{i}", interaction_date=date(2026, 11, 2 + i), subject=text)
        for i, text in enumerate(PAYLOADS)
    ]
    # due 02.-05.11.2026, not done: overdue at D = 26.11.2026
    commitments = [
        base_row(
            "commitments",
            commitment_id=f"KX{i}",
            promised_on=date(2026, 10, 1),
            due_date=date(2026, 11, 2 + i),
            description=text,
        )
        for i, text in enumerate(PAYLOADS)
    ]
    return build_fixture_db(
        tmp_path_factory.mktemp("markup"),
        add={"surveys": surveys, "interactions": interactions, "commitments": commitments},
    )


@pytest.fixture(scope="module")
def markup_url(markup_db, tmp_path_factory):
    with streamlit_server(markup_db, tmp_path_factory.mktemp("markup-server")) as url:
        yield url


def _shown_cells(db_path, lang: str) -> list[str]:
    """Every text cell and sentence of A1's review model that holds a payload (what the page must draw)."""
    review = assemble(query.current_version(db_path), "A1", lang)
    assert review is not None
    found = [text for text in review.cover if any(p in text for p in PAYLOADS)]
    for section in review.sections:
        found += [text for text in section.texts if any(p in text for p in PAYLOADS)]
        for table in section.tables:
            for column in table.columns:
                if column.kind == "text":
                    found += [str(v) for v in table.frame[column.key] if any(p in str(v) for p in PAYLOADS)]
    return found


def _all_tables_open(db_path) -> str:
    """The URL parameters that open every table of A1's review (later sections' tables are closed)."""
    review = assemble(query.current_version(db_path), "A1", "de")
    assert review is not None
    return "&".join(f"{OPEN_PREFIX}{t.key}=true" for s in review.sections[EAGER_SECTIONS:] for t in s.tables)


def test_fixture_holds_the_payloads_where_the_review_shows_them(markup_db):
    cells = _shown_cells(markup_db, "de")
    # at least the early warnings name each overdue commitment by its description
    for payload in PAYLOADS:
        assert any(payload in cell for cell in cells), payload


@pytest.mark.parametrize("lang", ["de", "en"])
def test_data_texts_stay_plain_text_on_the_review_page(page, markup_url, markup_db, idle, screenshot, lang):
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.add_init_script(RECORD_CANVAS_TEXT)
    page.goto(f"{markup_url}/review?account=A1&lang={lang}&{_all_tables_open(markup_db)}")
    idle(page)
    screenshot(page, f"review-markup-{lang}")  # grows the viewport to the whole page: every grid draws
    idle(page)
    page.wait_for_function(
        "payloads => payloads.every(p => window.__drawn.map(t => t.trim()).join(' ').includes(p))",
        arg=list(PAYLOADS),
        timeout=30_000,
    )
    drawn = " ".join(drawn_texts(page))
    # every payload-bearing cell or sentence of the model is on the page, character for character (a
    # wrapped cell is drawn line by line: the lines joined by spaces)
    visible = " ".join(
        [drawn, page.evaluate("document.querySelector('[data-testid=\"stMain\"]').innerText").replace("\n", " ")]
    )
    for cell in _shown_cells(markup_db, lang):
        for payload in PAYLOADS:
            if payload in cell:
                assert payload in visible, (payload, cell)
    # nothing became markup
    main = '[data-testid="stMain"]'
    assert page.evaluate(f"[...document.querySelectorAll('{main} script')].length") == 0
    assert page.evaluate("[...document.scripts].filter(s => s.textContent.includes('alert(1)')).length") == 0
    assert page.evaluate(f"document.querySelectorAll('{main} img[src=\"x\"], img[onerror]').length") == 0
    assert page.evaluate("document.querySelectorAll('a[href^=\"javascript:\" i]').length") == 0
    bold = page.evaluate(
        f"[...document.querySelectorAll('{main} strong, {main} b')].filter(e => e.textContent === 'bold').length"
    )
    assert bold == 0
    assert dialogs == []


def test_a_closed_table_is_drawn_when_opened_and_the_link_keeps_it_open(page, app_url, idle):
    grids = '[data-testid="stMain"] [data-testid="stDataFrame"]'
    page.goto(f"{app_url}/review?account=A2")
    idle(page)
    before = page.locator(grids).count()
    expanders = page.locator('[data-testid="stExpander"] summary')
    assert expanders.count() >= 5
    first = expanders.first
    label = first.inner_text()
    assert " · " in label and ("Zeile" in label)  # "Title · n Zeilen"
    first.click()
    idle(page)
    assert page.locator(grids).count() == before + 1
    assert f"{OPEN_PREFIX}" in page.url and "=true" in page.url
    page.goto(page.url)  # the link reopens it
    idle(page)
    assert page.locator(grids).count() == before + 1


def test_pack_downloads_are_made_on_click(page, app_url, idle):
    # the app fixture (tests/conftest.py): A2 "Logistik Süd GmbH", as of 26.11.2026
    page.goto(f"{app_url}/review?account=A2")
    idle(page)
    for label, name, magic in (
        ("Review-Pack (PDF)", "A2_logistik-sued-gmbh_review_2026-11-26.pdf", b"%PDF"),
        ("Tabellen (Excel)", "A2_logistik-sued-gmbh_review_2026-11-26.xlsx", b"PK"),  # a zip container
    ):
        with page.expect_download(timeout=60_000) as info:
            page.get_by_role("button", name=label).click()
        download = info.value
        assert download.suggested_filename == name
        with open(download.path(), "rb") as file:
            assert file.read(4).startswith(magic)
