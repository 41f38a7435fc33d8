"""Running explorer states through the query core: a page of the result, download chunks, filter values.

Every query goes through kamdata.query.run_sql (the user's scope, locked-down
pooled cursors) with the time limit from settings [explorer] query_timeout_s;
a query over it raises kamdata.query.QueryTimeout and the app keeps serving.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pandas as pd

from kamdata import query
from kamdata.explore import registry, sql
from kamdata.explore.state import State
from kamdata.settings import load_settings

DEFAULTS = {"page_rows": 100, "download_limit_rows": 200_000, "query_timeout_s": 20, "top_values": 200}


def settings() -> dict:
    """Settings [explorer] (page_rows, download_limit_rows, query_timeout_s, top_values)."""
    return {**DEFAULTS, **load_settings().get("explorer", {})}


@dataclass(frozen=True)
class Result:
    """One page of a result: `total_rows` rows or groups in all (after top N), the chart drawn for it,
    `row_level` (dataset rows) or groups, the groups suppressed by the works-council rule, and the
    global filters that apply to the dataset."""

    frame: pd.DataFrame
    total_rows: int
    columns: tuple[sql.OutColumn, ...]
    chart: str
    row_level: bool = False
    suppressed_groups: int = 0
    applied: tuple[str, ...] = ()


def choose_chart(state: State, row_level: bool) -> str:
    """The chart for the result's shape: line over a date group, bar over a category, heatmap for two
    groups; a chosen chart that does not fit the shape falls back to that."""
    if row_level or not state.group_by:
        return "none"
    dataset = registry.get(state.dataset)
    first = registry.field(dataset, state.group_by[0])
    fits = {
        "none": True,
        "bar": len(state.group_by) == 1,
        "line": len(state.group_by) <= 2 and first is not None and first.role == "date",
        "heatmap": len(state.group_by) == 2,
    }
    if fits.get(state.chart):
        return state.chart
    if len(state.group_by) == 2:
        return "heatmap"
    if len(state.group_by) == 1:
        return "line" if fits["line"] else "bar"
    return "none"


def _run(version: query.DbVersion, state: State, text: str, params: dict, scope: query.Scope) -> pd.DataFrame:
    unscoped = registry.get(state.dataset).unscoped
    timeout = float(settings()["query_timeout_s"])
    return query.run_sql(version, text, params, scope, timeout_s=timeout, unscoped=unscoped)


def result(
    version: query.DbVersion,
    state: State,
    global_params: dict,
    scope: query.Scope = None,
    page_size: int | None = None,
) -> Result:
    """The state's page (page_size rows, settings page_rows by default) and its total row count."""
    built = sql.build(state, global_params, page_size or int(settings()["page_rows"]))
    frame = _run(version, state, built.sql, built.params, scope)
    text, params = sql.count_sql(state, global_params)
    counts = _run(version, state, text, params, scope)
    total = int(counts["total"].iloc[0])
    if state.top is not None:
        total = min(total, state.top)
    return Result(
        frame,
        total,
        built.columns,
        choose_chart(state, built.row_level),
        built.row_level,
        int(counts["suppressed"].iloc[0]),
        built.applied,
    )


def chunks(
    version: query.DbVersion,
    state: State,
    global_params: dict,
    scope: query.Scope = None,
    limit: int | None = None,
    chunk_rows: int = 50_000,
) -> Iterator[pd.DataFrame]:
    """The whole result (all pages, at most `limit` rows: settings download_limit_rows by default) in
    frames of chunk_rows rows, for a download that streams."""
    cap = int(settings()["download_limit_rows"]) if limit is None else limit
    offset = 0
    while offset < cap:
        size = min(chunk_rows, cap - offset)
        built = sql.build(state, global_params, offset=offset, limit=size)
        frame = _run(version, state, built.sql, built.params, scope)
        if offset == 0 or not frame.empty:
            yield frame  # the first frame even when empty: it carries the columns
        if len(frame) < size:
            return
        offset += size


def values(
    version: query.DbVersion,
    state: State,
    field: str,
    global_params: dict,
    scope: query.Scope = None,
    limit: int | None = None,
) -> pd.DataFrame:
    """Columns value, rows: the field's values with most rows first (settings top_values by default)."""
    top = int(settings()["top_values"]) if limit is None else limit
    text, params = sql.values_sql(state, field, global_params, top)
    return _run(version, state, text, params, scope)
