"""Altair charts of the Team workload page (texts come in as arguments, already translated).

Utilisation colours use the shared band palette: green up to 100 %, amber at the
overload threshold, red from the health score's team `bad` value.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from kamdata.app.charts.base import BAND_COLORS, CELL_INK, localize, rows_height
from kamdata.app.charts.sla import NO_DATA, month_axis, running_opacity

ONE_DECIMAL = ",.1f"
NUMBER = ",.0f"


def utilisation_color(title: str, threshold: float, bad: float) -> alt.Color:
    return alt.Color(
        "utilisation_pct:Q",
        title=title,
        scale=alt.Scale(
            domain=[100, threshold, bad],
            range=[BAND_COLORS["healthy"], BAND_COLORS["watch"], BAND_COLORS["at_risk"]],
            clamp=True,
        ),
        legend=alt.Legend(orient="right", format=NUMBER),
    )


def utilisation_heatmap(
    data: pd.DataFrame,
    row: str,
    labels: dict,
    lang: str,
    threshold: float,
    bad: float,
    tooltip: list,
    running: pd.Timestamp | None = None,
) -> alt.TopLevelMixin:
    """Rows (`row`: department or person) x month, coloured by utilisation, the value in each cell.

    data: row, month, utilisation_pct, running_month, suppressed (works-council rule: a grey cell
    with "—"), plus the tooltip's fields. The running month (`running`) is faded and its axis label
    gets labels["running"].
    """
    data = data.assign(suppressed=data.get("suppressed", False))
    base = alt.Chart(data).encode(
        x=alt.X("yearmonth(month):O", title=labels["month"], axis=month_axis(running, labels["running"])),
        y=alt.Y(f"{row}:N", title=labels["row"], axis=alt.Axis(labelLimit=220)),
    )
    hidden = base.transform_filter("datum.suppressed")
    blanks = hidden.mark_rect(color=NO_DATA, opacity=0.35).encode(
        tooltip=[
            alt.Tooltip(f"{row}:N", title=labels["row"]),
            alt.Tooltip("yearmonth(month):T", title=labels["month"], format="%B %Y"),
            alt.Tooltip("note:N", title=labels["utilisation"]),
        ]
    )
    dashes = hidden.mark_text(color=CELL_INK).encode(text=alt.value("—"))
    shown = base.transform_filter("!datum.suppressed")
    cells = shown.mark_rect().encode(
        opacity=running_opacity(),
        color=utilisation_color(labels["utilisation"], threshold, bad),
        tooltip=[
            alt.Tooltip(f"{row}:N", title=labels["row"]),
            alt.Tooltip("yearmonth(month):T", title=labels["month"], format="%B %Y"),
            alt.Tooltip("utilisation_pct:Q", title=labels["utilisation"], format=ONE_DECIMAL),
            *tooltip,
        ],
    )
    values = shown.mark_text(color=CELL_INK).encode(text=alt.Text("utilisation_pct:Q", format=NUMBER))
    chart = alt.layer(blanks, dashes, cells, values).properties(height=rows_height(data[row].nunique()))
    return localize(chart, lang)


def composition_chart(data: pd.DataFrame, labels: dict, lang: str) -> alt.TopLevelMixin:
    """Account-team members per account, stacked by department (head counts only: no hours per department)."""
    chart = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y("account_name:N", title=None, axis=alt.Axis(labelLimit=220)),
            x=alt.X("sum(members):Q", title=labels["members"], axis=alt.Axis(format=",d", tickMinStep=1)),
            color=alt.Color(
                "department:N",
                title=labels["department"],
                legend=alt.Legend(orient="right"),
                scale=alt.Scale(scheme="tableau10"),
            ),  # ten distinct colours: departments outnumber the theme's eight
            tooltip=[
                alt.Tooltip("account_name:N", title=labels["account"]),
                alt.Tooltip("department:N", title=labels["department"]),
                alt.Tooltip("sum(members):Q", title=labels["members"], format=","),
            ],
        )
        .properties(height=rows_height(data["account_name"].nunique()))
    )
    return localize(chart, lang)


def backlog_chart(data: pd.DataFrame, labels: dict, lang: str) -> alt.TopLevelMixin:
    """Open tickets per technician group (department)."""
    chart = (
        alt.Chart(data)
        .mark_bar(color=BAND_COLORS["watch"])
        .encode(
            y=alt.Y("group:N", title=None, sort="-x", axis=alt.Axis(labelLimit=200)),
            x=alt.X("open_tickets:Q", title=labels["open"], axis=alt.Axis(format=",d", tickMinStep=1)),
            tooltip=[
                alt.Tooltip("group:N", title=labels["group"]),
                alt.Tooltip("open_tickets:Q", title=labels["open"], format=","),
                alt.Tooltip("oldest_age_days:Q", title=labels["oldest"], format=","),
            ],
        )
        .properties(height=rows_height(len(data), extra=80))
    )
    return localize(chart, lang)
