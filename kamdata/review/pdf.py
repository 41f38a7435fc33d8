"""The review pack as PDF: `render(review) -> bytes` (A4, reportlab platypus, in the review's language).

Rendered generically from the model (kamdata/review/model.py): a cover (account, KAM, industry and
region, health score in its band colour, the cover sentences, the contents), then every section with its
figures as a small grid (each with its window and note), its plain sentences, its charts (Vega-Lite specs
rendered offline by vl-convert as high-resolution PNG) and its tables (header repeated on every page, rows
never split, numbers right-aligned, highlighted rows tinted). Every page carries the account, the as-of
date, the data version and "Seite n von m".

Safety: reportlab's Paragraph parses a small markup language (<b>, <a href>, <img>), so every data text is
escaped before it goes into a Paragraph; texts drawn straight on the canvas (header, footer) are never
parsed. Characters the font lacks are mapped to a close equivalent (NFKD: "₂" -> "2") or "?".

Fonts: Bitstream Vera, which ships inside the reportlab wheel (no system fonts needed; it covers German
text, €, „“ and the minus sign U+2212), so the pack is the same on any machine with only pip.
"""

from __future__ import annotations

import io
import os
import re
import struct
import unicodedata
from dataclasses import dataclass
from functools import cache
from typing import Any
from xml.sax.saxutils import escape

import vl_convert
from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as pdfcanvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    Image,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    TableStyle,
)
from reportlab.platypus import Table as PdfTable

from kamdata.app import formats as fmt
from kamdata.app.charts.base import BAND_COLORS
from kamdata.app.i18n import text
from kamdata.review.model import Chart, Column, Figure, Review, Section, Table, display

FONT = "KamSans"
FONT_BOLD = "KamSans-Bold"
FONT_ITALIC = "KamSans-Italic"

PAGE_W, PAGE_H = A4
MARGIN_X = 18 * mm
MARGIN_TOP = 22 * mm
MARGIN_BOTTOM = 18 * mm
FRAME_W = PAGE_W - 2 * MARGIN_X
FRAME_H = PAGE_H - MARGIN_TOP - MARGIN_BOTTOM

INK = colors.HexColor("#1f2933")
MUTED = colors.HexColor("#5f6b7a")
RULE = colors.HexColor("#c9d1db")
HEADER_FILL = colors.HexColor("#33475b")
STRIPE = colors.HexColor("#f4f6f8")
HIGHLIGHT = colors.HexColor("#fbe0e0")
PARTIAL = colors.HexColor("#8a5a00")

