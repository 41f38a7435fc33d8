"""Account review page (app_pages/account_review.py, kamdata/app/review_view.py).

On the app fixture (tests/app_fixture.py; D = 2026-11-26): the header, every section the review model
holds (kamdata.review.assemble) with its title, the figures and tables as the model has them, the early
warnings; the picker, the hint, an unknown account and the filters note. And the view on a review built
by hand here (every value kind, a highlighted row, markup-like texts), independent of which sections
kamdata/review holds today.
"""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd
import pytest
from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df
from streamlit.testing.v1 import AppTest

from kamdata import query
from kamdata.app import formats as fmt
from kamdata.app.review_view import (
    EAGER_SECTIONS,
    HIGHLIGHT,
    OPEN_PREFIX,
    pack_file_name,
    page_spec,
    slug,
    tiles_per_row,
)
from kamdata.review import assemble
from kamdata.review.model import Chart, Figure, Review

REVIEW = "app_pages/account_review.py"


def _shown_cells(element) -> pd.DataFrame:
    """What the grid draws: the Styler's display texts (the model's `display`), not the raw values."""
    return convert_arrow_bytes_to_pandas_df(element.proto.arrow_data.styler.display_values)


def _grid(at, review: Review, key: str):
    """The grid of the model's table `key`: the page draws the model's tables in order, one grid each."""
    keys = [t.key for s in review.sections for t in s.tables]
    return at.dataframe[keys.index(key)]


def _texts(at) -> list[str]:
    """Every text-bearing element's value (to count how often a sentence appears)."""
    kinds = ("title", "header", "subheader", "caption", "markdown", "info", "warning", "success", "text")
    return [str(e.value) for kind in kinds for e in getattr(at, kind)]


def _model(db_path, account: str, lang: str) -> Review:
    review = assemble(query.current_version(db_path), account, lang)
    assert review is not None
    return review


@pytest.mark.parametrize("lang", ["de", "en"])
def test_review_shows_the_header_and_every_section_of_the_model(run_app, alerts_db, lang):
    at = run_app(REVIEW, db_path=alerts_db, account="A1", lang=lang)
    assert not at.exception
    review = _model(alerts_db, "A1", lang)
    assert [t.value for t in at.title] == ["Klinikum Nord"]
    industry = "Gesundheitswesen" if lang == "de" else review.industry
    assert any(c.value.startswith(("Branche " if lang == "de" else "Industry ") + industry) for c in at.caption)
    # one header per section of the model, in its order (the PDF's order), titles as the model has them
    assert [h.value for h in at.header] == [fmt.md_escape(s.title) for s in review.sections]
    assert len(review.sections) >= 1
    # every figure of every section as a tile, in the model's text, each with its window (and note) below
    figures = [f for s in review.sections for f in s.figures]
    assert [m.value for m in at.metric] == [fmt.md_escape(f.text(lang)) for f in figures]
    assert [m.label for m in at.metric] == [fmt.md_escape(f.label) for f in figures]
    captions = [c.value for c in at.caption]
    for figure in figures:
        assert fmt.md_escape(" · ".join(p for p in (figure.window, figure.note) if p)) in captions
    # the tables of the first sections (and empty ones) as grids; every later table with rows a closed
    # expander "Title · n rows" whose grid is not drawn (lazy) until the URL opens it
    tables = [(number, t) for number, s in enumerate(review.sections) for t in s.tables]
    eager = [t for number, t in tables if number < EAGER_SECTIONS or t.frame.empty]
    lazy = [t for number, t in tables if number >= EAGER_SECTIONS and not t.frame.empty]
    assert len(lazy) >= 10 and any(number >= EAGER_SECTIONS and t.frame.empty for number, t in tables)
    assert len(at.dataframe) == len(eager)
    for element, table in zip(at.dataframe, eager):
        pd.testing.assert_frame_equal(element.value.reset_index(drop=True), table.shown().reset_index(drop=True))
    row, rows = ("Zeile", "Zeilen") if lang == "de" else ("row", "rows")
    assert [e.label for e in at.expander] == [
        f"**{fmt.md_escape(t.title)}** · {len(t.frame)} {row if len(t.frame) == 1 else rows}" for t in lazy
    ]
    # every table of every section as a grid once opened, cells as the model's frame
    at = run_app(REVIEW, db_path=alerts_db, account="A1", lang=lang, **{OPEN_PREFIX + t.key: "true" for t in lazy})
    assert len(at.dataframe) == len(tables)
    for element, (_, table) in zip(at.dataframe, tables):
        pd.testing.assert_frame_equal(element.value.reset_index(drop=True), table.shown().reset_index(drop=True))


