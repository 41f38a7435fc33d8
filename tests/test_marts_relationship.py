"""Relationship and commercial marts on a hand-made fixture: contact recency, proactive share,
commitments, NPS/CSAT now and at the previous month-end, ACV, renewal window boundaries,
revenue growth (incl. zero and missing prior year), margin, whitespace and cross-sell.

D = 2026-11-26; previous month-end D' = 2026-10-31; last complete month L = 2026-10.
"""

from datetime import date

import pytest
from marts_fixture import build, rows

AS_OF = date(2026, 11, 26)


def _account(account_id, industry, kam_id="KAM1"):
    return {
        "account_id": account_id,
        "account_name": f"Account {account_id}",
        "industry": industry,
        "region": "west",
        "kam_id": kam_id,
    }


def _contract(contract_id, account_id, line, start, end, value, notice=90):
    return {
        "contract_id": contract_id,
        "account_id": account_id,
        "service_line": line,
        "start_date": start,
        "end_date": end,
        "annual_value_eur": value,
        "notice_period_days": notice,
        "auto_renew": False,
    }


def _contact(n, account_id, day, by):
    return {
        "interaction_id": f"I{n}",
        "account_id": account_id,
        "interaction_date": day,
        "channel": "call",
        "initiated_by": by,
    }


def _commitment(n, due, done):
    return {
        "commitment_id": f"CM{n}",
        "account_id": "A1",
        "owner_id": "KAM1",
        "promised_on": date(2025, 1, 1),
        "due_date": due,
        "done_on": done,
        "description": f"promise {n}",
    }


def _survey(n, day, nps, csat):
    return {"response_id": f"S{n}", "account_id": "A1", "response_date": day, "nps": nps, "csat": csat}


def _revenue(account_id, month, line, revenue, cost=None):
    return {"account_id": account_id, "month": month, "service_line": line, "revenue_eur": revenue, "cost_eur": cost}


@pytest.fixture(scope="module")
def con():
    employees = [
        {
            "employee_id": k,
            "name": f"Kam {k}",
            "department": "Sales",
            "role": "kam",
            "weekly_capacity_h": 40.0,
            "active": True,
        }
        for k in ("KAM1", "KAM2")
    ]
    data = {
        "employees": employees,
        "accounts": [
            _account("A1", "retail"),
            _account("A2", "retail"),
            _account("A3", "retail"),
            _account("A5", "retail", "KAM2"),
            _account("A4", "bank", "KAM2"),
        ],
        "sites": [
            {
                "site_id": s,
                "account_id": "A1",
                "site_name": s,
                "city": "Köln",
                "country": "DE",
                "building_type": "office",
                "floor_area_m2": 1000.0,
            }
            for s in ("S1", "S2")
        ],
        "contracts": [
            # Renewal window at D: 2026-11-26 <= end_date - notice <= 2027-05-25.
            _contract("C1", "A1", "technical_fm", date(2020, 1, 1), date(2027, 5, 31), 120000.0, 6),  # 2027-05-25: in
            _contract("C2", "A1", "cleaning", date(2021, 1, 1), date(2026, 12, 31), 60000.0, 35),  # 2026-11-26: in
            _contract("C3", "A1", "security", date(2022, 1, 1), date(2027, 6, 1), 30000.0, 6),  # 2027-05-26: out
            _contract("C4", "A1", "catering", date(2020, 1, 1), date(2026, 12, 31), 10000.0, 36),  # 2026-11-25: past
            _contract("C5", "A1", "energy_management", date(2026, 11, 27), None, 5000.0),  # starts after D
            _contract("C6", "A1", "workplace", date(2019, 1, 1), date(2026, 11, 15), 8000.0),  # ended before D
            _contract("C7", "A2", "technical_fm", date(2020, 1, 1), None, 50000.0),
            _contract("C8", "A2", "cleaning", date(2020, 1, 1), None, 20000.0),
            _contract("C9", "A3", "technical_fm", date(2020, 1, 1), None, 40000.0),
            _contract("C10", "A4", "security", date(2020, 1, 1), None, 70000.0),
        ],
        "interactions": [
            _contact(1, "A1", date(2026, 11, 20), "customer"),
            _contact(2, "A1", date(2026, 10, 27), "us"),
            _contact(3, "A1", date(2026, 6, 1), "customer"),
            _contact(4, "A1", date(2026, 5, 30), "us"),  # D - 180: outside the share window
            _contact(5, "A1", date(2026, 11, 28), "us"),  # after D: has not happened
            _contact(6, "A3", date(2026, 11, 1), "customer"),
        ],
        "commitments": [
            _commitment(1, date(2026, 10, 1), date(2026, 9, 30)),  # on time
            _commitment(2, date(2026, 10, 10), date(2026, 10, 12)),  # done late
            _commitment(3, date(2026, 11, 1), None),  # open, overdue
            _commitment(4, date(2026, 11, 26), None),  # open, due today: not overdue
            _commitment(5, date(2025, 11, 26), date(2025, 11, 20)),  # due at D - 365: outside window
            _commitment(6, date(2026, 12, 15), None),  # open, due later
            _commitment(7, date(2026, 11, 20), date(2026, 11, 28)),  # done after D: open and overdue at D
        ],
        "surveys": [
            _survey(1, date(2026, 11, 10), 10, 4),
            _survey(2, date(2026, 9, 1), 9, 5),
            _survey(3, date(2026, 6, 1), 9, 3),
            _survey(4, date(2026, 3, 1), 7, None),
            _survey(5, date(2025, 12, 1), 3, 4),
            _survey(6, date(2026, 8, 1), None, 2),
            _survey(7, date(2025, 11, 26), 0, None),  # outside (D-365, D], inside (D'-365, D']
            _survey(8, date(2026, 11, 27), 0, 1),  # after D
        ],
        "revenue": [
            # A1: recent 12 months (2025-11..2026-10) and prior 12 (2024-11..2025-10).
            _revenue("A1", date(2025, 11, 1), "technical_fm", 100.0, 80.0),
            _revenue("A1", date(2026, 10, 1), "technical_fm", 120.0),
            _revenue("A1", date(2026, 10, 1), "cleaning", 30.0, 15.0),
            _revenue("A1", date(2025, 10, 1), "technical_fm", 100.0),
            _revenue("A1", date(2024, 11, 1), "technical_fm", 50.0),
            _revenue("A1", date(2024, 10, 1), "technical_fm", 999.0),  # before the prior window
            _revenue("A1", date(2026, 11, 1), "technical_fm", 500.0),  # month of D: not complete
            _revenue("A1", date(2026, 12, 1), "technical_fm", 700.0),  # after D's month
            # A2: prior 12 months sum to 0 (credit note).
            _revenue("A2", date(2025, 1, 1), "technical_fm", 100.0),
            _revenue("A2", date(2025, 2, 1), "technical_fm", -100.0),
            _revenue("A2", date(2026, 1, 1), "technical_fm", 50.0),
            # A3: no prior rows.
            _revenue("A3", date(2026, 5, 1), "technical_fm", 40.0),
            # A5: prior revenue, nothing recent.
            _revenue("A5", date(2025, 5, 1), "technical_fm", 80.0),
        ],
    }
    return build(data, as_of=AS_OF)


