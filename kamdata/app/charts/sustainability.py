"""Altair charts of the Sustainability page (texts come in as arguments, already translated).

The site map draws the sites per city over country outlines shipped with the app
(kamdata/app/geo/germany.geojson: Germany and its neighbours from Natural Earth,
public domain): no map tiles, no network, so it renders offline and in both themes.
"""

from __future__ import annotations

import json
import math
from functools import cache
from pathlib import Path
from typing import Final

import altair as alt
import pandas as pd

from kamdata.app.charts.base import BAND_COLORS, halo_text, localize, rows_height
from kamdata.app.i18n import text

NUMBER = ",.0f"
ONE_DECIMAL = ",.1f"
EUI_SCHEME: Final = "orangered"  # Final: typed as the literal altair expects
ACTUAL = "#1f6feb"  # the theme's primary colour
PATH = "#8b949e"  # neutral grey, readable on light and dark backgrounds, distinct from the on-track colours
OUTLINES = Path(__file__).resolve().parent.parent / "geo" / "germany.geojson"
MAP_LABELS = 8  # cities named on the map (the largest); every circle keeps its tooltip
LABEL_ROW = 0.4  # degrees latitude a label line takes on the map (~520 px for Germany)
LABEL_WIDTH = 6.0  # degrees longitude a long city name takes
LAND = "#8b949e"  # outlines in the neutral grey: visible on light and dark backgrounds
FIT_MARGIN = 0.6  # degrees added around Germany and the sites when fitting the view: nothing cut at the edges


def path_chart(data: pd.DataFrame, labels: dict, lang: str) -> alt.TopLevelMixin:
    """Actual reduction vs the target path per year, with an on-track marker per year.

    data: year, series (translated: reduction / path), pct, status (translated), status_key
    ('on_track' | 'off_track' | 'open', only on reduction rows). The running year ('open') reads
    "2026 (laufend)" on the axis; the y axis spans every value with a tick at both ends.
    """
    running = data.loc[data["status_key"] == "open", "year"].drop_duplicates()
    axis = alt.Axis(labelAngle=0)
    if not running.empty:
        year = int(running.iloc[0])
        partial = json.dumps(text("sustainability.year_partial", lang, year=year))
        axis = alt.Axis(labelAngle=0, labelExpr=f"datum.value == {year} ? {partial} : datum.label")
    x = alt.X("year:O", title=labels["year"], axis=axis)
    values = pd.to_numeric(data["pct"], errors="coerce").dropna()
    low = min(0.0, float(values.min())) if not values.empty else 0.0
    high = max(10.0, float(values.max())) if not values.empty else 10.0
    domain = [math.floor(low / 10) * 10, math.ceil((high + 1) / 10) * 10]
    y = alt.Y("pct:Q", title=labels["pct"], scale=alt.Scale(domain=domain, nice=False))
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
                legend=alt.Legend(orient="bottom", labelLimit=0),
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


@cache
def outlines() -> tuple[dict, ...]:
    """The shipped country outlines (GeoJSON features with property `country`, e.g. "DE")."""
    return tuple(json.loads(OUTLINES.read_text(encoding="utf-8"))["features"])


def map_labels(data: pd.DataFrame, top: int = MAP_LABELS) -> pd.DataFrame:
    """Labels for up to `top` of the largest cities (by kWh), skipping a label that would run into one
    already placed (labels are written to the right of their circle: within LABEL_ROW° latitude and
    LABEL_WIDTH° longitude). A readable map instead of one name per circle; every circle keeps its
    tooltip. data: the columns of sustainability_city_map."""
    largest = data.sort_values(["kwh", "city"], ascending=[False, True])
    kept: list[int] = []
    for index, city in largest.iterrows():
        if len(kept) == top:
            break
        clear = all(
            abs(city["latitude"] - largest.at[other, "latitude"]) >= LABEL_ROW
            or abs(city["longitude"] - largest.at[other, "longitude"]) >= LABEL_WIDTH
            for other in kept
        )
        if clear:
            kept.append(index)
    return largest.loc[kept]


