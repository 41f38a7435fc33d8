"""Value parsing (sql/staging/_parse_macros.sql) and file discovery, without a full build."""

from datetime import UTC, date, datetime

import duckdb
import pytest

from kamdata.build.readers import discover, table_for_file
from kamdata.build.runner import PARSE_MACROS

UTC = UTC


@pytest.fixture(scope="module")
def con():
    con = duckdb.connect()
    con.execute("set TimeZone = 'UTC'")  # results are compared as UTC instants
    con.execute(PARSE_MACROS.read_text(encoding="utf-8"))
    yield con
    con.close()


def value(con, sql, *params):
    return con.execute(f"select {sql}", list(params)).fetchone()[0]


@pytest.mark.parametrize(
    "text, dialect, expected",
    [
        ("1.234,5", "german", 1234.5),
        ("1.234", "german", 1234.0),  # in German files "." only separates thousands
        ("1.234.567,25", "german", 1234567.25),
        ("-0,5", "german", -0.5),
        ("12345,6", "german", 12345.6),
        ("1.5", "german", None),  # not a valid thousands grouping
        ("1,5", "standard", None),
        ("1234.5", "standard", 1234.5),
        ("-1.5e3", "standard", -1500.0),
        (" 42 ", "standard", 42.0),
        ("", "standard", None),
        ("abc", "german", None),
    ],
)
def test_decimal(con, text, dialect, expected):
    assert value(con, "kam_decimal(?, ?)", text, dialect) == expected


@pytest.mark.parametrize(
    "text, dialect, expected",
    [
        ("7", "standard", 7),
        ("7.0", "standard", 7),
        ("7.5", "standard", None),
        ("1.000", "german", 1000),
        ("3000000000", "standard", None),
    ],
)
def test_integer(con, text, dialect, expected):
    assert value(con, "kam_integer(?, ?)", text, dialect) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("true", True),
        ("TRUE", True),
        ("1", True),
        ("yes", True),
        ("Ja", True),
        ("y", True),
        ("x", True),
        ("X", True),
        ("false", False),
        ("0", False),
        ("No", False),
        ("nein", False),
        ("N", False),
        ("", None),
        ("vielleicht", None),
    ],
)
def test_boolean(con, text, expected):
    assert value(con, "kam_bool(?)", text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2026-11-26", date(2026, 11, 26)),
        ("03.04.2026", date(2026, 4, 3)),  # day first: April 3rd, never March 4th
        ("3.4.2026", date(2026, 4, 3)),
        ("26.11.2026 00:00", date(2026, 11, 26)),
        ("2026-02-30", None),
        ("31.02.2026", None),
        ("2026-11-26 08:15", None),  # a time of day is not a date
        ("11/26/2026", None),
    ],
)
def test_date(con, text, expected):
    assert value(con, "kam_date(?)", text) == expected


@pytest.mark.parametrize(
    "text, expected_utc",
    [
        ("2026-11-26T08:15:00Z", datetime(2026, 11, 26, 8, 15, tzinfo=UTC)),
        ("2026-11-26 08:15:00+01:00", datetime(2026, 11, 26, 7, 15, tzinfo=UTC)),
        ("2026-11-26T08:15:00.5+0100", datetime(2026, 11, 26, 7, 15, 0, 500000, tzinfo=UTC)),
        ("2026-11-26 08:15", datetime(2026, 11, 26, 7, 15, tzinfo=UTC)),  # naive = Berlin, CET = UTC+1
        ("2026-07-01T08:00:00", datetime(2026, 7, 1, 6, 0, tzinfo=UTC)),  # CEST = UTC+2
        ("26.11.2026 08:15", datetime(2026, 11, 26, 7, 15, tzinfo=UTC)),
        ("01.07.2026 08:00:30", datetime(2026, 7, 1, 6, 0, 30, tzinfo=UTC)),
        ("2026-11-26", datetime(2026, 11, 25, 23, 0, tzinfo=UTC)),  # a bare date is local midnight
        ("2026-11-31 08:00", None),
        ("26.11.2026 8.15", None),
    ],
)
def test_timestamp(con, text, expected_utc):
    assert value(con, "kam_ts(?)", text) == expected_utc


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2026-11", date(2026, 11, 1)),
        ("2026-11-01", date(2026, 11, 1)),
        ("11.2026", date(2026, 11, 1)),
        ("01.11.2026", date(2026, 11, 1)),
        ("2026-11-15", None),
        ("15.11.2026", None),
        ("2026-13", None),
    ],
)
def test_month(con, text, expected):
    assert value(con, "kam_month(?)", text) == expected


def test_enums_are_trimmed_and_case_normalised_but_text_is_kept(con):
    assert value(con, "kam_enum(?)", " Electricity ") == "electricity"
    assert value(con, "kam_enum_upper(?)", "p1 ") == "P1"
    assert value(con, "kam_text(?)", " Müller, Jörg ") == " Müller, Jörg "
    assert value(con, "kam_text(?)", "") is None


@pytest.mark.parametrize(
    "name, table",
    [
        ("accounts.csv", "accounts"),
        ("account_team.csv", "account_team"),
        ("account_team_x.csv", "account_team"),  # longest table name wins over `accounts`
        ("accounts_2026.csv.gz", "accounts"),
        ("sla_malus.parquet", "sla_malus"),
        ("sla_policies_v2.csv", "sla_policies"),
        ("Tickets_2026-11.CSV", "tickets"),
        ("ticketsx.csv", None),
        ("tickets.txt", None),
        ("readme.md", None),
    ],
)
def test_table_for_file(name, table):
    assert table_for_file(name) == table


def test_discover_groups_split_files_in_code_point_order_and_lists_unknown_files(tmp_path):
    for name in ("tickets_b.csv", "tickets_B.csv", "tickets.csv", "manifest.json", "notes.txt", "sites.parquet"):
        (tmp_path / name).write_text("x")
    found = discover(tmp_path)
    # code points: "." (46) < "B" (66) < "b" (98)
    assert [p.name for p in found.by_table["tickets"]] == ["tickets.csv", "tickets_B.csv", "tickets_b.csv"]
    assert [p.name for p in found.by_table["sites"]] == ["sites.parquet"]
    assert found.unknown == ["notes.txt"]
