"""Sustainability marts on a hand-made fixture; every expected number is worked out by hand.

As-of date D = 2026-04-15: last complete month 2026-03, so coverage of 2026 spans months 1-3.
Default electricity factors (settings.toml): 2021 0.485, 2022 0.498, 2023 0.445, 2024 0.427.
The export replaces natural gas entirely: 2023 0.2 and 2025 0.25 (the default 2024 0.201 is gone).
"""

from datetime import date

import pytest
from marts_fixture import build, rows

AS_OF = date(2026, 4, 15)


def site(site_id, account_id, floor_area_m2):
    return {
        "site_id": site_id,
        "account_id": account_id,
        "site_name": f"Site {site_id}",
        "city": "Köln",
        "country": "DE",
        "building_type": "office",
        "floor_area_m2": floor_area_m2,
    }


def reading(site_id, reading_date, carrier, quantity, unit="kwh"):
    return {"site_id": site_id, "reading_date": reading_date, "carrier": carrier, "quantity": quantity, "unit": unit}


SITES = [
    site("S1", "B1", 1000),
    site("S2", "B1", 500),
    site("S3", "B1", 250),  # S3 never reports
    site("S4", "B2", 800),  # B2: no readings at all
    site("S5", "B3", 300),  # B3: water only
    site("S6", "B4", 100),
    site("S7", "B5", 100),
    site("S8", "B6", 100),
]

READINGS = [
    # B1 2023: 10 MWh electricity (x 0.445), 5000 kWh gas (export 2023: x 0.2), water kept apart.
    reading("S1", "2023-01-15", "electricity", 10, "mwh"),
    reading("S1", "2023-01-20", "water", 100, "m3"),
    reading("S1", "2023-02-15", "natural_gas", 5000),
    reading("S2", "2023-03-10", "electricity", 2000),
    # B1 2024: gas factor 2024 missing in the export -> latest earlier year 2023 (0.2).
    reading("S1", "2024-06-01", "electricity", 8000),
    reading("S1", "2024-07-01", "natural_gas", 1000),
    reading("S2", "2024-03-01", "water", 20, "m3"),  # water only: S2 adds no floor area in 2024
    # B1 2020: before every electricity factor -> earliest year 2021 (0.485).
    reading("S2", "2020-05-01", "electricity", 1000),
    # B1 2026 (year of D): electricity 2026 -> latest earlier 2024 (0.427); a 0 kWh reading counts
    # for coverage; the reading on D counts, the one after D does not.
    reading("S1", "2026-01-10", "electricity", 1000),
    reading("S1", "2026-03-01", "natural_gas", 0),
    reading("S1", "2026-04-15", "electricity", 500),
    reading("S1", "2026-04-16", "electricity", 99999),
    reading("S2", "2026-02-10", "electricity", 1, "mwh"),
    # B3: water only -> no yearly row.
    reading("S5", "2025-01-10", "water", 10, "m3"),
    # B4: baseline 2020, target 2022 (10 %).
    reading("S6", "2020-01-10", "electricity", 1000),
    reading("S6", "2023-01-10", "electricity", 1100),
    reading("S6", "2024-01-10", "electricity", 1000),
    # B5: baseline year 2019 has no row. B6: baseline 2023 has zero CO2e.
    reading("S7", "2024-01-10", "electricity", 100),
    reading("S8", "2023-01-10", "electricity", 0),
    reading("S8", "2024-01-10", "electricity", 100),
]

TARGETS = [
    {"account_id": "B1", "baseline_year": 2023, "target_year": 2030, "target_reduction_pct": 35},
    {"account_id": "B4", "baseline_year": 2020, "target_year": 2022, "target_reduction_pct": 10},
    {"account_id": "B5", "baseline_year": 2019, "target_year": 2030, "target_reduction_pct": 55},
    {"account_id": "B6", "baseline_year": 2023, "target_year": 2030, "target_reduction_pct": 35},
]

EXPORT_FACTORS = [
    {"carrier": "natural_gas", "year": 2023, "kg_co2e_per_kwh": 0.2, "source": "Export gas 2023"},
    {"carrier": "natural_gas", "year": 2025, "kg_co2e_per_kwh": 0.25, "source": "Export gas 2025"},
]

DATA = {
    "sites": SITES,
    "meter_readings": READINGS,
    "sustainability_targets": TARGETS,
    "emission_factors": EXPORT_FACTORS,
}


@pytest.fixture(scope="module")
def con():
    connection = build(DATA, AS_OF)
    yield connection
    connection.close()


