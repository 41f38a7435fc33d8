"""The review's health section: the maths (what moved it, path to green) worked out by hand, the section
on the app fixture database against the marts, and both languages rendered.

Default parameters (KPIS.md), used by every hand-worked case below:
    component     weight  bad   good
    sla           0.25    80    98
    satisfaction  0.20   −20    50
    relationship  0.15    60    14   (bad > good: fewer days are better)
    commitments   0.15    60    95
    commercial    0.15   −10    10
    team          0.10   130   100   (bad > good)
Green = rounded score ≥ 70, i.e. raw score ≥ 69.95.
"""

from __future__ import annotations

import math
from dataclasses import replace

import duckdb
import pytest

from kamdata.review import health as h

PARAMS = {
    "health_min_weight": 0.5,
    "health_band_healthy": 70.0,
    "health_band_watch": 50.0,
    **{
        f"health_components_{name}_{key}": value
        for name, (weight, bad, good) in {
            "sla": (0.25, 80, 98),
            "satisfaction": (0.20, -20, 50),
            "relationship": (0.15, 60, 14),
            "commitments": (0.15, 60, 95),
            "commercial": (0.15, -10, 10),
            "team": (0.10, 130, 100),
        }.items()
        for key, value in (("weight", weight), ("bad", bad), ("good", good))
    },
}


def comps(**scores: float | None) -> list[h.Component]:
    """The six components with the given scores (None = metric NULL); the metric is the score's inverse."""
    row: dict = {}
    for name in h.NAMES:
        score = scores[name]
        row[f"{name}_score"] = score
        bad, good = PARAMS[f"health_components_{name}_bad"], PARAMS[f"health_components_{name}_good"]
        row[h.METRIC_COLUMNS[name]] = None if score is None else h.metric_for_score(score, bad, good)
    return h.components_from(row, PARAMS)


def single(path: h.PathToGreen, name: str) -> h.Single:
    return next(s for s in path.singles if s.component.name == name)


def test_component_score_and_its_inverse_also_when_bad_is_above_good():
    # relationship: (60 − 37) / (14 − 60) = 23 / −46 → clamp(−0.5) = 0; (60 − 37) / 46 = 0.5 the right way
    assert h.component_score(37, 60, 14) == pytest.approx(50.0)
    assert h.metric_for_score(50.0, 60, 14) == pytest.approx(37.0)
    assert h.component_score(200, 130, 100) == 0.0  # team far above bad
    assert h.component_score(99, 80, 98) == 100.0  # sla beyond good


def test_health_rounds_half_up_and_exactly_half_the_weight_still_scores():
    # sla .25 + commitments .15 + team .10 = exactly 0.5 → a score (strict rule)
    parts = comps(sla=50, satisfaction=None, relationship=0, commitments=None, commercial=None, team=None)
    # that is sla .25 + relationship .15 = 0.40 < 0.5 → NULL
    assert h.health_score(parts, 0.5) is None
    parts = comps(sla=50, satisfaction=None, relationship=0, commitments=None, commercial=None, team=100)
    # .25 + .15 + .10 = 0.5 → (12.5 + 0 + 10) / 0.5 = 45.0
    assert h.health_score(parts, 0.5) == 45.0
    assert h.round_score(72.2499999999) == 72.3  # snapped to 72.25 first, then half up
    assert h.band(69.9, 70, 50) == "watch" and h.band(70.0, 70, 50) == "healthy" and h.band(None, 70, 50) is None


def test_path_one_component_enough():
    # scores sla 20, the rest 80: raw = .25·20 + .75·80 = 5 + 60 = 65.0 (watch). Need 69.95 − 65 = 4.95 weighted.
    # sla: Δ = 4.95 / .25 = 19.8 → score 39.8 → x = 80 + .398·18 = 87.164 → up to 87.2 (score 40.0 → raw 70.0).
    # satisfaction: Δ = 4.95 / .2 = 24.75 → 104.75 > 100: not alone; .15 ones: Δ 33 → 113; team Δ 49.5 → 129.5.
    path = h.path_to_green(
        comps(sla=20, satisfaction=80, relationship=80, commitments=80, commercial=80, team=80), 70, 0.5
    )
    assert path.score == 65.0 and not path.healthy
    sla = single(path, "sla")
    assert sla.step is not None
    assert sla.step.target_score == pytest.approx(39.8)
    assert sla.step.metric_needed == 87.2
    assert [s.component.name for s in path.singles if s.step] == ["sla"]
    assert {s.reason for s in path.singles if not s.step} == {"max"}
    assert path.pair is None  # one is enough: no pair looked for


