"""The account review's service sections (kamdata/review/service.py): SLA, satisfaction, commitments,
relationship. Hand-worked values on the app fixture (tests/app_fixture.py) and on this module's own
database `service_db` (the app fixture plus the rows below, built once for the module); every table
equals the marts by direct SQL; both languages; survey comments kept verbatim.

D = 2026-11-26 (D_end = 27.11. 00:00 Berlin = 26.11. 23:00 UTC); the 12 complete months are
November 2025 - October 2026; the survey and commitment windows (D - 365, D], proactive share
(D - 180, D] = 30.05.2026 - 26.11.2026.
"""

from __future__ import annotations

from datetime import date, datetime

import duckdb
import pandas as pd
import pytest

from kamdata import query
from kamdata.review import assemble, service
from kamdata.review.context import Context
from kamdata.review.model import display
from tests.app_fixture import EXTRA_TICKETS, _ticket
from tests.exportset import BASE_ROWS, base_row, build_fixture_db

BUILDERS = (service.sla, service.satisfaction, service.commitments, service.relationship)
SCRIPT_COMMENT = "<script>alert('x')</script> <img src=x onerror=alert(1)> [x](javascript:alert(1)) **fett**"

# Added to the app fixture for A1 (policies P1 1/4 h, P2 4/24 h, P3 8/72 h, P4 24/240 h, target 95 %;
# malus 1 % per point, cap 10 %; contract C1 480,000 €/year active 2024-2026 -> fee 40,000 €/month):
SERVICE_TICKETS = [
    # September 2026, P2: T11 resolved after 48 h > 24 h -> breached; T12 after 12 h -> met: 50 % < 95 %
    _ticket("T11", "A1", "S1", "technical", "P2", "2026-09-10 08:00:00", "2026-09-10 09:00:00", "2026-09-12 08:00:00"),
    _ticket("T12", "A1", "S1", "technical", "P2", "2026-09-15 08:00:00", "2026-09-15 08:30:00", "2026-09-15 20:00:00"),
    # October 2026, P3: T13 never answered nor resolved -> response and resolution breached (0 %);
    # open at D_end: 20.10. 06:00 UTC -> 26.11. 23:00 UTC = 37 d 17 h -> "> 30 d"
    _ticket("T13", "A1", "S2", "cleaning", "P3", "2026-10-20 08:00:00"),
    # November (running month): T14 P4 open, 20.11. 09:00 UTC -> 6 d 14 h -> "3-7 d";
    # T15 P1 open, 10.11. 07:00 UTC -> 16 d 16 h -> "8-30 d" (resolution due 4 h later: breached)
    _ticket("T14", "A1", "S1", "technical", "P4", "2026-11-20 10:00:00"),
    _ticket("T15", "A1", "S1", "technical", "P1", "2026-11-10 08:00:00"),
    # planned maintenance of A1 due in October 2026: T16 done a day early (on time), T17 two days late
    _ticket(
        "T16", "A1", "S1", "technical", "P4", "2026-10-01 08:00:00", resolved="2026-10-14 10:00:00",
        kind="planned", due_at=datetime(2026, 10, 15, 16, 0),
    ),
    _ticket(
        "T17", "A1", "S1", "technical", "P4", "2026-10-01 08:00:00", resolved="2026-10-22 10:00:00",
        kind="planned", due_at=datetime(2026, 10, 20, 16, 0),
    ),
]  # fmt: skip


def _commitment(cid, promised, due, done=None, text="Zusage"):
    return base_row(
        "commitments", commitment_id=cid, promised_on=promised, due_date=due, done_on=done, description=text
    )


SERVICE_COMMITMENTS = [  # A1, owner E1 Anna Schmidt; K1 (base): due 01.12.2026, open, not overdue
    _commitment("K11", date(2026, 9, 1), date(2026, 10, 1), date(2026, 9, 30)),  # kept on time
    _commitment("K12", date(2026, 7, 1), date(2026, 8, 1), date(2026, 8, 15)),  # kept 14 days late
    _commitment("K13", date(2026, 10, 1), date(2026, 11, 1), text="<b>Bericht</b> senden"),  # overdue 25 days
    _commitment("K14", date(2026, 10, 1), date(2026, 11, 20), date(2026, 11, 28)),  # done after D: overdue 6 days
    _commitment("K15", date(2025, 5, 1), date(2025, 6, 1), date(2025, 6, 1)),  # on time, due before the window
    _commitment("K16", date(2026, 11, 27), date(2026, 12, 15)),  # promised after D: not yet on record
]


