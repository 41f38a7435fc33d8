"""The app's door to the query core: the published database, and results cached per
(database version, query, parameters, scope).

Pages call `query(name, params, scope)`; kamdata.query runs the file (binding,
scope, read-only connection), this module only adds the process-wide cache
(kamdata.app.process_cache: every session reads the same results, without
st.cache_data's hashing and unpickling on every read). The key holds the
database version, so a new build is read on the next run without clearing
anything, and the scope, so a scoped user never reads another scope's rows.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import streamlit as st

from kamdata import query as core
from kamdata.app import bootstrap, process_cache
from kamdata.query import DbVersion, NoDatabase, Scope
from kamdata.review import Review, assemble

__all__ = [
    "NoDatabase",
    "as_of",
    "current_version",
    "kpi_params",
    "pin_version",
    "prefetch",
    "published_path",
    "query",
    "review",
]


def published_path() -> Path | None:
    """The configured database path (a symlink), the demo path, or None when neither applies."""
    return bootstrap.database_path()


PINNED_KEY = "_db_version"  # the version this session's current script run reads (pin_version)


def pin_version() -> DbVersion:
    """Resolve the published version once at the start of a script run (app.py): every query of the run
    then reads that one build, even when a new one is published mid-run (raises NoDatabase)."""
    version = core.current_version(published_path())
    st.session_state[PINNED_KEY] = version
    return version


def current_version() -> DbVersion:
    """The version pinned for this script run, else the one the published path points to now
    (raises NoDatabase)."""
    pinned = st.session_state.get(PINNED_KEY)
    return pinned if pinned is not None else core.current_version(published_path())


def _freeze(params: dict | None) -> tuple:
    """A hashable, order-independent form of params for the cache key."""
    frozen = []
    for key, value in sorted((params or {}).items()):
        if isinstance(value, (set, frozenset)):
            value = tuple(sorted(value))
        elif isinstance(value, list):
            value = tuple(value)
        frozen.append((key, value))
    return tuple(frozen)


@process_cache.memoize(max_entries=1000)
def _cached(version: DbVersion, name: str, frozen_params: tuple, scope: Scope) -> pd.DataFrame:
    return core.run(version, name, dict(frozen_params), scope)


def query(name: str, params: dict | None = None, scope: Scope = None) -> pd.DataFrame:
    """Run `sql/queries/<name>.sql` on the current database (cached; raises NoDatabase).

    params: named parameters (lists/tuples become DuckDB lists; None = SQL NULL).
    scope: account ids the user may see, None = all.
    Returns a copy: the cached frame is shared by every session, and pages change theirs.
    """
    return _cached(current_version(), name, _freeze(params), None if scope is None else tuple(scope)).copy()


@process_cache.memoize(max_entries=16)
def _as_of(version: DbVersion) -> date:
    return pd.Timestamp(_cached(version, "status_build_info", (), None)["as_of"].iloc[0]).date()


def prefetch(version: DbVersion, name: str, params: dict | None = None, scope: Scope = None) -> pd.DataFrame:
    """`query` on a given version, outside any script run: fills the cache a page will read (the warm-up
    of a newly published database, kamdata.app.warmup)."""
    return _cached(version, name, _freeze(params), None if scope is None else tuple(scope))


def as_of(version: DbVersion | None = None) -> date:
    """The as-of date D of `version` (default: the current database; KPIS.md: every figure runs to the
    end of this day), once per version."""
    return _as_of(current_version() if version is None else version)


def kpi_params() -> pd.Series:
    """The KPI parameters frozen into the current build (sql/queries/kpi_params.sql), cached per version.

    Pages read KPI thresholds and windows here (e.g. `health_components_sla_bad`,
    `kpi_overload_threshold_pct`), never from settings.toml: the build computed the
    figures with these values.
    """
    return query("kpi_params").iloc[0]


@st.cache_data(show_spinner=False, max_entries=50)
def _cached_review(version: DbVersion, account_id: str, lang: str, scope: Scope) -> Review | None:
    return assemble(version, account_id, lang, scope)


def review(account_id: str, lang: str, scope: Scope = None) -> Review | None:
    """The account review (kamdata.review.assemble) of `account_id` in `lang` on the current database,
    cached per (database version, account, language, scope); None when the account is unknown or outside
    the scope (raises NoDatabase)."""
    return _cached_review(current_version(), account_id, lang, None if scope is None else tuple(scope))