def test_path_lower_is_better_rounds_down():
    # relationship 10, the rest 70: raw = .85·70 + .15·10 = 59.5 + 1.5 = 61.0; need 8.95.
    # relationship: Δ = 8.95 / .15 = 59.667 → 69.667 → days = 60 − .69667·46 = 27.95 → DOWN to 27
    # (score (60 − 27) / 46 = 71.74 → raw 59.5 + 10.76 = 70.26 → 70.3, green; 28 days would not: below).
    # sla Δ 35.8 → 105.8, satisfaction Δ 44.75 → 114.75, commitments/commercial 129.7, team Δ 89.5: none alone.
    path = h.path_to_green(
        comps(sla=70, satisfaction=70, relationship=10, commitments=70, commercial=70, team=70), 70, 0.5
    )
    assert path.score == 61.0
    rel = single(path, "relationship")
    assert rel.step is not None and rel.step.metric_needed == 27
    assert [s.component.name for s in path.singles if s.step] == ["relationship"]
    with_28 = comps(sla=70, satisfaction=70, relationship=h.component_score(28, 60, 14), commitments=70,
                    commercial=70, team=70)  # fmt: skip
    assert h.health_score(with_28, 0.5) == 69.9  # 59.5 + .15·(32 / 46 · 100 = 69.565) = 69.935 → 69.9


def test_path_none_alone_cheapest_pair_fills_the_heavier_first():
    # all six at 50: raw 50.0; need 19.95. Alone: sla Δ 79.8 → 129.8, satisfaction Δ 99.75 → 149.75, worse for
    # the rest: none. Pairs (heavier filled first, to 100):
    #   sla + satisfaction: sla +50 → 12.5 weighted, rest 7.45 / .2 = 37.25 → cost 50 + 37.25 = 87.25
    #   sla + a .15 one:    12.5, rest 7.45 / .15 = 49.67 → cost 99.67;  sla + team: 7.45 / .1 = 74.5 → 124.5
    #   satisfaction + a .15 one: 10, rest 9.95 / .15 = 66.3 → 116.3 > 100: not possible
    # → sla to 100 (x = good = 98.0) and satisfaction to 87.25: NPS = −20 + .8725·70 = 41.075 → up to 42
    # (score 62 / 70 = 88.57 → raw 25 + 17.71 + .55·50 = 70.21 → 70.2).
    path = h.path_to_green(
        comps(sla=50, satisfaction=50, relationship=50, commitments=50, commercial=50, team=50), 70, 0.5
    )
    assert not any(s.step for s in path.singles)
    assert path.pair is not None
    first, second = path.pair
    assert (first.component.name, second.component.name) == ("sla", "satisfaction")
    assert first.target_score == pytest.approx(100.0) and first.metric_needed == 98.0
    assert second.target_score == pytest.approx(87.25) and second.metric_needed == 42
    assert path.pair_cost == pytest.approx(87.25)


def test_path_component_na_weights_renormalise():
    # sla NULL: W = .75, Σ w·s = .2·80 + .15·80 + .15·80 + .15·40 + .1·40 = 16 + 12 + 12 + 6 + 4 = 50
    # → raw 50 / .75 = 66.67 → 66.7 (watch). need(W = .75) = 69.95·.75 − 50 = 2.4625.
    #   satisfaction: Δ 2.4625 / .2 = 12.3125 → 92.3125 → NPS −20 + .923125·70 = 44.62 → up to 45
    #   commercial:   Δ 16.4167 → 56.4167 → −10 + .564167·20 = 1.283 → up to 1.3
    #   relationship: 96.4167 → 60 − .964167·46 = 15.65 days → down to 15
    #   team:         Δ 24.625 → 64.625 → 130 − .64625·30 = 110.61 → down to 110.6
    #     (score 19.4 / 30 = 64.67 → (50 + 2.467) / .75 = 69.956 → 70.0: green on the rounded score)
    #   sla brought in: W' = 1.0, need = 69.95 − 50 = 19.95 → score 79.8 → 80 + .798·18 = 94.36 → up to 94.4
    #     (the re-normalisation: its weight joins W, so it must beat the others' average to lift the score)
    path = h.path_to_green(
        comps(sla=None, satisfaction=80, relationship=80, commitments=80, commercial=40, team=40), 70, 0.5
    )
    assert path.score == 66.7
    needed = {s.component.name: s.step.metric_needed for s in path.singles if s.step}
    assert needed == {"sla": 94.4, "satisfaction": 45, "relationship": 15, "commitments": 93.8, "commercial": 1.3,
                      "team": 110.6}  # fmt: skip
    # commitments: 96.4167 → 60 + .964167·35 = 93.75 → up to 93.8
    sla = single(path, "sla").step
    assert sla is not None and sla.brought_in and sla.target_score == pytest.approx(79.8)


