"""The review pack (kamdata/review/pdf.py, xlsx.py, pack.py): the PDF parsed with pypdf, the workbook
opened with openpyxl, and the `review-pack` command.

Two kinds of input: a synthetic Review built here, holding every kind of element the model has (figures
with a running-month note and a missing value, a chart, a highlighted table, a 120-row table that spans
pages, texts with markup and formula payloads), and the real assemble() on the app fixture database
(A1 "Klinikum Nord", as of 26.11.2026), whose figures and workbook cells are compared with the marts
read by direct SQL.
"""

from __future__ import annotations

import io
import re
import socket
import zipfile
from datetime import date, datetime

import altair as alt
import duckdb
import openpyxl
import pandas as pd
import pypdf
import pytest

from kamdata import cli
from kamdata.app import formats as fmt
from kamdata.app.charts.base import localize
from kamdata.review import assemble, pdf, xlsx
from kamdata.review.model import Chart, Column, Figure, Review, Section, Table
from kamdata.review.pack import file_stem

BUILD = "20261204T204141-13cf0f"
SCRIPT = "<script>alert(1)</script>"
IMG = '<img src=x onerror="alert(2)">'
LINK = "[x](javascript:alert(3))"
MARKUP = "**bold** & <b>not bold</b> > x < y"
FORMULA = '=HYPERLINK("http://evil.example","klick")'
PAYLOADS = [SCRIPT, IMG, LINK, MARKUP, FORMULA, "+49 30 1234", "-5 Tage", "@sum(A1)"]
LONG_ROWS = 120


def synthetic(lang: str) -> Review:
    """Every kind of element once; the texts are the same in both languages except the formats."""
    months = pd.date_range("2025-12-01", periods=13, freq="MS")
    history = pd.DataFrame({"month": months, "score": [60 - i * 2.5 for i in range(13)]})
    chart = alt.Chart(history).mark_line(point=True).encode(x="month:T", y="score:Q").properties(width=640, height=220)
    tickets = pd.DataFrame(
        {
            "ticket": [f"T{i:04d}" for i in range(LONG_ROWS)],
            # Rows of one to seven lines, so the table breaks between rows of different heights.
            # Row 60: a text of 5000 words, far longer than a page (cut with "…", the row fits a page).
            "text": [
                PAYLOADS[i % len(PAYLOADS)] + " Wort" * (5000 if i == 60 else (i % 7) * 12) for i in range(LONG_ROWS)
            ],
            "hours": [i * 1.25 for i in range(LONG_ROWS)],
            "due": [date(2026, 1, 1) + pd.Timedelta(days=i) for i in range(LONG_ROWS)],
            "late": [i % 5 == 0 for i in range(LONG_ROWS)],
        }
    )
    money = pd.DataFrame(
        {
            "line": ["Reinigung", FORMULA, "Energie"],
            "acv": [1234567.4, 89000.0, None],
            "pct": [97.25, 3.0, 100.0],
            "month": pd.to_datetime(["2026-11-01", "2026-10-01", "2026-09-01"]),
            "n": [1, 2, 3],
            "hot": [True, False, False],
        }
    )
    money_columns = (
        Column("line", "Linie"),
        Column("acv", "ACV", "eur"),
        Column("pct", "Quote", "pct"),
        Column("month", "Monat", "month"),
        Column("n", "Anzahl", "integer"),
    )
    return Review(
        account_id="A0001",
        account_name="Müller & Söhne <GmbH> „Nord“",
        industry="Handel",
        region="Ost",
        kam_name="Anja Schröder",
        lang=lang,
        as_of=date(2026, 12, 4),
        build_id=BUILD,
        health_score=32.0,
        band="at_risk",
        band_label="gefährdet" if lang == "de" else "at risk",
        cover=["Zufriedenheit −6,2 Punkte: NPS von 30 auf 4", "<script>alert('cover')</script>"],
        sections=[
            Section(
                "health",
                "Health-Score",
                figures=[
                    Figure("score", "Health-Score", 32.0, "score", "Stand 04.12.2026"),
                    Figure("malus", "Malus", 1234.5, "eur", "Dezember 2026 bis 04.12.2026", note="laufender Monat"),
                    Figure("sla", "SLA-Erfüllung", 97.25, "pct", "12 Monate: Dezember 2025 – November 2026"),
                    Figure("missing", "Fehlend", None, "pct", "letzte 90 Tage"),
                ],
                charts=[Chart("history", "Verlauf <b>12</b>", localize(chart, lang).to_dict(), "13 Monate")],
                texts=[SCRIPT, IMG, LINK, MARKUP],
            ),
            Section("empty", "Leerer Bereich", empty="Keine Daten <i>hier</i>."),
            Section(
                "money",
                "Geld",
                tables=[Table("money", "Umsatz [Linie]", money, money_columns, "12 Monate", highlight="hot")],
            ),
            Section(
                "long",
                "Lange Tabelle",
                tables=[
                    Table(
                        "tickets",
                        "Tickets mit einem Titel länger als einunddreißig Zeichen",
                        tickets,
                        (
                            Column("ticket", "Ticket"),
                            Column("text", "Text"),
                            Column("hours", "Stunden", "hours"),
                            Column("due", "Fällig", "date"),
                        ),
                        "letzte 90 Tage",
                        highlight="late",
                    ),
                    # Same title again: the workbook needs a second, unique sheet name.
                    Table("money_again", "Umsatz [Linie]", money, money_columns, "12 Monate"),
                ],
            ),
        ],
    )