def _interaction(iid, day, channel, initiated_by, employee_id, subject):
    return base_row(
        "interactions",
        interaction_id=iid,
        interaction_date=day,
        channel=channel,
        initiated_by=initiated_by,
        employee_id=employee_id,
        subject=subject,
    )


SERVICE_INTERACTIONS = [  # A1; I1 (base): 15.11.2026 meeting, us, E1 "QBR"
    _interaction("I11", date(2026, 10, 5), "email", "customer", "E2", "[x](javascript:alert(1))"),
    _interaction("I12", date(2026, 9, 1), "call", "us", "E3", "Quartalsplanung"),
    _interaction("I13", date(2026, 4, 1), "site_visit", "us", "E1", "Begehung"),
    _interaction("I14", date(2026, 11, 20), "call", "customer", None, None),
]

SERVICE_SURVEYS = [  # A1; R1 (base): 10.11.2026 nps 9 csat 5, comment with <b>
    base_row("surveys", response_id="R11", response_date=date(2026, 11, 20), nps=3, csat=2, comment=SCRIPT_COMMENT),
    base_row("surveys", response_id="R12", response_date=date(2026, 6, 15), nps=7, csat=4, comment=None),
    base_row("surveys", response_id="R13", response_date=date(2025, 10, 1), nps=10, csat=5, comment="alt"),
]


@pytest.fixture(scope="module")
def service_db(tmp_path_factory):
    a1_policies = [row for row in BASE_ROWS["sla_policies"] if row["account_id"] == "A1"]
    return build_fixture_db(
        tmp_path_factory.mktemp("review-service"),
        rows={"sla_policies": a1_policies},
        add={
            "tickets": EXTRA_TICKETS + SERVICE_TICKETS,
            "commitments": SERVICE_COMMITMENTS,
            "interactions": SERVICE_INTERACTIONS,
            "surveys": SERVICE_SURVEYS,
        },
    )


def _ctx(db_path, account_id="A1", lang="de") -> Context:
    version = query.current_version(db_path)
    return Context(version, account_id, lang, None, query.run(version, "kpi_params", {}, None).iloc[0])


def _sql(db_path, sql: str, *params) -> pd.DataFrame:
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        return con.execute(sql, list(params)).df()
    finally:
        con.close()


def _rows(frame: pd.DataFrame, columns: list[str]) -> list[tuple]:
    """Rows as tuples of plain values (NULL -> None, floats rounded to 6 places) for comparisons."""

    def plain(v):
        if v is None or (not isinstance(v, (list, tuple)) and pd.isna(v)):
            return None
        if isinstance(v, pd.Timestamp):
            return v.date() if v == v.normalize() and v.tzinfo is None else v
        if hasattr(v, "item"):
            v = v.item()
        return round(v, 6) if isinstance(v, float) else v

    return [tuple(plain(v) for v in row) for row in frame[columns].itertuples(index=False)]


# SLA ------------------------------------------------------------------------------------------


def test_sla_by_priority_for_a1_on_the_app_fixture(app_db):
    # In November 2025 - October 2026 A1 has one in-scope ticket: T5 (P1, 01.10.2026) answered after
    # 30 min (target 1 h) and resolved after 2 h (target 4 h): response and resolution 1 / 1 = 100 %,
    # target 95 % -> on target. T1, T2, T6 are November 2026 (the running month): not counted.
    section = service.sla(_ctx(app_db))
    table = section.table("sla_priorities")
    assert _rows(table.frame, ["priority", "tickets", "response_compliance_pct", "resolution_compliance_pct"]) == [
        ("P1", 1, 100.0, 100.0)
    ]
    assert _rows(table.frame, ["target_pct", "status", "below"]) == [(95.0, "im Ziel", False)]
    assert table.window == "12 Monate: November 2025 – Oktober 2026"
    assert section.figure("resolution_compliance").value == 100.0
    # no breach month: the table is there, empty, and says so
    assert section.table("sla_breach_months").frame.empty
    assert section.figure("breach_months").value == 0