def test_path_health_null_below_min_weight():
    # only satisfaction (.2, score 0) and relationship (.15, never: score 0): share .35 < .5 → no score.
    #   raising satisfaction or relationship keeps the share at .35: "weight"; team brought in: .45: "weight"
    #   sla brought in: share .6, need 69.95·.6 − 0 = 41.97 → score 167.9: "max"
    #   commitments brought in: share exactly .5 (strict rule: scores), need 34.975 / .15 = 233: "max"
    # Pairs: sla + satisfaction: share .6, sla 100 → 25, rest 16.97 / .2 = 84.85 → cost 184.85
    #        satisfaction + commitments: share .5, satisfaction 100 → 20, rest 14.975 / .15 = 99.83 → cost 199.83
    #        sla + relationship: 16.97 / .15 = 113 > 100; sla + commitments: share .75, need 52.46 − 25 = 27.46 / .15
    #        = 183 > 100; pairs with team only: share ≤ .55 and far short.
    # → sla brought in at 100 (98.0 %) and NPS to −20 + .8485·70 = 39.395 → up to 40.
    parts = comps(sla=None, satisfaction=0, relationship=0, commitments=None, commercial=None, team=None)
    parts = [replace(c, metric=None, never=True) if c.name == "relationship" else c for c in parts]
    path = h.path_to_green(parts, 70, 0.5)
    assert path.score is None and not path.healthy
    reasons = {s.component.name: s.reason for s in path.singles}
    assert reasons == {"sla": "max", "satisfaction": "weight", "relationship": "weight", "commitments": "max",
                       "commercial": "max", "team": "weight"}  # fmt: skip
    assert path.pair is not None
    first, second = path.pair
    assert (first.component.name, first.brought_in, first.metric_needed) == ("sla", True, 98.0)
    assert (second.component.name, second.metric_needed) == ("satisfaction", 40)
    assert path.pair_cost == pytest.approx(184.85)


def test_path_already_healthy_and_unreachable_with_two():
    assert h.path_to_green(comps(sla=70, satisfaction=70, relationship=70, commitments=70, commercial=70, team=70),
                           70, 0.5).healthy  # fmt: skip
    # all at 0: raw 0; the best two (sla + satisfaction at 100) give 25 + 20 = 45.0 → no pair, best 45.0
    path = h.path_to_green(comps(sla=0, satisfaction=0, relationship=0, commitments=0, commercial=0, team=0), 70, 0.5)
    assert path.pair is None
    assert path.best_pair is not None and [c.name for c in path.best_pair] == ["sla", "satisfaction"]
    assert path.best_pair_score == 45.0


def test_movers_hand_worked_sum_to_the_change():
    # then: sla 80, sat 60, rel 40, com 50, commercial NULL, team 100: W .85, Σ = 20 + 12 + 6 + 7.5 + 10 = 55.5
    #   contributions /.85: sla 23.529, sat 14.118, rel 7.059, com 8.824, commercial 0, team 11.765 (raw 65.294)
    # now: same but sat 30, commercial 50: W 1, contributions sla 20, sat 6, rel 6, com 7.5, commercial 7.5, team 10
    #   (raw 57.0). Changes: sat −8.118, commercial +7.5, sla −3.529, team −1.765, com −1.324, rel −1.059
    #   Σ = −8.294 = 57 − 65.294.
    then = comps(sla=80, satisfaction=60, relationship=40, commitments=50, commercial=None, team=100)
    now = comps(sla=80, satisfaction=30, relationship=40, commitments=50, commercial=50, team=100)
    found = h.movers(now, then)
    assert [m.name for m in found] == ["satisfaction", "commercial", "sla", "team", "commitments", "relationship"]
    assert [round(m.change, 3) for m in found] == [-8.118, 7.5, -3.529, -1.765, -1.324, -1.059]
    assert sum(m.change for m in found) == pytest.approx(57 - 55.5 / 0.85)
    assert sum(m.change for m in found) == pytest.approx(h.raw_score(now, 0.5) - h.raw_score(then, 0.5))


