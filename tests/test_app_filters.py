"""The global-filter macros of sql/macros/app_filters.sql that every query file calls.

A built database has them (kamdata.build.marts creates the file after the marts,
since the table macro filtered_tickets is bound to mart_ticket_sla).
"""

from datetime import date

import pytest
from marts_fixture import build, rows
from marts_fixture import ticket as fixture_ticket


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
