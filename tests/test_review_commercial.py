"""The review's commercial sections (kamdata/review/commercial.py): contracts and renewal, growth,
sustainability, team. Hand-worked values on the app fixture (tests/app_fixture.py, D = 2026-11-26,
last complete month October 2026) and on a small database of this module ("commercial_db": the app
fixture's export set plus the rows in ADDED, worked out below); every table equals its mart read with
direct SQL; both languages build without a missing text key."""

from __future__ import annotations

import json
from datetime import date

import duckdb
import pandas as pd
import pytest

from kamdata import query
from kamdata.app import formats as fmt
from kamdata.review import commercial
from kamdata.review.context import Context
from kamdata.review.model import display
from kamdata.settings import min_group_size
from tests.app_fixture import EXTRA_TICKETS
from tests.exportset import BASE_ROWS, base_row, build_fixture_db

# Added to the base export set (as of 2026-11-26; last complete month L = October 2026):
# - A3 "Klinik Süd" (industry health, like A1) with C3 security, active since 2025.
# - C4 A1 catering 2025-06-01 .. 2027-03-31, 60 000 €/year, 90 days notice:
#   deadline = 2027-03-31 - 90 days = 2026-12-31; D <= 2026-12-31 <= D + 180 -> in the renewal window.
#   A1's ACV at D = C1 480 000 + C4 60 000 = 540 000 €; next notice deadline 2026-12-31 (C4).
# - Cross-sell for A1: security is held by A3 only; health has A1 and A3 -> 1 of 2 = 50 % >= 0.5 -> suggestion.
# - Revenue of A1 (recent = Nov 2025 .. Oct 2026, prior = Nov 2024 .. Oct 2025):
#   prior: Oct 2025 32 000.  recent: Oct 2026 cleaning 40 000 (cost 31 000, base row) + catering 10 000 (no cost);
#   Sep 2026 catering 8 000 (cost 6 000) + cleaning 2 000 (cost 1 000).
#   recent = 40 000 + 10 000 + 8 000 + 2 000 = 60 000; growth = (60 000 - 32 000) / 32 000 = 87.5 %.
#   margin (rows with a cost) = (40 000 + 8 000 + 2 000 - (31 000 + 6 000 + 1 000)) / 50 000 = 24.0 %.
#   Sep 2026 margin from the sums: (10 000 - 7 000) / 10 000 = 30.0 % (the mean of 25 % and 50 % would be 37.5 %).
# - Opportunities of A1: O2 won (not open), O3 catering negotiation 50 000 € closing 01.11.2026 (before D):
#   open = O1 120 000 + O3 50 000 = 170 000 €.
# - Team of A2: E1 kam 40 % (base) + E2 technician 20 % + E4 technician 50 % = 3 members.
#   October 2026 has 22 weekdays: capacity E1 40 h -> 176 h, E2 38.5 h -> 169.4 h, E4 40 h -> 176 h.
#   allocated = 176 x 0.4 + 169.4 x 0.2 + 176 x 0.5 = 70.4 + 33.88 + 88 = 192.28 h;
#   booked on A2 in October: E1 10 h + E4 20 h = 30 h; load = 30 / 192.28 = 15.602 %.
# - Meter readings of S1 (A1, target: baseline 2022, -40 % by 2030), only factor: electricity 2026 0.38:
#   2022: 20 000 kWh -> 7 600 kg; 2025: 10 000 kWh -> 3 800 kg; reduction 2025 = 50 %,
#   path 2025 = 40 x (2025 - 2022) / 8 = 15 % -> on track.
ADDED = {
    "accounts": [base_row("accounts", account_id="A3", account_name="Klinik Süd", industry="health")],
    "contracts": [
        base_row(
            "contracts",
            contract_id="C3",
            account_id="A3",
            service_line="security",
            start_date=date(2025, 1, 1),
            end_date=None,
            annual_value_eur=100000.0,
            notice_period_days=30,
        ),
        base_row(
            "contracts",
            contract_id="C4",
            service_line="catering",
            start_date=date(2025, 6, 1),
            end_date=date(2027, 3, 31),
            annual_value_eur=60000.0,
            notice_period_days=90,
            auto_renew=False,
        ),
    ],
    "revenue": [
        base_row("revenue", month=date(2025, 10, 1), revenue_eur=32000.0, cost_eur=25000.0),
        base_row("revenue", service_line="catering", revenue_eur=10000.0, cost_eur=None),
        base_row("revenue", month=date(2026, 9, 1), service_line="catering", revenue_eur=8000.0, cost_eur=6000.0),
        base_row("revenue", month=date(2026, 9, 1), revenue_eur=2000.0, cost_eur=1000.0),
    ],
    "opportunities": [
        base_row("opportunities", opportunity_id="O2", stage="won"),
        base_row(
            "opportunities",
            opportunity_id="O3",
            service_line="catering",
            stage="negotiation",
            expected_value_eur=50000.0,
            expected_close=date(2026, 11, 1),
        ),
    ],
    "employees": [
        base_row(
            "employees",
            employee_id="E4",
            name="Cem Yilmaz",
            department="Technical Service",
            role="Technician",
            email=None,
        )
    ],
    "account_team": [
        base_row("account_team", account_id="A2", employee_id="E2", team_role="technician", allocation_pct=20.0),
        base_row("account_team", account_id="A2", employee_id="E4", team_role="technician", allocation_pct=50.0),
    ],
    "time_bookings": [
        base_row("time_bookings", booking_id="B3", account_id="A2", booking_date=date(2026, 10, 14), hours=10.0),
        base_row(
            "time_bookings",
            booking_id="B4",
            employee_id="E4",
            account_id="A2",
            booking_date=date(2026, 10, 15),
            hours=20.0,
        ),
    ],
    "meter_readings": [
        base_row("meter_readings", reading_date=date(2022, 6, 30), quantity=20000.0),
        base_row("meter_readings", reading_date=date(2025, 6, 30), quantity=10000.0),
    ],
}


