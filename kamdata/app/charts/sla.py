"""Altair charts of the SLA & service page (texts come in as arguments, already translated).

Colours: compliance uses the shared band palette (at risk -> watch -> healthy
between the health score's SLA `bad` and `good` thresholds), so "red" means the
same on every page.
"""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd

from kamdata.app.charts.base import (
    BAND_COLORS,
    CELL_INK,
    CELL_INK_ON_DARK,
    NEUTRAL,
    halo_text,
    localize,
    rows_height,
    running_opacity,
)

PCT_FORMAT = ",.1f"
NO_DATA = BAND_COLORS[None]  # neutral grey (at reduced opacity): a month without judged tickets
# Urgent priorities in the alarm colours of the band palette, routine ones neutral.
PRIORITY_COLORS = {"P1": BAND_COLORS["at_risk"], "P2": BAND_COLORS["watch"], "P3": "#1f6feb", "P4": BAND_COLORS[None]}
# The running month (month of the data date): points and bars faded; heatmap cells keep their colour (a faded
# cell would blend into the dark theme) and get a dotted neutral outline; a provisional cell (too few judged
# tickets) is veiled in grey with its value in halo text, readable on either background.
PROVISIONAL_OPACITY = 0.3
RUNNING_DASH = [4, 3]
RUNNING_OUTLINE: dict[str, Any] = {"fill": None, "stroke": NEUTRAL, "strokeWidth": 1.5, "strokeDash": [2, 2]}
# Breach outline: a light band under dark dashes, visible on light cells, dark cells and both backgrounds.
BREACH_UNDER: dict[str, Any] = {"fill": None, "stroke": "#ffffff", "strokeWidth": 4}
BREACH_DASHES: dict[str, Any] = {"fill": None, "stroke": CELL_INK, "strokeWidth": 2, "strokeDash": [5, 3]}
# Malus cells: light red (a small amount) to dark red (the largest); zero months empty.
MALUS_RANGE = ["#fcbba1", "#a50f15"]
MALUS_DARK_FROM = 0.55  # share of the largest amount from which a malus cell is dark enough for white ink


def month_axis(running: pd.Timestamp | None, suffix: str, stacked: bool = False, **kwargs) -> alt.Axis:
    """A month axis ("Dez 26") whose running month reads "Dez 26 (laufend)" (`suffix`), every month labelled.

    stacked: the suffix on a second line, labels horizontal; otherwise (default) angled labels with the
    suffix on the same line: twelve "Jan 26" labels side by side crowd a half-width chart. The label
    expression compares the tick's local year and month (Vega: 0-based) with the running month.
    """
    axis = {"format": "%b %y", "labelAngle": 0 if stacked else -45, "labelOverlap": False, **kwargs}
    if running is not None:
        stamp = pd.Timestamp(running)
        test = f"year(datum.value) == {stamp.year} && month(datum.value) == {stamp.month - 1}"
        marked = f"[datum.label, '{suffix}']" if stacked else f"datum.label + ' {suffix}'"
        axis["labelExpr"] = f"{test} ? {marked} : datum.label"
    return alt.Axis(**axis)