def yearly(con):
    return {(r["account_id"], r["year"]): r for r in rows(con, "select * from mart_sustainability_yearly")}


def test_effective_emission_factors_export_replaces_carrier(con):
    factors = rows(
        con, "select carrier, year, kg_co2e_per_kwh, origin from mart_emission_factors order by carrier, year"
    )
    gas = [(r["year"], r["kg_co2e_per_kwh"], r["origin"]) for r in factors if r["carrier"] == "natural_gas"]
    assert gas == [(2023, 0.2, "export"), (2025, 0.25, "export")]
    electricity = [(r["year"], r["origin"]) for r in factors if r["carrier"] == "electricity"]
    assert electricity == [(2021, "default"), (2022, "default"), (2023, "default"), (2024, "default")]


def test_energy_monthly_conversion_water_and_factor_fallback(con):
    m = {(r["site_id"], r["month"], r["carrier"]): r for r in rows(con, "select * from mart_energy_monthly")}
    elec = m[("S1", date(2023, 1, 1), "electricity")]
    assert (elec["kwh"], elec["m3"], elec["factor_year"]) == (10000, None, 2023)  # 10 MWh = 10000 kWh
    assert elec["kg_co2e"] == pytest.approx(4450)  # 10000 x 0.445
    water = m[("S1", date(2023, 1, 1), "water")]
    assert (water["kwh"], water["m3"], water["kg_co2e"]) == (None, 100, None)
    gas_2024 = m[("S1", date(2024, 7, 1), "natural_gas")]
    assert (gas_2024["factor_year"], gas_2024["factor_source"]) == (2023, "Export gas 2023")
    assert gas_2024["kg_co2e"] == pytest.approx(200)  # 1000 x 0.2
    assert m[("S2", date(2020, 5, 1), "electricity")]["factor_year"] == 2021  # earliest year
    assert m[("S2", date(2020, 5, 1), "electricity")]["kg_co2e"] == pytest.approx(485)
    # As of D: 2026-04-15 counts (500 kWh), 2026-04-16 does not.
    assert m[("S1", date(2026, 4, 1), "electricity")]["kwh"] == 500


def test_yearly_energy_floor_area_and_intensities(con):
    y = yearly(con)
    r2023 = y[("B1", 2023)]
    # kWh 10000 + 5000 + 2000 = 17000 (water excluded); floor area S1 + S2 = 1500 (S3 never reports);
    # CO2e 4450 + 1000 + 890 = 6340.
    assert (r2023["kwh"], r2023["floor_area_m2"], r2023["water_m3"]) == (17000, 1500, 100)
    assert r2023["kg_co2e"] == pytest.approx(6340)
    assert r2023["eui_kwh_m2"] == pytest.approx(17000 / 1500)
    assert r2023["co2e_kg_m2"] == pytest.approx(6340 / 1500)
    assert r2023["factor_sources"] == "Export gas 2023; UBA Strommix 2023 (CO2e incl. upstream)"
    r2024 = y[("B1", 2024)]
    # 8000 + 1000 kWh at S1 only (S2 has only water in 2024): floor area 1000; CO2e 3416 + 200.
    assert (r2024["kwh"], r2024["floor_area_m2"], r2024["water_m3"]) == (9000, 1000, 20)
    assert r2024["kg_co2e"] == pytest.approx(3616)
    r2026 = y[("B1", 2026)]
    # 1000 + 0 + 500 + 1000 kWh; CO2e (1000 + 500 + 1000) x 0.427 = 1067.5.
    assert r2026["kwh"] == 2500
    assert r2026["kg_co2e"] == pytest.approx(1067.5)


def test_rows_only_for_accounts_and_years_with_energy(con):
    # B2 has no readings, B3 only water; B1 has no 2025 readings.
    assert {key for key in yearly(con)} == {
        ("B1", 2020),
        ("B1", 2023),
        ("B1", 2024),
        ("B1", 2026),
        ("B4", 2020),
        ("B4", 2023),
        ("B4", 2024),
        ("B5", 2024),
        ("B6", 2023),
        ("B6", 2024),
    }


