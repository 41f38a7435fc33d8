"""Workload marts on a hand-made fixture: capacity from Mon-Fri days, utilisation, overload edge,
capacity 0, bookings after D, inactive employees, department aggregates and account-team load.

D = 2026-11-26. October 2026 starts on a Thursday: 31 days = 4 full weeks (20 weekdays) + Thu 29,
Fri 30, Sat 31 -> 22 weekdays. November 2026 starts on a Sunday: 4 full weeks + Sun 29, Mon 30
-> 21 weekdays; November is the running month (the month of D), so its capacity counts only the
weekdays from the 1st through D (KPIS.md "Team workload"): Mon 2-Fri 6, 9-13, 16-20 (15) + Mon 23-
Thu 26 (4) = 19 weekdays.
"""

from datetime import date

import pytest
from marts_fixture import build, rows

AS_OF = date(2026, 11, 26)
OCT, NOV = date(2026, 10, 1), date(2026, 11, 1)


def _employee(employee_id, department, weekly_h, active=True):
    return {
        "employee_id": employee_id,
        "name": employee_id,
        "department": department,
        "role": "x",
        "weekly_capacity_h": weekly_h,
        "active": active,
    }


def _bookings(employee_id, first_day, count, hours, account_id=None):
    """`count` bookings of `hours` on consecutive days starting at `first_day`."""
    return [
        {
            "booking_id": f"{employee_id}-{first_day}-{i}-{account_id}",
            "employee_id": employee_id,
            "account_id": account_id,
            "booking_date": date(first_day.year, first_day.month, first_day.day + i),
            "hours": hours,
            "activity": "work",
        }
        for i in range(count)
    ]


@pytest.fixture(scope="module")
def con():
    data = {
        "employees": [
            _employee("E1", "Ops", 50.0),
            _employee("E2", "Ops", 40.0),
            _employee("E3", "Tech", 0.0),
            _employee("E4", "Tech", 40.0, active=False),
            _employee("KAM", "Sales", 40.0),
        ],
        "accounts": [
            {"account_id": "A1", "account_name": "Acme", "industry": "retail", "region": "south", "kam_id": "KAM"}
        ],
        "account_team": [
            {"account_id": "A1", "employee_id": "E1", "team_role": "lead", "allocation_pct": 50.0},
            {"account_id": "A1", "employee_id": "E2", "team_role": "tech", "allocation_pct": 25.0},
        ],
        "time_bookings": (
            # E1, November: 5 x 19 h on A1 + 6 x 19 h internal = 209 h; plus two bookings after D.
            _bookings("E1", date(2026, 11, 2), 5, 19.0, "A1")
            + _bookings("E1", date(2026, 11, 9), 6, 19.0)
            + _bookings("E1", date(2026, 11, 27), 1, 8.0)
            + _bookings("E1", date(2026, 12, 1), 1, 8.0)
            # E2, October: 4 x 20 h on A1 + 6 x 20 h internal = 200 h; nothing in November.
            + _bookings("E2", date(2026, 10, 1), 4, 20.0, "A1")
            + _bookings("E2", date(2026, 10, 5), 6, 20.0)
            # E3 (capacity 0) and E4 (inactive) book in October.
            + _bookings("E3", date(2026, 10, 1), 1, 10.0)
            + _bookings("E4", date(2026, 10, 1), 1, 8.0)
        ),
    }
    return build(data, as_of=AS_OF)


def test_weekdays_in_month_macro(con):
    # Nov 2026: 21 weekdays; Oct 2026: 22; Feb 2026 starts on a Sunday, 28 days -> 20.
    got = con.execute(
        "select weekdays_in_month(date '2026-11-01'), weekdays_in_month(date '2026-10-01'),"
        " weekdays_in_month(date '2026-02-01')"
    ).fetchone()
    assert got == (21, 22, 20)


@pytest.mark.parametrize(
    ("month", "as_of", "expected"),
    [
        (NOV, AS_OF, 19),  # running month: Mon 2 .. Thu 26 -> 19 weekdays (see the module docstring)
        (OCT, AS_OF, 22),  # a month before the month of D: all of its weekdays
        (NOV, date(2026, 11, 30), 21),  # D on the last day: the whole month (Mon 30 included)
        (NOV, date(2026, 11, 1), 0),  # D = Sun 1 Nov: no weekday yet -> capacity 0, utilisation NULL
        (NOV, date(2026, 11, 2), 1),  # D = Mon 2 Nov: one weekday
        (date(2026, 12, 1), AS_OF, 0),  # a month after D
    ],
)
def test_capacity_weekdays_macro(con, month, as_of, expected):
    assert con.execute("select capacity_weekdays(?::date, ?::date)", [month, as_of]).fetchone()[0] == expected


def test_workload_rows_cover_active_employees_and_booking_months(con):
    got = rows(con, "select employee_id, month from mart_workload_monthly order by all")
    # Months with bookings up to D: Oct, Nov (the Dec booking is after D). E4 is inactive.
    expected = [(e, m) for e in ("E1", "E2", "E3", "KAM") for m in (OCT, NOV)]
    assert [(r["employee_id"], r["month"]) for r in got] == expected