def pages_text(content: bytes) -> list[str]:
    """Each page's extracted text, non-breaking spaces as spaces."""
    return [page.extract_text().replace("\xa0", " ") for page in pypdf.PdfReader(io.BytesIO(content)).pages]


@pytest.fixture(scope="module")
def synthetic_pdfs() -> dict[str, bytes]:
    return {lang: pdf.render(synthetic(lang)) for lang in ("de", "en")}


# ---------------------------------------------------------------- PDF, synthetic


def test_pdf_every_page_has_account_as_of_version_and_its_number(synthetic_pdfs):
    for lang, as_of, version, page_word in (
        ("de", "Stand 04.12.2026", "Datenversion", "Seite {} von {}"),
        ("en", "as of 2026-12-04", "data version", "Page {} of {}"),
    ):
        texts = pages_text(synthetic_pdfs[lang])
        # Cover, health (chart), the two small sections on one page, the long table over several pages.
        assert len(texts) >= 5
        for number, text in enumerate(texts, start=1):
            assert "Müller & Söhne <GmbH> „Nord“ (A0001)" in text
            assert as_of in text
            assert f"{version} {BUILD}" in text
            assert page_word.format(number, len(texts)) in text


def test_pdf_cover_has_score_band_kam_and_sentences(synthetic_pdfs):
    de = pages_text(synthetic_pdfs["de"])[0]
    for expected in ("Anja Schröder", "Handel", "Ost", "32,0", "gefährdet", "Zufriedenheit −6,2 Punkte"):
        assert expected in de
    assert "<script>alert('cover')</script>" in de
    en = pages_text(synthetic_pdfs["en"])[0]
    assert "32.0" in en and "at risk" in en and "32,0" not in en


def test_pdf_figures_in_the_language_with_window_and_partial_note(synthetic_pdfs):
    de = "\n".join(pages_text(synthetic_pdfs["de"]))
    en = "\n".join(pages_text(synthetic_pdfs["en"]))
    # 1234.5 € rounds half up to 1.235; 97.25 % to 97,3; None is "k. A." / "n/a".
    for expected in ("1.235 €", "97,3 %", "k. A.", "laufender Monat", "Dezember 2026 bis 04.12.2026"):
        assert expected in de
    for expected in ("€1,235", "97.3%", "n/a"):
        assert expected in en
    assert "97,3 %" not in en


