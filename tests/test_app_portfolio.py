"""Portfolio page on the app fixture (tests/app_fixture.py; D = 2026-11-26).

Hand-derived figures of the fixture:
- A1 Klinikum Nord (Nord, health): contract C1 cleaning 480,000 EUR active at D;
  survey R1 nps 9 -> NPS 100. A2 Logistik Süd GmbH (Süd, logistics): C2
  technical 250,000 EUR; R2 nps 6 -> NPS -100. Pooled NPS = (1 - 1) / 2 = 0.
- ACV = 480,000 + 250,000 = 730,000 EUR.
- SLA (resolution, tickets created in the last 90 days): A1 T1 breached,
  T5 met, T6 breached, T2 pending -> 1 / 3 = 33.3 %; A2's T4 has no SLA.
- Bands at D: A1 watch (58.3), A2 none (too little data); at the month-ends before D no
  account has a score.
- Malus (A1 has malus terms: 1 % per point, cap 10 %), month of D = November 2026: P1 T6
  breached -> 0 % vs 95 % = 95 points, P2 T1 breached -> 95 points, P3 T2 pending -> 0;
  shortfall 190 -> min(10, 190) = 10 % of the monthly fee C1 480,000 / 12 = 40,000 -> 4,000 EUR.
Every tile names its window: the as-of date 26.11.2026, the 90 / 365 days, the running month.
"""

import json
from io import BytesIO

import duckdb
import pandas as pd
import pyarrow as pa

from kamdata import query
from kamdata.app import formats as fmt
from kamdata.app import widgets
from kamdata.app.charts.portfolio import place_labels
from kamdata.app.i18n import text

ALL = {"accounts": None, "service_lines": None, "date_from": None, "date_to": None}
D = "26.11.2026"


def metrics(at) -> dict:
    return {m.label: m.value for m in at.metric}


def test_kpi_tiles_show_hand_derived_figures_in_german(run_app):
    at = run_app()
    assert not at.exception
    shown = metrics(at)
    assert shown[f"Accounts am {D}"] == "2"
    assert shown[f"Jahresvertragswert am {D}"] == "730.000 €"
    assert shown["SLA-Erfüllung, letzte 90 Tage"] == "33,3 %"
    assert shown["NPS, letzte 365 Tage"] == "0"
    # A2 has too little data for a health score: the average is A1's alone.
    assert shown[f"Ø Health-Score am {D}"] == "58,3"


def test_english_labels_and_number_format(run_app):
    at = run_app(lang="en")
    shown = metrics(at)
    assert shown["Annual contract value on 2026-11-26"] == "€730,000"
    assert shown["SLA compliance, last 90 days"] == "33.3%"
    assert shown["Malus exposure November 2026 (to date)"] == "€4,000"
    assert at.title[0].value == "Portfolio"


def test_region_filter_from_url_changes_the_numbers_like_the_marts(run_app, app_db):
    at = run_app(regions=["Nord"])
    assert at.multiselect(key="regions").value == ["Nord"]
    shown = metrics(at)
    # Only A1 is in region Nord: 480,000 EUR, NPS 100.
    assert shown[f"Accounts am {D}"] == "1"
    assert shown[f"Jahresvertragswert am {D}"] == "480.000 €"
    assert shown["NPS, letzte 365 Tage"] == "100"
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
    assert shown[f"Accounts am {D}"] == "2"
    assert shown[f"Jahresvertragswert am {D}"] == "480.000 €"
    assert shown["SLA-Erfüllung, letzte 90 Tage"] == "0,0 %"
    assert shown[f"Ø Health-Score am {D}"] == "58,3"
    assert shown["NPS, letzte 365 Tage"] == "0"
    table = at.dataframe[-1].value
    assert dict(zip(table["account_name"], table["acv_eur"])) == {"Klinikum Nord": 480000.0, "Logistik Süd GmbH": 0.0}
    assert len(at.dataframe[0].value) == 2  # A2's two alerts are account-level and stay
    at.multiselect(key="lines").set_value(["technical"]).run()
    shown = metrics(at)
    # Technical: ACV = C2 250,000 EUR; tickets T1 breached, T5 met (A2's T4 has no SLA) -> 1 / 2 = 50 %,
    # the same as the SLA page (tests/test_app_sla.py).
    assert shown[f"Accounts am {D}"] == "2"
    assert shown[f"Jahresvertragswert am {D}"] == "250.000 €"
    assert shown["SLA-Erfüllung, letzte 90 Tage"] == "50,0 %"
    assert shown[f"Ø Health-Score am {D}"] == "58,3"
    # A1 (watch) holds no technical contract: the ACV on watch follows the line filter; the malus
    # is account-level and stays.
    assert shown[f"Vertragswert in Beobachtung am {D}"] == "0 €"
    assert shown["Malus-Risiko November 2026 (laufend)"] == "4.000 €"


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


