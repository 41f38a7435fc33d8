"""Team workload page on the app fixture (tests/app_fixture.py; D = 2026-11-26).

Hand-derived figures: the only bookings are in November 2026 (E1 2.5 h on A1,
E2 1.0 h internal; E3 is inactive). November 2026 has 21 weekdays, so capacity
E1 40 x 21 / 5 = 168 h, E2 38.5 x 21 / 5 = 161.7 h -> utilisation
3.5 / 329.7 = 1.06 % -> "1,1 %"; nobody overloaded. Open tickets at D: T2 (A1,
no technician); A2's T4 is resolved. Both accounts belong to KAM E1.
"""

from streamlit.testing.v1 import AppTest

from kamdata import query
from tests.app_fixture import APP

PAGE = "app_pages/workload.py"
AGGREGATED_NOTE = "Betriebsratsregel: Auslastung wird nur aggregiert je Abteilung gezeigt"


def metrics(at) -> dict:
    return {m.label: m.value for m in at.metric}


def test_aggregated_workload_in_german(run_app):
    at = run_app(PAGE)
    assert not at.exception
    assert metrics(at) == {
        "Auslastung gesamt": "1,1 %",
        "Überlastungen": "0",
        "Offene Tickets": "1",
        "Key Account Manager": "1",
    }
    assert at.info[0].value.startswith(AGGREGATED_NOTE)
    headers = [h.value for h in at.subheader]
    assert "Auslastung je Person" not in headers
    # department heatmap, team composition, technician backlog
    assert len(at.get("vega_lite_chart")) == 3
    kams = at.dataframe[-1].value
    assert list(kams["kam_name"]) == ["Anna Schmidt"]
    assert list(kams["accounts"]) == [2]


def test_english_labels(run_app):
    at = run_app(PAGE, lang="en")
    assert not at.exception
    assert metrics(at)["Overall utilisation"] == "1.1%"
    assert at.title[0].value == "Team workload"
    assert at.info[0].value.startswith("Works-council rule")


def test_account_filter_narrows_team_and_backlog(run_app):
    at = run_app(PAGE, accounts=["Logistik Süd GmbH"])
    assert not at.exception
    shown = metrics(at)
    # A2's only ticket T4 is resolved; department figures stay company-wide.
    assert shown["Offene Tickets"] == "0"
    assert shown["Auslastung gesamt"] == "1,1 %"
    composition = at.dataframe[0].value
    # A2's team: E1 (Key Account Management, 40 %).
    assert list(composition["account_name"]) == ["Logistik Süd GmbH"]
    assert list(composition["department"]) == ["Key Account Management"]
    assert list(composition["allocation_pct"]) == [40.0]
    assert "Keine offenen Tickets für die gewählten Accounts." in [s.value for s in at.success]


def test_per_person_figures_only_when_settings_allow(monkeypatch, tmp_path, app_db):
    override = tmp_path / "settings.toml"
    override.write_text("[app]\nshow_per_person_workload = true\n", encoding="utf-8")
    monkeypatch.setenv("KAM_DB", str(app_db))
    monkeypatch.setenv("KAM_SETTINGS", str(override))
    at = AppTest.from_file(APP, default_timeout=30).run()
    at.switch_page(PAGE).run()
    assert not at.exception
    assert at.warning[0].value.startswith("Einzelwerte je Person sind per Einstellung freigegeben")
    assert "Auslastung je Person" in [h.value for h in at.subheader]
    assert len(at.get("vega_lite_chart")) == 4


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
    rows = query.run(app_version, "workload_technician_backlog", {"accounts": None})
    assert [(d if isinstance(d, str) else None, n) for d, n in zip(rows["department"], rows["open_tickets"])] == [
        ("unassigned", 1),
        (None, 1),
    ]
    rows = query.run(app_version, "workload_technician_backlog", {"accounts": ("A2",)})
    assert rows["department"].isna().all() and list(rows["open_tickets"]) == [0]
    at = run_app(PAGE)
    assert metrics(at)["Offene Tickets"] == "1"