def _account_row(con, account_id):
    return rows(con, "select * from mart_accounts where account_id = ?", [account_id])[0]


def test_contact_recency_and_proactive_share(con):
    a1 = _account_row(con, "A1")
    # Last contact 2026-11-20 (the 11-28 one is after D): 6 days; last proactive 2026-10-27: 30 days.
    # Share over (2026-05-30, 2026-11-26]: 11-20 customer, 10-27 us, 06-01 customer -> 1 / 3.
    assert (a1["days_since_contact"], a1["days_since_proactive"]) == (6, 30)
    assert a1["proactive_share_pct"] == pytest.approx(33.333, abs=0.01)
    # A2: no interactions at all -> NULL everywhere (never), not 0.
    a2 = _account_row(con, "A2")
    assert (a2["days_since_contact"], a2["days_since_proactive"], a2["proactive_share_pct"]) == (None, None, None)
    # A3: only a customer-initiated contact 25 days ago: proactive never, share 0 %.
    a3 = _account_row(con, "A3")
    assert (a3["days_since_contact"], a3["days_since_proactive"], a3["proactive_share_pct"]) == (25, None, 0.0)


def test_commitments(con):
    a1 = _account_row(con, "A1")
    # Open: CM3, CM4, CM6, CM7 (done after D) = 4; overdue (due < D): CM3, CM7 = 2.
    # Due in (2025-11-26, 2026-11-26]: CM1, CM2, CM3, CM4, CM7 = 5; on time: CM1 only -> 20 %.
    assert (a1["commitments_open"], a1["commitments_overdue"]) == (4, 2)
    assert a1["commitment_ontime_pct"] == pytest.approx(20.0)
    a2 = _account_row(con, "A2")
    assert (a2["commitments_open"], a2["commitments_overdue"], a2["commitment_ontime_pct"]) == (0, 0, None)


def test_nps_csat_now_and_previous_month_end(con):
    a1 = _account_row(con, "A1")
    # D: (2025-11-26, 2026-11-26]: nps 10, 9, 9, 7, 3 -> 3 promoters, 1 detractor of 5 -> 60 - 20 = 40.
    # CSAT: 4, 5, 3, 4 and S6's 2 (NULL nps still counts for CSAT) -> 18 / 5 = 3.6.
    assert (a1["nps_promoters"], a1["nps_detractors"], a1["nps_responses"]) == (3, 1, 5)
    assert a1["nps"] == pytest.approx(40.0)
    assert a1["csat"] == pytest.approx(3.6)
    # D' = 2026-10-31: (2025-10-31, 2026-10-31]: 9, 9, 7, 3, 0 -> 2 promoters, 2 detractors -> 0.
    assert a1["nps_prev"] == pytest.approx(0.0)
    a2 = _account_row(con, "A2")
    assert (a2["nps"], a2["nps_responses"], a2["csat"], a2["nps_prev"]) == (None, 0, None, None)


