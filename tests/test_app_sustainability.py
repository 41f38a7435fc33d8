"""Sustainability page on the app fixture (tests/app_fixture.py; D = 2026-11-26).

Hand-derived figures (readings all on 31.10.2026, so only 2026, a partial year):
- A1 site S1 electricity 12,345.6 kWh x 0.38 (export factor "Supplier mix 2026",
  which replaces the shipped electricity defaults) = 4,691.328 kg; water 321 m3.
- A2 site S3 natural gas 4.5 MWh = 4,500 kWh x 0.201 (shipped default 2024, the
  latest year before 2026; BAFA) = 904.5 kg.
- Energy 16,845.6 kWh = 16.8 MWh; CO2e 5,595.828 kg = 5.6 t.
- Floor area of sites with energy readings: S1 12,500.5 + S3 40,000 = 52,500.5 m2
  -> EUI 0.32 kWh/m2, CO2 intensity 0.107 kg/m2.
- Coverage, months 1-10 (October = last complete month): A1 2 sites x 10 (S1
  covered once), A2 1 site x 10 (covered once) -> 2 / 30 = 6.7 %.
- A1 only: 12.3 MWh, 4.7 t, EUI 12,345.6 / 12,500.5 = 0.99 -> 1.0, coverage 1 / 20 = 5.0 %.
"""

import json
from datetime import date

import duckdb
import pandas as pd
import pyarrow as pa
import pytest

from kamdata import query
from kamdata.app import formats as fmt
from tests.app_fixture import unmarked
from tests.exportset import base_row, build_fixture_db

PAGE = "app_pages/sustainability.py"


def metrics(at) -> dict:
    return {m.label: m.value for m in at.metric}


def test_energy_co2_and_intensity_in_german_with_factor_sources(run_app):
    at = run_app(PAGE)
    assert not at.exception
    assert metrics(at) == {
        "Energie (MWh) 2026 (laufend)": "16,8",
        "CO2e (t) 2026 (laufend)": "5,6",
        "EUI (kWh/m²) 2026 (laufend)": "0,3",
        "CO2e (kg/m²) 2026 (laufend)": "0,1",
        "Abdeckung 2026 (laufend)": "6,7 %",
    }
    assert at.selectbox(key="year").value == 2026
    captions = " ".join(c.value for c in at.caption)
    assert "Supplier mix 2026" in captions
    assert fmt.md_escape("BAFA Informationsblatt CO2-Faktoren 2024: Erdgas") in captions  # data text escaped
    co2_help = next(m.help for m in at.metric if m.label == "CO2e (t) 2026 (laufend)")
    assert "Supplier mix 2026" in co2_help
    # A1's baseline year 2022 has no readings: the path is shown, the reduction cannot be.
    assert at.warning[0].value.startswith("Reduktion nicht berechenbar: Für das Basisjahr 2022")
    # target path of A1, carrier mix, top consumers, site map (S1 and S3 have coordinates)
    assert len(at.get("vega_lite_chart")) == 4


def test_account_filter_changes_the_figures_like_the_mart(run_app, app_db):
    at = run_app(PAGE, accounts=["Klinikum Nord"])
    shown = metrics(at)
    assert shown["Energie (MWh) 2026 (laufend)"] == "12,3"
    assert shown["CO2e (t) 2026 (laufend)"] == "4,7"
    assert shown["EUI (kWh/m²) 2026 (laufend)"] == "1,0"
    assert shown["Abdeckung 2026 (laufend)"] == "5,0 %"
    con = duckdb.connect(str(app_db.resolve()), read_only=True)
    kwh, kg, coverage = con.execute(
        "select kwh, kg_co2e, coverage_pct from mart_sustainability_yearly where account_id = 'A1' and year = 2026"
    ).fetchone()
    con.close()
    assert (kwh, coverage) == (pytest.approx(12345.6), pytest.approx(5.0))
    assert kg == pytest.approx(4691.328)


