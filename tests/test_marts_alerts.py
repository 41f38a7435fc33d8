"""Alerts (KPIS.md "Alerts") on a hand-made fixture: each kind firing and not firing at its edge.

D = 2026-11-26; last complete month 2026-10; SLA lookback = 2026-08, 2026-09, 2026-10;
renewal window up to 2027-05-25; no proactive contact for more than 60 days; detractors in
(2026-10-27, 2026-11-26]; overload > 110 %. Every account has a proactive contact on 2026-11-20
unless its test is about contact.
"""

from datetime import date, datetime

import pytest
from marts_fixture import build, rows

AS_OF = date(2026, 11, 26)
CONTACT_ACCOUNTS = ("N61", "N60", "NNEVER", "N200")
ACCOUNTS = (
    "R_NULL",
    "R_RISK",
    "R_OK",
    "R_FAR",
    "S1",
    "S2",
    "S3",
    "O1",
    "O2",
    "O3",
    "T1",
    "T2",
    "D1",
    "D2",
    *CONTACT_ACCOUNTS,
)


def _contract(contract_id, account_id, end, notice):
    return {
        "contract_id": contract_id,
        "account_id": account_id,
        "service_line": "technical_fm",
        "start_date": date(2020, 1, 1),
        "end_date": end,
        "annual_value_eur": 1000.0,
        "notice_period_days": notice,
        "auto_renew": False,
    }


def _contact(account_id, day, by="us"):
    return {
        "interaction_id": f"I-{account_id}-{day}",
        "account_id": account_id,
        "interaction_date": day,
        "channel": "call",
        "initiated_by": by,
    }


def _survey(account_id, day, nps):
    return {"response_id": f"S-{account_id}-{day}-{nps}", "account_id": account_id, "response_date": day, "nps": nps}


def _open_ticket(account_id, created):
    """A P1 ticket never resolved: breached 4 h after creation."""
    return {
        "ticket_id": f"T-{account_id}-{created}",
        "account_id": account_id,
        "priority": "P1",
        "kind": "reactive",
        "status": "open",
        "created_at": created,
        "escalated": False,
    }


def _commitment(commitment_id, account_id, due, done=None):
    return {
        "commitment_id": commitment_id,
        "account_id": account_id,
        "owner_id": "KAM",
        "promised_on": date(2026, 1, 1),
        "due_date": due,
        "done_on": done,
        "description": "send report",
    }


def _employee(employee_id, weekly_h):
    return {
        "employee_id": employee_id,
        "name": employee_id,
        "department": "Ops",
        "role": "x",
        "weekly_capacity_h": weekly_h,
        "active": True,
    }


def _bookings(employee_id, month, count, hours):
    return [
        {
            "booking_id": f"B-{employee_id}-{i}",
            "employee_id": employee_id,
            "booking_date": date(2026, month, i + 1),
            "hours": hours,
            "activity": "x",
        }
        for i in range(count)
    ]


def _revenue(account_id, prior, recent):
    return [
        {"account_id": account_id, "month": month, "service_line": "technical_fm", "revenue_eur": amount}
        for month, amount in ((date(2025, 1, 1), prior), (date(2026, 1, 1), recent))
    ]


