"""The query core: the one executor of `sql/queries/*.sql`, with no Streamlit in it.

The dashboard (through its cache, kamdata.app.db), `python -m kamdata bench`,
and every later caller (review pack, explorer, CLI) run queries through
`run(version, name, params, scope)`:

- `name` is a file `sql/queries/<name>.sql` holding ONE select.
- Parameters are DuckDB named parameters (`$accounts`), always bound, never
  formatted into the SQL. Only the parameters a file's code uses (comments do
  not count) are passed to it, so a caller may hand the same filter
  dictionary to every query; a missing one is an error.
- `scope` is the tuple of account ids the user may see (None = all). The core
  enforces it, not the query author: on a scoped cursor every table (or view) with an
  `account_id` column is replaced by a temporary view holding only the
  scope's rows; every table of sites' facts (a `site_id`, no `account_id`: meter
  readings) by the visible accounts' sites; every table of people (an
  `employee_id`) by the members of those accounts' teams and their KAMs; every other
  table (build statistics, department totals, ...) by an empty view, unless it
  is reference data (REFERENCE_TABLES) or the query file declares it in a
  header line

      -- unscoped: stg_employees, mart_department_monthly (why this is not account data)

  So a query cannot forget the restriction: whatever it reads, it reads
  through the scope (table macros and aggregates included). Tables holding peer
  figures computed over other accounts (an industry's cross-sell counts) get the
  view of sql/scope/<table>.sql instead, which withholds those figures where
  they would tell about fewer than `[app] min_group_size` other accounts.
- Every query has a time limit: `run` takes settings `[app] query_timeout_s` unless told
  otherwise; a query over it is interrupted (QueryTimeout) and its cursor closed, not pooled,
  so the app keeps serving.
- `run_sql(version, sql, params, scope, timeout_s)` runs a select that
  kamdata.explore.sql built from its registry on the same cursors; a query over
  its own time limit (the explorer's) is interrupted the same way.
- Macros: the SQL files of sql/macros are created as temporary macros on each
  cursor, so the queries run with this version's rules even on a database
  built before a macro changed (the build creates the same files in the
  database for the marts and outside tools).
- `unbindable(version, statements)` binds selects without running them (kamdata.dbcheck: does
  this database have every table, column and function the app's queries need?);
  `catalog_digest(version)` names what binding depends on in the file (its tables, columns and
  types, views, macros), so a check can be reused for a new version with the same catalog.

Connections: read-only, to the REAL file behind the published symlink (DuckDB
hands a second connect() to a path this process already holds the OLD
database), locked down (no file or network access, no extension loading, time
zone set globally, memory and threads from settings `[app] db_memory_limit` and
`db_threads`, then `lock_configuration`). Prepared cursors are pooled per
(version, scope, declared tables); a superseded version's connection is closed
once idle, so a query in flight during a republish finishes on the version it
started with.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import duckdb
import pandas as pd

from kamdata.settings import SettingsError, load_settings, min_group_size, setting

SQL_DIR = Path(__file__).resolve().parent.parent / "sql"
QUERIES_DIR = SQL_DIR / "queries"
MACROS_DIR = SQL_DIR / "macros"
SCOPED_VIEWS_DIR = SQL_DIR / "scope"
# The data's time zone (settings `kpi.timezone`, KPIS.md: Europe/Berlin). The build computed every
# date with it and froze it into kpi_params; a session takes it from there (this is the fallback).
TIMEZONE = load_settings()["kpi"]["timezone"]
# How a table is restricted under a scope, by the first of these columns it has: the key set is
# materialised from the (already scoped) views of the tables before it, so order matters.
SCOPE_KEYS = (
    ("account_id", "select unnest($ids::varchar[]) as id"),
    ("site_id", "select site_id from stg_sites"),  # meter readings: the visible accounts' sites
    ("employee_id", "select employee_id from stg_account_team union select kam_id from stg_accounts"),
)
# Everything in a database's catalog that binding a select depends on besides its columns (catalog_digest).
_CATALOG = (
    "select schema_name, view_name, sql from duckdb_views() where database_name = current_database() and not internal",
    "select schema_name, function_name, function_type, parameters::varchar, macro_definition from duckdb_functions() "
    "where database_name = current_database() and not internal",
    "select schema_name, type_name, logical_type from duckdb_types() where database_name = current_database() "
    "and not internal",
)
# Tables every query may read under any scope: parameters and reference data, no account facts.
REFERENCE_TABLES = {
    "kpi_params": "the build's KPI parameters",
    "build_info": "the build's metadata",
    "mart_emission_factors": "published emission factors",
    "stg_emission_factors": "published emission factors",
    "seed_emission_factors": "published emission factors",
}

_PARAM = re.compile(r"\$([a-z_][a-z0-9_]*)")
_COMMENT = re.compile(r"--[^\n]*")
_UNSCOPED = re.compile(r"^--\s*unscoped:\s*([a-z0-9_,\s]+?)\s*\((.+)\)\s*$", re.M)
_NAME = re.compile(r"[a-z0-9_]+")
_MEMORY = re.compile(r"\d+(\.\d+)?\s*[KMGT]i?B", re.I)

Scope = tuple[str, ...] | None
# A cursor pool: the scope, the tables the query declared unscoped and the minimum group size of the
# masked views (both only under a scope).
PoolKey = tuple[Scope, frozenset[str], int]
UNSCOPED_POOL: PoolKey = (None, frozenset(), 0)


class QueryTimeout(RuntimeError):
    """A query ran longer than its time limit and was interrupted (the app keeps serving)."""


class NoDatabase(RuntimeError):
    """No database is published at the given path."""


@dataclass(frozen=True)
class DbVersion:
    """One published database file: its real path and modification time."""

    path: str
    mtime_ns: int


def current_version(path: str | os.PathLike | None) -> DbVersion:
    """The version the published path (a symlink or a file) points to right now (raises NoDatabase)."""
    if path is None:
        raise NoDatabase("no database configured")
    real = os.path.realpath(path)
    try:
        return DbVersion(real, os.stat(real).st_mtime_ns)
    except FileNotFoundError as exc:
        raise NoDatabase(f"no database at {path}") from exc


@dataclass(frozen=True)
class QueryFile:
    """One parsed query file: its SQL, the parameters its code uses, the non-account tables it declares."""

    name: str
    sql: str
    params: frozenset[str]
    unscoped: frozenset[str]


@cache
def load(name: str) -> QueryFile:
    """Read and parse `sql/queries/<name>.sql` (cached per process; the files ship with the code)."""
    if not _NAME.fullmatch(name):
        raise ValueError(f"invalid query name {name!r}")
    sql = (QUERIES_DIR / f"{name}.sql").read_text(encoding="utf-8")
    code = _COMMENT.sub("", sql)
    unscoped: set[str] = set()
    for tables, _why in _UNSCOPED.findall(sql):
        unscoped.update(t.strip() for t in tables.split(",") if t.strip())
    return QueryFile(name, sql, frozenset(_PARAM.findall(code)), frozenset(unscoped))


def query_names() -> list[str]:
    """Every query file's name."""
    return sorted(path.stem for path in QUERIES_DIR.glob("*.sql"))


