"""The review's health section: score and band, the six components with weight, score and raw metric (each
with its own window), the 12-month history chart, what moved the score vs 3 and vs 12 months ago and the
path to green. The maths lives in kamdata/review/health.py; this module only reads the marts (through the
query core) and puts the results into words. `cover(ctx)` gives the PDF cover's sentences."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import altair as alt
import pandas as pd

from kamdata.app import formats as fmt
from kamdata.app.charts.base import BAND_COLORS, band_label, localize
from kamdata.app.i18n import text
from kamdata.review import health
from kamdata.review.context import Context
from kamdata.review.model import Chart, Column, Figure, Section, Table, display

MINUS = "\u2212"
# The kind each component's raw metric is shown with (decimals: health.METRIC_DECIMALS).
METRIC_KINDS = {
    "sla": "pct",
    "satisfaction": "number",
    "relationship": "days",
    "commitments": "pct",
    "commercial": "pct",
    "team": "pct",
}
SCORE_INK = "#1f2328"
COMPONENT_COLORS = ("#4c78a8", "#f58518", "#54a24b", "#b279a2", "#9d755d", "#72b7b2")
COMPARISONS = (3, 12)  # months back for "what moved it"


@dataclass(frozen=True)
class Snapshot:
    """The health of the account on one date: the mart row and its components."""

    as_of: date
    row: dict
    components: list[health.Component]

    @property
    def score(self) -> float | None:
        value = self.row.get("health_score")
        return None if value is None or fmt.missing(value) else float(value)


def _t(ctx: Context, key: str, **values) -> str:
    return ctx.text(f"review_health.{key}", **values)


def _history(ctx: Context) -> list[Snapshot]:
    """The month-end rows and today's (last), oldest first."""
    frame = ctx.run("review_health_history")
    params = ctx.params.to_dict()
    return [
        Snapshot(pd.Timestamp(row["as_of"]).date(), row, health.components_from(row, params))
        for row in frame.to_dict("records")
    ]


def _month_end_before(day: date, months: int) -> date:
    """The month-end `months` months before the end of `day`'s month (D = 04.12.2026, 3 → 30.09.2026)."""
    start = pd.Timestamp(day.year, day.month, 1) - pd.DateOffset(months=months)
    return (start + pd.offsets.MonthEnd(0)).date()


def _threshold(ctx: Context) -> float:
    return float(ctx.params["health_band_healthy"])


def _min_weight(ctx: Context) -> float:
    return float(ctx.params["health_min_weight"])


def metric_text(component: health.Component, lang: str, value: float | None = None) -> str:
    """A component's metric in its own kind ("91,0 %", "4", "91", "nie"); `value` overrides the metric."""
    if value is None and component.never:
        return text("review_health.never", lang)
    shown = component.metric if value is None else value
    return display(shown, METRIC_KINDS[component.name], lang, health.METRIC_DECIMALS[component.name])


def _signed(value: float, lang: str) -> str:
    """+2,5 / −6,2 (U+2212 minus), one decimal."""
    rounded = fmt.number(abs(value), lang, 1)
    return f"{MINUS if value < 0 else '+'}{rounded}"


def _metric_window(ctx: Context, name: str) -> str:
    as_of = fmt.day(ctx.as_of, ctx.lang)
    p = ctx.params
    if name == "sla":
        return _t(ctx, "metric_windows.sla", days=fmt.integer(p["kpi_sla_health_window_days"], ctx.lang), as_of=as_of)
    if name == "satisfaction":
        days = fmt.integer(p["kpi_survey_window_days"], ctx.lang)
        return _t(ctx, "metric_windows.satisfaction", days=days, as_of=as_of)
    if name == "commitments":
        days = fmt.integer(p["kpi_commitment_window_days"], ctx.lang)
        return _t(ctx, "metric_windows.commitments", days=days, as_of=as_of)
    if name == "commercial":
        last = pd.Timestamp(ctx.last_complete_month)
        first = last - pd.DateOffset(months=11)
        return _t(ctx, "metric_windows.commercial", first=fmt.month(first, ctx.lang), last=fmt.month(last, ctx.lang))
    if name == "team":
        return _t(ctx, "metric_windows.team", month=fmt.month(ctx.last_complete_month, ctx.lang))
    return _t(ctx, "metric_windows.relationship", as_of=as_of)


