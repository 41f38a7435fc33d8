"""Altair charts of the portfolio page (texts come in as arguments, already translated).

- `health_vs_acv`: one point per scored account (health against contract value), the at-risk
  and watch accounts named on the chart, a click on a point selects its account
  (selection parameter `PICK`, field `account_id`; the page opens the review).
- `health_history`: accounts per band at each month-end of the history and at D, stacked.
Labels are data-derived text drawn by Vega as chart text, never HTML.
"""

from __future__ import annotations

import json

import altair as alt
import pandas as pd

from kamdata.app.charts.base import BAND_COLORS, BANDS, NEUTRAL, band_label, halo_text, localize, when

PICK = "pick"
LABELLED_BANDS = ("at_risk", "watch")
HEALTH_ACV_HEIGHT = 380
# Pixels kept free around the plot's data range, so a point at ACV 0 or health 0/100 is drawn whole,
# not half under the axis.
EDGE_PX = 10
# Label placement works in pixels of an assumed plot area (the chart stretches to the page;
# 1440 px screen minus sidebar ~ 1000 px plot width): good enough to keep names apart.
_PLOT_WIDTH = 1000
_CHAR_PX = 6.2
_LINE_PX = 13
_GAP_PX = 7
# Candidate spots for a label, tried in order: (side, vertical shift in lines).
_SPOTS = (("right", 0), ("left", 0), ("right", -1), ("right", 1), ("left", -1), ("left", 1), ("right", -2), ("left", 2))


def place_labels(points: pd.DataFrame, x_max: float, plot_height: int = HEALTH_ACV_HEIGHT - 80) -> pd.DataFrame:
    """Where each named point's label goes so that labels do not overlap each other (greedy).

    points: x (data units, 0..x_max), y (health 0..100), label. Returns the rows with
    `side` ("right"/"left": the label starts right of the point / ends left of it) and
    `label_y` (data units), most urgent (lowest health) first so those get the best spots.
    """
    if points.empty:
        return points.assign(side=pd.Series(dtype=str), label_y=pd.Series(dtype=float))
    x_scale = _PLOT_WIDTH / (x_max or 1.0)
    y_scale = plot_height / 100.0
    placed: list[tuple[float, float, float, float]] = []
    sides, label_ys = [], []
    ordered = points.sort_values(["y", "x"]).reset_index(drop=True)
    for _, row in ordered.iterrows():
        px, py = row["x"] * x_scale, row["y"] * y_scale
        width = len(str(row["label"])) * _CHAR_PX
        chosen = None
        for side, shift in _SPOTS:
            left = px + _GAP_PX if side == "right" else px - _GAP_PX - width
            if left < 0 or left + width > _PLOT_WIDTH:
                continue
            mid = py + shift * _LINE_PX
            if not 0 <= mid <= plot_height:
                continue
            box = (left, mid - _LINE_PX / 2, left + width, mid + _LINE_PX / 2)
            if all(box[2] <= b[0] or box[0] >= b[2] or box[3] <= b[1] or box[1] >= b[3] for b in placed):
                chosen = (side, mid, box)
                break
        if chosen is None:  # crowded: keep the label on the right at the point's height
            left = px + _GAP_PX
            chosen = ("right", py, (left, py - _LINE_PX / 2, left + width, py + _LINE_PX / 2))
        placed.append(chosen[2])
        sides.append(chosen[0])
        label_ys.append(chosen[1] / y_scale)
    return ordered.assign(side=sides, label_y=label_ys)


