"""Team workload page on the app fixture (tests/app_fixture.py; D = 2026-11-26).

Hand-derived figures: the only bookings are in November 2026 (E1 2.5 h on A1,
E2 1.0 h internal; E3 is inactive). November 2026 is the running month (the
month of D): its capacity counts the weekdays from the 1st through D = 26.11.,
Mon 2 .. Thu 26 = 19 (a full November has 21), so capacity E1 40 x 19 / 5 =
152 h, E2 38.5 x 19 / 5 = 146.3 h -> utilisation 3.5 / 298.3 = 1.17 % ->
"1,2 %" (with a full month's 329.7 h it read 1.06 % -> "1,1 %"); nobody
overloaded. Open tickets at D: T2 (A1, no technician); A2's T4 is resolved.
Both accounts belong to KAM E1.

Works council: every department has one active employee (E1 Key Account
Management, E2 Technical Service) and the account teams have two (A1: E1, E2)
and one (A2: E1) members, all below the default app.min_group_size = 3: with
the default every workload figure is suppressed ("—"); tests of the figures
themselves run with the group size at 1 (`_group(tmp_path, 1)`).
"""

import json
from datetime import datetime

import pandas as pd
import pyarrow as pa
from streamlit.testing.v1 import AppTest

from kamdata import query
from tests.app_fixture import APP
from tests.exportset import base_row, build_fixture_db

PAGE = "app_pages/workload.py"
AGGREGATED_NOTE = "Betriebsratsregel: Auslastung wird nur aggregiert je Abteilung gezeigt"
UTILISATION = "Auslastung gesamt (Zeitraum)"
OPEN = "Offen zum Datenstand"
SUPPRESSED = "—: Gruppe mit weniger als 3 Personen, Wert unterdrückt (Betriebsratsregel)."


def metrics(at) -> dict:
    return {m.label: m.value for m in at.metric}


def _group(tmp_path, size: int) -> str:
    """A settings override with app.min_group_size = size (path for run_app(settings=...))."""
    path = tmp_path / f"group-{size}.toml"
    path.write_text(f"[app]\nmin_group_size = {size}\n", encoding="utf-8")
    return str(path)


def _chart(at, index: int) -> tuple[dict, pd.DataFrame]:
    chart = at.get("vega_lite_chart")[index]
    return json.loads(chart.proto.spec), pa.ipc.open_stream(chart.proto.datasets[0].data.data).read_pandas()


def test_small_groups_are_suppressed_by_default(run_app):
    at = run_app(PAGE)
    assert not at.exception
    # Every department-month has one employee (< 3): no utilisation and no overload count, not even
    # as a total; open tickets are a ticket count and stay.
    assert metrics(at) == {
        UTILISATION: "—",
        "Überlastungen (Zeitraum)": "—",
        OPEN: "1",
        "KAMs der Auswahl": "1",
    }
    assert at.info[0].value.startswith(AGGREGATED_NOTE)
    assert any(c.value == SUPPRESSED for c in at.caption)
    # The heatmap gets no hours and no utilisation for the suppressed cells (grey, "—").
    _, cells = _chart(at, 0)
    assert cells["suppressed"].all()
    assert cells[["utilisation_pct", "booked_h", "capacity_h", "overloaded_employees"]].isna().all().all()
    # The account-team table: A1's team has two members, A2's one -> no hours, no load.
    teams = at.dataframe[0].value
    assert list(teams["account_name"]) == ["Klinikum Nord", "Logistik Süd GmbH"]
    assert list(teams["members"]) == [2, 1]
    assert teams[["allocation_pct", "allocated_h", "booked_h", "load_pct"]].isna().all().all()


def test_aggregated_workload_in_german(run_app, tmp_path):
    at = run_app(PAGE, settings=_group(tmp_path, 1))
    assert not at.exception
    assert metrics(at) == {
        UTILISATION: "1,2 %",
        "Überlastungen (Zeitraum)": "0",
        OPEN: "1",
        "KAMs der Auswahl": "1",
    }
    assert at.info[0].value.startswith(AGGREGATED_NOTE)
    # said in words for a reader, no settings file or key
    assert "Administration in den Einstellungen der App" in at.info[0].value
    assert "settings.toml" not in at.info[0].value and "app." not in at.info[0].value
    headers = [h.value for h in at.subheader]
    assert "Auslastung je Person" not in headers
    # department heatmap, team composition, technician backlog
    assert len(at.get("vega_lite_chart")) == 3
    kams = at.dataframe[-1].value
    assert list(kams["kam_name"]) == ["Anna Schmidt"]
    assert list(kams["accounts"]) == [2]
    # A1's whole team (E1 50 %, E2 30 %), November through D: allocated 152 x 0.5 + 146.3 x 0.3 =
    # 76 + 43.89 = 119.89 h -> 120; booked on A1 2.5 h -> load 2.5 / 119.89 = 2.085 % -> 2.1.
    teams = at.dataframe[0].value.set_index("account_name")
    assert (teams.loc["Klinikum Nord", "allocated_h"], teams.loc["Klinikum Nord", "load_pct"]) == (120.0, 2.1)
    assert teams.loc["Klinikum Nord", "allocation_pct"] == 80.0
    # the hour and load headers say their window
    config = json.loads(at.dataframe[0].proto.columns)
    assert [config[c]["label"] for c in ("allocation_pct", "allocated_h", "booked_h", "load_pct")] == [
        "Zuteilung (%)",  # short, so the last column fits; "Summe ..." in its help
        "Zugeteilt im Zeitraum (h)",
        "Gebucht im Zeitraum (h)",
        "Last im Zeitraum (%)",
    ]


