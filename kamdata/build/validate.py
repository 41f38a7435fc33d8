"""Raw rows -> valid, de-duplicated `stg_<table>` rows plus `rejected_rows`, all in DuckDB SQL.

Per table: the staging model (sql/staging/stg_<table>.sql) types the raw text;
one generated query, driven by kamdata/contract.py, lists every fault of every
row (missing, unparseable, enum, check, foreign key against the parent's final
rows, parent mismatch); faulty rows are rejected; the remaining rows are
de-duplicated per key. Tables run parent-first so foreign keys see final rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from kamdata.build.contract import (
    IMPLAUSIBLE_DATE_REASON,
    NON_FINITE_REASON,
    PLAUSIBLE_YEARS,
    TABLES,
    TABLES_BY_NAME,
    Column,
    Table,
    plausible_reason,
    stg_columns,
)

STAGING_DIR = Path(__file__).resolve().parents[2] / "sql" / "staging"
SCRATCH = "scratch"  # the attached work database holding raw/typed/intermediate tables

REJECTED_ROWS_DDL = (
    "create table if not exists rejected_rows (table_name VARCHAR, source_file VARCHAR, line_number BIGINT, "
    "column_name VARCHAR, raw_value VARCHAR, reason VARCHAR)"
)

PARSE_REASONS = {
    "integer": "'not a whole number'",
    "boolean": "'not a boolean (true/false, 1/0, yes/no, ja/nein, y/n, x)'",
    "date": "'not a valid date (YYYY-MM-DD or DD.MM.YYYY)'",
    "timestamp": "'not a valid timestamp (YYYY-MM-DD HH:MM[:SS] with optional +01:00/Z, or DD.MM.YYYY HH:MM[:SS])'",
    "month": "'not a month (YYYY-MM, YYYY-MM-01 or MM.YYYY; the day must be 01)'",
    "decimal": "case when r._dialect = 'german' "
    "then 'not a number in the German dialect (e.g. 1.234,5; \".\" only separates thousands)' "
    "else 'not a number (e.g. 1234.5)' end",
}


class LimitExceeded(Exception):
    """Strictly more than the allowed share of a table's rows was rejected (a file-level failure)."""


@dataclass(frozen=True)
class TableCounts:
    rows_read: int
    rows_loaded: int
    rows_superseded: int
    rows_rejected: int


def parent_first(tables=TABLES) -> list[Table]:
    """Tables ordered so that every table comes after the tables its foreign keys reference."""
    ordered: list[Table] = []

    def visit(table: Table) -> None:
        if table in ordered:
            return
        for col in table.columns:
            if col.references and col.references != table.name:
                visit(TABLES_BY_NAME[col.references])
        ordered.append(table)

    for table in tables:
        visit(table)
    return ordered


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _fault(column: str, condition: str, reason_sql: str) -> str:
    return (
        f"case when {condition} then {{'column_name': {_sql_string(column)}, "
        f"'raw_value': r.\"{column}\", 'reason': {reason_sql}}} end"
    )


def _column_faults(col: Column, joins: list[str]) -> list[str]:
    typed, raw = f't."{col.name}"', f'r."{col.name}"'
    faults = []
    if not col.nullable:
        faults.append(_fault(col.name, f"{typed} is null and kam_blank({raw})", "'required value missing'"))
    if col.type in PARSE_REASONS:
        faults.append(_fault(col.name, f"{typed} is null and not kam_blank({raw})", PARSE_REASONS[col.type]))
    if col.values:
        allowed = ", ".join(_sql_string(v) for v in col.values)
        faults.append(
            _fault(col.name, f"{typed} not in ({allowed})", _sql_string(f"not one of {', '.join(col.values)}"))
        )
    if col.references:
        parent = TABLES_BY_NAME[col.references]
        alias, pk = f"fk_{col.name}", parent.key[0]
        joins.append(f'left join stg_{parent.name} as {alias} on {alias}."{pk}" = {typed}')
        faults.append(
            _fault(
                col.name,
                f'{typed} is not null and {alias}."{pk}" is null',
                _sql_string(f"no {parent.name} row with this {pk}"),
            )
        )
    return faults


def plausibility_faults(table: Table) -> list[str]:
    """Non-finite numbers, numbers outside their column's plausible range, dates outside PLAUSIBLE_YEARS.

    A range fault only where the column's own checks passed, so a value gets the more precise reason once.
    """
    faults = []
    for col in table.columns:
        typed = f't."{col.name}"'
        if col.type == "decimal":
            faults.append(_fault(col.name, f"not isfinite({typed})", _sql_string(NON_FINITE_REASON)))
        if col.type in ("date", "timestamp", "month"):
            first, last = PLAUSIBLE_YEARS
            faults.append(
                _fault(col.name, f"year({typed}) not between {first} and {last}", _sql_string(IMPLAUSIBLE_DATE_REASON))
            )
        if col.plausible:
            low, high = col.plausible
            checks_passed = "".join(
                f" and coalesce(t._check_{i}, true)" for i, chk in enumerate(table.checks) if chk.column == col.name
            )
            faults.append(
                _fault(
                    col.name,
                    f"isfinite({typed}) and {typed} not between {low} and {high}{checks_passed}",
                    _sql_string(plausible_reason(low, high)),
                )
            )
    return faults


