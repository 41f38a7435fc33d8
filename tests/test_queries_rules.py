"""The KPI date and business rules (sql/macros/rules.sql and their callers), checked through the queries.

One small published fixture database with rows on every rule's boundary, built once for this
module; the queries run through kamdata.query.run like the app runs them. A few rules that only
marts carry (proactive share, margin, commitment counts) are read from the marts directly.

D = 2026-11-26 (Thursday), D_end = 27.11.2026 00:00 Berlin, D' = 2026-10-31, last complete
month 2026-10. Settings as shipped: renewal window 180 d, SLA window 90 d, survey window 365 d,
proactive share 180 d, commitment window 365 d, detractor window 30 d, breach lookback 3 months.

Contracts (notice deadline = end - notice days):
  C1 A1 cleaning  2024-01-01..2026-10-31 (ends ON D')  120000  -> active at D' only
  C2 A1 technical 2026-11-01..open (starts the day after D') 60000 -> active at D only
  C3 A2 technical 2023-07-01..2027-02-24, 90 d -> deadline 2026-11-26 = D    250000
  C4 A2 cleaning  2025-01-01..2027-02-23, 90 d -> deadline 2026-11-25 = D-1   10000
  C5 A3 energy    2025-01-01..2027-06-24, 30 d -> deadline 2027-05-25 = D+180  5000
  C6 A3 cleaning  2026-01-01..2026-11-26 (ends ON D), 200 d -> deadline 2026-05-10  40000
  C7 A4 cleaning  2026-01-01..2027-06-25, 30 d -> deadline 2027-05-26 = D+181  1000
  C8 A4 technical 2026-01-01..2027-12-31, 30 d -> deadline 2027-12-01 (a later one)   0
  C9 A1 energy    2027-01-01..2027-12-31, 30 d -> deadline 2027-12-01, not started   7000
  C10 A1 security 2026-01-01..2026-08-01 (ends ON the 1st of August)  12000
KAMs: A1, A2 -> E1; A3, A4 -> E3.
"""

from __future__ import annotations

from datetime import date, datetime

import duckdb
import pandas as pd
import pytest

from kamdata import query
from tests.exportset import BASE_ROWS, base_row, build_fixture_db

D = date(2026, 11, 26)
ALL = {"accounts": None, "service_lines": None, "date_from": None, "date_to": None}
# Page parameters from the [app] settings, at their defaults (settings.toml).
ALL |= {"running_month_min_judged": 5, "min_group_size": 3}


def _contract(contract_id, account_id, line, start, end, value, notice):
    return dict(
        contract_id=contract_id,
        account_id=account_id,
        service_line=line,
        start_date=date.fromisoformat(start),
        end_date=end and date.fromisoformat(end),
        annual_value_eur=value,
        notice_period_days=notice,
        auto_renew=False,
    )


def _ticket(ticket_id, account_id, line, priority, created, resolved=None):
    site = "S3" if account_id == "A2" else "S1"
    return base_row(
        "tickets",
        ticket_id=ticket_id,
        account_id=account_id,
        site_id=site,
        service_line=line,
        priority=priority,
        created_at=datetime.fromisoformat(created),
        first_response_at=None,
        resolved_at=resolved and datetime.fromisoformat(resolved),
        status="resolved" if resolved else "open",
        updated_at=datetime.fromisoformat(resolved or created),
    )


def _commitment(commitment_id, account_id, promised, due, done=None):
    return base_row(
        "commitments",
        commitment_id=commitment_id,
        account_id=account_id,
        promised_on=date.fromisoformat(promised),
        due_date=date.fromisoformat(due),
        done_on=done and date.fromisoformat(done),
        description=f"Commitment {commitment_id}",
    )


def _survey(response_id, account_id, day, nps):
    return dict(response_id=response_id, account_id=account_id, response_date=date.fromisoformat(day), nps=nps)


ACCOUNTS = BASE_ROWS["accounts"] + [
    base_row("accounts", account_id="A3", account_name="Campus West", kam_id="E3"),
    base_row("accounts", account_id="A4", account_name="Hafen Ost", kam_id="E3"),
]

