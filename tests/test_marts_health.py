"""Health score, its components and its history on hand-made fixtures.

D = 2026-11-26: SLA window (2026-08-28, 2026-11-26], surveys/commitments (2025-11-26, 2026-11-26],
revenue 2025-11..2026-10 vs 2024-11..2025-10, team month 2026-10 (22 weekdays).
Default components (bad, good, weight): sla 80/98/.25, satisfaction -20/50/.20,
relationship 60/14/.15, commitments 60/95/.15, commercial -10/10/.15, team 130/100/.10.
"""

from datetime import date, datetime, timedelta

import pytest
from marts_fixture import build, rows

AS_OF = date(2026, 11, 26)
ACCOUNTS = ("H1", "H2", "H3", "H4", "HX", "EMPTY")


def _ticket(ticket_id, account_id, created, resolved=None, kind="reactive", status="resolved", resolution_due=None):
    return {
        "ticket_id": ticket_id,
        "account_id": account_id,
        "priority": "P2",
        "kind": kind,
        "status": status,
        "created_at": created,
        "resolved_at": resolved,
        "resolution_due_at": resolution_due,
        "escalated": False,
    }


def _h1_tickets():
    """Nine tickets resolved within 24 h, one after 48 h, and three that must not count."""
    start = datetime(2026, 9, 1, 10, 0)
    met = [_ticket(f"H1-{i}", "H1", start + timedelta(days=i), start + timedelta(days=i, hours=2)) for i in range(9)]
    return met + [
        _ticket("H1-late", "H1", datetime(2026, 10, 1, 10), datetime(2026, 10, 3, 10)),
        _ticket("H1-before-window", "H1", datetime(2026, 8, 28, 10), status="open"),  # created D - 90: outside
        _ticket("H1-pending", "H1", datetime(2026, 11, 26, 20), status="open"),  # due 11-27 20:00 > D_end
        _ticket("H1-planned", "H1", datetime(2026, 10, 1, 10), kind="planned", status="open"),
        _ticket("H1-cancelled", "H1", datetime(2026, 10, 1, 10), status="cancelled"),
    ]


def _history_tickets():
    return [
        _ticket("HX-a", "HX", datetime(2026, 10, 10, 10), datetime(2026, 10, 10, 12)),
        _ticket("HX-b", "HX", datetime(2026, 10, 20, 10), datetime(2026, 11, 3, 10)),
        _ticket("HX-c", "HX", datetime(2026, 10, 31, 20), datetime(2026, 11, 1, 10)),
        _ticket(
            "HX-d",
            "HX",
            datetime(2026, 10, 30, 10),
            datetime(2026, 10, 31, 23),
            resolution_due=datetime(2026, 11, 10, 10),
        ),
    ]


def _survey(n, account_id, day, nps):
    return {"response_id": f"S{n}", "account_id": account_id, "response_date": day, "nps": nps}


def _commitment(n, account_id, due, done, promised=date(2025, 1, 1)):
    return {
        "commitment_id": f"CM{n}",
        "account_id": account_id,
        "owner_id": "M1",
        "promised_on": promised,
        "due_date": due,
        "done_on": done,
        "description": "x",
    }


def _revenue(account_id, month, amount):
    return {"account_id": account_id, "month": month, "service_line": "technical_fm", "revenue_eur": amount}


def _growth(account_id, prior, recent):
    """One prior-window month and one recent-window month of revenue."""
    return [_revenue(account_id, date(2025, 1, 1), prior), _revenue(account_id, date(2026, 1, 1), recent)]


def _member(account_id, employee_id):
    return {"account_id": account_id, "employee_id": employee_id, "team_role": "x", "allocation_pct": 50.0}


