"""The health score's maths for the account review: what moved it and the path to green.

Pure functions on plain data (no queries, no texts). The formula is KPIS.md "Account health score":
a component maps its metric x to `score = 100 × clamp((x − bad) / (good − bad), 0, 1)` (also when
bad > good: fewer days since the last proactive contact, lower team utilisation are better); a component
whose metric is NULL is left out and the remaining weights are rescaled (W = Σ weights of the components
with a score); when the remaining share W / Σ all weights is below `min_weight` the health is NULL
(exactly `min_weight` still scores); health = Σ weight × score / W, rounded half up to one decimal.
Weights, bad, good, the bands and min_weight come from the build's kpi_params row, never from settings.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal
from itertools import combinations
from typing import Any

import pandas as pd

# The six components in the order of KPIS.md, each with its mart columns (score, raw metric).
NAMES = ("sla", "satisfaction", "relationship", "commitments", "commercial", "team")
METRIC_COLUMNS = {
    "sla": "sla_compliance_pct",
    "satisfaction": "nps",
    "relationship": "days_since_proactive",
    "commitments": "commitment_ontime_pct",
    "commercial": "revenue_growth_pct",
    "team": "team_max_utilisation_pct",
}
# Decimals a metric is shown (and a needed metric rounded) with: percentages 1, NPS and days whole numbers.
METRIC_DECIMALS = {"sla": 1, "satisfaction": 0, "relationship": 0, "commitments": 1, "commercial": 1, "team": 1}
# A rounded score of `threshold` needs a raw score of threshold − HALF_STEP (one decimal, half up).
HALF_STEP = 0.05
_EPS = 1e-9


@dataclass(frozen=True)
class Component:
    """One health component as of one date. `score` 0-100 or None (metric NULL: left out of W);
    `never` = relationship with no proactive contact ever (score 0, metric None, shown as "never")."""

    name: str
    weight: float
    bad: float
    good: float
    score: float | None
    metric: float | None
    never: bool = False

    @property
    def higher_is_better(self) -> bool:
        return self.good > self.bad

    @property
    def present(self) -> bool:
        return self.score is not None

    @property
    def start(self) -> float:
        """The score a raise starts from: today's, or 0 for a component brought in."""
        return 0.0 if self.score is None else self.score


def _value(raw: Any) -> float | None:
    if raw is None:
        return None
    try:
        number = float(raw)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def components_from(row: Mapping[str, Any], params: Mapping[str, Any]) -> list[Component]:
    """The six components of one mart_account_health(_history) row with the build's kpi_params."""
    result = []
    for name in NAMES:
        flag = row.get("relationship_never")
        never = name == "relationship" and flag is not None and flag is not pd.NA and bool(flag)
        result.append(
            Component(
                name=name,
                weight=float(params[f"health_components_{name}_weight"]),
                bad=float(params[f"health_components_{name}_bad"]),
                good=float(params[f"health_components_{name}_good"]),
                score=_value(row.get(f"{name}_score")),
                metric=_value(row.get(METRIC_COLUMNS[name])),
                never=never,
            )
        )
    return result


def component_score(x: float, bad: float, good: float) -> float:
    """100 × clamp((x − bad) / (good − bad), 0, 1)."""
    return 100.0 * min(1.0, max(0.0, (x - bad) / (good - bad)))


def metric_for_score(score: float, bad: float, good: float) -> float:
    """The metric x whose component score is `score` (0-100): the inverse of `component_score`."""
    return bad + score / 100.0 * (good - bad)


def weight_share(components: Iterable[Component]) -> float:
    """W / Σ all weights, rounded to 9 places as the mart does (so 0.25 + 0.15 + 0.10 is exactly 0.5)."""
    items = list(components)
    total = sum(c.weight for c in items)
    return round(sum(c.weight for c in items if c.present) / total, 9) if total else 0.0


def raw_score(components: Sequence[Component], min_weight: float) -> float | None:
    """Σ weight × score / W over the components with a score, unrounded; None below `min_weight`."""
    if weight_share(components) < min_weight:
        return None
    present = [c for c in components if c.present]
    weight = sum(c.weight for c in present)
    return sum(c.weight * (c.score or 0.0) for c in present) / weight