def test_running_month_is_labelled_and_faded(run_app, tmp_path):
    at = run_app(PAGE, settings=_group(tmp_path, 1))
    spec, cells = _chart(at, 0)
    # November 2026 (the month of D) is the only month: flagged, its axis label gets "(laufend)".
    assert list(cells["running_month"].unique()) == [True]
    assert "datum.label + ' (laufend)'" in json.dumps(spec) and "month(datum.value) == 10" in json.dumps(spec)
    # It keeps its colours (no faded cells, which blend into the dark theme) and gets a dotted outline.
    marks = [(json.dumps(layer.get("transform", [])), layer["mark"]) for layer in spec["layer"]]
    assert not any("opacity" in json.dumps(layer["encoding"]) for layer in spec["layer"] if "encoding" in layer)
    assert any("datum.running_month" in f and m.get("strokeDash") == [2, 2] for f, m in marks)
    caption = "Laufender Monat (November 2026, bis 26.11.2026)"
    assert any(c.value.startswith(caption) for c in at.caption)
    # Department rows: E1 152 h, E2 146.3 h capacity through D (not 168 / 161.7 for the whole month).
    capacity = dict(zip(cells["department"], cells["capacity_h"].round(2)))
    assert capacity == {"Key Account Management": 152.0, "Technischer Service": 146.3}  # German labels


def test_english_labels(run_app, tmp_path):
    at = run_app(PAGE, lang="en", settings=_group(tmp_path, 1))
    assert not at.exception
    assert metrics(at)["Overall utilisation (period)"] == "1.2%"
    assert metrics(at)["Open at data date"] == "1"
    assert at.title[0].value == "Team workload"
    assert at.info[0].value.startswith("Works-council rule")


def test_account_filter_narrows_team_and_backlog(run_app, tmp_path):
    at = run_app(PAGE, accounts=["Logistik Süd GmbH"], settings=_group(tmp_path, 1))
    assert not at.exception
    shown = metrics(at)
    # A2's only ticket T4 is resolved; department figures stay company-wide.
    assert shown[OPEN] == "0"
    assert shown[UTILISATION] == "1,2 %"
    composition = at.dataframe[0].value
    # A2's team: E1 (Key Account Management, 40 %).
    assert list(composition["account_name"]) == ["Logistik Süd GmbH"]
    assert list(composition["departments"]) == [1]
    assert list(composition["allocation_pct"]) == [40.0]
    _, heads = _chart(at, 1)  # the composition chart: head counts per department only
    assert list(heads["department"]) == ["Key Account Management"] and "load_pct" not in heads
    assert "Keine offenen Tickets für die gewählten Accounts." in [s.value for s in at.success]


def test_per_person_figures_only_when_settings_allow(monkeypatch, tmp_path, app_db):
    override = tmp_path / "settings.toml"
    override.write_text("[app]\nshow_per_person_workload = true\n", encoding="utf-8")
    monkeypatch.setenv("KAM_DB", str(app_db))
    monkeypatch.setenv("KAM_SETTINGS", str(override))
    at = AppTest.from_file(APP, default_timeout=30).run()
    at.switch_page(PAGE).run()
    assert not at.exception
    assert at.warning[0].value.startswith("Einzelwerte je Person sind in den Einstellungen der App freigegeben")
    assert "Auslastung je Person" in [h.value for h in at.subheader]
    assert len(at.get("vega_lite_chart")) == 4


def test_filters_matching_no_account_show_the_common_empty_state(run_app):
    # Klinikum Nord is in region Nord: account filter A1 plus region Süd matches no account.
    at = run_app(PAGE)
    at.multiselect(key="accounts").set_value(["A1"]).run()
    at.multiselect(key="regions").set_value(["Süd"]).run()
    assert not at.exception
    assert not at.metric and not at.get("vega_lite_chart")
    assert [i.value for i in at.info][1:] == [
        "Keine Daten für die gewählten Filter. Filter in der Seitenleiste lockern oder zurücksetzen."
    ]


def test_period_without_bookings_shows_a_message(run_app):
    at = run_app(PAGE, period=["2026-01-01", "2026-01-31"])
    assert not at.exception
    assert not at.metric
    assert [i.value for i in at.info][1:] == ["Keine Zeitbuchungen im gewählten Zeitraum. Zeitraum erweitern."]
    assert not at.get("vega_lite_chart")


