"""Is this database one the app can show? Checked once per database version, when it is opened.

An operator's mistake must end in a page that says what to do, never in a traceback halfway
through a page: `KAM_DB` naming a directory, an empty or foreign file, a file cut short (a copy
that did not finish, a full disk), a database built by an older version of the code (a table,
column or function the app's queries need is missing, or a rule of sql/macros that the database
holds differs from the app's: rebuild it), or one whose `build_info` is empty. A changed rule
matters because the marts were computed with the database's rules while the app's queries (and
the view mart_ticket_sla, computed when read) use the app's: the two would disagree.
`problem(version)` compares the file's size with the blocks DuckDB says it holds (a copy cut
short still opens when its catalog survived), then binds every query file and every
explorer dataset on the app's own locked-down connection (kamdata.query) without reading any
data (parameters NULL, under `limit 0`), so "what the app needs" is exactly what its SQL reads.
The answer is cached per version: a new build is checked once, on first use. Binding (most of
the check's time) is a pure function of the file's catalog and the app's SQL, so its outcome is
kept per (catalog digest, SQL digest): a nightly build with the same tables, columns, views and
macros as one already bound is not bound again; one with any difference in them is.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from dataclasses import dataclass
from functools import lru_cache

import duckdb

from kamdata import query
from kamdata.query import DbVersion

DUCKDB_MAGIC = b"DUCK"  # bytes 8-11 of every DuckDB database file
REASONS = ("directory", "empty", "not_duckdb", "unreadable", "outdated", "no_build_info")
SHOWN_FAILURES = 3  # an outdated database: the first few missing objects name the problem well enough

# The file's blocks (its headers come on top): a shorter file was cut short.
_BLOCKS = "select block_size, total_blocks from pragma_database_size() where database_name = current_database()"
# The rules (macros of sql/macros) the database was built with that differ from the app's: a query cursor
# holds the app's as temporary macros (kamdata.query), the file its own.
_CHANGED_RULES = """
select built.function_name
from duckdb_functions() as built
join duckdb_functions() as app
  on app.function_name = built.function_name
 and app.database_name = 'temp'
 and app.parameters = built.parameters
where built.database_name = current_database()
  and not built.internal
  and built.macro_definition is distinct from app.macro_definition
order by 1
"""

_log = logging.getLogger(__name__)
# (catalog digest, SQL digest) -> the selects that did not bind; a few catalogs per process at most
_bound: dict[tuple[str, str], dict[str, str]] = {}
_bound_lock = threading.Lock()


@dataclass(frozen=True)
class Problem:
    """Why the database at `path` cannot be shown (`reason`, one of REASONS) and DuckDB's own words."""

    reason: str
    path: str
    detail: str = ""


def _statements() -> dict[str, str]:
    """Every select the app runs: the query files and the explorer datasets (fields and measures)."""
    from kamdata.explore.registry import DATASETS

    statements = {name: query.load(name).sql for name in query.query_names()}
    for dataset in DATASETS.values():
        columns = ", ".join(f'd."{f.name}"' for f in (*dataset.fields, *dataset.person_fields))
        statements[f"explorer {dataset.id}"] = f"select {columns} from {dataset.table} as d"
        measures = ", ".join(m.sql for m in dataset.measures)
        if measures:
            statements[f"explorer {dataset.id} measures"] = f"select {measures} from {dataset.table} as d"
    return statements


def _unbindable(version: DbVersion) -> dict[str, str]:
    """query.unbindable of every statement, reused for a version whose catalog was bound before."""
    statements = _statements()
    sql = hashlib.blake2b(repr(sorted(statements.items())).encode(), digest_size=20).hexdigest()
    key = (query.catalog_digest(version), sql)
    with _bound_lock:
        known = _bound.get(key)
    if known is None:
        known = query.unbindable(version, statements)
        with _bound_lock:
            _bound[key] = known
    return known


def _file_problem(path: str) -> str | None:
    """What is wrong with the file itself, before DuckDB opens it."""
    if os.path.isdir(path):
        return "directory"
    if os.path.getsize(path) == 0:
        return "empty"
    with open(path, "rb") as fh:
        header = fh.read(12)
    return None if header[8:12] == DUCKDB_MAGIC else "not_duckdb"


def _check(version: DbVersion) -> Problem | None:
    reason = _file_problem(version.path)
    if reason:
        return Problem(reason, version.path)
    try:
        failures = _unbindable(version)
        if failures:
            shown = "; ".join(f"{name}: {error}" for name, error in sorted(failures.items())[:SHOWN_FAILURES])
            return Problem("outdated", version.path, shown)
        changed = query.run_sql(version, _CHANGED_RULES, {})["function_name"].tolist()
        if changed:
            return Problem("outdated", version.path, "rules changed since the build: " + ", ".join(changed))
        blocks = query.run_sql(version, _BLOCKS, {}).iloc[0]
        expected = int(blocks["block_size"]) * int(blocks["total_blocks"])
        if os.path.getsize(version.path) < expected:  # DuckDB reads the missing blocks only when a query needs them
            size = os.path.getsize(version.path)
            return Problem("unreadable", version.path, f"{size} bytes, its blocks need at least {expected}")
        if query.run(version, "status_build_info").empty:
            return Problem("no_build_info", version.path)
    except duckdb.Error as exc:  # cut short or damaged: DuckDB cannot read its blocks
        return Problem("unreadable", version.path, str(exc).splitlines()[0])
    return None


@lru_cache(maxsize=16)
def problem(version: DbVersion) -> Problem | None:
    """None when the app can show database `version`, else the Problem (logged once per version)."""
    found = _check(version)
    if found is not None:
        _log.error("database %s cannot be shown: %s %s", found.path, found.reason, found.detail)
    return found