def _params(db) -> dict:
    return _rows(db, "select * from kpi_params")[0]


def _rows(db, sql: str) -> list[dict]:
    """Rows by direct SQL on the database file (opened and closed here, so the query core can open it)."""
    con = duckdb.connect(str(db.resolve()), read_only=True)
    try:
        return con.sql(sql).df().to_dict("records")
    finally:
        con.close()


@pytest.fixture(scope="module")
def demo_like(tmp_path_factory):
    """The small generated demo (kamdata.demo), built as of 2026-12-04: every account's current and history
    rows (about 20 s, once per module)."""
    from datetime import date

    from kamdata.build.runner import run_build
    from kamdata.demo.generate import generate

    root = tmp_path_factory.mktemp("health-demo")
    generate(root / "export", scale="small", seed=7, as_of=date(2026, 12, 4))
    run_build(root / "export", root / "db" / "kam.duckdb", as_of=date(2026, 12, 4))
    return root / "db" / "kam.duckdb"


def test_movers_sum_to_the_score_change_on_demo_data(demo_like):
    con = demo_like
    params = _params(con)
    rows = _rows(con, "select * from mart_account_health_history union all by name select * from mart_account_health")
    by_account: dict[str, list[dict]] = {}
    for row in rows:
        by_account.setdefault(row["account_id"], []).append(row)
    compared = 0
    for history in by_account.values():
        history.sort(key=lambda r: r["as_of"])
        now = history[-1]
        for then in history[:-1]:
            parts_now, parts_then = h.components_from(now, params), h.components_from(then, params)
            raw_now, raw_then = h.raw_score(parts_now, 0.5), h.raw_score(parts_then, 0.5)
            # the maths reproduces the mart's rounded scores
            assert h.round_score(raw_now) == (None if _nan(now["health_score"]) else now["health_score"])
            assert h.round_score(raw_then) == (None if _nan(then["health_score"]) else then["health_score"])
            if raw_now is None or raw_then is None:
                continue
            total = sum(m.change for m in h.movers(parts_now, parts_then))
            # exactly the unrounded change (Σ contributions from the component scores) ...
            assert total == pytest.approx(raw_now - raw_then, abs=1e-9)
            # ... and the mart's rounded scores within their rounding (0.1)
            assert abs(total - (now["health_score"] - then["health_score"])) <= 0.1 + 1e-9
            compared += 1
    assert compared > 100  # 20 accounts × 12 month-ends, minus NULL scores