CONTRACTS = [
    _contract("C1", "A1", "cleaning", "2024-01-01", "2026-10-31", 120000.0, 30),
    _contract("C2", "A1", "technical", "2026-11-01", None, 60000.0, 90),
    _contract("C3", "A2", "technical", "2023-07-01", "2027-02-24", 250000.0, 90),
    _contract("C4", "A2", "cleaning", "2025-01-01", "2027-02-23", 10000.0, 90),
    _contract("C5", "A3", "energy", "2025-01-01", "2027-06-24", 5000.0, 30),
    _contract("C6", "A3", "cleaning", "2026-01-01", "2026-11-26", 40000.0, 200),
    _contract("C7", "A4", "cleaning", "2026-01-01", "2027-06-25", 1000.0, 30),
    _contract("C8", "A4", "technical", "2026-01-01", "2027-12-31", 0.0, 30),
    _contract("C9", "A1", "energy", "2027-01-01", "2027-12-31", 7000.0, 30),
    _contract("C10", "A1", "security", "2026-01-01", "2026-08-01", 12000.0, 30),
]

# A1 keeps the shipped policies (target 95 %; P1 4 h, P2 24 h resolution); A2's P3 (72 h) has target 50 %.
POLICIES = [row for row in BASE_ROWS["sla_policies"] if row["account_id"] == "A1"] + [
    {**row, "target_pct": 50.0} if row["priority"] == "P3" else row
    for row in BASE_ROWS["sla_policies"]
    if row["account_id"] == "A2"
]

# Times are Berlin wall-clock. The 90-day window at D is created_date in (2026-08-28, 2026-11-26],
# the 90 days before it (2026-05-30, 2026-08-28].
TICKETS = [
    _ticket("TA", "A1", "technical", "P2", "2026-08-29 10:00:00", "2026-08-29 12:00:00"),  # D-89: window; met
    _ticket("TB", "A1", "technical", "P2", "2026-08-28 10:00:00", "2026-08-30 12:00:00"),  # D-90: prior; 50 h breached
    _ticket("TC", "A1", "technical", "P2", "2026-11-26 23:30:00", "2026-11-26 23:50:00"),  # on D, last half hour; met
    _ticket("TF", "A1", "cleaning", "P2", "2026-10-15 10:00:00", "2026-10-17 10:00:00"),  # window; 48 h breached
    _ticket("TM", "A1", "technical", "P1", "2026-11-02 08:00:00", "2026-11-02 18:00:00"),  # window; 10 h > 4 h breached
    _ticket("TG", "A1", "technical", "P2", "2026-06-01 10:00:00", "2026-06-01 12:00:00"),  # prior; met
    _ticket("TE", "A1", "technical", "P2", "2026-05-30 10:00:00", "2026-05-30 12:00:00"),  # D-180: neither; met
    _ticket("TX", "A1", "technical", "P2", "2026-11-27 00:10:00"),  # after D_end: not in any figure
    # A2, P3 (72 h, target 50 %): 2026-10 exactly at target (1 of 2), 2026-09 below (1 of 3)
    _ticket("TH", "A2", "technical", "P3", "2026-10-05 10:00:00", "2026-10-06 10:00:00"),  # met
    _ticket("TI", "A2", "technical", "P3", "2026-10-06 10:00:00", "2026-10-10 14:00:00"),  # 100 h breached
    _ticket("TJ", "A2", "technical", "P3", "2026-09-07 10:00:00", "2026-09-08 10:00:00"),  # met
    _ticket("TK", "A2", "technical", "P3", "2026-09-08 10:00:00", "2026-09-12 14:00:00"),  # breached
    _ticket("TL", "A2", "technical", "P3", "2026-09-09 10:00:00", "2026-09-13 14:00:00"),  # breached
]

COMMITMENTS = [
    _commitment("K1", "A1", "2026-11-01", "2026-11-26"),  # due ON D, open: open, not overdue
    _commitment("K2", "A1", "2026-10-01", "2026-11-25"),  # due D-1, open: overdue 1 d
    _commitment("K3", "A1", "2026-10-01", "2026-11-20", "2026-11-26"),  # done ON D: closed at D
    _commitment("K4", "A1", "2026-10-01", "2026-11-10", "2026-11-27"),  # done after D: open, overdue 16 d
    _commitment("K6", "A1", "2025-10-01", "2025-11-26", "2025-11-20"),  # due D-365: outside window
    _commitment("K7", "A1", "2025-10-01", "2025-11-27", "2025-11-27"),  # due D-364: in window, on time
    _commitment("K5", "A2", "2026-11-27", "2026-11-01"),  # promised after D: not yet a commitment
]