def compliance_chart(
    data: pd.DataFrame, labels: dict, lang: str, running: pd.Timestamp | None = None
) -> alt.TopLevelMixin:
    """Monthly response/resolution compliance per priority (small multiples) with the dashed target.

    data: month, priority, measure (translated), pct, target_pct, tickets, running_month, status
    (translated). The running month (`running`, None when the period does not reach it) is labelled
    with labels["running"] on the axis, reached by a dashed segment and drawn as a faded point.
    """
    data = data.assign(
        tail=data["month"] >= (pd.Timestamp(running) - pd.DateOffset(months=1)) if running is not None else False
    )
    base = alt.Chart(data).encode(
        x=alt.X(
            "yearmonth(month):O",
            title=labels["month"],
            axis=month_axis(running, labels["running"], stacked=False, labelAngle=-45),
        ),
        y=alt.Y("pct:Q", title=labels["pct"], scale=alt.Scale(zero=False, domainMax=100)),
        color=alt.Color("measure:N", title=labels["measure"], legend=alt.Legend(orient="bottom")),
    )
    complete = base.transform_filter("!datum.running_month").mark_line()
    to_date = base.transform_filter("datum.tail").mark_line(strokeDash=RUNNING_DASH)
    points = base.mark_point(filled=True, size=40).encode(
        opacity=running_opacity(),
        tooltip=[
            alt.Tooltip("yearmonth(month):T", title=labels["month"], format="%B %Y"),
            alt.Tooltip("status:N", title=labels["status"]),
            alt.Tooltip("measure:N", title=labels["measure"]),
            alt.Tooltip("pct:Q", title=labels["pct"], format=PCT_FORMAT),
            alt.Tooltip("target_pct:Q", title=labels["target"], format=PCT_FORMAT),
            alt.Tooltip("tickets:Q", title=labels["tickets"], format=","),
        ],
    )
    target = (
        alt.Chart(data)
        .mark_rule(strokeDash=[6, 4], color=BAND_COLORS["at_risk"])
        .encode(
            y="mean(target_pct):Q",
            tooltip=[alt.Tooltip("mean(target_pct):Q", title=labels["target"], format=PCT_FORMAT)],
        )
    )
    chart = (
        alt.layer(complete, to_date, points, target)
        .properties(height=180, width=360)
        .facet(facet=alt.Facet("priority:N", title=labels["priority"]), columns=2)
    )
    return localize(chart, lang)


def compliance_domain(values: pd.Series, bad: float, good: float) -> tuple[list[float], list[str]]:
    """Scale domain and range: red up to `bad`, amber half-way, green from `good` (the health score's SLA
    thresholds), stretched to the data so the legend covers every value (e.g. 0 % below an 80 % `bad`)."""
    data = pd.to_numeric(values, errors="coerce").dropna()
    lo = min(float(data.min()), bad) if not data.empty else bad
    hi = max(float(data.max()), good) if not data.empty else good
    red, amber, green = BAND_COLORS["at_risk"], BAND_COLORS["watch"], BAND_COLORS["healthy"]
    domain, colors = [bad, (bad + good) / 2, good], [red, amber, green]
    if lo < bad:
        domain, colors = [lo, *domain], [red, *colors]
    if hi > good:
        domain, colors = [*domain, hi], [*colors, green]
    return domain, colors


def compliance_color(field: str, title: str, bad: float, good: float, values: pd.Series | None = None) -> alt.Color:
    """Red below `bad`, amber half-way, green from `good`; the legend spans `values` too."""
    domain, colors = compliance_domain(values if values is not None else pd.Series(dtype=float), bad, good)
    return alt.Color(
        f"{field}:Q",
        title=title,
        scale=alt.Scale(domain=domain, range=colors, clamp=True),
        legend=alt.Legend(orient="right", format=",.0f"),
    )


def compliance_ink(values: pd.Series, bad: float, good: float) -> pd.Series:
    """Text colour on a compliance cell: white on the red end (up to a quarter of the way to amber), dark
    ink on red-amber, amber and green (all light enough for it)."""
    white_below = bad + ((bad + good) / 2 - bad) / 4
    return values.map(lambda v: CELL_INK_ON_DARK if pd.notna(v) and v < white_below else CELL_INK)


