"""The running period of a date group: the one period a grouped result holds only in part.

KPIS.md counts every figure up to the end of the as-of day D, so a group whose
period ends after D (the running week, month, quarter or year) holds only part
of its period and must be labelled, never read like a complete one. A day is
always complete. The key is returned in the form the SQL builder gives the
group (kamdata.explore.sql `_group_expr`): a date for day/week/month, text
"2026-Q4" / "2026" for quarter and year.
"""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd


def _month_end(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def running_key(kind: str, grain: str, as_of: date) -> date | str | None:
    """The group key of the period containing `as_of` if that period ends after it, else None.

    kind: the group column's kind ("date", "month" or "text" for quarter/year labels); grain: the
    state's grain (day, week, month, quarter, year)."""
    if kind == "month":
        return as_of.replace(day=1) if as_of < _month_end(as_of) else None
    if kind == "date":
        if grain == "week":  # ISO weeks, Monday to Sunday, as DuckDB's date_trunc('week')
            return as_of - timedelta(days=as_of.weekday()) if as_of.weekday() < 6 else None
        return None
    if grain == "quarter":
        quarter = (as_of.month - 1) // 3 + 1
        last = _month_end(date(as_of.year, quarter * 3, 1))
        return f"{as_of.year}-Q{quarter}" if as_of < last else None
    if grain == "year":
        return str(as_of.year) if as_of < date(as_of.year, 12, 31) else None
    return None


def is_running(value, key: date | str | None) -> bool:
    """Whether a group's value is the running period's key (dates compared as days)."""
    if key is None or value is None or value is pd.NaT:
        return False
    if isinstance(key, date):
        return pd.Timestamp(value).date() == key
    return str(value) == key
