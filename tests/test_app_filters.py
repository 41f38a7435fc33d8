"""The global-filter macros of sql/macros/app_filters.sql that every query file calls.

A built database has them (kamdata.build.marts creates the file after the marts,
since the table macro filtered_tickets is bound to mart_ticket_sla).
"""

from datetime import date

import pytest
from marts_fixture import build, rows
from marts_fixture import ticket as fixture_ticket

from kamdata.app import formats as fmt


def ticket(ticket_id, account_id, service_line, created_at):
    return fixture_ticket(ticket_id, "P1", created_at, account_id, service_line=service_line)


TICKETS = [
    ticket("T1", "A1", "hvac", "2026-03-01 08:00"),
    ticket("T2", "A1", "cleaning", "2026-03-31 23:30"),  # Berlin creation date 31.03.
    ticket("T3", "A2", "hvac", "2026-04-01 00:30"),
]


@pytest.fixture(scope="module")
def con():
    connection = build({"tickets": TICKETS}, date(2026, 4, 15))
    yield connection
    connection.close()


def value(con, sql, params=None):
    return con.execute(sql, params or {}).fetchone()[0]


def test_in_filter_null_selects_all_and_empty_list_nothing(con):
    assert value(con, "select in_filter($f, 'a')", {"f": None}) is True
    assert value(con, "select in_filter($f, 'a')", {"f": ["a", "b"]}) is True
    assert value(con, "select in_filter($f, 'a')", {"f": ["b"]}) is False
    assert value(con, "select in_filter($f, 'a')", {"f": []}) is False


@pytest.mark.parametrize(
    ("macro", "inside", "outside"),
    [
        # period 10.03. - 20.04.2026, both ends inclusive
        ("day_in_period", ["2026-03-10", "2026-04-20"], ["2026-03-09", "2026-04-21"]),
        # months that overlap it: March and April
        ("month_in_period", ["2026-03-01", "2026-04-01"], ["2026-02-01", "2026-05-01"]),
    ],
)
def test_periods(con, macro, inside, outside):
    sql = f"select {macro}($d::date, $date_from, $date_to)"
    period = {"date_from": date(2026, 3, 10), "date_to": date(2026, 4, 20)}
    assert [value(con, sql, {"d": d, **period}) for d in inside] == [True, True]
    assert [value(con, sql, {"d": d, **period}) for d in outside] == [False, False]
    assert value(con, sql, {"d": outside[0], "date_from": None, "date_to": None}) is True


def test_year_in_period(con):
    sql = "select year_in_period($y, $date_from, $date_to)"
    period = {"date_from": date(2025, 12, 31), "date_to": date(2026, 1, 1)}
    assert [value(con, sql, {"y": y, **period}) for y in (2024, 2025, 2026, 2027)] == [False, True, True, False]
    assert value(con, sql, {"y": 1990, "date_from": None, "date_to": None}) is True


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        (
            {"accounts": None, "service_lines": None, "date_from": None, "date_to": None},
            ["T1", "T2", "T3"],
        ),
        ({"accounts": ["A1"], "service_lines": None, "date_from": None, "date_to": None}, ["T1", "T2"]),
        ({"accounts": ["A2"], "service_lines": None, "date_from": None, "date_to": None}, ["T3"]),
        (
            {"accounts": None, "service_lines": ["hvac"], "date_from": None, "date_to": None},
            ["T1", "T3"],
        ),
        (
            {
                "accounts": None,
                "service_lines": None,
                "date_from": date(2026, 3, 31),
                "date_to": date(2026, 3, 31),
            },
            ["T2"],
        ),
        ({"accounts": [], "service_lines": None, "date_from": None, "date_to": None}, []),
    ],
)
def test_filtered_tickets_applies_every_global_filter(con, params, expected):
    sql = """select ticket_id from filtered_tickets($accounts, $service_lines, $date_from, $date_to)
             order by ticket_id"""
    assert [r["ticket_id"] for r in rows(con, sql, params)] == expected


# --- URL values of the global filters (kamdata.app.filters) on the app fixture (tests/app_fixture.py):
# A1 "Klinikum Nord" (industry health, region Nord, KAM E1 "Anna Schmidt"), A2 "Logistik Süd GmbH"
# (logistics, Süd); service lines "cleaning" and "technical".


