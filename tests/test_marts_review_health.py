"""Review of the workload, relationship/commercial, health and alert marts: hand-worked edge cases.

Defects fixed (the four tests after the fixture failed before the fix):
- int_work_employee_month: "Overloaded: utilisation > 110 %" compared a DOUBLE carrying float
  noise, so an employee at exactly 110 % with fractional hours was flagged overloaded (and raised
  a team_overload alert).
- int_health_commercial: "Revenue growth is NULL when the prior 12 months sum to 0" (and a
  ratio with denominator 0 is NULL) failed when cent amounts cancel to +-3.6e-12 in DOUBLE:
  growth came out near -1e16 % (commercial score 0) instead of NULL; margin likewise.
Plus edge cases no earlier test pinned down: ACV on a contract's first and last day, commitments
promised after D' or done after D, and D on the last day of its month.

D = 2026-11-26 unless stated; last complete month L = 2026-10 (22 weekdays: 4 full weeks plus
Thu 29, Fri 30); previous month-end D' = 2026-10-31.
"""

from datetime import date

import pytest
from marts_fixture import build, rows

AS_OF = date(2026, 11, 26)


def _employee(employee_id, weekly_h):
    return {
        "employee_id": employee_id,
        "name": employee_id,
        "department": "Ops",
        "role": "x",
        "weekly_capacity_h": weekly_h,
        "active": True,
    }


def _account(account_id):
    return {
        "account_id": account_id,
        "account_name": f"Name {account_id}",
        "industry": "x",
        "region": "x",
        "kam_id": "K",
    }


def _booking(n, employee_id, day, hours):
    return {
        "booking_id": f"B-{employee_id}-{n}",
        "employee_id": employee_id,
        "booking_date": day,
        "hours": hours,
        "activity": "x",
    }


def _revenue(account_id, month, amount, cost=None):
    return {
        "account_id": account_id,
        "month": month,
        "service_line": "technical_fm",
        "revenue_eur": amount,
        "cost_eur": cost,
    }


def _contract(contract_id, start, end, value):
    return {
        "contract_id": contract_id,
        "account_id": "C1",
        "service_line": contract_id,
        "start_date": start,
        "end_date": end,
        "annual_value_eur": value,
        "notice_period_days": 30,
        "auto_renew": False,
    }


def _commitment(commitment_id, promised, due, done=None):
    return {
        "commitment_id": commitment_id,
        "account_id": "CM",
        "owner_id": "K",
        "promised_on": promised,
        "due_date": due,
        "done_on": done,
        "description": "report",
    }


@pytest.fixture(scope="module")
def con():
    data = {
        "employees": [_employee("K", 40.0), _employee("EX", 20.0), _employee("EO", 20.0)],
        "accounts": [_account(a) for a in ("TX", "TO", "G0", "M0", "C1", "CM")],
        "account_team": [
            {"account_id": "TX", "employee_id": "EX", "team_role": "x", "allocation_pct": 50.0},
            {"account_id": "TO", "employee_id": "EO", "team_role": "x", "allocation_pct": 50.0},
        ],
        # October 2026, capacity 20 x 22 / 5 = 88 h for both:
        # EX: 10 x 9.68 h = 96.8 h -> 96.8 / 88 = 110.0 % exactly (summed in DOUBLE: 110.00000000000001)
        #     -> not overloaded (> 110 needed);
        # EO: 9 x 9.68 h + 9.69 h = 96.81 h -> 110.0114 % -> overloaded.
        "time_bookings": [_booking(i, "EX", date(2026, 10, i + 1), 9.68) for i in range(10)]
        + [_booking(i, "EO", date(2026, 10, i + 1), 9.68) for i in range(9)]
        + [_booking(9, "EO", date(2026, 10, 10), 9.69)],
        "revenue": [
            # G0: prior window 2024-11..2025-10 = 11427.16 + 16065.07 + 1355.83 - 28848.06 = 0.00 EUR
            # (invoices and a full credit note); recent 2026-01 = 100 -> growth NULL.
            _revenue("G0", date(2025, 1, 1), 11427.16),
            _revenue("G0", date(2025, 2, 1), 16065.07),
            _revenue("G0", date(2025, 3, 1), 1355.83),
            _revenue("G0", date(2025, 4, 1), -28848.06),
            _revenue("G0", date(2026, 1, 1), 100.0),
            # M0: recent rows with a cost: 606.37 + 10874.11 - 11480.48 = 0.00 EUR revenue, cost 300
            # -> margin NULL (denominator 0); no prior rows -> growth NULL.
            _revenue("M0", date(2026, 1, 1), 606.37, 100.0),
            _revenue("M0", date(2026, 2, 1), 10874.11, 100.0),
            _revenue("M0", date(2026, 3, 1), -11480.48, 100.0),
        ],
        "contracts": [
            _contract("ends_at_d", date(2020, 1, 1), AS_OF, 1000.0),  # end_date = D: active
            _contract("starts_at_d", AS_OF, None, 2000.0),  # start_date = D: active
            _contract("starts_after_d", date(2026, 11, 27), None, 4000.0),  # not yet active
        ],
        "commitments": [
            # promised after D' = 2026-10-31: does not exist at D'; at D open and overdue (due 11-20 < D).
            _commitment("CMa", date(2026, 11, 5), date(2026, 11, 20)),
            # due 2026-10-15, done 2026-11-27 (after D): open and overdue at D' and at D.
            _commitment("CMb", date(2026, 10, 1), date(2026, 10, 15), date(2026, 11, 27)),
        ],
    }
    return build(data, as_of=AS_OF)