@pytest.fixture(scope="module")
def con():
    data = {
        "employees": [
            _employee("KAM", 40.0),
            _employee("E_OVER", 40.0),
            _employee("E_EXACT", 50.0),
            _employee("E_NOV", 40.0),
        ],
        "accounts": [
            {"account_id": a, "account_name": f"Name {a}", "industry": "x", "region": "x", "kam_id": "KAM"}
            for a in ACCOUNTS
        ],
        "interactions": [_contact(a, date(2026, 11, 20)) for a in ACCOUNTS if a not in CONTACT_ACCOUNTS]
        + [
            _contact("N61", date(2026, 9, 26)),
            _contact("N60", date(2026, 9, 27)),
            _contact("NNEVER", date(2026, 11, 20), by="customer"),
            _contact("N200", date(2026, 5, 1)),
        ],
        "contracts": [
            _contract("C-R1", "R_NULL", date(2027, 3, 31), 90),  # deadline 2026-12-31
            _contract("C-R2a", "R_RISK", date(2027, 1, 31), 31),  # 2026-12-31
            _contract("C-R2b", "R_RISK", date(2027, 2, 28), 30),  # 2027-01-29
            _contract("C-R3", "R_OK", date(2027, 3, 31), 90),  # 2026-12-31
            _contract("C-R4", "R_FAR", date(2027, 6, 1), 6),  # 2027-05-26: one day after the window
        ],
        "surveys": [
            _survey("R_RISK", date(2026, 6, 1), 0),
            _survey("R_OK", date(2026, 6, 1), 10),
            _survey("R_OK", date(2026, 6, 1), 8),
            _survey("D1", date(2026, 10, 28), 6),
            _survey("D2", date(2026, 10, 27), 6),
            _survey("D2", date(2026, 11, 20), 7),
        ],
        "revenue": _revenue("R_RISK", 100.0, 90.0) + _revenue("R_OK", 100.0, 110.0),
        "sla_policies": [
            {
                "account_id": a,
                "priority": "P1",
                "response_target_h": 1.0,
                "resolution_target_h": 4.0,
                "target_pct": 90.0,
            }
            for a in ("S1", "S2", "S3")
        ],
        "tickets": [
            _open_ticket("S1", datetime(2026, 9, 10, 10)),
            _open_ticket("S2", datetime(2026, 7, 15, 10)),
            _open_ticket("S2", datetime(2026, 11, 2, 10)),
            _open_ticket("S3", datetime(2026, 8, 10, 10)),
            _open_ticket("S3", datetime(2026, 10, 10, 10)),
        ],
        "commitments": [
            _commitment("CM-O1", "O1", date(2026, 11, 25)),
            _commitment("CM-O2a", "O2", date(2026, 11, 26)),
            _commitment("CM-O2b", "O2", date(2026, 10, 1), date(2026, 10, 5)),
            _commitment("CM-O3a", "O3", date(2026, 9, 1)),
            _commitment("CM-O3b", "O3", date(2026, 11, 1)),
        ],
        "account_team": [
            {"account_id": "T1", "employee_id": "E_OVER", "team_role": "x", "allocation_pct": 50.0},
            {"account_id": "T2", "employee_id": "E_EXACT", "team_role": "x", "allocation_pct": 50.0},
            {"account_id": "T2", "employee_id": "E_NOV", "team_role": "x", "allocation_pct": 50.0},
        ],
        # E_OVER Oct: 200 h / (40 x 22 / 5 = 176 h) = 113.6 %; E_EXACT Oct: 242 h / 220 h = 110.0 % exactly;
        # E_NOV Nov (not a complete month): 200 h / 168 h.
        "time_bookings": _bookings("E_OVER", 10, 10, 20.0)
        + _bookings("E_EXACT", 10, 11, 22.0)
        + _bookings("E_NOV", 11, 10, 20.0),
    }
    return build(data, as_of=AS_OF)


def _alert(con, account_id, kind):
    return rows(con, "select * from mart_alerts where account_id = ? and kind = ?", [account_id, kind])[0]


def test_exactly_the_expected_alerts_fire(con):
    got = {(r["account_id"], r["kind"]) for r in rows(con, "select account_id, kind from mart_alerts")}
    # Not firing: R_OK (healthy), R_FAR (deadline outside the window), S2 (breaches in 2026-07 and the month
    # of D only), O2 (due today; done), N60 (exactly 60 days), T2 (exactly 110 %; overloaded in the
    # current month only), D2 (detractor 30 days ago; 7 is passive).
    assert got == {
        ("R_NULL", "renewal_risk"),
        ("R_RISK", "renewal_risk"),
        ("S1", "sla_breach"),
        ("S3", "sla_breach"),
        ("O1", "overdue_commitment"),
        ("O3", "overdue_commitment"),
        ("N61", "no_proactive_contact"),
        ("NNEVER", "no_proactive_contact"),
        ("N200", "no_proactive_contact"),
        ("T1", "team_overload"),
        ("D1", "detractor"),
    }


def test_renewal_risk(con):
    # R_RISK: relationship 6 days -> 100 (.15), nps -100 -> 0 (.2), growth -10 % -> 0 (.15):
    # 15 / .5 = 30.0 -> at_risk -> high; earliest deadline C-R2a 2026-12-31, C-R2b also in the window.
    risk = _alert(con, "R_RISK", "renewal_risk")
    assert (
        risk["reason"] == "Notice deadline 2026-12-31 for contract C-R2a (+1 more in the renewal window); band at_risk"
    )
    assert (risk["severity"], risk["detail_date"], risk["detail_value"], risk["detail_text"]) == (
        "high",
        date(2026, 12, 31),
        35.0,
        "C-R2a",
    )
    # R_NULL: only the relationship component (.15 < .5) -> no score: not healthy either -> medium.
    unknown = _alert(con, "R_NULL", "renewal_risk")
    assert unknown["reason"] == "Notice deadline 2026-12-31 for contract C-R1; band n/a (insufficient data)"
    assert unknown["severity"] == "medium"


