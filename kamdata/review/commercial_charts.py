"""Print-friendly Altair charts of the review's commercial sections (texts come in translated).

Every chart has an explicit width and height, no interactivity beyond tooltips, and is localised
(German/English number and time formats) before it is stored as a Vega-Lite dict.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from kamdata.app import formats as fmt
from kamdata.app.charts.base import localize, when

WIDTH = 640
HEIGHT = 240
RECENT = "#1f6feb"  # the theme's primary colour: the last 12 complete months
PRIOR = "#9ec5fe"  # the same hue, paler: the 12 months before
MARGIN = "#d29922"  # amber line on its own axis


def revenue_chart(data: pd.DataFrame, labels: dict, lang: str) -> dict:
    """Monthly revenue bars (recent 12 vs the 12 before by colour) and the margin % line on a right axis.

    data: month (date, shown as 'Nov 2026'), revenue_eur, margin_pct (may be NULL), period (translated: recent / prior).
    labels: month, revenue, margin, period, recent, prior.
    """
    frame = pd.DataFrame(  # the month as text: a date object does not serialise into the spec
        {
            "month_label": [fmt.short_month(m, lang) for m in data["month"]],
            "revenue_eur": data["revenue_eur"].astype(float),
            "margin_pct": data["margin_pct"].astype(float),
            "period": data["period"],
        }
    )
    x = alt.X("month_label:N", title=labels["month"], sort=list(frame["month_label"]), axis=alt.Axis(labelAngle=-45))
    bars = (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            x=x,
            y=alt.Y("revenue_eur:Q", title=labels["revenue"], axis=alt.Axis(format=",.0f")),
            color=alt.Color(
                "period:N",
                title=labels["period"],
                scale=alt.Scale(domain=[labels["prior"], labels["recent"]], range=[PRIOR, RECENT]),
                legend=alt.Legend(orient="bottom"),
            ),
            tooltip=[
                alt.Tooltip("month_label:N", title=labels["month"]),
                alt.Tooltip("revenue_eur:Q", title=labels["revenue"], format=",.0f"),
                alt.Tooltip("margin_pct:Q", title=labels["margin"], format=",.1f"),
            ],
        )
    )
    line = (
        alt.Chart(frame)
        .mark_line(color=MARGIN, point=alt.OverlayMarkDef(color=MARGIN))
        .encode(
            x=x,
            y=alt.Y("margin_pct:Q", title=labels["margin"], axis=alt.Axis(orient="right", titleColor=MARGIN)),
        )
    )
    chart = alt.layer(bars, line).resolve_scale(y="independent").properties(width=WIDTH, height=HEIGHT)
    return localize(chart, lang).to_dict()


def co2e_chart(data: pd.DataFrame, labels: dict, lang: str) -> dict:
    """Yearly CO2e in tonnes as bars; the running year's bar pale (partial, not comparable).

    data: year_label (text, the running year "2026 (laufend)"), t_co2e, partial (bool). labels: year, co2e.
    """
    chart = (
        alt.Chart(data)
        .mark_bar(width=alt.RelativeBandSize(0.6))
        .encode(
            x=alt.X("year_label:N", title=labels["year"], sort=None, axis=alt.Axis(labelAngle=0)),
            y=alt.Y("t_co2e:Q", title=labels["co2e"], axis=alt.Axis(format=",.1~f")),
            color=when(alt.ColorValue, "datum.partial", PRIOR, RECENT),
            tooltip=[
                alt.Tooltip("year_label:N", title=labels["year"]),
                alt.Tooltip("t_co2e:Q", title=labels["co2e"], format=",.1f"),
            ],
        )
        .properties(width=WIDTH, height=HEIGHT)
    )
    return localize(chart, lang).to_dict()