@pytest.fixture(scope="module")
def commercial_db(tmp_path_factory):
    a1_policies = [row for row in BASE_ROWS["sla_policies"] if row["account_id"] == "A1"]
    tickets = EXTRA_TICKETS
    add = {**ADDED, "tickets": tickets}
    return build_fixture_db(tmp_path_factory.mktemp("review-commercial"), rows={"sla_policies": a1_policies}, add=add)


def _ctx(db_path, account_id: str, lang: str = "de") -> Context:
    version = query.current_version(db_path)
    params = query.run(version, "kpi_params", {}).iloc[0]
    return Context(version, account_id, lang, None, params)


def _sql(db_path, sql: str, *params) -> pd.DataFrame:
    con = duckdb.connect(str(db_path.resolve()), read_only=True)
    try:
        return con.execute(sql, list(params)).df()
    finally:
        con.close()


def _same(actual, expected) -> None:
    """Column values equal (NULL = NULL, floats within the KPIS.md tolerance 0.01)."""
    a, e = list(actual), list(expected)
    assert len(a) == len(e), (a, e)
    for x, y in zip(a, e, strict=True):
        if fmt.missing(y):
            assert fmt.missing(x), (x, y)
        elif isinstance(y, float):
            assert x == pytest.approx(y, abs=0.01), (a, e)
        else:
            assert x == y, (a, e)


# ------------------------------------------------------------------ contracts


def test_contracts_on_the_app_fixture(app_db):
    # C1 A1 cleaning 2024-01-01 .. 2026-12-31, 480 000 €, 90 days: active at D -> ACV 480 000 €;
    # deadline 2026-12-31 - 90 days = 2026-10-02, before D -> not in the renewal window, no next deadline.
    section = commercial.contracts(_ctx(app_db, "A1"))
    assert section.figure("acv").value == 480000.0
    assert section.figure("acv").text("de") == "480.000 €"
    assert section.figure("next_notice_deadline").value is None
    row = section.table("contracts").frame.iloc[0]
    assert (row["contract_id"], row["notice_deadline"], bool(row["in_renewal_window"])) == (
        "C1",
        pd.Timestamp("2026-10-02"),
        False,
    )
    assert row["in_renewal_window_text"] == "nein" and row["service_line"] == "Reinigung"
    # no revenue before October 2026: growth n/a, said in a note; margin (40 000 - 31 000) / 40 000 = 22.5 %
    assert section.figure("revenue_growth").value is None and section.figure("revenue_growth").note
    assert section.figure("margin").value == pytest.approx(22.5)
    # C2 of A2 has no end date: no notice deadline
    a2 = commercial.contracts(_ctx(app_db, "A2")).table("contracts").frame
    assert list(a2["contract_id"]) == ["C2"] and pd.isna(a2["notice_deadline"].iloc[0])


