"""The explorer page's widgets (PRODUCT.md page 6): controls, their state in the URL, result, chart, downloads.

The state is kamdata.explore.state.State; the URL is its `to_params` form (repeated keys, codes only),
so a link reproduces the result in either language. Each run: `sync_from_url` seeds the widgets from
the URL when the URL differs from what this session last wrote (a new session, a shared link, the
back button), the controls are drawn from the session, the State is collected from them and written
back to the URL. An invalid part of a URL is named in a warning (as plain text) and the rest applies.
A URL without any explorer key (a page switch drops them) keeps the session's state.

Queries go through kamdata.explore.run (registry identifiers only, values bound, the user's scope, a
time limit); results are cached per (database version, URL form of the state, global filters, scope).
"""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from kamdata import query
from kamdata.app import db, review_view, widgets
from kamdata.app import formats as fmt
from kamdata.app.charts import explorer as charts
from kamdata.app.filters import Filters, account_labels
from kamdata.app.i18n import current_language, t
from kamdata.explore import registry, run
from kamdata.explore import state as xstate
from kamdata.explore.registry import Dataset, Field
from kamdata.explore.sql import InvalidState, OutColumn
from kamdata.explore.state import Filter, Problem, State
from kamdata.review.model import Column, Table, display

DATASET_KEY = "xp.ds"
SYNCED_KEY = "_xp_url"  # the explorer's URL parameters as this session last wrote or read them
STATE_KEY = "_xp_state"  # the state of the last run (kept over page switches)
PROBLEMS_KEY = "_xp_problems"  # (state parsed from the URL, its problems): shown while that state stands
CHART_ROWS = 200  # the chart draws at most the page's rows; a note says so when the result has more
DOWNLOAD_CHUNK_ROWS = 50_000


# Fields holding codes the app translates (kamdata/app/texts/labels.toml kinds): shown and downloaded
# under their labels ("Technisches FM"); the URL and the filters keep the code.
CODE_LABELS = {
    "service_line": "service_line",
    "category": "category",
    "region": "region",
    "industry": "industry",
    "department": "department",
    "channel": "channel",
    "stage": "stage",
    "initiated_by": "initiator",
}


def code_label(field: str, value, lang: str):
    """A code of `field` in the app language (unknown codes and other fields unchanged)."""
    kind = CODE_LABELS.get(field)
    return fmt.known_label(kind, value, lang) if kind else value