def test_account_without_reduction_target(run_app):
    at = run_app(PAGE, accounts=["Logistik Süd GmbH"])
    assert not at.exception
    assert "Für die gewählten Accounts ist kein Reduktionsziel hinterlegt." in [i.value for i in at.info]
    # carrier mix, top consumers and map still show A2's gas reading (4,500 kWh = 4.5 MWh)
    assert metrics(at)["Energie (MWh) 2026 (laufend)"] == "4,5"
    assert len(at.get("vega_lite_chart")) == 3


def test_english_labels(run_app):
    at = run_app(PAGE, lang="en")
    assert not at.exception
    shown = metrics(at)
    assert shown["Energy (MWh) 2026 (to date)"] == "16.8"
    assert shown["Coverage 2026 (to date)"] == "6.7%"
    assert at.title[0].value == "Sustainability"
    assert "Meter coverage gaps" in [h.value for h in at.subheader]


def open_sites(at):
    """Open the site table's section (it runs only while open) and rerun."""
    at.session_state["site_table"] = True
    return at.run()


def test_account_and_site_tables_and_coverage_gaps(run_app):
    at = run_app(PAGE)
    per_account = at.dataframe[0].value
    assert sorted(per_account["account_name"]) == ["Klinikum Nord", "Logistik Süd GmbH"]
    # The site table's section is closed: its table is not built nor sent (accounts, gaps only).
    assert len(at.dataframe) == 2 and "months_missing" in at.dataframe[1].value.columns
    at = open_sites(at)
    assert not at.exception
    sites = at.dataframe[1].value
    # Tables in the tiles' units: 12,345.6 kWh = 12.3456 MWh, CO2e 12,345.6 x 0.38 = 4,691.328 kg = 4.691328 t
    assert dict(zip(sites["site_name"], sites["mwh"])) == {"Haus A": pytest.approx(12.3456), "Lager 1": 4.5}
    assert sites.set_index("site_name").loc["Haus A", "t_co2e"] == pytest.approx(4.691328)
    config = json.loads(at.dataframe[1].proto.columns)
    assert [config[c]["label"] for c in ("mwh", "t_co2e", "co2e_kg_m2")] == [
        "Energie (MWh)",
        "CO2e (t)",
        "CO2e (kg/m²)",
    ]
    assert list(at.dataframe[0].proto.column_order)[1:3] == ["mwh", "t_co2e"]  # not kWh / kg
    gaps = at.dataframe[2].value
    # S2 never reports (10 months), S1 and S3 miss months 1-9.
    assert dict(zip(gaps["site_name"], gaps["months_missing"])) == {"Haus B": 10, "Haus A": 9, "Lager 1": 9}


@pytest.fixture(scope="module")
def db_with_account_without_readings(tmp_path_factory):
    """The fixture export set plus account A3 with a site that never reports."""
    return build_fixture_db(
        tmp_path_factory.mktemp("no-readings"),
        add={
            "accounts": [base_row("accounts", account_id="A3", account_name="Neubau AG")],
            "sites": [base_row("sites", site_id="S9", account_id="A3", site_name="Rohbau")],
        },
    )


def test_account_without_readings_shows_a_helpful_message(run_app, db_with_account_without_readings):
    at = run_app(PAGE, db_path=db_with_account_without_readings, accounts=["Neubau AG"])
    assert not at.exception
    assert not at.metric
    assert not at.get("vega_lite_chart")
    assert [i.value for i in at.info] == [
        "Für die gewählten Accounts und den Zeitraum liegen keine Energie-Zählerstände vor. Zeitraum erweitern "
        "oder andere Accounts wählen; fehlende Meldungen zeigt die Seite Datenstatus."
    ]


def test_period_without_readings_shows_the_message(run_app):
    at = run_app(PAGE, period=["2025-01-01", "2025-12-31"])
    assert not at.exception
    assert not at.metric
    assert len(at.info) == 1