# ------------------------------------------------------------------------------------------- what moved it


def moved(ctx: Context, history: list[Snapshot], months: int) -> tuple[str, list[str]]:
    """The heading and the lines of "what moved it" vs the month-end `months` months before the end of D's
    month: each component's contribution change, largest first (components that did not move are left out)."""
    now = history[-1]
    when = _month_end_before(ctx.as_of, months)
    date_text = fmt.day(when, ctx.lang)
    then = next((s for s in history[:-1] if s.as_of == when), None)
    if then is None:
        return _t(ctx, "moved.missing", date=date_text), []
    if then.score is None:
        return _t(ctx, "moved.no_score", date=date_text), []
    if now.score is None:
        return _t(ctx, "moved.no_score_now", date=date_text), []
    title = _t(
        ctx,
        f"moved.title_{months}",
        date=date_text,
        then=display(then.score, "score", ctx.lang),
        now=display(now.score, "score", ctx.lang),
    )
    lines = [_mover_line(ctx, m) for m in health.movers(now.components, then.components) if round(abs(m.change), 1)]
    return title, lines or [_t(ctx, "moved.none", date=date_text)]


def _mover_line(ctx: Context, mover: health.Mover) -> str:
    values = {
        "component": _t(ctx, f"components.{mover.name}"),
        "change": _signed(mover.change, ctx.lang),
        "metric": _t(ctx, f"metrics.{mover.name}"),
        "then": metric_text(mover.then, ctx.lang),
        "now": metric_text(mover.now, ctx.lang),
    }
    same_score = mover.then.score is not None and mover.now.score is not None and mover.then.score == mover.now.score
    if same_score and values["then"] == values["now"]:
        return _t(ctx, "moved.line_weight", **values)
    return _t(ctx, "moved.line", **values)


# ------------------------------------------------------------------------------------------- path to green


def _needed_text(ctx: Context, step: health.Step) -> str:
    return metric_text(step.component, ctx.lang, step.metric_needed)


def _direction(component: health.Component) -> str:
    return "higher" if component.higher_is_better else "lower"


def path_sentences(ctx: Context, now: Snapshot) -> list[str]:
    """The path to green in words: already healthy, or per component the metric that alone lifts the score
    to the healthy threshold, the components that cannot, and the cheapest pair when none can alone."""
    threshold = _threshold(ctx)
    path = health.path_to_green(now.components, threshold, _min_weight(ctx))
    limit = display(threshold, "score", ctx.lang, 0)
    if path.healthy:
        return [_t(ctx, "path.healthy", score=display(path.score, "score", ctx.lang), threshold=limit)]
    if path.score is None:
        share = fmt.pct(health.weight_share(now.components) * 100, ctx.lang, 0)
        intro = _t(
            ctx,
            "path.intro_no_score",
            threshold=limit,
            share=share,
            min_share=fmt.pct(_min_weight(ctx) * 100, ctx.lang, 0),
        )
    else:
        intro = _t(ctx, "path.intro", threshold=limit, score=display(path.score, "score", ctx.lang))
    lines = [intro]
    for single in path.singles:
        if single.step:
            c = single.component
            lines.append(
                _t(
                    ctx,
                    f"path.alone_{_direction(c)}",
                    component=_t(ctx, f"components.{c.name}"),
                    metric=_t(ctx, f"metrics.{c.name}"),
                    now=metric_text(c, ctx.lang),
                    needed=_needed_text(ctx, single.step),
                )
            )
    blocked = [_t(ctx, f"components.{s.component.name}") for s in path.singles if not s.step]
    if len(blocked) == len(path.singles):
        lines.append(_t(ctx, "path.none_alone", threshold=limit))
    elif blocked:
        lines.append(_t(ctx, "path.not_alone", components=", ".join(blocked)))
    if path.pair:
        parts = [
            _t(
                ctx,
                f"path.pair_part_{_direction(step.component)}",
                metric=_t(ctx, f"metrics.{step.component.name}"),
                now=metric_text(step.component, ctx.lang),
                needed=_needed_text(ctx, step),
            )
            for step in path.pair
        ]
        lines.append(_t(ctx, "path.pair", first=parts[0], second=parts[1]))
    elif not any(s.step for s in path.singles):
        if path.best_pair and path.best_pair_score is not None:
            first, second = (_t(ctx, f"components.{c.name}") for c in path.best_pair)
            score = display(path.best_pair_score, "score", ctx.lang)
            lines.append(_t(ctx, "path.no_pair", first=first, second=second, score=score))
        else:
            lines.append(_t(ctx, "path.no_pair_at_all"))
    return lines


