"""Tiny hand-made staging databases for mart tests.

Usage (one fixture per test module or per test):

    from marts_fixture import build, rows

    con = build(
        {
            "accounts": [{"account_id": "A1", "account_name": "Acme", ...}],
            "tickets": [{"ticket_id": "T1", "created_at": "2026-03-28 20:00", ...}],
        },
        as_of=date(2026, 4, 15),
    )
    rows(con, "select * from mart_sla_monthly order by month")  # -> list of dicts

`build` creates every `stg_<table>` of the export contract empty (exact
staging columns from `kamdata.build.contract.stg_ddl`), inserts the given rows
(columns not given are NULL, so only what a test cares about needs writing;
naive timestamps are Europe/Berlin local time; the derived
`stg_meter_readings.kwh`/`m3` are computed by the table itself), and runs
`kamdata.build.marts.build_marts` for `as_of` with the shipped settings
(optionally overlaid by `settings_override`, deep-merged).
Returns the open in-memory DuckDB connection.
"""

from __future__ import annotations

from datetime import date

import duckdb

from kamdata.build.contract import TABLES, TABLES_BY_NAME, stg_ddl, stored_columns
from kamdata.build.marts import build_marts
from kamdata.settings import _merge, load_settings


def create_staging(con: duckdb.DuckDBPyConnection) -> None:
    """Every staging table of the contract, empty."""
    for table in TABLES:
        con.execute(stg_ddl(table))


def insert_rows(con: duckdb.DuckDBPyConnection, table_name: str, table_rows: list[dict]) -> None:
    """Insert dicts into stg_<table_name>; missing columns are NULL, unknown ones are an error."""
    columns = stored_columns(TABLES_BY_NAME[table_name])
    for row in table_rows:
        unknown = set(row) - set(columns)
        if unknown:
            raise KeyError(f"stg_{table_name} has no column(s) {sorted(unknown)}")
        placeholders = ", ".join("?" for _ in columns)
        targets = ", ".join(f'"{c}"' for c in columns)
        con.execute(f"insert into stg_{table_name} ({targets}) values ({placeholders})", [row.get(c) for c in columns])


def build(data: dict[str, list[dict]], as_of: date, settings_override: dict | None = None) -> duckdb.DuckDBPyConnection:
    """An in-memory database with the given staging rows and all marts built as of `as_of`."""
    settings = load_settings()
    if settings_override:
        settings = _merge(settings, settings_override)
    con = duckdb.connect()
    con.execute(f"set TimeZone = '{settings['kpi']['timezone']}'")
    create_staging(con)
    for table_name, table_rows in data.items():
        insert_rows(con, table_name, table_rows)
    build_marts(con, as_of, settings)
    return con


def rows(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[dict]:
    """Query result as a list of dicts (column name -> value)."""
    cursor = con.execute(sql, params or [])
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, values)) for values in cursor.fetchall()]


def ticket(ticket_id: str, priority: str, created_at: str, account_id: str = "A1", **fields) -> dict:
    """A reactive, open stg_tickets row at site S-<account>; `fields` override or add columns."""
    row = {
        "ticket_id": ticket_id,
        "account_id": account_id,
        "site_id": f"S-{account_id}",
        "service_line": "hvac",
        "category": "repair",
        "priority": priority,
        "kind": "reactive",
        "status": "open",
        "created_at": created_at,
        "escalated": False,
        "updated_at": created_at,
    }
    row.update(fields)
    return row