def test_backlog_buckets_on_the_app_fixture(app_db):
    # A1's only open ticket at D_end is T2 (P3, created 24.11. 14:30 -> 27.11. 00:00 = 2 d 9.5 h): "0-2 d".
    table = service.sla(_ctx(app_db)).table("sla_backlog")
    assert list(table.frame["bucket"]) == ["0–2 Tage", "3–7 Tage", "8–30 Tage", "über 30 Tage"]
    assert list(table.frame["tickets"]) == [1, 0, 0, 0]
    assert list(table.frame["P3"]) == [1, 0, 0, 0]
    assert table.window == "Stand 26.11.2026"


def test_sla_priorities_breaches_malus_ppm_backlog(service_db):
    section = service.sla(_ctx(service_db))
    priorities = section.table("sla_priorities").frame
    # P1: T5 met/met -> 100/100. P2: T11, T12 answered in time (100 %), resolved 1 met, 1 breached -> 50 %.
    # P3: T13 neither answered nor resolved -> 0 % and 0 %. Below target (95 %): P2 and P3.
    assert _rows(
        priorities, ["priority", "tickets", "response_compliance_pct", "resolution_compliance_pct", "below"]
    ) == [("P1", 1, 100.0, 100.0, False), ("P2", 2, 100.0, 50.0, True), ("P3", 1, 0.0, 0.0, True)]
    # over the 12 months: response 3 met of 4 judged = 75 %, resolution 2 of 4 = 50 % (from counts)
    assert section.figure("response_compliance").value == pytest.approx(75.0)
    assert section.figure("resolution_compliance").value == pytest.approx(50.0)
    # breach months: October (P3, 1 ticket: T13), September (P2, 1 ticket: T11), most recent first
    months = section.table("sla_breach_months").frame
    assert _rows(months, ["month", "breached_priorities", "breached_tickets"]) == [
        (date(2026, 10, 1), "P3", 1),
        (date(2026, 9, 1), "P2", 1),
    ]
    tickets = section.table("sla_breach_tickets")
    assert list(tickets.frame["ticket_id"]) == ["T13", "T11"]
    # T11: due 11.09. 08:00, resolved 12.09. 08:00 -> 24 h late
    assert tickets.frame.set_index("ticket_id").loc["T11", "hours_late"] == pytest.approx(24.0)
    assert "2 Tickets insgesamt" in tickets.note
    # malus: September shortfall 95 - 50 = 45 points, October 95 - 0 = 95 (P1 at 100 % adds 0) -> both capped
    # at 10 % of 40,000 € = 4,000 €; 12 months: 8,000 €. Month to date (November): P1 0 % (T6, T15) and
    # P2 0 % (T1) -> 190 points -> 10 % -> 4,000 €, labelled partial.
    malus = section.table("sla_malus").frame
    assert _rows(malus, ["month", "shortfall_points", "malus_pct", "exposure_eur"]) == [
        (date(2026, 9, 1), 45.0, 10.0, 4000.0),
        (date(2026, 10, 1), 95.0, 10.0, 4000.0),
    ]
    assert section.figure("malus_12m").value == pytest.approx(8000.0)
    to_date = section.figure("malus_month_to_date")
    assert to_date.value == pytest.approx(4000.0)
    assert to_date.window == "November 2026 bis 26.11.2026 (laufender Monat, noch nicht abgeschlossen)"
    assert "vorläufig" in to_date.note
    # PPM: October 2026, 2 due, 1 on time (T16) -> 50 %
    assert _rows(section.table("sla_ppm").frame, ["month", "ppm_due", "ppm_on_time", "ppm_compliance_pct"]) == [
        (date(2026, 10, 1), 2, 1, 50.0)
    ]
    assert section.figure("ppm_compliance").value == pytest.approx(50.0)
    # backlog: T2 "0-2 d" (P3), T14 "3-7 d" (P4), T15 "8-30 d" (P1), T13 "> 30 d" (P3)
    backlog = section.table("sla_backlog").frame
    assert list(backlog["tickets"]) == [1, 1, 1, 1]
    assert _rows(backlog, ["P1", "P3", "P4"]) == [(0, 1, 0), (0, 0, 1), (1, 0, 0), (0, 1, 0)]
    assert section.figure("backlog").value == 4
    # FTF: resolved tickets created in the window with a known first_time_fix: T5, T11, T12 (base rows:
    # first_time_fix true) -> 100 %; MTTR = median(2 h, 48 h, 12 h) = 12 h
    assert section.figure("first_time_fix").value == pytest.approx(100.0)
    assert section.figure("mttr").value == pytest.approx(12.0)