def _row(con, employee_id, month):
    return rows(con, "select * from mart_workload_monthly where employee_id = ? and month = ?", [employee_id, month])[0]


def test_exactly_at_threshold_is_not_overloaded(con):
    # E1 Nov (running month): capacity 50 x 19 / 5 = 190 h (a full November would be 210 h);
    # booked 209 h (the Nov 27 and Dec 1 bookings are after D); 209 / 190 = 110.0 % -> not
    # overloaded (> 110 needed); account_h = 5 x 19 = 95.
    r = _row(con, "E1", NOV)
    assert r["capacity_h"] == pytest.approx(190.0)
    assert r["booked_h"] == pytest.approx(209.0)
    assert r["account_h"] == pytest.approx(95.0)
    assert r["utilisation_pct"] == pytest.approx(110.0)
    assert r["overloaded"] is False
    assert r["department"] == "Ops"


def test_over_threshold_is_overloaded(con):
    # E2 Oct: capacity 40 x 22 / 5 = 176 h; booked 200 h -> 113.636 % -> overloaded.
    r = _row(con, "E2", OCT)
    assert r["capacity_h"] == pytest.approx(176.0)
    assert r["utilisation_pct"] == pytest.approx(113.636, abs=0.01)
    assert r["account_h"] == pytest.approx(80.0)
    assert r["overloaded"] is True


def test_month_without_bookings_is_zero_not_null(con):
    # E2 Nov (running month): capacity 40 x 19 / 5 = 152 h, no bookings -> 0 %, not overloaded.
    r = _row(con, "E2", NOV)
    assert (r["capacity_h"], r["booked_h"], r["utilisation_pct"], r["overloaded"]) == (152.0, 0.0, 0.0, False)


def test_capacity_zero_gives_null_utilisation_and_overload(con):
    # E3: weekly capacity 0 -> capacity 0, utilisation NULL, overloaded NULL (10 h booked in Oct).
    r = _row(con, "E3", OCT)
    assert (r["capacity_h"], r["booked_h"], r["utilisation_pct"], r["overloaded"]) == (0.0, 10.0, None, None)


def test_department_monthly(con):
    got = rows(con, "select * from mart_department_monthly where month = ? order by department", [OCT])
    # Oct: Ops = E1 (220 h capacity = 50 x 22 / 5, 0 booked) + E2 (176, 200 booked):
    # 396 h, 200 h, 50.505 %, 1 overloaded. Tech = E3 only (E4 inactive): 0 h capacity -> NULL %.
    ops, sales, tech = got
    assert (ops["employees"], ops["capacity_h"], ops["booked_h"], ops["overloaded_employees"]) == (2, 396.0, 200.0, 1)
    assert ops["utilisation_pct"] == pytest.approx(50.505, abs=0.01)
    assert sales["department"] == "Sales" and sales["utilisation_pct"] == 0.0
    assert (tech["employees"], tech["capacity_h"], tech["utilisation_pct"], tech["overloaded_employees"]) == (
        1,
        0.0,
        None,
        0,
    )


def test_department_monthly_running_month_uses_capacity_to_date(con):
    got = rows(con, "select * from mart_department_monthly where month = ? order by department", [NOV])
    # Nov (running month, 19 weekdays through D): Ops = E1 190 h + E2 152 h = 342 h capacity, 209 h
    # booked -> 61.111 % (with a full month's 210 + 168 = 378 h it would read 55.291 %); Sales = KAM
    # 40 x 19 / 5 = 152 h, nothing booked -> 0 %.
    ops, sales, tech = got
    assert (ops["employees"], ops["capacity_h"], ops["booked_h"], ops["overloaded_employees"]) == (2, 342.0, 209.0, 0)
    assert ops["utilisation_pct"] == pytest.approx(61.111, abs=0.01)
    assert (sales["capacity_h"], sales["utilisation_pct"]) == (152.0, 0.0)
    assert tech["capacity_h"] == 0.0 and tech["utilisation_pct"] is None


def test_account_team_load(con):
    got = rows(
        con,
        "select employee_id, month, allocated_h, booked_on_account_h, load_pct, team_role"
        " from mart_account_team_load where account_id = 'A1' order by employee_id, month",
    )
    # E1 (50 %): Oct 220 x 0.5 = 110 h allocated, 0 booked -> 0 %; Nov (running, 190 h capacity)
    # 190 x 0.5 = 95 h, 95 booked -> 100 %.
    # E2 (25 %): Oct 176 x 0.25 = 44 h, 80 booked -> 181.818 %; Nov 152 x 0.25 = 38 h, 0 -> 0 %.
    expected = [
        ("E1", OCT, 110.0, 0.0, 0.0),
        ("E1", NOV, 95.0, 95.0, 100.0),
        ("E2", OCT, 44.0, 80.0, 181.818),
        ("E2", NOV, 38.0, 0.0, 0.0),
    ]
    assert len(got) == len(expected)
    for r, (employee_id, month, allocated, booked, load) in zip(got, expected):
        assert (r["employee_id"], r["month"]) == (employee_id, month)
        assert r["allocated_h"] == pytest.approx(allocated)
        assert r["booked_on_account_h"] == pytest.approx(booked)
        assert r["load_pct"] == pytest.approx(load, abs=0.01)