def _path_table(ctx: Context, now: Snapshot) -> Table:
    threshold = _threshold(ctx)
    path = health.path_to_green(now.components, threshold, _min_weight(ctx))
    rows = []
    for single in path.singles:
        c = single.component
        rows.append(
            {
                "component": _t(ctx, f"components.{c.name}"),
                "metric_name": _t(ctx, f"metrics.{c.name}"),
                "metric_now": metric_text(c, ctx.lang),
                "metric_needed": _needed_text(ctx, single.step) if single.step else _t(ctx, "table.not_alone"),
                "alone": _t(ctx, "table.yes" if single.step else "table.no"),
                "needed_value": single.step.metric_needed if single.step else None,
                "reachable": single.step is not None,
            }
        )
    return Table(
        "path_to_green",
        _t(ctx, "table.path"),
        pd.DataFrame(rows),
        (
            Column("component", _t(ctx, "table.component")),
            Column("metric_name", _t(ctx, "table.metric_name")),
            Column("metric_now", _t(ctx, "table.metric_now")),
            Column("metric_needed", _t(ctx, "table.metric_needed")),
            Column("alone", _t(ctx, "table.alone")),
        ),
        window=ctx.at_as_of(),
        note=_t(ctx, "table.path_note", threshold=display(threshold, "score", ctx.lang, 0)),
        highlight="reachable",
    )


# ------------------------------------------------------------------------------------------- the section


def _components_table(ctx: Context, now: Snapshot) -> Table:
    rows = [
        {
            "component": _t(ctx, f"components.{c.name}"),
            "weight": c.weight * 100,
            "score": c.score,
            "metric": metric_text(c, ctx.lang),
            "metric_name": _t(ctx, f"metrics.{c.name}"),
            "metric_window": _metric_window(ctx, c.name),
            "metric_value": c.metric,
            "missing": not c.present,
        }
        for c in now.components
    ]
    share = health.weight_share(now.components)
    return Table(
        "components",
        _t(ctx, "table.components"),
        pd.DataFrame(rows),
        (
            Column("component", _t(ctx, "table.component")),
            Column("weight", _t(ctx, "table.weight"), "pct", 0),
            Column("score", _t(ctx, "table.component_score"), "score"),
            Column("metric", _t(ctx, "table.metric")),
            Column("metric_name", _t(ctx, "table.metric_name")),
            Column("metric_window", _t(ctx, "table.metric_window")),
        ),
        window=ctx.at_as_of(),
        note=None if share >= 1 else _t(ctx, "table.note_missing", share=fmt.pct(share * 100, ctx.lang, 0)),
    )