def test_top_consumers_rank_by_intensity(run_app):
    at = run_app(PAGE)
    at.button_group(key="rank").set_value("eui_kwh_m2").run()
    assert not at.exception
    spec = json.loads(at.get("vega_lite_chart")[1].proto.spec)  # carrier mix, top consumers, map, path
    assert spec["encoding"]["x"]["field"] == "eui_kwh_m2"
    assert spec["encoding"]["x"]["title"] == "EUI (kWh/m²)"


def test_factor_source_text_is_shown_inert(run_app, tmp_path):
    source = "<b>Lieferant</b> [Mix](http://example.com) *2026*"
    db_path = build_fixture_db(tmp_path, rows={"emission_factors": [base_row("emission_factors", source=source)]})
    at = run_app(PAGE, db_path=db_path)
    assert not at.exception
    caption = next(c.value for c in at.caption if c.value.startswith("CO2e = kWh"))
    # markdown specials escaped (kamdata.app.formats.md_escape): no tag, no link, no emphasis
    assert fmt.md_escape(source) in caption and source in unmarked(caption)  # no tag, no link, no emphasis


def chart_rows(chart):
    """The (single) dataset a vega-lite chart element was sent with."""
    return pa.ipc.open_stream(chart.proto.datasets[0].data.data).read_pandas()


@pytest.fixture(scope="module")
def db_with_older_years(tmp_path_factory):
    """The fixture export set plus S1 electricity readings in 2025 (10,000 kWh, 30.06.) and in
    2021 (8,000 kWh, before A1's baseline year 2022)."""
    reading = dict(site_id="S1", carrier="electricity", unit="kWh")
    return build_fixture_db(
        tmp_path_factory.mktemp("older-years"),
        add={
            "meter_readings": [
                {**reading, "reading_date": date(2025, 6, 30), "quantity": 10000.0},
                {**reading, "reading_date": date(2021, 6, 30), "quantity": 8000.0},
            ]
        },
    )


def test_everything_under_the_year_picker_follows_the_year(run_app, db_with_older_years):
    # Default period 01.12.2025-26.11.2026 -> years 2025 and 2026; default: newest complete year 2025.
    at = run_app(PAGE, db_path=db_with_older_years)
    assert not at.exception
    assert at.selectbox(key="year").value == 2025
    assert metrics(at)["Energie (MWh) 2025"] == "10,0"  # 10,000 kWh
    assert "Je Account 2025" in [h.value for h in at.subheader]
    # 2025: only A1 (S1's 10,000 kWh); no 2026 row under a 2025 picker.
    per_account = at.dataframe[0].value
    assert list(per_account["account_name"]) == ["Klinikum Nord"]
    assert list(per_account["mwh"]) == [10.0]  # S1's 10,000 kWh of 2025
    # carrier mix: the months of 2025 only (June: the 10,000 kWh of electricity)
    mix = chart_rows(at.get("vega_lite_chart")[0])
    assert sorted(mix["month"].dt.strftime("%Y-%m").unique()) == ["2025-06"]
    assert mix["kwh"].sum() == pytest.approx(10000.0)

    at.selectbox(key="year").set_value(2026).run()
    assert not at.exception
    assert metrics(at)["Energie (MWh) 2026 (laufend)"] == "16,8"  # 12,345.6 + 4,500 kWh, as in the base fixture
    per_account = at.dataframe[0].value
    assert dict(zip(per_account["account_name"], per_account["mwh"])) == pytest.approx(
        {"Klinikum Nord": 12.3456, "Logistik Süd GmbH": 4.5}
    )
    mix = chart_rows(at.get("vega_lite_chart")[0])
    assert sorted(mix["month"].dt.strftime("%Y-%m").unique()) == ["2026-10"]