def test_pdf_markup_in_data_stays_literal_text_and_makes_no_links(synthetic_pdfs):
    content = synthetic_pdfs["de"]
    text = "\n".join(pages_text(content))
    for payload in (SCRIPT, IMG, LINK, "**bold** & <b>not bold</b> > x < y", "Verlauf <b>12</b>", "<i>hier</i>"):
        assert payload in text
    reader = pypdf.PdfReader(io.BytesIO(content))
    assert all("/Annots" not in page for page in reader.pages)
    assert b"/URI" not in content and b"/Link" not in content


def test_pdf_long_table_repeats_its_header_and_never_splits_a_row(synthetic_pdfs):
    texts = pages_text(synthetic_pdfs["de"])
    with_rows = [i for i, t in enumerate(texts) if re.search(r"\bT0\d{3}\b", t)]
    assert len(with_rows) >= 3  # 120 rows of up to 7 lines cannot fit on fewer pages
    for i in with_rows:
        assert re.search(r"Ticket\s*Text\s*Stunden\s*Fällig", texts[i]), f"no header on page {i + 1}"
    for n in range(LONG_ROWS):
        # A row's first cell (ticket id) and last cell (its due date) are on the same page.
        due = fmt.day(date(2026, 1, 1) + pd.Timedelta(days=n), "de")
        pages = [i for i in with_rows if f"T{n:04d}" in texts[i]]
        assert len(pages) == 1 and due in texts[pages[0]], f"row T{n:04d}"
        if n == 60:
            assert "Wort…" in texts[pages[0]]  # the 5000-word text, cut to half a page


