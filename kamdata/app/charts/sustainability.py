"""Altair charts of the Sustainability page (texts come in as arguments, already translated).

The site map is a plain longitude/latitude scatter in a Mercator projection: it
needs no map tiles, so it renders offline and in both themes.
"""

from __future__ import annotations

from typing import Final

import altair as alt
import pandas as pd

from kamdata.app.charts.base import BAND_COLORS, localize, rows_height

NUMBER = ",.0f"
ONE_DECIMAL = ",.1f"
EUI_SCHEME: Final = "orangered"  # Final: typed as the literal altair expects
ACTUAL = "#1f6feb"  # the theme's primary colour
PATH = "#8b949e"  # neutral grey, readable on light and dark backgrounds, distinct from the on-track colours


def path_chart(data: pd.DataFrame, labels: dict, lang: str) -> alt.TopLevelMixin:
    """Actual reduction vs the target path per year, with an on-track marker per year.

    data: year, series (translated: reduction / path), pct, status (translated), status_key
    ('on_track' | 'off_track' | 'open', only on reduction rows).
    """
    x = alt.X("year:O", title=labels["year"], axis=alt.Axis(labelAngle=0))
    y = alt.Y("pct:Q", title=labels["pct"])
    lines = (
        alt.Chart(data)
        .mark_line(point=True)
        .encode(
            x=x,
            y=y,
            # A line symbol (dashed for the path): the default point symbol with the dash reads as a cog.
            color=alt.Color(
                "series:N",
                title=labels["series"],
                legend=alt.Legend(orient="bottom", symbolType="stroke", symbolStrokeWidth=2),
                scale=alt.Scale(domain=[labels["reduction"], labels["path"]], range=[ACTUAL, PATH]),
            ),
            strokeDash=alt.StrokeDash("series:N", legend=None),
        )
    )
    colors = {"on_track": BAND_COLORS["healthy"], "off_track": BAND_COLORS["at_risk"], "open": BAND_COLORS[None]}
    judged = data.dropna(subset=["status_key"]).drop_duplicates("status_key").set_index("status_key")["status"]
    present = [key for key in colors if key in judged.index]
    if not present:
        return localize(lines.properties(height=300), lang)
    markers = (
        alt.Chart(data)
        .transform_filter(alt.datum.status_key != None)  # noqa: E711 (Vega expression, not Python)
        .mark_point(size=110, filled=True)
        .encode(
            x=x,
            y=y,
            fill=alt.Fill(
                "status:N",
                title=labels["status"],
                scale=alt.Scale(domain=[judged[k] for k in present], range=[colors[k] for k in present]),
                legend=alt.Legend(orient="bottom"),
            ),
            tooltip=[
                alt.Tooltip("year:O", title=labels["year"]),
                alt.Tooltip("pct:Q", title=labels["reduction"], format=ONE_DECIMAL),
                alt.Tooltip("path_pct:Q", title=labels["path"], format=ONE_DECIMAL),
                alt.Tooltip("status:N", title=labels["status"]),
            ],
        )
    )
    return localize(alt.layer(lines, markers).properties(height=300), lang)


def carrier_mix_chart(data: pd.DataFrame, labels: dict, lang: str) -> alt.TopLevelMixin:
    """kWh per month stacked by energy carrier. data: month, carrier_label, kwh, kg_co2e, factor_source."""
    chart = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("yearmonth(month):O", title=labels["month"], axis=alt.Axis(format="%b %y", labelAngle=-45)),
            y=alt.Y("sum(kwh):Q", title=labels["kwh"], axis=alt.Axis(format=NUMBER)),
            color=alt.Color("carrier_label:N", title=labels["carrier"], legend=alt.Legend(orient="bottom")),
            tooltip=[
                alt.Tooltip("yearmonth(month):T", title=labels["month"], format="%B %Y"),
                alt.Tooltip("carrier_label:N", title=labels["carrier"]),
                alt.Tooltip("sum(kwh):Q", title=labels["kwh"], format=NUMBER),
                alt.Tooltip("sum(kg_co2e):Q", title=labels["co2e"], format=NUMBER),
                alt.Tooltip("factor_source:N", title=labels["source"]),
            ],
        )
        .properties(height=300)
    )
    return localize(chart, lang)


def _site_tooltip(labels: dict) -> list:
    return [
        alt.Tooltip("site_name:N", title=labels["site"]),
        alt.Tooltip("city:N", title=labels["city"]),
        alt.Tooltip("account_name:N", title=labels["account"]),
        alt.Tooltip("kwh:Q", title=labels["kwh"], format=NUMBER),
        alt.Tooltip("eui_kwh_m2:Q", title=labels["eui"], format=ONE_DECIMAL),
        alt.Tooltip("kg_co2e:Q", title=labels["co2e"], format=NUMBER),
        alt.Tooltip("factor_sources:N", title=labels["source"]),
    ]


def _eui_color(labels: dict) -> alt.Color:
    return alt.Color(
        "eui_kwh_m2:Q",
        title=labels["eui"],
        scale=alt.Scale(scheme=EUI_SCHEME),
        legend=alt.Legend(orient="right", format=",.1~f"),
    )


def top_sites_chart(data: pd.DataFrame, measure: str, labels: dict, lang: str) -> alt.TopLevelMixin:
    """Horizontal bars of the top sites by `measure` (kwh or eui_kwh_m2), coloured by EUI.

    data: site_label (unique per site), the columns of query sustainability_sites.
    """
    chart = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y("site_label:N", title=None, sort="-x", axis=alt.Axis(labelLimit=360)),
            x=alt.X(f"{measure}:Q", title=labels["kwh" if measure == "kwh" else "eui"], axis=alt.Axis(format=NUMBER)),
            color=_eui_color(labels),
            tooltip=_site_tooltip(labels),
        )
        .properties(height=rows_height(len(data)))
    )
    return localize(chart, lang)


def site_map(data: pd.DataFrame, labels: dict, lang: str) -> alt.TopLevelMixin:
    """Sites on longitude/latitude (Mercator), size = kWh, colour = EUI; no tiles, works offline."""
    chart = (
        alt.Chart(data)
        .mark_circle(opacity=0.8, stroke="#6e7781", strokeWidth=0.8)
        .encode(
            longitude="longitude:Q",
            latitude="latitude:Q",
            size=alt.Size("kwh:Q", title=labels["kwh"], legend=None, scale=alt.Scale(range=[40, 800])),
            color=_eui_color(labels),
            tooltip=_site_tooltip(labels),
        )
        .project(type="mercator")
        .properties(height=380)
    )
    return localize(chart, lang)
