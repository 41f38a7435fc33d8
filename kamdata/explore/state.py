"""The explorer's state and its URL form, validated against the registry.

Everything a user can set (dataset, filters, grouping, measures, sort, top N,
page, chart) lives in a frozen State that round-trips through the URL. A URL is
untrusted: every part is checked against the registry and fixed lists, an
invalid part becomes a Problem naming the parameter and the value (the page
translates `explorer.problem.<reason>`), and the rest still applies. Values
themselves are never SQL: kamdata.explore.sql binds them as parameters.

URL keys (lists as repeated keys, so values may contain commas): `ds`,
`f.<field>` (category/text: one value each, `~text` = contains, `=value` = the
literal value when it starts with `~` or `=`; number/date: `from..to`, either
side empty), `by`, `grain`, `m` (`count`, `<aggregate>:<field>`, a KPI measure
id), `sort`, `desc` (1/0), `top`, `page`, `chart`. The global filters' keys are
not touched here.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date

from kamdata.explore import registry
from kamdata.explore.registry import AGGREGATES, GRAINS, Dataset, Field

CHARTS = ("auto", "bar", "line", "heatmap", "none")
OPS = ("in", "between", "contains")
MAX_VALUE_LEN = 200  # a longer URL value is refused (no category, id or search text is this long)
MAX_VALUES = 500  # values of one filter
MAX_GROUP_BY = 3
MAX_MEASURES = 10
MAX_TOP = 100_000
MAX_PAGE = 1_000_000
SHOWN_VALUE_LEN = 60  # how much of an invalid value a Problem repeats
KEYS = ("ds", "by", "grain", "m", "sort", "desc", "top", "page", "chart")
FILTER_PREFIX = "f."
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# Aggregates that need a numeric field, and those that also take dates.
_NUMERIC_AGGREGATES = ("sum", "mean", "median")
_ORDERED_AGGREGATES = ("min", "max")


@dataclass(frozen=True)
class Filter:
    """One filter: `in` (category/text values), `between` (number/date bounds, None = open end), `contains` (text)."""

    field: str
    op: str
    values: tuple


@dataclass(frozen=True)
class State:
    """The explorer state (defaults: row count, by month, descending, first page, automatic chart)."""

    dataset: str
    filters: tuple[Filter, ...] = ()
    group_by: tuple[str, ...] = ()
    grain: str = "month"
    measures: tuple[str, ...] = ("count",)
    sort: str | None = None
    descending: bool = True
    top: int | None = None
    page: int = 1
    chart: str = "auto"


@dataclass(frozen=True)
class Problem:
    """An invalid part of a state or URL: the parameter, the offending value (shortened), a reason id
    (text `explorer.problem.<reason>`, format fields {key} and {value})."""

    key: str
    value: str
    reason: str


def _shown(value: object) -> str:
    text = _CONTROL.sub("?", str(value))
    return text if len(text) <= SHOWN_VALUE_LEN else text[:SHOWN_VALUE_LEN] + "…"


def _clean_text(value: object) -> str | None:
    """A usable text value: a str, not too long, no control characters (NUL included)."""
    if not isinstance(value, str) or len(value) > MAX_VALUE_LEN or _CONTROL.search(value):
        return None
    return value


def output_columns(dataset: Dataset, state: State) -> tuple[str, ...]:
    """The result's column names: the group fields and measures, or every visible field (row level)."""
    if state.group_by or registry.suppresses_people(dataset):
        return state.group_by + state.measures
    return tuple(f.name for f in registry.fields_of(dataset))


def measure_field(dataset: Dataset, token: str) -> tuple[str, Field | None] | None:
    """(aggregate, field) of an `<aggregate>:<field>` measure, ("kpi", None) of a KPI measure; None if invalid."""
    if registry.measure(dataset, token) is not None:
        return "kpi", None
    agg, sep, name = token.partition(":")
    found = registry.field(dataset, name) if sep else None
    if agg not in AGGREGATES or found is None:
        return None
    if agg in _NUMERIC_AGGREGATES and found.role != "number":
        return None
    if agg in _ORDERED_AGGREGATES and found.role not in ("number", "date"):
        return None
    return agg, found


def _check_filter(dataset: Dataset, flt: Filter) -> str | None:
    """The reason a filter is invalid, or None."""
    found = registry.field(dataset, flt.field)
    if found is None:
        return "unknown_field"
    if flt.op == "between":
        if found.role not in ("number", "date") or len(flt.values) != 2:
            return "bad_range"
        wanted = date if found.role == "date" else (int, float)
        for bound in flt.values:
            if bound is None:
                continue
            if isinstance(bound, bool) or not isinstance(bound, wanted):
                return "bad_range"
            if isinstance(bound, float) and not math.isfinite(bound):
                return "bad_range"
        return None
    if flt.op not in ("in", "contains") or found.role not in ("category", "text"):
        return "bad_value"
    if not flt.values or (flt.op == "contains" and len(flt.values) != 1) or len(flt.values) > MAX_VALUES:
        return "bad_value"
    return None if all(_clean_text(v) is not None for v in flt.values) else "bad_value"