def test_sla_tables_equal_the_marts(service_db):
    section = service.sla(_ctx(service_db))
    window = "month between date '2025-11-01' and date '2026-10-01'"
    expected = _sql(
        service_db,
        f"""select priority, sum(tickets) as t, sum(resolution_met) as m, sum(resolution_breached) as b,
                   any_value(target_pct) as target
            from mart_sla_monthly where account_id = 'A1' and {window} group by priority order by priority""",
    )
    got = section.table("sla_priorities").frame
    assert _rows(got, ["priority", "tickets", "resolution_met", "resolution_breached", "target_pct"]) == _rows(
        expected, ["priority", "t", "m", "b", "target"]
    )
    assert list(got["resolution_compliance_pct"]) == pytest.approx(
        list(100 * expected["m"] / (expected["m"] + expected["b"]))
    )
    breach = _sql(
        service_db,
        f"select month, breached_priorities from mart_sla_breach_months where account_id = 'A1' and {window} "
        "order by month desc",
    )
    assert _rows(section.table("sla_breach_months").frame, ["month", "breached_priorities"]) == _rows(
        breach, ["month", "breached_priorities"]
    )
    malus = _sql(
        service_db,
        f"select month, monthly_fee_eur, exposure_eur from mart_sla_malus where account_id = 'A1' and {window} "
        "order by month",
    )
    assert _rows(section.table("sla_malus").frame, ["month", "monthly_fee_eur", "exposure_eur"]) == _rows(
        malus, ["month", "monthly_fee_eur", "exposure_eur"]
    )
    ppm = _sql(
        service_db,
        f"select month, sum(ppm_due) as d, sum(ppm_on_time) as o from mart_ppm_monthly where account_id = 'A1' "
        f"and {window} group by month order by month",
    )
    assert _rows(section.table("sla_ppm").frame, ["month", "ppm_due", "ppm_on_time"]) == _rows(ppm, ["month", "d", "o"])
    backlog = _sql(
        service_db,
        "select backlog_bucket, count(*) as n from mart_ticket_sla where account_id = 'A1' and is_backlog "
        "group by backlog_bucket",
    ).set_index("backlog_bucket")["n"]
    frame = section.table("sla_backlog").frame.set_index("bucket_code")["tickets"]
    assert {b: int(frame[b]) for b in frame.index if frame[b]} == {b: int(n) for b, n in backlog.items()}
    tickets = _sql(
        service_db,
        f"""select t.ticket_id from mart_ticket_sla as t join mart_sla_monthly as m using (account_id, month, priority)
            where t.account_id = 'A1' and t.resolution_status = 'breached' and m.{window}
              and m.resolution_compliance_pct < m.target_pct order by t.created_at desc""",
    )
    assert list(section.table("sla_breach_tickets").frame["ticket_id"]) == list(tickets["ticket_id"])


def test_breach_ticket_list_is_capped_and_says_the_total(service_db, monkeypatch):
    monkeypatch.setattr(service, "BREACH_TICKETS_LIMIT", 1)
    table = service.sla(_ctx(service_db, lang="en")).table("sla_breach_tickets")
    assert list(table.frame["ticket_id"]) == ["T13"]
    assert table.note.endswith("The 1 most recent of 2 tickets.")


# Satisfaction ---------------------------------------------------------------------------------