def _city_tooltip(labels: dict) -> list:
    return [
        alt.Tooltip("city:N", title=labels["city"]),
        alt.Tooltip("sites:Q", title=labels["sites"], format=NUMBER),
        alt.Tooltip("accounts:Q", title=labels["accounts"], format=NUMBER),
        alt.Tooltip("kwh:Q", title=labels["kwh"], format=NUMBER),
        alt.Tooltip("eui_kwh_m2:Q", title=labels["eui"], format=ONE_DECIMAL),
        alt.Tooltip("kg_co2e:Q", title=labels["co2e"], format=NUMBER),
        alt.Tooltip("factor_sources:N", title=labels["source"]),
    ]


def site_map(data: pd.DataFrame, labels: dict, lang: str) -> alt.TopLevelMixin:
    """The sites per city on the shipped country outlines (Mercator): one circle per city, size = kWh,
    colour = EUI, the largest cities named; no tiles, works offline. data: sustainability_city_map."""
    features = list(outlines())
    land = (
        alt.Chart(alt.Data(values=[f for f in features if f["properties"]["country"] != "DE"]))
        .mark_geoshape(fill=LAND, fillOpacity=0.06, stroke=LAND, strokeWidth=0.5, clip=True)
        .encode(tooltip=alt.value(None))
    )
    germany = (
        alt.Chart(alt.Data(values=[f for f in features if f["properties"]["country"] == "DE"]))
        .mark_geoshape(fill=LAND, fillOpacity=0.16, stroke=LAND, strokeWidth=1.2, clip=True)
        .encode(tooltip=alt.value(None))
    )
    sites = (
        alt.Chart(data)
        .mark_circle(opacity=0.8, stroke="#6e7781", strokeWidth=0.8)
        .encode(
            longitude="longitude:Q",
            latitude="latitude:Q",
            size=alt.Size("kwh:Q", title=labels["kwh"], legend=None, scale=alt.Scale(range=[40, 800])),
            color=_eui_color(labels),
            tooltip=_city_tooltip(labels),
        )
    )
    # Dark ink on a light halo: Vega's default black text vanishes on the dark theme's map.
    names = halo_text(
        alt.Chart(map_labels(data)).encode(
            longitude="longitude:Q", latitude="latitude:Q", text="city:N", tooltip=_city_tooltip(labels)
        ),
        align="left",
        dx=9,
        dy=-6,
        fontSize=11,
        fontWeight="bold",
    )
    # The view fits Germany and every city (one abroad widens it) plus a margin, so the south and the
    # largest dots are not cut at the edge; neighbours are clipped to it.
    germany_only = [f for f in features if f["properties"]["country"] == "DE"]
    lons = [*data["longitude"].dropna(), *_coordinates(germany_only, 0)]
    lats = [*data["latitude"].dropna(), *_coordinates(germany_only, 1)]
    corners = [
        [min(lons) - FIT_MARGIN, min(lats) - FIT_MARGIN],
        [max(lons) + FIT_MARGIN, max(lats) + FIT_MARGIN],
    ]
    located = {"type": "Feature", "properties": {}, "geometry": {"type": "MultiPoint", "coordinates": corners}}
    chart = alt.layer(land, germany, sites, *names).project(type="mercator", fit=[located]).properties(height=520)
    return localize(chart, lang)


def _coordinates(features: list[dict], axis: int) -> list[float]:
    """Every longitude (axis 0) or latitude (axis 1) of the features' (Multi)Polygon outlines."""
    found: list[float] = []

    def walk(node: list) -> None:
        if node and isinstance(node[0], (int, float)):
            found.append(float(node[axis]))
        else:
            for child in node:
                walk(child)

    for feature in features:
        walk(feature["geometry"]["coordinates"])
    return found