def account_heatmap(
    data: pd.DataFrame, labels: dict, lang: str, bad: float, good: float, running: pd.Timestamp | None = None
) -> alt.TopLevelMixin:
    """Account x month resolution compliance with the value in each cell (ink by the cell's colour); breach
    months outlined (dark dashes on a light band); months without judged tickets light grey; the running
    month outlined (dotted) and labelled on the axis; provisional cells pale with halo text, never a breach.

    data: account_name, month, resolution_compliance_pct, counted_tickets, listed_breach, breach_label,
    running_month, provisional, status (translated);
    labels: month, account, pct, tickets, breach, no_tickets, running, status.
    """
    # Every account x month cell: a month without judged tickets gets a light grey cell ("no
    # tickets") instead of a gap that reads like a rendering error.
    grid = pd.MultiIndex.from_product(
        [data["account_name"].unique(), data["month"].unique()], names=["account_name", "month"]
    ).to_frame(index=False)
    full = grid.merge(data, how="left", on=["account_name", "month"], indicator=True)
    full = full.assign(has_data=full.pop("_merge") == "both")
    for flag in ("listed_breach", "running_month", "provisional"):
        full[flag] = full[flag].astype("boolean").fillna(False).astype(bool)
    full["breach_label"] = full["breach_label"].where(full["has_data"], labels["no_tickets"])
    full["ink"] = compliance_ink(full["resolution_compliance_pct"], bad, good)
    base = alt.Chart(full).encode(
        x=alt.X("yearmonth(month):O", title=labels["month"], axis=month_axis(running, labels["running"])),
        y=alt.Y("account_name:N", title=labels["account"], sort="ascending", axis=alt.Axis(labelLimit=220)),
        tooltip=[
            alt.Tooltip("account_name:N", title=labels["account"]),
            alt.Tooltip("yearmonth(month):T", title=labels["month"], format="%B %Y"),
            alt.Tooltip("resolution_compliance_pct:Q", title=labels["pct"], format=PCT_FORMAT),
            alt.Tooltip("counted_tickets:Q", title=labels["tickets"], format=","),
            alt.Tooltip("breach_label:N", title=labels["breach"]),
            alt.Tooltip("status:N", title=labels["status"]),
        ],
    )
    blanks = base.transform_filter(~alt.datum.has_data).mark_rect(color=NO_DATA, opacity=0.35)
    color = compliance_color("resolution_compliance_pct", labels["pct"], bad, good, data["resolution_compliance_pct"])
    judged = base.transform_filter(alt.datum.has_data)
    final = judged.transform_filter(~alt.datum.provisional)
    provisional = judged.transform_filter(alt.datum.provisional)
    text = alt.Text("resolution_compliance_pct:Q", format=",.0f")
    cells = judged.mark_rect().encode(color=color)
    # A provisional cell: its colour under a grey veil (a faded colour layer would fade the legend too).
    pale = provisional.mark_rect(color=NEUTRAL, opacity=1 - PROVISIONAL_OPACITY)
    values = final.mark_text().encode(text=text, fill=alt.Fill("ink:N", scale=None, legend=None))
    pale_values = halo_text(provisional.encode(text=text))
    running_cells = base.transform_filter(alt.datum.running_month).mark_rect(**RUNNING_OUTLINE)
    breaches = base.transform_filter(alt.datum.listed_breach)
    layers = [blanks, cells, pale, values, *pale_values, running_cells]
    layers += [breaches.mark_rect(**BREACH_UNDER), breaches.mark_rect(**BREACH_DASHES)]
    chart = alt.layer(*layers).properties(height=rows_height(data["account_name"].nunique()))
    return localize(chart, lang)


def backlog_chart(data: pd.DataFrame, labels: dict, lang: str, buckets: list[str]) -> alt.TopLevelMixin:
    """Open tickets per age bucket, stacked by priority, the buckets in age order (`buckets`: the translated
    bucket labels, youngest first; an explicit sort list, not a sort field, which a stacked aggregate ignores).

    data: bucket (translated), priority, tickets.
    """
    chart = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("bucket:N", title=labels["age"], sort=buckets, axis=alt.Axis(labelAngle=0)),
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