def test_satisfaction_scores_trend_and_comments_verbatim(service_db):
    section = service.satisfaction(_ctx(service_db))
    # last 365 days (26.11.2025 - 26.11.2026): R1 nps 9 (promoter), R11 3 (detractor), R12 7 (passive);
    # R13 (01.10.2025) is outside. NPS = (1 - 1) / 3 = 0; CSAT = (5 + 2 + 4) / 3 = 3.67
    figures = {f.key: f.value for f in section.figures}
    assert figures["nps"] == pytest.approx(0.0)
    assert figures["csat"] == pytest.approx(11 / 3)
    assert (figures["responses"], figures["promoters"], figures["passives"], figures["detractors"]) == (3, 1, 1, 1)
    assert section.figure("nps").window == "letzte 365 Tage bis 26.11.2026"
    # comments: R11 (20.11.) then R1 (10.11.); R12 has none, R13 is outside the window. Verbatim.
    comments = section.table("survey_comments").frame
    assert list(comments["response_id"]) == ["R11", "R1"]
    assert comments.iloc[0]["comment"] == SCRIPT_COMMENT
    assert comments.iloc[1]["comment"] == 'Sehr gut, "schnell"\nund <b>freundlich</b>; danke'
    assert display(comments.iloc[0]["comment"], "text", "de") == SCRIPT_COMMENT
    # trend: 12 month-ends plus D, the last one today's NPS (0) from 3 responses
    trend = section.table("nps_trend").frame
    assert (
        len(trend) == 13
        and bool(trend.iloc[-1]["is_current"])
        and trend.iloc[-1]["as_of"] == pd.Timestamp("2026-11-26")
    )
    assert (trend.iloc[-1]["nps"], trend.iloc[-1]["nps_responses"]) == (0.0, 3)
    # 31.10.2026: window (31.10.2025, 31.10.2026] holds R12 (7) only -> NPS 0 from 1 response
    october = trend[trend["as_of"] == pd.Timestamp("2026-10-31")].iloc[0]
    assert (october["nps"], october["nps_responses"]) == (0.0, 1)


def test_satisfaction_tables_equal_the_marts(service_db):
    section = service.satisfaction(_ctx(service_db))
    history = _sql(
        service_db,
        """select as_of, nps from mart_account_health_history where account_id = 'A1'
           union all select (select as_of from kpi_params), nps from mart_account_health where account_id = 'A1'
           order by as_of""",
    )
    assert _rows(section.table("nps_trend").frame, ["as_of", "nps"]) == _rows(history, ["as_of", "nps"])
    monthly = _sql(
        service_db,
        """select date_trunc('month', response_date)::date as month, count(nps) as n from stg_surveys
           where account_id = 'A1' and response_date between date '2025-11-01' and date '2026-10-31' group by 1""",
    )
    got = section.table("survey_monthly").frame
    assert len(got) == 12
    assert {r for r in _rows(got, ["month", "responses"]) if r[1]} == set(_rows(monthly, ["month", "n"]))
    comments = _sql(
        service_db,
        """select response_id, comment from stg_surveys where account_id = 'A1' and comment is not null
           and response_date > date '2025-11-26' order by response_date desc""",
    )
    assert _rows(section.table("survey_comments").frame, ["response_id", "comment"]) == _rows(
        comments, ["response_id", "comment"]
    )


# Commitments ----------------------------------------------------------------------------------


def test_commitments_ledger_counts_and_on_time_rate(service_db):
    section = service.commitments(_ctx(service_db))
    ledger = section.table("commitments_ledger").frame
    # overdue first (oldest due first): K13 (due 01.11., 25 days), K14 (due 20.11., done only on 28.11.,
    # after D: 6 days); then open K1 (due 01.12.); then kept: K11 (done 30.09.), K12 (done 15.08., 14 days
    # late). K15 (due 2025, before the window) and K16 (promised after D) are not listed.
    assert _rows(ledger, ["commitment_id", "status", "days_overdue", "days_late"]) == [
        ("K13", "overdue", 25, None),
        ("K14", "overdue", 6, None),
        ("K1", "open", None, None),
        ("K11", "kept_on_time", None, None),
        ("K12", "kept_late", None, 14),
    ]
    assert ledger.iloc[1]["done_on"] is None or pd.isna(ledger.iloc[1]["done_on"])  # done after D: not yet
    assert list(ledger["is_overdue"]) == [True, True, False, False, False]
    assert set(ledger["owner"]) == {"Anna Schmidt"}
    assert ledger.iloc[0]["description"] == "<b>Bericht</b> senden"
    # due in (26.11.2025, 26.11.2026]: K11, K12, K13, K14; on time: K11 -> 1 / 4 = 25 %
    rate = section.figure("ontime_rate")
    assert rate.value == pytest.approx(25.0)
    assert rate.note == "1 von 4 pünktlich"
    values = {f.key: f.value for f in section.figures}
    assert (values["open"], values["overdue"], values["kept_on_time"], values["kept_late"]) == (3, 2, 1, 1)


