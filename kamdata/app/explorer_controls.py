"""The explorer's controls and their state in the URL (PRODUCT.md page 6).

The state is kamdata.explore.state.State; the URL is its `to_params` form (repeated keys, codes only),
so a link reproduces the result in either language. Each run: `sync_from_url` seeds the widgets from
the URL when the URL differs from what this session last wrote (a new session, a shared link, the
back button), the controls are drawn from the session, the State is collected from them and written
back to the URL. An invalid part of a URL is named in a warning (as plain text) and the rest applies.
A URL without any explorer key (a page switch drops them) keeps the session's state.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from kamdata import query
from kamdata.app import explorer_data as xdata
from kamdata.app import formats as fmt
from kamdata.app.i18n import t
from kamdata.explore import registry, run
from kamdata.explore import state as xstate
from kamdata.explore.registry import Dataset, Field
from kamdata.explore.sql import InvalidState
from kamdata.explore.state import Filter, Problem, State

DATASET_KEY = "xp.ds"
SYNCED_KEY = "_xp_url"  # the explorer's URL parameters as this session last wrote or read them
STATE_KEY = "_xp_state"  # the state of the last run (kept over page switches)
PROBLEMS_KEY = "_xp_problems"  # (state parsed from the URL, its problems): shown while that state stands


def widget_key(dataset_id: str, part: str) -> str:
    return f"xp.{dataset_id}.{part}"


def texts(key: str, **fields) -> str:
    return t(f"explorer.page.{key}", **fields)


def field_label(name: str, lang: str) -> str:
    return registry.label("field", name, lang)


def url_params() -> dict[str, list[str]]:
    """The explorer's keys of the URL (the global filters' keys are not ours)."""
    return {
        key: st.query_params.get_all(key)
        for key in st.query_params
        if key in xstate.KEYS or key.startswith(xstate.FILTER_PREFIX)
    }


def sync_from_url() -> None:
    """Seed the controls from the URL when it is not what this session last wrote."""
    session = st.session_state
    params = url_params()
    if DATASET_KEY in session and params == session.get(SYNCED_KEY):
        return
    if not params and session.get(STATE_KEY) is not None:
        parsed, problems = session[STATE_KEY], list[Problem]()
    else:
        parsed, problems = xstate.from_params(params)
    session[PROBLEMS_KEY] = (parsed, problems)
    session[DATASET_KEY] = parsed.dataset if parsed else None
    session[SYNCED_KEY] = params
    if parsed is not None:
        seed(parsed)


def seed(state: State) -> None:
    """Every control of the state's dataset set from `state` (other values of that dataset dropped)."""
    session = st.session_state
    ds = state.dataset
    for name in [k for k in session if str(k).startswith(f"xp.{ds}.")]:
        del session[name]
    session[widget_key(ds, "filters")] = [flt.field for flt in state.filters]
    for flt in state.filters:
        session[widget_key(ds, f"op.{flt.field}")] = flt.op
        if flt.op == "between":
            session[widget_key(ds, f"lo.{flt.field}")], session[widget_key(ds, f"hi.{flt.field}")] = flt.values
        elif flt.op == "contains":
            session[widget_key(ds, f"text.{flt.field}")] = flt.values[0]
        else:
            session[widget_key(ds, f"in.{flt.field}")] = list(flt.values)
    session[widget_key(ds, "by")] = list(state.group_by)
    session[widget_key(ds, "grain")] = state.grain
    session[widget_key(ds, "m")] = list(state.measures)
    session[widget_key(ds, "sort")] = state.sort
    session[widget_key(ds, "desc")] = state.descending
    session[widget_key(ds, "top")] = state.top
    session[widget_key(ds, "page")] = state.page
    session[widget_key(ds, "chart")] = state.chart


def write_url(state: State | None) -> None:
    """The state's parameters into the URL (other explorer keys removed; global filters untouched)."""
    params = xstate.to_params(state) if state is not None else {}
    for key in url_params():
        if key not in params:
            del st.query_params[key]
    for key, values in params.items():
        if st.query_params.get_all(key) != values:
            st.query_params[key] = values
    st.session_state[SYNCED_KEY] = params


def problem_text(problem: Problem) -> str:
    """One invalid URL part in words, its key and value escaped (the visitor's own text, never markdown)."""
    template = t(f"explorer.problem.{problem.reason}")  # its fields are {key} and {value}, t's own argument names
    return template.format(key=fmt.md_escape(problem.key), value=fmt.md_escape(problem.value))