def test_target_path_starts_at_the_baseline_year(run_app, db_with_older_years):
    # A1: baseline 2022, -40 % by 2030; readings in 2021, 2025, 2026. 2021 lies before the baseline
    # (a "reduction vs baseline" there is meaningless): not drawn. Path 2025 = 40 x 3 / 8 = 15 %,
    # 2026 = 40 x 4 / 8 = 20 %.
    at = run_app(PAGE, db_path=db_with_older_years)
    assert not at.exception
    path = chart_rows(at.get("vega_lite_chart")[-1])
    assert sorted(path["year"].unique()) == [2025, 2026]
    assert dict(zip(path["year"], path["path_pct"])) == {2025: pytest.approx(15.0), 2026: pytest.approx(20.0)}


def test_reduction_column_has_a_short_header_and_help(run_app):
    at = run_app(PAGE)
    config = json.loads(at.dataframe[0].proto.columns)
    assert config["reduction_pct"]["label"] == "Reduktion (%)"
    assert "Basisjahr" in config["reduction_pct"]["help"]


def test_water_total_is_the_total_row_of_the_query(run_app, app_version):
    # Water: A1's site S1 321 m3 on 31.10.2026 (module docstring), the only water reading -> the
    # carrier-mix query's total row (month and carrier NULL) holds 321, the caption shows "321 m³".
    rows = query.run(
        app_version,
        "sustainability_carrier_mix",
        {"accounts": None, "date_from": date(2026, 1, 1), "date_to": date(2026, 11, 26)},
    )
    total = rows[rows["month"].isna()]
    assert len(total) == 1 and total["carrier"].isna().all() and total["m3"].iloc[0] == 321.0
    at = run_app(PAGE)
    assert any("321 m³" in c.value for c in at.caption)


def test_last_complete_year_is_offered_and_chosen_when_the_period_lies_in_the_running_year(
    run_app, db_with_older_years
):
    # Period 01.01.-26.11.2026 touches only the running year 2026; the last complete year 2025
    # (S1: 10,000 kWh) is offered as well and chosen, the running year stays selectable, labelled.
    at = run_app(PAGE, db_path=db_with_older_years, period=["2026-01-01", "2026-11-26"])
    assert not at.exception
    picker = at.selectbox(key="year")
    assert picker.value == 2025
    assert picker.options == ["2026 (laufend)", "2025"]
    assert metrics(at)["Energie (MWh) 2025"] == "10,0"
    assert any(c.value.startswith("Der Zeitraumfilter (ab 01.01.2026) liegt im laufenden Jahr") for c in at.caption)
    # a complete year: no partial-year note under the tiles
    assert not any(c.value.startswith("Laufendes Jahr:") for c in at.caption)
    picker.set_value(2026).run()
    assert metrics(at)["Energie (MWh) 2026 (laufend)"] == "16,8"
    assert "Laufendes Jahr: Werte vom 01.01.2026 bis zum Datenstand 26.11.2026" in " ".join(c.value for c in at.caption)


def test_english_running_year_label(run_app, db_with_older_years):
    at = run_app(PAGE, db_path=db_with_older_years, lang="en")
    assert at.selectbox(key="year").options == ["2026 (to date)", "2025"]


@pytest.fixture(scope="module")
def db_with_baseline_readings(tmp_path_factory):
    """The fixture export set plus S1 electricity in A1's baseline year 2022: 10,000 kWh on 31.03.
    and 5,000 kWh on 15.12. (after October, the last complete month of 2026)."""
    reading = dict(site_id="S1", carrier="electricity", unit="kWh")
    return build_fixture_db(
        tmp_path_factory.mktemp("baseline-readings"),
        add={
            "meter_readings": [
                {**reading, "reading_date": date(2022, 3, 31), "quantity": 10000.0},
                {**reading, "reading_date": date(2022, 12, 15), "quantity": 5000.0},
            ]
        },
    )


