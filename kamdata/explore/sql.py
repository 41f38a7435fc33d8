"""The explorer's SQL: a select built from a State, with nothing of the user's in its text.

Table expressions, column names and measure formulas come only from the
registry (names quoted), aggregates, grains and operators from fixed lists,
and every value (filter values, bounds, global filters, limit, offset) is a
named bound parameter. A state is checked first (kamdata.explore.state.check):
an invalid one raises InvalidState, it is never "repaired" into SQL.

Without group_by a result is the dataset's rows (all visible fields), paged with
limit/offset; with it, one row per group with the chosen measures. Per-person
workload datasets (registry.suppresses_people) are always grouped (no group_by:
one total row) and a group covering fewer than min_group_size employees is left
out (`count_sql` counts those, so the page can say so).
"""

from __future__ import annotations

from dataclasses import dataclass

from kamdata.explore import registry
from kamdata.explore.registry import Dataset, Field
from kamdata.explore.state import Problem, State, check, measure_field
from kamdata.settings import load_settings, min_group_size

# aggregate -> SQL function over one column (count/count_distinct count non-NULL values)
_AGGREGATE_SQL = {
    "count": "count({})",
    "count_distinct": "count(distinct {})",
    "sum": "sum({})",
    "mean": "avg({})",
    "median": "median({})",
    "min": "min({})",
    "max": "max({})",
}
_PEOPLE = "_people"  # hidden column of count_sql: distinct employees in a group