@pytest.fixture(scope="module")
def con():
    employees = [
        {"employee_id": e, "name": e, "department": "Ops", "role": "x", "weekly_capacity_h": cap, "active": True}
        for e, cap in (("M1", 50.0), ("M2", 0.0), ("M3", 40.0))
    ]
    data = {
        "employees": employees,
        "accounts": [
            {"account_id": a, "account_name": a, "industry": "x", "region": "x", "kam_id": "M1"} for a in ACCOUNTS
        ],
        "sla_policies": [
            {
                "account_id": a,
                "priority": "P2",
                "response_target_h": 4.0,
                "resolution_target_h": 24.0,
                "target_pct": 95.0,
            }
            for a in ("H1", "HX")
        ],
        "tickets": _h1_tickets() + _history_tickets(),
        "surveys": [
            _survey(1, "H1", date(2026, 11, 1), 10),
            _survey(2, "H1", date(2026, 10, 1), 7),
            _survey(3, "H2", date(2026, 11, 1), 10),
            _survey(4, "H2", date(2026, 10, 1), 7),
            _survey(5, "HX", date(2026, 11, 10), 0),
        ],
        "interactions": [
            {
                "interaction_id": "I1",
                "account_id": "H1",
                "interaction_date": date(2026, 10, 20),
                "channel": "call",
                "initiated_by": "us",
            },
            {
                "interaction_id": "I2",
                "account_id": "HX",
                "interaction_date": date(2026, 11, 20),
                "channel": "call",
                "initiated_by": "us",
            },
        ],
        "commitments": [
            _commitment(1, "H1", date(2026, 6, 1), date(2026, 6, 1)),
            _commitment(2, "H1", date(2026, 7, 1), date(2026, 6, 20)),
            _commitment(3, "H1", date(2026, 8, 1), date(2026, 7, 30)),
            _commitment(4, "H1", date(2026, 9, 1), date(2026, 9, 2)),
            _commitment(5, "H3", date(2026, 9, 1), date(2026, 9, 1)),
            _commitment(6, "HX", date(2026, 10, 15), date(2026, 11, 2)),
            _commitment(7, "HX", date(2026, 11, 5), date(2026, 11, 1), promised=date(2026, 10, 1)),
        ],
        "revenue": _growth("H1", 100.0, 100.0) + _growth("H2", 100.0, 110.0),
        "account_team": [
            _member("H1", "M1"),
            _member("H1", "M2"),
            _member("H1", "M3"),
            _member("H3", "M2"),
            _member("H4", "M3"),
        ],
        # M1: 11 x 23 h = 253 h in October (capacity 50 x 22 / 5 = 220 h -> 115 %); M2 (capacity 0) 24 h.
        "time_bookings": [
            {
                "booking_id": f"B{i}",
                "employee_id": "M1",
                "booking_date": date(2026, 10, i + 1),
                "hours": 23.0,
                "activity": "x",
            }
            for i in range(11)
        ]
        + [
            {
                "booking_id": "B-M2",
                "employee_id": "M2",
                "booking_date": date(2026, 10, 5),
                "hours": 24.0,
                "activity": "x",
            }
        ],
    }
    return build(data, as_of=AS_OF)


def _health(con, account_id):
    return rows(con, "select * from mart_account_health where account_id = ?", [account_id])[0]


def test_all_six_components(con):
    h1 = _health(con, "H1")
    # sla: 9 met, 1 breached (the ticket before the window, the pending, planned and cancelled ones
    #      do not count) -> 90 % -> (90 - 80) / 18 = 55.556
    # satisfaction: nps 10 and 7 -> 50 - 0 = 50 -> 100
    # relationship: 2026-10-20 -> 37 days -> (37 - 60) / (14 - 60) = 0.5 -> 50
    # commitments: 3 of 4 on time -> 75 % -> (75 - 60) / 35 = 42.857
    # commercial: 100 vs 100 -> 0 % -> 50
    # team: M1 115 %, M2 left out (capacity 0), M3 0 % (no bookings) -> 115 -> (115 - 130) / -30 = 50
    # health = .25 x 55.556 + .2 x 100 + .15 x 50 + .15 x 42.857 + .15 x 50 + .1 x 50
    #        = 13.889 + 20 + 7.5 + 6.429 + 7.5 + 5 = 60.317 -> 60.3, watch
    expected_metrics = {
        "sla_compliance_pct": 90.0,
        "nps": 50.0,
        "days_since_proactive": 37,
        "commitment_ontime_pct": 75.0,
        "revenue_growth_pct": 0.0,
        "team_max_utilisation_pct": 115.0,
    }
    expected_scores = {
        "sla_score": 55.556,
        "satisfaction_score": 100.0,
        "relationship_score": 50.0,
        "commitments_score": 42.857,
        "commercial_score": 50.0,
        "team_score": 50.0,
    }
    for column, value in {**expected_metrics, **expected_scores}.items():
        assert h1[column] == pytest.approx(value, abs=0.01), column
    assert (h1["health_score"], h1["band"], h1["weight_used"], h1["relationship_never"]) == (60.3, "watch", 1.0, False)