def test_pdf_uses_the_font_shipped_with_reportlab_and_needs_no_network(monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("the pack must work offline")

    monkeypatch.setattr(socket, "socket", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    content = pdf.render(synthetic("de"))
    fonts = set()
    for page in pypdf.PdfReader(io.BytesIO(content)).pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    assert fonts and all("BitstreamVeraSans" in name for name in fonts)  # only the embedded Vera family
    # The font covers German text, euro, German quotes and the minus sign; a missing glyph is mapped.
    assert pdf.plain("äöüß € „“ − –") == "äöüß € „“ − –"
    assert pdf.plain("CO₂") == "CO2"
    assert pdf.plain("Score 49,7 → 32,0") == "Score 49,7 -> 32,0"


def test_pdf_table_keeps_header_words_whole_at_7_pt_before_breaking_them():
    # Ten columns like the contracts table: at 8 pt the header words do not all fit, at 7 pt they do;
    # the table takes 7 pt rather than breaking a word ("Auto-rene w").
    labels = ["Contract", "Service line", "Start", "End", "Annual value (€)", "Notice period (days)"]
    labels += ["Notice deadline", "In renewal window", "Auto-renew", "Active"]
    kinds = ["text", "text", "date", "date", "eur", "days", "date", "text", "text", "text"]
    row = ["C00001", "Energy management", "2019-09-17", "2027-08-01", "€565,500", "180", "2027-02-02"]
    row += ["yes", "no", "yes"]
    columns = tuple(Column(f"c{i}", label, kind) for i, (label, kind) in enumerate(zip(labels, kinds)))
    table = Table("contracts", "Contracts", pd.DataFrame([row], columns=[c.key for c in columns]), columns, "")
    pdf.render(synthetic("en"))  # registers the font
    words = [max(pdf.pdfmetrics.stringWidth(w, pdf.FONT_BOLD, 8) for w in label.split()) for label in labels]
    cells = [max(pdf.pdfmetrics.stringWidth(w, pdf.FONT, 8) for w in v.split()) for v in row]
    whole = [max(w, c) for w, c in zip(words, cells)]
    assert sum(whole) + 10 * pdf.CELL_PAD > pdf.FRAME_W >= sum(whole) * 7 / 8 + 10 * pdf.CELL_PAD
    layout = pdf._layout(table, [row])
    assert layout.size == 7.0 and not any(layout.break_header)
    assert sum(layout.widths) == pytest.approx(pdf.FRAME_W)


def test_pdf_chart_is_drawn_without_its_spec_title(monkeypatch):
    # The heading above the chart is its title; the picture must not repeat it.
    drawn: list[dict] = []
    real = pdf.chart_png
    monkeypatch.setattr(pdf, "chart_png", lambda spec: drawn.append(spec) or real(spec))
    review = synthetic("de")
    spec = review.sections[0].charts[0].spec
    review.sections[0].charts[0] = Chart("history", "Verlauf", {**spec, "title": "Verlauf"}, "13 Monate")
    pdf.render(review)
    assert drawn and all("title" not in spec for spec in drawn)
    assert review.sections[0].charts[0].spec["title"] == "Verlauf"  # the model's spec is left as it is


def test_chart_spec_is_rendered_without_remote_data():
    spec = {"data": {"url": "http://example.invalid/data.csv"}, "mark": "point", "encoding": {}}
    with pytest.raises(Exception, match=r"(?i)allowed|url|access"):
        pdf.chart_png(spec)


# ---------------------------------------------------------------- workbook, synthetic


@pytest.fixture(scope="module")
def synthetic_book() -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(xlsx.render(synthetic("de"))))


def test_workbook_cover_sheet(synthetic_book):
    assert synthetic_book.sheetnames[:2] == ["Übersicht", "Kennzahlen"]
    cover = {row[0]: row[1] for row in synthetic_book["Übersicht"].iter_rows(min_row=4, max_col=2, values_only=True)}
    assert cover["Account-ID"] == "A0001"
    assert cover["KAM"] == "Anja Schröder"
    assert cover["Stand"] == datetime(2026, 12, 4)
    assert cover["Datenversion"] == BUILD
    assert cover["Health-Score"] == 32.0
    assert cover["Einstufung"] == "gefährdet"
    sentences = [c.value for c in synthetic_book["Übersicht"]["A"]]
    assert "Zufriedenheit −6,2 Punkte: NPS von 30 auf 4" in sentences


def test_workbook_sheet_per_table_with_valid_unique_names(synthetic_book):
    tables = synthetic_book.sheetnames[2:]
    # "Umsatz [Linie]" without the brackets, twice -> a second unique name; the long title cut to 31.
    assert tables == ["Umsatz Linie", "Tickets mit einem Titel länger", "Umsatz Linie (2)"]
    assert all(len(name) <= 31 and not re.search(r"[\[\]:*?/\\]", name) for name in tables)


def test_workbook_cells_are_typed_with_formats_frozen_header_and_filter(synthetic_book):
    sheet = synthetic_book["Umsatz Linie"]
    assert sheet["A1"].value == "Umsatz [Linie]"
    assert sheet["A2"].value == "12 Monate"
    assert [c.value for c in sheet[4]] == ["Linie", "ACV", "Quote", "Monat", "Anzahl"]
    assert sheet.freeze_panes == "A5"
    assert sheet.auto_filter.ref == "A4:E7"
    acv, pct, month, count = sheet["B5"], sheet["C5"], sheet["D5"], sheet["E5"]
    assert (acv.value, acv.number_format) == (1234567.4, '#,##0 "€"')
    assert (pct.value, pct.number_format) == (97.25, '#,##0.0 "%"')  # model pct is 0-100
    assert month.value == datetime(2026, 11, 1) and "MMMM" in month.number_format
    assert (count.value, count.number_format) == (1, "#,##0")
    assert sheet["B7"].value is None  # missing ACV: an empty cell, not 0 or "k. A."
    assert sheet["A5"].fill.fgColor.rgb.endswith("FBE0E0")  # highlighted row
    tickets = synthetic_book["Tickets mit einem Titel länger"]
    assert tickets.max_row == 4 + LONG_ROWS
    assert tickets["D5"].value == datetime(2026, 1, 1) and tickets["D5"].number_format == "DD.MM.YYYY"
    assert (tickets["C6"].value, tickets["C6"].number_format) == (1.25, '#,##0.0 "h"')
    figures = synthetic_book["Kennzahlen"]
    assert [c.value for c in figures[3]][1:5] == ["Malus", 1234.5, "Dezember 2026 bis 04.12.2026", "laufender Monat"]


def test_workbook_formula_like_text_is_stored_as_quoted_text(synthetic_book):
    sheet = synthetic_book["Umsatz Linie"]
    cell = sheet["A6"]
    assert cell.value == FORMULA and cell.data_type == "s" and cell.quotePrefix
    tickets = synthetic_book["Tickets mit einem Titel länger"]
    for row in range(5, 5 + len(PAYLOADS)):
        cell = tickets.cell(row, 2)
        if cell.value[0] in "=+-@":
            assert cell.data_type == "s" and cell.quotePrefix, cell.value
    # No formula anywhere in the file.
    content = xlsx.render(synthetic("de"))
    with zipfile.ZipFile(io.BytesIO(content)) as book:
        sheets = [n for n in book.namelist() if n.startswith("xl/worksheets/")]
        assert sheets and not any(b"<f>" in book.read(n) or b"<f " in book.read(n) for n in sheets)


# ---------------------------------------------------------------- the real review on the app fixture


@pytest.fixture(scope="module")
def marts(app_db) -> dict:
    """A1's figures read straight from the marts (not through the review)."""
    with duckdb.connect(str(app_db), read_only=True) as con:
        account = con.execute(
            "select a.account_name, a.acv_eur, a.revenue_12m_eur, a.margin_pct, h.health_score"
            " from mart_accounts a join mart_account_health h using (account_id) where account_id = 'A1'"
        ).fetchone()
        contracts = con.execute(
            "select contract_id, start_date, end_date, annual_value_eur, notice_period_days, notice_deadline"
            " from mart_contracts where account_id = 'A1' order by contract_id"
        ).fetchall()
        build_id = con.execute("select build_id from build_info").fetchone()[0]
    name, acv, revenue, margin, score = account
    return {
        "name": name,
        "acv": acv,
        "revenue": revenue,
        "margin": margin,
        "score": score,
        "contracts": contracts,
        "build_id": build_id,
    }


@pytest.mark.parametrize(
    "lang, as_of",
    [("de", "Stand 26.11.2026"), ("en", "as of 2026-11-26")],
)
def test_real_pack_pdf_shows_the_marts_figures_in_the_language(app_version, marts, lang, as_of):
    review = assemble(app_version, "A1", lang)
    texts = pages_text(pdf.render(review))
    text = "\n".join(texts)
    assert len(texts) == len(pypdf.PdfReader(io.BytesIO(pdf.render(review))).pages) >= 2
    assert marts["name"] == "Klinikum Nord"
    for page in texts:
        assert "Klinikum Nord (A1)" in page and as_of in page and marts["build_id"] in page
    # Score 58.3 -> "58,3" / "58.3"; ACV 480000 -> "480.000 €" / "€480,000"; revenue 40000; margin 22.5 %.
    expected = {
        "de": [fmt.number(marts["score"], "de", 1), "480.000 €", "40.000 €", "22,5 %"],
        "en": [fmt.number(marts["score"], "en", 1), "€480,000", "€40,000", "22.5%"],
    }[lang]
    assert expected[0] == ("58,3" if lang == "de" else "58.3")
    assert fmt.eur(marts["acv"], lang) == expected[1] and fmt.eur(marts["revenue"], lang) == expected[2]
    assert fmt.pct(marts["margin"], lang) == expected[3]
    for figure in expected:
        assert figure in text, figure
    assert expected[0] in texts[0]  # the score on the cover


def test_real_pack_workbook_equals_the_marts(app_version, marts):
    review = assemble(app_version, "A1", "de")
    book = openpyxl.load_workbook(io.BytesIO(xlsx.render(review)))
    cover = {row[0]: row[1] for row in book["Übersicht"].iter_rows(min_row=4, max_col=2, values_only=True)}
    assert cover["Health-Score"] == marts["score"]
    assert cover["Datenversion"] == marts["build_id"]
    assert cover["Stand"] == datetime(2026, 11, 26)
    # One sheet per table shown, in the review's order.
    titles = [t.title for s in review.sections for t in s.tables]
    assert len(book.sheetnames) == 2 + len(titles)
    sheet = book[book.sheetnames[2 + [t.key for s in review.sections for t in s.tables].index("contracts")]]
    header = [c.value for c in sheet[4]]
    rows = [dict(zip(header, values)) for values in sheet.iter_rows(min_row=5, values_only=True)]
    labels = {c.key: c.label for c in review.section("contracts").table("contracts").columns}
    got = [
        (
            r[labels["contract_id"]],
            r[labels["start_date"]].date(),
            r[labels["end_date"]].date(),
            r[labels["annual_value_eur"]],
            r[labels["notice_period_days"]],
            r[labels["notice_deadline"]].date(),
        )
        for r in rows
    ]
    assert got == marts["contracts"]  # C1: 01.01.2024 - 31.12.2026, 480000, 90 days, deadline 02.10.2026
    assert sheet.freeze_panes == "A5"


# ---------------------------------------------------------------- the command


def test_cli_one_account_in_both_formats(app_db, tmp_path, capsys):
    pdf_path, xlsx_path = tmp_path / "a1.pdf", tmp_path / "a1.xlsx"
    assert (
        cli.main(["review-pack", "--db", str(app_db), "--account", "A1", "--lang", "en", "--out", str(pdf_path)]) == 0
    )
    assert cli.main(["review-pack", "--db", str(app_db), "--account", "A1", "--out", str(xlsx_path), "--quiet"]) == 0
    assert "Klinikum Nord (A1)" in pages_text(pdf_path.read_bytes())[0]
    assert "Page 1 of" in pages_text(pdf_path.read_bytes())[0]
    assert openpyxl.load_workbook(xlsx_path).sheetnames[0] == "Übersicht"
    assert "a1.pdf" in capsys.readouterr().err


def test_cli_all_accounts_in_a_process_pool(app_db, tmp_path, capsys):
    out = tmp_path / "packs"
    code = cli.main(["review-pack", "--db", str(app_db), "--all", "--out-dir", str(out), "--jobs", "2"])
    assert code == 0
    assert sorted(p.name for p in out.iterdir()) == [
        "A1-klinikum-nord.pdf",
        "A1-klinikum-nord.xlsx",
        "A2-logistik-sued-gmbh.pdf",
        "A2-logistik-sued-gmbh.xlsx",
    ]
    assert "Logistik Süd GmbH (A2)" in pages_text((out / "A2-logistik-sued-gmbh.pdf").read_bytes())[0]
    assert "2 of 2 accounts" in capsys.readouterr().err


@pytest.mark.parametrize(
    "args, message",
    [
        (["--account", "A9", "--out", "{tmp}/x.pdf"], "unknown account 'A9'"),
        (["--account", "A1", "--out", "{tmp}/x.docx"], "must end in .pdf or .xlsx"),
        (["--account", "A1", "--out-dir", "{tmp}"], "--account needs --out"),
        (["--all", "--out", "{tmp}/x.pdf"], "--all needs --out-dir"),
    ],
)
def test_cli_refuses_with_a_clear_message(app_db, tmp_path, capsys, args, message):
    argv = ["review-pack", "--db", str(app_db), *[a.format(tmp=tmp_path) for a in args]]
    assert cli.main(argv) == 1
    assert message in capsys.readouterr().err
    assert not (tmp_path / "x.pdf").exists()


def test_cli_bad_database_path(tmp_path, capsys):
    argv = ["review-pack", "--db", str(tmp_path / "none.duckdb"), "--account", "A1", "--out", str(tmp_path / "x.pdf")]
    assert cli.main(argv) == 1
    assert "no database at" in capsys.readouterr().err
    (tmp_path / "junk.duckdb").write_text("not a database")
    argv[2] = str(tmp_path / "junk.duckdb")
    assert cli.main(argv) == 1
    assert "cannot read" in capsys.readouterr().err


def test_file_stem_is_safe():
    assert file_stem("A0001", "Havelland Warenhaus GmbH") == "A0001-havelland-warenhaus-gmbh"
    assert file_stem("A2", "Logistik Süd GmbH") == "A2-logistik-sued-gmbh"
    assert file_stem("../A3", "../../etc/passwd") == "A3-etc-passwd"