def _nan(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _ctx(version, account_id: str, lang: str):
    from kamdata import query
    from kamdata.review.context import Context

    return Context(version, account_id, lang, None, query.run(version, "kpi_params", {}, None).iloc[0])


def test_section_equals_the_marts_on_the_app_fixture(app_version, app_db):
    from kamdata.review import health_section

    con = app_db
    for account in ("A1", "A2"):
        mart = _rows(con, f"select * from mart_account_health where account_id = '{account}'")[0]
        history = _rows(con, f"select * from mart_account_health_history where account_id = '{account}' order by as_of")
        section = health_section.section(_ctx(app_version, account, "en"))
        assert section.key == "health"
        score = section.figure("health_score")
        assert (score.value is None and _nan(mart["health_score"])) or score.value == mart["health_score"]
        assert score.kind == "score" and score.window == "as of 2026-11-26"
        table = section.table("components").frame
        for name, row in zip(h.NAMES, table.to_dict("records"), strict=True):
            for got, want in (
                (row["score"], mart[f"{name}_score"]),
                (row["metric_value"], mart[h.METRIC_COLUMNS[name]]),
            ):
                assert (_nan(got) and _nan(want)) or got == pytest.approx(want)
        chart = section.charts[0]
        assert chart.key == "history"
        (values,) = [d for d in chart.spec["datasets"].values() if "series" in d[0]]
        scores = [v for v in values if v["series"] == "Health score"]
        assert [v["as_of"][:10] for v in scores] == [str(r["as_of"])[:10] for r in history] + ["2026-11-26"]
        assert [v["value"] for v in scores] == [
            None if _nan(r["health_score"]) else r["health_score"] for r in history
        ] + [None if _nan(mart["health_score"]) else mart["health_score"]]


def test_section_path_to_green_on_the_app_fixture(app_version):
    from kamdata.review import health_section

    # A1: sla 0 (33.3 %), satisfaction 100, relationship 100, the other three without data: W = .6,
    # Σ = 0 + 20 + 15 = 35 → 58.3 (watch); need = 69.95·.6 − 35 = 6.97 → sla Δ 27.88 → 80 + .2788·18 = 85.02
    # → up to 85.1 %. Satisfaction and relationship are at 100 already; commitments brought in: W' .75,
    # (52.46 − 35) / .15 = 116 > 100; commercial the same; team: W' .7, (48.97 − 35) / .1 = 140 > 100.
    section = health_section.section(_ctx(app_version, "A1", "en"))
    path = section.table("path_to_green").frame
    assert path["needed_value"].tolist()[0] == 85.1
    assert path["reachable"].tolist() == [True, False, False, False, False, False]
    assert "SLA alone: resolution compliance from 33.3% to at least 85.1%." in section.texts
    # The history has no score 3 and 12 months before the end of November (30.08/30.11.2025: only .15 weight)
    assert "No comparison with 2026-08-31: there was no score then (insufficient data)." in section.texts
    assert "No comparison with 2025-11-30: there was no score then (insufficient data)." in section.texts
    # A2: no score (satisfaction .2 and relationship .15 "never" = .35 < .5): the hand-worked pair of
    # test_path_health_null_below_min_weight: sla brought in at 98.0 % and NPS from −100 to 40.
    a2 = health_section.section(_ctx(app_version, "A2", "de"))
    assert a2.figure("health_score").value is None
    assert a2.table("components").frame["metric"].tolist()[2] == "nie"
    pair = (
        "Am wenigsten Aufwand zu zweit: Lösungsquote von k. A. auf mindestens 98,0 % "
        "und NPS von -100 auf mindestens 40."
    )
    assert pair in a2.texts


def test_section_movers_in_words_on_demo_data(demo_like):
    from kamdata import query
    from kamdata.review import health_section

    con = demo_like
    version = query.current_version(demo_like)
    for account in ("A0001", "A0005"):
        then = _rows(
            con, f"select * from mart_account_health_history where account_id = '{account}' and as_of = '2026-09-30'"
        )[0]
        now = _rows(con, f"select * from mart_account_health where account_id = '{account}'")[0]
        ctx = _ctx(version, account, "en")
        texts = health_section.section(ctx).texts
        scores = f"score {then['health_score']:.1f} → {now['health_score']:.1f}"
        title = f"What moved it: since 2026-09-30 (3 months ago), {scores}"
        assert title in texts
        lines = texts[texts.index(title) + 1 :]
        parts = [h.components_from(r, _params(con)) for r in (now, then)]
        expected = [m for m in h.movers(*parts) if round(abs(m.change), 1)]
        for mover, line in zip(expected, lines, strict=False):
            sign = "\u2212" if mover.change < 0 else "+"
            assert line.startswith(f"{health_section.text(f'review_health.components.{mover.name}', 'en')} {sign}")
            assert f"{abs(mover.change):.1f} points: " in line
        cover = health_section.cover(ctx)
        assert cover[0] == title and cover[1:4] == lines[:3]


@pytest.mark.parametrize("lang", ["de", "en"])
@pytest.mark.parametrize("account", ["A1", "A2"])
def test_both_languages_render(app_version, account, lang):
    from kamdata.review import health_section

    ctx = _ctx(app_version, account, lang)
    section = health_section.section(ctx)
    words = [*section.texts, *health_section.cover(ctx), section.title, *(c.title for c in section.charts)]
    for table in section.tables:
        words += [table.title, table.window, table.note or "", *(c.label for c in table.columns)]
        words += [str(v) for v in table.shown().to_numpy().ravel()]
    assert words and all(w and "review_health." not in w and "{" not in w for w in words if w != "")
