"""Injection attempts through every explorer input are inert, and a slow query is interrupted.

Each string of the corpus goes through every URL parameter and every State field: it either yields a
validation problem (InvalidState / a Problem) or it is a bound value that matches nothing. No other
error, no file written, the database file unchanged.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path

import pytest

from kamdata import query
from kamdata.explore import run
from kamdata.explore.sql import InvalidState
from kamdata.explore.state import Filter, State, from_params

NO_FILTERS = {"accounts": None, "service_lines": None, "date_from": None, "date_to": None}
CANARY = Path("/tmp/kam_explorer_injection_canary")
CORPUS = [
    "'",
    '"',
    "''",
    "' or '1'='1",
    '" or "1"="1',
    "x' or 1=1 --",
    "P1' --",
    "P1 -- comment",
    "/* */",
    "P1/**/or/**/1=1",
    "x'; drop table mart_ticket_sla; --",
    'x"; drop table mart_ticket_sla; --',
    "; select 1",
    f"x'; copy (select 1) to '{CANARY}'; --",
    f"copy mart_ticket_sla to '{CANARY}'",
    "read_csv('/etc/passwd')",
    "x' union select * from read_csv('/etc/passwd') --",
    "read_text('/etc/passwd')",
    "glob('*')",
    "(select * from glob('*'))",
    "attach '/tmp/evil.duckdb' as evil",
    "x'; attach '/tmp/evil.duckdb'; --",
    "install httpfs",
    "load httpfs",
    "set enable_external_access = true",
    "pragma database_list",
    "x'); pragma version; --",
    "\uff07 or \uff071\uff07=\uff071",  # fullwidth apostrophes
    "\u201b or 1=1 \u2018",  # single high-reversed-9 and left quotation marks
    "P1\x00'; drop table t; --",
    "\x00",
    "$accounts",
    "?",
    "%",
    "_",
    "..",
    "~'",
    "=",
    "x" * 100_000,
    "P1'" * 30_000,
]
URL_KEYS = ["ds", "by", "grain", "m", "sort", "desc", "top", "page", "chart"]
FILTER_KEYS = ["f.priority", "f.ticket_id", "f.resolution_h", "f.created_date", "f.site_name"]


def _digest(path: Path) -> str:
    return hashlib.sha256(Path(path).resolve().read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def before(app_db):
    """The database's digest before the corpus runs (every corpus test requests it)."""
    return _digest(app_db)


def _run_inert(app_version, state: State, accepted_value: str | None = None) -> None:
    """Run a state: InvalidState is fine; otherwise a filter carrying `accepted_value` matches nothing."""
    try:
        result = run.result(app_version, state, NO_FILTERS, page_size=5)
    except InvalidState as exc:
        assert exc.problems
        return
    if accepted_value is not None:
        assert result.total_rows == 0, state


@pytest.mark.parametrize("evil", CORPUS, ids=range(len(CORPUS)))
def test_url_parameters_are_inert(app_version, before, evil):
    base = {"ds": ["ticket_sla"], "by": ["priority"]}
    for key in URL_KEYS + FILTER_KEYS + ["f." + evil[:200]]:
        params = {**base, key: [evil]} if key != "ds" else {"ds": [evil]}
        state, problems = from_params(params)
        if state is None:
            assert problems and problems[0].key == "ds"
            continue
        accepted = next((f for f in state.filters if f.field == key[2:]), None)
        if accepted is None:
            assert problems or evil in ("..", "="), (key, evil[:40])  # an empty range / value is no filter
        _run_inert(app_version, state, evil if accepted else None)
        assert all(len(p.value) <= 61 for p in problems)


@pytest.mark.parametrize("evil", CORPUS, ids=range(len(CORPUS)))
def test_state_fields_are_inert(app_version, before, evil):
    base = State("ticket_sla", group_by=("priority",))
    for change in (
        {"dataset": evil},
        {"group_by": (evil,)},
        {"grain": evil},
        {"measures": (evil,)},
        {"measures": (f"sum:{evil}",)},
        {"sort": evil},
        {"chart": evil},
        {"filters": (Filter(evil, "in", ("P1",)),)},
        {"filters": (Filter("priority", evil, ("P1",)),)},
        {"filters": (Filter("resolution_h", "between", (evil, None)),)},
        {"filters": (Filter("created_date", "between", (None, evil)),)},
    ):
        with pytest.raises(InvalidState):
            run.result(app_version, replace(base, **change), NO_FILTERS)
    for flt in (Filter("priority", "in", (evil,)), Filter("ticket_id", "contains", (evil,))):
        _run_inert(app_version, replace(base, filters=(flt,)), evil)
    with pytest.raises(InvalidState):
        run.values(app_version, base, evil, NO_FILTERS)


def test_nothing_touched(app_db, app_version, before):
    """After the corpus (this module's other tests): no file written, the database byte-identical."""
    assert not CANARY.exists() and not Path("/tmp/evil.duckdb").exists()
    assert _digest(app_db) == before
    tables = query.run_sql(app_version, "select count(*) as n from duckdb_tables()", {})
    assert tables["n"].iloc[0] > 0


def test_slow_query_is_interrupted_and_the_next_one_works(app_version):
    slow = "select sum(a.range * b.range) as s from range(1000000) as a cross join range(1000000) as b"
    with pytest.raises(query.QueryTimeout):
        query.run_sql(app_version, slow, {}, timeout_s=0.05)
    with pytest.raises(query.QueryTimeout):
        query.run_sql(app_version, slow, {}, scope=("A1",), timeout_s=0.05)
    assert query.run_sql(app_version, "select 42 as x", {}, timeout_s=5)["x"].iloc[0] == 42
    scoped = query.run_sql(app_version, "select count(*) as n from mart_ticket_sla", {}, scope=("A1",))
    assert scoped["n"].iloc[0] == 4
    assert len(run.result(app_version, State("tickets"), NO_FILTERS).frame) == 6