def test_exactly_half_the_weight_still_scores_and_never_contacted_is_zero(con):
    h2 = _health(con, "H2")
    # never contacted: relationship 0 (weight .15), nps 50 -> 100 (.2), growth 10 % -> 100 (.15);
    # sla, commitments, team without data. Weight .5 (not below .5) -> (0 + 20 + 15) / .5 = 70.0 -> healthy.
    assert (h2["relationship_score"], h2["relationship_never"], h2["days_since_proactive"]) == (0.0, True, None)
    assert (h2["sla_score"], h2["commitments_score"], h2["team_score"]) == (None, None, None)
    assert h2["weight_used"] == pytest.approx(0.5)
    assert (h2["health_score"], h2["band"]) == (70.0, "healthy")


def test_below_half_the_weight_is_null(con):
    h3 = _health(con, "H3")
    # never (.15) + commitments 1/1 on time -> 100 (.15) = .3 < .5 -> NULL score and band.
    # The only team member has capacity 0 -> team metric NULL.
    assert h3["weight_used"] == pytest.approx(0.3)
    assert (h3["team_max_utilisation_pct"], h3["health_score"], h3["band"]) == (None, None, None)


def test_member_without_bookings_counts_zero(con):
    h4 = _health(con, "H4")
    # Only M3 (capacity 176 h, no bookings in October) -> 0 % -> clamped to 100 (bad 130 > good 100).
    assert (h4["team_max_utilisation_pct"], h4["team_score"]) == (0.0, 100.0)


def _at(con, account_id, as_of):
    return rows(con, "select * from int_health_scores where account_id = ? and as_of = ?", [account_id, as_of])[0]


def test_history_cuts_events_at_each_month_end(con):
    previous = _at(con, "HX", date(2026, 10, 31))
    # At D' = 2026-10-31 (D'_end = 2026-11-01 00:00), window (2026-08-02, 2026-10-31]:
    #   a met; b (due 10-21 10:00, resolved 11-03 = after D') open and breached;
    #   c (due 11-01 20:00, resolved 11-01 = after D') open and pending; d resolved 10-31 23:00 <= due: met
    #   -> 2 / 3 = 66.667 %; the survey of 11-10 has not happened -> nps NULL; the contact of 11-20 neither
    #   -> never (0); commitments: CM6 due 10-15 done 11-02 is open at D' -> 0 / 1 on time.
    # score: sla 0 (< 80), relationship 0, commitments 0; weight .25 + .15 + .15 = .55 -> 0.0, at_risk.
    assert previous["sla_compliance_pct"] == pytest.approx(66.667, abs=0.01)
    assert (previous["nps"], previous["relationship_never"], previous["commitment_ontime_pct"]) == (None, True, 0.0)
    assert (previous["health_score"], previous["band"]) == (0.0, "at_risk")
    commitments = rows(
        con,
        "select commitments_open, commitments_overdue from int_health_commitments"
        " where account_id = 'HX' and as_of = '2026-10-31'",
    )[0]
    assert (commitments["commitments_open"], commitments["commitments_overdue"]) == (2, 1)
    current = _health(con, "HX")
    # At D: a, c, d met, b breached -> 75 % -> 0; nps -100 -> 0; 6 days -> 100 (clamped);
    # CM6 late, CM7 on time -> 50 % -> 0. Weight .75 -> .15 x 100 / .75 = 20.0, at_risk.
    assert current["sla_compliance_pct"] == pytest.approx(75.0)
    assert (current["nps"], current["days_since_proactive"], current["commitment_ontime_pct"]) == (-100.0, 6, 50.0)
    assert (current["health_score"], current["band"]) == (20.0, "at_risk")
    # At 2026-09-30 there is no ticket in (2026-07-02, 2026-09-30]: sla NULL.
    assert _at(con, "HX", date(2026, 9, 30))["sla_compliance_pct"] is None