SURVEYS = [
    _survey("R1", "A1", "2026-11-10", 9),
    _survey("R3", "A1", "2025-11-26", 3),  # D-365: outside the NPS window at D, inside at D'
    _survey("R4", "A1", "2025-11-27", 10),  # D-364: inside
    _survey("R2", "A2", "2026-11-12", 6),  # detractor 14 d ago
    _survey("R5", "A2", "2026-10-27", 2),  # detractor D-30: outside the 30-day alert window
    _survey("R6", "A4", "2026-11-26", 0),  # detractor ON D
]

INTERACTIONS = BASE_ROWS["interactions"] + [
    base_row("interactions", interaction_id="I3", initiated_by="customer", interaction_date=date(2026, 5, 30)),
    base_row("interactions", interaction_id="I4", initiated_by="customer", interaction_date=date(2026, 5, 31)),
]

REVENUE = BASE_ROWS["revenue"] + [
    dict(account_id="A1", month=date(2026, 9, 1), service_line="technical", revenue_eur=10000.0, cost_eur=None),
]


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    """The published rules fixture database (symlink path)."""
    return build_fixture_db(
        tmp_path_factory.mktemp("rules-fixture"),
        rows={
            "accounts": ACCOUNTS,
            "contracts": CONTRACTS,
            "sla_policies": POLICIES,
            "tickets": TICKETS,
            "commitments": COMMITMENTS,
            "surveys": SURVEYS,
            "interactions": INTERACTIONS,
            "revenue": REVENUE,
        },
    )


@pytest.fixture(scope="module")
def run(db):
    version = query.current_version(db)

    def run_query(name, **params) -> pd.DataFrame:
        return query.run(version, name, {**ALL, **params})

    return run_query


@pytest.fixture(scope="module")
def con(db):
    connection = duckdb.connect(str(db), read_only=True)
    yield connection
    connection.close()


def _by_account(frame: pd.DataFrame) -> dict:
    return frame.set_index("account_id").to_dict("index")


def test_kpi_params_dates(con):
    # D_end = 27.11.2026 00:00 Berlin (CET, +01:00) = 26.11. 23:00 UTC; last complete month October.
    same_end, last_complete = con.execute(
        "select d_end = timestamptz '2026-11-26 23:00:00+00', last_complete_month from kpi_params"
    ).fetchone()
    assert same_end
    assert last_complete == date(2026, 10, 1)


def test_acv_now_and_at_previous_month_end(run):
    rows = _by_account(run("portfolio_accounts"))
    # A1: at D only C2 (C1 ended on D' = 31.10.); at D' only C1 (C2 starts 1.11.).
    assert rows["A1"]["acv_eur"] == 60000.0
    assert rows["A1"]["acv_prev_eur"] == 120000.0
    # A2: C3 + C4 = 260000 both days. A3: C5 + C6 (ends ON D, still active) = 45000. A4: C7 = 1000.
    assert rows["A2"]["acv_eur"] == rows["A2"]["acv_prev_eur"] == 260000.0
    assert rows["A3"]["acv_eur"] == rows["A3"]["acv_prev_eur"] == 45000.0
    assert rows["A4"]["acv_eur"] == 1000.0
    kpis = run("portfolio_kpis").iloc[0]
    # 60000 + 260000 + 45000 + 1000 = 366000 at D; 120000 + 260000 + 45000 + 1000 = 426000 at D'.
    assert kpis["acv_eur"] == 366000.0
    assert kpis["acv_prev_eur"] == 426000.0
    # technical only: C2 + C3 = 310000 at D; C3 = 250000 at D'.
    technical = run("portfolio_kpis", service_lines=["technical"]).iloc[0]
    assert (technical["acv_eur"], technical["acv_prev_eur"]) == (310000.0, 250000.0)


def test_active_contract_in_mart_contracts(con):
    active = dict(con.execute("select contract_id, is_active from mart_contracts").fetchall())
    # C1 ended on D' (before D), C6 ends ON D (active), C2 started before D.
    assert active == {
        **{"C1": False, "C2": True, "C3": True, "C4": True, "C5": True, "C6": True, "C7": True},
        **{"C8": True, "C9": False, "C10": False},
    }


