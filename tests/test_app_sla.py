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
- November 2026 is the running month (the month of D): each of its cells has one or two judged
  tickets, fewer than the default running_month_min_judged = 5, so they are provisional: drawn,
  labelled "(laufend)", but no breach yet. Tests about the breach list itself run with the rule at
  1 (`_rule(tmp_path, 1)`), so November counts.
- Malus month to date (November 2026) = 4,000 EUR as well (October has no malus).
"""

import json
from datetime import datetime

import duckdb
import pandas as pd
import pyarrow as pa

from kamdata import query
from tests.exportset import base_row, build_fixture_db

PAGE = "app_pages/sla.py"
RESOLUTION = "Lösungsquote im SLA (Zeitraum)"
MALUS_PERIOD = "Malus-Risiko, Summe Zeitraum"
MALUS_MTD = "Malus November 2026 (laufend)"


def metrics(at) -> dict:
    return {m.label: m.value for m in at.metric}


def _rule(tmp_path, min_judged: int) -> str:
    """A settings override with app.running_month_min_judged = min_judged (path for run_app(settings=...))."""
    path = tmp_path / f"rule-{min_judged}.toml"
    path.write_text(f"[app]\nrunning_month_min_judged = {min_judged}\n", encoding="utf-8")
    return str(path)


def _chart(at, index: int) -> tuple[dict, pd.DataFrame]:
    """(Vega-Lite spec, first dataset) of the index-th chart on the page."""
    chart = at.get("vega_lite_chart")[index]
    return json.loads(chart.proto.spec), pa.ipc.open_stream(chart.proto.datasets[0].data.data).read_pandas()


def test_headline_figures_in_german(run_app):
    at = run_app(PAGE)
    assert not at.exception
    assert at.title[0].value == "SLA & Service"
    # compliance per priority, account heatmap, backlog ageing, malus per account x month (no PPM due:
    # a message instead)
    assert len(at.get("vega_lite_chart")) == 4
    # Every label says its window: "(Zeitraum)", "erstellt im Zeitraum", "Summe Zeitraum", "(laufend)".
    assert metrics(at) == {
        RESOLUTION: "33,3 %",
        "Reaktionsquote im SLA (Zeitraum)": "50,0 %",
        "MTTR (Zeitraum)": "5,5 h",
        "First-Time-Fix (Zeitraum)": "100,0 %",
        "Eskalationsquote (Zeitraum)": "20,0 %",
        "Offen, erstellt im Zeitraum": "1",
        "Wartung termingerecht (Zeitraum)": "k. A.",
        MALUS_PERIOD: "4.000 €",
        MALUS_MTD: "4.000 €",
    }
    # The period itself is named under the tiles (default: 01.12.2025 - D).
    assert any("Zeitraum: 01.12.2025 – 26.11.2026" in c.value for c in at.caption)


def test_english_labels_and_number_format(run_app):
    at = run_app(PAGE, lang="en")
    assert not at.exception
    shown = metrics(at)
    assert at.title[0].value == "SLA & service"
    assert shown["Resolution compliance (period)"] == "33.3%"
    assert shown["Malus exposure, period total"] == "€4,000"
    assert shown["Malus November 2026 (to date)"] == "€4,000"
    assert shown["Open, created in period"] == "1"
    assert "SLA breaches" in [h.value for h in at.subheader]


def test_service_line_filter_changes_compliance_like_the_mart(run_app, app_db):
    at = run_app(PAGE)
    at.multiselect(key="lines").set_value(["technical"]).run()
    shown = metrics(at)
    # technical: T1 breached, T5 met (T4 has no SLA) -> 1 / 2 = 50 %; responses T1, T5 met -> 100 %.
    assert shown[RESOLUTION] == "50,0 %"
    assert shown["Reaktionsquote im SLA (Zeitraum)"] == "100,0 %"
    # Malus is contractual per account and month: the service line does not change it.
    assert shown[MALUS_PERIOD] == "4.000 €"
    assert shown[MALUS_MTD] == "4.000 €"
    con = duckdb.connect(str(app_db.resolve()), read_only=True)
    mart = con.execute(
        "select compliance_pct(count(*) filter (where resolution_status = 'met'),"
        " count(*) filter (where resolution_status = 'breached'))"
        " from mart_ticket_sla where service_line = 'technical' and created_date >= date '2025-12-01'"
    ).fetchone()[0]
    con.close()
    assert mart == 50.0


def test_breach_list_drills_down_to_the_tickets(run_app, tmp_path):
    at = run_app(PAGE, settings=_rule(tmp_path, 1))
    breaches = at.dataframe[0].value
    assert list(breaches["priority"]) == ["P1", "P2"]
    # November 2026 is the running month: its rows say so.
    assert list(breaches["month_label"]) == ["Nov 2026 (laufend)", "Nov 2026 (laufend)"]  # fmt.short_month
    assert list(breaches["shortfall_points"]) == [95.0, 95.0]
    # The first breach is preselected: A1, November 2026, P1 -> its only ticket T6, breached.
    tickets = at.dataframe[1].value
    assert list(tickets["ticket_id"]) == ["T6"]
    # The SLA result is the second column (never the one cut off at the right edge); site, category
    # and service line, which only describe the ticket, come last.
    assert list(at.dataframe[1].proto.column_order) == [
        "ticket_id",
        "resolution_status",
        "status",
        "created_at",
        "resolution_due",
        "resolved_at",
        "site_name",
        "category",
        "service_line",
    ]
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
    assert shown[RESOLUTION] == "k. A."
    assert shown["MTTR (Zeitraum)"] == "4,0 h"
    assert shown[MALUS_PERIOD] == "k. A."
    assert shown[MALUS_MTD] == "k. A."  # A2 has no malus terms
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


def _forty_on_time_accounts(tmp_path):
    added: dict[str, list] = {}
    for number in range(10, 50):
        for table, rows in _on_time_account(number).items():
            added.setdefault(table, []).extend(rows)
    return build_fixture_db(tmp_path, add=added)


def test_heatmap_keeps_at_most_40_accounts_worst_first(run_app, tmp_path):
    db_path = _forty_on_time_accounts(tmp_path)
    # All these tickets are in November, the running month: with the rule at 1 judged ticket its cells count.
    at = run_app(PAGE, db_path=db_path, settings=_rule(tmp_path, 1))
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


def test_provisional_running_month_cells_do_not_rank_worst(run_app, tmp_path):
    # The same 41 accounts with the default rule (5 judged tickets): every November cell has one
    # judged ticket, so Klinikum Nord's breach there is provisional and ranks no higher than the on-time
    # accounts (ties by name: Account 10 ... Account 49 are the 40 drawn).
    at = run_app(PAGE, db_path=_forty_on_time_accounts(tmp_path))
    assert not at.exception
    _, drawn = _chart(at, 1)
    assert "Klinikum Nord" not in set(drawn["account_name"])
    assert drawn["provisional"].all() and not drawn["listed_breach"].any()


def test_breach_percentages_all_with_one_decimal(run_app, tmp_path):
    at = run_app(PAGE, settings=_rule(tmp_path, 1))
    config = json.loads(at.dataframe[0].proto.columns)
    # Compliance 0 %, target 95 %, shortfall 95 points: the grid shows "0,0", "95,0", "95,0" (the
    # precision comes from the step), never "95" next to "33,3".
    # (The number format itself is the table widget's: app language, kamdata.app.widgets.table.)
    for column in ("resolution_compliance_pct", "target_pct", "shortfall_points"):
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
    _, drawn = _chart(at, 1)
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


def _a2_breach(ticket_id: str, day: datetime) -> dict:
    """An A2 P1 ticket resolved after 7 h (> 4 h target): resolution breached."""
    return base_row(
        "tickets",
        ticket_id=ticket_id,
        account_id="A2",
        site_id="S3",
        priority="P1",
        created_at=day,
        first_response_at=day.replace(minute=30),
        resolved_at=day.replace(hour=day.hour + 7),
        updated_at=day.replace(hour=day.hour + 7),
    )


def test_malus_period_total_month_to_date_and_per_month(run_app, tmp_path):
    # Base export set plus malus terms for A2 (2 %/point, cap 5 %) and A2 P1 tickets resolved after
    # 7 h > 4 h in October (T9b) and November (T9). A1 November: P2 (T1) 0 % -> 95 points x 1 % ->
    # capped 10 % of 40,000 = 4,000 EUR (A1 has no October ticket: no row). A2 October and November:
    # P1 0 % -> 95 points x 2 % -> capped 5 % of 250,000 / 12 = 20,833.33 -> 1,041.67 EUR each.
    # Period total (tile and table) = 4,000 + 2 x 1,041.67 = 6,083.33 -> "6.083 €";
    # month to date (November, the month of D) = 4,000 + 1,041.67 = 5,041.67 -> "5.042 €".
    terms = [
        base_row("sla_malus"),
        base_row("sla_malus", account_id="A2", malus_pct_per_point=2.0, malus_cap_pct=5.0),
    ]
    breaches = [_a2_breach("T9", datetime(2026, 11, 3, 8)), _a2_breach("T9b", datetime(2026, 10, 6, 8))]
    db_path = build_fixture_db(tmp_path, rows={"sla_malus": terms}, add={"tickets": breaches})
    at = run_app(PAGE, db_path=db_path)
    assert not at.exception
    assert metrics(at)[MALUS_PERIOD] == "6.083 €"
    assert metrics(at)[MALUS_MTD] == "5.042 €"
    malus = at.dataframe[-1].value
    assert list(malus["account_name"]) == ["Klinikum Nord", "Logistik Süd GmbH"]
    assert [round(v, 2) for v in malus["exposure_eur"]] == [4000.0, 2083.33]
    # A1 has malus only in November (running), A2 in October and November (running): the running
    # month is counted and said so in "davon laufend".
    assert list(malus["months_with_malus"]) == [1, 2]
    assert list(malus["running_with_malus"]) == [1, 1]
    # Per account x month (the malus heatmap, the last chart): November is the running month.
    _, cells = _chart(at, -1)
    got = {
        (r.account_name, r.month.strftime("%Y-%m"), r.running_month): round(r.exposure_eur, 2)
        for r in cells.itertuples()
    }
    assert got == {
        ("Logistik Süd GmbH", "2026-10", False): 1041.67,
        ("Klinikum Nord", "2026-11", True): 4000.0,
        ("Logistik Süd GmbH", "2026-11", True): 1041.67,
    }
    # Totals are computed by SQL (grouping sets): the period total row of sla_malus, the per-month
    # total rows of sla_malus_monthly, the one row of sla_malus_month_to_date.
    version = query.current_version(db_path)
    everything = {"accounts": None, "date_from": None, "date_to": None}
    result = query.run(version, "sla_malus", everything)
    total = result[result["account_id"].isna()]
    assert len(total) == 1 and round(total["exposure_eur"].iloc[0], 2) == 6083.33
    assert total["months"].iloc[0] == 3
    monthly = query.run(version, "sla_malus_monthly", everything)
    totals = monthly[monthly["account_id"].isna()]
    assert [round(v, 2) for v in totals["exposure_eur"]] == [1041.67, 5041.67]
    mtd = query.run(version, "sla_malus_month_to_date", {"accounts": None}).iloc[0]
    assert str(mtd["month"])[:10] == "2026-11-01" and round(mtd["exposure_eur"], 2) == 5041.67
    assert (mtd["accounts_with_terms"], mtd["accounts_with_malus"]) == (2, 2)
    # A period that ends before November: the period total drops November, the month-to-date tile stays.
    at = run_app(PAGE, db_path=db_path, period=["2026-10-01", "2026-10-31"])
    assert metrics(at)[MALUS_PERIOD] == "1.042 €"
    assert metrics(at)[MALUS_MTD] == "5.042 €"


def test_running_month_is_labelled_and_faded(run_app):
    at = run_app(PAGE)
    assert not at.exception
    # Compliance chart (small multiples): the running month's axis label gets "(laufend)", its rows are
    # flagged, and its segment is dashed (a second line layer filtered to the tail).
    spec, data = _chart(at, 0)
    layers = spec["spec"]["layer"]
    assert "' (laufend)'" in json.dumps(spec) and "2026 && month(datum.value) == 10" in json.dumps(spec)
    assert any(layer["mark"].get("strokeDash") for layer in layers if layer["mark"]["type"] == "line")
    assert set(data.loc[data["month"] == "2026-11-01", "running_month"]) == {True}
    assert set(data.loc[data["month"] == "2026-10-01", "running_month"]) == {False}
    # Heatmap: A1 November has 2 judged tickets (T1, T6) < 5 -> provisional, faded, no breach outline;
    # A1 October (T5 met, 1 judged) is a complete month: never provisional.
    heat, cells = _chart(at, 1)
    by_month = {r.month.strftime("%Y-%m"): r for r in cells.itertuples() if r.account_name == "Klinikum Nord"}
    assert by_month["2026-11"].provisional and not by_month["2026-11"].listed_breach
    # Provisional cells are the only veiled ones (a grey rect at opacity 1 - 0.3 over the cell on the
    # provisional filter); the running month keeps its colour and gets a dotted outline (a fill-less rect on
    # the running filter), readable in the dark theme too.
    marks = [(json.dumps(layer.get("transform", [])), layer["mark"]) for layer in heat["layer"]]
    pale = [m for f, m in marks if m["type"] == "rect" and m.get("opacity") == 0.7]
    assert len(pale) == 1 and [f for f, m in marks if m is pale[0]] == [
        '[{"filter": "datum.has_data"}, {"filter": "datum.provisional"}]'
    ]
    assert any("datum.running_month" in f and m.get("strokeDash") == [2, 2] for f, m in marks)
    assert not by_month["2026-10"].provisional
    # The rule is said on the page, and the breach list stays empty.
    rule = "zählt erst ab 5 bewerteten Tickets (erfüllt + verletzt) als Verletzung"
    assert any(rule in c.value for c in at.caption)
    assert "Keine SLA-Verletzungen für die gewählten Filter – alle Prioritäten im Ziel." in [
        m.value for m in at.success
    ]


def test_running_month_rule_in_the_query(app_version):
    # sla_compliance on the fixture: A1 November P1 has 1 judged ticket (T6): provisional below 2, counted
    # from 1; A1 October P1 (T5, 1 judged) is a complete month and never provisional.
    base = {"accounts": None, "service_lines": None, "date_from": None, "date_to": None}
    for min_judged, provisional in ((1, False), (2, True)):
        rows = query.run(app_version, "sla_compliance", {**base, "running_month_min_judged": min_judged})
        cells = rows[(rows["grain"] == "account_month_priority") & (rows["account_id"] == "A1")]
        nov = cells[(cells["month"] == "2026-11-01") & (cells["priority"] == "P1")].iloc[0]
        oct_ = cells[(cells["month"] == "2026-10-01") & (cells["priority"] == "P1")].iloc[0]
        assert (nov["running_month"], nov["provisional"], nov["breach_month"]) == (True, provisional, True)
        assert nov["listed_breach"] == (not provisional)
        assert (oct_["running_month"], oct_["provisional"], oct_["listed_breach"]) == (False, False, False)


def test_backlog_buckets_in_age_order(run_app):
    at = run_app(PAGE)
    spec, _ = _chart(at, 2)
    assert spec["encoding"]["x"]["sort"] == ["0–2 Tage", "3–7 Tage", "8–30 Tage", "> 30 Tage"]
    at = run_app(PAGE, lang="en")
    spec, _ = _chart(at, 2)
    assert spec["encoding"]["x"]["sort"] == ["0–2 days", "3–7 days", "8–30 days", "> 30 days"]


def test_breach_list_shows_the_newest_until_show_all_from_the_url(run_app, tmp_path):
    # widgets.top_rows: settings app.site_table_rows rows until "show all" (?breaches=all)
    settings = tmp_path / "one-row.toml"
    settings.write_text("[app]\nrunning_month_min_judged = 1\nsite_table_rows = 1\n", encoding="utf-8")
    at = run_app(PAGE, settings=str(settings))
    assert not at.exception
    assert list(at.dataframe[0].value["priority"]) == ["P1"]  # the first of the two breaches
    shown = "Die 1 jüngsten von 2 Verletzungen (neuester Monat zuerst, darin die größte Unterschreitung); "
    assert shown + "der Download enthält alle." in [c.value for c in at.caption]
    assert list(at.dataframe[1].value["ticket_id"]) == ["T6"]  # the preselected first row's tickets
    at.toggle(key="breaches").set_value(True).run()
    assert at.query_params["breaches"] == "all"
    assert list(at.dataframe[0].value["priority"]) == ["P1", "P2"]
    at = run_app(PAGE, settings=str(settings), breaches="all")  # a link opens the list whole
    assert list(at.dataframe[0].value["priority"]) == ["P1", "P2"]