def test_health_score_equals_the_mart(run_app, alerts_db):
    at = run_app(REVIEW, db_path=alerts_db, account="A1")
    con = duckdb.connect(str(alerts_db), read_only=True)
    score, band = con.execute("select health_score, band from mart_account_health where account_id = 'A1'").fetchone()
    con.close()
    # build_alerts_db: A1's health falls to 27.6 -> at risk; the badge under the title says so in red
    assert (round(score, 1), band) == (27.6, "at_risk")
    assert f":red-badge[{fmt.md_escape('gefährdet · Health-Score 27,6 (Stand 26.11.2026)')}]" in [
        m.value for m in at.markdown
    ]
    # the health section's score and band tiles, as the model has them and equal to the mart
    health = _model(alerts_db, "A1", "de").section("health")
    assert (health.figure("health_score").value, health.figure("band").value) == (score, "gefährdet")
    tiles = dict(zip((m.label for m in at.metric), (m.value for m in at.metric)))
    assert tiles[fmt.md_escape("Health-Score")] == "27,6" and tiles["Band"] == "gefährdet"


def test_review_lists_all_alerts_of_the_account_in_german(run_app, alerts_db):
    at = run_app(REVIEW, db_path=alerts_db, account="A1")
    assert not at.exception
    assert "Frühwarnungen" in [h.value for h in at.header]
    grid = _grid(at, _model(alerts_db, "A1", "de"), "alerts")
    shown = grid.value
    # Severity first (the high detractor before the medium commitment); only A1's, none of A2's.
    assert list(zip(shown["severity"], shown["kind"], shown["reason"])) == [
        ("hoch", "NPS-Kritiker", "NPS-Kritiker-Antwort (Wert 3) am 20.11.2026"),
        ("mittel", "Zusage überfällig", "Zusage „Quarterly review deck“ (K9) überfällig seit 01.11.2026 (25 Tage)"),
    ]
    # the high alert row is highlighted (the model's highlight column), the medium one is not
    styles = grid.proto.arrow_data.styler.styles
    assert HIGHLIGHT in styles
    assert ", ".join(f"#T_{styles.split('_')[1]}_row0_col{i}" for i in range(3)) + " {" in styles  # row 0 only
    assert "_row1_" not in styles
    assert fmt.md_escape("Stand 26.11.2026") in [c.value for c in at.caption]


def test_review_alerts_in_english(run_app, alerts_db):
    at = run_app(REVIEW, db_path=alerts_db, account="A1", lang="en")
    shown = _grid(at, _model(alerts_db, "A1", "en"), "alerts").value
    assert list(shown["severity"]) == ["high", "medium"]
    assert list(shown["kind"]) == ["NPS detractor", "Overdue commitment"]
    assert shown["reason"].iloc[0] == "NPS detractor response (score 3) on 2026-11-20"


def test_review_without_alerts_says_so(run_app, app_db):
    # In the plain fixture A1 has no alert (A2 holds the detractor and the missing contact).
    at = run_app(REVIEW, account="A1")
    assert not at.exception
    assert fmt.md_escape("Keine Warnungen für diesen Account.") in [i.value for i in at.info]
    assert "alerts" not in [t.key for s in _model(app_db, "A1", "de").sections for t in s.tables]
    at = run_app(REVIEW, account="A2")
    reasons = list(_grid(at, _model(app_db, "A2", "de"), "alerts").value["reason"])
    # A2: no proactive contact on record ("never", before any date) then the detractor R2 (nps 6, 12.11.2026).
    assert reasons == ["Kein proaktiver Kontakt erfasst", "NPS-Kritiker-Antwort (Wert 6) am 12.11.2026"]