def test_account_master_contract_facts(con):
    rows = con.execute(
        "select account_id, acv_eur, acv_prev_eur, next_notice_deadline, next_notice_contract_id, in_renewal_window "
        "from mart_accounts order by account_id"
    ).fetchall()
    # as portfolio_accounts without a line filter (see test_next_notice_deadline_and_renewal_window)
    assert rows == [
        ("A1", 60000.0, 120000.0, None, None, False),
        ("A2", 260000.0, 260000.0, D, "C3", True),
        ("A3", 45000.0, 45000.0, date(2027, 5, 25), "C5", True),
        ("A4", 1000.0, 1000.0, date(2027, 5, 26), "C7", False),
    ]


def test_next_notice_deadline_and_renewal_window(run):
    rows = _by_account(run("portfolio_accounts"))
    # A1: C1 inactive, C2 without end, C9 not started yet (its deadline does not count) -> none.
    assert pd.isna(rows["A1"]["next_notice_deadline"]) and not rows["A1"]["in_renewal_window"]
    # A2: C3's deadline is D itself (counts), C4's is D-1 (passed).
    assert rows["A2"]["next_notice_deadline"] == pd.Timestamp(D)
    assert rows["A2"]["next_notice_contract_id"] == "C3"
    assert rows["A2"]["in_renewal_window"]
    # A3: C6's deadline passed; C5's is D+180, the last day of the renewal window.
    assert rows["A3"]["next_notice_deadline"] == pd.Timestamp(2027, 5, 25)
    assert rows["A3"]["next_notice_contract_id"] == "C5"
    assert rows["A3"]["in_renewal_window"]
    # A4: C7's deadline D+181 is the next one (C8's comes later) but outside the window.
    assert rows["A4"]["next_notice_deadline"] == pd.Timestamp(2027, 5, 26)
    assert rows["A4"]["next_notice_contract_id"] == "C7"
    assert not rows["A4"]["in_renewal_window"]
    # the line filter narrows the contracts: A2 cleaning -> only C4, deadline passed -> none
    cleaning = _by_account(run("portfolio_accounts", service_lines=["cleaning"]))
    assert pd.isna(cleaning["A2"]["next_notice_deadline"])
    assert pd.isna(cleaning["A3"]["next_notice_contract_id"])


def test_kam_acv(run):
    kams = run("workload_kam_portfolio").set_index("kam_id")["acv_eur"].to_dict()
    # E1: A1 60000 + A2 260000; E3: A3 45000 + A4 1000.
    assert kams == {"E1": 320000.0, "E3": 46000.0}
    technical = run("workload_kam_portfolio", service_lines=["technical"]).set_index("kam_id")["acv_eur"]
    # E1: C2 + C3 = 310000; E3's only technical contract C8 is worth 0.
    assert technical.to_dict() == {"E1": 310000.0, "E3": 0.0}


def test_sla_90_day_window(run):
    a1 = run("portfolio_kpis", accounts=["A1"]).iloc[0]
    # window (28.08., 26.11.]: TA met (D-89), TC met (on D, 23:30), TF breached, TM breached;
    # TB (D-90) and TX (after D_end) are out -> 2 / (2 + 2) = 50 %, 4 judged tickets.
    assert a1["sla_tickets"] == 4
    assert a1["sla_pct"] == pytest.approx(50.0)
    # the 90 days before, (30.05., 28.08.]: TB breached (D-90), TG met; TE (D-180) out -> 50 %.
    assert a1["sla_prev_pct"] == pytest.approx(50.0)
    technical = run("portfolio_kpis", accounts=["A1"], service_lines=["technical"]).iloc[0]
    # technical only: TA, TC met, TM breached -> 2 / 3; before: TB breached, TG met -> 1 / 2
    assert technical["sla_tickets"] == 3
    assert technical["sla_pct"] == pytest.approx(200 / 3)
    assert technical["sla_prev_pct"] == pytest.approx(50.0)
    # the health score's SLA metric uses the same window: A1 2 / 4 = 50 %
    health = run("review_account_health", account_id="A1").iloc[0]
    assert health["sla_compliance_pct"] == pytest.approx(50.0)