def test_every_account_has_twelve_history_rows(con):
    got = rows(
        con,
        "select account_id, list(as_of order by as_of) as dates, count(health_score) as scored"
        " from mart_account_health_history group by account_id order by account_id",
    )
    month_ends = [date(2025, 11, 30), date(2025, 12, 31)] + [
        date(2026, m + 1, 1) - timedelta(days=1) for m in range(1, 11)
    ]
    assert [r["account_id"] for r in got] == sorted(ACCOUNTS)
    assert all(r["dates"] == month_ends for r in got)
    # The account without any data has 12 rows, all NULL.
    assert next(r for r in got if r["account_id"] == "EMPTY")["scored"] == 0


def test_accounts_mart_carries_current_and_previous_health(con):
    got = rows(con, "select health_score, band, health_prev, band_prev from mart_accounts where account_id = 'HX'")
    assert tuple(got[0].values()) == (20.0, "at_risk", 0.0, "at_risk")


ROUNDING_SETTINGS = {
    "health": {
        "components": {
            "sla": {"weight": 0.0},
            "relationship": {"weight": 0.0},
            "commitments": {"weight": 0.0},
            "team": {"weight": 0.0},
            "satisfaction": {"bad": 0.0, "good": 100.0, "weight": 0.5},
            "commercial": {"weight": 0.5},
        }
    }
}


@pytest.fixture(scope="module")
def rounding_con():
    """Health = .5 x nps + .5 x 5 x (growth + 10) (only satisfaction and commercial weigh)."""
    cases = {
        "R1": (10, 8, 108.9),
        "R2": (10, 8, 107.98),
        "R3": (10, 0, 109.98),
        "R4": (10, 0, 109.96),
        "R5": (10, 8, 108.94),
    }
    data = {
        "employees": [
            {
                "employee_id": "K",
                "name": "Kam",
                "department": "x",
                "role": "x",
                "weekly_capacity_h": 40.0,
                "active": True,
            }
        ],
        "accounts": [
            {"account_id": a, "account_name": a, "industry": "x", "region": "x", "kam_id": "K"} for a in cases
        ],
        "surveys": [
            _survey(f"{a}{i}", a, date(2026, 11, 1), score)
            for a, (first, second, _) in cases.items()
            for i, score in enumerate((first, second))
        ],
        "revenue": [row for a, (_, _, recent) in cases.items() for row in _growth(a, 100.0, recent)],
    }
    return build(data, as_of=AS_OF, settings_override=ROUNDING_SETTINGS)


def test_round_half_up_and_band_from_rounded_score(rounding_con):
    got = {
        r["account_id"]: (r["health_score"], r["band"]) for r in rows(rounding_con, "select * from mart_account_health")
    }
    # R1: nps (10, 8) = 50; growth 8.9 % -> 94.5 -> 25 + 47.25 = 72.25 -> 72.3 (half up) -> healthy
    # R2: nps 50; growth 7.98 % -> 89.9 -> 25 + 44.95 = 69.95 -> 70.0 -> healthy
    # R3: nps (10, 0) = 0; growth 9.98 % -> 99.9 -> 49.95 -> 50.0 -> watch
    # R4: nps 0; growth 9.96 % -> 99.8 -> 49.9 -> at_risk
    # R5: nps 50; growth 8.94 % -> 94.7 -> 25 + 47.35 = 72.35 (a double just below 72.35) -> 72.4
    assert got == {
        "R1": (72.3, "healthy"),
        "R2": (70.0, "healthy"),
        "R3": (50.0, "watch"),
        "R4": (49.9, "at_risk"),
        "R5": (72.4, "healthy"),
    }


def test_round_half_up_macro(rounding_con):
    # 72.25 and 0.15 are stored as binary doubles just below the decimal value; still half up.
    got = rounding_con.execute(
        "select round_half_up_1(72.25::double), round_half_up_1(0.15::double), round_half_up_1(72.2499999999),"
        " round_half_up_1(72.24)"
    ).fetchone()
    assert got == (72.3, 0.2, 72.3, 72.2)


def test_kam_portfolio_counts_bands(rounding_con):
    got = rows(rounding_con, "select accounts, accounts_at_risk, accounts_watch from mart_kam_portfolio")
    # R1, R2 and R5 healthy, R3 watch, R4 at_risk.
    assert got == [{"accounts": 5, "accounts_at_risk": 1, "accounts_watch": 1}]