def test_money_tiles_and_their_windows_come_from_sql(run_app, app_version):
    shown = metrics(run_app())
    # No account is at risk; A1 (watch) holds C1 480,000 EUR; malus November 2026 = 4,000 EUR (above).
    assert shown[f"Gefährdete Accounts am {D}"] == "0"
    assert shown[f"Vertragswert gefährdet am {D}"] == "0 €"
    assert shown[f"Vertragswert in Beobachtung am {D}"] == "480.000 €"
    assert shown["Malus-Risiko November 2026 (laufend)"] == "4.000 €"
    row = query.run(app_version, "portfolio_kpis", ALL).iloc[0]
    assert (row["acv_at_risk_eur"], row["acv_watch_eur"], row["malus_mtd_eur"]) == (0.0, 480000.0, 4000.0)
    # At D' = 31.10. no account had a band: nothing on watch then (the tile's +480.000 € change).
    assert (row["acv_watch_prev_eur"], row["watch"], row["malus_accounts"]) == (0.0, 1, 1)
    assert pd.Timestamp(row["malus_month"]) == pd.Timestamp("2026-11-01")


def test_acv_at_risk_with_an_account_at_risk(run_app, alerts_db):
    shown = metrics(run_app(db_path=alerts_db))
    # A1 at risk: its C1 480,000 EUR is at risk, nothing on watch (A2 has no band).
    assert shown[f"Gefährdete Accounts am {D}"] == "1"
    assert shown[f"Vertragswert gefährdet am {D}"] == "480.000 €"
    assert shown[f"Vertragswert in Beobachtung am {D}"] == "0 €"


def test_alerts_sorted_by_severity_money_then_age_with_commitment_text(run_app, alerts_db):
    at = run_app(db_path=alerts_db)
    shown = at.dataframe[0].value
    # high first; among high A1 (ACV 480,000) before A2 (250,000); within A2 the oldest first
    # ("never" contacted before the detractor of 12.11.); then the medium commitment of A1.
    assert list(zip(shown["account_name"], shown["kind"], shown["severity"])) == [
        ("Klinikum Nord", "NPS-Kritiker", "hoch"),
        ("Logistik Süd GmbH", "Kein proaktiver Kontakt", "hoch"),
        ("Logistik Süd GmbH", "NPS-Kritiker", "hoch"),
        ("Klinikum Nord", "Zusage überfällig", "mittel"),
    ]
    # the commitment is named by its text, not only its id; 26.11. - 01.11. = 25 days
    assert shown["reason"].iloc[3] == "Zusage „Quarterly review deck“ (K9) überfällig seit 01.11.2026 (25 Tage)"
    # rows are tall enough for the grid to wrap the reason instead of cutting it (wrapping starts above 4 rem)
    assert at.dataframe[0].proto.row_height > 64