@lru_cache(maxsize=1)
def _temp_macros() -> tuple[str, ...]:
    """sql/macros/*.sql as statements creating temporary macros (run on every new cursor)."""
    statements: list[str] = []
    for path in sorted(MACROS_DIR.glob("*.sql")):
        text = _COMMENT.sub("", path.read_text(encoding="utf-8"))
        text = re.sub(r"\bcreate\s+or\s+replace\s+macro\b", "create or replace temp macro", text, flags=re.I)
        statements.extend(s.strip() for s in text.split(";") if s.strip())
    return tuple(statements)


@cache
def _scoped_views() -> dict[str, str]:
    """sql/scope/<name>.sql by name: the peer-industry table and the masked views of tables under a scope."""
    return {path.stem: _COMMENT.sub("", path.read_text(encoding="utf-8")) for path in SCOPED_VIEWS_DIR.glob("*.sql")}


def _bindable(value):
    """Tuples and sets become lists (DuckDB LIST parameters); empty filters are NOT widened here."""
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    return list(value) if isinstance(value, (tuple, list)) else value


def bind(query: QueryFile, params: dict | None) -> dict:
    """The parameters query `query` uses, taken from `params` (KeyError naming any that are missing)."""
    supplied = params or {}
    missing = query.params - supplied.keys()
    if missing:
        raise KeyError(f"query {query.name} needs parameters {sorted(missing)}")
    return {key: _bindable(supplied[key]) for key in query.params}