# Electricity factor for every year: the export's only row, 0.38 (2026; for 2022 the earliest year).
# 2022 whole year: 15,000 x 0.38 = 5,700 kg; January-October 2022: 10,000 x 0.38 = 3,800 kg.
# 2026 (January-October; D = 26.11.2026): 12,345.6 x 0.38 = 4,691.328 kg.
# Yearly mart (partial 2026 vs whole 2022): (5,700 - 4,691.328) / 5,700 = +17.70 % -- looks like progress.
# Like for like: (3,800 - 4,691.328) / 3,800 = -23.456 % -- emissions rose.
LIKE_FOR_LIKE = (3800 - 4691.328) / 3800 * 100


def test_running_year_query_compares_the_same_months(db_with_baseline_readings):
    version = query.current_version(db_with_baseline_readings)
    yearly = query.run(version, "sustainability_target_path", {"account_id": "A1"}).set_index("year")
    assert yearly.loc[2026, "reduction_pct"] == pytest.approx((5700 - 4691.328) / 5700 * 100)
    assert pd.isna(yearly.loc[2026, "on_track"])
    rows = query.run(version, "sustainability_running_year", {"accounts": None})
    assert rows["account_id"].tolist() == ["A1"]  # only A1 has a reduction target
    row = rows.iloc[0]
    assert (row["year"], row["months_compared"], row["baseline_year"]) == (2026, 10, 2022)
    assert row["kg_co2e_ytd"] == pytest.approx(4691.328)
    assert row["baseline_kg_co2e_ytd"] == pytest.approx(3800.0)
    assert row["reduction_ytd_pct"] == pytest.approx(LIKE_FOR_LIKE)


def test_running_year_shows_the_like_for_like_reduction_not_judged(run_app, db_with_baseline_readings):
    at = run_app(PAGE, db_path=db_with_baseline_readings, accounts=["Klinikum Nord"])
    assert not at.exception
    assert at.selectbox(key="year").value == 2026  # no complete year with readings in the period
    table = at.dataframe[0].value.set_index("account_name")
    assert table.loc["Klinikum Nord", "reduction_pct"] == pytest.approx(round(LIKE_FOR_LIKE, 1))
    assert pd.isna(table.loc["Klinikum Nord", "on_track"])
    note = (
        "2026 (laufend): Reduktion Januar–Oktober 2026 gegenüber denselben Monaten des Basisjahrs (gleiche "
        "Monate, nicht das ganze Basisjahr). Teiljahr: nicht gegen den Zielpfad bewertet"
    )
    assert sum(c.value.startswith(note) for c in at.caption) == 2  # under the table and under the path
    path = chart_rows(at.get("vega_lite_chart")[-1])
    reduction = path[path["series"] == "Reduktion (%)"].set_index("year")
    assert reduction.loc[2026, "pct"] == pytest.approx(LIKE_FOR_LIKE)
    assert reduction.loc[2026, "status"] == "laufendes Jahr (nicht bewertet)"
    assert reduction.loc[2022, "pct"] == pytest.approx(0.0)


def test_view_state_comes_from_the_url(run_app, db_with_older_years):
    at = run_app(PAGE, db_path=db_with_older_years, year="2026", rank="eui_kwh_m2", account="A1")
    assert not at.exception
    assert at.selectbox(key="year").value == 2026
    assert metrics(at)["Energie (MWh) 2026 (laufend)"] == "16,8"
    spec = json.loads(at.get("vega_lite_chart")[1].proto.spec)
    assert spec["encoding"]["x"]["field"] == "eui_kwh_m2"
    assert at.selectbox(key="account").value == "A1"
    assert not [w for w in at.warning if w.value.startswith("Link-Wert ignoriert")]
    # a choice made on the page goes into the URL under its code, not its (translated) label
    at.selectbox(key="year").set_value(2025).run()
    assert at.query_params["year"] == "2025"
    at.button_group(key="rank").set_value("kwh").run()
    assert at.query_params["rank"] == "kwh"


def test_url_value_that_matches_nothing_shows_a_notice(run_app, db_with_older_years):
    at = run_app(PAGE, db_path=db_with_older_years, year="1999", rank="volume", lang="en")
    assert not at.exception
    assert at.selectbox(key="year").value == 2025  # the default
    notices = [w.value for w in at.warning]
    assert "Link value ignored: “year=1999” matches no choice on this page; the default choice is shown." in notices
    assert any("“rank=volume”" in n for n in notices)