def test_without_account_the_hint_appears_once(run_app):
    at = run_app(REVIEW)
    assert not at.exception
    assert [t.value for t in at.title] == ["Account-Review"]
    hint = "Bitte einen Account wählen, z. B. in der Portfolio-Tabelle."
    assert _texts(at).count(hint) == 1
    picker = at.selectbox[0]
    assert picker.value is None and picker.placeholder == "Account suchen …"
    assert not at.header and not at.metric


def test_the_picker_sits_under_the_title_and_opens_the_account(run_app):
    at = run_app(REVIEW, account="A1")
    main = at.main
    kinds = [node.type for node in main]
    assert kinds.index("title") < kinds.index("selectbox")
    assert at.selectbox[0].value == "A1"
    at.selectbox[0].select("A2").run()
    assert at.query_params["account"] == "A2"
    assert [t.value for t in at.title] == ["Logistik Süd GmbH"]


def test_unknown_account_is_named_as_plain_text(run_app):
    at = run_app(REVIEW, account="**X1**")
    assert not at.exception
    # the visitor's value escaped: it shows as **X1**, never as bold markup
    assert [w.value for w in at.warning] == [
        "Account „\\*\\*X1\\*\\*“ gibt es nicht oder er ist für Sie nicht freigegeben."
    ]
    assert not at.header and not at.metric
    assert at.selectbox[0].value is None


def test_filters_do_not_apply_and_the_page_says_so_once(run_app):
    note = "Die Seitenfilter gelten auf dieser Seite nicht"
    at = run_app(REVIEW, account="A1")
    assert sum(note in text for text in _texts(at)) == 1
    # a filter set in the sidebar (here: region Süd, which A1 is not in): still the whole account A1,
    # and the note is louder
    at = run_app(REVIEW, account="A1", regions="Süd")
    assert not at.exception
    assert [t.value for t in at.title] == ["Klinikum Nord"]
    assert sum(note in i.value for i in at.info) == 1
    assert sum(note in text for text in _texts(at)) == 1


def test_pack_file_names():
    review = Review(
        account_id="A1",
        account_name="Logistik Süd GmbH & Co. KG",
        industry="",
        region="",
        kam_name="",
        lang="de",
        as_of=date(2026, 11, 26),
        build_id="b",
        health_score=None,
        band=None,
        band_label="",
        cover=[],
        sections=[],
    )
    assert slug("Straße über Öl") == "strasse-ueber-oel"
    assert slug("<script>") == "script"
    assert slug("***") == "account"
    assert pack_file_name(review, "pdf") == "A1_logistik-sued-gmbh-co-kg_review_2026-11-26.pdf"


# ---- the view on a hand-built review: every kind, a highlight, texts that look like markup ----