def test_at_most_n_alerts_per_account_then_n_more(run_app, alerts_db, tmp_path):
    settings = tmp_path / "settings.toml"
    settings.write_text("[app]\nalerts_per_account = 1\n", encoding="utf-8")
    at = run_app(db_path=alerts_db, settings=str(settings))
    shown = at.dataframe[0].value
    # One per account (each account's first by severity, then age); a "+1 more" line after it opens the review.
    assert list(zip(shown["account_name"], shown["reason"], shown["link"])) == [
        ("Klinikum Nord", "NPS-Kritiker-Antwort (Wert 3) am 20.11.2026", "review?account=A1"),
        ("Klinikum Nord", "+1 weitere Warnung – im Account-Review", "review?account=A1"),
        ("Logistik Süd GmbH", "Kein proaktiver Kontakt erfasst", "review?account=A2"),
        ("Logistik Süd GmbH", "+1 weitere Warnung – im Account-Review", "review?account=A2"),
    ]
    assert list(shown["severity"]) == ["hoch", "", "hoch", ""]


def _chart_data(chart) -> list[pd.DataFrame]:
    return [pa.ipc.open_stream(BytesIO(d.data.data)).read_pandas() for d in chart.proto.datasets]


def test_health_chart_names_accounts_in_trouble_and_a_click_opens_the_review(run_app, alerts_db):
    at = run_app(db_path=alerts_db)
    chart = at.get("vega_lite_chart")[0]
    spec = json.loads(chart.proto.spec)
    assert [layer["mark"]["type"] for layer in spec["layer"]] == ["circle", "text", "text"]
    # The name in dark ink on a light halo (readable in the dark theme too), halo first, ink on top.
    halo, ink = spec["layer"][1]["mark"], spec["layer"][2]["mark"]
    assert (halo["stroke"], halo["strokeWidth"], ink["color"]) == ("#ffffff", 4, "#1f2328") and "stroke" not in ink
    assert [param["name"] for param in spec["params"]] == ["pick"] and list(chart.proto.selection_mode) == ["pick"]
    labels = [frame for frame in _chart_data(chart) if "label" in frame]
    # A1 is at risk and named on the chart; A2 has no score and is not drawn.
    assert [list(frame["label"]) for frame in labels] == [["Klinikum Nord"]]
    at.session_state["portfolio_health_acv"] = {"selection": {"pick": [{"account_id": "A1"}]}}
    at.run()
    assert not at.exception
    assert at.query_params["account"] == "A1"
    assert at.title[0].value == "Klinikum Nord"


def test_labels_keep_apart():
    # Two points at the same spot in a chart 0..10 on x: the second label moves off the first.
    spots = place_labels(pd.DataFrame({"x": [5.0, 5.0], "y": [40.0, 40.0], "label": ["Alpha AG", "Beta AG"]}), 10.0)
    assert list(spots["side"]) == ["right", "left"]
    assert list(spots["label_y"]) == [40.0, 40.0]
    # A point at the right edge: the label goes to its left.
    edge = place_labels(pd.DataFrame({"x": [10.0], "y": [50.0], "label": ["Gamma GmbH"]}), 10.0)
    assert list(edge["side"]) == ["left"]


def test_health_history_counts_accounts_per_band_by_month(run_app, app_version):
    found = query.run(app_version, "portfolio_health_history", ALL)
    # 12 month-ends 30.11.2025 ... 31.10.2026, each: both accounts without a score; at D: A1 watch, A2 none.
    history = found[~found["is_current"]]
    assert len(history) == 12 and history["band"].isna().all() and (history["accounts"] == 2).all()
    assert pd.Timestamp(history["as_of"].min()) == pd.Timestamp("2025-11-30")
    now = found[found["is_current"]]
    assert dict(zip(now["band"].fillna("none"), now["accounts"])) == {"watch": 1, "none": 1}
    at = run_app()
    assert "Entwicklung des Portfolios nach Status" in [h.value for h in at.subheader]
    frames = [f for f in _chart_data(at.get("vega_lite_chart")[1]) if "period" in f]
    periods = list(dict.fromkeys(frames[0].sort_values("as_of")["period"]))
    assert periods[0] == "November 2025" and periods[-1] == "Stand 26.11.2026" and len(periods) == 13