def _frozen_timezone(con: duckdb.DuckDBPyConnection) -> str:
    """The time zone the build computed with (kpi_params.kpi_timezone), else TIMEZONE."""
    try:
        row = con.execute("select kpi_timezone from kpi_params").fetchone()
    except duckdb.Error:
        return TIMEZONE
    zone = row[0] if row and row[0] else TIMEZONE
    if not re.fullmatch(r"[A-Za-z0-9_+\-/]+", zone):
        raise ValueError(f"invalid time zone {zone!r} in kpi_params")
    return zone


def _limits() -> tuple[str, int]:
    """Settings `[app] db_memory_limit` and `db_threads`, checked (they are formatted into SET statements)."""
    memory, threads = str(setting("app", "db_memory_limit")), setting("app", "db_threads")
    if not _MEMORY.fullmatch(memory):
        raise SettingsError(f"settings [app] db_memory_limit must look like '2GB', not {memory!r}")
    if not isinstance(threads, int) or isinstance(threads, bool) or threads < 1:
        raise SettingsError(f"settings [app] db_threads must be a whole number of at least 1, not {threads!r}")
    return memory, threads


def default_timeout() -> float | None:
    """Settings `[app] query_timeout_s` (0 or absent: no limit)."""
    value = setting("app", "query_timeout_s")
    return float(value) if value else None