def _hand_built_review_page() -> None:
    """An AppTest script: a review with every value kind, drawn by review_view.render."""
    from datetime import date

    import altair as alt
    import pandas as pd

    from kamdata.app import review_view
    from kamdata.review.model import Chart, Column, Figure, Review, Section, Table

    markup = "<script>alert(1)</script> **bold** [x](javascript:alert(1))"
    frame = pd.DataFrame(
        {
            "name": ["Wartung <img src=x onerror=alert(1)>", "**bold**"],
            "count": [3, 12],
            "value": [1.25, None],
            "share": [97.34, 50.0],
            "money": [1234.5, 99999.0],
            "day": [date(2026, 11, 20), date(2026, 1, 2)],
            "month": [date(2026, 11, 1), date(2026, 10, 1)],
            "hours": [2.5, 30.0],
            "days": [25, 0],
            "score": [32.04, 70.0],
            "late": [True, False],
        }
    )
    kinds = ["text", "integer", "number", "pct", "eur", "date", "month", "hours", "days", "score"]
    table = Table(
        "all_kinds",
        "Alle Arten",
        frame,
        tuple(Column(key, key.capitalize(), kind) for key, kind in zip(frame.columns, kinds)),
        window="12 Monate: Dezember 2025 – November 2026",
        note="überfällige Zeilen markiert",
        highlight="late",
    )
    chart = alt.Chart(pd.DataFrame({"x": [1, 2], "y": [3, 4]})).mark_line().encode(x="x", y="y")
    review = Review(
        account_id="A1",
        account_name="Klinikum Nord",
        industry="Gesundheitswesen",
        region="Nord",
        kam_name="Anna Schmidt",
        lang="de",
        as_of=date(2026, 11, 26),
        build_id="b",
        health_score=32.04,
        band="at_risk",
        band_label="gefährdet",
        cover=["Zufriedenheit −6,2 Punkte: NPS von 30 auf 4", markup],
        sections=[
            Section(
                "sla",
                "SLA und Servicequalität",
                figures=[
                    Figure("ok", "Lösung im SLA", 97.34, "pct", "letzte 90 Tage bis 26.11.2026"),
                    Figure("malus", "Malus", 1234.5, "eur", "November 2026 bis 26.11.2026", note="laufender Monat"),
                    Figure("na", "MTTR", None, "hours", "letzte 90 Tage bis 26.11.2026"),
                ],
                charts=[Chart("trend", "Verlauf", chart.to_dict(), "12 Monate: Dezember 2025 – November 2026")],
                tables=[table],
                texts=["Das Wichtigste", markup],
            ),
            Section("growth", "Wachstum", empty="Keine offenen Chancen."),
        ],
    )
    review_view.render(review)


def test_view_draws_every_kind_in_the_model_format():
    at = AppTest.from_function(_hand_built_review_page, default_timeout=30).run()
    assert not at.exception
    assert [h.value for h in at.header] == ["SLA und Servicequalität", "Wachstum"]
    # the section's figures (display(): one decimal pct, whole euros, n/a)
    assert [m.value for m in at.metric] == [fmt.md_escape(t) for t in ("97,3 %", "1.235 €", "k. A.")]
    assert f":red-badge[{fmt.md_escape('gefährdet · Health-Score 32,0 (Stand 26.11.2026)')}]" in [
        m.value for m in at.markdown
    ]
    captions = [c.value for c in at.caption]
    # every figure says its window; the running month carries its note (captions are escaped markdown)
    assert fmt.md_escape("November 2026 bis 26.11.2026 · laufender Monat") in captions
    assert captions.count(fmt.md_escape("letzte 90 Tage bis 26.11.2026")) == 2
    assert fmt.md_escape("12 Monate: Dezember 2025 – November 2026") in captions  # the chart's window
    assert fmt.md_escape("12 Monate: Dezember 2025 – November 2026 · überfällige Zeilen markiert") in captions
    # texts that look like markup stay plain text (st.text, one block a section, a sentence a line); the
    # cover is the PDF's (its sentences are the health section's on the page)
    markup = "<script>alert(1)</script> **bold** [x](javascript:alert(1))"
    assert [t.value for t in at.text] == [f"Das Wichtigste\n{markup}"]
    # the section without data says so
    assert [i.value for i in at.info] == [fmt.md_escape("Keine offenen Chancen.")]
    # the contents line links each section's anchor
    assert f"{fmt.md_escape('Inhalt:')} [SLA und Servicequalität](#review-sla) · [Wachstum](#review-growth)" in [
        m.value for m in at.markdown
    ]
    assert len(at.get("vega_lite_chart")) == 1


