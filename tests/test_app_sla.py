"""SLA & service page on the app fixture (tests/app_fixture.py; D = 2026-11-26, D_end = 27.11. 00:00).

Hand-derived figures (default period 01.12.2025-26.11.2026; in-scope tickets
T1, T2, T5, T6 of A1 and T4 of A2; A2 has no SLA policy):
- Resolution: T1 P2 28 h > 24 h breached, T5 P1 2 h met, T6 P1 7 h > 4 h breached,
  T2 P3 pending (due 27.11. 14:30), T4 no SLA -> 1 / 3 = 33.3 %.
- Response: T1 1 h <= 4 h met, T5 0.5 h met, T6 2 h > 1 h breached, T2 none and
  due 24.11. 22:30 < D_end -> breached -> 2 / 4 = 50.0 %.
- MTTR = median(2, 4, 7, 28) h = 5.5 h; first-time fix: all four resolved
  tickets true -> 100 %; escalated: T2 only -> 1 / 5 = 20 %; backlog: T2.
- Malus (A1, 1 %/point, cap 10 %, fee 480,000 / 12 = 40,000 EUR): October P1
  100 % -> 0; November P1 0 % and P2 0 % -> shortfall 95 + 95 = 190 points
  -> capped 10 % -> 4,000 EUR.
- Breaches: A1 November P1 (T6) and P2 (T1), both 95 points short.
"""

import json
from datetime import datetime

import duckdb
import pyarrow as pa

from kamdata import query
from tests.exportset import base_row, build_fixture_db

PAGE = "app_pages/sla.py"


def metrics(at) -> dict:
    return {m.label: m.value for m in at.metric}


def test_headline_figures_in_german(run_app):
    at = run_app(PAGE)
    assert not at.exception
    assert at.title[0].value == "SLA & Service"
    # compliance per priority, account heatmap, backlog ageing (no PPM due: a message instead)
    assert len(at.get("vega_lite_chart")) == 3
    assert metrics(at) == {
        "Lösungsquote im SLA": "33,3 %",
        "Reaktionsquote im SLA": "50,0 %",
        "MTTR": "5,5 h",
        "First-Time-Fix": "100,0 %",
        "Eskalationsquote": "20,0 %",
        "Offene Tickets": "1",
        "Wartung termingerecht": "k. A.",
        "Malus-Risiko": "4.000 €",
    }


def test_english_labels_and_number_format(run_app):
    at = run_app(PAGE, lang="en")
    assert not at.exception
    shown = metrics(at)
    assert at.title[0].value == "SLA & service"
    assert shown["Resolution compliance"] == "33.3%"
    assert shown["Malus exposure"] == "€4,000"
    assert "SLA breaches" in [h.value for h in at.subheader]


def test_service_line_filter_changes_compliance_like_the_mart(run_app, app_db):
    at = run_app(PAGE)
    at.multiselect(key="lines").set_value(["technical"]).run()
    shown = metrics(at)
    # technical: T1 breached, T5 met (T4 has no SLA) -> 1 / 2 = 50 %; responses T1, T5 met -> 100 %.
    assert shown["Lösungsquote im SLA"] == "50,0 %"
    assert shown["Reaktionsquote im SLA"] == "100,0 %"
    # Malus is contractual per account and month: the service line does not change it.
    assert shown["Malus-Risiko"] == "4.000 €"
    con = duckdb.connect(str(app_db.resolve()), read_only=True)
    mart = con.execute(
        "select compliance_pct(count(*) filter (where resolution_status = 'met'),"
        " count(*) filter (where resolution_status = 'breached'))"
        " from mart_ticket_sla where service_line = 'technical' and created_date >= date '2025-12-01'"
    ).fetchone()[0]
    con.close()
    assert mart == 50.0


def test_breach_list_drills_down_to_the_tickets(run_app):
    at = run_app(PAGE)
    breaches = at.dataframe[0].value
    assert list(breaches["priority"]) == ["P1", "P2"]
    assert list(breaches["shortfall_points"]) == [95.0, 95.0]
    # The first breach is preselected: A1, November 2026, P1 -> its only ticket T6, breached.
    tickets = at.dataframe[1].value
    assert list(tickets["ticket_id"]) == ["T6"]
    assert list(tickets["site_name"]) == ["Haus B"]
    assert list(tickets["resolution_status"]) == ["verletzt"]
    assert list(tickets["status"]) == ["gelöst"]
    # Berlin wall-clock times (created 08:00, due 4 h later, resolved 15:00), not UTC
    assert str(tickets["created_at"].iloc[0]) == "2026-11-02 08:00:00"
    assert str(tickets["resolution_due"].iloc[0]) == "2026-11-02 12:00:00"
    assert str(tickets["resolved_at"].iloc[0]) == "2026-11-02 15:00:00"