def faults_sql(table: Table) -> str:
    """SELECT listing every (row, column, raw text, reason) at fault in the typed table."""
    joins: list[str] = []
    faults = [f for col in table.columns for f in _column_faults(col, joins)]
    faults += [
        _fault(chk.column, f"t._check_{i} = false", _sql_string(chk.reason)) for i, chk in enumerate(table.checks)
    ]
    faults += plausibility_faults(table)
    for fk, shared in table.parent_matches:
        parent_name = table.column(fk).references
        if parent_name is None:
            raise ValueError(f"contract: {table.name}.{fk} is in parent_matches but is not a foreign key")
        parent = TABLES_BY_NAME[parent_name]
        alias = f"fk_{fk}"
        faults.append(
            _fault(
                fk,
                f'{alias}."{shared}" <> t."{shared}"',
                f"'its {parent.name} row has {shared} ' || {alias}.\"{shared}\" || ', this row has ' || t.\"{shared}\"",
            )
        )
    checks = "".join(f", ({chk.sql}) as _check_{i}" for i, chk in enumerate(table.checks))
    return f"""
        with checked as (select *{checks} from {SCRATCH}.typed_{table.name}),
        faults as (
            select t._row_id, t._source_file, t._source_line, t._file_order,
                   -- a record the reader found faulty (not UTF-8, field too long) has only those faults
                   unnest(coalesce(r._read_faults, list_filter([{", ".join(faults)}], lambda f: f is not null))) as f
            from checked as t
            join {SCRATCH}.raw_{table.name} as r using (_row_id)
            {" ".join(joins)}
        )
        select _row_id, _source_file, _source_line, _file_order,
               f.column_name as column_name, f.raw_value as raw_value, f.reason as reason
        from faults
    """


def staging_model_sql(table: Table) -> str:
    return (STAGING_DIR / f"stg_{table.name}.sql").read_text(encoding="utf-8").strip().rstrip(";")


def _dedupe_order(table: Table) -> str:
    """Which row of a key wins: greatest updated_at (NULL loses), then the later file, then the later line."""
    latest = '"updated_at" desc nulls last, ' if table.has_updated_at else ""
    return latest + "_file_order desc, _source_line desc"


def _limit_message(con, table: Table, counts: TableCounts, limit_pct: float) -> str:
    share = 100.0 * counts.rows_rejected / counts.rows_read
    top = con.execute(
        f"""
        select column_name, reason, count(*) as n,
               arg_min(_source_file || ' line ' || _source_line || ': ''' || coalesce(raw_value, '') || '''',
                       _file_order * 1e12 + _source_line) as first
        from {SCRATCH}.faults_{table.name}
        group by all order by n desc, column_name limit 3
        """
    ).fetchall()
    causes = "; ".join(f"column {col} {reason} ({n}×, first at {first})" for col, reason, n, first in top)
    return (
        f"{table.name}: {counts.rows_rejected} of {counts.rows_read} rows ({share:.1f} %) were rejected, "
        f"more than the allowed {limit_pct:g} % (settings build.reject_share_limit_pct). Most frequent: "
        f"{causes}. Fix the export and rerun the build; see rejected_rows for every row."
    )


def _count(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    """The one value of a `select count(...)` (an aggregate without group by always returns one row)."""
    row = con.execute(sql).fetchone()
    assert row is not None
    return row[0]


def stage_table(con: duckdb.DuckDBPyConnection, table: Table, limit_pct: float) -> TableCounts:
    """Type, validate and de-duplicate scratch.raw_<table> into stg_<table>; rejected rows are recorded."""
    name = table.name
    con.execute(f"create or replace table {SCRATCH}.typed_{name} as\n{staging_model_sql(table)}")
    con.execute(f"create or replace table {SCRATCH}.faults_{name} as {faults_sql(table)}")
    con.execute(
        f"""insert into rejected_rows
        select {_sql_string(name)}, _source_file, _source_line, column_name, raw_value, reason
        from {SCRATCH}.faults_{name} order by _file_order, _source_line, column_name"""
    )
    key = ", ".join(f'"{k}"' for k in table.key)
    con.execute(
        f"""create or replace table {SCRATCH}.ranked_{name} as
        select *, row_number() over (partition by {key} order by {_dedupe_order(table)}) as _rank
        from {SCRATCH}.typed_{name} anti join {SCRATCH}.faults_{name} using (_row_id)"""
    )
    columns = ", ".join(f'"{c}"' for c, _ in stg_columns(table))
    con.execute(
        f"""create or replace table stg_{name} as
        select {columns} from {SCRATCH}.ranked_{name} where _rank = 1 order by _file_order, _source_line"""
    )
    counts = TableCounts(
        rows_read=_count(con, f"select count(*) from {SCRATCH}.raw_{name}"),
        rows_loaded=_count(con, f"select count(*) from stg_{name}"),
        rows_superseded=_count(con, f"select count(*) from {SCRATCH}.ranked_{name} where _rank > 1"),
        rows_rejected=_count(con, f"select count(distinct _row_id) from {SCRATCH}.faults_{name}"),
    )
    if counts.rows_read != counts.rows_loaded + counts.rows_superseded + counts.rows_rejected:
        raise AssertionError(f"row identity broken for {name}: {counts} (a bug in the build, not in the export)")
    if counts.rows_rejected * 100.0 > limit_pct * counts.rows_read:
        raise LimitExceeded(_limit_message(con, table, counts, limit_pct))
    for work in ("raw", "typed", "faults", "ranked"):  # free the memory before the next table
        con.execute(f"drop table {SCRATCH}.{work}_{name}")
    return counts