def test_tickets_after_d_end_do_not_count(run):
    # A1 tickets created by D_end: TA TB TC TF TM TG TE = 7 (TX 27.11. 00:10 is after D_end)
    assert run("sla_kpis", accounts=["A1"]).iloc[0]["tickets"] == 7


def test_sla_compliance_at_target_is_no_breach(run):
    rows = run("sla_compliance", accounts=["A2"])
    amp = rows[rows["grain"] == "account_month_priority"].set_index("month")
    # 2026-10 P3: 1 met of 2 = 50 % = target 50 -> no breach; 2026-09: 1 of 3 = 33.3 % -> breach
    assert amp.loc[pd.Timestamp(2026, 10, 1), "resolution_compliance_pct"] == pytest.approx(50.0)
    assert amp.loc[pd.Timestamp(2026, 10, 1), "shortfall_points"] == pytest.approx(0.0)
    months = rows[rows["grain"] == "account_month"].set_index("month")["breach_month"].to_dict()
    assert months == {pd.Timestamp(2026, 10, 1): False, pd.Timestamp(2026, 9, 1): True}


def test_sla_compliance_period_is_day_level(run):
    rows = run("sla_compliance", accounts=["A1"], date_from=date(2026, 8, 29), date_to=date(2026, 11, 26))
    amp = rows[rows["grain"] == "account_month_priority"]
    by_month = amp.set_index(["month", "priority"])
    # August from the 29th: only TA (met) -> 1 ticket, 100 %; TB (28.08.) is before the period
    assert by_month.loc[(pd.Timestamp(2026, 8, 1), "P2"), "tickets"] == 1
    assert by_month.loc[(pd.Timestamp(2026, 8, 1), "P2"), "resolution_compliance_pct"] == pytest.approx(100.0)
    # November: TC (P2, met, on the last day of the period) and TM (P1, breached)
    assert by_month.loc[(pd.Timestamp(2026, 11, 1), "P2"), "tickets"] == 1
    assert by_month.loc[(pd.Timestamp(2026, 11, 1), "P1"), "resolution_breached"] == 1
    # month grain over both priorities in November: 1 / 2 = 50 %, a breach month (P1 0 % < 95)
    month = rows[rows["grain"] == "month_priority"].set_index(["month", "priority"])
    assert month.loc[(pd.Timestamp(2026, 11, 1), "P1"), "resolution_compliance_pct"] == pytest.approx(0.0)
    heat = rows[rows["grain"] == "account_month"].set_index("month")
    assert heat.loc[pd.Timestamp(2026, 11, 1), "resolution_compliance_pct"] == pytest.approx(50.0)
    assert bool(heat.loc[pd.Timestamp(2026, 11, 1), "breach_month"])
    # up to 28.08. only: TB breached, TG met, TE met (A1 August = TB only)
    before = run("sla_compliance", accounts=["A1"], date_to=date(2026, 8, 28))
    aug = before[(before["grain"] == "account_month") & (before["month"] == pd.Timestamp(2026, 8, 1))].iloc[0]
    assert (aug["tickets"], aug["resolution_breached"]) == (1, 1)


def _alerts(run, kind):
    rows = run("portfolio_alerts")
    return _by_account(rows[rows["kind"] == kind])


def test_sla_breach_alert_counts_months_below_target(run):
    alerts = _alerts(run, "sla_breach")
    # lookback: the 3 complete months 2026-08..10. A2: only 2026-09 (2026-10 is exactly at target).
    assert alerts["A2"]["detail_count"] == 1
    assert alerts["A2"]["detail_date"] == pd.Timestamp(2026, 9, 1)
    # A1: 2026-08 (P2 1 of 2 = 50 % < 95) and 2026-10 (TF breached); November is not complete.
    assert alerts["A1"]["detail_count"] == 2
    assert alerts["A1"]["detail_date"] == pd.Timestamp(2026, 10, 1)


def test_overdue_commitment_alert(run):
    alerts = _alerts(run, "overdue_commitment")
    # A1 overdue at D: K2 (due D-1) and K4 (due 10.11., done only after D); K1 is due ON D (not
    # overdue), K3 was done ON D. Oldest K4: 16 days. A2's K5 is promised after D.
    assert set(alerts) == {"A1"}
    assert alerts["A1"]["detail_count"] == 2
    assert alerts["A1"]["detail_text"] == "K4"
    assert alerts["A1"]["detail_value"] == 16.0


