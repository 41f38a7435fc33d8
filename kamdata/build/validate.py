"""Export files -> valid, de-duplicated `stg_<table>` rows plus `rejected_rows`, all in DuckDB SQL.

Per table, one pass per file reads, types and checks every row into `stg_<table>` (kamdata.build.sources
gives the file as a SELECT, kamdata.build.typed types each column): a row's faults (missing,
unparseable, enum, check, foreign key against the parent's final rows, parent mismatch) are listed in a
`_faults` column that is built only for a faulty row. Then the faulty rows go to rejected_rows, only
the keys that occur more than once are ranked, and the rejected and superseded rows are deleted; no
copy of the table is made and nothing is sorted. Tables run parent-first so foreign keys see final rows.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from kamdata.build import readers, sources
from kamdata.build.contract import (
    IMPLAUSIBLE_DATE_REASON,
    NON_FINITE_REASON,
    PLAUSIBLE_YEARS,
    SQL_TYPES,
    TABLES,
    TABLES_BY_NAME,
    Column,
    Table,
    plausible_reason,
    stg_column_defs,
    stored_columns,
)
from kamdata.build.typed import raw_text, typed_value

STAGING_DIR = Path(__file__).resolve().parents[2] / "sql" / "staging"

REJECTED_ROWS_DDL = (
    "create table if not exists rejected_rows (table_name VARCHAR, source_file VARCHAR, line_number BIGINT, "
    "column_name VARCHAR, raw_value VARCHAR, reason VARCHAR)"
)
FAULT_TYPE = "STRUCT(column_name VARCHAR, raw_value VARCHAR, reason VARCHAR)[]"

PARSE_REASONS = {
    "integer": "'not a whole number'",
    "boolean": "'not a boolean (true/false, 1/0, yes/no, ja/nein, y/n, x)'",
    "date": "'not a valid date (YYYY-MM-DD or DD.MM.YYYY)'",
    "timestamp": "'not a valid timestamp (YYYY-MM-DD HH:MM[:SS] with optional +01:00/Z, or DD.MM.YYYY HH:MM[:SS])'",
    "month": "'not a month (YYYY-MM, YYYY-MM-01 or MM.YYYY; the day must be 01)'",
}
DECIMAL_REASONS = {
    "german": 'not a number in the German dialect (e.g. 1.234,5; "." only separates thousands)',
    "standard": "not a number (e.g. 1234.5)",
}


class LimitExceeded(Exception):
    """Strictly more than the allowed share of a table's rows was rejected (a file-level failure)."""


@dataclass(frozen=True)
class TableCounts:
    rows_read: int
    rows_loaded: int
    rows_superseded: int
    rows_rejected: int


@dataclass
class StageTimes:
    """Seconds per step of one table: reading (file checks, the Python parse of a file that needs it),
    the pass that reads, types and checks every row, collecting the rejected rows, de-duplication."""

    read_s: float = 0.0
    type_check_s: float = 0.0
    rejects_s: float = 0.0
    dedupe_s: float = 0.0
    files: list[readers.LoadedFile] = field(default_factory=list)

    def rounded(self) -> dict[str, float]:
        return {k: round(v, 3) for k, v in vars(self).items() if k != "files"}


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


def _src(name: str) -> str:
    return f't."_src_{name}"'


class _Faults:
    """The fault conditions of one table's rows and the struct each produces (`t` = the checked row)."""

    def __init__(self, types: dict[str, str | None]):
        self.types = types
        self.conditions: list[str] = []
        self.items: list[str] = []
        self.joins: list[str] = []

    def add(self, column: str, condition: str, reason_sql: str) -> None:
        raw = raw_text(_src(column), self.types[column])
        self.conditions.append(f"({condition})")
        self.items.append(
            f"case when {condition} then {{'column_name': {_sql_string(column)}, "
            f"'raw_value': {raw}, 'reason': {reason_sql}}} end"
        )

    def sql(self) -> str:
        """NULL for a row without fault; else the list of its faults (built only for such a row).

        A record the reader found faulty (not UTF-8, a field too long) has only those faults."""
        found = f"case when t._read_faults is not null then t._read_faults::{FAULT_TYPE}"
        if not self.items:
            return f"{found} end"
        return (
            f"{found} when {' or '.join(self.conditions)} then "
            f"list_filter([{', '.join(self.items)}], lambda f: f is not null) end"
        )


def _column_faults(col: Column, faults: _Faults, dialect: str) -> None:
    typed, raw = f't."{col.name}"', raw_text(_src(col.name), faults.types[col.name])
    if not col.nullable:
        faults.add(col.name, f"{typed} is null and kam_blank({raw})", "'required value missing'")
    if col.type == "decimal":
        faults.add(col.name, f"{typed} is null and not kam_blank({raw})", _sql_string(DECIMAL_REASONS[dialect]))
    elif col.type in PARSE_REASONS:
        faults.add(col.name, f"{typed} is null and not kam_blank({raw})", PARSE_REASONS[col.type])
    if col.values:
        allowed = ", ".join(_sql_string(v) for v in col.values)
        faults.add(col.name, f"{typed} not in ({allowed})", _sql_string(f"not one of {', '.join(col.values)}"))
    if col.references:
        parent = TABLES_BY_NAME[col.references]
        alias, pk = f"fk_{col.name}", parent.key[0]
        faults.joins.append(f'left join stg_{parent.name} as {alias} on {alias}."{pk}" = {typed}')
        faults.add(
            col.name,
            f'{typed} is not null and {alias}."{pk}" is null',
            _sql_string(f"no {parent.name} row with this {pk}"),
        )