def test_contracts_renewal_window_and_revenue_growth(commercial_db):
    section = commercial.contracts(_ctx(commercial_db, "A1"))
    assert section.figure("acv").value == 540000.0
    assert section.figure("next_notice_deadline").value == pd.Timestamp("2026-12-31")
    assert "C4" in section.figure("next_notice_deadline").note
    table = section.table("contracts")
    assert table.highlight == "in_renewal_window"
    assert list(table.frame.loc[table.frame["in_renewal_window"], "contract_id"]) == ["C4"]
    assert any("C4" in text and "31.12.2026" in text for text in section.texts)
    # One contract: the sentence says so in the singular, not "1 Vertrag/Verträge".
    assert any(text.startswith("1 Vertrag im Verlängerungsfenster") for text in section.texts)
    english = commercial.contracts(_ctx(commercial_db, "A1", "en"))
    assert any(text.startswith("1 contract in the renewal window") for text in english.texts)
    assert section.figure("revenue_12m").value == 60000.0
    assert section.figure("revenue_prior_12m").value == 32000.0
    assert section.figure("revenue_growth").value == pytest.approx(87.5)
    assert section.figure("revenue_growth").text("de") == "87,5 %"
    assert section.figure("margin").value == pytest.approx(24.0)
    monthly = section.table("revenue_monthly").frame.set_index("month")
    assert monthly.loc[date(2026, 9, 1), "margin_pct"] == pytest.approx(30.0)  # from sums, not 37.5
    assert monthly.loc[date(2026, 10, 1), "revenue_eur"] == 50000.0
    assert section.figure("revenue_growth").window == (
        "12 Monate: November 2025 – Oktober 2026 gegenüber 12 Monate: November 2024 – Oktober 2025"
    )
    assert [c.key for c in section.charts] == ["revenue_monthly"]


# ------------------------------------------------------------------ growth


def test_growth_pipeline_and_cross_sell_reason(commercial_db):
    section = commercial.growth(_ctx(commercial_db, "A1"))
    assert section.figure("open_pipeline").value == 170000.0  # O1 120 000 + O3 50 000; O2 is won
    opportunities = section.table("opportunities").frame
    assert list(opportunities["opportunity_id"]) == ["O3", "O1"]  # nearest expected close first
    assert list(opportunities["close_passed"]) == [True, False]  # O3 should have closed on 01.11.2026
    assert list(opportunities["stage"]) == ["Verhandlung", "Angebot"]
    white = section.table("whitespace").frame.set_index("service_line")
    reason = "1 von 2 Accounts der Branche Gesundheitswesen haben Sicherheitsdienst (50 %)"
    assert white.loc["Sicherheitsdienst", "reason"] == reason
    assert bool(white.loc["Sicherheitsdienst", "cross_sell"])
    assert section.texts == [f"Cross-Selling-Vorschlag Sicherheitsdienst: {reason}."]
    # technical (held by A2, logistics) is white space but no suggestion: 0 of 2 health accounts
    assert not bool(white.loc["Technical", "cross_sell"]) and white.loc["Technical", "industry_holders"] == 0
    english = commercial.growth(_ctx(commercial_db, "A1", "en")).table("whitespace").frame
    assert "1 of 2 accounts in the Healthcare industry hold Security (50%)" in list(english["reason"])


def test_growth_never_names_another_account(commercial_db):
    section = commercial.growth(_ctx(commercial_db, "A1"))
    shown = " ".join(section.texts) + " ".join(
        " ".join(str(v) for v in t.shown().to_numpy().ravel()) for t in section.tables
    )
    assert "Klinik Süd" not in shown and "A3" not in shown and "Logistik" not in shown


# ------------------------------------------------------------------ sustainability


def test_sustainability_years_sites_and_running_year(commercial_db):
    section = commercial.sustainability(_ctx(commercial_db, "A1"))
    assert section.figure("reduction").value == pytest.approx(50.0)
    assert section.figure("target_path").value == pytest.approx(15.0)
    assert section.figure("reduction").note == "auf Kurs"
    assert section.figure("energy_mwh").value == pytest.approx(10.0)  # 10 000 kWh in 2025
    assert section.figure("energy_mwh").window == "Kalenderjahr 2025"
    years = section.table("years").frame.set_index("year")
    assert list(years.index) == ["2022", "2025", "2026 (laufend)"]
    assert years.loc["2026 (laufend)", "status"] == "laufendes Jahr (nicht bewertet)"
    # the running year like for like: January-October 2026 against January-October 2022
    # (4 691.328 kg vs 7 600 kg) = 38.27 %, the Sustainability page's figure
    assert years.loc["2026 (laufend)", "reduction_pct"] == pytest.approx((7600 - 4691.328) / 7600 * 100)
    assert [c.key for c in section.charts] == ["target_path"]
    sites = section.table("top_sites").frame
    assert list(sites["site_name"]) == ["Haus A"] and section.table("top_sites").window == "Kalenderjahr 2025"