def test_acv_and_renewal(con):
    a1 = _account_row(con, "A1")
    # Active at D: C1..C4 = 120000 + 60000 + 30000 + 10000; at D' also C6 (ended 2026-11-15).
    assert (a1["acv_eur"], a1["acv_prev_eur"], a1["active_contracts"]) == (220000.0, 228000.0, 4)
    assert a1["service_lines"] == "catering, cleaning, security, technical_fm"
    # Next notice deadline on or after D: C2's 2026-11-26 (C4's 2026-11-25 has passed).
    assert (a1["next_notice_deadline"], a1["next_notice_contract_id"]) == (date(2026, 11, 26), "C2")
    assert a1["in_renewal_window"] is True
    assert a1["sites"] == 2
    got = {r["contract_id"]: r for r in rows(con, "select * from mart_contracts where account_id = 'A1'")}
    # Deadlines: C1 2027-05-25 (D + 180, in), C2 2026-11-26 (= D, in), C3 2027-05-26 (D + 181, out),
    # C4 2026-11-25 (D - 1, out); C5 not yet active (no end date, no deadline); C6 ended:
    # deadline 2026-11-15 - 90 d = 2026-08-17, D - 101 d, never in the window.
    window = {cid: (r["is_active"], r["in_renewal_window"], r["days_to_notice_deadline"]) for cid, r in got.items()}
    assert window == {
        "C1": (True, True, 180),
        "C2": (True, True, 0),
        "C3": (True, False, 181),
        "C4": (True, False, -1),
        "C5": (False, False, None),
        "C6": (False, False, -101),
    }
    # A2's contracts have no end date: no deadline, no window.
    a2 = _account_row(con, "A2")
    assert (a2["next_notice_deadline"], a2["in_renewal_window"], a2["acv_eur"]) == (None, False, 70000.0)


def test_revenue_growth_and_margin(con):
    a1 = _account_row(con, "A1")
    # Recent 2025-11..2026-10: 100 + 120 + 30 = 250; prior 2024-11..2025-10: 100 + 50 = 150;
    # growth = (250 - 150) / 150 = 66.667 %. Margin over recent rows with a cost: revenue 100 + 30,
    # cost 80 + 15 -> (130 - 95) / 130 = 26.923 %.
    assert (a1["revenue_12m_eur"], a1["revenue_prior_12m_eur"]) == (250.0, 150.0)
    assert a1["revenue_growth_pct"] == pytest.approx(66.667, abs=0.01)
    assert a1["margin_pct"] == pytest.approx(26.923, abs=0.01)
    # A2: prior sums to 0 -> NULL; A3: no prior rows -> NULL; A5: prior 80, nothing recent -> -100 %.
    assert _account_row(con, "A2")["revenue_growth_pct"] is None
    a3 = _account_row(con, "A3")
    assert (a3["revenue_12m_eur"], a3["revenue_growth_pct"]) == (40.0, None)
    assert _account_row(con, "A5")["revenue_growth_pct"] == pytest.approx(-100.0)


def test_revenue_monthly(con):
    got = rows(
        con,
        "select month, service_line, revenue_eur, margin_pct from mart_revenue_monthly"
        " where account_id = 'A1' and month >= '2026-10-01' order by all",
    )
    # Up to the month of D (the 2026-12 row is left out); margin NULL without a cost.
    assert [(r["month"], r["service_line"], r["revenue_eur"], r["margin_pct"]) for r in got] == [
        (date(2026, 10, 1), "cleaning", 30.0, 50.0),
        (date(2026, 10, 1), "technical_fm", 120.0, None),
        (date(2026, 11, 1), "technical_fm", 500.0, None),
    ]


def test_whitespace_and_cross_sell(con):
    # Lines sold today (active at D somewhere): catering, cleaning, security, technical_fm.
    # Retail = A1, A2, A3, A5 (4 accounts, the account itself counted): technical_fm 3/4 = 75 %,
    # cleaning 2/4 = 50 % (exactly half: suggested), security 1/4, catering 1/4.
    # Bank = A4 alone: holds security; the rest 0 % -> no suggestion.
    got = {
        r["account_id"]: (r["whitespace_lines"], r["cross_sell_lines"])
        for r in rows(con, "select * from mart_accounts")
    }
    assert got == {
        "A1": (None, None),
        "A2": ("catering, security", None),
        "A3": ("catering, cleaning, security", "cleaning"),
        "A5": ("catering, cleaning, security, technical_fm", "cleaning, technical_fm"),
        "A4": ("catering, cleaning, technical_fm", None),
    }
    share = rows(
        con, "select industry_share_pct from mart_cross_sell where account_id = 'A3' and service_line = 'cleaning'"
    )[0]["industry_share_pct"]
    assert share == pytest.approx(50.0)


def test_kam_portfolio(con):
    got = rows(con, "select kam_id, kam_name, accounts, acv_eur from mart_kam_portfolio order by kam_id")
    # KAM1: A1 220000 + A2 70000 + A3 40000; KAM2: A4 70000 + A5 0.
    assert [tuple(r.values()) for r in got] == [("KAM1", "Kam KAM1", 3, 330000.0), ("KAM2", "Kam KAM2", 2, 70000.0)]
