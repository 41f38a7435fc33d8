"""The app's one door to the database: named SQL files, bound parameters, scoped, cached.

Every page reads data through `query(name, params, scope)`:

- `name` is a file `sql/queries/<name>.sql` holding ONE select. Page modules
  contain no SQL and no KPI formulas.
- Parameters are DuckDB named parameters (`$regions`) and are always bound,
  never formatted into the SQL. Only the parameters a file's code uses
  (comments do not count) are passed to it, so every page may hand the same
  filter dictionary to every query.
- `scope` is the tuple of account ids the user may see (None = all). It reaches
  the SQL as `$scope` (a VARCHAR list or NULL), and every query file must
  restrict its rows by it, e.g. `in_filter($scope, x.account_id)` (= `($scope
  is null or list_contains($scope, x.account_id))`, sql/macros/app_filters.sql).
  A file whose rows are not account data (build statistics)
  says so in a header line `-- scope: none (<why>)`; any other file without
  `$scope` is refused, so a forgotten restriction fails loudly.

Global filters reach SQL the same way in every file (see
`kamdata.ui.Filters.params`):

    $accounts       VARCHAR[] | NULL  accounts matching the region, industry,
                                      KAM and account filters (already
                                      resolved by query `filters_accounts`);
                                      NULL = no account filter, [] = nothing
    $service_lines  VARCHAR[] | NULL  lower-case service lines, NULL = all
    $date_from      DATE | NULL       first day of the period (inclusive)
    $date_to        DATE | NULL       last day of the period (inclusive)

    where ($scope is null or list_contains($scope, t.account_id))
      and ($accounts is null or list_contains($accounts, t.account_id))
      and ($service_lines is null or list_contains($service_lines, t.service_line))
      and ($date_from is null or t.created_date >= $date_from)
      and ($date_to is null or t.created_date <= $date_to)

Query files do not write these predicates out: they call the macros of
sql/macros/app_filters.sql, which hold the one definition of each, e.g.
`account_filter($scope, $accounts, t.account_id)`,
`month_in_period(t.month, $date_from, $date_to)`, or for tickets the table
macro `filtered_tickets($scope, $accounts, $service_lines, $date_from,
$date_to)` (the block above on mart_ticket_sla). The build creates them in the
database (kamdata.marts), so a database built before they existed must be
rebuilt for the app to read it.

Publishing: the configured database path is a symlink to a versioned file.
The database version is the symlink's real path plus its mtime; a query opens
(and caches) a read-only connection to the REAL path, because DuckDB hands a
second connect() to a path this process already holds the OLD database. Each
query runs on its own cursor of that connection, so a query in flight during
a republish finishes on the version it started with, and the next one opens
the new file. Results are cached per (version, name, params, scope).
"""

from __future__ import annotations

import os
import re
import threading
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

from kamdata import bootstrap

QUERIES_DIR = Path(__file__).resolve().parent.parent / "sql" / "queries"
TIMEZONE = "Europe/Berlin"
_PARAM = re.compile(r"\$([a-z_][a-z0-9_]*)")
_NO_SCOPE = re.compile(r"^--\s*scope:\s*none\b", re.M)
_COMMENT = re.compile(r"--[^\n]*")


class NoDatabase(RuntimeError):
    """No database is published at the configured (or demo) path."""


@dataclass(frozen=True)
class DbVersion:
    """One published database file: its real path and modification time."""

    path: str
    mtime_ns: int


def published_path() -> Path | None:
    """The configured database path (a symlink), the demo path, or None when neither applies."""
    return bootstrap.database_path()


def current_version(path: Path | None = None) -> DbVersion:
    """The version the published path points to right now (raises NoDatabase)."""
    path = path or published_path()
    if path is None:
        raise NoDatabase("no database configured")
    real = os.path.realpath(path)
    try:
        return DbVersion(real, os.stat(real).st_mtime_ns)
    except FileNotFoundError as exc:
        raise NoDatabase(f"no database at {path}") from exc


class _Connections:
    """Read-only connections per database version, closed once superseded and idle."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._open: dict[DbVersion, duckdb.DuckDBPyConnection] = {}
        self._busy: dict[DbVersion, int] = {}

    def cursor(self, version: DbVersion) -> duckdb.DuckDBPyConnection:
        with self._lock:
            con = self._open.get(version)
            if con is None:
                con = duckdb.connect(version.path, read_only=True)
                self._open[version] = con
                self._busy.setdefault(version, 0)
            self._busy[version] += 1
            cur = con.cursor()
        cur.execute(f"set TimeZone = '{TIMEZONE}'")
        return cur

    def release(self, version: DbVersion, newest: DbVersion | None) -> None:
        with self._lock:
            self._busy[version] -= 1
            for old in [v for v in self._open if v != newest and self._busy[v] == 0]:
                self._open.pop(old).close()
                del self._busy[old]


_connections = _Connections()


def sql_text(name: str) -> tuple[str, set[str]]:
    """The SQL of query `name` and the parameters its code (not its comments) uses.

    Refuses files that ignore the user's scope.
    """
    if not re.fullmatch(r"[a-z0-9_]+", name):
        raise ValueError(f"invalid query name {name!r}")
    sql = (QUERIES_DIR / f"{name}.sql").read_text(encoding="utf-8")
    used = set(_PARAM.findall(_COMMENT.sub("", sql)))
    if "scope" not in used and not _NO_SCOPE.search(sql):
        raise ValueError(f"query {name} neither uses $scope nor declares '-- scope: none'")
    return sql, used


def _bindable(value):
    """Tuples become lists (DuckDB LIST parameters); empty filters are NOT widened here."""
    return list(value) if isinstance(value, (tuple, list, frozenset, set)) else value


def _freeze(params: dict | None) -> tuple:
    """A hashable, order-independent form of params for the cache key."""
    frozen = []
    for key, value in sorted((params or {}).items()):
        if isinstance(value, (list, set, frozenset)):
            value = tuple(sorted(value)) if isinstance(value, (set, frozenset)) else tuple(value)
        frozen.append((key, value))
    return tuple(frozen)


def run(version: DbVersion, name: str, params: dict | None = None, scope: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Run query `name` on `version` without caching (the cache calls this)."""
    sql, wanted = sql_text(name)
    supplied = dict(params or {})
    supplied["scope"] = None if scope is None else list(scope)
    missing = wanted - supplied.keys()
    if missing:
        raise KeyError(f"query {name} needs parameters {sorted(missing)}")
    bound = {key: _bindable(supplied[key]) for key in wanted}
    cur = _connections.cursor(version)
    try:
        return cur.execute(sql, bound).df()
    finally:
        cur.close()
        _connections.release(version, _newest())


def _newest() -> DbVersion | None:
    try:
        return current_version()
    except NoDatabase:
        return None


@st.cache_data(show_spinner=False, max_entries=1000)
def _cached(version: DbVersion, name: str, frozen_params: tuple, scope: tuple[str, ...] | None) -> pd.DataFrame:
    return run(version, name, dict(frozen_params), scope)


def query(name: str, params: dict | None = None, scope: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Run `sql/queries/<name>.sql` on the current database (cached; raises NoDatabase).

    params: named parameters (lists/tuples become DuckDB lists; None = SQL NULL).
    scope: account ids the user may see, None = all.
    """
    return _cached(current_version(), name, _freeze(params), None if scope is None else tuple(scope))