def test_account_table_shows_every_account_without_a_fixed_box(run_app, monkeypatch):
    # AppTest does not expose a table's height: record what the page asks st.dataframe for.
    calls = {}
    table = widgets.table

    def recording_table(data, **kwargs):
        calls[kwargs.get("key")] = kwargs
        return table(data, **kwargs)

    monkeypatch.setattr(widgets, "table", recording_table)
    at = run_app()
    assert len(at.dataframe[-1].value) == 2
    assert calls["portfolio_accounts"]["height"] == "content"  # all rows, no 10-row box
    notice = calls["portfolio_accounts"]["column_config"]["next_notice_deadline"]
    assert notice["label"] == "Kündigungsfrist" and notice["width"] == 110  # a date reads in full
    config = calls["portfolio_accounts"]["column_config"]
    assert config["health_score"]["label"] == "Health-Score"  # German header, not the English "Health"
    # Fixed widths where a value or header would be cut at 1440 px ("beobachten", the KAM's name).
    assert all(isinstance(config[c]["width"], int) for c in ("account_name", "band", "health_trend", "kam_name"))


def _display_values(element) -> pd.DataFrame:
    """The cell texts the grid shows (the pandas Styler's display values)."""
    return pa.ipc.open_stream(element.proto.arrow_data.styler.display_values).read_pandas()


def test_account_table_shows_whole_euros_and_scores_with_one_decimal(run_app):
    # A1: C1 480,000 EUR, health 58.3; A2: C2 250,000 EUR, no score (the n/a placeholder).
    shown = _display_values(run_app().dataframe[-1])
    assert list(shown["acv_eur"]) == ["480.000 €", "250.000 €"]  # no cents
    assert shown["health_score"].iloc[0] == "58,3"
    shown = _display_values(run_app(lang="en").dataframe[-1])
    assert list(shown["acv_eur"]) == ["€480,000", "€250,000"]


def test_phone_list_two_short_lines_per_account(run_app, alerts_db):
    at = run_app(db_path=alerts_db)
    phone = next(block for block in at.main.children.values() if getattr(block, "key", None) == "pf_phone")
    links = [element.proto.label for element in phone.get("page_link")]
    captions = [element.value for element in phone.get("caption")]
    # Sorted by risk: A1 (at risk, 27.6) then A2 (no score). Per account its name (the link) and one
    # line: band, health score, ACV and the kind of its top alert (by severity, then age) with the
    # number of further alerts (A1: detractor + commitment; A2: never contacted + detractor R2).
    # Escaped for markdown (plain text); no full alert sentence, no third line.
    assert links == ["Klinikum Nord", "Logistik Süd GmbH"]
    assert captions == [
        fmt.md_escape("gefährdet · Health-Score 27,6 · 480.000 € · NPS-Kritiker +1"),
        fmt.md_escape("zu wenig Daten · 250.000 € · Kein proaktiver Kontakt +1"),
    ]
    assert not phone.get("markdown")


def test_phone_list_shows_the_accounts_most_at_risk_until_show_all(run_app, alerts_db, tmp_path):
    """widgets.top_rows: settings app.phone_list_rows accounts (most at risk first) until "show all"
    (?phone=all); the wide table keeps every account."""
    settings = tmp_path / "phone.toml"
    settings.write_text("[app]\nphone_list_rows = 1\n", encoding="utf-8")

    def phone_links(at) -> list[str]:
        phone = next(block for block in at.main.children.values() if getattr(block, "key", None) == "pf_phone")
        return [element.proto.label for element in phone.get("page_link")]

    at = run_app(db_path=alerts_db, settings=str(settings))
    assert phone_links(at) == ["Klinikum Nord"]
    assert text("portfolio.phone.shown", "de", shown="1", count="2") in [c.value for c in at.caption]
    assert len(at.dataframe[-1].value) == 2
    at.toggle(key="phone").set_value(True).run()
    assert phone_links(at) == ["Klinikum Nord", "Logistik Süd GmbH"]
    assert phone_links(run_app(db_path=alerts_db, settings=str(settings), phone="all")) == [
        "Klinikum Nord",
        "Logistik Süd GmbH",
    ]
