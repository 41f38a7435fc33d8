"""The explorer state in the URL: every control round-trips, every invalid part is named and the rest applies."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from kamdata.explore.state import Filter, Problem, State, check, from_params, to_params

FULL = State(
    "ticket_sla",
    filters=(
        Filter("city", "in", ("München", "Hamburg, Altona")),
        Filter("created_date", "between", (date(2026, 7, 1), None)),
        Filter("priority", "in", ("~P1", "=x")),
        Filter("resolution_h", "between", (None, 4.5)),
        Filter("site_name", "contains", ("nord",)),
    ),
    group_by=("created_date", "city"),
    grain="quarter",
    measures=("count", "resolution_compliance", "median:resolution_h", "max:created_date", "count_distinct:site_id"),
    sort="resolution_compliance",
    descending=False,
    top=10,
    page=3,
    chart="heatmap",
)


def _round_trip(state: State) -> State:
    back, problems = from_params(to_params(state))
    assert problems == []
    assert back is not None
    return back


def test_full_state_round_trips():
    assert _round_trip(FULL) == FULL


@pytest.mark.parametrize(
    "change",
    [
        {"dataset": "surveys"},
        {"filters": (Filter("priority", "in", ("P1",)),)},
        {"filters": (Filter("resolution_h", "between", (1, 2.25)),)},
        {"filters": (Filter("created_date", "between", (None, date(2026, 11, 30))),)},
        {"filters": (Filter("ticket_id", "contains", ("T",)),)},
        {"group_by": ("priority",)},
        {"grain": "week"},
        {"grain": "day"},
        {"grain": "year"},
        {"measures": ("sum:resolution_h",)},
        {"sort": "ticket_id"},
        {"descending": False},
        {"top": 5},
        {"page": 2},
        {"chart": "bar"},
        {"chart": "line"},
        {"chart": "none"},
    ],
)
def test_each_control_round_trips(change):
    state = replace(State("ticket_sla"), **change)
    assert check(state) == []
    assert _round_trip(state) == state


def test_defaults_stay_out_of_the_url():
    assert to_params(State("tickets")) == {"ds": ["tickets"]}
    assert from_params({}) == (None, [])


def test_unknown_dataset_is_named():
    state, problems = from_params({"ds": ["nope"], "by": ["priority"]})
    assert state is None and problems == [Problem("ds", "nope", "unknown_dataset")]


def test_each_invalid_part_named_rest_applies():
    params = {
        "ds": ["ticket_sla"],
        "f.priority": ["P1"],
        "f.nope": ["x"],
        "f.resolution_h": ["a..b"],
        "f.created_date": ["2026-02-30.."],
        "f.technician_id": ["E1"],  # a person field: not permitted by default
        "by": ["city", "resolution_h", "ticket_id"],
        "grain": ["fortnight"],
        "m": ["count", "sum:city", "avg:resolution_h", "drop"],
        "sort": ["ticket_id"],
        "desc": ["yes"],
        "top": ["-1"],
        "page": ["0"],
        "chart": ["pie"],
    }
    state, problems = from_params(params)
    assert state == State(
        "ticket_sla", filters=(Filter("priority", "in", ("P1",)),), group_by=("city",), measures=("count",)
    )
    assert {(p.key, p.value, p.reason) for p in problems} == {
        ("f.nope", "nope", "unknown_field"),
        ("f.resolution_h", "a..b", "bad_range"),
        ("f.created_date", "2026-02-30..", "bad_range"),
        ("f.technician_id", "technician_id", "unknown_field"),
        ("by", "resolution_h", "not_groupable"),
        ("by", "ticket_id", "not_groupable"),
        ("grain", "fortnight", "bad_value"),
        ("m", "sum:city", "unknown_measure"),
        ("m", "avg:resolution_h", "unknown_measure"),
        ("m", "drop", "unknown_measure"),
        ("sort", "ticket_id", "unknown_sort"),
        ("desc", "yes", "bad_value"),
        ("top", "-1", "bad_value"),
        ("page", "0", "bad_value"),
        ("chart", "pie", "bad_value"),
    }


def test_repeated_single_keys_and_long_values():
    state, problems = from_params({"ds": ["tickets", "alerts"], "f.priority": ["x" * 300, "P1"]})
    assert state is not None and state.dataset == "tickets"
    assert state.filters == (Filter("priority", "in", ("P1",)),)
    assert [(p.key, p.reason) for p in problems] == [("ds", "duplicate"), ("f.priority", "too_long")]
    assert len(problems[1].value) <= 61


def test_check_names_invalid_parts_of_a_state():
    bad = State("ticket_sla", filters=(Filter("city", "between", (1, 2)),), group_by=("x",), measures=("y",), top=0)
    assert {(p.key, p.reason) for p in check(bad)} == {
        ("f.city", "bad_range"),
        ("by", "not_groupable"),
        ("m", "unknown_measure"),
        ("top", "bad_value"),
    }
