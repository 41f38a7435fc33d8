"""Row-level rules: rejected rows (with physical line, column, raw text, reason) and the build still succeeds.

One export set with planted faults is built once; every test reads its result.
The base set (tests/exportset.py) has 3 employees, 2 accounts, 3 sites, 3
tickets, 3 meter readings and 2 surveys (survey R1's comment spans two
physical lines), so added rows start at the line numbers given below.
"""

from datetime import UTC, datetime, timedelta

import duckdb
import pytest

from kamdata.build.runner import run_build
from kamdata.settings import load_settings
from tests.exportset import base_row, write_export_set

PERMISSIVE = load_settings()
PERMISSIVE["build"]["reject_share_limit_pct"] = 100.0


def ticket(ticket_id, **changes):
    return base_row("tickets", ticket_id=ticket_id, **changes)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("rows")
    exports = write_export_set(
        tmp / "exports",
        add={
            # tickets.csv: header line 1, base T1-T3 on lines 2-4, these from line 5
            "tickets": [
                ticket("T10", created_at="31.02.2026 10:00"),  # line 5: unparseable
                ticket("T11", priority=" p9 "),  # line 6: enum
                ticket("T12", site_id="S3"),  # line 7: S3 belongs to A2
                ticket("T13", technician_id="E99"),  # line 8: dangling FK
                ticket("T14", status=""),  # line 9: required missing
                ticket(
                    "T15",
                    kind="Planned",
                    due_at=None,  # line 10: two faults
                    resolved_at=datetime(2026, 11, 19, 8, 0),
                ),
                ticket("T16", site_id="S9"),  # line 11: S9 is rejected below
                ticket("T17", priority=" p1", kind="REACTIVE", status="Closed"),  # line 12: valid, normalised
            ],
            # sites.csv: base S1-S3 on lines 2-4
            "sites": [base_row("sites", site_id="S9", account_id="A9")],  # line 5: dangling FK
            # meter_readings.csv: base on lines 2-4
            "meter_readings": [
                base_row("meter_readings", carrier="water", unit="kWh"),  # line 5
                base_row("meter_readings", carrier="electricity", unit="m3", reading_date="2026-09-30"),  # line 6
                base_row("meter_readings", quantity=-5.0, reading_date="2026-08-31"),  # line 7
            ],
            # surveys.csv: R1 on lines 2-3 (comment with a line break), R2 on line 4
            "surveys": [
                base_row("surveys", response_id="R3", nps="11", comment="ok"),  # line 5
                base_row("surveys", response_id="R4", csat="4.5", comment=None),  # line 6
            ],
            # revenue.csv: base on lines 2-3
            "revenue": [
                base_row("revenue", month="2026-11-15"),  # line 4: day is not 01
                base_row("revenue", month="11.2026", service_line=" Cleaning "),  # line 5: valid
            ],
            "employees": [base_row("employees", employee_id="E4", active="")],  # line 5: required boolean
            "contracts": [base_row("contracts", contract_id="C3", auto_renew="vielleicht")],  # line 4
        },
    )
    summary = run_build(exports, tmp / "kam.duckdb", settings=PERMISSIVE, as_of="2026-11-26")
    con = duckdb.connect(str(tmp / "kam.duckdb"), read_only=True)
    yield summary, con
    con.close()


def rejected(con, table):
    return con.execute(
        "select line_number, column_name, raw_value, reason from rejected_rows where table_name = ? "
        "order by line_number, column_name",
        [table],
    ).fetchall()


def test_ticket_rejections_name_line_column_raw_text_and_reason(built):
    _, con = built
    rows = rejected(con, "tickets")
    assert [(line, col, raw) for line, col, raw, _ in rows] == [
        (5, "created_at", "31.02.2026 10:00"),
        (6, "priority", " p9 "),
        (7, "site_id", "S3"),
        (8, "technician_id", "E99"),
        (9, "status", ""),
        (10, "due_at", ""),
        (10, "resolved_at", "2026-11-19 08:00:00"),
        (11, "site_id", "S9"),
    ]
    reasons = {(line, col): reason for line, col, _, reason in rows}
    assert "timestamp" in reasons[(5, "created_at")]
    assert "P1, P2, P3, P4" in reasons[(6, "priority")]
    assert reasons[(7, "site_id")] == "its sites row has account_id A2, this row has A1"
    assert reasons[(8, "technician_id")] == "no employees row with this employee_id"
    assert reasons[(9, "status")] == "required value missing"
    assert reasons[(10, "due_at")] == "a planned ticket needs due_at"
    assert reasons[(10, "resolved_at")] == "must not be before created_at"
    assert reasons[(11, "site_id")] == "no sites row with this site_id"  # S9 itself was rejected