def test_commitments_equal_the_marts(service_db):
    section = service.commitments(_ctx(service_db))
    mart = _sql(
        service_db,
        "select commitment_ontime_pct, commitments_open, commitments_overdue from mart_accounts "
        "where account_id = 'A1'",
    ).iloc[0]
    values = {f.key: f.value for f in section.figures}
    assert values["ontime_rate"] == pytest.approx(mart["commitment_ontime_pct"])
    assert (values["open"], values["overdue"]) == (mart["commitments_open"], mart["commitments_overdue"])
    ledger = section.table("commitments_ledger").frame
    assert (ledger["status"].isin(["open", "overdue"])).sum() == mart["commitments_open"]
    rows = _sql(
        service_db,
        """select commitment_id, description, due_date from stg_commitments where account_id = 'A1'
           and promised_on <= date '2026-11-26'
           and (done_on is null or done_on > date '2026-11-26' or due_date > date '2025-11-26')""",
    )
    assert sorted(_rows(ledger, ["commitment_id", "description", "due_date"])) == sorted(
        _rows(rows, ["commitment_id", "description", "due_date"])
    )


# Relationship ---------------------------------------------------------------------------------


def test_relationship_figures_and_tables(service_db):
    section = service.relationship(_ctx(service_db))
    # (30.05.2026, 26.11.2026]: I1 us, I11 customer, I12 us, I14 customer -> 2 / 4 = 50 %
    share = section.figure("proactive_share")
    assert share.value == pytest.approx(50.0)
    assert share.window == "letzte 180 Tage bis 26.11.2026" and share.note == "von 4 Kontakten"
    # last proactive: I1 on 15.11. -> 11 days; last contact: I14 on 20.11. -> 6 days
    assert section.figure("days_since_proactive").value == 11
    assert section.figure("days_since_contact").value == 6
    # 12 complete months (Nov 2025 - Oct 2026): I13 (April, site visit, us), I12 (Sept, call, us),
    # I11 (Oct, email, customer)
    timeline = section.table("interaction_timeline").frame
    assert _rows(timeline, ["month", "channel_label", "initiator", "interactions"]) == [
        (date(2026, 4, 1), "Besuch vor Ort", "von uns", 1),
        (date(2026, 9, 1), "Anruf", "von uns", 1),
        (date(2026, 10, 1), "E-Mail", "vom Kunden", 1),
    ]
    assert section.figure("interactions_12m").value == 3
    recent = section.table("recent_interactions").frame
    assert list(recent["interaction_id"]) == ["I14", "I1", "I11", "I12", "I13"]
    assert list(recent["employee"]) == [
        "keine Person erfasst",
        "Anna Schmidt",
        "Ben Weber",
        "Jörg Müller",
        "Anna Schmidt",
    ]
    assert recent.iloc[2]["subject"] == "[x](javascript:alert(1))"
    roles = section.table("contacts_by_role").frame
    assert sorted(_rows(roles, ["department_label", "role_label", "interactions", "proactive"])) == [
        ("Facility Management", "Object Manager", 1, 1),
        ("Key Account Management", "KAM", 1, 1),
        ("Technischer Service", "Technician", 1, 0),
    ]
    assert "Kunden sind in den Daten nicht erfasst" in section.table("contacts_by_role").note