def round_score(raw: float | None) -> float | None:
    """One decimal, half up (the mart snaps to six places first, so 72.2499999999 counts as 72.25)."""
    if raw is None:
        return None
    snapped = Decimal(raw).quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP)
    return float(snapped.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def health_score(components: Sequence[Component], min_weight: float) -> float | None:
    return round_score(raw_score(components, min_weight))


def band(score: float | None, healthy: float, watch: float) -> str | None:
    if score is None:
        return None
    return "healthy" if score >= healthy else "watch" if score >= watch else "at_risk"


# ---------------------------------------------------------------------------------------------- movers


@dataclass(frozen=True)
class Mover:
    """One component's part in a score change: contribution = weight / W × score (0 when NULL)."""

    name: str
    then: Component
    now: Component
    contribution_then: float
    contribution_now: float

    @property
    def change(self) -> float:
        return self.contribution_now - self.contribution_then


def contributions(components: Sequence[Component]) -> dict[str, float]:
    """weight / W × score per component (W = Σ weights of the components with a score; NULL → 0).
    They sum to the unrounded health score (when it is not NULL)."""
    weight = sum(c.weight for c in components if c.present)
    return {c.name: (c.weight / weight * c.start if weight else 0.0) for c in components}


def movers(now: Sequence[Component], then: Sequence[Component]) -> list[Mover]:
    """Each component's contribution change from `then` to `now`, largest absolute change first (ties in
    component order). Σ change = raw score now − raw score then, the re-weighting included: a component
    that gains or loses its metric changes W and so every other contribution too."""
    before, after = contributions(then), contributions(now)
    by_name = {c.name: c for c in then}
    found = [Mover(c.name, by_name[c.name], c, before[c.name], after[c.name]) for c in now]
    order = {c.name: i for i, c in enumerate(now)}
    return sorted(found, key=lambda m: (-round(abs(m.change), 9), order[m.name]))


# ---------------------------------------------------------------------------------------- path to green


@dataclass(frozen=True)
class Step:
    """One component raised (or brought in) to `target_score`; `metric_needed` is the metric rounded
    for display in the direction that still reaches green (up when higher is better, down otherwise)."""

    component: Component
    target_score: float
    metric_needed: float
    brought_in: bool  # the component has no metric now: its weight joins W


@dataclass(frozen=True)
class Single:
    """The path to green through one component alone; `step` None = not reachable by it alone."""

    component: Component
    step: Step | None
    reason: str | None  # why not: "max" (even a score of 100 is not enough), "weight" (no score possible)


@dataclass(frozen=True)
class PathToGreen:
    """`healthy`: already there. `singles`: one entry per component. `pair`: the cheapest two-component
    combination (only looked for when no single component is enough), else None; `best_pair_score`: the
    rounded score the two strongest components together could reach when no pair is enough (None when
    they could not even give a score)."""

    threshold: float
    score: float | None
    healthy: bool
    singles: list[Single]
    pair: tuple[Step, Step] | None
    pair_cost: float | None
    best_pair: tuple[Component, Component] | None
    best_pair_score: float | None


def rounded_metric(x: float, component: Component) -> float:
    """`x` at the component's display decimals, rounded towards "good" so that the shown value still
    reaches the score it stands for (and never beyond good, where the score is capped anyway)."""
    scale = 10 ** METRIC_DECIMALS[component.name]
    if component.higher_is_better:
        value = math.ceil(x * scale - _EPS) / scale
        return min(value, component.good) if x <= component.good else value
    value = math.floor(x * scale + _EPS) / scale
    return max(value, component.good) if x >= component.good else value


def _with_scores(components: Sequence[Component], scores: Mapping[str, float]) -> list[Component]:
    return [replace(c, score=scores[c.name]) if c.name in scores else c for c in components]


def _reaches(components: Sequence[Component], threshold: float, min_weight: float) -> bool:
    score = health_score(components, min_weight)
    return score is not None and score >= threshold


def _step(component: Component, target: float) -> Step:
    target = min(100.0, max(0.0, target))
    needed = rounded_metric(metric_for_score(target, component.bad, component.good), component)
    return Step(component, target, needed, brought_in=not component.present)


def _need(components: Sequence[Component], raised: Sequence[Component], threshold: float) -> float:
    """Weighted score points (Σ weight × Δscore) the `raised` components must add so that the raw score
    reaches threshold − HALF_STEP, with their weights in W (a component brought in starts at score 0)."""
    names = {c.name for c in raised}
    weight = sum(c.weight for c in components if c.present or c.name in names)
    have = sum(c.weight * (c.score or 0.0) for c in components if c.present)
    return (threshold - HALF_STEP) * weight - have


def _single(components: Sequence[Component], c: Component, threshold: float, min_weight: float) -> Single:
    if weight_share(_with_scores(components, {c.name: c.start})) < min_weight:
        return Single(c, None, "weight")
    target = max(c.start, c.start + _need(components, [c], threshold) / c.weight)
    if target > 100.0 + _EPS:
        return Single(c, None, "max")
    step = _step(c, target)
    # The rounded metric's own score: the figure the KAM reads must itself reach green.
    shown = component_score(step.metric_needed, c.bad, c.good)
    if not _reaches(_with_scores(components, {c.name: shown}), threshold, min_weight):
        return Single(c, None, "max")
    return Single(c, step, None)


def _pair(
    components: Sequence[Component], a: Component, b: Component, threshold: float, min_weight: float
) -> tuple[tuple[Step, Step], float] | None:
    """The cheapest way to green with a and b: minimise Δa + Δb (score points) subject to
    wa·Δa + wb·Δb ≥ need; a linear programme whose optimum fills the heavier weight first."""
    start = {c.name: c.start for c in (a, b)}
    if weight_share(_with_scores(components, start)) < min_weight:
        return None
    need = _need(components, [a, b], threshold)
    heavy, light = (a, b) if a.weight >= b.weight else (b, a)
    up_heavy = min(100.0 - start[heavy.name], max(0.0, need / heavy.weight))
    up_light = max(0.0, (need - heavy.weight * up_heavy) / light.weight)
    if start[light.name] + up_light > 100.0 + _EPS:
        return None
    steps = (_step(heavy, start[heavy.name] + up_heavy), _step(light, start[light.name] + up_light))
    shown = {s.component.name: component_score(s.metric_needed, s.component.bad, s.component.good) for s in steps}
    if not _reaches(_with_scores(components, shown), threshold, min_weight):
        return None
    return steps, up_heavy + up_light


def path_to_green(components: Sequence[Component], threshold: float, min_weight: float) -> PathToGreen:
    """For each component, the metric value that ALONE lifts the (rounded) score to `threshold`, i.e. the raw
    score to threshold − 0.05, the others unchanged: score needed = (need / weight) + its score now, where
    need = (threshold − 0.05) × W' − Σ weight × score and W' is W with this component's weight (a component
    without a metric is "brought in": its weight joins W, it starts at score 0). Not reachable alone when
    the score needed is above 100, or when W' / Σ weights stays below `min_weight` (then no score at all).
    The metric needed is the inverse of the linear map, rounded to the metric's display decimals towards
    "good" (up when higher is better, down when lower is better) and checked to still reach green.

    When no single component is enough: the cheapest combination of two. Cost = total component score points
    raised, Σ Δscore (a point is 1 % of the way from bad to good; a component brought in counts from 0).
    For a pair, minimising Δa + Δb under wa·Δa + wb·Δb ≥ need fills the heavier-weighted component first
    (up to 100), then the other; the pair with the lowest cost wins (ties: component order). When no pair is
    enough either, `best_pair` names the two components that together get closest, with the score they reach.
    """
    score = health_score(components, min_weight)
    singles = [_single(components, c, threshold, min_weight) for c in components]
    healthy = score is not None and score >= threshold
    result = PathToGreen(threshold, score, healthy, singles, None, None, None, None)
    if healthy or any(s.step for s in singles):
        return result
    best: tuple[tuple[Step, Step], float] | None = None
    for a, b in combinations(components, 2):
        found = _pair(components, a, b, threshold, min_weight)
        if found and (best is None or found[1] < best[1] - _EPS):
            best = found
    if best:
        return replace(result, pair=best[0], pair_cost=best[1])
    top: tuple[tuple[Component, Component], float] | None = None
    for a, b in combinations(components, 2):
        reached = health_score(_with_scores(components, {a.name: 100.0, b.name: 100.0}), min_weight)
        if reached is not None and (top is None or reached > top[1] + _EPS):
            top = ((a, b), reached)
    return replace(result, best_pair=top[0] if top else None, best_pair_score=top[1] if top else None)