def test_emission_factor_years_are_exact_integers(run_app):
    # The export's one factor row (electricity 2026) plus the shipped defaults: years as integers
    # with "%d" (no "2.026" grouping, no float artefacts of format "plain"). The list's section runs
    # only while it is open.
    at = run_app(PAGE)
    assert not any("kg_co2e_per_kwh" in d.value.columns for d in at.dataframe)
    at.session_state["factors"] = True
    at.run()
    factors = next(d for d in at.dataframe if "kg_co2e_per_kwh" in d.value.columns)
    assert json.loads(factors.proto.columns)["year"]["type_config"]["format"] == "%d"
    assert str(factors.value["year"].dtype) == "Int64"
    assert 2026 in factors.value["year"].tolist()


def test_site_map_draws_shipped_outlines_and_names_the_cities(run_app):
    # The map (third chart: carrier mix, top consumers, map, path): Germany and its neighbours from
    # the shipped GeoJSON (inline values, no URL: nothing is fetched), one circle per city (S1 in
    # Hamburg, S3 in München; S2 has no coordinates) and one label per city.
    at = run_app(PAGE)
    chart = at.get("vega_lite_chart")[2]
    spec = json.loads(chart.proto.spec)
    # the names twice: a light halo under dark ink (readable on the dark theme's map too)
    assert [layer["mark"]["type"] for layer in spec["layer"]] == ["geoshape", "geoshape", "circle", "text", "text"]
    assert "url" not in chart.proto.spec
    countries = {f["properties"]["country"] for f in spec["layer"][0]["data"]["values"]}
    assert {"NL", "FR", "AT", "PL"} <= countries and "DE" not in countries
    assert [f["properties"]["country"] for f in spec["layer"][1]["data"]["values"]] == ["DE"]
    assert spec["projection"]["type"] == "mercator"
    # every site and all of Germany stay in view, with a margin of 0.6° (FIT_MARGIN) on each side: the
    # shipped outline spans lat 47.28..55.06, lon 5.86..15.02 and the fixture's sites lie inside it, so
    # the corners are (5.26, 46.68) and (15.62, 55.66)
    assert spec["projection"]["fit"][-1]["geometry"]["type"] == "MultiPoint"
    corners = spec["projection"]["fit"][-1]["geometry"]["coordinates"]
    assert [[round(v, 2) for v in corner] for corner in corners] == [[5.26, 46.68], [15.62, 55.66]]
    datasets = {
        d.name: pa.ipc.open_stream(d.data.data).read_pandas() for d in chart.proto.datasets
    }  # sites and labels travel as named datasets
    names = datasets[spec["layer"][3]["data"]["name"]]
    assert sorted(names["city"]) == ["Hamburg", "München"]  # one circle and label per city
    assert spec["layer"][3]["encoding"]["text"]["field"] == "city"
    assert [t["field"] for t in spec["layer"][2]["encoding"]["tooltip"]][:3] == ["city", "sites", "accounts"]


def test_map_labels_largest_cities_without_collisions():
    from kamdata.app.charts.sustainability import map_labels

    cities = pd.DataFrame(
        [
            # city, kWh, lat, lon
            ("Berlin", 900.0, 52.5, 13.4),  # largest: labelled
            ("Hannover", 700.0, 52.6, 10.0),  # 0.1° below Berlin's label row, 3.4° west: would overlap
            ("Frankfurt", 600.0, 50.1, 8.7),  # clear of Berlin: labelled
            ("Hamburg", 500.0, 53.5, 10.0),  # 1.0° above Berlin: clear
            ("Paris", 400.0, 50.0, 2.0),  # same row as Frankfurt but 6.7° west: clear (label width 6°)
        ],
        columns=["city", "kwh", "latitude", "longitude"],
    )
    assert map_labels(cities)["city"].tolist() == ["Berlin", "Frankfurt", "Hamburg", "Paris"]
    assert map_labels(cities, top=2)["city"].tolist() == ["Berlin", "Frankfurt"]