def test_sustainability_without_target(app_db):
    section = commercial.sustainability(_ctx(app_db, "A2"))
    assert "kein Reduktionsziel" in " ".join(section.texts)
    assert [c.key for c in section.charts] == ["co2e"]
    assert "reduction_pct" not in [c.key for c in section.table("years").columns]
    assert section.table("years").frame["year"].tolist() == ["2026 (laufend)"]  # partial, not judged
    assert not section.figures  # no complete year yet: no yearly key figures


# ------------------------------------------------------------------ team


def test_team_withheld_below_the_minimum_group_size(app_db):
    # A1's team: E1 (kam) and E2 (technician) = 2 people < app.min_group_size 3 -> hours and load n/a
    section = commercial.team(_ctx(app_db, "A1"))
    assert section.figure("members").value == 2
    for key in ("allocated_h", "booked_h", "load"):
        assert section.figure(key).value is None and "3 Personen" in section.figure(key).note
        assert section.figure(key).text("de") == fmt.na("de")
    assert any("3 Personen" in text for text in section.texts)
    frame = section.table("team").frame
    assert sorted(zip(frame["team_role"], frame["members"], strict=True)) == [
        ("Key Account Manager", 1),
        ("Technik", 1),
    ]
    assert set(frame.columns) == {"team_role", "department", "members"}  # no per-person figure, no name


def test_team_load_from_three_people(commercial_db):
    section = commercial.team(_ctx(commercial_db, "A2"))
    assert section.figure("members").value == 3
    assert section.figure("allocated_h").value == pytest.approx(192.28)
    assert section.figure("booked_h").value == pytest.approx(30.0)
    assert section.figure("load").value == pytest.approx(30 / 192.28 * 100)
    assert section.figure("load").window == "Oktober 2026 (letzter abgeschlossener Monat)"
    assert not section.texts
    health = _sql(commercial_db, "select team_max_utilisation_pct from mart_account_health where account_id = 'A2'")
    assert section.figure("max_utilisation").value == pytest.approx(health.iloc[0, 0])
    # a stricter rule (4 people) withholds the same team's hours
    strict = commercial.team(_ctx(commercial_db, "A2"), group_size=4)
    assert strict.figure("load").value is None and "4 Personen" in strict.texts[0]


def test_min_group_size_is_the_app_setting(tmp_path, monkeypatch):
    overlay = tmp_path / "settings.toml"
    overlay.write_text("[app]\nmin_group_size = 5\n", encoding="utf-8")
    monkeypatch.setenv("KAM_SETTINGS", str(overlay))
    assert min_group_size() == 5


# ------------------------------------------------------------------ tables equal the marts


