"""Duplicates and re-exports: which row of a key survives, and superseded rows are counted."""

from datetime import datetime

import duckdb
import pytest

from kamdata.build.runner import run_build
from kamdata.settings import load_settings
from tests.exportset import BASE_ROWS, base_row, write_export_set, write_table

PERMISSIVE = load_settings()
PERMISSIVE["build"]["reject_share_limit_pct"] = 100.0


TICKETS = {t["ticket_id"]: t for t in BASE_ROWS["tickets"]}


def ticket(ticket_id, **changes):
    """The base ticket of that id (a copy of T1 for a new id) with changes."""
    return {**TICKETS.get(ticket_id, TICKETS["T1"]), "ticket_id": ticket_id, **changes}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("dedupe")
    exports = write_export_set(
        tmp / "exports",
        add={
            # tickets.csv line 5; +00:00 makes it 13:00 Berlin time
            "tickets": [ticket("T5", category="utc", updated_at="2026-11-21T12:00:00+00:00")],
            # account_team.csv lines 5 and 6: a repeated key inside one file (no updated_at)
            "account_team": [
                base_row("account_team", allocation_pct=60.0),  # (A1, E1) again: wins
                base_row("account_team", account_id="A2", allocation_pct=150.0),  # (A2, E1) invalid: rejected
            ],
        },
    )
    # tickets_2.csv sorts after tickets.csv ("." < "_")
    write_table(
        exports / "tickets_2.csv",
        "tickets",
        [
            ticket("T1", status="closed", updated_at=datetime(2026, 11, 22, 9, 0)),  # line 2: newer -> wins
            ticket("T2", category="older", updated_at=datetime(2026, 11, 23, 0, 0)),  # line 3: older -> loses
            ticket("T3", category="later file"),  # line 4: tie -> later file
            ticket("T3", category="later line"),  # line 5: tie -> later line
            ticket("T1", priority="P7", updated_at=datetime(2026, 12, 1, 0, 0)),  # line 6: rejected
            ticket("T5", category="naive", updated_at="2026-11-21 12:30:00"),  # line 7: 11:30Z < 12:00Z
        ],
    )
    write_table(
        exports / "accounts_2.csv",
        "accounts",
        [
            base_row("accounts", account_name="no timestamp", updated_at=None),  # NULL loses to non-NULL
            {**BASE_ROWS["accounts"][1], "account_name": "Logistik Süd AG", "updated_at": datetime(2026, 11, 20)},
        ],
    )
    write_table(
        exports / "revenue_2026-11.csv",
        "revenue",
        [
            # same key as revenue.csv line 2 once typed and normalised (A1, 2026-10-01, cleaning)
            base_row("revenue", month="10.2026", service_line=" CLEANING ", revenue_eur=45000.0),
        ],
    )
    summary = run_build(exports, tmp / "kam.duckdb", settings=PERMISSIVE, as_of="2026-11-26")
    con = duckdb.connect(str(tmp / "kam.duckdb"), read_only=True)
    yield summary, con
    con.close()


def test_greatest_updated_at_wins_and_a_rejected_row_never_supersedes(built):
    _, con = built
    rows = dict(con.execute("select ticket_id, _source_file || ':' || _source_line from stg_tickets").fetchall())
    assert rows["T1"] == "tickets_2.csv:2"  # newer updated_at; line 6 (even newer) was rejected
    assert rows["T2"] == "tickets.csv:3"  # the re-export in tickets_2.csv is older
    assert rows["T3"] == "tickets_2.csv:5"  # same updated_at: later file, then later line
    assert con.execute("select status from stg_tickets where ticket_id = 'T1'").fetchone() == ("closed",)


def test_updated_at_is_compared_as_an_instant(built):
    _, con = built
    # 2026-11-21T12:00:00+00:00 is later than 2026-11-21 12:30 Berlin (= 11:30 UTC)
    assert con.execute("select category from stg_tickets where ticket_id = 'T5'").fetchone() == ("utc",)


def test_null_updated_at_loses_to_any_value(built):
    _, con = built
    names = dict(con.execute("select account_id, account_name from stg_accounts").fetchall())
    assert names == {"A1": "Klinikum Nord", "A2": "Logistik Süd AG"}


def test_without_updated_at_the_later_line_and_file_win(built):
    _, con = built
    team = dict(con.execute("select account_id || '/' || employee_id, allocation_pct from stg_account_team").fetchall())
    assert team == {"A1/E1": 60.0, "A1/E2": 30.0, "A2/E1": 40.0}
    assert con.execute("select revenue_eur from stg_revenue where account_id = 'A1'").fetchone() == (45000.0,)


def test_superseded_rows_are_counted_per_table(built):
    summary, _ = built
    counts = {
        name: (t["rows_read"], t["rows_loaded"], t["rows_superseded"], t["rows_rejected"])
        for name, t in summary["tables"].items()
    }
    # tickets: 4 in tickets.csv + 6 in tickets_2.csv; 1 rejected; keys T1 (2 valid), T2 (2), T3 (3), T5 (2)
    assert counts["tickets"] == (10, 4, 5, 1)
    assert counts["accounts"] == (4, 2, 2, 0)
    # account_team: 3 base + 2 added; (A1, E1) twice; (A2, E1) 150 % rejected
    assert counts["account_team"] == (5, 3, 1, 1)
    assert counts["revenue"] == (3, 2, 1, 0)
    assert summary["rows_superseded"] == 9
