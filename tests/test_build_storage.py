"""What the database file stores: no column twice (issue 11's file size).

Derived staging columns (stg_meter_readings.kwh, m3) are virtual generated columns and the
ticket-grain SLA judgment (mart_ticket_sla) is a view; both still read like tables, with the
values the marts tests pin down.
"""

import duckdb

from kamdata.build.marts import materialized
from kamdata.build.runner import run_build
from tests.exportset import write_export_set


def test_derived_columns_and_the_ticket_grain_judgment_are_computed_when_read(tmp_path):
    exports = write_export_set(tmp_path / "exports")
    run_build(exports, tmp_path / "kam.duckdb", quiet=True)
    con = duckdb.connect(str(tmp_path / "kam.duckdb"), read_only=True)
    generated = con.execute(
        "select column_name from duckdb_columns() where table_name = 'stg_meter_readings' and is_generated"
    ).fetchall()
    assert sorted(generated) == [("kwh",), ("m3",)]
    stored = con.execute("select distinct column_name from pragma_storage_info('stg_meter_readings')").fetchall()
    assert not {c for (c,) in stored} & {"kwh", "m3"}
    views = {v for (v,) in con.execute("select view_name from duckdb_views() where not internal").fetchall()}
    assert views == {"mart_ticket_sla"}
    resolved = con.execute(
        "select count(*), sum(resolution_s) from mart_ticket_sla where resolved_at is not null"
    ).fetchone()
    assert resolved[0] > 0
    assert con.execute("select count(*), sum(resolution_s) from mart_resolution_times").fetchone() == resolved


def test_a_model_is_a_view_only_when_its_header_says_so():
    assert materialized("-- grain\n-- materialized: view\nselect 1") == "view"
    assert materialized("-- grain: one row per ticket\nselect 'materialized: view'") == "table"