def problems_warning(problems: list[Problem]) -> None:
    """One warning naming every ignored part of the link (the rest applies)."""
    if problems:
        lines = "\n".join(f"- {problem_text(p)}" for p in problems)
        st.warning(f"{texts('invalid')}\n\n{lines}", icon=":material/link_off:")


def dataset_picker(lang: str) -> Dataset | None:
    ids = sorted(registry.DATASETS, key=lambda d: registry.label("dataset", d, lang).casefold())
    chosen = st.selectbox(
        texts("dataset"),
        ids,
        index=None,
        format_func=lambda d: registry.label("dataset", d, lang),
        placeholder=texts("dataset_pick"),
        key=DATASET_KEY,
    )
    if chosen is None:
        return None
    st.caption(registry.label("dataset_description", chosen, lang))
    return registry.get(chosen)


def _default_op(found: Field) -> str:
    return {"category": "in", "text": "contains"}.get(found.role, "between")


def _plain(value) -> int | float | date | None:
    """A number input's value for the state: whole numbers as int (so the URL reads `5`, not `5.0`)."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def _range_filter(dataset: Dataset, found: Field, lang: str) -> Filter | None:
    ds, name = dataset.id, found.name
    lo_key, hi_key = widget_key(ds, f"lo.{name}"), widget_key(ds, f"hi.{name}")
    date_format = "DD.MM.YYYY" if lang == "de" else "YYYY-MM-DD"
    bounds: list[Any] = []
    for column, label, key in zip(
        st.columns(2), (texts("from", field=field_label(name, lang)), texts("to")), (lo_key, hi_key)
    ):
        with column:
            if found.role == "date":
                bounds.append(st.date_input(label, value=None, format=date_format, key=key))
            else:
                bounds.append(st.number_input(label, value=None, key=key))
    low, high = bounds
    if low is None and high is None:
        return None
    return Filter(name, "between", (_plain(low), _plain(high)))


def _values_filter(
    state: State, found: Field, global_params: dict, scope: query.Scope, lang: str, limit: int
) -> Filter | None:
    key = widget_key(state.dataset, f"in.{found.name}")
    chosen = list(st.session_state.get(key) or [])
    try:
        values = xdata.top_values(state, found.name, global_params, scope)
    except (query.QueryTimeout, InvalidState):
        values = pd.DataFrame({"value": [], "rows": []})
    counts = {v: int(n) for v, n in zip(values["value"], values["rows"]) if not fmt.missing(v)}
    options = list(counts) + [v for v in chosen if v not in counts]

    def shown(value: str) -> str:
        text = str(xdata.code_label(found.name, value, lang))
        if value not in counts:
            return text
        return texts("value_count", value=text, count=fmt.integer(counts[value], lang))

    picked = st.multiselect(
        field_label(found.name, lang),
        options,
        format_func=shown,
        key=key,
        placeholder=texts("all_values"),
        help=texts("values_help", n=fmt.integer(limit, lang)),
        accept_new_options=True,
    )
    kept = [str(v) for v in picked if str(v)]
    return Filter(found.name, "in", tuple(dict.fromkeys(kept))) if kept else None


def _contains_filter(dataset: Dataset, found: Field, lang: str) -> Filter | None:
    typed = st.text_input(
        texts("contains", field=field_label(found.name, lang)),
        value="",
        key=widget_key(dataset.id, f"text.{found.name}"),
        max_chars=xstate.MAX_VALUE_LEN,
    )
    return Filter(found.name, "contains", (typed,)) if typed else None


def filter_controls(dataset: Dataset, draft: State, global_params: dict, scope: query.Scope, lang: str) -> list[Filter]:
    """A filter per chosen column by its type; `draft` (the state without filters yet) scopes value counts."""
    ds = dataset.id
    fields = registry.fields_of(dataset)
    names = [f.name for f in fields]
    chosen_key = widget_key(ds, "filters")
    st.session_state[chosen_key] = [n for n in st.session_state.get(chosen_key) or [] if n in names]
    chosen = st.multiselect(
        texts("filter_columns"),
        names,
        format_func=lambda n: field_label(n, lang),
        key=chosen_key,
        placeholder=texts("all_values"),
        help=texts("filter_columns_help"),
    )
    limit = int(run.settings()["top_values"])
    filters: list[Filter] = []
    columns = st.columns(3) if chosen else []
    for i, name in enumerate(chosen):
        found = registry.field(dataset, name)
        assert found is not None
        op = st.session_state.setdefault(widget_key(ds, f"op.{name}"), _default_op(found))
        with columns[i % 3]:
            if op == "between":
                flt = _range_filter(dataset, found, lang)
            elif op == "contains":
                flt = _contains_filter(dataset, found, lang)
            else:
                scope_state = replace(draft, filters=tuple(filters))
                flt = _values_filter(scope_state, found, global_params, scope, lang, limit)
        if flt is not None:
            filters.append(flt)
    return filters


def measure_options(dataset: Dataset) -> list[str]:
    """count, the registry's KPI measures, distinct counts of categories, aggregates over numbers (and
    min/max of dates), in that order."""
    options = ["count", *(m.id for m in dataset.measures)]
    for found in registry.fields_of(dataset):
        if found.role in ("category", "text"):
            options.append(f"count_distinct:{found.name}")
        elif found.role == "number":
            options += [f"{agg}:{found.name}" for agg in ("sum", "mean", "median", "min", "max")]
        elif found.role == "date":
            options += [f"min:{found.name}", f"max:{found.name}"]
    return options


def measure_label(token: str, lang: str) -> str:
    if ":" in token:
        return registry.label("aggregate", token, lang)
    return registry.label("measure", token, lang)


def shape_controls(dataset: Dataset, lang: str) -> tuple[tuple[str, ...], str, tuple[str, ...]]:
    """Group by (with the date grain) and measures."""
    ds = dataset.id
    groupable = [f.name for f in registry.fields_of(dataset) if f.role in ("category", "date")]
    by_key, m_key = widget_key(ds, "by"), widget_key(ds, "m")
    st.session_state[by_key] = [n for n in st.session_state.get(by_key) or [] if n in groupable]
    options = measure_options(dataset)
    st.session_state[m_key] = [m for m in st.session_state.get(m_key) or ["count"] if m in options]
    left, middle, right = st.columns([3, 1, 3])
    with left:
        by = st.multiselect(
            texts("group_by"),
            groupable,
            format_func=lambda n: field_label(n, lang),
            key=by_key,
            max_selections=xstate.MAX_GROUP_BY,
            placeholder=texts("all_values"),
            help=texts("group_by_help"),
        )
    dated = any(registry.field(dataset, n).role == "date" for n in by)  # type: ignore[union-attr]
    with middle:
        st.session_state.setdefault(widget_key(ds, "grain"), "month")
        grain = st.selectbox(
            texts("grain"),
            registry.GRAINS,
            format_func=lambda g: registry.label("grain", g, lang),
            key=widget_key(ds, "grain"),
            disabled=not dated,
        )
    with right:
        measures = st.multiselect(
            texts("measures"),
            options,
            format_func=lambda m: measure_label(m, lang),
            key=m_key,
            max_selections=xstate.MAX_MEASURES,
            placeholder=measure_label("count", lang),
            help=texts("measures_help"),
            disabled=not by and not registry.suppresses_people(dataset),
        )
    return tuple(by), grain, tuple(measures) or ("count",)


def order_controls(dataset: Dataset, draft: State, lang: str) -> tuple[str | None, bool, int | None, str]:
    """Sort column and direction, top N, chart."""
    ds = dataset.id
    columns = xstate.output_columns(dataset, draft)
    sort_key = widget_key(ds, "sort")
    if st.session_state.get(sort_key) not in columns:
        st.session_state[sort_key] = None
    grouped = bool(draft.group_by) or registry.suppresses_people(dataset)
    sort_col, desc_col, top_col, chart_col = st.columns([3, 1.4, 1.2, 2], vertical_alignment="bottom")
    with sort_col:
        sort = st.selectbox(
            texts("sort"),
            list(columns),
            index=None,
            format_func=lambda c: measure_label(c, lang) if c in draft.measures and grouped else field_label(c, lang),
            key=sort_key,
            placeholder=texts("sort_natural"),
        )
    with desc_col:
        st.session_state.setdefault(widget_key(ds, "desc"), True)
        descending = st.toggle(texts("descending"), key=widget_key(ds, "desc"))
    with top_col:
        st.session_state.setdefault(widget_key(ds, "top"), None)
        top = st.number_input(
            texts("top"),
            min_value=1,
            max_value=xstate.MAX_TOP,
            value=None,
            step=1,
            key=widget_key(ds, "top"),
            help=texts("top_help"),
        )
    with chart_col:
        st.session_state.setdefault(widget_key(ds, "chart"), "auto")
        chart = st.selectbox(
            texts("chart"),
            xstate.CHARTS,
            format_func=lambda c: texts(f"charts.{c}"),
            key=widget_key(ds, "chart"),
            disabled=not draft.group_by,
        )
    return sort, bool(descending), int(top) if top is not None else None, chart or "auto"
