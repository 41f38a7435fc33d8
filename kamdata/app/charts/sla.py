"""Altair charts of the SLA & service page (texts come in as arguments, already translated).

Colours: compliance uses the shared band palette (at risk -> watch -> healthy
between the health score's SLA `bad` and `good` thresholds), so "red" means the
same on every page.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from kamdata.app.charts.base import BAND_COLORS, CELL_INK, localize, rows_height

PCT_FORMAT = ",.1f"
NO_DATA = BAND_COLORS[None]  # neutral grey (at reduced opacity): a month without judged tickets
# Urgent priorities in the alarm colours of the band palette, routine ones neutral.
PRIORITY_COLORS = {"P1": BAND_COLORS["at_risk"], "P2": BAND_COLORS["watch"], "P3": "#1f6feb", "P4": BAND_COLORS[None]}


def compliance_chart(data: pd.DataFrame, labels: dict, lang: str) -> alt.TopLevelMixin:
    """Monthly response/resolution compliance per priority (small multiples) with the dashed target.

    data: month, priority, measure (translated), pct, target_pct, tickets.
    """
    base = alt.Chart(data)
    x = alt.X("yearmonth(month):T", title=labels["month"], axis=alt.Axis(format="%b %y", labelAngle=0))
    lines = base.mark_line(point=True).encode(
        x=x,
        y=alt.Y("pct:Q", title=labels["pct"], scale=alt.Scale(zero=False, domainMax=100)),
        color=alt.Color("measure:N", title=labels["measure"], legend=alt.Legend(orient="bottom")),
        tooltip=[
            alt.Tooltip("yearmonth(month):T", title=labels["month"], format="%B %Y"),
            alt.Tooltip("measure:N", title=labels["measure"]),
            alt.Tooltip("pct:Q", title=labels["pct"], format=PCT_FORMAT),
            alt.Tooltip("target_pct:Q", title=labels["target"], format=PCT_FORMAT),
            alt.Tooltip("tickets:Q", title=labels["tickets"], format=","),
        ],
    )
    target = base.mark_rule(strokeDash=[6, 4], color=BAND_COLORS["at_risk"]).encode(
        y="mean(target_pct):Q",
        tooltip=[alt.Tooltip("mean(target_pct):Q", title=labels["target"], format=PCT_FORMAT)],
    )
    chart = (
        alt.layer(lines, target)
        .properties(height=180, width=360)
        .facet(facet=alt.Facet("priority:N", title=labels["priority"]), columns=2)
    )
    return localize(chart, lang)


def compliance_color(field: str, title: str, bad: float, good: float) -> alt.Color:
    """Red below `bad`, amber half-way, green from `good` (the health score's SLA thresholds)."""
    return alt.Color(
        f"{field}:Q",
        title=title,
        scale=alt.Scale(
            domain=[bad, (bad + good) / 2, good],
            range=[BAND_COLORS["at_risk"], BAND_COLORS["watch"], BAND_COLORS["healthy"]],
            clamp=True,
        ),
        legend=alt.Legend(orient="right", format=PCT_FORMAT),
    )


def account_heatmap(data: pd.DataFrame, labels: dict, lang: str, bad: float, good: float) -> alt.TopLevelMixin:
    """Account x month resolution compliance with the value in each cell; breach months outlined (dashed);
    months without judged tickets light grey.

    data: account_name, month, resolution_compliance_pct, counted_tickets, breach_month;
    labels: month, account, pct, tickets, breach, no_tickets.
    """
    # Every account x month cell: a month without judged tickets gets a light grey cell ("no
    # tickets") instead of a gap that reads like a rendering error.
    grid = pd.MultiIndex.from_product(
        [data["account_name"].unique(), data["month"].unique()], names=["account_name", "month"]
    ).to_frame(index=False)
    full = grid.merge(data, how="left", on=["account_name", "month"], indicator=True)
    full = full.assign(has_data=full.pop("_merge") == "both")
    full["breach_month"] = full["breach_month"].fillna(False).astype(bool)
    full["breach_label"] = full["breach_label"].where(full["has_data"], labels["no_tickets"])
    base = alt.Chart(full).encode(
        x=alt.X("yearmonth(month):O", title=labels["month"], axis=alt.Axis(format="%b %y", labelAngle=0)),
        y=alt.Y("account_name:N", title=labels["account"], sort="ascending", axis=alt.Axis(labelLimit=220)),
        tooltip=[
            alt.Tooltip("account_name:N", title=labels["account"]),
            alt.Tooltip("yearmonth(month):T", title=labels["month"], format="%B %Y"),
            alt.Tooltip("resolution_compliance_pct:Q", title=labels["pct"], format=PCT_FORMAT),
            alt.Tooltip("counted_tickets:Q", title=labels["tickets"], format=","),
            alt.Tooltip("breach_label:N", title=labels["breach"]),
        ],
    )
    blanks = base.transform_filter(~alt.datum.has_data).mark_rect(color=NO_DATA, opacity=0.35)
    judged = base.transform_filter(alt.datum.has_data)
    cells = judged.mark_rect().encode(color=compliance_color("resolution_compliance_pct", labels["pct"], bad, good))
    values = judged.mark_text(color=CELL_INK).encode(text=alt.Text("resolution_compliance_pct:Q", format=",.0f"))
    breaches = base.transform_filter(alt.datum.breach_month).mark_rect(
        fill=None, stroke=CELL_INK, strokeWidth=2.5, strokeDash=[5, 3]
    )
    chart = alt.layer(blanks, cells, values, breaches).properties(height=rows_height(data["account_name"].nunique()))
    return localize(chart, lang)


def backlog_chart(data: pd.DataFrame, labels: dict, lang: str) -> alt.TopLevelMixin:
    """Open tickets per age bucket, stacked by priority. data: bucket (translated), bucket_order, priority, tickets."""
    chart = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("bucket:N", title=labels["age"], sort=alt.SortField("bucket_order"), axis=alt.Axis(labelAngle=0)),
            y=alt.Y("sum(tickets):Q", title=labels["tickets"], axis=alt.Axis(format=",d", tickMinStep=1)),
            color=alt.Color(
                "priority:N",
                title=labels["priority"],
                legend=alt.Legend(orient="bottom"),
                scale=alt.Scale(domain=list(PRIORITY_COLORS), range=list(PRIORITY_COLORS.values())),
            ),
            tooltip=[
                alt.Tooltip("bucket:N", title=labels["age"]),
                alt.Tooltip("priority:N", title=labels["priority"]),
                alt.Tooltip("sum(tickets):Q", title=labels["tickets"], format=","),
            ],
        )
        .properties(height=260)
    )
    return localize(chart, lang)


def ppm_chart(data: pd.DataFrame, labels: dict, lang: str, bad: float, good: float) -> alt.TopLevelMixin:
    """PPM compliance per month as bars coloured like the heatmap.

    data: month, ppm_compliance_pct, ppm_due, ppm_on_time.
    """
    chart = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("yearmonth(month):O", title=labels["month"], axis=alt.Axis(format="%b %y", labelAngle=0)),
            y=alt.Y("ppm_compliance_pct:Q", title=labels["pct"], scale=alt.Scale(domain=[0, 100])),
            color=compliance_color("ppm_compliance_pct", labels["pct"], bad, good),
            tooltip=[
                alt.Tooltip("yearmonth(month):T", title=labels["month"], format="%B %Y"),
                alt.Tooltip("ppm_compliance_pct:Q", title=labels["pct"], format=PCT_FORMAT),
                alt.Tooltip("ppm_due:Q", title=labels["due"], format=","),
                alt.Tooltip("ppm_on_time:Q", title=labels["on_time"], format=","),
            ],
        )
        .properties(height=260)
    )
    return localize(chart, lang)
