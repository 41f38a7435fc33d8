"""Widgets every page shares: tables with n/a cells, number columns, long tables cut to their first rows
until "show all", KPI tiles, empty states."""

from __future__ import annotations

import math
import zlib
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import streamlit as st
from pandas.io.formats.style import Styler

from kamdata.app import formats as fmt
from kamdata.app import page_state
from kamdata.app.downloads import Source, download_menu
from kamdata.app.formats import missing, na
from kamdata.app.i18n import t
from kamdata.app.settings import app_settings
from kamdata.export import Column

if TYPE_CHECKING:
    from streamlit.elements.lib.column_types import ColumnConfig


def list_column(series: pd.Series) -> list[list]:
    """A DuckDB LIST column as plain lists with None for NULL (DuckDB hands masked arrays;
    converting those naively turns NULL into 0)."""
    return [
        [None if v is np.ma.masked or missing(v) else float(v) for v in values] if not missing(values) else []
        for values in series
    ]


def sparkline_column(series: pd.Series) -> list[list[float] | None]:
    """A DuckDB LIST column for `st.column_config.LineChartColumn`: the values that are there, in
    order, and None (an empty cell) when there are none.

    The grid cannot draw gaps: a list holding a NULL is shown as text (",,,50,55"), so
    months without a value are left out of the line.
    """
    return [[v for v in values if not missing(v)] or None for values in list_column(series)]


def table(
    data,
    download: str | None = None,
    download_columns: Sequence[Column] | None = None,
    download_data: Source | None = None,
    **kwargs,
):
    """`st.dataframe` in the app's language: NULL cells as the n/a text ("k. A." / "n/a"), and number,
    euro and date columns formatted like the tiles (German "1.234,5" in a German app, whatever the
    browser's locale), with the download menu (Excel, CSV, CSV for German Excel) right under it.

    Every page's table goes through here; the other arguments are st.dataframe's. The grid formats
    `format="localized"` and `"euro"` columns in the *browser's* locale, so those columns (and
    decimal_column's) are shown through a pandas Styler instead: the cell shows the app-language
    text, while sorting and selection still use the raw number (the grid sorts by the cell's data,
    not its display text). The column keeps its label, help, width and step.

    The download holds the columns the table shows, in its order, under their shown labels, typed
    from the column config (or `download_columns`, e.g. the review model's); `download` is the file
    stem (default: the table's key); `download_data` replaces the shown rows as the file's data (a
    callable: the explorer downloads its whole result, not the page on screen).
    """
    kwargs.setdefault("placeholder", na())
    config = kwargs.get("column_config")
    raw = data.data if isinstance(data, Styler) else data
    columns = None
    if isinstance(raw, pd.DataFrame):
        columns = list(download_columns or shown_columns(raw, config, kwargs.get("column_order")))
    order = kwargs.get("column_order")
    if isinstance(data, pd.DataFrame) and order is not None:
        # Only the shown columns go to the grid: the hidden ones would be formatted and sent for nothing
        # (selections are row positions, so they are unaffected).
        data = data[[c for c in dict.fromkeys(order) if c in data.columns]]
    if isinstance(data, pd.DataFrame) and isinstance(config, dict) and data.index.is_unique:
        formats, kwargs["column_config"] = _app_language_formats(data, config)
        if formats:
            data = data.style.format(formats)
    event = st.dataframe(data, **kwargs)
    if columns:
        stem = download or kwargs.get("key") or "table"
        digest = zlib.crc32(",".join(c.key for c in columns).encode())
        with st.container(horizontal=True, horizontal_alignment="right"):
            download_menu(
                raw if download_data is None else download_data, columns, str(stem), key=f"download-{stem}-{digest:08x}"
            )
    return event


# Column types the download leaves out: charts and images are not cell values, and a link shown as a
# fixed text ("open") points into the app, not at anything a file could use.
NOT_DOWNLOADED = ("line_chart", "bar_chart", "area_chart", "image", "list", "json", "multiselect")


def shown_columns(data: pd.DataFrame, config: dict | None, order: Sequence[str] | None = None) -> list[Column]:
    """The table's shown columns as download columns: `order` (else the frame's), without hidden ones
    (config None) and chart/link-button columns, labelled like the grid, typed from the config/dtype."""
    config = config or {}
    columns: list[Column] = []
    for key in order or list(data.columns):
        spec = config.get(key, {})
        if key not in data.columns or spec is None:
            continue
        if isinstance(spec, str):
            spec = {"label": spec}
        type_config = spec.get("type_config") or {}
        kind = type_config.get("type")
        if kind in NOT_DOWNLOADED or (kind == "link" and type_config.get("display_text")):
            continue
        typed = _download_kind(kind, type_config, data[key])
        if typed is not None:
            columns.append(Column(str(key), str(spec.get("label") or key), *typed))
    return columns


def _download_kind(kind: str | None, type_config: dict, values: pd.Series) -> tuple[str, int | None] | None:
    """(export kind, decimals) of one column from its grid type, else from its data."""
    if kind in ("text", "link", "selectbox", "time"):
        return "text", None
    if kind == "checkbox" or (kind is None and pd.api.types.is_bool_dtype(values)):
        return "bool", None
    if kind == "date":
        return "date", None
    if kind == "datetime" or (kind is None and pd.api.types.is_datetime64_any_dtype(values)):
        return "timestamp", None
    if kind in ("number", "progress") or (kind is None and pd.api.types.is_numeric_dtype(values)):
        if type_config.get("format") == "%d":
            return "integer", None
        euro = type_config.get("format") == "euro"
        decimals = _decimals(type_config.get("step"), values, euro=euro)
        return ("eur" if euro else "number"), 3 if decimals is None else decimals
    sample = values.dropna()
    if kind is None and len(sample) and all(isinstance(v, (list, tuple, np.ndarray)) for v in sample):
        return None
    return "text", None