def labelled(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The frame with its code columns as labels (for the table, the chart and the files)."""
    codes = [c for c in frame.columns if c in CODE_LABELS]
    if not codes:
        return frame
    return frame.assign(**{c: [code_label(c, v, lang) for v in frame[c]] for c in codes})


def _key(dataset_id: str, part: str) -> str:
    return f"xp.{dataset_id}.{part}"


def _texts(key: str, **fields) -> str:
    return t(f"explorer.page.{key}", **fields)


def field_label(name: str, lang: str) -> str:
    return registry.label("field", name, lang)


# ---- URL <-> session --------------------------------------------------------------------------


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
    session[_key(ds, "filters")] = [flt.field for flt in state.filters]
    for flt in state.filters:
        session[_key(ds, f"op.{flt.field}")] = flt.op
        if flt.op == "between":
            session[_key(ds, f"lo.{flt.field}")], session[_key(ds, f"hi.{flt.field}")] = flt.values
        elif flt.op == "contains":
            session[_key(ds, f"text.{flt.field}")] = flt.values[0]
        else:
            session[_key(ds, f"in.{flt.field}")] = list(flt.values)
    session[_key(ds, "by")] = list(state.group_by)
    session[_key(ds, "grain")] = state.grain
    session[_key(ds, "m")] = list(state.measures)
    session[_key(ds, "sort")] = state.sort
    session[_key(ds, "desc")] = state.descending
    session[_key(ds, "top")] = state.top
    session[_key(ds, "page")] = state.page
    session[_key(ds, "chart")] = state.chart


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
        st.warning(f"{_texts('invalid')}\n\n{lines}", icon=":material/link_off:")


# ---- cached queries -----------------------------------------------------------------------------


def _frozen(params: dict) -> tuple:
    return tuple(sorted((k, tuple(v) if isinstance(v, (list, tuple)) else v) for k, v in params.items()))


def _state_key(state: State) -> tuple:
    """The state's URL form, with the settings that shape a result (page size, works-council rule)."""
    rules = (run.settings()["page_rows"], registry.per_person_allowed(), registry.min_group_size())
    return (_frozen(xstate.to_params(state)), rules)


@st.cache_data(show_spinner=False, max_entries=300)
def _cached_result(
    version: query.DbVersion, state_key: tuple, global_key: tuple, scope: query.Scope, _state: State, _global: dict
) -> run.Result:
    return run.result(version, _state, _global, scope, int(run.settings()["page_rows"]))


@st.cache_data(show_spinner=False, max_entries=1000)
def _cached_values(
    version: query.DbVersion,
    state_key: tuple,
    field: str,
    global_key: tuple,
    scope: query.Scope,
    _state: State,
    _global: dict,
) -> pd.DataFrame:
    return run.values(version, _state, field, _global, scope)


def result(state: State, global_params: dict, scope: query.Scope) -> run.Result:
    """The state's page of results (cached; raises QueryTimeout, InvalidState)."""
    key = _state_key(state)
    return _cached_result(db.current_version(), key, _frozen(global_params), scope, state, global_params)


def top_values(state: State, field: str, global_params: dict, scope: query.Scope) -> pd.DataFrame:
    """value, rows of a category field under the other filters, most rows first (settings top_values)."""
    others = replace(state, filters=tuple(f for f in state.filters if f.field != field), page=1, sort=None)
    key = _state_key(others)
    return _cached_values(db.current_version(), key, field, _frozen(global_params), scope, others, global_params)


# ---- controls -------------------------------------------------------------------------------------


def dataset_picker(lang: str) -> Dataset | None:
    ids = sorted(registry.DATASETS, key=lambda d: registry.label("dataset", d, lang).casefold())
    chosen = st.selectbox(
        _texts("dataset"),
        ids,
        index=None,
        format_func=lambda d: registry.label("dataset", d, lang),
        placeholder=_texts("dataset_pick"),
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
    lo_key, hi_key = _key(ds, f"lo.{name}"), _key(ds, f"hi.{name}")
    date_format = "DD.MM.YYYY" if lang == "de" else "YYYY-MM-DD"
    bounds: list[Any] = []
    for column, label, key in zip(
        st.columns(2), (_texts("from", field=field_label(name, lang)), _texts("to")), (lo_key, hi_key)
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
    key = _key(state.dataset, f"in.{found.name}")
    chosen = list(st.session_state.get(key) or [])
    try:
        values = top_values(state, found.name, global_params, scope)
    except (query.QueryTimeout, InvalidState):
        values = pd.DataFrame({"value": [], "rows": []})
    counts = {v: int(n) for v, n in zip(values["value"], values["rows"]) if not fmt.missing(v)}
    options = list(counts) + [v for v in chosen if v not in counts]

    def shown(value: str) -> str:
        text = str(code_label(found.name, value, lang))
        if value not in counts:
            return text
        return _texts("value_count", value=text, count=fmt.integer(counts[value], lang))

    picked = st.multiselect(
        field_label(found.name, lang),
        options,
        format_func=shown,
        key=key,
        placeholder=_texts("all_values"),
        help=_texts("values_help", n=fmt.integer(limit, lang)),
        accept_new_options=True,
    )
    kept = [str(v) for v in picked if str(v)]
    return Filter(found.name, "in", tuple(dict.fromkeys(kept))) if kept else None


def _contains_filter(dataset: Dataset, found: Field, lang: str) -> Filter | None:
    typed = st.text_input(
        _texts("contains", field=field_label(found.name, lang)),
        value="",
        key=_key(dataset.id, f"text.{found.name}"),
        max_chars=xstate.MAX_VALUE_LEN,
    )
    return Filter(found.name, "contains", (typed,)) if typed else None


def filter_controls(dataset: Dataset, draft: State, global_params: dict, scope: query.Scope, lang: str) -> list[Filter]:
    """A filter per chosen column by its type; `draft` (the state without filters yet) scopes value counts."""
    ds = dataset.id
    fields = registry.fields_of(dataset)
    names = [f.name for f in fields]
    chosen_key = _key(ds, "filters")
    st.session_state[chosen_key] = [n for n in st.session_state.get(chosen_key) or [] if n in names]
    chosen = st.multiselect(
        _texts("filter_columns"),
        names,
        format_func=lambda n: field_label(n, lang),
        key=chosen_key,
        placeholder=_texts("all_values"),
        help=_texts("filter_columns_help"),
    )
    limit = int(run.settings()["top_values"])
    filters: list[Filter] = []
    columns = st.columns(3) if chosen else []
    for i, name in enumerate(chosen):
        found = registry.field(dataset, name)
        assert found is not None
        op = st.session_state.setdefault(_key(ds, f"op.{name}"), _default_op(found))
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
    by_key, m_key = _key(ds, "by"), _key(ds, "m")
    st.session_state[by_key] = [n for n in st.session_state.get(by_key) or [] if n in groupable]
    options = measure_options(dataset)
    st.session_state[m_key] = [m for m in st.session_state.get(m_key) or ["count"] if m in options]
    left, middle, right = st.columns([3, 1, 3])
    with left:
        by = st.multiselect(
            _texts("group_by"),
            groupable,
            format_func=lambda n: field_label(n, lang),
            key=by_key,
            max_selections=xstate.MAX_GROUP_BY,
            placeholder=_texts("all_values"),
            help=_texts("group_by_help"),
        )
    dated = any(registry.field(dataset, n).role == "date" for n in by)  # type: ignore[union-attr]
    with middle:
        st.session_state.setdefault(_key(ds, "grain"), "month")
        grain = st.selectbox(
            _texts("grain"),
            registry.GRAINS,
            format_func=lambda g: registry.label("grain", g, lang),
            key=_key(ds, "grain"),
            disabled=not dated,
        )
    with right:
        measures = st.multiselect(
            _texts("measures"),
            options,
            format_func=lambda m: measure_label(m, lang),
            key=m_key,
            max_selections=xstate.MAX_MEASURES,
            placeholder=measure_label("count", lang),
            help=_texts("measures_help"),
            disabled=not by and not registry.suppresses_people(dataset),
        )
    return tuple(by), grain, tuple(measures) or ("count",)


def order_controls(dataset: Dataset, draft: State, lang: str) -> tuple[str | None, bool, int | None, str]:
    """Sort column and direction, top N, chart."""
    ds = dataset.id
    columns = xstate.output_columns(dataset, draft)
    sort_key = _key(ds, "sort")
    if st.session_state.get(sort_key) not in columns:
        st.session_state[sort_key] = None
    grouped = bool(draft.group_by) or registry.suppresses_people(dataset)
    sort_col, desc_col, top_col, chart_col = st.columns([3, 1.4, 1.2, 2], vertical_alignment="bottom")
    with sort_col:
        sort = st.selectbox(
            _texts("sort"),
            list(columns),
            index=None,
            format_func=lambda c: measure_label(c, lang) if c in draft.measures and grouped else field_label(c, lang),
            key=sort_key,
            placeholder=_texts("sort_natural"),
        )
    with desc_col:
        st.session_state.setdefault(_key(ds, "desc"), True)
        descending = st.toggle(_texts("descending"), key=_key(ds, "desc"))
    with top_col:
        st.session_state.setdefault(_key(ds, "top"), None)
        top = st.number_input(
            _texts("top"),
            min_value=1,
            max_value=xstate.MAX_TOP,
            value=None,
            step=1,
            key=_key(ds, "top"),
            help=_texts("top_help"),
        )
    with chart_col:
        st.session_state.setdefault(_key(ds, "chart"), "auto")
        chart = st.selectbox(
            _texts("chart"),
            xstate.CHARTS,
            format_func=lambda c: _texts(f"charts.{c}"),
            key=_key(ds, "chart"),
            disabled=not draft.group_by,
        )
    return sort, bool(descending), int(top) if top is not None else None, chart or "auto"


# ---- what the result shows -------------------------------------------------------------------------


def sidebar_note(filters: Filters, dataset: Dataset, applied: tuple[str, ...], scope: query.Scope, lang: str) -> None:
    """Which sidebar filters narrow this result (by their values), and which cannot (no such column)."""
    shown: list[str] = []
    skipped: list[str] = []

    def named(label_key: str, values: list[str], applies: bool) -> None:
        if not values:
            return
        if applies:
            shown.append(f"{t(label_key)}: " + ", ".join(fmt.md_escape(v) for v in values))
        else:
            skipped.append(t(label_key))

    accounts = "accounts" in applied
    kams = dict(db.query("filters_accounts", {}, scope)[["kam_id", "kam_name"]].drop_duplicates().values)
    names = account_labels()
    named("common.filters.region", [fmt.label("region", c, lang) for c in filters.regions], accounts)
    named("common.filters.industry", [fmt.label("industry", c, lang) for c in filters.industries], accounts)
    named("common.filters.kam", [str(kams.get(c, c)) for c in filters.kams], accounts)
    named("common.filters.accounts", [str(names.get(c, c)) for c in filters.accounts], accounts)
    named(
        "common.filters.service_line",
        [fmt.label("service_line", c, lang) for c in filters.service_lines],
        "service_lines" in applied,
    )
    if filters.date_from or filters.date_to:
        if "period" in applied and dataset.date_field is not None:
            shown.append(
                _texts(
                    "sidebar_period",
                    start=fmt.day(filters.date_from, lang),
                    end=fmt.day(filters.date_to, lang),
                    field=field_label(dataset.date_field, lang),
                )
            )
        else:
            skipped.append(t("common.filters.period"))
    st.caption(
        ":material/filter_alt: " + _texts("sidebar", items=" · ".join(shown) if shown else _texts("sidebar_none"))
    )
    if skipped:
        st.caption(_texts("sidebar_not_applied", names=", ".join(skipped)))


def _bool_columns(frame: pd.DataFrame) -> set[str]:
    return {c for c in frame.columns if pd.api.types.is_bool_dtype(frame[c].dropna().infer_objects())}


def out_columns(result: run.Result, lang: str) -> list[Column]:
    """The result's columns under their business names (booleans as such for the files)."""
    flags = _bool_columns(result.frame)
    return [Column(c.name, c.label(lang), "bool" if c.name in flags else c.kind) for c in result.columns]


def _label_of(column: OutColumn, lang: str) -> str:
    return column.label(lang)


def _axis_text(value, kind: str, lang: str) -> str:
    """A group's label on a chart: months short ("Nov 2026"), the rest as in the table."""
    return fmt.short_month(value, lang) if kind == "month" else display(value, kind, lang)


def chart_data(result: run.Result, lang: str) -> tuple[pd.DataFrame, dict, str, bool]:
    """The frame the chart draws (x/x_text, y_text, value/value_text), its axis titles, the measure's
    kind and whether x is a date axis."""
    frame = labelled(result.frame.head(CHART_ROWS), lang)
    groups = [c for c in result.columns if c.label_key.startswith("field.")]
    measure = next(c for c in result.columns if c not in groups)
    first = groups[0]
    temporal = first.kind in ("date", "month")
    data = pd.DataFrame(
        {
            "x": pd.to_datetime(frame[first.name]) if temporal else frame[first.name].astype("string"),
            "x_text": [_axis_text(v, first.kind, lang) for v in frame[first.name]],
            "value": pd.to_numeric(frame[measure.name], errors="coerce"),
            "value_text": [display(v, measure.kind, lang) for v in frame[measure.name]],
        }
    )
    labels = {"x": _label_of(first, lang), "value": _label_of(measure, lang)}
    if len(groups) > 1:
        data["y_text"] = [_axis_text(v, groups[1].kind, lang) for v in frame[groups[1].name]]
        labels["y"] = _label_of(groups[1], lang)
    return data.dropna(subset=["x"]) if temporal else data, labels, measure.kind, temporal


def draw_chart(state: State, result: run.Result, lang: str) -> None:
    if state.chart not in ("auto", "none", result.chart):
        needs = _texts(f"chart_needs.{state.chart}")
        st.caption(_texts("no_chart", chart=_texts(f"charts.{state.chart}"), need=needs))
    if result.chart == "none" or result.frame.empty:
        return
    data, labels, kind, temporal = chart_data(result, lang)
    chart: Any  # a layered or a single chart
    if result.chart == "bar":
        chart = charts.bar_chart(data, labels, kind, lang, by_value=state.sort is None)
    elif result.chart == "line":
        chart = charts.line_chart(data, labels, kind, lang, state.grain, temporal)
    else:
        chart = charts.heatmap(data, labels, kind, lang)
    st.altair_chart(chart, width="stretch")
    notes = []
    if len(state.measures) > 1:
        notes.append(_texts("chart_first_measure", measure=measure_label(state.measures[0], lang)))
    if result.total_rows > len(data):
        notes.append(_texts("chart_rows", n=fmt.integer(len(data), lang)))
    if notes:
        st.caption(" ".join(notes))


def page_control(state: State, result: run.Result, page_rows: int, lang: str) -> None:
    """Rows shown of how many ("Zeilen 101–200 von 12.345") and, over one page, the page number."""
    total = result.total_rows
    pages = max(1, math.ceil(total / page_rows))
    first = (state.page - 1) * page_rows + 1
    last = min(total, state.page * page_rows)
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    with left:
        if total > page_rows:
            st.markdown(
                _texts(
                    "rows", first=fmt.integer(first, lang), last=fmt.integer(last, lang), total=fmt.integer(total, lang)
                )
            )
        else:
            st.markdown(_texts("total_rows" if result.row_level else "groups", total=fmt.integer(total, lang)))
    if pages > 1:
        with right:
            st.number_input(
                _texts("page", pages=fmt.integer(pages, lang)),
                min_value=1,
                max_value=pages,
                step=1,
                key=_key(state.dataset, "page"),
            )


def result_table(state: State, result: run.Result, global_params: dict, scope: query.Scope, lang: str) -> None:
    """The page of rows in the app language, with the whole result (up to the limit) as downloads."""
    columns = out_columns(result, lang)
    frame = labelled(result.frame, lang)
    flags = _bool_columns(frame)
    model_columns = tuple(Column(c.key, c.label, "text" if c.key in flags else c.kind) for c in columns)
    table = Table("explorer", "", frame, model_columns, "")
    config = review_view.column_config(table, lang)
    for name in flags:
        config[name] = st.column_config.CheckboxColumn(next(c.label for c in columns if c.key == name))
    shown = frame[[c.key for c in columns]].reset_index(drop=True)
    styled = shown.style.format(
        {c.key: (lambda v, kind=c.kind: display(v, kind, lang)) for c in model_columns if c.key not in flags}
    )
    limit = int(run.settings()["download_limit_rows"])
    if result.total_rows > limit:
        st.info(
            _texts("download_limit", total=fmt.integer(result.total_rows, lang), limit=fmt.integer(limit, lang)),
            icon=":material/download:",
        )
    version = db.current_version()
    frozen_state = replace(state, page=1)
    widgets.table(
        styled,
        hide_index=True,
        column_config=config,
        key=f"explorer-table-{state.dataset}",
        download=f"explorer_{state.dataset}",
        download_columns=columns,
        download_data=lambda: (
            labelled(chunk, lang)
            for chunk in run.chunks(
                version, frozen_state, global_params, scope, limit=limit, chunk_rows=DOWNLOAD_CHUNK_ROWS
            )
        ),
    )


def people_note(dataset: Dataset, state: State, result: run.Result, lang: str) -> None:
    """The works-council rule where it shapes the result."""
    if not registry.suppresses_people(dataset):
        return
    minimum = registry.min_group_size()
    st.caption(_texts("people_rule", n=minimum))
    if result.suppressed_groups:
        st.caption(_texts("people_suppressed", groups=fmt.integer(result.suppressed_groups, lang), n=minimum))


# ---- the page ---------------------------------------------------------------------------------------


def render(filters: Filters, scope: query.Scope) -> None:
    """The whole explorer: controls, result and downloads; the state written to the URL at the end."""
    lang = current_language()
    sync_from_url()
    parsed, problems = st.session_state.get(PROBLEMS_KEY) or (None, [])
    dataset = dataset_picker(lang)
    if dataset is None:
        problems_warning(problems)
        widgets.empty_state(_texts("start"))
        write_url(None)
        st.session_state[STATE_KEY] = None
        return
    global_params = filters.params()
    with st.container(border=True):
        draft = State(dataset.id)
        filter_list = filter_controls(dataset, draft, global_params, scope, lang)
        by, grain, measures = shape_controls(dataset, lang)
        draft = State(dataset.id, tuple(filter_list), by, grain, measures)
        sort, descending, top, chart = order_controls(dataset, draft, lang)
    page_key = _key(dataset.id, "page")
    state = replace(draft, sort=sort, descending=descending, top=top, chart=chart, page=1)
    previous = st.session_state.get(STATE_KEY)
    same = previous is not None and replace(previous, page=1) == state
    if same or (parsed is not None and replace(parsed, page=1) == state):
        state = replace(state, page=int(st.session_state.get(page_key) or 1))
    st.session_state[page_key] = state.page
    if parsed is not None and parsed.dataset == dataset.id and replace(parsed, page=1) == replace(state, page=1):
        problems_warning(problems)
    sidebar_note(filters, dataset, _applied(dataset), scope, lang)
    try:
        state = show_result(dataset, state, global_params, scope, lang)
    finally:
        st.session_state[STATE_KEY] = state
        write_url(state)


def _applied(dataset: Dataset) -> tuple[str, ...]:
    """The global filters that reach this dataset (as kamdata.explore.sql applies them)."""
    return tuple(
        name
        for name, column in (
            ("accounts", dataset.account_column),
            ("service_lines", dataset.service_line_column),
            ("period", dataset.date_field),
        )
        if column is not None
    )


def show_result(dataset: Dataset, state: State, global_params: dict, scope: query.Scope, lang: str) -> State:
    """Run and draw the state's result; returns the state (its page within the result)."""
    page_rows = int(run.settings()["page_rows"])
    try:
        outcome = result(state, global_params, scope)
        pages = max(1, math.ceil(outcome.total_rows / page_rows))
        if state.page > pages:
            state = replace(state, page=pages)
            st.session_state[_key(dataset.id, "page")] = pages
            outcome = result(state, global_params, scope)
    except query.QueryTimeout:
        seconds = fmt.integer(run.settings()["query_timeout_s"], lang)
        st.error(_texts("timeout", seconds=seconds), icon=":material/timer_off:")
        return state
    except InvalidState as invalid:
        problems_warning(invalid.problems)
        return state
    people_note(dataset, state, outcome, lang)
    if outcome.total_rows == 0:
        widgets.empty_state(_texts("no_rows"))
        return state
    draw_chart(state, outcome, lang)
    page_control(state, outcome, page_rows, lang)
    result_table(state, outcome, global_params, scope, lang)
    return state