def test_relationship_equals_the_marts(service_db):
    section = service.relationship(_ctx(service_db))
    mart = _sql(
        service_db,
        "select proactive_share_pct, days_since_contact, days_since_proactive from mart_accounts "
        "where account_id = 'A1'",
    ).iloc[0]
    assert section.figure("proactive_share").value == pytest.approx(mart["proactive_share_pct"])
    assert section.figure("days_since_contact").value == mart["days_since_contact"]
    assert section.figure("days_since_proactive").value == mart["days_since_proactive"]
    monthly = _sql(
        service_db,
        """select date_trunc('month', interaction_date)::date as month, channel, initiated_by, count(*) as n
           from stg_interactions where account_id = 'A1'
             and interaction_date between date '2025-11-01' and date '2026-10-31' group by all order by 1, 2, 3""",
    )
    assert _rows(section.table("interaction_timeline").frame, ["month", "channel", "initiated_by", "interactions"]) == (
        _rows(monthly, ["month", "channel", "initiated_by", "n"])
    )
    recent = _sql(
        service_db,
        """select interaction_id, subject from stg_interactions where account_id = 'A1'
           and interaction_date > date '2025-11-26' order by interaction_date desc""",
    )
    assert _rows(section.table("recent_interactions").frame, ["interaction_id", "subject"]) == _rows(
        recent, ["interaction_id", "subject"]
    )
    roles = _sql(
        service_db,
        """select e.department, count(*) as n
           from stg_interactions as i left join stg_employees as e using (employee_id)
           where i.account_id = 'A1' and i.interaction_date between date '2025-11-01' and date '2026-10-31'
           group by 1""",
    )
    assert sorted(_rows(section.table("contacts_by_role").frame, ["department", "interactions"])) == sorted(
        _rows(roles, ["department", "n"])
    )


# Both languages, every window, empty sections, the assembled review ---------------------------


@pytest.mark.parametrize("lang", ["de", "en"])
@pytest.mark.parametrize("account_id", ["A1", "A2"])
def test_both_languages_every_item_has_a_label_and_a_window(service_db, app_db, lang, account_id):
    for db in (service_db, app_db):
        for build in BUILDERS:
            section = build(_ctx(db, account_id, lang))  # a missing text raises KeyError
            assert section.title
            if section.empty:
                assert not section.tables and not section.figures
                continue
            for figure in section.figures:
                assert figure.label and figure.window, figure
                figure.text(lang)
            for chart in section.charts:
                assert chart.title and chart.window and chart.spec["$schema"].startswith("https://vega.github.io")
            for table in section.tables:
                assert table.title and table.window and all(c.label for c in table.columns), table.key
                shown = table.shown()
                for column in table.columns:
                    [display(v, column.kind, lang, column.decimals) for v in shown[column.key]]
                if table.highlight:
                    assert table.frame[table.highlight].dtype == bool


def test_english_wording(service_db):
    ctx = _ctx(service_db, lang="en")
    sla = service.sla(ctx)
    assert sla.table("sla_priorities").window == "12 months: November 2025 – October 2026"
    assert list(sla.table("sla_priorities").frame["status"]) == ["on target", "below target", "below target"]
    assert service.commitments(ctx).table("commitments_ledger").frame.iloc[0]["status_label"] == "overdue"
    assert service.relationship(ctx).figure("proactive_share").note == "of 4 interactions"


def test_account_without_data_gets_empty_sections_with_a_reason(app_db):
    # A2 on the app fixture: T4 (no SLA policy) resolved in November (running month) -> no ticket in the
    # 12 months, no backlog, no PPM due; no commitments; R2 is a survey response; I2 an interaction.
    ctx = _ctx(app_db, "A2")
    assert service.sla(ctx).empty.startswith("Keine Tickets")
    assert service.commitments(ctx).empty.startswith("Keine Zusagen")
    assert service.satisfaction(ctx).empty is None
    relationship = service.relationship(ctx)
    assert relationship.figure("days_since_proactive").value is None
    assert relationship.figure("days_since_proactive").note.startswith("nie")


def test_assembled_review_has_the_service_sections_in_order(service_db):
    review = assemble(query.current_version(service_db), "A1", "de")
    keys = [s.key for s in review.sections]
    assert [k for k in keys if k in {"sla", "satisfaction", "commitments", "relationship"}] == [
        "sla",
        "satisfaction",
        "commitments",
        "relationship",
    ]
    assert keys.index("alerts") < keys.index("sla") and keys.index("relationship") < keys.index("contracts")