def _app_language_formats(data: pd.DataFrame, config: dict) -> tuple[dict, dict]:
    """column -> formatter for the locale-dependent columns of `config`, and the config without
    their grid format (the grid shows a Styler's text only where the column has no format)."""
    lang = fmt.current_language()
    formats: dict = {}
    columns: dict = {}
    for column, spec in config.items():
        type_config: dict = (spec.get("type_config") or {}) if isinstance(spec, dict) else {}
        kind = type_config.get("type")
        grid_format = type_config.get("format")
        formatter = None
        if column in data.columns and kind == "number" and grid_format in ("localized", "euro"):
            decimals = _decimals(type_config.get("step"), data[column], euro=grid_format == "euro")
            if grid_format == "euro":
                formatter = _euro(lang, 2 if decimals is None else decimals)
            else:
                formatter = _number(lang, decimals)
        elif column in data.columns and kind == "date" and grid_format == "localized":
            formatter = _day(lang)
        if formatter is None:
            columns[column] = spec
            continue
        formats[column] = formatter
        columns[column] = {**spec, "type_config": {k: v for k, v in type_config.items() if k != "format"}}
    return formats, columns


def _decimals(step, values: pd.Series, euro: bool = False) -> int | None:
    """Decimals from the column's step (decimal_column); else whole numbers for integer data, euro
    amounts with cents, other numbers up to three decimals (None: trailing zeros dropped)."""
    if step:
        return max(0, round(-math.log10(float(step))))
    if euro:
        return 2
    numbers = pd.to_numeric(values, errors="coerce").dropna()
    if pd.api.types.is_integer_dtype(values) or (numbers == numbers.round()).all():
        return 0
    return None


def _number(lang: str, decimals: int | None):
    def show(value) -> str:
        if decimals is not None:
            return fmt.number(value, lang, decimals)
        text = fmt.number(value, lang, 3)
        separator = "," if lang == "de" else "."
        return text.rstrip("0").rstrip(separator) if separator in text else text

    return show


def _euro(lang: str, decimals: int):
    return lambda value: fmt.eur(value, lang, decimals)


def _day(lang: str):
    return lambda value: fmt.day(value, lang)


def decimal_column(label: str, decimals: int = 1, help: str | None = None) -> ColumnConfig:
    """A number column with exactly `decimals` decimals ("60,0" next to "33,3", not "60"), shown in
    the app's language by `table` (the step carries the precision)."""
    return st.column_config.NumberColumn(label, format="localized", step=10.0**-decimals, help=help)


def _rows_code(show_all: bool) -> str:
    """The "show all" switch's URL code (`?sites=all`)."""
    return "all" if show_all else "top"


def table_rows() -> int:
    """Rows a long table shows until "show all" (settings `[app] site_table_rows`)."""
    return int(app_settings()["app"]["site_table_rows"])


def top_rows(data: pd.DataFrame, key: str, texts: str, rows: int | None = None) -> pd.DataFrame:
    """The first `rows` (default `table_rows()`) rows of a long table (the caller's order: largest or
    worst first) unless its "show all" switch is on; the switch is in the URL as `?<key>=all`, so a link opens the table
    whole. A table that fits is returned as it is, without a switch. The switch is labelled by the text
    `<texts>.show_all` (count=) and, while off, the caption `<texts>.shown` (shown=, count=) says how
    many rows are shown; the caller's download still holds every row (widgets.table `download_data`).

    Only the rows sent to the browser are cut: a table of thousands of rows is most of a page's payload."""
    rows = table_rows() if rows is None else rows
    if len(data) <= rows:
        return data
    count = fmt.integer(len(data))
    page_state.url_notice(key, page_state.seed(key, [False, True], False, code=_rows_code))
    if st.toggle(t(f"{texts}.show_all", count=count), **page_state.widget(key, code=_rows_code)):
        return data
    st.caption(t(f"{texts}.shown", shown=fmt.integer(rows), count=count))
    return data.head(rows)


def kpi_tile(
    label: str,
    value: str,
    delta: str | None = None,
    help: str | None = None,
    inverse: bool = False,
    trend: list | None = None,
    delta_description: str | None = None,
) -> None:
    """One KPI: formatted value, change vs the previous period (`delta_description` says which),
    optional sparkline; `inverse` when a rise is bad (accounts at risk)."""
    st.metric(
        label,
        value,
        delta=delta,
        delta_description=delta_description if delta else None,
        delta_color="off" if delta == "±0" else "inverse" if inverse else "normal",
        delta_arrow="off" if delta == "±0" else "auto",
        help=help,
        border=True,
        chart_data=trend if trend and len(trend) > 1 else None,
        chart_type="line",
    )


def empty_state(message: str) -> None:
    """A helpful message where a chart or table would be empty."""
    st.info(message, icon=":material/filter_alt_off:")


def lazy_expander(label: str, key: str):
    """An expander that tracks whether it is open (`.open`) and reruns when it is toggled: the caller
    builds its contents only while it is open, so a closed section costs neither queries nor payload.
    Called inside an `st.fragment`, a toggle reruns only that fragment."""
    return st.expander(label, key=key, on_change="rerun")