def _chart(ctx: Context, history: list[Snapshot]) -> Chart:
    score_name = _t(ctx, "score")
    names = [score_name] + [_t(ctx, f"components.{n}") for n in health.NAMES]
    points = []
    for snap in history:
        points.append({"as_of": pd.Timestamp(snap.as_of), "series": score_name, "value": snap.score})
        for c in snap.components:
            points.append(
                {"as_of": pd.Timestamp(snap.as_of), "series": _t(ctx, f"components.{c.name}"), "value": c.score}
            )
    frame = pd.DataFrame(points)
    # One tick a month at most: a wide page would otherwise label every month twice ("Jan 26, Jan 26").
    x = alt.X("as_of:T", title=_t(ctx, "chart.date"), axis=alt.Axis(format="%b %y", labelAngle=-45, tickCount="month"))
    y = alt.Y("value:Q", title=_t(ctx, "chart.value"), scale=alt.Scale(domain=[0, 100]))
    color = alt.Color(
        "series:N",
        title=_t(ctx, "chart.series"),
        scale=alt.Scale(domain=names, range=[SCORE_INK, *COMPONENT_COLORS]),
        legend=alt.Legend(orient="right", labelLimit=0),
    )
    base = alt.Chart(frame).encode(x=x, y=y, color=color)
    components = base.transform_filter(alt.datum.series != score_name).mark_line(
        strokeWidth=1.5, opacity=0.75, point=alt.OverlayMarkDef(size=14)
    )
    score = base.transform_filter(alt.datum.series == score_name).mark_line(strokeWidth=3.5, point=True)
    thresholds = pd.DataFrame(
        {
            "value": [float(ctx.params["health_band_healthy"]), float(ctx.params["health_band_watch"])],
            "band": ["healthy", "watch"],
        }
    )
    rules = [
        alt.Chart(thresholds[thresholds["band"] == b])
        .mark_rule(strokeDash=[6, 4], strokeWidth=1.5, color=BAND_COLORS[b])
        .encode(y="value:Q")
        for b in ("healthy", "watch")
    ]
    chart = alt.layer(*rules, components, score).properties(width=560, height=240, title=_t(ctx, "chart.title"))
    months = [s.as_of for s in history[:-1]]
    window = (
        _t(
            ctx,
            "chart.window",
            first=fmt.day(months[0], ctx.lang),
            last=fmt.day(months[-1], ctx.lang),
            as_of=fmt.day(history[-1].as_of, ctx.lang),
        )
        if months
        else ctx.at_as_of()
    )
    return Chart("history", _t(ctx, "chart.title"), localize(chart, ctx.lang).to_dict(), window)


def section(ctx: Context) -> Section:
    """The health section (key "health")."""
    result = Section("health", ctx.text("review.sections.health"))
    history = _history(ctx)
    if not history or not history[-1].row.get("is_current"):
        result.empty = ctx.text("review_health.moved.no_score_now", date=fmt.day(ctx.as_of, ctx.lang))
        return result
    now = history[-1]
    band = None if fmt.missing(now.row.get("band")) else str(now.row["band"])
    result.figures += [
        Figure("health_score", _t(ctx, "score"), now.score, "score", ctx.at_as_of()),
        Figure("band", _t(ctx, "band"), band_label(band, ctx.lang), "text", ctx.at_as_of()),
    ]
    result.tables += [_components_table(ctx, now), _path_table(ctx, now)]
    result.charts.append(_chart(ctx, history))
    for months in COMPARISONS:
        title, lines = moved(ctx, history, months)
        result.texts += [title, *lines]
    result.texts += path_sentences(ctx, now)
    return result


def cover(ctx: Context) -> list[str]:
    """The PDF cover's sentences: the three biggest movers vs 3 months ago, then the path to green."""
    history = _history(ctx)
    if not history or not history[-1].row.get("is_current"):
        return []
    title, lines = moved(ctx, history, COMPARISONS[0])
    return [title, *lines[:3], *path_sentences(ctx, history[-1])]