def ppm_chart(
    data: pd.DataFrame, labels: dict, lang: str, bad: float, good: float, running: pd.Timestamp | None = None
) -> alt.TopLevelMixin:
    """PPM compliance per month as bars coloured like the heatmap; the running month faded and labelled.

    data: month, ppm_compliance_pct, ppm_due, ppm_on_time, running_month, status (translated).
    """
    chart = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("yearmonth(month):O", title=labels["month"], axis=month_axis(running, labels["running"])),
            y=alt.Y("ppm_compliance_pct:Q", title=labels["pct"], scale=alt.Scale(domain=[0, 100])),
            color=compliance_color("ppm_compliance_pct", labels["pct"], bad, good, data["ppm_compliance_pct"]),
            opacity=running_opacity(),
            tooltip=[
                alt.Tooltip("yearmonth(month):T", title=labels["month"], format="%B %Y"),
                alt.Tooltip("status:N", title=labels["status"]),
                alt.Tooltip("ppm_compliance_pct:Q", title=labels["pct"], format=PCT_FORMAT),
                alt.Tooltip("ppm_due:Q", title=labels["due"], format=","),
                alt.Tooltip("ppm_on_time:Q", title=labels["on_time"], format=","),
            ],
        )
        .properties(height=260)
    )
    return localize(chart, lang)


def malus_heatmap(
    data: pd.DataFrame, labels: dict, lang: str, running: pd.Timestamp | None = None
) -> alt.TopLevelMixin:
    """Malus exposure (EUR) per account x month: light to dark red, the amount in each cell (white ink on
    the dark cells), a month without malus empty; the running month outlined (dotted) and labelled on the axis.

    data: account_name, month, exposure_eur, malus_pct, monthly_fee_eur, running_month, status (translated);
    labels: month, account, exposure, malus_pct, fee, running, status.
    """
    base = alt.Chart(data).encode(
        x=alt.X("yearmonth(month):O", title=labels["month"], axis=month_axis(running, labels["running"])),
        y=alt.Y("account_name:N", title=labels["account"], sort="ascending", axis=alt.Axis(labelLimit=220)),
        tooltip=[
            alt.Tooltip("account_name:N", title=labels["account"]),
            alt.Tooltip("yearmonth(month):T", title=labels["month"], format="%B %Y"),
            alt.Tooltip("status:N", title=labels["status"]),
            alt.Tooltip("exposure_eur:Q", title=labels["exposure"], format="$,.0f"),
            alt.Tooltip("malus_pct:Q", title=labels["malus_pct"], format=PCT_FORMAT),
            alt.Tooltip("monthly_fee_eur:Q", title=labels["fee"], format="$,.0f"),
        ],
    )
    top = float(pd.to_numeric(data["exposure_eur"], errors="coerce").max() or 0.0) or 1.0
    base = base.transform_calculate(
        ink=f"datum.exposure_eur >= {MALUS_DARK_FROM * top} ? '{CELL_INK_ON_DARK}' : '{CELL_INK}'"
    )
    charged = base.transform_filter("datum.exposure_eur > 0")
    # A month without malus is an empty cell (faint neutral fill and outline), not the palest red.
    empty = base.transform_filter("!(datum.exposure_eur > 0)").mark_rect(
        fill=NEUTRAL, fillOpacity=0.06, stroke=NEUTRAL, strokeOpacity=0.35, strokeWidth=0.5
    )
    cells = charged.mark_rect().encode(
        color=alt.Color(
            "exposure_eur:Q",
            title=labels["exposure"],
            scale=alt.Scale(domain=[0, top], range=MALUS_RANGE),
            legend=alt.Legend(orient="right", format="$,.0f"),
        ),
    )
    values = charged.mark_text(fontSize=10).encode(
        text=alt.Text("exposure_eur:Q", format="$,.0f"), fill=alt.Fill("ink:N", scale=None, legend=None)
    )
    running_cells = base.transform_filter("datum.running_month").mark_rect(**RUNNING_OUTLINE)
    chart = alt.layer(empty, cells, values, running_cells).properties(
        height=rows_height(data["account_name"].nunique())
    )
    return localize(chart, lang)