def test_valid_rows_are_loaded_with_normalised_enums(built):
    _, con = built
    assert con.execute("select ticket_id from stg_tickets order by ticket_id").fetchall() == [
        ("T1",),
        ("T17",),
        ("T2",),
        ("T3",),
    ]
    assert con.execute("select priority, kind, status from stg_tickets where ticket_id = 'T17'").fetchone() == (
        "P1",
        "reactive",
        "closed",
    )
    # revenue line 5: "11.2026" is November 2026, " Cleaning " is the service line "cleaning"
    assert con.execute("select month::varchar, service_line from stg_revenue where _source_line = 5").fetchone() == (
        "2026-11-01",
        "cleaning",
    )


def test_unit_must_fit_the_carrier_and_quantity_must_not_be_negative(built):
    _, con = built
    assert [(line, col) for line, col, *_ in rejected(con, "meter_readings")] == [
        (5, "unit"),
        (6, "unit"),
        (7, "quantity"),
    ]


def test_line_numbers_are_physical_lines_after_a_multiline_comment(built):
    _, con = built
    rows = rejected(con, "surveys")
    assert [(line, col, raw) for line, col, raw, _ in rows] == [(5, "nps", "11"), (6, "csat", "4.5")]
    assert rows[1][3] == "not a whole number"
    assert con.execute("select _source_line from stg_surveys where response_id = 'R2'").fetchone() == (4,)


def test_month_with_another_day_than_01_is_rejected(built):
    _, con = built
    assert [(line, col, raw) for line, col, raw, _ in rejected(con, "revenue")] == [(4, "month", "2026-11-15")]


def test_required_boolean_left_empty_and_unknown_boolean_are_rejected(built):
    _, con = built
    assert [(line, col) for line, col, *_ in rejected(con, "employees")] == [(5, "active")]
    assert [(line, col, raw) for line, col, raw, _ in rejected(con, "contracts")] == [(4, "auto_renew", "vielleicht")]


def test_counts_per_table_add_up(built):
    summary, con = built
    # tickets: 3 base + 8 added = 11 read; 7 rejected rows (T10..T16), 4 loaded, none superseded
    assert summary["tables"]["tickets"] == {
        "files": 1,
        "rows_read": 11,
        "rows_loaded": 4,
        "rows_superseded": 0,
        "rows_rejected": 7,
    }
    assert con.execute(
        "select files, rows_read, rows_loaded, rows_superseded, rows_rejected from build_tables "
        "where table_name = 'tickets'"
    ).fetchone() == (1, 11, 4, 0, 7)
    # meter_readings: 3 base + 3 added, 3 rejected
    assert summary["tables"]["meter_readings"]["rows_rejected"] == 3
    # build_info totals equal the sums over build_tables
    assert (
        con.execute("select rows_loaded, rows_rejected, rows_superseded from build_info").fetchone()
        == con.execute("select sum(rows_loaded), sum(rows_rejected), sum(rows_superseded) from build_tables").fetchone()
    )


def test_timestamps_are_instants_and_durations_cross_dst_correctly(tmp_path):
    # Europe/Berlin switches to summer time on 2026-03-29 at 02:00 -> 03:00:
    # created 28.03. 20:00 CET (19:00Z), resolved 29.03. 20:00 CEST (18:00Z) = 23 elapsed hours.
    exports = write_export_set(
        tmp_path / "exports",
        add={
            "tickets": [
                ticket(
                    "T20",
                    created_at="2026-03-28 20:00:00",
                    first_response_at="2026-03-28T20:30:00+01:00",
                    resolved_at="29.03.2026 20:00",
                    updated_at="2026-03-29 20:00:00Z",
                ),
            ]
        },
    )
    run_build(exports, tmp_path / "kam.duckdb", settings=PERMISSIVE)
    con = duckdb.connect(str(tmp_path / "kam.duckdb"), read_only=True)
    created, responded, resolved = con.execute(
        "select created_at, first_response_at, resolved_at from stg_tickets where ticket_id = 'T20'"
    ).fetchone()
    assert created == datetime(2026, 3, 28, 19, 0, tzinfo=UTC)
    assert responded - created == timedelta(minutes=30)
    assert resolved - created == timedelta(hours=23)
    assert con.execute("select typeof(created_at) from stg_tickets limit 1").fetchone() == ("TIMESTAMP WITH TIME ZONE",)