def test_commitment_counts_and_on_time_window(con, run):
    open_, overdue, oldest = con.execute(
        "select commitments_open, commitments_overdue, oldest_overdue_due_date "
        "from int_health_commitments where account_id = 'A1' and as_of = date '2026-11-26'"
    ).fetchone()
    # open at D: K1, K2, K4 (K3 done ON D, K6 / K7 done long ago); overdue: K2, K4; oldest K4
    assert (open_, overdue, oldest) == (3, 2, date(2026, 11, 10))
    assert con.execute(
        "select commitments_open, commitments_overdue from mart_accounts where account_id = 'A1'"
    ).fetchone() == (3, 2)
    # due in (D-365, D]: K1, K2, K3, K4, K7 (K6 due D-365 is out); on time: K7 only -> 20 %
    health = run("review_account_health", account_id="A1").iloc[0]
    assert health["commitment_ontime_pct"] == pytest.approx(20.0)


def test_nps_window_now_and_at_previous_month_end(run):
    kpis = run("portfolio_kpis", accounts=["A1"]).iloc[0]
    # at D, (25.11.2025, 26.11.2026]: R1 9, R4 10 -> 2 promoters of 2 = 100; R3 (D-365) out
    assert kpis["nps"] == pytest.approx(100.0)
    assert kpis["nps_responses"] == 2
    # at D' = 31.10.2026, (31.10.2025, 31.10.2026]: R3 3, R4 10 -> (1 - 1) / 2 = 0
    assert kpis["nps_prev"] == pytest.approx(0.0)


def test_detractor_alert_window(run):
    alerts = _alerts(run, "detractor")
    # (27.10., 26.11.]: A2 R2 (score 6); R5 on D-30 is out. A4: R6 ON D.
    assert set(alerts) == {"A2", "A4"}
    assert alerts["A2"]["detail_count"] == 1
    assert alerts["A2"]["detail_value"] == 6.0
    assert alerts["A4"]["detail_value"] == 0.0


def test_health_history_at_month_ends(run, con):
    dates = [
        row[0] for row in con.execute("select distinct as_of from mart_account_health_history order by 1").fetchall()
    ]
    # the 12 month-ends before D: 30.11.2025 ... 31.10.2026
    assert dates[0] == date(2025, 11, 30) and dates[-1] == date(2026, 10, 31) and len(dates) == 12
    assert date(2026, 2, 28) in dates
    trend = _by_account(run("portfolio_accounts"))["A1"]["health_trend"]
    assert len(trend) == 12


def test_proactive_share_and_margin(con):
    share, margin = con.execute(
        "select proactive_share_pct, margin_pct from mart_accounts where account_id = 'A1'"
    ).fetchone()
    # interactions in (D-180, D] = (30.05., 26.11.]: I1 (us, 15.11.), I4 (customer, 31.05.); I3 on D-180 out
    assert share == pytest.approx(50.0)
    # 12 months to October: costed revenue 40000, cost 31000 -> 22.5 %; September's 10000 has no cost
    assert margin == pytest.approx(22.5)
    monthly = dict(con.execute("select month, margin_pct from mart_revenue_monthly where account_id = 'A1'").fetchall())
    assert monthly[date(2026, 10, 1)] == pytest.approx(22.5)
    assert monthly[date(2026, 9, 1)] is None


def test_malus_fee_from_contracts_active_on_the_first_of_the_month(run):
    malus = run("sla_malus", accounts=["A1"])
    row = malus[malus["account_id"] == "A1"].iloc[0]
    # A1 months: 05 (TE met) 0; 06 (TG met) 0;
    # 08 (P2 50 %, shortfall 45 -> cap 10 %) x (C1 10000 + C10 1000, ends ON 1.8.) = 1100;
    # 10 (TF 0 %, 95 points -> 10 %) x C1 (active on 1.10.) 10000 = 1000;
    # 11 (P1 0 % -> 95 points -> 10 %) x C2 (starts ON 1.11.) 60000 / 12 = 5000 -> 500.
    assert row["months"] == 5
    assert row["months_with_malus"] == 3
    assert row["exposure_eur"] == pytest.approx(2600.0)