def health_vs_acv(data: pd.DataFrame, labels: dict, lang: str) -> alt.TopLevelMixin:
    """Health score against ACV (€ million), coloured by band, at-risk and watch accounts named.

    data: account_id, account_name, kam_name, health_score, acv_mio, band (code),
    band_label, acv_text, health_text. labels: acv, health, band, account, kam, acv_full.
    Clicking a point fills the selection `PICK` with its account_id.
    """
    pick = alt.selection_point(name=PICK, fields=["account_id"], on="click", clear="dblclick")
    x_max = float(data["acv_mio"].max() or 1.0) * 1.08
    base = alt.Chart(data)
    x = alt.X(
        "acv_mio:Q",
        title=labels["acv"],
        scale=alt.Scale(domain=[0, x_max], nice=False, padding=EDGE_PX),
        axis=alt.Axis(format=",~f", tickCount=8),
    )
    y = alt.Y("health_score:Q", title=labels["health"], scale=alt.Scale(domain=[0, 100], padding=EDGE_PX))
    points = (
        base.mark_circle(size=110, opacity=0.9, stroke="white", strokeWidth=1, cursor="pointer")
        .encode(
            x=x,
            y=y,
            color=_band_color(lang, labels["band"]),
            tooltip=[
                alt.Tooltip("account_name:N", title=labels["account"]),
                alt.Tooltip("kam_name:N", title=labels["kam"]),
                alt.Tooltip("health_text:N", title=labels["health"]),
                alt.Tooltip("band_label:N", title=labels["band"]),
                alt.Tooltip("acv_text:N", title=labels["acv_full"]),
            ],
        )
        .add_params(pick)
    )
    named = data[data["band"].isin(LABELLED_BANDS)]
    spots = place_labels(
        pd.DataFrame({"x": named["acv_mio"], "y": named["health_score"], "label": named["account_name"]}), x_max
    )
    layers = [points]
    for side in ("right", "left"):
        rows = spots[spots["side"] == side]
        if rows.empty:
            continue
        # a label right of its point starts there (left-aligned), one left of it ends there; dark ink on a
        # light halo (Vega's default black text vanishes in the dark theme)
        where = alt.Chart(rows).encode(x=alt.X("x:Q"), y=alt.Y("label_y:Q"), text="label:N")
        align, dx = ("left", 8) if side == "right" else ("right", -8)
        layers.extend(halo_text(where, align=align, dx=dx, fontSize=11, baseline="middle"))
    chart = alt.layer(*layers).properties(height=HEALTH_ACV_HEIGHT)
    return localize(chart, lang)


def _band_color(lang: str, title: str) -> alt.Color:
    keys = (*BANDS, None)
    return alt.Color(
        "band_label:N",
        title=title,
        scale=alt.Scale(domain=[band_label(b, lang) for b in keys], range=[BAND_COLORS[b] for b in keys]),
        legend=alt.Legend(orient="bottom", labelLimit=0),
    )


# Stack order of the history bars, bottom up: the at-risk band on the axis, where its trend reads best.
HISTORY_ORDER = ("at_risk", "watch", "healthy", None)


def health_history(data: pd.DataFrame, labels: dict, lang: str) -> alt.TopLevelMixin:
    """Accounts per band at each month-end of the history and at D (stacked bars, at risk at the bottom).

    data: as_of (date), period (axis text, in order), band (code or None), band_label,
    accounts, date_text, is_current (the bar at D). labels: accounts, band, date.
    The bar at D is not a month-end: drawn paler with a dashed outline, its label ("Stand 04.12.2026")
    on two lines; no axis title (the labels say month-end or date themselves).
    """
    order = {label: i for i, label in enumerate(band_label(b, lang) for b in HISTORY_ORDER)}
    current = data["is_current"].astype(bool) if "is_current" in data else pd.Series(False, index=data.index)
    frame = data.assign(stack=[order[label] for label in data["band_label"]], is_current=current)
    periods = list(dict.fromkeys(frame.sort_values("as_of")["period"]))
    now = frame.loc[frame["is_current"], "period"].drop_duplicates()
    axis = alt.Axis(labelAngle=0)
    if not now.empty:
        head, _, tail = str(now.iloc[0]).rpartition(" ")
        if head:
            axis = alt.Axis(
                labelAngle=0,
                labelExpr=f"datum.label == {json.dumps(now.iloc[0])} ? {json.dumps([head, tail])} : datum.label",
            )
    chart = (
        alt.Chart(frame, height=340)
        .mark_bar(stroke=NEUTRAL)
        .encode(
            x=alt.X("period:O", title=None, sort=periods, axis=axis),
            opacity=when(alt.OpacityValue, "datum.is_current", 0.55, 1.0),
            strokeDash=when(alt.StrokeDashValue, "datum.is_current", [4, 3], [1, 0]),
            strokeWidth=when(alt.StrokeWidthValue, "datum.is_current", 1.5, 0),
            y=alt.Y("accounts:Q", title=labels["accounts"], stack="zero", axis=alt.Axis(format="d", tickMinStep=1)),
            color=_history_color(lang, labels["band"]),
            order=alt.Order("stack:Q"),
            tooltip=[
                alt.Tooltip("date_text:N", title=labels["date"]),
                alt.Tooltip("band_label:N", title=labels["band"]),
                alt.Tooltip("accounts:Q", title=labels["accounts"], format="d"),
            ],
        )
    )
    return localize(chart, lang)


def _history_color(lang: str, title: str) -> alt.Color:
    return alt.Color(
        "band_label:N",
        title=title,
        scale=alt.Scale(
            domain=[band_label(b, lang) for b in HISTORY_ORDER], range=[BAND_COLORS[b] for b in HISTORY_ORDER]
        ),
        legend=alt.Legend(orient="bottom", labelLimit=0),
    )