def check(state: State) -> list[Problem]:
    """Every invalid part of a state (a state from from_params has none; the page's own may)."""
    if state.dataset not in registry.DATASETS:
        return [Problem("ds", _shown(state.dataset), "unknown_dataset")]
    dataset = registry.get(state.dataset)
    problems = []
    for flt in state.filters:
        reason = _check_filter(dataset, flt)
        if reason:
            problems.append(Problem(FILTER_PREFIX + _shown(flt.field), _shown(flt.values), reason))
    if len(state.group_by) > MAX_GROUP_BY or len(set(state.group_by)) != len(state.group_by):
        problems.append(Problem("by", _shown(",".join(map(str, state.group_by))), "too_many"))
    for name in state.group_by:
        found = registry.field(dataset, name)
        if found is None or found.role not in ("category", "date"):
            problems.append(Problem("by", _shown(name), "not_groupable"))
    if state.grain not in GRAINS:
        problems.append(Problem("grain", _shown(state.grain), "bad_value"))
    if not state.measures or len(state.measures) > MAX_MEASURES or len(set(state.measures)) != len(state.measures):
        problems.append(Problem("m", _shown(",".join(map(str, state.measures))), "too_many"))
    for token in state.measures:
        if not isinstance(token, str) or measure_field(dataset, token) is None:
            problems.append(Problem("m", _shown(token), "unknown_measure"))
    if state.sort is not None and state.sort not in output_columns(dataset, state):
        problems.append(Problem("sort", _shown(state.sort), "unknown_sort"))
    if state.top is not None and (type(state.top) is not int or not 1 <= state.top <= MAX_TOP):
        problems.append(Problem("top", _shown(state.top), "bad_value"))
    if type(state.page) is not int or not 1 <= state.page <= MAX_PAGE:
        problems.append(Problem("page", _shown(state.page), "bad_value"))
    if state.chart not in CHARTS:
        problems.append(Problem("chart", _shown(state.chart), "bad_value"))
    if type(state.descending) is not bool:
        problems.append(Problem("desc", _shown(state.descending), "bad_value"))
    return problems


def _parse_bound(text: str, role: str):
    if text == "":
        return None
    if role == "date":
        return date.fromisoformat(text) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) else _raise()
    number = float(text) if re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?", text) else _raise()
    return int(number) if number.is_integer() and abs(number) < 2**53 else number


def _raise():
    raise ValueError("not a bound")


def _parse_filter(dataset: Dataset, key: str, values: list[str], problems: list[Problem]) -> Filter | None:
    name = key[len(FILTER_PREFIX) :]
    found = registry.field(dataset, name)
    if found is None:
        problems.append(Problem(_shown(key), _shown(name), "unknown_field"))
        return None
    if found.role in ("number", "date"):
        if len(values) > 1:
            problems.append(Problem(_shown(key), _shown(values[1]), "duplicate"))
        raw = values[0]
        low, sep, high = raw.partition("..")
        try:
            if not sep or len(raw) > MAX_VALUE_LEN:
                _raise()
            flt = Filter(name, "between", (_parse_bound(low, found.role), _parse_bound(high, found.role)))
        except ValueError:
            problems.append(Problem(_shown(key), _shown(raw), "bad_range"))
            return None
        return flt if _check_filter(dataset, flt) is None and flt.values != (None, None) else None
    kept: list[str] = []
    search: str | None = None
    for raw in values:
        if _clean_text(raw) is None:
            problems.append(Problem(_shown(key), _shown(raw), "too_long" if len(raw) > MAX_VALUE_LEN else "bad_value"))
        elif raw.startswith("~"):
            if search is not None or kept:
                problems.append(Problem(_shown(key), _shown(raw), "duplicate"))
            elif raw[1:]:
                search = raw[1:]
        elif search is not None:
            problems.append(Problem(_shown(key), _shown(raw), "duplicate"))
        elif len(kept) >= MAX_VALUES:
            problems.append(Problem(_shown(key), _shown(raw), "too_many"))
            break
        else:
            value = raw[1:] if raw.startswith("=") else raw
            if value and value not in kept:
                kept.append(value)
    if search is not None:
        return Filter(name, "contains", (search,))
    return Filter(name, "in", tuple(kept)) if kept else None


