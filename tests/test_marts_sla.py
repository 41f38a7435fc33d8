"""SLA & service marts on a hand-made fixture; every expected number is worked out by hand.

As-of date D = 2026-04-15 (Wednesday), so D_end = 2026-04-16 00:00 Berlin (CEST, 22:00 UTC).
Policies of account A1: P1 response 2 h / resolution 8 h / target 90 %,
P2 response 4 h / resolution 24 h / target 80 %, no P3 policy. A2: P1 1 h / 4 h / 95 %.
Naive timestamps are Berlin local time.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from marts_fixture import build, rows, ticket

from kamdata.app.formats import number

BERLIN = ZoneInfo("Europe/Berlin")
AS_OF = date(2026, 4, 15)


def planned(ticket_id, due_at, service_line="hvac", **fields):
    return ticket(
        ticket_id, "P3", "2026-03-01 08:00", kind="planned", due_at=due_at, service_line=service_line, **fields
    )


TICKETS = [
    # February, A1: both priorities breached -> breach month 'P1, P2'.
    ticket("T15", "P1", "2026-02-10 10:00", resolved_at="2026-02-11 10:00", status="resolved"),
    ticket(
        "T16",
        "P2",
        "2026-02-10 10:00",
        first_response_at="2026-02-10 10:30",
        resolved_at="2026-02-12 10:00",
        status="resolved",
    ),
    # March, A1, P1: met/met (7 h) ; breached/breached (12 h) ; override met/met (14 h).
    ticket(
        "T01",
        "P1",
        "2026-03-02 08:00",
        first_response_at="2026-03-02 09:00",
        resolved_at="2026-03-02 15:00",
        status="resolved",
        first_time_fix=True,
    ),
    ticket(
        "T02",
        "P1",
        "2026-03-03 08:00",
        first_response_at="2026-03-03 11:00",
        resolved_at="2026-03-03 20:00",
        status="closed",
        first_time_fix=False,
        escalated=True,
    ),
    # Policy would say breached (due 10:00 / 16:00); the ticket's own due times say met.
    ticket(
        "T03",
        "P1",
        "2026-03-04 08:00",
        first_response_at="2026-03-04 11:00",
        resolved_at="2026-03-04 22:00",
        response_due_at="2026-03-04 12:00",
        resolution_due_at="2026-03-05 08:00",
        status="resolved",
    ),
    # Across the DST switch: 2026-03-28 20:00 CET + 24 h elapsed = 2026-03-29 21:00 CEST.
    # Resolved 20:30 CEST -> met (a wall-clock +24 h would end 20:00 and call it breached); 23.5 h.
    ticket(
        "T04",
        "P2",
        "2026-03-28 20:00",
        first_response_at="2026-03-28 23:00",
        resolved_at="2026-03-29 20:30",
        status="resolved",
        first_time_fix=True,
    ),
    # P3 has no policy: T05 is "no SLA"; T06 has only a resolution due time (response not judged).
    ticket("T05", "P3", "2026-03-10 10:00", resolved_at="2026-03-10 14:00", status="resolved", first_time_fix=True),
    ticket("T06", "P3", "2026-03-11 10:00", resolution_due_at="2026-03-12 10:00"),
    # Out of scope: cancelled, and created after D_end.
    ticket("T07", "P1", "2026-03-05 10:00", status="cancelled"),
    ticket("T09", "P1", "2026-04-16 00:30"),
    # April (month of D), P1: T10 response due 22:00 < D_end -> breached, resolution due
    # 04:00 next day -> pending; T11 both due after D_end -> pending.
    ticket("T10", "P1", "2026-04-15 20:00", technician_id="E1"),
    ticket("T11", "P1", "2026-04-15 23:00", technician_id="E1"),
    # April, P2: response and resolution after D_end have not happened yet -> breached, backlog.
    ticket(
        "T12",
        "P2",
        "2026-04-10 10:00",
        first_response_at="2026-04-16 09:00",
        resolved_at="2026-04-16 10:00",
        technician_id="E2",
    ),
    ticket("T13", "P2", "2026-04-01 09:00", technician_id="E1", first_time_fix=True, escalated=True),
    ticket("T14", "P2", "2026-04-13 00:00", first_response_at="2026-04-13 01:00", technician_id="E2"),
    # A2 (malus terms, no contract) and A3 (no policy, no malus terms).
    ticket(
        "T20",
        "P1",
        "2026-03-05 10:00",
        account_id="A2",
        first_response_at="2026-03-05 10:30",
        resolved_at="2026-03-05 20:00",
        status="resolved",
    ),
    ticket("T21", "P1", "2026-03-06 10:00", account_id="A3"),
    # Planned maintenance of A1.
    planned("P1", "2026-03-15 12:00", resolved_at="2026-03-15 10:00", status="resolved"),
    planned("P2", "2026-03-20 12:00", resolved_at="2026-03-21 09:00", status="resolved"),
    planned("P3", "2026-03-25 12:00"),
    planned("P4", "2026-04-30 12:00", service_line="electrical"),
    planned("P5", "2026-04-01 00:30", resolved_at="2026-03-31 23:00", status="resolved"),
    planned("P6", "2026-03-10 12:00", status="cancelled"),
    planned("P7", "2026-04-15 23:00", service_line="electrical"),
]

POLICIES = [
    {"account_id": "A1", "priority": "P1", "response_target_h": 2, "resolution_target_h": 8, "target_pct": 90},
    {"account_id": "A1", "priority": "P2", "response_target_h": 4, "resolution_target_h": 24, "target_pct": 80},
    {"account_id": "A2", "priority": "P1", "response_target_h": 1, "resolution_target_h": 4, "target_pct": 95},
]

CONTRACTS = [
    {"contract_id": "C1", "account_id": "A1", "annual_value_eur": 120000, "start_date": "2025-01-01", "end_date": None},
    {
        "contract_id": "C2",
        "account_id": "A1",
        "annual_value_eur": 24000,
        "start_date": "2026-03-15",
        "end_date": "2026-12-31",
    },
    {
        "contract_id": "C3",
        "account_id": "A1",
        "annual_value_eur": 60000,
        "start_date": "2024-01-01",
        "end_date": "2026-02-28",
    },
]

MALUS = [
    {"account_id": "A1", "malus_pct_per_point": 0.1, "malus_cap_pct": 5},
    {"account_id": "A2", "malus_pct_per_point": 1, "malus_cap_pct": 10},
]

EMPLOYEES = [
    {"employee_id": "E1", "department": "HVAC", "active": True},
    {"employee_id": "E2", "department": "Electrical", "active": True},
]


@pytest.fixture(scope="module")
def con():
    connection = build(
        {
            "tickets": TICKETS,
            "sla_policies": POLICIES,
            "contracts": CONTRACTS,
            "sla_malus": MALUS,
            "employees": EMPLOYEES,
        },
        AS_OF,
    )
    yield connection
    connection.close()


def by_key(con, sql, *key):
    return {tuple(r[k] for k in key) if len(key) > 1 else r[key[0]]: r for r in rows(con, sql)}


def test_ticket_scope_excludes_cancelled_planned_and_future_tickets(con):
    ids = {r["ticket_id"] for r in rows(con, "select ticket_id from mart_ticket_sla")}
    assert ids == {
        "T15",
        "T16",
        "T01",
        "T02",
        "T03",
        "T04",
        "T05",
        "T06",
        "T10",
        "T11",
        "T12",
        "T13",
        "T14",
        "T20",
        "T21",
    }


def test_ticket_statuses_due_times_and_overrides(con):
    t = by_key(con, "select * from mart_ticket_sla", "ticket_id")
    # Override beats the policy: due 12:00 / next day 08:00 instead of 10:00 / 16:00.
    assert t["T03"]["response_due"] == datetime(2026, 3, 4, 12, 0, tzinfo=BERLIN)
    assert (t["T03"]["response_status"], t["T03"]["resolution_status"]) == ("met", "met")
    assert (t["T02"]["response_status"], t["T02"]["resolution_status"]) == ("breached", "breached")
    # DST: due 2026-03-29 21:00 CEST, resolved 20:30 -> met, 23.5 elapsed hours.
    assert t["T04"]["resolution_due"] == datetime(2026, 3, 29, 21, 0, tzinfo=BERLIN)
    assert t["T04"]["resolution_status"] == "met"
    assert t["T04"]["resolution_h"] == pytest.approx(23.5)
    # Pending vs breached at D_end for tickets without response.
    assert (t["T10"]["response_status"], t["T10"]["resolution_status"]) == ("breached", "pending")
    assert (t["T11"]["response_status"], t["T11"]["resolution_status"]) == ("pending", "pending")
    # Response / resolution after D_end have not happened yet.
    assert (t["T12"]["response_status"], t["T12"]["resolution_status"]) == ("breached", "breached")
    assert t["T12"]["resolved_at"] is None and t["T12"]["is_backlog"]
    # Only a resolution due time: response not judged, ticket is not "no SLA".
    assert (t["T06"]["response_status"], t["T06"]["resolution_status"], t["T06"]["no_sla"]) == (None, "breached", False)
    assert (t["T05"]["response_status"], t["T05"]["resolution_status"], t["T05"]["no_sla"]) == (None, None, True)
    assert t["T04"]["month"] == date(2026, 3, 1) and t["T10"]["created_date"] == date(2026, 4, 15)


def test_backlog_ageing_buckets(con):
    t = by_key(con, "select * from mart_ticket_sla where is_backlog", "ticket_id")
    # Completed days from created_at to D_end (2026-04-15 22:00 UTC):
    # T10 4 h -> 0; T11 1 h -> 0; T14 04-12 22:00 UTC -> exactly 3 d; T12 04-10 08:00 UTC -> 5 d 14 h;
    # T13 04-01 07:00 UTC -> 14 d 15 h; T06 03-11 09:00 UTC -> 35 d 13 h; T21 03-06 09:00 UTC -> 40 d.
    expected = {
        "T10": (0, "0-2 d"),
        "T11": (0, "0-2 d"),
        "T14": (3, "3-7 d"),
        "T12": (5, "3-7 d"),
        "T13": (14, "8-30 d"),
        "T06": (35, "> 30 d"),
        "T21": (40, "> 30 d"),
    }
    assert {k: (v["backlog_age_days"], v["backlog_bucket"]) for k, v in t.items()} == expected
    resolved = rows(con, "select backlog_bucket, backlog_age_days from mart_ticket_sla where ticket_id = 'T01'")
    assert resolved == [{"backlog_bucket": None, "backlog_age_days": None}]


def test_sla_monthly_counts_and_compliance(con):
    m = by_key(con, "select * from mart_sla_monthly", "account_id", "month", "priority")
    mar, apr = date(2026, 3, 1), date(2026, 4, 1)
    p1 = m[("A1", mar, "P1")]
    # T01 met/met, T02 breached/breached, T03 met/met -> 2 of 3 = 66.67 % each; target 90.
    assert (p1["tickets"], p1["response_met"], p1["response_breached"]) == (3, 2, 1)
    assert (p1["resolution_met"], p1["resolution_breached"]) == (2, 1)
    assert p1["response_compliance_pct"] == pytest.approx(200 / 3)
    assert p1["resolution_compliance_pct"] == pytest.approx(200 / 3)
    assert p1["target_pct"] == 90
    # P3 without policy: T05 no SLA (still counted in tickets), T06 resolution breached -> 0 %.
    p3 = m[("A1", mar, "P3")]
    assert (p3["tickets"], p3["tickets_no_sla"], p3["response_compliance_pct"]) == (2, 1, None)
    assert (p3["resolution_compliance_pct"], p3["target_pct"]) == (0.0, None)
    # April P1 (month to date): response T10 breached, T11 pending -> 0 %; resolution only pending -> NULL.
    a1 = m[("A1", apr, "P1")]
    assert (a1["tickets"], a1["response_compliance_pct"], a1["resolution_compliance_pct"]) == (2, 0.0, None)
    assert (a1["resolution_pending"], a1["response_pending"]) == (2, 1)
    # April P2: response T12 breached, T13 breached, T14 met -> 33.33 %; resolution 3 breached -> 0 %.
    a2 = m[("A1", apr, "P2")]
    assert a2["response_compliance_pct"] == pytest.approx(100 / 3)
    assert a2["resolution_compliance_pct"] == 0.0
    assert ("A1", date(2026, 5, 1), "P1") not in m  # T09 (created after D_end) makes no row


def test_mttr_first_time_fix_and_escalation(con):
    m = by_key(con, "select * from mart_sla_monthly", "account_id", "month", "priority")
    p1 = m[("A1", date(2026, 3, 1), "P1")]
    # Resolution hours 7 (T01), 12 (T02), 14 (T03): median 12.
    assert p1["mttr_h"] == pytest.approx(12.0)
    # FTF true (T01), false (T02), NULL (T03, excluded) -> 1 / 2 = 50 %.
    assert (p1["first_time_fixes"], p1["first_time_fix_known"], p1["first_time_fix_pct"]) == (1, 2, 50.0)
    # Escalated: T02 of 3 -> 33.33 %.
    assert p1["escalation_rate_pct"] == pytest.approx(100 / 3)
    # April P2: nothing resolved by D_end, T13's first_time_fix counts only for resolved tickets -> NULL.
    a2 = m[("A1", date(2026, 4, 1), "P2")]
    assert (a2["mttr_h"], a2["first_time_fix_pct"], a2["escalation_rate_pct"]) == (None, None, pytest.approx(100 / 3))


def test_ppm_compliance_by_berlin_month_of_due(con):
    ppm = by_key(con, "select * from mart_ppm_monthly", "month", "service_line")
    # March hvac: P1 on time, P2 late, P3 open -> 1 / 3; P6 cancelled, P4 due after D_end.
    assert (ppm[(date(2026, 3, 1), "hvac")]["ppm_due"], ppm[(date(2026, 3, 1), "hvac")]["ppm_on_time"]) == (3, 1)
    assert ppm[(date(2026, 3, 1), "hvac")]["ppm_compliance_pct"] == pytest.approx(100 / 3)
    # P5 due 2026-04-01 00:30 Berlin (still March in UTC) counts in April; resolved before -> on time.
    assert ppm[(date(2026, 4, 1), "hvac")]["ppm_compliance_pct"] == 100.0
    # P7 due 2026-04-15 23:00 (before D_end), still open -> 0 %.
    assert (
        ppm[(date(2026, 4, 1), "electrical")]["ppm_due"],
        ppm[(date(2026, 4, 1), "electrical")]["ppm_compliance_pct"],
    ) == (1, 0.0)
    assert len(ppm) == 3


def test_breach_months(con):
    got = {
        (r["account_id"], r["month"]): r["breached_priorities"]
        for r in rows(con, "select * from mart_sla_breach_months")
    }
    # Feb: P1 0 % < 90 and P2 0 % < 80; Mar: P1 66.7 % < 90 (P2 100 %, P3 has no target);
    # Apr: P1 NULL (only pending) is no breach, P2 0 % < 80; A2 Mar: 0 % < 95.
    assert got == {
        ("A1", date(2026, 2, 1)): "P1, P2",
        ("A1", date(2026, 3, 1)): "P1",
        ("A1", date(2026, 4, 1)): "P2",
        ("A2", date(2026, 3, 1)): "P1",
    }


def test_malus_exposure(con):
    m = by_key(con, "select * from mart_sla_malus", "account_id", "month")
    assert set(m) == {
        ("A1", date(2026, 2, 1)),
        ("A1", date(2026, 3, 1)),
        ("A1", date(2026, 4, 1)),
        ("A2", date(2026, 3, 1)),
    }
    feb, mar, apr = (m[("A1", date(2026, month, 1))] for month in (2, 3, 4))
    # Feb: C1 + C3 active on 02-01 -> (120000 + 60000) / 12 = 15000; shortfall 90 + 80 = 170;
    # 0.1 x 170 = 17 -> capped at 5 % -> 750 EUR.
    assert (feb["monthly_fee_eur"], feb["shortfall_points"], feb["malus_pct"]) == (15000, 170, 5)
    assert feb["exposure_eur"] == pytest.approx(750)
    # Mar: C3 ended 02-28, C2 starts 03-15 -> 10000; shortfall P1 90 - 66.67 = 23.33, P2 0, P3 none;
    # malus 2.333 % -> 233.33 EUR.
    assert mar["monthly_fee_eur"] == 10000
    assert mar["shortfall_points"] == pytest.approx(70 / 3)
    assert mar["malus_pct"] == pytest.approx(7 / 3)
    assert mar["exposure_eur"] == pytest.approx(700 / 3)
    # Apr (month to date, full fee): C1 + C2 -> 12000; P1 NULL adds 0, P2 80 -> 8 % capped 5 -> 600.
    assert (apr["monthly_fee_eur"], apr["shortfall_points"], apr["malus_pct"]) == (12000, 80, 5)
    assert apr["exposure_eur"] == pytest.approx(600)
    # A2: no contract -> fee 0; shortfall 95 x 1 -> capped 10 % -> 0 EUR.
    a2 = m[("A2", date(2026, 3, 1))]
    assert (a2["monthly_fee_eur"], a2["malus_pct"], a2["exposure_eur"]) == (0, 10, 0)


def test_technician_backlog_by_department(con):
    got = {
        (r["account_id"], r["department"]): (r["open_tickets"], r["oldest_age_days"])
        for r in rows(con, "select * from mart_technician_backlog")
    }
    # HVAC (E1): T10 0 d, T11 0 d, T13 14 d; Electrical (E2): T12 5 d, T14 3 d; unassigned: T06 35 d.
    assert got == {
        ("A1", "HVAC"): (3, 14),
        ("A1", "Electrical"): (2, 5),
        ("A1", "unassigned"): (1, 35),
        ("A3", "unassigned"): (1, 40),
    }


def test_due_exactly_at_d_end_is_pending_and_response_at_d_end_has_happened():
    # D_end = 2026-04-16 00:00 Berlin. "Breached" needs D_end > due, so a due time of exactly
    # D_end without response is still pending; a response stamped exactly D_end has happened (met).
    con = build(
        {
            "tickets": [
                ticket(
                    "E1",
                    "P1",
                    "2026-04-15 08:00",
                    response_due_at="2026-04-16 00:00",
                    resolution_due_at="2026-04-15 23:59",
                ),
                ticket(
                    "E2",
                    "P1",
                    "2026-04-15 08:00",
                    first_response_at="2026-04-16 00:00",
                    response_due_at="2026-04-16 00:00",
                ),
            ]
        },
        AS_OF,
    )
    got = {
        r["ticket_id"]: (r["response_status"], r["resolution_status"])
        for r in rows(con, "select * from mart_ticket_sla")
    }
    assert got == {"E1": ("pending", "breached"), "E2": ("met", None)}
    con.close()


def test_resolution_times_are_exact_so_half_tenths_round_up():
    """Elapsed time comes from the microseconds: 11 h 33 min are exactly 11.55 h, shown "11,6" (half up; the
    old per-hour formula gave 11.549999999988 and "11,5"), and the MTTR of 45 and 105 minutes (across the
    switch to summer time) is exactly 1.25 h, shown "1,3"."""
    con = build(
        {
            "tickets": [
                ticket("R1", "P3", "2026-03-03 08:00", account_id="A7", resolved_at="2026-03-03 19:33"),
                ticket("R2", "P3", "2026-03-10 23:30", account_id="A8", resolved_at="2026-03-11 00:15"),
                ticket("R3", "P3", "2026-03-29 01:30", account_id="A8", resolved_at="2026-03-29 04:15"),
            ]
        },
        AS_OF,
    )
    resolution = dict(con.execute("select ticket_id, resolution_h from mart_ticket_sla").fetchall())
    assert resolution == {"R1": 11.55, "R2": 0.75, "R3": 1.75}
    mttr = dict(con.execute("select account_id, mttr_h from mart_sla_monthly").fetchall())
    assert mttr == {"A7": 11.55, "A8": 1.25}
    assert (number(mttr["A7"], "de"), number(mttr["A8"], "de"), number(mttr["A8"], "en")) == ("11,6", "1,3", "1.3")
