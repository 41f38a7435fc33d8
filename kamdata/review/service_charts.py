"""Altair charts of the review's service sections (SLA, satisfaction, relationship), print-friendly.

Each function takes a frame of the section's query rows (already in the shape it draws), the
translated labels and the language, and returns the localised Vega-Lite spec (`to_dict()`), so the
page draws it and the PDF renders it offline. No interactivity beyond tooltips; fixed sizes.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from kamdata.app.charts.base import BAND_COLORS, localize, when

WIDTH = 640
PCT_FORMAT = ",.1f"
# Promoters green, passives neutral, detractors red: the band palette's meaning.
NPS_GROUP_COLORS = (BAND_COLORS["healthy"], BAND_COLORS[None], BAND_COLORS["at_risk"])
LINE_INK = "#57606a"
CHANNEL_COLORS = ("#1f6feb", "#2e9e5b", "#e0a526", "#8250df", "#d64545", "#9aa0a6")


def _month_x(title: str, months: list[str]) -> alt.X:
    """The x axis of month labels (fmt.short_month, "Dez 2025"), every month of the window in order, empty
    months included."""
    return alt.X(
        "month_label:O",
        title=title,
        sort=months,
        scale=alt.Scale(domain=months),
        axis=alt.Axis(labelAngle=-45, labelOverlap=False),
    )


def compliance_vs_target(data: pd.DataFrame, labels: dict, lang: str, months: list[str]) -> dict:
    """Monthly resolution compliance per priority (small multiples, two columns) with its dashed target.

    data: month_label, priority, resolution_compliance_pct, target_pct, tickets, below_target, below
    (translated status). A month below target is a red point; `months`: the window's month labels.
    """
    base = alt.Chart(data).encode(x=_month_x(labels["month"], months))
    # One neutral line per panel (the panel names the priority); the points carry the judgement: red below
    # target, green at or above it, so red never just means "P1".
    line = base.mark_line(color=LINE_INK).encode(
        y=alt.Y(
            "resolution_compliance_pct:Q", title=labels["pct"], scale=alt.Scale(zero=False, domainMax=100, nice=False)
        ),
    )
    points = base.mark_point(filled=True, size=45).encode(
        y="resolution_compliance_pct:Q",
        color=when(alt.ColorValue, "datum.below_target", BAND_COLORS["at_risk"], BAND_COLORS["healthy"]),
        tooltip=[
            alt.Tooltip("month_label:N", title=labels["month"]),
            alt.Tooltip("resolution_compliance_pct:Q", title=labels["pct"], format=PCT_FORMAT),
            alt.Tooltip("target_pct:Q", title=labels["target"], format=PCT_FORMAT),
            alt.Tooltip("tickets:Q", title=labels["tickets"], format=","),
            alt.Tooltip("below:N", title=labels["status"]),
        ],
    )
    target = base.mark_line(strokeDash=[6, 4], color=BAND_COLORS[None]).encode(y="target_pct:Q")
    chart = (
        alt.layer(target, line, points, data=data)
        .properties(width=WIDTH // 2 - 40, height=130)
        .facet(facet=alt.Facet("priority:N", title=labels["priority"]), columns=2)
        .properties(title=labels["title"])
    )
    return localize(chart, lang).to_dict()


def nps_trend(data: pd.DataFrame, labels: dict, lang: str) -> dict:
    """The 365-day NPS at each month-end and at D (a hollow point: today, not a month-end).

    data: as_of, label (the x label: the month-end's month "Dez 2025", today's date), nps, nps_responses,
    is_current, point (translated: month-end / today), in date order.
    """
    order = list(data["label"])
    base = alt.Chart(data).encode(
        x=alt.X("label:O", title=labels["date"], sort=order, axis=alt.Axis(labelAngle=-45, labelOverlap=False)),
        y=alt.Y("nps:Q", title=labels["nps"], scale=alt.Scale(zero=True, nice=True)),
    )
    line = base.mark_line(color="#1f6feb")
    tooltip = [
        alt.Tooltip("as_of:T", title=labels["date"], format="%d.%m.%Y" if lang == "de" else "%Y-%m-%d"),
        alt.Tooltip("nps:Q", title=labels["nps"], format=PCT_FORMAT),
        alt.Tooltip("nps_responses:Q", title=labels["responses"], format=","),
        alt.Tooltip("point:N", title=labels["point"]),
    ]
    month_ends = base.transform_filter("!datum.is_current").mark_point(size=55, filled=True, color="#1f6feb")
    today = base.transform_filter("datum.is_current").mark_point(size=80, filled=False, color="#1f6feb", strokeWidth=2)
    zero = alt.Chart(pd.DataFrame({"y": [0]})).mark_rule(color=BAND_COLORS[None], strokeDash=[2, 2]).encode(y="y:Q")
    chart = alt.layer(zero, line, month_ends.encode(tooltip=tooltip), today.encode(tooltip=tooltip)).properties(
        width=WIDTH, height=220, title=labels["title"]
    )
    return localize(chart, lang).to_dict()


def responses_by_month(data: pd.DataFrame, labels: dict, lang: str, months: list[str]) -> dict:
    """Survey responses per month, stacked promoters / passives / detractors.

    data (long): month_label, group (translated), group_order, responses; `months`: the window's labels.
    """
    order = list(data.sort_values("group_order")["group"].drop_duplicates())
    chart = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=_month_x(labels["month"], months),
            y=alt.Y("sum(responses):Q", title=labels["responses"], axis=alt.Axis(tickMinStep=1, format="d")),
            color=alt.Color(
                "group:N",
                title=None,
                scale=alt.Scale(domain=order, range=list(NPS_GROUP_COLORS[: len(order)])),
                legend=alt.Legend(orient="bottom"),
            ),
            order=alt.Order("group_order:Q"),
            tooltip=[
                alt.Tooltip("month_label:N", title=labels["month"]),
                alt.Tooltip("group:N", title=labels["group"]),
                alt.Tooltip("responses:Q", title=labels["responses"], format=","),
            ],
        )
        .properties(width=WIDTH, height=200, title=labels["title"])
    )
    return localize(chart, lang).to_dict()


def interaction_timeline(data: pd.DataFrame, labels: dict, lang: str, months: list[str], initiators: list[str]) -> dict:
    """Interactions per month stacked by channel, one row per initiator (us / the customer).

    data: month_label, channel (translated), initiator (translated), interactions. `months`: every month
    label of the window (empty months show as gaps); `initiators`: the row order.
    """
    channels = sorted(data["channel"].unique())
    chart = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=_month_x(labels["month"], months),
            y=alt.Y("sum(interactions):Q", title=labels["interactions"], axis=alt.Axis(tickMinStep=1, format="d")),
            color=alt.Color(
                "channel:N",
                title=labels["channel"],
                scale=alt.Scale(domain=channels, range=list(CHANNEL_COLORS[: len(channels)])),
                legend=alt.Legend(orient="bottom"),
            ),
            tooltip=[
                alt.Tooltip("month_label:N", title=labels["month"]),
                alt.Tooltip("initiator:N", title=labels["initiator"]),
                alt.Tooltip("channel:N", title=labels["channel"]),
                alt.Tooltip("interactions:Q", title=labels["interactions"], format=","),
            ],
        )
        .properties(width=WIDTH, height=100)
        .facet(row=alt.Row("initiator:N", title=labels["initiator"], sort=initiators))
        .properties(title=labels["title"])
    )
    return localize(chart, lang).to_dict()
