"""Shared Altair helpers: one band palette, German/English number and date locale.

Every chart passes through `localize(chart, lang)`, so axis numbers and dates
follow the session language (d3 format/time locale de-DE or en-US).
Band colours are the same on every page: healthy green, watch amber, at risk red.
"""

from __future__ import annotations

from typing import Any

import altair as alt

from kamdata.app.formats import MONTHS, SHORT_MONTHS
from kamdata.app.i18n import text

BANDS = ("healthy", "watch", "at_risk")
BAND_COLORS = {"healthy": "#2e9e5b", "watch": "#e0a526", "at_risk": "#d64545", None: "#9aa0a6"}

_D3_LOCALE = {
    "de": {
        "number": {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["", "\u00a0€"]},
        "time": {
            "dateTime": "%A, der %e. %B %Y, %X",
            "date": "%d.%m.%Y",
            "time": "%H:%M:%S",
            "periods": ["AM", "PM"],
            "days": ["Sonntag", "Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag"],
            "shortDays": ["So", "Mo", "Di", "Mi", "Do", "Fr", "Sa"],
            "months": list(MONTHS["de"]),
            "shortMonths": list(SHORT_MONTHS["de"]),
        },
    },
    "en": {
        "number": {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["€", ""]},
        "time": {
            "dateTime": "%x, %X",
            "date": "%-m/%-d/%Y",
            "time": "%-I:%M:%S %p",
            "periods": ["AM", "PM"],
            "days": ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"],
            "shortDays": ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"],
            "months": list(MONTHS["en"]),
            "shortMonths": list(SHORT_MONTHS["en"]),
        },
    },
}


def band_label(band: str | None, lang: str) -> str:
    """The translated band name ("insufficient data" for a NULL band)."""
    return text(f"common.bands.{band if band in BANDS else 'none'}", lang)


def band_color(field: str, lang: str, title: str | None = None) -> alt.Color:
    """Colour encoding for a column holding translated band labels (see `band_label`)."""
    keys = (*BANDS, None)
    return alt.Color(
        f"{field}:N",
        title=title,
        scale=alt.Scale(domain=[band_label(b, lang) for b in keys], range=[BAND_COLORS[b] for b in keys]),
        # Two columns under the chart: in one row the four labels overflow a narrow chart ("zu we…").
        legend=alt.Legend(orient="bottom", columns=2, labelLimit=0, columnPadding=16),
    )


def localize(chart: alt.TopLevelMixin, lang: str) -> alt.TopLevelMixin:
    """Apply the d3 number/time locale of `lang` (charts are configured once, at the end)."""
    return chart.configure(locale=_D3_LOCALE[lang])


# Text on heatmap cells: the cells have fixed colours in both themes, so the ink follows the cell's
# colour (dark on light and mid-tone cells, white on dark cells), never the theme.
CELL_INK = "#1f2328"
CELL_INK_ON_DARK = "#ffffff"
# Outlines and label halos that must read on the light and the dark background alike.
NEUTRAL = "#8b949e"
RUNNING_OPACITY = 0.55  # marks of a running (partial) period
# Chart text on the page background (point and map labels): Vega cannot read the theme and its default
# text is black, unreadable in the dark theme. Such labels are dark ink on a light halo (see `halo_text`),
# which reads on the light and the dark background alike.
LABEL_INK = "#1f2328"
LABEL_HALO = "#ffffff"


def halo_text(chart: alt.Chart, **mark: Any) -> list[alt.Chart]:
    """Two text layers of `chart` (same encodings): a light halo under dark ink, readable in both themes."""
    halo = chart.mark_text(**mark, color=LABEL_HALO, stroke=LABEL_HALO, strokeWidth=4, strokeJoin="round", opacity=0.9)
    ink = chart.mark_text(**mark, color=LABEL_INK)
    return [halo, ink]


# Streamlit fits a chart's whole height, x axis and bottom legend included, into `height`.
AXIS_AND_LEGEND_PX = 120


def rows_height(rows: int, step: int = 30, extra: int = AXIS_AND_LEGEND_PX) -> int:
    """Chart height that leaves `step` px per row of a discrete y axis after the axis and legend."""
    return max(rows, 1) * step + extra


def when(channel: type, test: str, then: Any, otherwise: Any) -> Any:
    """`then` where the Vega expression `test` holds, else `otherwise`, as the channel's typed value
    (alt.OpacityValue, alt.ColorValue, ...): the spec alt.condition makes, without Altair matching a
    plain dict against the Vega-Lite schema on every chart build (tens of ms per channel)."""
    return channel(otherwise, condition={"test": test, "value": then})


def running_opacity(field: str = "running_month") -> Any:
    """Faded marks for the running month, full opacity otherwise."""
    return when(alt.OpacityValue, f"datum.{field}", RUNNING_OPACITY, 1.0)