def test_reduction_target_path_and_on_track(con):
    y = yearly(con)
    # B1, baseline 2023 (6340 kg), 35 % by 2030 -> 5 points a year.
    # 2020: reduction (6340 - 485) / 6340; path before the baseline clamps to 0.
    assert y[("B1", 2020)]["reduction_pct"] == pytest.approx(5855 / 63.4)
    assert (y[("B1", 2020)]["target_path_pct"], y[("B1", 2020)]["on_track"]) == (0, True)
    assert (y[("B1", 2023)]["reduction_pct"], y[("B1", 2023)]["target_path_pct"], y[("B1", 2023)]["on_track"]) == (
        0,
        0,
        True,
    )
    # 2024: (6340 - 3616) / 6340 = 42.97 % >= path 5 %.
    assert y[("B1", 2024)]["reduction_pct"] == pytest.approx(2724 / 63.4)
    assert y[("B1", 2024)]["target_path_pct"] == pytest.approx(5)
    assert y[("B1", 2024)]["on_track"] is True
    # 2026 = year of D: path 15 %, reduction computed, on_track not judged.
    assert y[("B1", 2026)]["target_path_pct"] == pytest.approx(15)
    assert y[("B1", 2026)]["reduction_pct"] == pytest.approx((6340 - 1067.5) / 63.4)
    assert y[("B1", 2026)]["on_track"] is None
    # B4: path 10 x (y - 2020) / 2 clamped to 10 after 2022. 2023: 1100 x 0.445 = 489.5 > 485 -> -0.93 %.
    assert y[("B4", 2023)]["target_path_pct"] == 10
    assert y[("B4", 2023)]["reduction_pct"] == pytest.approx(-4.5 / 4.85)
    assert y[("B4", 2023)]["on_track"] is False
    # 2024: 1000 x 0.427 = 427 -> (485 - 427) / 485 = 11.96 % >= 10.
    assert y[("B4", 2024)]["reduction_pct"] == pytest.approx(58 / 4.85)
    assert y[("B4", 2024)]["on_track"] is True
    # B5: no baseline row (2019) -> reduction NULL, path still 55 x 5 / 11 = 25, on_track NULL.
    assert y[("B5", 2024)]["reduction_pct"] is None
    assert y[("B5", 2024)]["target_path_pct"] == pytest.approx(25)
    assert y[("B5", 2024)]["on_track"] is None
    # B6: baseline CO2e 0 -> reduction NULL.
    assert y[("B6", 2024)]["reduction_pct"] is None


def test_coverage_counts_never_reporting_sites_and_complete_months(con):
    y = yearly(con)
    # 2023: 3 sites x 12 months = 36; energy in S1 Jan, S1 Feb, S2 Mar -> 3 / 36.
    assert y[("B1", 2023)]["coverage_pct"] == pytest.approx(300 / 36)
    # 2026: months 1-3 only: 9 pairs; S1 Jan, S1 Mar (0 kWh counts), S2 Feb -> 3 / 9 (April not judged).
    assert y[("B1", 2026)]["coverage_pct"] == pytest.approx(100 / 3)
    sites = {(r["site_id"], r["year"]): r for r in rows(con, "select * from mart_site_energy_yearly")}
    assert sites[("S1", 2023)]["coverage_pct"] == pytest.approx(200 / 12)
    assert sites[("S1", 2023)]["eui_kwh_m2"] == pytest.approx(15)  # 15000 kWh / 1000 m2
    never = sites[("S3", 2023)]
    assert (never["kwh"], never["eui_kwh_m2"], never["coverage_pct"], never["floor_area_m2"]) == (None, None, 0, 250)


def test_coverage_gaps(con):
    gaps = rows(
        con,
        """select year(month) as year, count(*) as gaps, count(*) filter (where never_reports) as never
                        from mart_coverage_gaps where account_id = 'B1' group by all order by year""",
    )
    # 2020: 36 - 1 (S2 May) = 35, S3 12; 2023: 36 - 3 = 33; 2024: 36 - 2 (S1 Jun, Jul) = 34;
    # 2026: 9 - 3 = 6, S3 for 3 months.
    assert [(g["year"], g["gaps"], g["never"]) for g in gaps] == [
        (2020, 35, 12),
        (2023, 33, 12),
        (2024, 34, 12),
        (2026, 6, 3),
    ]
    s3 = rows(con, "select site_name, city from mart_coverage_gaps where site_id = 'S3' limit 1")
    assert s3 == [{"site_name": "Site S3", "city": "Köln"}]


def test_year_of_d_in_january_has_no_coverage_months():
    con = build(DATA, date(2026, 1, 20))
    y = yearly(con)
    # Last complete month is 2025-12: no month of 2026 is judged -> coverage NULL, on_track NULL.
    assert (y[("B1", 2026)]["kwh"], y[("B1", 2026)]["coverage_pct"], y[("B1", 2026)]["on_track"]) == (1000, None, None)
    assert rows(con, "select count(*) as n from mart_coverage_gaps where year(month) = 2026") == [{"n": 0}]
    con.close()