@pytest.fixture(scope="module")
def db_with_two_sites_in_hamburg(tmp_path_factory):
    """The fixture plus S4 of A2 in Hamburg (7,500 m², 53.57/10.01) with 2,500 kWh electricity on
    31.10.2026: Hamburg then has S1 (A1, 12,500.5 m², 12,345.6 kWh) and S4."""
    return build_fixture_db(
        tmp_path_factory.mktemp("hamburg"),
        add={
            "sites": [
                base_row(
                    "sites",
                    site_id="S4",
                    account_id="A2",
                    site_name="Lager 2",
                    floor_area_m2=7500.0,
                    latitude=53.57,
                    longitude=10.01,
                )
            ],
            "meter_readings": [
                base_row(
                    "meter_readings",
                    site_id="S4",
                    reading_date=date(2026, 10, 31),
                    carrier="electricity",
                    quantity=2500.0,
                    unit="kWh",
                )
            ],
        },
    )


def test_city_map_sums_the_sites_of_a_city(db_with_two_sites_in_hamburg):
    # Hamburg: S1 + S4 = 2 sites of 2 accounts, 12,345.6 + 2,500 = 14,845.6 kWh over
    # 12,500.5 + 7,500 = 20,000.5 m² -> EUI 0.74226 (a ratio of the sums, not the mean of 0.988 and
    # 0.333), at the mean position (53.56, 10.0); München: S3 alone, 4,500 kWh over 40,000 m².
    version = query.current_version(db_with_two_sites_in_hamburg)
    cities = query.run(version, "sustainability_city_map", {"accounts": None, "year": 2026}).set_index("city")
    assert cities.index.tolist() == ["Hamburg", "München"]  # largest first
    hamburg = cities.loc["Hamburg"]
    assert (hamburg["sites"], hamburg["accounts"]) == (2, 2)
    assert hamburg["kwh"] == pytest.approx(14845.6)
    assert hamburg["floor_area_m2"] == pytest.approx(20000.5)
    assert hamburg["eui_kwh_m2"] == pytest.approx(14845.6 / 20000.5)
    assert (hamburg["latitude"], hamburg["longitude"]) == (pytest.approx(53.56), pytest.approx(10.0))
    assert cities.loc["München", "eui_kwh_m2"] == pytest.approx(4500 / 40000)
    only_a1 = query.run(version, "sustainability_city_map", {"accounts": ["A1"], "year": 2026})
    assert only_a1["sites"].tolist() == [1] and only_a1["kwh"].tolist() == [pytest.approx(12345.6)]


def test_site_table_shows_the_largest_until_show_all_from_the_url(run_app, db_with_two_sites_in_hamburg, tmp_path):
    settings = tmp_path / "settings.toml"
    settings.write_text("[app]\nsite_table_rows = 2\n", encoding="utf-8")
    at = open_sites(run_app(PAGE, db_path=db_with_two_sites_in_hamburg, settings=str(settings)))
    assert not at.exception
    table = at.dataframe[1].value
    assert table["site_name"].tolist() == ["Haus A", "Lager 1"]  # the 2 largest of 3 (S4 has 2.5 MWh)
    shown = "Die 2 größten von 3 Standorten (nach Energieverbrauch); der Download enthält alle."
    assert shown in [c.value for c in at.caption]
    at.toggle(key="sites").set_value(True).run()
    assert at.query_params["sites"] == "all"
    assert at.dataframe[1].value["site_name"].tolist() == ["Haus A", "Lager 1", "Lager 2"]
    # a link with ?sites=all opens the table whole
    at = open_sites(run_app(PAGE, db_path=db_with_two_sites_in_hamburg, settings=str(settings), sites="all"))
    assert len(at.dataframe[1].value) == 3
