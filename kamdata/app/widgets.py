"""Widgets every page shares: tables with n/a cells, number columns, KPI tiles, empty states."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import streamlit as st

from kamdata.app.formats import missing, na

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


def table(data, **kwargs):
    """`st.dataframe` with NULL cells shown as the n/a text ("k. A." / "n/a") instead of "None".

    Every page's table goes through here; the arguments are st.dataframe's.
    """
    kwargs.setdefault("placeholder", na())
    return st.dataframe(data, **kwargs)


def decimal_column(label: str, decimals: int = 1, help: str | None = None) -> ColumnConfig:
    """A number column with exactly `decimals` decimals in the browser's locale ("60,0" next to
    "33,3", not "60"); the grid takes the shown precision from `step`."""
    return st.column_config.NumberColumn(label, format="localized", step=10.0**-decimals, help=help)


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