@pytest.mark.parametrize("account_id", ["A1", "A2", "A3"])
def test_tables_equal_the_marts(commercial_db, account_id):
    db = commercial_db
    ctx = _ctx(db, account_id)
    contracts = commercial.contracts(ctx)
    mart = _sql(
        db,
        "select * from mart_contracts where account_id = ? order by is_active desc, notice_deadline nulls last, "
        "end_date nulls last, contract_id",
        account_id,
    )
    table = contracts.table("contracts").frame
    for column in ("contract_id", "annual_value_eur", "notice_deadline", "end_date", "notice_period_days"):
        _same(table[column], mart[column])
    _same(table["in_renewal_window"], mart["in_renewal_window"].fillna(False))
    accounts = _sql(db, "select * from mart_accounts where account_id = ?", account_id).iloc[0]
    for key, column in (
        ("acv", "acv_eur"),
        ("revenue_12m", "revenue_12m_eur"),
        ("revenue_prior_12m", "revenue_prior_12m_eur"),
        ("revenue_growth", "revenue_growth_pct"),
        ("margin", "margin_pct"),
    ):
        _same([contracts.figure(key).value], [accounts[column]])
    revenue = _sql(
        db,
        "select month, sum(revenue_eur) as revenue_eur from mart_revenue_monthly where account_id = ? "
        "and month between date '2024-11-01' and date '2026-10-01' group by month order by month",
        account_id,
    )
    if revenue.empty:
        assert not [t for t in contracts.tables if t.key == "revenue_monthly"]
    else:
        monthly = contracts.table("revenue_monthly").frame
        _same(monthly["revenue_eur"], revenue["revenue_eur"])
        # the 12 recent months sum to the mart's 12-month revenue
        assert monthly.loc[monthly["month"] >= date(2025, 11, 1), "revenue_eur"].sum() == pytest.approx(
            accounts["revenue_12m_eur"]
        )

    growth = commercial.growth(ctx)
    open_opps = _sql(
        db,
        "select * from stg_opportunities where account_id = ? and stage not in ('won', 'lost') "
        "order by expected_close nulls last, expected_value_eur desc, opportunity_id",
        account_id,
    )
    if not open_opps.empty:
        _same(growth.table("opportunities").frame["expected_value_eur"], open_opps["expected_value_eur"])
    _same([growth.figure("open_pipeline").value], [float(open_opps["expected_value_eur"].sum())])
    white = _sql(
        db,
        "select * from mart_cross_sell where account_id = ? and is_whitespace "
        "order by is_cross_sell desc, industry_share_pct desc, service_line",
        account_id,
    )
    frame = growth.table("whitespace").frame
    _same(frame["industry_share_pct"], white["industry_share_pct"])
    _same(frame["industry_holders"], white["industry_holders"])
    _same(frame["cross_sell"], white["is_cross_sell"])

    sustainability = commercial.sustainability(ctx)
    yearly = _sql(db, "select * from mart_sustainability_yearly where account_id = ? order by year", account_id)
    if yearly.empty:
        assert sustainability.empty
    else:
        years = sustainability.table("years").frame
        _same(years["mwh"], yearly["kwh"] / 1000)
        _same(years["t_co2e"], yearly["kg_co2e"] / 1000)
        _same(years["eui_kwh_m2"], yearly["eui_kwh_m2"])
        _same(years["coverage_pct"], yearly["coverage_pct"])
        complete = yearly["year"] < 2026
        _same(years.loc[complete.to_numpy(), "reduction_pct"], yearly.loc[complete, "reduction_pct"])
    for table in sustainability.tables:
        if table.key == "top_sites":
            sites = _sql(
                db,
                "select * from mart_site_energy_yearly where account_id = ? and year = 2025 and kwh is not null "
                "order by kwh desc, site_name",
                account_id,
            )
            _same(table.frame["mwh"], sites["kwh"] / 1000)
            _same(table.frame["coverage_pct"], sites["coverage_pct"])

    team = commercial.team(ctx)
    members = _sql(
        db,
        "select t.team_role, e.department, count(*) as members from stg_account_team t "
        "join stg_employees e using (employee_id) where account_id = ? group by all",
        account_id,
    )
    if members.empty:
        assert team.empty
    else:
        assert team.table("team").frame["members"].sum() == members["members"].sum()
        load = _sql(
            db,
            "select sum(allocated_h) a, sum(booked_on_account_h) b from mart_account_team_load "
            "where account_id = ? and month = date '2026-10-01'",
            account_id,
        ).iloc[0]
        if members["members"].sum() >= 3:
            _same([team.figure("allocated_h").value, team.figure("booked_h").value], [load["a"], load["b"]])


# ------------------------------------------------------------------ both languages


@pytest.mark.parametrize("lang", ["de", "en"])
@pytest.mark.parametrize("account_id", ["A1", "A2", "A3"])
def test_both_languages_every_figure_says_its_window(commercial_db, account_id, lang):
    ctx = _ctx(commercial_db, account_id, lang)
    for build in (commercial.contracts, commercial.growth, commercial.sustainability, commercial.team):
        section = build(ctx)
        assert section.title
        for figure in section.figures:
            assert figure.label and figure.window
            figure.text(lang)
        for chart in section.charts:
            assert chart.title and chart.window and chart.spec["width"] == 640
            json.dumps(chart.spec)  # the PDF renders it with vl-convert: plain JSON only (no date objects)
        for table in section.tables:
            assert table.title and table.window and all(c.label for c in table.columns)
            for column in table.columns:
                for value in table.frame[column.key]:
                    display(value, column.kind, lang, column.decimals)


def test_every_text_key_has_both_languages():
    from kamdata.app import i18n

    keys = i18n.all_keys("review_commercial")
    assert len(keys) > 50
    for key in keys:
        node = i18n.texts("review_commercial")
        for part in key.split(".")[1:]:
            node = node[part]
        assert set(node) == {"de", "en"} and node["de"] and node["en"], key