def test_the_url_holds_codes_and_a_german_link_opens_the_same_view_in_english(run_app):
    at = run_app(lang="de")
    assert at.multiselect(key="industries").options == ["Gesundheitswesen", "Logistik"]
    at.multiselect(key="industries").set_value(["health"])
    at.multiselect(key="lines").set_value(["cleaning"])
    at.multiselect(key="accounts").set_value(["A1"]).run()
    url = {key: at.query_params[key] for key in ("industries", "lines", "accounts")}
    assert url == {"industries": "health", "lines": "cleaning", "accounts": "A1"}
    english = run_app(lang="en", **url)
    assert english.multiselect(key="industries").options == ["Healthcare", "Logistics"]
    assert english.multiselect(key="industries").value == ["health"]
    assert english.multiselect(key="lines").value == ["cleaning"]
    assert english.session_state["filters"] == at.session_state["filters"]
    assert not english.warning


def test_old_label_links_are_mapped_to_their_codes(run_app):
    # German labels opened in English, the KAM and account by name, the region by its data value.
    at = run_app(
        lang="en", industries=["Gesundheitswesen"], lines=["Reinigung"], kams=["Anna Schmidt"], regions=["nord"]
    )
    assert at.multiselect(key="industries").value == ["health"]
    assert at.multiselect(key="lines").value == ["cleaning"]
    assert at.multiselect(key="kams").value == ["E1"]
    assert at.multiselect(key="regions").value == ["Nord"]
    # ... and the URL is rewritten with the codes
    assert (at.query_params["industries"], at.query_params["lines"], at.query_params["kams"]) == (
        "health",
        "cleaning",
        "E1",
    )
    assert not at.warning


def test_unknown_url_values_are_named_in_a_notice(run_app):
    at = run_app(accounts=["A1", "A99"], regions=["Atlantis"], period=["2026-13-01"])
    assert at.multiselect(key="accounts").value == ["A1"]
    assert at.multiselect(key="regions").value == []
    assert [w.value for w in at.warning] == [
        "Filter „Region“ ignoriert: unbekannter Wert „Atlantis“. Angezeigt wird die Ansicht ohne diesen Wert.",
        "Filter „Accounts“ ignoriert: unbekannter Wert „A99“. Angezeigt wird die Ansicht ohne diesen Wert.",
        # the period falls back to its default; the value is markdown-escaped (shown as typed)
        f"Filter „Zeitraum“ ignoriert: unbekannter Wert „{fmt.md_escape('2026-13-01')}“. Angezeigt wird die Ansicht "
        "ohne diesen Wert.",
    ]
    assert at.date_input(key="period").value == (date(2025, 12, 1), date(2026, 11, 26))
    # The notice stays on reruns until its filter is changed.
    at.run()
    assert len(at.warning) == 3
    at.multiselect(key="regions").set_value(["Süd"]).run()
    assert [w.value.split(":")[0] for w in at.warning] == ["Filter „Accounts“ ignoriert", "Filter „Zeitraum“ ignoriert"]


def test_english_notice_and_several_values(run_app):
    at = run_app(lang="en", industries=["mining", "space"])
    assert [w.value for w in at.warning] == [
        "Filter “Industry” ignored: unknown values “mining”, “space”. The view is shown without them."
    ]


def test_reset_clears_every_filter_and_the_url(run_app):
    at = run_app(
        regions=["Nord"], industries=["health"], kams=["E1"], accounts=["A1"], lines=["technical"],
        period=["2026-01-01", "2026-06-30"],
    )  # fmt: skip
    assert at.session_state["filters"].accounts_in_filter == ("A1",)
    at.button(key="reset_filters").click().run()
    assert {key: at.multiselect(key=key).value for key in ("regions", "industries", "kams", "accounts", "lines")} == {
        "regions": [],
        "industries": [],
        "kams": [],
        "accounts": [],
        "lines": [],
    }
    assert at.date_input(key="period").value == (date(2025, 12, 1), date(2026, 11, 26))
    assert dict(at.query_params) == {}  # German is the default language: no ?lang= either
    assert at.session_state["filters"].params() == {
        "accounts": None,
        "service_lines": None,
        "date_from": date(2025, 12, 1),
        "date_to": date(2026, 11, 26),
    }


def test_a_page_switch_keeps_the_filters_and_writes_them_back(run_app):
    at = run_app(accounts=["A2"])
    at.switch_page("app_pages/sla.py").run()
    assert at.session_state["filters"].accounts_in_filter == ("A2",)
    assert at.query_params["accounts"] == "A2"
