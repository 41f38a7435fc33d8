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


LAYOUTS = {  # the layout kam_ts_in / kam_date_in try first, per dialect
    "standard": ("%Y-%m-%dT%H:%M:%S", "%Y-%m-%d"),
    "german": ("%d.%m.%Y %H:%M", "%d.%m.%Y"),
}


def in_layout(con, text, layout):
    return value(con, "strftime(try_strptime(?, ?), ?) = ?", text, layout, layout, text) is True


@pytest.mark.parametrize(
    "text, dialect, fast, expected_utc",
    [
        ("2026-11-26T08:15:00", "standard", True, datetime(2026, 11, 26, 7, 15, tzinfo=UTC)),
        ("26.11.2026 08:15", "german", True, datetime(2026, 11, 26, 7, 15, tzinfo=UTC)),
        # Berlin's DST changes: 02:30 happens twice on 2026-10-25 and never on 2026-03-29
        ("2026-10-25T02:30:00", "standard", True, None),
        ("25.10.2026 02:30", "german", True, None),
        ("2026-03-29T02:30:00", "standard", True, None),
        ("29.03.2026 02:30", "german", True, None),
        ("2026-10-25T01:59:00", "standard", True, datetime(2026, 10, 24, 23, 59, tzinfo=UTC)),
        ("2026-10-25T03:00:00", "standard", True, datetime(2026, 10, 25, 2, 0, tzinfo=UTC)),
        # not the layout: the full rules decide
        ("2026-11-26T08:15:00Z", "standard", False, datetime(2026, 11, 26, 8, 15, tzinfo=UTC)),
        ("2026-11-26T08:15:00+01:00", "standard", False, datetime(2026, 11, 26, 7, 15, tzinfo=UTC)),
        ("2026-11-26T08:15:00.25", "standard", False, datetime(2026, 11, 26, 7, 15, 0, 250000, tzinfo=UTC)),
        ("2026-11-26 08:15:00", "standard", False, datetime(2026, 11, 26, 7, 15, tzinfo=UTC)),
        ("26.11.2026 08:15:30", "german", False, datetime(2026, 11, 26, 7, 15, 30, tzinfo=UTC)),
        ("2026-11-26", "standard", False, datetime(2026, 11, 25, 23, 0, tzinfo=UTC)),
        ("26.11.2026", "german", False, datetime(2026, 11, 25, 23, 0, tzinfo=UTC)),
        ("2026-11-26T08:15:00", "german", False, datetime(2026, 11, 26, 7, 15, tzinfo=UTC)),  # ISO in a German file
        (" 26.11.2026 08:15 ", "german", False, datetime(2026, 11, 26, 7, 15, tzinfo=UTC)),
        ("6.1.2026 8:15", "german", False, datetime(2026, 1, 6, 7, 15, tzinfo=UTC)),
        # strptime alone would take these; the rules reject them
        ("2026-1-26T08:15:00", "standard", False, None),
        ("26.11.2026\t08:15", "german", False, None),
        ("26.11.2026  08:15", "german", False, None),
        ("26.11.2026 08:5", "german", False, None),
        ("", "standard", False, None),
    ],
)
def test_timestamp_layout_first_gives_what_the_rules_give(con, text, dialect, fast, expected_utc):
    assert in_layout(con, text, LAYOUTS[dialect][0]) is fast
    rules = value(con, "kam_ts(?)", text)
    assert value(con, "kam_ts_in(?, ?)", text, dialect) == rules
    if expected_utc is not None or not fast:
        assert rules == expected_utc


def test_dst_ambiguous_local_time_is_one_instant_on_both_ways(con):
    # the repeated hour of 2026-10-25 and the skipped one of 2026-03-29: whatever the rules choose, both ways agree
    assert value(con, "kam_ts_in(?, 'standard')", "2026-10-25T02:30:00") == value(
        con, "kam_ts_in(?, 'german')", "25.10.2026 02:30"
    )
    assert value(con, "kam_ts_in(?, 'standard')", "2026-03-29T02:30:00") is not None


@pytest.mark.parametrize(
    "text, dialect, fast, expected",
    [
        ("2026-11-26", "standard", True, date(2026, 11, 26)),
        ("26.11.2026", "german", True, date(2026, 11, 26)),
        ("03.04.2026", "german", True, date(2026, 4, 3)),
        ("3.4.2026", "german", False, date(2026, 4, 3)),
        ("26.11.2026 00:00", "german", False, date(2026, 11, 26)),
        ("2026-11-26T00:00:00", "standard", False, date(2026, 11, 26)),
        ("26.11.2026", "standard", False, date(2026, 11, 26)),
        ("2026-2-3", "standard", False, None),
        ("31.02.2026", "german", False, None),
        (" 2026-11-26", "standard", False, date(2026, 11, 26)),
    ],
)
def test_date_layout_first_gives_what_the_rules_give(con, text, dialect, fast, expected):
    assert in_layout(con, text, LAYOUTS[dialect][1]) is fast
    assert value(con, "kam_date(?)", text) == expected
    assert value(con, "kam_date_in(?, ?)", text, dialect) == expected


def test_layout_first_agrees_with_the_rules_on_every_dst_change_day(con):
    """Every 7th minute of each DST change day 1990-2039, rendered in the layouts and near misses of them."""
    renderings = [
        "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%d.%m.%Y %H:%M", "%d.%m.%Y %H:%M:%S", "%Y-%m-%dT%H:%M:%SZ",
        "%Y-%m-%dT%H:%M:%S+02:00", "%Y-%m-%dT%H:%M:%S.5", "%-d.%-m.%Y %-H:%M", "%Y-%-m-%-dT%H:%M:%S", "%Y-%m-%d",
        "%d.%m.%Y", " %d.%m.%Y %H:%M", "%d.%m.%Y  %H:%M", "%Y-%m-%dT%H:%M",
    ]  # fmt: skip
    texts = " union all ".join(f"select strftime(ts, '{r}') as txt from minutes" for r in renderings)
    counts = con.execute(
        f"""
        with days as (
            select d from range(timestamp '1990-01-01', timestamp '2040-01-01', interval 1 day) as r(d)
            where month(d) in (3, 10) and day(d) >= 25 and dayofweek(d) = 0
        ),
        minutes as (select d + to_minutes(m) as ts from days, range(0, 1440, 7) as r(m)),
        texts as ({texts})
        select
            count(*) filter (where kam_ts_in(txt, 'standard') is distinct from kam_ts(txt)),
            count(*) filter (where kam_ts_in(txt, 'german') is distinct from kam_ts(txt)),
            count(*) filter (where kam_date_in(txt, 'standard') is distinct from kam_date(txt)),
            count(*) filter (where kam_date_in(txt, 'german') is distinct from kam_date(txt)),
            count(*) filter (where strftime(try_strptime(txt, '%d.%m.%Y %H:%M'), '%d.%m.%Y %H:%M') = txt),
            count(*) filter (where kam_ts(txt) is not null)
        from texts
        """
    ).fetchone()
    assert counts[:4] == (0, 0, 0, 0)
    assert counts[4] >= 100 * 206  # the German layout was taken for each day's minutes (and `%-d.%-m.` ones)
    assert counts[5] > counts[4]  # and the rules for more


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