def test_sla_breach(con):
    one = _alert(con, "S1", "sla_breach")
    # S1: the 2026-09 P1 ticket breached -> 0 % < 90 % in 1 of Aug..Oct -> medium.
    assert (
        one["reason"]
        == "SLA breach in 2026-09: resolution compliance below target for P1 (1 of the last 3 complete months)"
    )
    assert (one["severity"], one["detail_date"], one["detail_text"]) == (
        "medium",
        date(2026, 9, 1),
        "P1",
    )
    # S3: breaches in 2026-08 and 2026-10 -> 2 months, latest October -> high.
    two = _alert(con, "S3", "sla_breach")
    assert (two["severity"], two["detail_date"], two["detail_count"]) == ("high", date(2026, 10, 1), 2)


def test_overdue_commitment(con):
    one = _alert(con, "O1", "overdue_commitment")
    assert one["reason"] == 'Commitment CM-O1 "send report" overdue since 2026-11-25 (1 d)'
    assert (one["severity"], one["detail_value"], one["detail_count"]) == ("medium", 1.0, 1)
    # O3: oldest CM-O3a due 2026-09-01 -> 86 days (> 30: high); 2 overdue.
    two = _alert(con, "O3", "overdue_commitment")
    assert two["reason"] == 'Commitment CM-O3a "send report" overdue since 2026-09-01 (86 d); 2 overdue commitments'
    assert two["severity"] == "high"


def test_no_proactive_contact(con):
    assert (
        _alert(con, "N61", "no_proactive_contact")["reason"] == "No proactive contact for 61 days (last on 2026-09-26)"
    )
    assert _alert(con, "N61", "no_proactive_contact")["severity"] == "medium"
    never = _alert(con, "NNEVER", "no_proactive_contact")
    assert (never["reason"], never["severity"], never["detail_value"]) == (
        "No proactive contact on record",
        "high",
        None,
    )
    # N200: 2026-05-01 -> 209 days > 2 x 60 -> high.
    assert (
        _alert(con, "N200", "no_proactive_contact")["severity"],
        _alert(con, "N200", "no_proactive_contact")["detail_value"],
    ) == ("high", 209.0)


def test_team_overload(con):
    alert = _alert(con, "T1", "team_overload")
    # 200 / 176 = 113.64 % < 130 (team "bad") -> medium; the text names no person.
    assert alert["reason"] == "1 account-team member(s) overloaded in 2026-10 (highest utilisation 113.6 %)"
    assert (alert["severity"], alert["detail_date"]) == ("medium", date(2026, 10, 1))
    assert alert["detail_value"] == pytest.approx(113.636, abs=0.01)


def test_detractor(con):
    alert = _alert(con, "D1", "detractor")
    assert alert["reason"] == "NPS detractor response (score 6) on 2026-10-28"
    assert (alert["severity"], alert["detail_date"], alert["account_name"]) == (
        "high",
        date(2026, 10, 28),
        "Name D1",
    )


def test_the_mart_carries_data_not_ui(con):
    # No page routing in the mart (the app decides, kamdata/app/alerts.py); `reason` stays for outside tools.
    columns = [r["column_name"] for r in rows(con, "select column_name from (describe mart_alerts)")]
    assert columns == [
        "account_id",
        "account_name",
        "kind",
        "reason",
        "severity",
        "detail_date",
        "detail_value",
        "detail_text",
        "detail_count",
    ]


def test_every_kind_and_severity_the_mart_emits_has_a_page_and_texts(con):
    from kamdata.app import alerts, pages
    from kamdata.app.i18n import LANGUAGES

    fired = rows(con, "select distinct kind, severity from mart_alerts")
    # All six kinds fire on this fixture (see test_exactly_the_expected_alerts_fire), both severities.
    assert {r["kind"] for r in fired} == set(alerts.KINDS)
    assert {r["severity"] for r in fired} == set(alerts.SEVERITIES)
    for r in fired:
        assert pages.page(alerts.page_id(r["kind"]))
        for lang in LANGUAGES:
            assert alerts.kind_label(r["kind"], lang) and alerts.severity_label(r["severity"], lang)
