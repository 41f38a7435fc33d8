"""The account review (kamdata.review.model) drawn with Streamlit: header, a contents line, then every
section of the model in its order (the PDF's order), each with its key figures, charts, tables and
sentences. Written against the model only, so a section that lands in kamdata/review shows here
without a page change.

The tables of the sections below the first EAGER_SECTIONS (the health score and the early warnings, what
the review opens with) are closed expanders, "Title · n rows", that draw their table (with its window and
note) only when opened: the figures, sentences and charts of every section show at once, an empty table
shows its note at once, and a run no longer styles two dozen tables nobody scrolled to. Which tables are
open is in the URL (`?open_<table key>=true`), so a link reopens them; picking another account starts with
them closed.

Data-derived text (account names, comments, subjects, commitment texts) never becomes markup: it is a
dataframe cell, `st.text`, or markdown-escaped (fmt.md_escape) where Streamlit renders markdown
(titles, captions, metric labels and values, notices).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Literal

import streamlit as st

from kamdata.app import formats as fmt
from kamdata.app import widgets
from kamdata.app.i18n import text
from kamdata.review.model import Chart, Figure, Review, Section, Table, display

FIGURES_PER_ROW = 4
LONG_LABEL_CHARS = 30  # a tile label longer than this is cut at four tiles a row: three a row then
# A tile's value is large type: at four a row on a 1024 px screen (sidebar open) about 6 characters fit,
# at three about 9; longer values ("1.364.200 €") take two a row, so a number is never cut to "1,4…".
VALUE_CHARS_AT = {4: 6, 3: 9}
ROW_PX = 35  # the grid's default row height
WRAP_ROW_PX = 68  # above 4 rem a row wraps its text: long sentences read in full
WRAP_FROM_CHARS = 60  # a text column this long wraps (and gets the large width unless narrowed to fit)
HEADER_PX = 40
# Fitting a table into the page (1440 px screen with the sidebar: about 980 px of grid): a column's natural
# width estimated from its longest text; when the columns do not fit, the widest content-driven text
# columns are narrowed and their rows wrap, so the last column is not cut.
PAGE_PX = 960
CHAR_PX = 7.4
CELL_PAD_PX = 26
MIN_TEXT_PX = 170
MAX_AUTO_PX = 420
MAX_ROWS_IN_VIEW = 15  # longer tables scroll inside the grid
# Highlighted rows (overdue, high severity): a translucent red reads on the light and the dark theme.
HIGHLIGHT = "background-color: rgba(255, 75, 75, 0.18)"
BAND_COLORS: dict[str, Literal["green", "orange", "red"]] = {"healthy": "green", "watch": "orange", "at_risk": "red"}
NUMERIC_KINDS = ("integer", "number", "pct", "eur", "hours", "days", "score")
# Section keys are anchors in the page URL (#review-sla): prefixed so they never clash with Streamlit's own.
ANCHOR_PREFIX = "review-"
EAGER_SECTIONS = 2  # their tables show at once; later sections' tables open on demand (see the docstring)
OPEN_PREFIX = "open_"  # the URL parameter of a table's expander: ?open_commitments_ledger=true


def anchor(section: Section) -> str:
    return ANCHOR_PREFIX + re.sub(r"[^a-z0-9-]", "-", section.key.lower())


def render(review: Review) -> None:
    """The whole review below the page's title and picker."""
    header(review)
    body(review)


def header(review: Review) -> None:
    """Industry, region and KAM; the band with the score."""
    st.caption(header_caption(review))
    band(review)


def body(review: Review) -> None:
    """The contents line, then every section in the model's order (the PDF's). The pack's cover (score,
    movers, path to green) is the health section's own content here, which comes first."""
    contents(review.sections, review.lang)
    for number, section in enumerate(review.sections):
        render_section(section, review.lang, lazy_tables=number >= EAGER_SECTIONS)


def header_caption(review: Review) -> str:
    """ "Branche … · Region … · KAM …" (markdown-escaped; the frame above shows the data's as-of date)."""
    return fmt.md_escape(
        text(
            "account_review.subtitle",
            review.lang,
            industry=review.industry,
            region=review.region,
            kam=review.kam_name,
        )
    )


def band(review: Review) -> None:
    """The band in its colour with the score, on the as-of date: "gefährdet · Health-Score 32,0"."""
    label = text(
        "account_review.band",
        review.lang,
        band=review.band_label,
        score=display(review.health_score, "score", review.lang),
        as_of=fmt.day(review.as_of, review.lang),
    )
    st.badge(fmt.md_escape(label), color=BAND_COLORS.get(review.band or "", "gray"))