def test_view_table_cells_in_the_model_format_with_the_highlight():
    at = AppTest.from_function(_hand_built_review_page, default_timeout=30).run()
    grid = at.dataframe[0]
    # raw values stay in the grid (it sorts by them); the highlight column is not shown
    assert list(grid.value.columns) == [
        "name",
        "count",
        "value",
        "share",
        "money",
        "day",
        "month",
        "hours",
        "days",
        "score",
    ]
    shown = _shown_cells(grid)
    assert shown.iloc[0].tolist() == [
        "Wartung <img src=x onerror=alert(1)>",
        "3",
        "1,3",  # number: one decimal, rounded half up (fmt.number)
        "97,3 %",
        "1.235 €",
        "20.11.2026",
        "November 2026",
        "2,5 h",
        "25",
        "32,0",
    ]
    assert shown.iloc[1].tolist() == [
        "**bold**",
        "12",
        "k. A.",
        "50,0 %",
        "99.999 €",
        "02.01.2026",
        "Oktober 2026",
        "30,0 h",
        "0",
        "70,0",
    ]
    styles = grid.proto.arrow_data.styler.styles
    assert HIGHLIGHT in styles and "_row0_col0" in styles and "_row1_" not in styles  # the late row only


def _pack_buttons(at) -> list:
    """The pack's download buttons (not the download menus under the tables, keys "download-...")."""
    return [b for b in at.get("download_button") if not (b.key or "").startswith("download-")]


def test_pack_downloads_with_their_file_names_made_only_when_clicked(run_app, monkeypatch):
    # The files are made by a callable when clicked: a page run never renders them.
    from kamdata.review import pdf, xlsx

    def not_on_a_page_run(review):
        raise AssertionError("pack rendered on a page run")

    monkeypatch.setattr(pdf, "render", not_on_a_page_run)
    monkeypatch.setattr(xlsx, "render", not_on_a_page_run)
    at = run_app(REVIEW, account="A2")
    assert not at.exception
    buttons = _pack_buttons(at)
    assert [b.label for b in buttons] == ["Review-Pack (PDF)", "Tabellen (Excel)"]
    # <account_id>_<slug>_review_<as_of>: the app fixture's as-of date is 26.11.2026
    names = ["A2_logistik-sued-gmbh_review_2026-11-26.pdf", "A2_logistik-sued-gmbh_review_2026-11-26.xlsx"]
    assert [b.help for b in buttons] == [f"Datei {fmt.md_escape(n)}; wird beim Klick erstellt." for n in names]
    at = run_app(REVIEW, account="A2", lang="en")
    assert [b.label for b in _pack_buttons(at)] == ["Review pack (PDF)", "Tables (Excel)"]


def test_stretched_charts_keep_their_plot_height_and_compositions_their_widths():
    # Streamlit fits a stretched chart's title, axes and legend into the spec's height unless told
    # otherwise: the 200 px survey bars were drawn with no plot at all. Only the width is fitted.
    bars = {"mark": "bar", "height": 200, "width": 640, "title": "Antworten"}
    spec, stretched = page_spec(Chart("bars", "Antworten", bars, "12 Monate"))
    assert stretched and spec["autosize"] == {"type": "fit-x", "contains": "padding"} and spec["height"] == 200
    assert "autosize" not in bars  # the model's spec (the PDF's) is left as it is
    facet = {"facet": {"field": "priority"}, "spec": {"mark": "line"}}
    assert page_spec(Chart("facet", "SLA", facet, "12 Monate")) == (facet, False)


@pytest.mark.parametrize(
    ("values", "label", "per_row"),
    [
        ([32.0, 4.0], "Health-Score", 4),  # "32,0"
        ([19574.0, 3.0], "Malus", 3),  # "19.574 €"
        ([1364200.0, 5.0], "ACV", 2),  # "1.364.200 €": never cut to "1,4…" at 1024 px
        ([9.0], "Auf den Account gebuchte Stunden", 3),  # a label longer than 30 characters
    ],
)
def test_tiles_per_row_leave_room_for_the_value_and_the_label(values, label, per_row):
    kinds = {32.0: "score", 4.0: "integer", 19574.0: "eur", 3.0: "integer", 1364200.0: "eur", 5.0: "integer"}
    items = [Figure(f"f{i}", label, v, kinds.get(v, "integer"), "Stand") for i, v in enumerate(values)]
    assert tiles_per_row(items, "de") == per_row