def _workload(con, employee_id):
    return rows(
        con, "select * from mart_workload_monthly where employee_id = ? and month = '2026-10-01'", [employee_id]
    )[0]


def test_exactly_110_pct_with_fractional_hours_is_not_overloaded(con):
    ex = _workload(con, "EX")
    assert ex["capacity_h"] == pytest.approx(88.0)
    assert ex["booked_h"] == pytest.approx(96.8)
    assert ex["utilisation_pct"] == pytest.approx(110.0, abs=1e-9)
    assert ex["overloaded"] is False
    # ... so account TX (team = EX) has no team_overload alert and no overloaded member.
    assert rows(con, "select * from mart_alerts where account_id = 'TX' and kind = 'team_overload'") == []
    tx = rows(
        con,
        "select team_max_utilisation_pct, overloaded_members from int_health_inputs"
        " where account_id = 'TX' and is_current",
    )[0]
    assert tx["overloaded_members"] == 0
    assert tx["team_max_utilisation_pct"] == pytest.approx(110.0, abs=1e-9)


def test_just_above_110_pct_is_overloaded(con):
    eo = _workload(con, "EO")
    # 96.81 / 88 = 1.1001136... -> 110.011 %.
    assert eo["utilisation_pct"] == pytest.approx(110.011, abs=0.001)
    assert eo["overloaded"] is True
    alert = rows(con, "select detail_count from mart_alerts where account_id = 'TO' and kind = 'team_overload'")
    assert alert == [{"detail_count": 1}]
    dept = rows(con, "select overloaded_employees from mart_department_monthly where month = '2026-10-01'")
    assert dept == [{"overloaded_employees": 1}]  # EO only, not EX


def test_growth_is_null_when_prior_revenue_cancels_to_zero_cents(con):
    g0 = rows(con, "select * from mart_accounts where account_id = 'G0'")[0]
    assert g0["revenue_12m_eur"] == pytest.approx(100.0)
    assert g0["revenue_prior_12m_eur"] == pytest.approx(0.0, abs=0.005)
    assert g0["revenue_growth_pct"] is None
    health = rows(con, "select revenue_growth_pct, commercial_score from mart_account_health where account_id = 'G0'")[
        0
    ]
    assert health == {"revenue_growth_pct": None, "commercial_score": None}


def test_margin_is_null_when_costed_revenue_cancels_to_zero_cents(con):
    m0 = rows(con, "select revenue_12m_eur, margin_pct, revenue_growth_pct from mart_accounts where account_id = 'M0'")[
        0
    ]
    assert m0["revenue_12m_eur"] == pytest.approx(0.0, abs=0.005)
    assert (m0["margin_pct"], m0["revenue_growth_pct"]) == (None, None)


def test_acv_counts_contracts_on_their_first_and_last_day(con):
    # Active at D: start_date <= D and end_date >= D: ends_at_d 1000 + starts_at_d 2000 = 3000.
    c1 = rows(con, "select acv_eur, active_contracts from mart_accounts where account_id = 'C1'")[0]
    assert c1 == {"acv_eur": 3000.0, "active_contracts": 2}
    active = {r["contract_id"]: r["is_active"] for r in rows(con, "select contract_id, is_active from mart_contracts")}
    assert active == {"ends_at_d": True, "starts_at_d": True, "starts_after_d": False}


def test_commitments_promised_after_d_prime_or_done_after_d(con):
    got = {
        r["as_of"]: (r["commitments_open"], r["commitments_overdue"])
        for r in rows(
            con,
            "select as_of, commitments_open, commitments_overdue from int_health_commitments"
            " where account_id = 'CM' and as_of in ('2026-10-31', '2026-11-26')",
        )
    }
    # D' = 2026-10-31: only CMb exists (CMa promised 11-05); CMb open (done after D'), due 10-15 < D'.
    # D: CMa and CMb open (CMb's done_on 11-27 is after D), both due before D.
    assert got == {date(2026, 10, 31): (1, 1), date(2026, 11, 26): (2, 2)}
    alert = rows(
        con,
        "select detail_date, detail_value, detail_count, severity from mart_alerts"
        " where account_id = 'CM' and kind = 'overdue_commitment'",
    )[0]
    # Oldest overdue CMb due 2026-10-15: 42 days before D (> 30 -> high); 2 overdue.
    assert alert == {"detail_date": date(2026, 10, 15), "detail_value": 42.0, "detail_count": 2, "severity": "high"}


def test_as_of_on_the_last_day_of_a_month():
    # D = 2026-10-31: last complete month is September, never October; history D' = 2026-09-30
    # back to 2025-10-31 (12 month-ends), D itself not among them.
    con = build({"employees": [_employee("K", 40.0)], "accounts": [_account("Z")]}, as_of=date(2026, 10, 31))
    params = rows(con, "select last_complete_month from kpi_params")[0]
    assert params["last_complete_month"] == date(2026, 9, 1)
    got = rows(con, "select list(as_of order by as_of) as dates from mart_account_health_history")[0]["dates"]
    assert got == [
        date(2025, 10, 31),
        date(2025, 11, 30),
        date(2025, 12, 31),
        date(2026, 1, 31),
        date(2026, 2, 28),
        date(2026, 3, 31),
        date(2026, 4, 30),
        date(2026, 5, 31),
        date(2026, 6, 30),
        date(2026, 7, 31),
        date(2026, 8, 31),
        date(2026, 9, 30),
    ]
    current = rows(con, "select as_of, last_complete_month from int_health_as_of where is_current")[0]
    assert current == {"as_of": date(2026, 10, 31), "last_complete_month": date(2026, 9, 1)}