def contents(sections: list[Section], lang: str) -> None:
    """One small line of in-page links to the sections (titles are the app's own texts)."""
    if len(sections) < 2:
        return
    links = " · ".join(f"[{fmt.md_escape(s.title)}](#{anchor(s)})" for s in sections)
    st.markdown(f"{fmt.md_escape(text('account_review.contents', lang))} {links}")


def render_section(section: Section, lang: str, lazy_tables: bool = False) -> None:
    st.header(fmt.md_escape(section.title), anchor=anchor(section), divider="gray")
    has_content = section.figures or section.charts or section.tables or section.texts
    if section.empty and not has_content:
        st.info(fmt.md_escape(section.empty), icon=":material/info:")
        return
    if section.figures:
        figures(section.figures, lang)
    if section.texts:
        # one plain-text block, a sentence a line (st.text: never markdown or HTML)
        st.text("\n".join(section.texts))
    for chart in section.charts:
        render_chart(chart)
    for table in section.tables:
        if lazy_tables and len(table.frame):  # an empty table shows its note at once (nothing to style)
            lazy_table(table, lang)
        else:
            render_table(table, lang)
    if section.empty:  # something shown, and a note on what is missing
        st.caption(fmt.md_escape(section.empty))


def window_caption(window: str, note: str | None = None) -> str:
    """The window a figure, chart or table covers, with its note (e.g. running month), escaped."""
    return fmt.md_escape(" · ".join(part for part in (window, note) if part))


def tiles_per_row(items: list[Figure], lang: str) -> int:
    """FIGURES_PER_ROW tiles a row, fewer when a label or a value would be cut (see VALUE_CHARS_AT)."""
    value_chars = max(len(f.text(lang)) for f in items)
    per_row = FIGURES_PER_ROW - (max(len(f.label) for f in items) > LONG_LABEL_CHARS)
    while per_row in VALUE_CHARS_AT and value_chars > VALUE_CHARS_AT[per_row]:
        per_row -= 1
    return per_row


def figures(items: list[Figure], lang: str) -> None:
    """Key figures as tiles (`tiles_per_row` a row); under each its window (and partial note)."""
    per_row = tiles_per_row(items, lang)
    for start in range(0, len(items), per_row):
        row = items[start : start + per_row]
        for column, figure in zip(st.columns(per_row), row):
            with column:
                widgets.kpi_tile(fmt.md_escape(figure.label), fmt.md_escape(figure.text(lang)))
                st.caption(window_caption(figure.window, figure.note))


def _has_title(spec: dict) -> bool:
    return bool(spec.get("title"))


def page_spec(chart: Chart) -> tuple[dict, bool]:
    """The spec as the page draws it, and whether it is stretched to the page (not a concat/facet
    composition, whose parts keep their own widths). A stretched chart fits the page's width only: its
    plot keeps the spec's height and the title, axes and legend are added around it (Streamlit's default
    fits them all into that height, which left a 200 px bar chart under a rotated axis and a legend no
    plot at all)."""
    composed = any(key in chart.spec for key in ("hconcat", "vconcat", "concat", "facet"))
    if composed:
        return chart.spec, False
    return {**chart.spec, "autosize": {"type": "fit-x", "contains": "padding"}}, True


def render_chart(chart: Chart) -> None:
    """The chart's Vega-Lite spec as built for the pack (see `page_spec`)."""
    if not _has_title(chart.spec):
        st.markdown(f"**{fmt.md_escape(chart.title)}**")
    spec, stretched = page_spec(chart)
    st.vega_lite_chart(spec=spec, width="stretch" if stretched else "content")
    st.caption(window_caption(chart.window))


def column_config(table: Table, lang: str) -> dict:
    """Streamlit column config per shown column from its kind: numbers as number columns (sorted by
    value), dates as date columns, texts as text (narrowed to fit, see `fitted_widths`); the cell text
    comes from `display` (the Styler)."""
    widths = fitted_widths(table, lang)
    config: dict = {}
    for column in table.columns:
        if column.kind in NUMERIC_KINDS:
            config[column.key] = st.column_config.NumberColumn(column.label)
        elif column.kind in ("date", "month"):
            config[column.key] = st.column_config.DateColumn(column.label)
        else:
            long_text = _longest(table.frame[column.key]) >= WRAP_FROM_CHARS
            fitted = widths.get(column.key)
            config[column.key] = st.column_config.TextColumn(
                column.label, width=fitted if fitted is not None else "large" if long_text else None
            )
    return config


def _texts(table: Table, key: str, kind: str, decimals: int | None, lang: str) -> list[str]:
    return [display(v, kind, lang, decimals) for v in table.frame[key]]