def test_account_without_sla_policy_shows_na_not_zero(run_app):
    at = run_app(PAGE, accounts=["Logistik Süd GmbH"])
    assert not at.exception
    shown = metrics(at)
    # A2's only ticket T4 has no SLA policy: compliance "k. A.", MTTR 4 h from its resolution.
    assert shown["Lösungsquote im SLA"] == "k. A."
    assert shown["MTTR"] == "4,0 h"
    assert shown["Malus-Risiko"] == "k. A."
    messages = [i.value for i in at.info]
    assert any(m.startswith("Keine Tickets mit fälliger SLA-Vorgabe") for m in messages)
    assert "Kein Account im Filter hat eine Malus-Vereinbarung." in messages
    # no policy -> nothing below target; T4 is resolved -> no backlog
    assert [m.value for m in at.success] == [
        "Keine SLA-Verletzungen für die gewählten Filter – alle Prioritäten im Ziel.",
        "Keine offenen Tickets – der Rückstand ist abgearbeitet.",
    ]


def test_period_without_tickets_shows_one_helpful_message(run_app):
    at = run_app(PAGE, period=["2026-01-01", "2026-01-31"])
    assert not at.exception
    assert not at.metric
    assert [i.value for i in at.info] == [
        "Keine reaktiven Tickets für die gewählten Filter. Zeitraum erweitern oder "
        "Account-/Leistungsbereichsfilter lockern."
    ]
    assert not at.get("vega_lite_chart")


def _on_time_account(number: int) -> dict[str, list]:
    """Account A<number> with one site, a P1 policy and one P1 ticket resolved within its 4 h."""
    account, site, ticket = f"A{number}", f"S{number}", f"T{number}"
    return {
        "accounts": [base_row("accounts", account_id=account, account_name=f"Account {number}")],
        "sites": [base_row("sites", site_id=site, account_id=account)],
        "sla_policies": [base_row("sla_policies", account_id=account)],
        "tickets": [
            base_row(
                "tickets",
                ticket_id=ticket,
                account_id=account,
                site_id=site,
                priority="P1",
                created_at=datetime(2026, 11, 2, 8),
                first_response_at=datetime(2026, 11, 2, 8, 30),
                resolved_at=datetime(2026, 11, 2, 10),
                updated_at=datetime(2026, 11, 2, 10),
            )
        ],
    }


def test_heatmap_keeps_at_most_40_accounts_worst_first(run_app, tmp_path):
    added: dict[str, list] = {}
    for number in range(10, 50):
        for table, rows in _on_time_account(number).items():
            added.setdefault(table, []).extend(rows)
    db_path = build_fixture_db(tmp_path, add=added)
    at = run_app(PAGE, db_path=db_path)
    assert not at.exception
    # 41 accounts with judged tickets: Klinikum Nord (base ticket T1 breached: a breach month) and 40
    # on-time ones (A2's base ticket is planned); 40 are drawn, Klinikum Nord first.
    capped = "Gezeigt: die 40 von 41 Accounts mit den meisten Verletzungsmonaten."
    assert any(c.value.startswith(capped) for c in at.caption)
    heatmap = json.loads(at.get("vega_lite_chart")[1].proto.spec)
    assert heatmap["height"] == 40 * 30 + 120  # kamdata.app.charts.base.rows_height(40)
    drawn = pa.ipc.open_stream(at.get("vega_lite_chart")[1].proto.datasets[0].data.data).read_pandas()
    shown = set(drawn["account_name"])
    assert len(shown) == 40 and "Klinikum Nord" in shown