def _plausibility_faults(table: Table, faults: _Faults) -> None:
    """Non-finite numbers, numbers outside their column's plausible range, dates outside PLAUSIBLE_YEARS.

    A range fault only where the column's own checks passed, so a value gets the more precise reason once.
    """
    for col in table.columns:
        typed = f't."{col.name}"'
        if col.type == "decimal":
            faults.add(col.name, f"not isfinite({typed})", _sql_string(NON_FINITE_REASON))
        if col.type in ("date", "timestamp", "month"):
            # the year (of a timestamp: in the build's time zone) outside PLAUSIBLE_YEARS, as a comparison with
            # the first moment of each bound's year: year() would look up a calendar for every value
            first, last = PLAUSIBLE_YEARS
            kind = SQL_TYPES[col.type]
            faults.add(
                col.name,
                f"({typed} < '{first:04d}-01-01'::{kind} or {typed} >= '{last + 1:04d}-01-01'::{kind})",
                _sql_string(IMPLAUSIBLE_DATE_REASON),
            )
        if col.plausible:
            low, high = col.plausible
            checks_passed = "".join(
                f" and coalesce(t._check_{i}, true)" for i, chk in enumerate(table.checks) if chk.column == col.name
            )
            faults.add(
                col.name,
                f"isfinite({typed}) and {typed} not between {low} and {high}{checks_passed}",
                _sql_string(plausible_reason(low, high)),
            )


def staging_model_sql(table: Table, source: sources.Source) -> str:
    """SELECT of one file's rows typed per the contract, with each source value kept as `_src_<column>`."""
    typed = ", ".join(
        f"{typed_value(c, f'r.{_quote(c.name)}', source.types[c.name], source.dialect)} as {_quote(c.name)}, "
        f'r.{_quote(c.name)} as "_src_{c.name}"'
        for c in table.columns
    )
    lineage = "r._source_file, r._source_line, r._file_order, r._read_faults"
    return f"select {typed}, {lineage} from ({source.sql}) as r"


def _quote(name: str) -> str:
    return f'"{name}"'


def insert_sql(table: Table, source: sources.Source) -> str:
    """INSERT of one file's rows into stg_<table>: typed, derived columns, lineage and `_faults`."""
    faults = _Faults(source.types)
    for col in table.columns:
        _column_faults(col, faults, source.dialect)
    for i, chk in enumerate(table.checks):
        faults.add(chk.column, f"t._check_{i} = false", _sql_string(chk.reason))
    _plausibility_faults(table, faults)
    for fk, shared in table.parent_matches:
        parent_name = table.column(fk).references
        if parent_name is None:
            raise ValueError(f"contract: {table.name}.{fk} is in parent_matches but is not a foreign key")
        parent, alias = TABLES_BY_NAME[parent_name], f"fk_{fk}"
        faults.add(
            fk,
            f'{alias}."{shared}" <> t."{shared}"',
            f"'its {parent.name} row has {shared} ' || {alias}.\"{shared}\" || ', this row has ' || t.\"{shared}\"",
        )
    derived = "".join(f", {sql} as {_quote(name)}" for name, _, sql in table.derived)
    checks = "".join(f", ({chk.sql}) as _check_{i}" for i, chk in enumerate(table.checks))
    stored = stored_columns(table)
    columns = ", ".join(f"t.{_quote(c)}" for c in stored)
    targets = ", ".join(_quote(c) for c in [*stored, "_file_order", "_faults"])
    return f"""
        insert into stg_{table.name} ({targets})
        with typed as ({staging_model_sql(table, source)}),
        t as (select *{derived}{checks} from typed)
        select {columns}, t._file_order, {faults.sql()} as _faults
        from t {" ".join(faults.joins)}
    """


def create_stg_table(con: duckdb.DuckDBPyConnection, table: Table) -> None:
    """stg_<table> with its contract columns plus the work columns the staging pass drops at its end."""
    con.execute(f"create table stg_{table.name} ({stg_column_defs(table)}, _file_order INTEGER, _faults {FAULT_TYPE})")


def _dedupe_order(table: Table) -> str:
    """Which row of a key wins: greatest updated_at (NULL loses), then the later file, then the later line."""
    latest = '"updated_at" desc nulls last, ' if table.has_updated_at else ""
    return latest + "_file_order desc, _source_line desc"


