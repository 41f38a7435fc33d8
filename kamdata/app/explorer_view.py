"""The explorer page (PRODUCT.md page 6): controls (kamdata.app.explorer_controls), then the result:
chart, running-period note, pages, table and downloads.

Queries go through kamdata.explore.run (registry identifiers only, values bound, the user's scope, a
time limit); results are cached in kamdata.app.explorer_data.
"""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date

import pandas as pd
import streamlit as st

from kamdata import query
from kamdata.app import chart_cache, db, review_view, widgets
from kamdata.app import explorer_controls as controls
from kamdata.app import explorer_data as xdata
from kamdata.app import formats as fmt
from kamdata.app.charts import explorer as charts
from kamdata.app.explorer_controls import texts
from kamdata.app.filters import Filters, account_labels
from kamdata.app.i18n import current_language, t
from kamdata.explore import periods, registry, run
from kamdata.explore.registry import Dataset
from kamdata.explore.sql import InvalidState, OutColumn
from kamdata.explore.state import State
from kamdata.review.model import Column, Table, display
from kamdata.settings import min_group_size

CHART_ROWS = 200  # the chart draws at most the page's rows; a note says so when the result has more
DOWNLOAD_CHUNK_ROWS = 50_000
STRETCH = {"width": "stretch"}


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
                texts(
                    "sidebar_period",
                    start=fmt.day(filters.date_from, lang),
                    end=fmt.day(filters.date_to, lang),
                    field=controls.field_label(dataset.date_field, lang),
                )
            )
        else:
            skipped.append(t("common.filters.period"))
    st.caption(":material/filter_alt: " + texts("sidebar", items=" · ".join(shown) if shown else texts("sidebar_none")))
    if skipped:
        st.caption(texts("sidebar_not_applied", names=", ".join(skipped)))


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


def running_group(state: State, result: run.Result) -> tuple[OutColumn, date | str] | None:
    """The date group whose running period (kamdata.explore.periods) is in the result, and its key."""
    dataset = registry.get(state.dataset)
    for column in result.columns:
        kind, _, name = column.label_key.partition(".")
        found = registry.field(dataset, name) if kind == "field" else None
        if found is None or found.role != "date":
            continue
        key = periods.running_key(column.kind, state.grain, db.as_of())
        if key is not None and any(periods.is_running(v, key) for v in result.frame[column.name]):
            return column, key
    return None


def running_note(state: State, result: run.Result, lang: str) -> None:
    """Names the running period a result holds, so a partial period is never read as a whole one."""
    running = running_group(state, result)
    if running is not None:
        column, key = running
        period = _axis_text(key, column.kind, lang)
        st.caption(texts("running_period", period=period, as_of=fmt.day(db.as_of(), lang)))


def chart_data(result: run.Result, running: tuple[OutColumn, date | str] | None, lang: str):
    """The frame the chart draws (x/x_text, y_text, value/value_text, `running` for the running period's
    marks, whose label says "(laufend)"), its axis titles, the measure's kind and whether x is a date axis."""
    frame = xdata.labelled(result.frame.head(CHART_ROWS), lang)
    groups = [c for c in result.columns if c.label_key.startswith("field.")]
    measure = next(c for c in result.columns if c not in groups)
    first = groups[0]
    temporal = first.kind in ("date", "month")
    marked, key = running if running is not None else (None, None)
    suffix = " " + texts("running_suffix")

    def axis_texts(column: OutColumn) -> list[str]:
        return [
            _axis_text(v, column.kind, lang) + (suffix if column == marked and periods.is_running(v, key) else "")
            for v in frame[column.name]
        ]

    data = pd.DataFrame(
        {
            "x": pd.to_datetime(frame[first.name]) if temporal else frame[first.name].astype("string"),
            "x_text": axis_texts(first),
            "value": pd.to_numeric(frame[measure.name], errors="coerce"),
            "value_text": [display(v, measure.kind, lang) for v in frame[measure.name]],
            "running": [periods.is_running(v, key) for v in frame[marked.name]] if marked is not None else False,
        }
    )
    labels = {"x": _label_of(first, lang), "value": _label_of(measure, lang)}
    if len(groups) > 1:
        data["y_text"] = axis_texts(groups[1])
        labels["y"] = _label_of(groups[1], lang)
    return data.dropna(subset=["x"]) if temporal else data, labels, measure.kind, temporal


