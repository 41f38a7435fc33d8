"""Portfolio page on the app fixture (tests/app_fixture.py; D = 2026-11-26).

Hand-derived figures of the fixture:
- A1 Klinikum Nord (Nord, health): contract C1 cleaning 480,000 EUR active at D;
  survey R1 nps 9 -> NPS 100. A2 Logistik Süd GmbH (Süd, logistics): C2
  technical 250,000 EUR; R2 nps 6 -> NPS -100. Pooled NPS = (1 - 1) / 2 = 0.
- ACV = 480,000 + 250,000 = 730,000 EUR.
- SLA (resolution, tickets created in the last 90 days): A1 T1 breached,
  T5 met, T6 breached, T2 pending -> 1 / 3 = 33.3 %; A2's T4 has no SLA.
"""

import duckdb


def metrics(at) -> dict:
    return {m.label: m.value for m in at.metric}


def test_kpi_tiles_show_hand_derived_figures_in_german(run_app):
    at = run_app()
    assert not at.exception
    shown = metrics(at)
    assert shown["Accounts"] == "2"
    assert shown["Jahresvertragswert"] == "730.000 €"
    assert shown["SLA-Erfüllung"] == "33,3 %"
    assert shown["NPS"] == "0"
    # A2 has too little data for a health score: the average is A1's alone.
    assert shown["Ø Health-Score"] == "58,3"


def test_english_labels_and_number_format(run_app):
    at = run_app(lang="en")
    shown = metrics(at)
    assert shown["Annual contract value"] == "€730,000"
    assert shown["SLA compliance"] == "33.3%"
    assert at.title[0].value == "Portfolio"


def test_region_filter_from_url_changes_the_numbers_like_the_marts(run_app, app_db):
    at = run_app(regions=["Nord"])
    assert at.multiselect(key="regions").value == ["Nord"]
    shown = metrics(at)
    # Only A1 is in region Nord: 480,000 EUR, NPS 100.
    assert shown["Accounts"] == "1"
    assert shown["Jahresvertragswert"] == "480.000 €"
    assert shown["NPS"] == "100"
    con = duckdb.connect(str(app_db.resolve()), read_only=True)
    acv = con.execute("select sum(acv_eur) from mart_accounts where region = 'Nord'").fetchone()[0]
    con.close()
    assert acv == 480000.0


def test_service_line_filter_narrows_line_facts_never_the_accounts(run_app):
    at = run_app()
    at.multiselect(key="lines").set_value(["cleaning"]).run()
    shown = metrics(at)
    # Both accounts stay; ACV = cleaning contracts only: C1 480,000 EUR (A2 holds none -> 0).
    # SLA = cleaning tickets: A1's T6 breached, T2 pending -> 0 / 1 = 0 %.
    # Account-level figures unchanged: health 58.3 (A1 alone), NPS (1 - 1) / 2 = 0.
    assert shown["Accounts"] == "2"
    assert shown["Jahresvertragswert"] == "480.000 €"
    assert shown["SLA-Erfüllung"] == "0,0 %"
    assert shown["Ø Health-Score"] == "58,3"
    assert shown["NPS"] == "0"
    table = at.dataframe[-1].value
    assert dict(zip(table["account_name"], table["acv_eur"])) == {"Klinikum Nord": 480000.0, "Logistik Süd GmbH": 0.0}
    assert len(at.dataframe[0].value) == 2  # A2's two alerts are account-level and stay
    at.multiselect(key="lines").set_value(["technical"]).run()
    shown = metrics(at)
    # Technical: ACV = C2 250,000 EUR; tickets T1 breached, T5 met (A2's T4 has no SLA) -> 1 / 2 = 50 %,
    # the same as the SLA page (tests/test_app_sla.py).
    assert shown["Accounts"] == "2"
    assert shown["Jahresvertragswert"] == "250.000 €"
    assert shown["SLA-Erfüllung"] == "50,0 %"
    assert shown["Ø Health-Score"] == "58,3"


def test_service_line_filter_explains_what_it_narrows(run_app):
    at = run_app()
    assert "Die Auswahl der Accounts bleibt gleich" in at.multiselect(key="lines").help


def test_account_table_sorted_by_risk_with_review_links(run_app):
    at = run_app(regions=["Nord", "Süd"])
    table = at.dataframe[-1].value
    assert list(table["account_name"]) == ["Klinikum Nord", "Logistik Süd GmbH"]  # unscored A2 last
    assert list(table["band"]) == ["beobachten", "zu wenig Daten"]
    assert table["review"].iloc[0] == "review?regions=Nord&regions=S%C3%BCd&account=A1"
    # No month-end of the fixture has a score (too little data): the sparkline cell is empty
    # (None), not a list of NULLs, which the grid prints as ",,,,,,,,,,,".
    assert table["health_trend"].isna().all()
    # Missing values (A2's health, both notice deadlines) show as "k. A.", never "None".
    assert at.dataframe[-1].proto.placeholder == "k. A."


def test_alerts_are_translated_and_link_to_the_review(run_app):
    at = run_app()
    alerts = at.dataframe[0].value
    assert set(alerts["reason"]) == {"NPS-Kritiker-Antwort (Wert 6) am 12.11.2026", "Kein proaktiver Kontakt erfasst"}
    assert set(alerts["link"]) == {"review?account=A2"}
    at.radio(key="lang").set_value("en").run()
    assert "No proactive contact on record" in set(at.dataframe[0].value["reason"])


def test_filter_matching_nothing_shows_a_message(run_app):
    at = run_app(regions=["Nord"], industries=["logistics"])
    assert not at.exception
    assert at.info[0].value.startswith("Keine Daten für die gewählten Filter")
    assert not at.metric
