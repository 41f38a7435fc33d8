"""Altair charts of the explorer: one measure over one or two dimensions (texts come in translated).

The view hands a frame already shaped for the chart: `x` (a dimension's value: text, or a timestamp
for a line), `x_text` (its label in the app language), optionally `y_text` (the second dimension's
label), `value` (the measure as a number), `value_text` (the measure as shown in the table), so
tooltips read exactly like the table in either language, and `running` (the running period, whose
marks are faded and whose label says so).
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from kamdata.app.charts.base import localize, rows_height, running_opacity

# d3 formats of a date axis per grain (the locale of `localize` names the months); quarters and years
# are period labels on a discrete axis.
DATE_AXIS = {
    "day": {"de": "%d.%m.%Y", "en": "%Y-%m-%d"},
    "week": {"de": "%d.%m.%Y", "en": "%Y-%m-%d"},
    "month": {"de": "%b %Y", "en": "%b %Y"},
}


# A heatmap's height holds its angled period labels and the colour legend under it, besides the rows.
HEATMAP_AXES_PX = 200


def value_format(kind: str) -> str:
    """The d3 number format of a measure's axis: whole numbers for counts, one decimal for shares."""
    if kind in ("integer", "days", "eur"):
        return ",.0f"
    if kind in ("pct", "score", "hours"):
        return ",.1f"
    return ",.2~f"


def value_axis(kind: str) -> alt.Axis:
    """The measure's axis: counts and days in whole steps (no "0 0 1 1" ticks on a small count)."""
    whole = kind in ("integer", "days")
    return alt.Axis(format=value_format(kind), tickMinStep=1) if whole else alt.Axis(format=value_format(kind))


def _tooltip(labels: dict, second: bool) -> list[alt.Tooltip]:
    tips = [alt.Tooltip("x_text:N", title=labels["x"])]
    if second:
        tips.append(alt.Tooltip("y_text:N", title=labels["y"]))
    return [*tips, alt.Tooltip("value_text:N", title=labels["value"])]


def bar_chart(data: pd.DataFrame, labels: dict, kind: str, lang: str, by_value: bool) -> alt.TopLevelMixin:
    """Horizontal bars, one per value of the dimension: largest first (`by_value`) or in the table's order."""
    order = "-x" if by_value else list(dict.fromkeys(data["x_text"]))
    chart = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y("x_text:N", title=labels["x"], sort=order, axis=alt.Axis(labelLimit=260, labelOverlap=False)),
            x=alt.X("value:Q", title=labels["value"], axis=value_axis(kind)),
            tooltip=_tooltip(labels, False),
            opacity=running_opacity("running"),
        )
        .properties(height=rows_height(len(data), step=28, extra=70))
    )
    return localize(chart, lang)


def line_chart(data: pd.DataFrame, labels: dict, kind: str, lang: str, grain: str, temporal: bool) -> alt.TopLevelMixin:
    """The measure over time (a point per period); with a second dimension one line per value (`y_text`).

    temporal: `x` holds dates (day, week, month grains) on a date axis; otherwise `x_text` holds period
    labels that sort in time ("2026-Q3", "2026") on a discrete axis."""
    second = "y_text" in data
    if temporal:
        x = alt.X("x:T", title=labels["x"], axis=alt.Axis(format=DATE_AXIS.get(grain, DATE_AXIS["day"])[lang]))
    else:
        x = alt.X("x_text:O", title=labels["x"], sort="ascending", axis=alt.Axis(labelAngle=0))
    base = alt.Chart(data).encode(
        x=x,
        y=alt.Y("value:Q", title=labels["value"], axis=value_axis(kind)),
        tooltip=_tooltip(labels, second),
    )
    if second:
        base = base.encode(color=alt.Color("y_text:N", title=labels["y"], legend=alt.Legend(orient="bottom")))
    points = base.mark_point(filled=True, size=36).encode(opacity=running_opacity("running"))
    chart = alt.layer(base.mark_line(), points).properties(height=320)
    return localize(chart, lang)


def heatmap(data: pd.DataFrame, labels: dict, kind: str, lang: str) -> alt.TopLevelMixin:
    """The measure per cell of two dimensions (the first across, the second down), both in the table's order."""
    chart = (
        alt.Chart(data)
        .mark_rect()
        .encode(
            x=alt.X(
                "x_text:O", title=labels["x"], sort=list(dict.fromkeys(data["x_text"])), axis=alt.Axis(labelAngle=-45)
            ),
            y=alt.Y(
                "y_text:N",
                title=labels["y"],
                sort=list(dict.fromkeys(data["y_text"])),
                axis=alt.Axis(labelLimit=220, labelOverlap=False),
            ),
            color=alt.Color(
                "value:Q",
                title=labels["value"],
                scale=alt.Scale(scheme="blues"),
                legend=alt.Legend(orient="bottom", format=value_format(kind), titleLimit=0),
            ),
            tooltip=_tooltip(labels, True),
            opacity=running_opacity("running"),
        )
        .properties(height=rows_height(data["y_text"].nunique(), step=28, extra=HEATMAP_AXES_PX))
    )
    return localize(chart, lang)