def _first(params: Mapping[str, list[str]], key: str, problems: list[Problem]) -> str | None:
    values = params.get(key) or []
    if len(values) > 1:
        problems.append(Problem(key, _shown(values[1]), "duplicate"))
    return values[0] if values else None


def _int(params: Mapping[str, list[str]], key: str, low: int, high: int, problems: list[Problem]) -> int | None:
    raw = _first(params, key, problems)
    if raw is None:
        return None
    if not re.fullmatch(r"\d{1,9}", raw) or not low <= int(raw) <= high:
        problems.append(Problem(key, _shown(raw), "bad_value"))
        return None
    return int(raw)


def from_params(params: Mapping[str, list[str]]) -> tuple[State | None, list[Problem]]:
    """The state a URL describes and its invalid parts (each named; the rest applies). None without a
    known dataset."""
    problems: list[Problem] = []
    ds = _first(params, "ds", problems)
    if ds is None:
        return None, problems
    if ds not in registry.DATASETS:
        return None, [*problems, Problem("ds", _shown(ds), "unknown_dataset")]
    dataset = registry.get(ds)
    state = State(ds)
    filters = []
    for key in sorted(k for k in params if k.startswith(FILTER_PREFIX)):
        values = list(params[key] or [])
        flt = _parse_filter(dataset, key, values, problems) if values else None
        if flt is not None:
            filters.append(flt)
    group_by: list[str] = []
    for name in params.get("by") or []:
        found = registry.field(dataset, name)
        if found is None or found.role not in ("category", "date"):
            problems.append(Problem("by", _shown(name), "not_groupable"))
        elif name in group_by or len(group_by) >= MAX_GROUP_BY:
            problems.append(Problem("by", _shown(name), "too_many"))
        else:
            group_by.append(name)
    grain = _first(params, "grain", problems)
    if grain is not None and grain not in GRAINS:
        problems.append(Problem("grain", _shown(grain), "bad_value"))
        grain = None
    measures: list[str] = []
    for token in params.get("m") or []:
        if _clean_text(token) is None or measure_field(dataset, token) is None:
            problems.append(Problem("m", _shown(token), "unknown_measure"))
        elif token in measures or len(measures) >= MAX_MEASURES:
            problems.append(Problem("m", _shown(token), "too_many"))
        else:
            measures.append(token)
    state = replace(
        state,
        filters=tuple(filters),
        group_by=tuple(group_by),
        grain=grain or state.grain,
        measures=tuple(measures) or state.measures,
    )
    sort = _first(params, "sort", problems)
    if sort is not None and sort not in output_columns(dataset, state):
        problems.append(Problem("sort", _shown(sort), "unknown_sort"))
        sort = None
    desc = _first(params, "desc", problems)
    if desc is not None and desc not in ("0", "1"):
        problems.append(Problem("desc", _shown(desc), "bad_value"))
        desc = None
    chart = _first(params, "chart", problems)
    if chart is not None and chart not in CHARTS:
        problems.append(Problem("chart", _shown(chart), "bad_value"))
        chart = None
    state = replace(
        state,
        sort=sort,
        descending=state.descending if desc is None else desc == "1",
        top=_int(params, "top", 1, MAX_TOP, problems),
        page=_int(params, "page", 1, MAX_PAGE, problems) or 1,
        chart=chart or state.chart,
    )
    return state, problems


def _bound(value) -> str:
    return "" if value is None else value.isoformat() if isinstance(value, date) else repr(value)


def _in_value(value: str) -> str:
    return "=" + value if value.startswith(("~", "=")) else value


def to_params(state: State) -> dict[str, list[str]]:
    """The URL parameters of a state (defaults left out, so a fresh explorer link stays short)."""
    default = State(state.dataset)
    params: dict[str, list[str]] = {"ds": [state.dataset]}
    for flt in state.filters:
        key = FILTER_PREFIX + flt.field
        if flt.op == "between":
            params[key] = [f"{_bound(flt.values[0])}..{_bound(flt.values[1])}"]
        elif flt.op == "contains":
            params[key] = ["~" + str(flt.values[0])]
        else:
            params[key] = [_in_value(str(v)) for v in flt.values]
    if state.group_by:
        params["by"] = list(state.group_by)
    if state.grain != default.grain:
        params["grain"] = [state.grain]
    if state.measures != default.measures:
        params["m"] = list(state.measures)
    if state.sort is not None:
        params["sort"] = [state.sort]
    if state.descending != default.descending:
        params["desc"] = ["1" if state.descending else "0"]
    if state.top is not None:
        params["top"] = [str(state.top)]
    if state.page != default.page:
        params["page"] = [str(state.page)]
    if state.chart != default.chart:
        params["chart"] = [state.chart]
    return params
