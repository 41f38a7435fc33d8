"""The running period of a grouped date (kamdata/explore/periods.py), hand-worked around D.

KPIS.md: figures run to the end of the as-of day, so a period is running (partial) when it ends after
D; the day itself is complete. Keys take the SQL builder's forms: bucket start dates, "2026-Q4", "2026".
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from kamdata.explore.periods import is_running, running_key

THU = date(2026, 11, 26)  # a Thursday in the middle of November and of Q4


@pytest.mark.parametrize(
    ("kind", "grain", "as_of", "expected"),
    [
        ("date", "day", THU, None),  # the as-of day is complete
        ("date", "week", THU, date(2026, 11, 23)),  # Monday of that ISO week
        ("date", "week", date(2026, 11, 29), None),  # a Sunday closes its week
        ("month", "month", THU, date(2026, 11, 1)),
        ("month", "month", date(2026, 11, 30), None),  # the month's last day closes it
        ("month", "month", date(2024, 2, 28), date(2024, 2, 1)),  # leap year: Feb 29 still to come
        ("month", "year", THU, date(2026, 11, 1)),  # a month column stays a month whatever the grain
        ("text", "quarter", THU, "2026-Q4"),
        ("text", "quarter", date(2026, 9, 30), None),
        ("text", "quarter", date(2026, 4, 1), "2026-Q2"),
        ("text", "year", THU, "2026"),
        ("text", "year", date(2026, 12, 31), None),
        ("text", "day", THU, None),  # a text column that is no period
    ],
)
def test_running_key(kind, grain, as_of, expected):
    assert running_key(kind, grain, as_of) == expected


def test_is_running_compares_dates_as_days_and_labels_as_text():
    key = date(2026, 11, 1)
    assert is_running(pd.Timestamp("2026-11-01"), key)
    assert is_running(date(2026, 11, 1), key)
    assert not is_running(pd.Timestamp("2026-10-01"), key)
    assert not is_running(pd.NaT, key) and not is_running(None, key)
    assert is_running("2026-Q4", "2026-Q4") and not is_running("2026-Q3", "2026-Q4")
    assert not is_running(pd.Timestamp("2026-11-01"), None)
