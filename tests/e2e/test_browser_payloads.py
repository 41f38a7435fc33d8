"""Markdown and HTML in every name-like field stay plain text on every page, in the browser.

The payload database (tests/payload_fixture.py) puts `<lead><tag> MARKUP` into account, site, city,
employee, department, region, industry, building type, factor source, comment, subject and
commitment texts. MARKUP holds bold, a javascript: link, bare www./https:// links, LaTeX, coloured
text, a material icon shortcode, strike-through, inline code, <b>, <script> and <img onerror>; a site
name starts with "# " and a city with "1. ". On every page: no script, img or link element made from
it, no element wrapping one of its words alone (a <strong>fett</strong>, a KaTeX formula, an icon
named "home", ...), no dialog, and the payload's characters appear literally (in the page's text or
drawn in a grid).
"""

from __future__ import annotations

import pytest

from kamdata.app.formats import WORD_JOINER
from tests.e2e.conftest import streamlit_server
from tests.e2e.test_browser_numbers import RECORD_CANVAS_TEXT, drawn_texts
from tests.payload_fixture import MARKUP

PAGES = {
    "portfolio": "",
    "sla": "sla",
    "sustainability": "sustainability",
    "workload": "workload",
    "data-status": "data-status",
    "review": "review?account=A1",
    "explorer": "explorer?ds=tickets&by=account_name",
}
# What every page shows literally at least once (a grid cuts a long text off at the cell's edge).
LITERAL = MARKUP.split(" :material")[0]
# The words MARKUP's syntax would wrap in an element of their own if it rendered.
WRAPPED = ["fett", "klick", "x^2", "rot", "home", "weg", "code", "b", "www.evil.de", "https://evil.example"]
FOUND_MARKUP = """words => {
    const main = document.querySelector('[data-testid="stApp"]');
    const found = [];
    for (const e of main.querySelectorAll('*')) {
        if (['SCRIPT', 'STYLE'].includes(e.tagName) && e.textContent.includes('alert(1)')) found.push('script');
        if (e.tagName === 'IMG' && (e.getAttribute('src') === 'x' || e.hasAttribute('onerror'))) found.push('img');
        const href = (e.getAttribute('href') || '').toLowerCase();
        // (a title's own anchor "#accounts-...-evil-de" is an in-page link, not one made from the text)
        if (href.startsWith('javascript:') || (href.includes('evil') && !href.startsWith('#'))) found.push(href);
        if (e.matches('.katex, .katex-display, del, s, strong, b, em, code')
            && e.textContent.match(/^(fett|weg|x\\^2|code|rot|b)$|evil/)) {
            found.push(e.tagName + ': ' + e.textContent.slice(0, 60));
        }
        // "# sites.sitename..." as a heading, "1. sites.city..." as a list item
        if (e.matches('h1, h2, h3, h4, h5, h6, li') && e.textContent.match(/^sites/)) found.push(e.tagName);
        if (e.children.length === 0 && words.includes(e.textContent.trim())) found.push('wrapped ' + e.textContent);
    }
    return found;
}"""


@pytest.fixture(scope="module")
def payload_url(payload_db, tmp_path_factory):
    # min_group_size 1: the fixture's departments are one or two people; with 3 nothing would show
    with streamlit_server(payload_db, tmp_path_factory.mktemp("payload-server"), "[app]\nmin_group_size = 1\n") as url:
        yield url


@pytest.mark.parametrize("path", list(PAGES.values()), ids=list(PAGES))
def test_payloads_stay_plain_text(page, payload_url, idle, screenshot, path):
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.add_init_script(RECORD_CANVAS_TEXT)
    page.goto(f"{payload_url}/{path}")
    idle(page)
    screenshot(page, f"payloads-{path.split('?')[0] or 'portfolio'}")  # the whole page: every grid draws
    idle(page)
    assert page.evaluate(FOUND_MARKUP, WRAPPED) == []
    assert page.evaluate("[...document.scripts].filter(s => s.textContent.includes('alert(1)')).length") == 0
    text = page.evaluate("document.querySelector('[data-testid=\"stApp\"]').innerText").replace("\n", " ")
    visible = " ".join([text, *drawn_texts(page)]).replace(WORD_JOINER, "")  # invisible (fmt.md_escape)
    assert LITERAL in visible
    assert dialogs == []
