"""Altair charts of the Team workload page (texts come in as arguments, already translated).

Utilisation colours use the shared band palette: green up to 100 %, amber at the
overload threshold, red from the health score's team `bad` value.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from kamdata.app.charts.base import BAND_COLORS, CELL_INK, CELL_INK_ON_DARK, localize, rows_height
from kamdata.app.charts.sla import NO_DATA, RUNNING_OUTLINE, month_axis

# Under-used (the lowest utilisation shown) in a pale green, darkening to the healthy green at 100 %.
LOW_GREEN = "#b7e4c7"

ONE_DECIMAL = ",.1f"
NUMBER = ",.0f"


def utilisation_scale(values: pd.Series, threshold: float, bad: float) -> tuple[list[float], list[str]]:
    """Domain and colours: pale green at the lowest value, green at 100 %, amber at the overload
    `threshold`, red from `bad`; stretched to the data so the legend covers every value shown."""
    data = pd.to_numeric(values, errors="coerce").dropna()
    lo = float(data.min()) if not data.empty else 0.0
    hi = float(data.max()) if not data.empty else bad
    domain = [100.0, threshold, bad]
    colors = [BAND_COLORS["healthy"], BAND_COLORS["watch"], BAND_COLORS["at_risk"]]
    if lo < 100:
        domain, colors = [lo, *domain], [LOW_GREEN, *colors]
    if hi > bad:
        domain, colors = [*domain, hi], [*colors, BAND_COLORS["at_risk"]]
    return domain, colors


def utilisation_color(title: str, threshold: float, bad: float, values: pd.Series | None = None) -> alt.Color:
    domain, colors = utilisation_scale(values if values is not None else pd.Series(dtype=float), threshold, bad)
    return alt.Color(
        "utilisation_pct:Q",
        title=title,
        scale=alt.Scale(domain=domain, range=colors, clamp=True),
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
    with "—"), plus the tooltip's fields. The running month (`running`) is outlined and its axis label
    gets labels["running"].
    """
    data = data.assign(suppressed=data.get("suppressed", False))
    # Ink by the cell's colour: white on the red cells, dark on green and amber ones.
    data = data.assign(ink=[CELL_INK_ON_DARK if v >= bad else CELL_INK for v in data["utilisation_pct"].fillna(0)])
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
        color=utilisation_color(
            labels["utilisation"], threshold, bad, data["utilisation_pct"][~data["suppressed"].astype(bool)]
        ),
        tooltip=[
            alt.Tooltip(f"{row}:N", title=labels["row"]),
            alt.Tooltip("yearmonth(month):T", title=labels["month"], format="%B %Y"),
            alt.Tooltip("utilisation_pct:Q", title=labels["utilisation"], format=ONE_DECIMAL),
            *tooltip,
        ],
    )
    values = shown.mark_text().encode(
        text=alt.Text("utilisation_pct:Q", format=NUMBER), fill=alt.Fill("ink:N", scale=None, legend=None)
    )
    # The running month keeps its colours (faded cells blend into the dark theme): a dotted outline marks it.
    running_cells = base.transform_filter("datum.running_month").mark_rect(**RUNNING_OUTLINE)
    chart = alt.layer(blanks, dashes, cells, values, running_cells).properties(height=rows_height(data[row].nunique()))
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
