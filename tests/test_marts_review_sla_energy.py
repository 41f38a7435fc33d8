"""Review of the SLA & service and sustainability marts against KPIS.md: edge cases the module
tests do not reach. Every expected number is worked out by hand in the comments (never taken
from the code under test). Naive timestamps are Europe/Berlin local time.

SLA fixture: D = 2026-04-15, D_end = 2026-04-16 00:00 CEST (2026-04-15 22:00 UTC).
Account R1: policies P1 2 h / 8 h / 90 %, P2 4 h / 24 h / 80 %, none for P3 and P4;
malus 1 % per point, cap 50 %. Account R2: P1 1 h / 4 h / 50 %; malus 2 % per point, cap 10 %.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from marts_fixture import build, rows
from marts_fixture import ticket as fixture_ticket

BERLIN = ZoneInfo("Europe/Berlin")
AS_OF = date(2026, 4, 15)


def ticket(ticket_id, priority, created_at, account_id="R1", **fields):
    return fixture_ticket(ticket_id, priority, created_at, account_id, **fields)


TICKETS = [
    # Berlin month boundaries. K01: 2026-03-31 23:30 CEST (21:30 UTC) -> March; response 00:30
    # (due 01:30) met, resolved 06:00 (due 07:30) met.
    ticket(
        "K01",
        "P1",
        "2026-03-31 23:30",
        first_response_at="2026-04-01 00:30",
        resolved_at="2026-04-01 06:00",
        status="resolved",
    ),
    # K02: 2026-04-01 00:30 CEST = 2026-03-31 22:30 UTC -> April (a UTC month would say March);
    # nothing happened, due 02:30 / 08:30 < D_end -> breached / breached.
    ticket("K02", "P1", "2026-04-01 00:30"),
    # K08: March P1, response 09:00 (due 10:00) met, resolved 20:00 (due 16:00) breached.
    ticket(
        "K08",
        "P1",
        "2026-03-05 08:00",
        first_response_at="2026-03-05 09:00",
        resolved_at="2026-03-05 20:00",
        status="resolved",
    ),
    # K03: P4 has no policy, both due times given by the ticket: response 11:00 <= 12:00 met,
    # resolved 03-12 10:00 > 03-11 10:00 breached. Judged, not "no SLA".
    ticket(
        "K03",
        "P4",
        "2026-03-10 10:00",
        first_response_at="2026-03-10 11:00",
        resolved_at="2026-03-12 10:00",
        response_due_at="2026-03-10 12:00",
        resolution_due_at="2026-03-11 10:00",
        status="resolved",
    ),
    # K04: P3 (no policy) with only a resolution due time 18:00, resolved 20:00 -> breached.
    ticket(
        "K04",
        "P3",
        "2026-03-12 10:00",
        resolved_at="2026-03-12 20:00",
        resolution_due_at="2026-03-12 18:00",
        status="resolved",
    ),
    # K05: P3, nothing given -> no SLA (counted in tickets only).
    ticket("K05", "P3", "2026-03-13 10:00"),
    # K13: 2026-03-01 00:30 CET = 2026-02-28 23:30 UTC -> March; no SLA.
    ticket("K13", "P3", "2026-03-01 00:30"),
    # K10: 2026-02-28 23:30 CET -> February; no SLA (a month with only no-SLA tickets).
    ticket("K10", "P3", "2026-02-28 23:30"),
    # K06: P2, response 13:00 (due 14:00) met; resolved exactly at due 03-21 10:00 -> met (<=).
    ticket(
        "K06",
        "P2",
        "2026-03-20 10:00",
        first_response_at="2026-03-20 13:00",
        resolved_at="2026-03-21 10:00",
        status="resolved",
    ),
    # K07: P2 with only a response override 11:00: response 12:00 breached (policy would give
    # 14:00, met); resolution from the policy: due 03-26 10:00, resolved 09:00 -> met.
    ticket(
        "K07",
        "P2",
        "2026-03-25 10:00",
        first_response_at="2026-03-25 12:00",
        resolved_at="2026-03-26 09:00",
        response_due_at="2026-03-25 11:00",
        status="resolved",
    ),
    # Out of scope: cancelled (January) and planned (January) -> no January row anywhere.
    ticket("K11", "P1", "2026-01-15 10:00", status="cancelled"),
    ticket("K12", "P1", "2026-01-16 10:00", kind="planned", due_at="2026-01-20 10:00"),
    # R2, March P1: one met (resolved 12:00, due 14:00), one breached (resolved 16:00) -> 50 % = target.
    ticket(
        "M1",
        "P1",
        "2026-03-03 10:00",
        account_id="R2",
        first_response_at="2026-03-03 10:30",
        resolved_at="2026-03-03 12:00",
        status="resolved",
    ),
    ticket(
        "M2",
        "P1",
        "2026-03-04 10:00",
        account_id="R2",
        first_response_at="2026-03-04 10:30",
        resolved_at="2026-03-04 16:00",
        status="resolved",
    ),
]

POLICIES = [
    {"account_id": "R1", "priority": "P1", "response_target_h": 2, "resolution_target_h": 8, "target_pct": 90},
    {"account_id": "R1", "priority": "P2", "response_target_h": 4, "resolution_target_h": 24, "target_pct": 80},
    {"account_id": "R2", "priority": "P1", "response_target_h": 1, "resolution_target_h": 4, "target_pct": 50},
]

CONTRACTS = [
    # C1 ends on the first day of March: active on 03-01 (and 02-01), not on 04-01.
    {
        "contract_id": "C1",
        "account_id": "R1",
        "annual_value_eur": 12000,
        "start_date": "2026-01-01",
        "end_date": "2026-03-01",
    },
    # C2 starts on 04-01: in April's fee, not March's.
    {"contract_id": "C2", "account_id": "R1", "annual_value_eur": 24000, "start_date": "2026-04-01", "end_date": None},
    # C3 starts on 03-02: not active on 03-01, active on 04-01.
    {"contract_id": "C3", "account_id": "R1", "annual_value_eur": 36000, "start_date": "2026-03-02", "end_date": None},
    {"contract_id": "C4", "account_id": "R2", "annual_value_eur": 120000, "start_date": "2025-01-01", "end_date": None},
]

MALUS = [
    {"account_id": "R1", "malus_pct_per_point": 1, "malus_cap_pct": 50},
    {"account_id": "R2", "malus_pct_per_point": 2, "malus_cap_pct": 10},
]


@pytest.fixture(scope="module")
def sla():
    connection = build(
        {"tickets": TICKETS, "sla_policies": POLICIES, "contracts": CONTRACTS, "sla_malus": MALUS}, AS_OF
    )
    yield connection
    connection.close()


def by_key(con, sql, *key):
    return {tuple(r[k] for k in key): r for r in rows(con, sql)}


def test_month_is_the_berlin_month_of_created_at(sla):
    t = {r["ticket_id"]: r["month"] for r in rows(sla, "select ticket_id, month from mart_ticket_sla")}
    assert (t["K01"], t["K02"]) == (date(2026, 3, 1), date(2026, 4, 1))
    assert (t["K10"], t["K13"]) == (date(2026, 2, 1), date(2026, 3, 1))
    m = by_key(sla, "select * from mart_sla_monthly where account_id = 'R1'", "month", "priority")
    # March P1: K01 met/met, K08 met/breached -> response 100 %, resolution 50 %.
    mar_p1 = m[(date(2026, 3, 1), "P1")]
    assert (mar_p1["tickets"], mar_p1["response_met"], mar_p1["resolution_met"], mar_p1["resolution_breached"]) == (
        2,
        2,
        1,
        1,
    )
    assert (mar_p1["response_compliance_pct"], mar_p1["resolution_compliance_pct"]) == (100.0, 50.0)
    # April P1: K02 alone, breached / breached -> 0 %.
    apr_p1 = m[(date(2026, 4, 1), "P1")]
    assert (apr_p1["tickets"], apr_p1["response_compliance_pct"], apr_p1["resolution_compliance_pct"]) == (1, 0.0, 0.0)
    # P3: February K10 (no SLA); March K04 (resolution breached), K05, K13 (no SLA).
    assert (m[(date(2026, 2, 1), "P3")]["tickets"], m[(date(2026, 2, 1), "P3")]["resolution_compliance_pct"]) == (
        1,
        None,
    )
    mar_p3 = m[(date(2026, 3, 1), "P3")]
    assert (mar_p3["tickets"], mar_p3["tickets_no_sla"], mar_p3["resolution_compliance_pct"]) == (3, 2, 0.0)
    # Cancelled and planned tickets make no January row.
    assert not [key for key in m if key[0] == date(2026, 1, 1)]


def test_override_without_policy_is_judged_but_has_no_target(sla):
    t = {r["ticket_id"]: r for r in rows(sla, "select * from mart_ticket_sla")}
    k03 = t["K03"]
    assert k03["response_due"] == datetime(2026, 3, 10, 12, 0, tzinfo=BERLIN)
    assert (k03["response_status"], k03["resolution_status"], k03["no_sla"]) == ("met", "breached", False)
    # Response override only: response due 11:00 (not the policy's 14:00), resolution due from
    # the policy 2026-03-26 10:00.
    k07 = t["K07"]
    assert k07["response_due"] == datetime(2026, 3, 25, 11, 0, tzinfo=BERLIN)
    assert k07["resolution_due"] == datetime(2026, 3, 26, 10, 0, tzinfo=BERLIN)
    assert (k07["response_status"], k07["resolution_status"]) == ("breached", "met")
    # Resolved exactly at the due time is met.
    assert t["K06"]["resolution_status"] == "met"
    m = by_key(sla, "select * from mart_sla_monthly where account_id = 'R1'", "month", "priority")
    p4 = m[(date(2026, 3, 1), "P4")]
    # One ticket: response 1/1 = 100 %, resolution 0/1 = 0 %, no policy -> target NULL.
    assert (p4["tickets"], p4["tickets_no_sla"], p4["response_compliance_pct"]) == (1, 0, 100.0)
    assert (p4["resolution_compliance_pct"], p4["target_pct"]) == (0.0, None)
    # March P2: response K06 met, K07 breached -> 50 %; resolution both met -> 100 %.
    p2 = m[(date(2026, 3, 1), "P2")]
    assert (p2["response_compliance_pct"], p2["resolution_compliance_pct"], p2["target_pct"]) == (50.0, 100.0, 80)


def test_breach_months_ignore_priorities_without_policy_and_compliance_at_target(sla):
    got = {
        (r["account_id"], r["month"]): r["breached_priorities"]
        for r in rows(sla, "select * from mart_sla_breach_months")
    }
    # R1 March: P1 50 % < 90 -> breach; P2 100 % >= 80; P3 0 % and P4 0 % have no target.
    # R1 April: P1 0 % < 90. R1 February: only no-SLA tickets -> no compliance, no breach.
    # R2 March: 50 % is not below the 50 % target -> no breach month.
    assert got == {("R1", date(2026, 3, 1)): "P1", ("R1", date(2026, 4, 1)): "P1"}


def test_malus_fee_from_contracts_active_on_the_first_and_rows_per_ticket_month(sla):
    m = by_key(sla, "select * from mart_sla_malus", "account_id", "month")
    # Rows: R1 Feb (K10, no-SLA ticket), Mar, Apr (month of D); no January (cancelled / planned only);
    # R2 March.
    assert set(m) == {
        ("R1", date(2026, 2, 1)),
        ("R1", date(2026, 3, 1)),
        ("R1", date(2026, 4, 1)),
        ("R2", date(2026, 3, 1)),
    }
    feb, mar, apr = (m[("R1", date(2026, month, 1))] for month in (2, 3, 4))
    # Feb: C1 -> 12000 / 12 = 1000; no judged ticket -> shortfall 0, malus 0 %, 0 EUR.
    assert (feb["monthly_fee_eur"], feb["shortfall_points"], feb["malus_pct"], feb["exposure_eur"]) == (1000, 0, 0, 0)
    # Mar: C1 (ends 03-01, still active on the first) only -> 1000; C3 starts 03-02, C2 04-01.
    # Shortfall: P1 90 - 50 = 40; P2 0; P3 and P4 without policy add 0 -> 40 points x 1 = 40 %
    # (below the 50 % cap) -> 1000 x 40 / 100 = 400 EUR.
    assert (mar["monthly_fee_eur"], mar["shortfall_points"], mar["malus_pct"]) == (1000, 40, 40)
    assert mar["exposure_eur"] == pytest.approx(400)
    # Apr (month to date, full fee): C2 + C3 -> (24000 + 36000) / 12 = 5000; C1 ended 03-01.
    # Shortfall P1 90 - 0 = 90 -> 90 % capped at 50 % -> 2500 EUR.
    assert (apr["monthly_fee_eur"], apr["shortfall_points"], apr["malus_pct"]) == (5000, 90, 50)
    assert apr["exposure_eur"] == pytest.approx(2500)
    # R2 March: 120000 / 12 = 10000; compliance 50 % = target -> shortfall 0 -> 0 EUR.
    r2 = m[("R2", date(2026, 3, 1))]
    assert (r2["monthly_fee_eur"], r2["shortfall_points"], r2["malus_pct"], r2["exposure_eur"]) == (10000, 0, 0, 0)


def test_autumn_dst_and_winter_d_end():
    # D = 2026-11-15: D_end = 2026-11-16 00:00 CET = 2026-11-15 23:00 UTC.
    con = build(
        {
            "tickets": [
                # 2026-10-24 20:00 CEST (18:00 UTC) + 24 h elapsed = 2026-10-25 18:00 UTC = 19:00 CET
                # (clocks went back at 03:00). Resolved 19:30 CET -> breached, 24.5 h
                # (a wall-clock +24 h would end 20:00 and call it met).
                ticket(
                    "W1",
                    "P2",
                    "2026-10-24 20:00",
                    first_response_at="2026-10-24 21:00",
                    resolved_at="2026-10-25 19:30",
                    status="resolved",
                ),
                # Due 2026-11-16 00:30 CET = 23:30 UTC, after D_end (23:00 UTC) -> pending
                # (an UTC D_end of 2026-11-16 00:00 UTC would call it breached).
                ticket(
                    "W2",
                    "P2",
                    "2026-11-15 10:00",
                    response_due_at="2026-11-16 00:30",
                    resolution_due_at="2026-11-16 00:30",
                ),
                # Response 2026-11-16 00:15 CET is after D_end -> not happened; due 23:00 CET
                # (22:00 UTC) < D_end -> breached, first response not shown.
                ticket(
                    "W3",
                    "P2",
                    "2026-11-15 10:00",
                    first_response_at="2026-11-16 00:15",
                    response_due_at="2026-11-15 23:00",
                ),
                # R3 P1 has fractional targets 0.5 h / 1.5 h: due 10:30 / 11:30. Response 10:40
                # breached, resolved 11:20 met.
                ticket(
                    "W4",
                    "P1",
                    "2026-11-10 10:00",
                    account_id="R3",
                    first_response_at="2026-11-10 10:40",
                    resolved_at="2026-11-10 11:20",
                    status="resolved",
                ),
            ],
            "sla_policies": [
                *POLICIES,
                {
                    "account_id": "R3",
                    "priority": "P1",
                    "response_target_h": 0.5,
                    "resolution_target_h": 1.5,
                    "target_pct": 90,
                },
            ],
        },
        date(2026, 11, 15),
    )
    t = {r["ticket_id"]: r for r in rows(con, "select * from mart_ticket_sla")}
    assert t["W1"]["resolution_due"] == datetime(2026, 10, 25, 19, 0, tzinfo=BERLIN)
    assert t["W1"]["resolution_status"] == "breached"
    assert t["W1"]["resolution_h"] == pytest.approx(24.5)
    assert (t["W2"]["response_status"], t["W2"]["resolution_status"]) == ("pending", "pending")
    assert (t["W3"]["response_status"], t["W3"]["first_response_at"]) == ("breached", None)
    assert t["W4"]["response_due"] == datetime(2026, 11, 10, 10, 30, tzinfo=BERLIN)
    assert t["W4"]["resolution_due"] == datetime(2026, 11, 10, 11, 30, tzinfo=BERLIN)
    assert (t["W4"]["response_status"], t["W4"]["resolution_status"]) == ("breached", "met")
    # Backlog age of W2: 2026-11-15 09:00 UTC to 23:00 UTC = 14 h -> 0 days.
    assert (t["W2"]["backlog_age_days"], t["W2"]["backlog_bucket"]) == (0, "0-2 d")
    con.close()


# --- Sustainability ---------------------------------------------------------------------------
# Account G1: sites X1 1000 m2, X2 400 m2, X3 600 m2 (water only). Target: baseline 2025,
# target 2028, 30 % -> path 10 points a year from 2025 (2024 clamps to 0).
# Account G2: site Y1 100 m2; baseline 2021, target 2023 (in the past), 20 %.
# Account G3: site Z1 200 m2, no sustainability target.
# The export replaces district heating by a single 2025 row (0.1): the shipped 2024 default
# (0.280) is gone, so 2024 falls back to the earliest export year, 2025. It replaces heating oil
# by 2020 (0.3) and 2027 (0.9): for 2026 the latest earlier year 2020 wins over the nearer 2027.
# Shipped defaults used: electricity 2021 0.485, 2024 0.427; natural gas 2024 0.201.


def site(site_id, account_id, floor_area_m2):
    return {
        "site_id": site_id,
        "account_id": account_id,
        "site_name": f"Site {site_id}",
        "city": "Bonn",
        "country": "DE",
        "building_type": "office",
        "floor_area_m2": floor_area_m2,
    }


def reading(site_id, reading_date, carrier, quantity, unit="kwh"):
    return {"site_id": site_id, "reading_date": reading_date, "carrier": carrier, "quantity": quantity, "unit": unit}


ENERGY = {
    "sites": [
        site("X1", "G1", 1000),
        site("X2", "G1", 400),
        site("X3", "G1", 600),
        site("Y1", "G2", 100),
        site("Z1", "G3", 200),
    ],
    "meter_readings": [
        # 2024: DH 2000 x 0.1 = 200; electricity 1000 x 0.427 = 427 -> 3000 kWh, 627 kg; X1 only.
        reading("X1", "2024-05-10", "district_heating", 2000),
        reading("X1", "2024-06-10", "electricity", 1000),
        # 2025: X2 0 kWh (still a reading: floor area and coverage count it); X1 2 MWh
        # electricity x 0.427 (latest earlier 2024) = 854; gas 1000 x 0.201 = 201;
        # X3 water only -> 3000 kWh, 1055 kg, floor area 1000 + 400, water 50 m3.
        reading("X2", "2025-01-31", "electricity", 0),
        reading("X1", "2025-12-31", "electricity", 2, "mwh"),
        reading("X1", "2025-12-31", "natural_gas", 1000),
        reading("X3", "2025-03-01", "water", 50, "m3"),
        # 2026: electricity 1000 x 0.427 = 427; heating oil on D (2026-12-31) 500 x 0.3 (export
        # 2020) = 150 -> 1500 kWh, 577 kg; the reading of 2027-01-01 is after D.
        reading("X1", "2026-06-15", "electricity", 1000),
        reading("X2", "2026-12-31", "heating_oil", 500),
        reading("X2", "2027-01-01", "electricity", 99999),
        # G2: 2021 1000 x 0.485 = 485; 2025 1000 x 0.427 = 427.
        reading("Y1", "2021-03-01", "electricity", 1000),
        reading("Y1", "2025-03-01", "electricity", 1000),
        # G3: 100 x 0.427 = 42.7 kg.
        reading("Z1", "2025-05-01", "electricity", 100),
    ],
    "sustainability_targets": [
        {"account_id": "G1", "baseline_year": 2025, "target_year": 2028, "target_reduction_pct": 30},
        {"account_id": "G2", "baseline_year": 2021, "target_year": 2023, "target_reduction_pct": 20},
    ],
    "emission_factors": [
        {"carrier": "district_heating", "year": 2025, "kg_co2e_per_kwh": 0.1, "source": "Export DH 2025"},
        {"carrier": "heating_oil", "year": 2020, "kg_co2e_per_kwh": 0.3, "source": "Export oil 2020"},
        {"carrier": "heating_oil", "year": 2027, "kg_co2e_per_kwh": 0.9, "source": "Export oil 2027"},
    ],
}


@pytest.fixture(scope="module")
def energy():
    connection = build(ENERGY, date(2026, 12, 31))
    yield connection
    connection.close()


def yearly(con):
    return {(r["account_id"], r["year"]): r for r in rows(con, "select * from mart_sustainability_yearly")}


def test_export_replaces_carrier_and_earliest_year_fallback(energy):
    m = {(r["site_id"], r["month"], r["carrier"]): r for r in rows(energy, "select * from mart_energy_monthly")}
    dh = m[("X1", date(2024, 5, 1), "district_heating")]
    assert (dh["factor_year"], dh["factor_source"]) == (2025, "Export DH 2025")
    assert dh["kg_co2e"] == pytest.approx(200)
    assert m[("X1", date(2025, 12, 1), "electricity")]["kwh"] == 2000
    assert m[("X1", date(2025, 12, 1), "electricity")]["kg_co2e"] == pytest.approx(854)
    oil = m[("X2", date(2026, 12, 1), "heating_oil")]
    assert (oil["factor_year"], oil["factor_source"]) == (2020, "Export oil 2020")
    assert oil["kg_co2e"] == pytest.approx(150)
    assert ("X2", date(2027, 1, 1), "electricity") not in m


def test_yearly_floor_area_water_and_intensities(energy):
    y = yearly(energy)
    assert set(y) == {("G1", 2024), ("G1", 2025), ("G1", 2026), ("G2", 2021), ("G2", 2025), ("G3", 2025)}
    r2024, r2025, r2026 = y[("G1", 2024)], y[("G1", 2025)], y[("G1", 2026)]
    assert (r2024["kwh"], r2024["floor_area_m2"]) == (3000, 1000)
    assert r2024["kg_co2e"] == pytest.approx(627)
    # 2025: X2's 0 kWh reading adds its 400 m2; X3 (water only) adds nothing; water kept apart.
    assert (r2025["kwh"], r2025["floor_area_m2"], r2025["water_m3"]) == (3000, 1400, 50)
    assert r2025["kg_co2e"] == pytest.approx(1055)
    assert r2025["eui_kwh_m2"] == pytest.approx(3000 / 1400)
    assert r2025["co2e_kg_m2"] == pytest.approx(1055 / 1400)
    assert (r2026["kwh"], r2026["floor_area_m2"]) == (1500, 1400)
    assert r2026["kg_co2e"] == pytest.approx(577)


def test_reduction_path_and_on_track_around_the_baseline(energy):
    y = yearly(energy)
    # 2024 (before the baseline): path 30 x (-1) / 3 = -10 -> 0; reduction (1055 - 627) / 1055.
    assert y[("G1", 2024)]["target_path_pct"] == 0
    assert y[("G1", 2024)]["reduction_pct"] == pytest.approx(42800 / 1055)
    assert y[("G1", 2024)]["on_track"] is True
    assert (y[("G1", 2025)]["reduction_pct"], y[("G1", 2025)]["target_path_pct"], y[("G1", 2025)]["on_track"]) == (
        0,
        0,
        True,
    )
    # 2026 = year of D, even on 31 December: path 10, reduction (1055 - 577) / 1055, not judged.
    assert y[("G1", 2026)]["target_path_pct"] == pytest.approx(10)
    assert y[("G1", 2026)]["reduction_pct"] == pytest.approx(47800 / 1055)
    assert y[("G1", 2026)]["on_track"] is None
    # G2, target year 2023 in the past: path 20 x 4 / 2 = 40 -> clamped 20; reduction
    # (485 - 427) / 485 = 11.96 % < 20 -> not on track.
    assert y[("G2", 2025)]["target_path_pct"] == 20
    assert y[("G2", 2025)]["reduction_pct"] == pytest.approx(5800 / 485)
    assert y[("G2", 2025)]["on_track"] is False


def test_no_target_means_no_reduction_path_or_judgement(energy):
    # G3 has no sustainability target: there is no baseline and no path (NULL, not a 0 % path;
    # DuckDB's greatest(0, NULL) would give 0).
    g3 = yearly(energy)[("G3", 2025)]
    assert g3["kg_co2e"] == pytest.approx(42.7)
    assert (g3["reduction_pct"], g3["target_path_pct"], g3["on_track"]) == (None, None, None)


def test_coverage_on_the_last_day_of_the_year(energy):
    y = yearly(energy)
    # 2024: 3 sites x 12 = 36 pairs; X1 May, X1 Jun -> 2 / 36.
    assert y[("G1", 2024)]["coverage_pct"] == pytest.approx(200 / 36)
    # 2025: X2 Jan (0 kWh counts), X1 Dec; X3 water does not count -> 2 / 36.
    assert y[("G1", 2025)]["coverage_pct"] == pytest.approx(200 / 36)
    # 2026, D = 12-31: last complete month is November -> 3 x 11 = 33 pairs; X1 Jun only
    # (X2's December reading is not in months 1-11) -> 1 / 33.
    assert y[("G1", 2026)]["coverage_pct"] == pytest.approx(100 / 33)
    gaps = rows(energy, "select count(*) as n from mart_coverage_gaps where account_id = 'G1' and year(month) = 2026")
    assert gaps == [{"n": 32}]


def test_year_of_d_becomes_complete_on_new_year():
    con = build(ENERGY, date(2027, 1, 1))
    y = yearly(con)
    # 2026 is now complete: 12 months -> X1 Jun, X2 Dec -> 2 / 36; on_track judged: 45.3 >= 10.
    assert y[("G1", 2026)]["coverage_pct"] == pytest.approx(200 / 36)
    assert y[("G1", 2026)]["on_track"] is True
    # 2027 (year of D, January): 99999 kWh x 0.427 (electricity 2027 -> 2024); floor area X2 only;
    # no complete month -> coverage NULL; path 30 x 2 / 3 = 20; on_track NULL.
    r2027 = y[("G1", 2027)]
    assert (r2027["kwh"], r2027["floor_area_m2"], r2027["coverage_pct"], r2027["on_track"]) == (99999, 400, None, None)
    assert r2027["kg_co2e"] == pytest.approx(99999 * 0.427)
    assert r2027["target_path_pct"] == pytest.approx(20)
    con.close()