def test_breach_percentages_all_with_one_decimal(run_app):
    at = run_app(PAGE)
    config = json.loads(at.dataframe[0].proto.columns)
    # Compliance 0 %, target 95 %, shortfall 95 points: the grid shows "0,0", "95,0", "95,0" (the
    # precision comes from the step), never "95" next to "33,3".
    for column in ("resolution_compliance_pct", "target_pct", "shortfall_points"):
        assert config[column]["type_config"]["format"] == "localized"
        assert config[column]["type_config"]["step"] == 0.1


def test_heatmap_months_without_judged_tickets_are_grey_cells(run_app, tmp_path):
    # Base export set: Klinikum Nord has judged tickets only in November (T1); the added Account 10
    # in October (T10b) and November (T10) -> Klinikum Nord's October cell is drawn as "no judged
    # tickets", not left blank.
    added = _on_time_account(10)
    added["tickets"].append(
        base_row(
            "tickets",
            ticket_id="T10b",
            account_id="A10",
            site_id="S10",
            priority="P1",
            created_at=datetime(2026, 10, 5, 8),
            first_response_at=datetime(2026, 10, 5, 8, 30),
            resolved_at=datetime(2026, 10, 5, 10),
            updated_at=datetime(2026, 10, 5, 10),
        )
    )
    db_path = build_fixture_db(tmp_path, add=added)
    at = run_app(PAGE, db_path=db_path)
    assert not at.exception
    drawn = pa.ipc.open_stream(at.get("vega_lite_chart")[1].proto.datasets[0].data.data).read_pandas()
    cells = {(row.account_name, row.month.strftime("%Y-%m")): row for row in drawn.itertuples()}
    assert set(cells) == {
        ("Klinikum Nord", "2026-10"),
        ("Klinikum Nord", "2026-11"),
        ("Account 10", "2026-10"),
        ("Account 10", "2026-11"),
    }
    empty = cells[("Klinikum Nord", "2026-10")]
    assert not empty.has_data and empty.breach_label == "keine bewerteten Tickets"
    assert cells[("Account 10", "2026-10")].resolution_compliance_pct == 100.0  # T10b 2 h <= 4 h
    spec = json.loads(at.get("vega_lite_chart")[1].proto.spec)
    assert spec["layer"][0]["mark"]["color"] == "#9aa0a6"  # the grey "no data" layer under the cells
    assert any("Grau: keine bewerteten Tickets" in c.value for c in at.caption)


def test_malus_tile_is_the_total_row_of_the_query(run_app, tmp_path):
    # Base export set plus malus terms for A2 (2 %/point, cap 5 %) and an A2 P1 ticket resolved after
    # 7 h > 4 h in November. A1 November: P2 (T1) 0 % -> 95 points x 1 % -> capped 10 % of 40,000
    # = 4,000 EUR. A2 November: P1 0 % -> 95 points x 2 % -> capped 5 % of 250,000 / 12 = 20,833.33
    # -> 1,041.67 EUR. Tile = the query's total row: 5,041.67 -> "5.042 €"; the table lists the
    # two accounts without the total row.
    breach = base_row(
        "tickets",
        ticket_id="T9",
        account_id="A2",
        site_id="S3",
        priority="P1",
        created_at=datetime(2026, 11, 3, 8),
        first_response_at=datetime(2026, 11, 3, 8, 30),
        resolved_at=datetime(2026, 11, 3, 15),
        updated_at=datetime(2026, 11, 3, 15),
    )
    terms = [
        base_row("sla_malus"),
        base_row("sla_malus", account_id="A2", malus_pct_per_point=2.0, malus_cap_pct=5.0),
    ]
    db_path = build_fixture_db(tmp_path, rows={"sla_malus": terms}, add={"tickets": [breach]})
    at = run_app(PAGE, db_path=db_path)
    assert not at.exception
    assert metrics(at)["Malus-Risiko"] == "5.042 €"
    malus = at.dataframe[-1].value
    assert list(malus["account_name"]) == ["Klinikum Nord", "Logistik Süd GmbH"]
    assert [round(v, 2) for v in malus["exposure_eur"]] == [4000.0, 1041.67]
    # The total is computed by SQL (grouping sets), one row with account_id NULL.
    result = query.run(
        query.current_version(db_path), "sla_malus", {"accounts": None, "date_from": None, "date_to": None}
    )
    total = result[result["account_id"].isna()]
    assert len(total) == 1 and round(total["exposure_eur"].iloc[0], 2) == 5041.67
    assert total["months"].iloc[0] == 2