def test_kam_portfolio_value_follows_the_service_line_filter(run_app):
    # KAM E1 (Anna Schmidt) manages A1 and A2. Contracts active at D = 26.11.2026:
    # C1 (A1, cleaning, 01.01.2024-31.12.2026) 480,000 EUR; C2 (A2, technical, since 01.07.2023,
    # open-ended) 250,000 EUR. All lines: 730,000; cleaning: 480,000; technical: 250,000 -- the
    # same figures as the Portfolio page's ACV tile (tests/test_app_portfolio.py). The accounts
    # (and their bands) are account-level and stay.
    at = run_app(PAGE)
    kams = at.dataframe[-1].value
    assert dict(zip(kams["kam_name"], kams["acv_eur"])) == {"Anna Schmidt": 730000.0}
    at.multiselect(key="lines").set_value(["cleaning"]).run()
    assert not at.exception
    kams = at.dataframe[-1].value
    assert dict(zip(kams["kam_name"], kams["acv_eur"])) == {"Anna Schmidt": 480000.0}
    assert list(kams["accounts"]) == [2]
    assert any("nur aus Verträgen der gewählten Leistungsbereiche" in c.value for c in at.caption)
    at.multiselect(key="lines").set_value(["technical"]).run()
    kams = at.dataframe[-1].value
    assert dict(zip(kams["kam_name"], kams["acv_eur"])) == {"Anna Schmidt": 250000.0}
    assert list(kams["accounts"]) == [2]


def test_open_tickets_tile_is_the_total_row_of_the_query(run_app, app_version):
    # Open tickets at D: only T2 (A1, no technician) -> one 'unassigned' row and the SQL total row
    # (department NULL) with 1, which the tile shows; filtered to A2 the total row still exists, with 0.
    group = {"min_group_size": 3}
    rows = query.run(app_version, "workload_technician_backlog", {"accounts": None, **group})
    assert [(d if isinstance(d, str) else None, n) for d, n in zip(rows["department"], rows["open_tickets"])] == [
        ("unassigned", 1),
        (None, 1),
    ]
    rows = query.run(app_version, "workload_technician_backlog", {"accounts": ("A2",), **group})
    assert rows["department"].isna().all() and list(rows["open_tickets"]) == [0]
    at = run_app(PAGE)
    assert metrics(at)[OPEN] == "1"


def test_department_totals_leave_suppressed_cells_out(app_version):
    # workload_departments, November: Key Account Management (E1, 152 h, 2.5 h booked) and Technical
    # Service (E2, 146.3 h, 1 h), one employee each. Group size 1: both shown, total 3.5 / 298.3 =
    # 1.173 %. Group size 2: both suppressed, the total sums nothing (NULL, suppressed) -- it must not
    # let a hidden cell be worked back out.
    base = {"date_from": None, "date_to": None}
    rows = query.run(app_version, "workload_departments", {**base, "min_group_size": 1})
    total = rows[rows["department"].isna()].iloc[0]
    assert round(total["utilisation_pct"], 3) == 1.173 and total["suppressed_cells"] == 0
    rows = query.run(app_version, "workload_departments", {**base, "min_group_size": 2})
    cells, total = rows[rows["department"].notna()], rows[rows["department"].isna()].iloc[0]
    assert cells["suppressed"].all() and cells["booked_h"].isna().all()
    assert total["suppressed"] and total["suppressed_cells"] == 2 and pd.isna(total["utilisation_pct"])


def test_technician_group_below_the_group_size_is_suppressed(run_app, tmp_path):
    # An extra open A1 ticket T8 assigned to E2, the only active employee of Technical Service: at the
    # default group size 3 that group is suppressed (open tickets NULL, not drawn, named in a caption);
    # 'unassigned' (T2, no technician) is no group of people and stays; the total row counts both.
    open_ticket = base_row(
        "tickets",
        ticket_id="T8",
        account_id="A1",
        site_id="S1",
        priority="P3",
        technician_id="E2",
        created_at=datetime(2026, 11, 25, 8),
        first_response_at=None,
        resolved_at=None,
        status="open",
        updated_at=datetime(2026, 11, 25, 8),
    )
    db_path = build_fixture_db(tmp_path, add={"tickets": [open_ticket]})
    version = query.current_version(db_path)
    rows = query.run(version, "workload_technician_backlog", {"accounts": None, "min_group_size": 3})
    got = {
        (d if isinstance(d, str) else None): (n if pd.notna(n) else None, s)
        for d, n, s in zip(rows["department"], rows["open_tickets"], rows["suppressed"])
    }
    assert got == {"Technical Service": (None, True), "unassigned": (1, False), None: (2, False)}
    rows = query.run(version, "workload_technician_backlog", {"accounts": None, "min_group_size": 1})
    assert dict(zip(rows["department"].fillna("total"), rows["open_tickets"])) == {
        "Technical Service": 1,
        "unassigned": 1,
        "total": 2,
    }
    at = run_app(PAGE, db_path=db_path)
    assert not at.exception
    assert metrics(at)[OPEN] == "2"
    _, bars = _chart(at, -1)
    assert list(bars["group"]) == ["nicht zugewiesen"]
    assert any(
        c.value.startswith("Nicht einzeln gezeigt (weniger als 3 Personen") and "Technischer Service" in c.value
        for c in at.caption
    )