class _Database:
    """One read-only, locked-down connection to one version, and its pool of prepared cursors."""

    def __init__(self, version: DbVersion) -> None:
        memory, threads = _limits()
        con = duckdb.connect(version.path, read_only=True)
        self.timezone = _frozen_timezone(con)
        for statement in (
            f"set global TimeZone = '{self.timezone}'",
            f"set memory_limit = '{memory}'",
            f"set threads = {threads}",
            "set enable_external_access = false",
            "set autoinstall_known_extensions = false",
            "set autoload_known_extensions = false",
            "set lock_configuration = true",
        ):
            con.execute(statement)
        self.con = con
        catalog = con.execute("select current_database()").fetchone()
        assert catalog is not None  # a select without from returns exactly one row
        self.catalog: str = catalog[0]
        rows = con.execute(
            "select schema_name, table_name, column_index, column_name, data_type from duckdb_columns() "
            "where database_name = current_database()"
        ).fetchall()
        digest = hashlib.blake2b(repr(sorted(map(repr, rows))).encode(), digest_size=20)
        for statement in _CATALOG:  # repr first: a row may hold NULLs, which do not sort among strings
            digest.update(repr(sorted(map(repr, con.execute(statement).fetchall()))).encode())
        self.digest = digest.hexdigest()
        columns: dict[str, set[str]] = {}
        for schema, table, _index, column, _type in rows:
            if schema == "main":
                columns.setdefault(table, set()).add(column)
        # key column -> the tables restricted by it (a table goes to the first key it has)
        self.keyed: dict[str, list[str]] = {key: [] for key, _ in SCOPE_KEYS}
        self.other_tables: list[str] = []
        for table in sorted(columns):
            key = next((k for k, _ in SCOPE_KEYS if k in columns[table]), None)
            if key is not None:
                self.keyed[key].append(table)
            elif table not in REFERENCE_TABLES:
                self.other_tables.append(table)
        self.idle: dict[PoolKey, list[duckdb.DuckDBPyConnection]] = {}
        self.busy = 0

    def _prepare(self, pool: PoolKey) -> duckdb.DuckDBPyConnection:
        cur = self.con.cursor()
        scope, unscoped, min_group = pool
        if scope is not None:
            masked = _scoped_views()
            for key, ids in SCOPE_KEYS:
                cur.execute(f"create temp table _scope_{key} as {ids}", {"ids": list(scope)} if "$ids" in ids else {})
                for table in self.keyed[key]:
                    if table in masked:
                        continue
                    cur.execute(
                        f'create temp view "{table}" as select * from "{self.catalog}".main."{table}" '
                        f"where {key} in (select * from _scope_{key})"
                    )
            for table in self.other_tables:
                if table not in unscoped:
                    cur.execute(
                        f'create temp view "{table}" as select * from "{self.catalog}".main."{table}" where false'
                    )
            cur.execute(
                "create temp table _scope_peer_industries as " + masked["peer_industries"].format(catalog=self.catalog),
                {"min_group_size": min_group},
            )
            for table in self.keyed["account_id"]:
                if table in masked:
                    cur.execute(f'create temp view "{table}" as ' + masked[table].format(catalog=self.catalog))
        for statement in _temp_macros():
            cur.execute(statement)
        return cur

    def checkout(self, scope: Scope, unscoped: frozenset[str]) -> tuple[PoolKey, duckdb.DuckDBPyConnection | None]:
        """The pool key and an idle prepared cursor for it (None: the caller prepares a new one)."""
        key: PoolKey = UNSCOPED_POOL if scope is None else (scope, unscoped, min_group_size())
        pool = self.idle.get(key)
        cur = pool.pop() if pool else None
        self.busy += 1
        return key, cur

    def close(self) -> None:
        for pool in self.idle.values():
            for cur in pool:
                cur.close()
        self.con.close()


class _Watch:
    """Interrupts a cursor's query after timeout_s (a timer thread); `fired` says whether it did."""

    def __init__(self, timeout_s: float | None) -> None:
        self.timeout_s = timeout_s
        self.fired = False
        self._done = False
        self._lock = threading.Lock()

    @contextmanager
    def over(self, cur: duckdb.DuckDBPyConnection) -> Iterator[None]:
        if self.timeout_s is None:
            yield
            return

        def interrupt() -> None:
            with self._lock:
                if not self._done:
                    self.fired = True
                    cur.interrupt()

        timer = threading.Timer(self.timeout_s, interrupt)
        timer.daemon = True
        timer.start()
        try:
            yield
        except duckdb.InterruptException as exc:
            raise QueryTimeout(f"query interrupted after {self.timeout_s} s") from exc
        finally:
            with self._lock:
                self._done = True
            timer.cancel()