def _longest(values) -> int:
    texts = [len(str(v)) for v in values if not fmt.missing(v)]
    return max(texts, default=0)


def fitted_widths(table: Table, lang: str) -> dict[str, int]:
    """Pixel widths for the text columns that must be narrowed so the table fits PAGE_PX (empty when it
    fits as it is). Only columns whose content is wider than their header are narrowed (a header is
    never cut), widest first, down to MIN_TEXT_PX; their rows then wrap."""
    natural: dict[str, float] = {}
    header: dict[str, float] = {}
    for column in table.columns:
        content = _longest(_texts(table, column.key, column.kind, column.decimals, lang))
        header[column.key] = len(column.label) * CHAR_PX + CELL_PAD_PX
        natural[column.key] = min(max(content * CHAR_PX + CELL_PAD_PX, header[column.key]), MAX_AUTO_PX)
    excess = sum(natural.values()) - PAGE_PX
    widths: dict[str, int] = {}
    candidates = sorted(
        (c for c in table.columns if c.kind == "text" and natural[c.key] > max(header[c.key], MIN_TEXT_PX)),
        key=lambda c: -natural[c.key],
    )
    for column in candidates:
        if excess <= 0:
            break
        floor = max(header[column.key], MIN_TEXT_PX)
        cut = min(excess, natural[column.key] - floor)
        widths[column.key] = int(natural[column.key] - cut)
        excess -= cut
    return widths


def styled(table: Table, lang: str):
    """The shown columns with each cell's text from `display` (the one value->text function the PDF and
    workbook use too) and highlighted rows; sorting still uses the raw values."""
    shown = table.shown().reset_index(drop=True)
    formats = {c.key: (lambda v, kind=c.kind, places=c.decimals: display(v, kind, lang, places)) for c in table.columns}
    style = shown.style.format(formats)
    if table.highlight:
        marked = list(table.frame[table.highlight].fillna(False).astype(bool))
        style = style.apply(lambda row: [HIGHLIGHT if marked[row.name] else ""] * len(row), axis=1)
    return style


def expander_label(table: Table, lang: str) -> str:
    """ "**Zusagen** · 33 Zeilen" (escaped): what the closed expander tells before it is opened."""
    return f"**{fmt.md_escape(table.title)}** · {fmt.count(len(table.frame), 'row', lang)}"


def lazy_table(table: Table, lang: str) -> None:
    """The table in a closed expander, URL-bound (OPEN_PREFIX + key), drawn only while open."""
    expander = st.expander(expander_label(table, lang), key=OPEN_PREFIX + table.key, bind="query-params")
    if expander.open:
        with expander:
            render_table(table, lang, title=False)


def render_table(table: Table, lang: str, title: bool = True) -> None:
    if title:
        st.markdown(f"**{fmt.md_escape(table.title)}**")
    st.caption(window_caption(table.window, table.note))
    rows = len(table.frame)
    config = column_config(table, lang)
    narrowed = [key for key, spec in config.items() if isinstance(spec.get("width"), int)]
    wraps = bool(narrowed) or any(
        c.kind == "text" and _longest(table.frame[c.key]) >= WRAP_FROM_CHARS for c in table.columns
    )
    row_px = WRAP_ROW_PX if wraps else ROW_PX
    widgets.table(
        styled(table, lang),
        hide_index=True,
        row_height=row_px,
        height=min(rows, MAX_ROWS_IN_VIEW) * row_px + HEADER_PX,
        column_config=config,
        key=f"review-table-{table.key}",
        download=f"review_{table.key}",
        download_columns=table.columns,
    )


def slug(name: str) -> str:
    """A file-name-safe ASCII form of an account name: "Logistik Süd GmbH" -> "logistik-sued-gmbh"."""
    folded = name.lower()
    for umlaut, plain in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        folded = folded.replace(umlaut, plain)
    ascii_text = unicodedata.normalize("NFKD", folded).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-") or "account"


def pack(review: Review, extension: str) -> bytes:
    """The review pack as "pdf" or "xlsx". Its renderer (reportlab and vl-convert, openpyxl) is imported on
    the first click, not with the page: most visits never download a pack."""
    from kamdata.review import pdf, xlsx

    return (pdf if extension == "pdf" else xlsx).render(review)


def pack_file_name(review: Review, extension: str) -> str:
    """<account_id>_<slug>_review_<as_of>.<extension>, e.g. "A1_klinikum-nord_review_2026-11-26.pdf"."""
    account = re.sub(r"[^A-Za-z0-9-]+", "-", review.account_id).strip("-") or "account"
    return f"{account}_{slug(review.account_name)}_review_{review.as_of.isoformat()}.{extension}"