def _limit_message(con, table: Table, counts: TableCounts, limit_pct: float) -> str:
    share = 100.0 * counts.rows_rejected / counts.rows_read
    top = con.execute(
        f"""
        with faults as (
            select _source_file, _source_line, _file_order, unnest(_faults, recursive := true)
            from stg_{table.name} where _faults is not null
        )
        select column_name, reason, count(*) as n,
               arg_min(_source_file || ' line ' || _source_line || ': ''' || coalesce(raw_value, '') || '''',
                       _file_order * 1e12 + _source_line) as first
        from faults
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


def _load_file(con, table: Table, path: Path, file_order: int, times: StageTimes) -> int:
    """Read, type and check one file into stg_<table>; returns the records the file holds."""
    started = time.monotonic()
    source = None
    if path.name.lower().endswith(".parquet"):
        source = sources.parquet(con, path, table, file_order)
    else:
        source = sources.fast_csv(path, table, file_order)
        if source is not None:
            times.read_s += time.monotonic() - started
            started = time.monotonic()
            try:
                inserted = _count(con, insert_sql(table, source))
            except duckdb.InvalidInputException:
                inserted = -1  # DuckDB's reader refused the file; the Python path words the failure
            times.type_check_s += time.monotonic() - started
            started = time.monotonic()
            if inserted == source.loaded.records:
                times.files.append(source.loaded)
                return inserted
            con.execute(f"delete from stg_{table.name} where _file_order = ?", [file_order])
            source = None
        if source is None:
            source = sources.python_csv(con, path, table, file_order)
    times.read_s += time.monotonic() - started
    started = time.monotonic()
    try:
        con.execute(insert_sql(table, source))
    except duckdb.InvalidInputException as exc:
        raise readers.FileError(
            f"{path.name}: unreadable file ({readers.one_line(exc)}); expected a complete export file "
            "with the contract's columns. Fix the transfer and rerun the build."
        ) from exc
    finally:
        if source.scratch:
            con.execute(f"drop table {source.scratch}")
    times.type_check_s += time.monotonic() - started
    times.files.append(source.loaded)
    return source.loaded.records


def stage_table(
    con: duckdb.DuckDBPyConnection,
    table: Table,
    files: list[Path],
    limit_pct: float,
    on_file: Callable[[readers.LoadedFile, float], None],
) -> tuple[TableCounts, StageTimes]:
    """Read, type, validate and de-duplicate a table's files into stg_<table>; rejected rows are recorded.

    `on_file(loaded, seconds)` is called after each file (progress, the manifest's row count)."""
    name, times = table.name, StageTimes()
    create_stg_table(con, table)
    rows_read = 0
    for file_order, path in enumerate(files):
        started = time.monotonic()
        rows_read += _load_file(con, table, path, file_order, times)
        on_file(times.files[-1], time.monotonic() - started)
    started = time.monotonic()
    con.execute(
        f"""insert into rejected_rows
        select {_sql_string(name)}, _source_file, _source_line, f.column_name, f.raw_value, f.reason
        from (select _source_file, _source_line, _file_order, unnest(_faults) as f
              from stg_{name} where _faults is not null)
        order by _file_order, _source_line, f.column_name"""
    )
    rows_rejected = _count(con, f"select count(*) from stg_{name} where _faults is not null")
    times.rejects_s = time.monotonic() - started
    if rows_rejected * 100.0 > limit_pct * rows_read:
        counts = TableCounts(rows_read, 0, 0, rows_rejected)
        raise LimitExceeded(_limit_message(con, table, counts, limit_pct))
    started = time.monotonic()
    key = ", ".join(f'"{k}"' for k in table.key)
    # Keys seen more than once, found by a hash of the key: equal hashes are neighbours once sorted, and
    # sorting one integer per row costs less than half of grouping every row by the key's columns. A hash
    # collision only adds a candidate: the ranking by the exact key keeps each key's winner.
    con.execute(
        f"""create or replace temp table superseded as
        with hashed as (
            select hash({key}) as _key_hash from stg_{name} where _faults is null
        ),
        duplicated as (
            select distinct _key_hash
            from (select _key_hash, lag(_key_hash) over (order by _key_hash) as _previous from hashed)
            where _key_hash = _previous
        ),
        ranked as (
            select s.rowid as _row, row_number() over (partition by {key} order by {_dedupe_order(table)}) as _rank
            from stg_{name} as s
            where _faults is null and hash({key}) in (select _key_hash from duplicated)
        )
        select _row from ranked where _rank > 1"""
    )
    rows_superseded = _count(con, "select count(*) from temp.superseded")
    con.execute(f"delete from stg_{name} where _faults is not null or rowid in (select _row from temp.superseded)")
    con.execute("drop table temp.superseded")
    con.execute(f"alter table stg_{name} drop column _faults")
    con.execute(f"alter table stg_{name} drop column _file_order")
    times.dedupe_s = time.monotonic() - started
    counts = TableCounts(
        rows_read=rows_read,
        rows_loaded=_count(con, f"select count(*) from stg_{name}"),
        rows_superseded=rows_superseded,
        rows_rejected=rows_rejected,
    )
    if counts.rows_read != counts.rows_loaded + counts.rows_superseded + counts.rows_rejected:
        raise AssertionError(f"row identity broken for {name}: {counts} (a bug in the build, not in the export)")
    return counts, times