class _Databases:
    """The open versions; a superseded one is closed when it is idle."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._open: dict[DbVersion, _Database] = {}

    def _database(self, version: DbVersion) -> _Database:
        """The open database of `version` (opened now if need be); the caller holds the lock."""
        database = self._open.get(version)
        if database is None:
            database = self._open[version] = _Database(version)
        return database

    def run(
        self,
        version: DbVersion,
        sql: str,
        bound: dict,
        scope: Scope,
        unscoped: frozenset[str],
        timeout_s: float | None = None,
    ) -> pd.DataFrame:
        with self._lock:
            database = self._database(version)
            key, cur = database.checkout(scope, unscoped)
        watch = _Watch(timeout_s)
        try:
            if cur is None:
                cur = database._prepare(key)
            with watch.over(cur):
                return cur.execute(sql, bound).df()
        finally:
            with self._lock:
                database.busy -= 1
                if cur is not None and watch.fired:
                    cur.close()  # interrupted: never handed to the next query
                elif cur is not None:
                    database.idle.setdefault(key, []).append(cur)
                self._close_idle(newest=version)

    def unbindable(self, version: DbVersion, statements: dict[str, str]) -> dict[str, str]:
        with self._lock:
            database = self._database(version)
            database.busy += 1
        failures: dict[str, str] = {}
        cur, bound = None, False
        try:
            cur = database._prepare(UNSCOPED_POOL)
            for name, sql in statements.items():
                # Bound with every parameter NULL: PREPARE alone defers binding a statement whose parameter
                # types it cannot infer (`$accounts is null`), and so would miss its missing columns.
                # Under `limit 0` the optimizer drops the plan: nothing is read.
                params = dict.fromkeys(_PARAM.findall(_COMMENT.sub("", sql)))
                try:
                    cur.execute(f"select * from (\n{sql}\n) limit 0", params).fetchall()
                except (duckdb.CatalogException, duckdb.BinderException) as exc:
                    failures[name] = str(exc).splitlines()[0]
            bound = True
            return failures
        finally:
            with self._lock:
                database.busy -= 1
                if bound and cur is not None:  # unscoped, with this version's macros: pooled for the next query
                    database.idle.setdefault(UNSCOPED_POOL, []).append(cur)
                elif cur is not None:
                    cur.close()
                self._close_idle(newest=version)

    def digest(self, version: DbVersion) -> str:
        with self._lock:
            return self._database(version).digest

    def _close_idle(self, newest: DbVersion) -> None:
        """Close every version other than `newest` that no query is using."""
        for old in [v for v, d in self._open.items() if v != newest and d.busy == 0]:
            self._open.pop(old).close()

    def close_all(self) -> None:
        with self._lock:
            for database in self._open.values():
                database.close()
            self._open.clear()


_databases = _Databases()


def run(
    version: DbVersion, name: str, params: dict | None = None, scope: Scope = None, timeout_s: float | None = None
) -> pd.DataFrame:
    """Run query `name` on database `version` for a user who may see `scope` (None = all accounts); after
    `timeout_s` (None: settings `[app] query_timeout_s`) it is interrupted and QueryTimeout raised."""
    query = load(name)
    bound = bind(query, params)
    scope = None if scope is None else tuple(scope)
    limit = default_timeout() if timeout_s is None else timeout_s
    return _databases.run(version, query.sql, bound, scope, query.unscoped, limit)


def run_sql(
    version: DbVersion,
    built_sql: str,
    params: dict,
    scope: Scope = None,
    timeout_s: float | None = None,
    unscoped: frozenset[str] = frozenset(),
) -> pd.DataFrame:
    """Run a select built from a registry (kamdata.explore.sql: identifiers from the registry, every value
    in `params` bound) on the same scoped, locked-down, pooled cursors as `run`; `unscoped` names the
    non-account tables it may read under a scope. After `timeout_s` the query is interrupted and
    QueryTimeout raised; that cursor is closed, not pooled."""
    bound = {key: _bindable(value) for key, value in params.items()}
    return _databases.run(version, built_sql, bound, None if scope is None else tuple(scope), unscoped, timeout_s)


def unbindable(version: DbVersion, statements: dict[str, str]) -> dict[str, str]:
    """The selects (name -> SQL) that database `version` cannot bind, with DuckDB's message: a missing
    table, column or function. Binds on an unscoped cursor with this version's macros, its parameters
    NULL, under `limit 0` (reads nothing).
    A file DuckDB cannot open raises duckdb.Error."""
    return _databases.unbindable(version, statements)


def catalog_digest(version: DbVersion) -> str:
    """A digest of what binding a select depends on in database `version`'s catalog (tables, columns and
    their types, views, macros, types): two files with the same digest bind the same selects the same way.
    A file DuckDB cannot open raises duckdb.Error."""
    return _databases.digest(version)


def close_all() -> None:
    """Close every connection (tests, and a process about to exit)."""
    _databases.close_all()