def draw_chart(state: State, result: run.Result, lang: str) -> None:
    if state.chart not in ("auto", "none", result.chart):
        needs = texts(f"chart_needs.{state.chart}")
        st.caption(texts("no_chart", chart=texts(f"charts.{state.chart}"), need=needs))
    if result.chart == "none" or result.frame.empty:
        return
    data, labels, kind, temporal = chart_data(result, running_group(state, result), lang)
    if result.chart == "bar":
        chart_cache.chart(charts.bar_chart, data, labels, kind, lang, by_value=state.sort is None, st_kwargs=STRETCH)
    elif result.chart == "line":
        chart_cache.chart(charts.line_chart, data, labels, kind, lang, state.grain, temporal, st_kwargs=STRETCH)
    else:
        chart_cache.chart(charts.heatmap, data, labels, kind, lang, st_kwargs=STRETCH)
    notes = []
    if len(state.measures) > 1:
        notes.append(texts("chart_first_measure", measure=controls.measure_label(state.measures[0], lang)))
    if result.total_rows > len(data):
        notes.append(texts("chart_rows", n=fmt.integer(len(data), lang)))
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
                texts(
                    "rows", first=fmt.integer(first, lang), last=fmt.integer(last, lang), total=fmt.integer(total, lang)
                )
            )
        else:
            st.markdown(texts("total_rows" if result.row_level else "groups", total=fmt.integer(total, lang)))
    if pages > 1:
        with right:
            st.number_input(
                texts("page", pages=fmt.integer(pages, lang)),
                min_value=1,
                max_value=pages,
                step=1,
                key=controls.widget_key(state.dataset, "page"),
            )


def result_table(state: State, result: run.Result, global_params: dict, scope: query.Scope, lang: str) -> None:
    """The page of rows in the app language, with the whole result (up to the limit) as downloads."""
    columns = out_columns(result, lang)
    frame = xdata.labelled(result.frame, lang)
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
            texts("download_limit", total=fmt.integer(result.total_rows, lang), limit=fmt.integer(limit, lang)),
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
            xdata.labelled(chunk, lang)
            for chunk in run.chunks(
                version, frozen_state, global_params, scope, limit=limit, chunk_rows=DOWNLOAD_CHUNK_ROWS
            )
        ),
    )


def people_note(dataset: Dataset, state: State, result: run.Result, lang: str) -> None:
    """The works-council rule where it shapes the result."""
    if not registry.suppresses_people(dataset):
        return
    minimum = min_group_size()
    st.caption(texts("people_rule", n=minimum))
    if result.suppressed_groups:
        st.caption(texts("people_suppressed", groups=fmt.integer(result.suppressed_groups, lang), n=minimum))


def render(filters: Filters, scope: query.Scope) -> None:
    """The whole explorer: controls, result and downloads; the state written to the URL at the end."""
    lang = current_language()
    controls.sync_from_url()
    parsed, problems = st.session_state.get(controls.PROBLEMS_KEY) or (None, [])
    dataset = controls.dataset_picker(lang)
    if dataset is None:
        controls.problems_warning(problems)
        widgets.empty_state(texts("start"))
        controls.write_url(None)
        st.session_state[controls.STATE_KEY] = None
        return
    global_params = filters.params()
    with st.container(border=True):
        draft = State(dataset.id)
        filter_list = controls.filter_controls(dataset, draft, global_params, scope, lang)
        by, grain, measures = controls.shape_controls(dataset, lang)
        draft = State(dataset.id, tuple(filter_list), by, grain, measures)
        sort, descending, top, chart = controls.order_controls(dataset, draft, lang)
    page_key = controls.widget_key(dataset.id, "page")
    state = replace(draft, sort=sort, descending=descending, top=top, chart=chart, page=1)
    previous = st.session_state.get(controls.STATE_KEY)
    same = previous is not None and replace(previous, page=1) == state
    if same or (parsed is not None and replace(parsed, page=1) == state):
        state = replace(state, page=int(st.session_state.get(page_key) or 1))
    st.session_state[page_key] = state.page
    if parsed is not None and parsed.dataset == dataset.id and replace(parsed, page=1) == replace(state, page=1):
        controls.problems_warning(problems)
    sidebar_note(filters, dataset, _applied(dataset), scope, lang)
    try:
        state = show_result(dataset, state, global_params, scope, lang)
    finally:
        st.session_state[controls.STATE_KEY] = state
        controls.write_url(state)


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
        outcome = xdata.result(state, global_params, scope)
        pages = max(1, math.ceil(outcome.total_rows / page_rows))
        if state.page > pages:
            st.info(texts("page_past_end", asked=fmt.integer(state.page, lang), pages=fmt.integer(pages, lang)))
            state = replace(state, page=pages)
            st.session_state[controls.widget_key(dataset.id, "page")] = pages
            outcome = xdata.result(state, global_params, scope)
    except query.QueryTimeout:
        seconds = fmt.integer(run.settings()["query_timeout_s"], lang)
        st.error(texts("timeout", seconds=seconds), icon=":material/timer_off:")
        return state
    except InvalidState as invalid:
        controls.problems_warning(invalid.problems)
        return state
    people_note(dataset, state, outcome, lang)
    if outcome.total_rows == 0:
        widgets.empty_state(texts("no_rows"))
        return state
    draw_chart(state, outcome, lang)
    running_note(state, outcome, lang)
    page_control(state, outcome, page_rows, lang)
    result_table(state, outcome, global_params, scope, lang)
    return state