NUMERIC_KINDS = frozenset({"integer", "number", "pct", "eur", "hours", "days", "score"})
CHART_SCALE = 2.0  # PNG pixels per CSS pixel: about 180 dpi at print size, without megabyte images
SMALL_TABLE_ROWS = 15  # a section with no chart and at most this many table rows shares a page
CELL_MAX_PAGE = 0.5  # a text cell fills at most half a page (rows are never split); longer texts end in "…"
ALL_FONT = ("FONT", (0, 0), (-1, -1), FONT)  # every table cell, also empty ones (else Helvetica is set)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@cache
def _font_cmap() -> frozenset[int]:
    """Register the Vera family shipped with reportlab; the code points it covers."""
    import reportlab

    folder = os.path.join(os.path.dirname(reportlab.__file__), "fonts")
    regular = TTFont(FONT, os.path.join(folder, "Vera.ttf"))
    pdfmetrics.registerFont(regular)
    pdfmetrics.registerFont(TTFont(FONT_BOLD, os.path.join(folder, "VeraBd.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_ITALIC, os.path.join(folder, "VeraIt.ttf")))
    pdfmetrics.registerFont(TTFont(FONT + "-BoldItalic", os.path.join(folder, "VeraBI.ttf")))
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC, boldItalic=FONT + "-BoldItalic"
    )
    return frozenset(regular.face.charToGlyph)


# Symbols the sections may use that Vera lacks, and no NFKD form: a close text equivalent.
FALLBACK = {"→": "->", "←": "<-", "↑": "^", "↓": "v", "↗": "^", "↘": "v", "≈": "~", "✓": "+", "✗": "x", "⚠": "!"}


def plain(value: object) -> str:
    """Text the font can draw: control characters dropped, a missing glyph replaced by its compatibility
    form (NFKD, e.g. "₂" -> "2"), a text equivalent ("→" -> "->") or "?". Not escaped: for the canvas
    and for table cells drawn as plain strings (never parsed)."""
    cmap = _font_cmap()
    out = []
    for ch in _CONTROL.sub("", str(value)):
        if ord(ch) in cmap or ch in "\n\t":
            out.append(ch)
            continue
        folded = FALLBACK.get(ch) or "".join(c for c in unicodedata.normalize("NFKD", ch) if ord(c) in cmap)
        out.append(folded or "?")
    return "".join(out)


def esc(value: object) -> str:
    """Data text for a Paragraph: drawable and escaped, so "<img onerror=...>" stays literal text."""
    return escape(plain(value)).replace("\n", "<br/>")


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=FONT, fontSize=9, leading=12, textColor=INK)
    return {
        "body": base,
        "h1": ParagraphStyle("h1", base, fontName=FONT_BOLD, fontSize=16, leading=20, spaceAfter=6),
        "h2": ParagraphStyle("h2", base, fontName=FONT_BOLD, fontSize=11, leading=14, spaceBefore=8),
        "caption": ParagraphStyle("caption", base, fontSize=7.5, leading=9.5, textColor=MUTED, spaceAfter=3),
        "note": ParagraphStyle("note", base, fontName=FONT_ITALIC, fontSize=7.5, leading=9.5, textColor=PARTIAL),
        "table_note": ParagraphStyle(
            "table_note", base, fontName=FONT_ITALIC, fontSize=7.5, leading=9.5, textColor=MUTED, spaceAfter=3
        ),
        "fig_label": ParagraphStyle("fig_label", base, fontSize=8, leading=10, textColor=MUTED),
        "fig_value": ParagraphStyle("fig_value", base, fontName=FONT_BOLD, fontSize=15, leading=19),
        "cell": ParagraphStyle("cell", base, fontSize=8, leading=10),
        "head": ParagraphStyle("head", base, fontName=FONT_BOLD, fontSize=8, leading=10, textColor=colors.white),
        "head_num": ParagraphStyle(
            "head_num", base, fontName=FONT_BOLD, fontSize=8, leading=10, textColor=colors.white, alignment=TA_RIGHT
        ),
        "cover_title": ParagraphStyle("cover_title", base, fontSize=12, leading=16, textColor=MUTED),
        "cover_name": ParagraphStyle("cover_name", base, fontName=FONT_BOLD, fontSize=24, leading=29, spaceAfter=4),
        "bullet": ParagraphStyle(
            "bullet", base, fontSize=10, leading=14, leftIndent=12, bulletIndent=0, bulletFontName=FONT, spaceAfter=3
        ),
    }


# --- page chrome ---------------------------------------------------------------------------------------


def _fit(text_: str, font: str, size: float, width: float) -> str:
    """`text_` shortened with "…" to fit `width` on the canvas."""
    if pdfmetrics.stringWidth(text_, font, size) <= width:
        return text_
    while text_ and pdfmetrics.stringWidth(text_ + "…", font, size) > width:
        text_ = text_[:-1]
    return text_ + "…"


def _canvas_maker(review: Review) -> type[pdfcanvas.Canvas]:
    """A canvas that draws header and footer on every page once the page count is known."""
    lang = review.lang
    left_head = plain(f"{review.account_name} ({review.account_id})")
    right_head = plain(
        f"{text('review.window.at', lang, as_of=fmt.day(review.as_of, lang))} · "
        f"{text('pack.version', lang, build_id=review.build_id)}"
    )
    product = plain(text("pack.product", lang))

    class NumberedCanvas(pdfcanvas.Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self):
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            for state in self._pages:
                self.__dict__.update(state)
                self._chrome(len(self._pages))
                super().showPage()
            super().save()

        def _chrome(self, pages: int) -> None:
            self.saveState()
            self.setFillColor(MUTED)
            self.setStrokeColor(RULE)
            self.setLineWidth(0.5)
            top = PAGE_H - 12 * mm
            right_w = pdfmetrics.stringWidth(right_head, FONT, 8)
            self.setFont(FONT_BOLD, 8)
            self.drawString(MARGIN_X, top, _fit(left_head, FONT_BOLD, 8, FRAME_W - right_w - 8 * mm))
            self.setFont(FONT, 8)
            self.drawRightString(PAGE_W - MARGIN_X, top, right_head)
            self.line(MARGIN_X, top - 2.5 * mm, PAGE_W - MARGIN_X, top - 2.5 * mm)
            bottom = 10 * mm
            self.line(MARGIN_X, bottom + 4 * mm, PAGE_W - MARGIN_X, bottom + 4 * mm)
            self.drawString(MARGIN_X, bottom, product)
            number = plain(text("pack.page", lang, page=self._pageNumber, pages=pages))
            self.drawRightString(PAGE_W - MARGIN_X, bottom, number)
            self.restoreState()

    return NumberedCanvas


# --- cover ---------------------------------------------------------------------------------------------


def _cover(review: Review, st: dict[str, ParagraphStyle]) -> list[Flowable]:
    lang = review.lang
    out: list[Flowable] = [
        Spacer(1, 8 * mm),
        Paragraph(esc(text("pack.title", lang)), st["cover_title"]),
        Paragraph(esc(review.account_name), st["cover_name"]),
        Spacer(1, 4 * mm),
    ]
    facts = [
        ("pack.cover.account_id", review.account_id),
        ("pack.cover.kam", review.kam_name),
        ("pack.cover.industry", review.industry),
        ("pack.cover.region", review.region),
        ("pack.cover.as_of", fmt.day(review.as_of, lang)),
        ("pack.cover.version", review.build_id),
    ]
    rows = [
        [Paragraph(esc(text(key, lang)), st["fig_label"]), Paragraph(esc(value), st["body"])] for key, value in facts
    ]
    facts_table = PdfTable(rows, colWidths=[32 * mm, 70 * mm], hAlign="LEFT")
    facts_table.setStyle(
        TableStyle([ALL_FONT, ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)])
    )

    band_fill = colors.HexColor(BAND_COLORS.get(review.band, BAND_COLORS[None]))
    ink = INK if review.band in ("watch", None) else colors.white
    score_style = ParagraphStyle("score", st["body"], fontName=FONT_BOLD, fontSize=30, leading=36, textColor=ink)
    small = ParagraphStyle("score_label", st["body"], fontSize=9, leading=12, textColor=ink)
    score = display(review.health_score, "score", lang)
    badge = PdfTable(
        [
            [Paragraph(esc(text("pack.cover.score", lang)), small)],
            [Paragraph(esc(score), score_style)],
            [Paragraph(esc(review.band_label), ParagraphStyle("band", small, fontName=FONT_BOLD, fontSize=11))],
        ],
        colWidths=[52 * mm],
    )
    badge.setStyle(
        TableStyle(
            [
                ALL_FONT,
                ("BACKGROUND", (0, 0), (-1, -1), band_fill),
                ("LEFTPADDING", (0, 0), (-1, -1), 10),
                ("TOPPADDING", (0, 0), (-1, 0), 8),
                ("BOTTOMPADDING", (0, -1), (-1, -1), 10),
            ]
        )
    )
    top = PdfTable([[facts_table, badge]], colWidths=[FRAME_W - 56 * mm, 56 * mm])
    top.setStyle(TableStyle([ALL_FONT, ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    out.append(top)
    if review.cover:
        out += [Spacer(1, 8 * mm), Paragraph(esc(text("pack.cover.summary", lang)), st["h2"]), Spacer(1, 2 * mm)]
        out += [Paragraph(esc(sentence), st["bullet"], bulletText="•") for sentence in review.cover]
    out += [Spacer(1, 8 * mm), Paragraph(esc(text("pack.cover.contents", lang)), st["h2"]), Spacer(1, 2 * mm)]
    out += [
        Paragraph(esc(f"{number}  {section.title}"), st["body"])
        for number, section in enumerate(review.sections, start=1)
    ]
    return out


# --- section parts -------------------------------------------------------------------------------------


def _figures(figures: list[Figure], lang: str, st: dict[str, ParagraphStyle]) -> Flowable:
    """Key figures as a grid of three: label, value, window, and the note (e.g. a running month)."""
    per_row = 3
    cells: list[list] = []
    for figure in figures:
        cell: list[Flowable] = [
            Paragraph(esc(figure.label), st["fig_label"]),
            Paragraph(esc(figure.text(lang)).replace(" ", "&nbsp;"), st["fig_value"]),
            Paragraph(esc(figure.window), st["caption"]),
        ]
        if figure.note:
            cell.append(Paragraph(esc(figure.note), st["note"]))
        cells.append(cell)
    while len(cells) % per_row:
        cells.append([])
    rows = [cells[i : i + per_row] for i in range(0, len(cells), per_row)]
    grid = PdfTable(rows, colWidths=[FRAME_W / per_row] * per_row, hAlign="LEFT")
    style: list[tuple[Any, ...]] = [
        ALL_FONT,
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
    ]
    for index in range(len(figures)):
        r, c = divmod(index, per_row)
        style.append(("BOX", (c, r), (c, r), 0.5, RULE))
    grid.setStyle(TableStyle(style))
    return grid


def _png_size(png: bytes) -> tuple[int, int]:
    """Width and height in pixels from a PNG's IHDR chunk."""
    width, height = struct.unpack(">II", png[16:24])
    return width, height


def chart_png(spec: dict) -> bytes:
    """A Vega-Lite spec as a PNG, offline: no remote data (allowed_base_urls=[]), a fixed width when the
    spec asks for its container's (there is no container when printing)."""
    spec = dict(spec)
    if spec.get("width") == "container":
        spec["width"] = 640
    return vl_convert.vegalite_to_png(spec, scale=CHART_SCALE, allowed_base_urls=[])


def _chart(chart: Chart, st: dict[str, ParagraphStyle]) -> Flowable:
    # The chart's heading above it is its title: the spec's own would repeat it in the picture.
    png = chart_png({key: value for key, value in chart.spec.items() if key != "title"})
    px_w, px_h = _png_size(png)
    width, height = px_w / CHART_SCALE, px_h / CHART_SCALE  # CSS px = pt at 72 ppi
    shrink = min(1.0, FRAME_W / width, (FRAME_H - 30 * mm) / height)
    image = Image(io.BytesIO(png), width=width * shrink, height=height * shrink, hAlign="LEFT")
    return KeepTogether(
        [Paragraph(esc(chart.title), st["h2"]), Paragraph(esc(chart.window), st["caption"]), image, Spacer(1, 4 * mm)]
    )


def _cell(shown: str, column: Column, style: ParagraphStyle, width: float) -> Paragraph | str:
    """A text cell as an escaped Paragraph (it wraps at words); a number or date as a plain string,
    which reportlab draws as it is (never parsed as markup) on one line, and much faster. A text too
    long for half a page in its column is cut with "…" (a row taller than a page cannot be drawn)."""
    if column.kind != "text":
        return plain(shown)
    per_line = max(1, int((width - CELL_PAD) / (style.fontSize * 0.6)))
    limit = per_line * int(FRAME_H * CELL_MAX_PAGE / style.leading)
    if len(shown) > limit:
        shown = shown[: limit - 1] + "…"
    return Paragraph(esc(shown), style)


CELL_PAD = 8.0  # left + right padding of a table cell
TEXT_WORD_MAX = 35 * mm  # a text column need not be wider than this for its longest word (it breaks)


@dataclass
class _Layout:
    widths: list[float]
    size: float  # font size of the cells and header
    break_header: list[bool]  # header too narrow for its longest word: break inside words


def _fill(mins: list[float], wants: list[float], text_cols: list[int]) -> list[float]:
    """Numbers and dates at their minimum; text columns water-filled into the room left: a column that
    wants less than its fair share gets what it wants, one whose minimum is above it gets its minimum,
    the rest share equally; spare room goes to the text columns (or to all when there are none)."""
    widths = list(mins)
    room = FRAME_W - sum(w for i, w in enumerate(mins) if i not in text_cols)
    left = list(text_cols)
    while left:
        fair = room / len(left)
        settled = [i for i in left if wants[i] <= fair or mins[i] >= fair]
        if not settled:
            for i in left:
                widths[i] = fair
            return widths
        for i in settled:
            widths[i] = wants[i] if wants[i] <= fair else mins[i]
            room -= widths[i]
            left.remove(i)
    spare = FRAME_W - sum(widths)
    takers = text_cols or list(range(len(widths)))
    total = sum(widths[i] for i in takers)
    for i in takers:
        widths[i] += spare * widths[i] / total
    return widths


def _layout(table: Table, texts: list[list[str]]) -> _Layout:
    """Column widths that fit the page: numbers and dates never wrap; text columns wrap at words; a
    header wraps at words and, only if its column cannot be as wide as its longest word, inside words;
    at 8 pt, else 7 pt; a table that does not fit even then is scaled down as a whole."""
    columns = table.columns
    text_cols = [i for i, c in enumerate(columns) if c.kind == "text"]
    header_word = [
        max((pdfmetrics.stringWidth(w, FONT_BOLD, 8) for w in c.label.split()), default=0.0) for c in columns
    ]
    need: list[float] = []  # at 8 pt, without padding
    want: list[float] = []
    for index, column in enumerate(columns):
        cells = [row[index] for row in texts]
        if column.kind == "text":
            longest_word = max((pdfmetrics.stringWidth(w, FONT, 8) for v in cells for w in v.split()), default=0.0)
            need.append(min(longest_word, TEXT_WORD_MAX))
            want.append(min(max((pdfmetrics.stringWidth(v, FONT, 8) for v in cells), default=0.0), 4 * FRAME_W))
        else:
            need.append(max((pdfmetrics.stringWidth(v, FONT, 8) for v in cells), default=0.0))
            want.append(need[-1])
    # Whole header words at 8 pt, else at 7 pt; only then headers broken inside words (8 pt, else 7 pt).
    for size, whole_words in ((8.0, True), (7.0, True), (8.0, False), (7.0, False)):
        scale = size / 8
        heads = [h * scale + CELL_PAD for h in header_word]
        mins = [n * scale + CELL_PAD for n in need]
        with_heads = [max(m, h) for m, h in zip(mins, heads)]
        if whole_words:
            if sum(with_heads) <= FRAME_W:
                wants = [max(w * scale + CELL_PAD, m) for w, m in zip(want, with_heads)]
                return _Layout(_fill(with_heads, wants, text_cols), size, [False] * len(columns))
        elif sum(mins) <= FRAME_W:
            # The cells fit but not every header word: the room left goes to the headers short of it,
            # the nearest first, so as many headers as possible keep their words whole.
            widths = list(mins)
            spare = FRAME_W - sum(mins)
            for i in sorted(range(len(columns)), key=lambda i: with_heads[i] - mins[i]):
                grant = min(with_heads[i] - mins[i], spare)
                widths[i] += grant
                spare -= grant
            return _Layout(widths, size, [h > w + 0.01 for h, w in zip(heads, widths)])
    mins = [n * 7 / 8 + CELL_PAD for n in need]
    return _Layout([w * FRAME_W / sum(mins) for w in mins], 7.0, [True] * len(columns))


def _table(table: Table, lang: str, st: dict[str, ParagraphStyle], group: bool = True) -> list[Flowable]:
    """The table under its title, window and note. A short one is kept on one page (as a group unless
    `group` is False: the caller keeps the whole section together, and reportlab's KeepTogether must
    not nest, an inner one always reports it does not fit)."""
    shown = table.shown()
    columns = table.columns
    raw = [[display(v, c.kind, lang, c.decimals) for v, c in zip(row, columns)] for row in shown.itertuples(False)]
    layout = _layout(table, raw)
    size, leading = layout.size, layout.size + 2

    def style(name: str, right: bool, breaks: bool = False) -> ParagraphStyle:
        return ParagraphStyle(
            name,
            st["head" if name == "head" else "cell"],
            fontSize=size,
            leading=leading,
            alignment=TA_RIGHT if right else TA_LEFT,
            wordWrap="CJK" if breaks else None,
        )

    cell = style("cell", False)
    header = [
        Paragraph(esc(c.label), style("head", c.kind in NUMERIC_KINDS, breaks))
        for c, breaks in zip(columns, layout.break_header)
    ]
    body = [[_cell(t, c, cell, w) for t, c, w in zip(row, columns, layout.widths)] for row in raw]
    grid = PdfTable([header, *body], colWidths=layout.widths, repeatRows=1, hAlign="LEFT")
    commands: list[tuple[Any, ...]] = [
        ALL_FONT,
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("VALIGN", (0, 0), (-1, 0), "BOTTOM"),
        ("VALIGN", (0, 1), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PAD / 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PAD / 2),
        ("FONT", (0, 1), (-1, -1), FONT, size, leading),
        ("TEXTCOLOR", (0, 1), (-1, -1), INK),
    ]
    commands += [("ALIGN", (i, 1), (i, -1), "RIGHT") for i, c in enumerate(columns) if c.kind in NUMERIC_KINDS]
    marks = table.frame[table.highlight].fillna(False).astype(bool).tolist() if table.highlight else []
    for index in range(len(body)):
        if marks and marks[index]:
            commands.append(("BACKGROUND", (0, index + 1), (-1, index + 1), HIGHLIGHT))
        elif index % 2:
            commands.append(("BACKGROUND", (0, index + 1), (-1, index + 1), STRIPE))
    grid.setStyle(TableStyle(commands))
    caption: list[Flowable] = [Paragraph(esc(table.title), st["h2"]), Paragraph(esc(table.window), st["caption"])]
    if table.note:
        caption.append(Paragraph(esc(table.note), st["table_note"]))
    if len(body) <= SMALL_TABLE_ROWS:
        kept: list[Flowable] = [KeepTogether([*caption, grid])] if group else [*caption, grid]
        return [*kept, Spacer(1, 4 * mm)]
    # A long table: its caption stays with its header and first rows; then it runs on, header repeated.
    return [CondPageBreak(45 * mm), *caption, grid, Spacer(1, 4 * mm)]


def _is_small(section: Section) -> bool:
    return not section.charts and sum(len(t.frame) for t in section.tables) <= SMALL_TABLE_ROWS


def _section(section: Section, lang: str, st: dict[str, ParagraphStyle], group: bool) -> list[Flowable]:
    out: list[Flowable] = [Paragraph(esc(section.title), st["h1"])]
    if section.empty:
        out.append(Paragraph(esc(section.empty), st["body"]))
    if section.figures:
        out += [_figures(section.figures, lang, st), Spacer(1, 4 * mm)]
    out += [Paragraph(esc(sentence), st["body"]) for sentence in section.texts]
    if section.texts:
        out.append(Spacer(1, 3 * mm))
    out += [_chart(c, st) for c in section.charts]
    for table in section.tables:
        out += _table(table, lang, st, group)
    return out


def render(review: Review) -> bytes:
    """The review pack of `review` as PDF bytes (A4, in review.lang)."""
    rl_config.useA85 = 0  # binary streams: ASCII85-encoding the chart images costs time and 25 % size
    _font_cmap()
    st = _styles()
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=plain(f"{text('pack.title', review.lang)}: {review.account_name}"),
        author="KAM Cockpit",
        creator="KAM Cockpit",
        lang=review.lang,
        invariant=True,
        initialFontName=FONT,
        initialFontSize=9,
    )
    frame = Frame(
        MARGIN_X, MARGIN_BOTTOM, FRAME_W, FRAME_H, leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0
    )
    doc.addPageTemplates([PageTemplate("page", [frame])])
    story: list[Flowable] = [*_cover(review, st), PageBreak()]
    fresh_page = True  # nothing on the current page yet: a large section needs no page break of its own
    for section in review.sections:
        parts = _section(section, review.lang, st, group=not _is_small(section))
        if _is_small(section):
            story += [CondPageBreak(60 * mm), KeepTogether(parts), Spacer(1, 6 * mm)]
        else:
            story += [*([] if fresh_page else [PageBreak()]), *parts, PageBreak()]
        fresh_page = not _is_small(section)
    if fresh_page:
        story.pop()  # no empty last page
    doc.build(story, canvasmaker=_canvas_maker(review))
    return buffer.getvalue()