class InvalidState(ValueError):
    """A state with invalid parts (its `problems`); nothing was built."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(f"{p.key}={p.value!r}: {p.reason}" for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class OutColumn:
    """One result column: its frame name, display kind, and label key ("field.<name>", "measure.<id>",
    "aggregate.<aggregate>:<field>"; `label()` gives the business name)."""

    name: str
    kind: str
    label_key: str

    def label(self, lang: str) -> str:
        kind, _, key = self.label_key.partition(".")
        return registry.label(kind, key, lang)


@dataclass(frozen=True)
class Built:
    """A select and its bound parameters; `row_level` for dataset rows (else groups); `applied` names
    the global filters that apply to the dataset (accounts, service_lines, period)."""

    sql: str
    params: dict
    columns: tuple[OutColumn, ...]
    row_level: bool
    applied: tuple[str, ...]


def page_rows() -> int:
    """Settings [explorer] page_rows."""
    return int(load_settings().get("explorer", {}).get("page_rows", 100))


def _q(name: str) -> str:
    return 'd."' + name.replace('"', '""') + '"'


def _alias(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _field(dataset: Dataset, name: str) -> Field:
    found = registry.field(dataset, name)
    assert found is not None  # check() passed
    return found


def _period(dataset: Dataset, params: dict, global_params: dict) -> str | None:
    if dataset.date_field is None:
        return None
    date_from, date_to = global_params.get("date_from"), global_params.get("date_to")
    if date_from is None and date_to is None:
        return None
    params["g_date_from"], params["g_date_to"] = date_from, date_to
    kind = next(f.kind for f in dataset.fields if f.name == dataset.date_field)
    column = _q(dataset.date_field)
    if kind == "date":
        return f"day_in_period({column}, $g_date_from::date, $g_date_to::date)"
    if kind == "month":
        return f"month_in_period({column}, $g_date_from::date, $g_date_to::date)"
    return f"year_in_period({column}::integer, $g_date_from::date, $g_date_to::date)"


def _where(
    dataset: Dataset, state: State, global_params: dict, skip: str | None = None
) -> tuple[str, dict, tuple[str, ...]]:
    """The where clause (the state's filters but `skip`'s, and the global filters), params, applied globals."""
    conditions: list[str] = []
    params: dict = {}
    applied: list[str] = []
    if "$min_group_size" in dataset.table:
        params["min_group_size"] = min_group_size()
    for key, column in (("accounts", dataset.account_column), ("service_lines", dataset.service_line_column)):
        if column is not None:
            applied.append(key)
            if global_params.get(key) is not None:
                params[f"g_{key}"] = list(global_params[key])
                conditions.append(f"in_filter($g_{key}::varchar[], {_q(column)})")
    period = _period(dataset, params, global_params)
    if dataset.date_field is not None:
        applied.append("period")
    if period:
        conditions.append(period)
    for i, flt in enumerate(state.filters):
        if flt.field == skip:
            continue
        column = _q(flt.field)
        if flt.op == "in":
            params[f"f{i}"] = [str(v) for v in flt.values]
            conditions.append(f"list_contains($f{i}::varchar[], {column}::varchar)")
        elif flt.op == "contains":
            params[f"f{i}"] = str(flt.values[0])
            conditions.append(f"contains(lower({column}::varchar), lower($f{i}::varchar))")
        else:
            cast = "date" if _field(dataset, flt.field).role == "date" else "double"
            for bound, side, op in ((flt.values[0], "lo", ">="), (flt.values[1], "hi", "<=")):
                if bound is not None:
                    params[f"f{i}_{side}"] = bound
                    conditions.append(f"{column} {op} $f{i}_{side}::{cast}")
    where = " where " + " and ".join(conditions) if conditions else ""
    return where, params, tuple(applied)


def _group_expr(found: Field, grain: str) -> tuple[str, str]:
    """SQL and kind of a group key; a date field goes to its grain (quarter "2026-Q3", year "2026")."""
    column = _q(found.name)
    if found.role != "date":
        return column, found.kind
    if grain == "quarter":
        return f"strftime({column}, '%Y') || '-Q' || quarter({column})", "text"
    if grain == "year":
        return f"year({column})::varchar", "text"
    if found.kind == "month" or grain == "month":
        return f"date_trunc('month', {column})::date", "month"
    return (f"date_trunc('week', {column})::date" if grain == "week" else f"{column}::date"), "date"


def _measure(dataset: Dataset, token: str) -> tuple[str, OutColumn]:
    agg, found = measure_field(dataset, token) or ("", None)
    if found is None:
        kpi = registry.measure(dataset, token)
        assert kpi is not None  # check() passed
        return kpi.sql, OutColumn(token, kpi.kind, f"aggregate.{token}" if token == "count" else f"measure.{token}")
    if agg in ("count", "count_distinct"):
        kind = "integer"
    elif agg in ("mean", "median") and found.kind == "integer":
        kind = "number"
    else:
        kind = found.kind
    return _AGGREGATE_SQL[agg].format(_q(found.name)), OutColumn(token, kind, f"aggregate.{token}")


def _grouped(dataset: Dataset, state: State) -> tuple[list[str], list[str], list[OutColumn]]:
    """Select items, group-by expressions and output columns of a grouped result."""
    items: list[str] = []
    groups: list[str] = []
    columns: list[OutColumn] = []
    for name in state.group_by:
        found = _field(dataset, name)
        expr, kind = _group_expr(found, state.grain)
        items.append(f"{expr} as {_alias(name)}")
        groups.append(expr)
        columns.append(OutColumn(name, kind, f"field.{name}"))
    for token in state.measures:
        expr, column = _measure(dataset, token)
        items.append(f"{expr} as {_alias(token)}")
        columns.append(column)
    return items, groups, columns


def _checked(state: State) -> Dataset:
    problems = check(state)
    if problems:
        raise InvalidState(problems)
    return registry.get(state.dataset)


def _people_having(dataset: Dataset, params: dict) -> str:
    if not registry.suppresses_people(dataset):
        return ""
    assert dataset.people_column is not None
    params["min_group_size"] = min_group_size()
    return f" having count(distinct {_q(dataset.people_column)}) >= $min_group_size"


def build(
    state: State,
    global_params: dict,
    page_size: int | None = None,
    *,
    offset: int | None = None,
    limit: int | None = None,
) -> Built:
    """The select for one page of `state` (page_size rows, settings [explorer] page_rows by default), or
    for `limit` rows from `offset` (downloads); never more than state.top rows in all."""
    dataset = _checked(state)
    where, params, applied = _where(dataset, state, global_params)
    size = page_rows() if page_size is None else page_size
    start = (state.page - 1) * size if offset is None else offset
    count = size if limit is None else limit
    if state.top is not None:
        count = max(0, min(count, state.top - start))
    params["limit"], params["offset"] = count, start
    row_level = not state.group_by and not registry.suppresses_people(dataset)
    if row_level:
        fields = registry.fields_of(dataset)
        columns = [OutColumn(f.name, f.kind, f"field.{f.name}") for f in fields]
        select = ", ".join(f"{_q(f.name)} as {_alias(f.name)}" for f in fields)
        order = [] if state.sort is None else [_sort(state.sort, state.descending)]
        if dataset.date_field is not None and state.sort is None:
            order.append(f"{_alias(dataset.date_field)} desc nulls last")
        order += [f"{_alias(f.name)} nulls last" for f in fields]
        body = f"select {select} from {dataset.table} as d{where}"
    else:
        items, groups, out = _grouped(dataset, state)
        columns = out
        group = " group by " + ", ".join(groups) if groups else ""
        having = _people_having(dataset, params)
        body = f"select {', '.join(items)} from {dataset.table} as d{where}{group}{having}"
        keys = [f"{_alias(name)} nulls last" for name in state.group_by]
        if state.sort is not None:
            order = [_sort(state.sort, state.descending), *keys]
        elif state.top is not None:
            order = [_sort(state.measures[0], state.descending), *keys]
        else:
            order = keys
    order_by = " order by " + ", ".join(order) if order else ""
    sql = f"select * from ({body}){order_by} limit $limit offset $offset"
    return Built(sql, params, tuple(columns), row_level, applied)


def _sort(name: str, descending: bool) -> str:
    return f"{_alias(name)} {'desc' if descending else 'asc'} nulls last"


def count_sql(state: State, global_params: dict) -> tuple[str, dict]:
    """A select of (total, suppressed): the result's rows or groups (before top N and paging) and the
    groups left out by the works-council rule."""
    dataset = _checked(state)
    where, params, _ = _where(dataset, state, global_params)
    if not state.group_by and not registry.suppresses_people(dataset):
        return f"select count(*) as total, 0 as suppressed from {dataset.table} as d{where}", params
    groups = [_group_expr(_field(dataset, name), state.grain)[0] for name in state.group_by]
    group = " group by " + ", ".join(groups) if groups else ""
    if not registry.suppresses_people(dataset):
        inner = f"select 1 from {dataset.table} as d{where}{group}"
        return f"select count(*) as total, 0 as suppressed from ({inner})", params
    assert dataset.people_column is not None
    params["min_group_size"] = min_group_size()
    people = f"count(distinct {_q(dataset.people_column)}) as {_PEOPLE}"
    return (
        f"select count(*) filter (where {_PEOPLE} >= $min_group_size) as total, "
        f"count(*) filter (where {_PEOPLE} < $min_group_size) as suppressed "
        f"from (select {people} from {dataset.table} as d{where}{group})",
        params,
    )


def values_sql(state: State, field_name: str, global_params: dict, limit: int) -> tuple[str, dict]:
    """The values of a category/text field with their row counts (most rows first), under the state's
    other filters and the global filters: what a multiselect offers first."""
    dataset = _checked(state)
    found = registry.field(dataset, field_name)
    if found is None or found.role not in ("category", "text"):
        raise InvalidState([Problem("f." + field_name[:60], field_name[:60], "unknown_field")])
    where, params, _ = _where(dataset, state, global_params, skip=field_name)
    params["limit"] = limit
    column = _q(found.name)
    return (
        f"select {column}::varchar as value, count(*) as rows from {dataset.table} as d{where} "
        f"group by 1 order by rows desc, value nulls last limit $limit",
        params,
    )
