"""Work the first page after a server start would otherwise do, done while the server starts.

A fresh process pays once for what every later page reuses: the page modules' imports (Altair,
pandas' Styler templates, openpyxl behind the download menu), the text files of both languages,
Altair's lazily built chart machinery, Streamlit's one-off check whether it runs in a REPL (it
reads the source of every frame on the stack), and the published database: its connection opened
and checked (kamdata.dbcheck). app.py runs `warm()` in its server's startup (st.App lifespan), so
/_stcore/health answers once this is done and the first user's page finds it all in place. Nothing
here may keep the server from starting: a failure is logged and the page reports it as usual.

A nightly publish would leave the same work (a new file opened and checked, every cache empty) to
the morning's first user. `watch_publishes()` runs for the server's lifetime: every PUBLISH_POLL_S
it looks at the published path (one stat) and, for a version it has not seen, does that work at
once (`warm_version`: the connection opened and checked, the landing page's queries for a user who
set no filter cached). /api/health says whether the version it serves is warmed (`ready()`).
"""

from __future__ import annotations

import asyncio
import gc
import importlib
import logging
import time

from kamdata.query import DbVersion

_log = logging.getLogger(__name__)
PUBLISH_POLL_S = 2.0
# Queries of the frame and the landing page (portfolio) a user with no filter runs: (name, takes the
# filters). tests/test_app_warmup.py checks that after warm_version the page runs none of them again.
LANDING_QUERIES = (
    ("status_build_info", False),
    ("kpi_params", False),
    ("filters_accounts", False),
    ("filters_service_lines", False),
    ("portfolio_accounts", True),
    ("portfolio_kpis", True),
    ("portfolio_alerts", True),
    ("portfolio_health_history", True),
)
_warmed: DbVersion | None = None  # the last version warm_version finished

# What the pages import beyond app.py's own imports (app_pages/*.py).
PAGE_MODULES = (
    "kamdata.app.widgets",
    "kamdata.app.chart_cache",
    "kamdata.app.alerts",
    "kamdata.app.page_state",
    "kamdata.app.charts.portfolio",
    "kamdata.app.charts.sla",
    "kamdata.app.charts.sustainability",
    "kamdata.app.charts.workload",
)


def _texts() -> None:
    from kamdata.app.i18n import TEXTS_DIR, texts

    for path in TEXTS_DIR.glob("*.toml"):
        texts(path.stem)


def _chart() -> None:
    """One small layered chart with a selection, a condition and a tooltip, converted like a page's."""
    import altair as alt
    import pandas as pd

    from kamdata.app.chart_cache import to_spec

    frame = pd.DataFrame({"x": [1.0, 2.0], "y": [3.0, 4.0], "band": ["healthy", "watch"]})
    pick = alt.selection_point(fields=["band"])
    points = (
        alt.Chart(frame)
        .mark_circle()
        .encode(
            x=alt.X("x:Q", title="x"),
            y=alt.Y("y:Q", title="y"),
            color=alt.condition(pick, alt.Color("band:N"), alt.value("#9aa0a6")),
            tooltip=[alt.Tooltip("x:Q", format=",.1f")],
        )
        .add_params(pick)
    )
    to_spec(alt.layer(points, points.mark_text()).properties(height=100))


def _streamlit_repl_check() -> None:
    from streamlit import delta_generator

    check = getattr(delta_generator, "_maybe_print_use_warning", None)
    if check is not None:
        check()


def _published() -> DbVersion | None:
    """The published version now (None: no database yet; the demo is built by the first page, and a
    missing database is that page's message)."""
    from kamdata import query
    from kamdata.app import bootstrap

    try:
        return query.current_version(bootstrap.database_path())
    except query.NoDatabase:
        return None


def _database() -> None:
    version = _published()
    if version is not None:
        warm_version(version)


def warm_version(version: DbVersion) -> None:
    """A newly published `version` made ready before its first user: opened and checked (kamdata.dbcheck),
    the landing page's queries for the unscoped view (login off, or management) with no filter cached.
    Scoped users' views differ per person and are left to their first page."""
    global _warmed
    from kamdata import dbcheck
    from kamdata.app import db
    from kamdata.app.filters import default_filters

    if dbcheck.problem(version) is None:
        params = default_filters(db.as_of(version)).params()
        for name, filtered in LANDING_QUERIES:
            db.prefetch(version, name, params if filtered else None)
    _warmed = version


def ready() -> bool | None:
    """Whether the published version is the one warm_version last finished (None: no database)."""
    version = _published()
    return None if version is None else version == _warmed


async def watch_publishes(poll_s: float = PUBLISH_POLL_S) -> None:
    """For the server's lifetime: warm every newly published version as soon as it appears."""
    seen: DbVersion | None = None
    while True:
        try:
            version = _published()
        except Exception:  # unreadable settings and the like: the page says so; keep watching
            _log.exception("publish watch: cannot resolve the database")
            version = None
        if version is not None and version != seen:
            seen = version
            try:
                await asyncio.to_thread(warm_version, version)
            except Exception:  # the page reports the problem when it meets it
                _log.exception("warming version %s failed", version)
        await asyncio.sleep(poll_s)


def freeze_startup_objects() -> None:
    """Move every object alive after the startup (imported modules, the warmed caches: about 150,000)
    out of reach of Python's cyclic collector. Its full collections otherwise scan them all, 50-100 ms each,
    at random moments inside page runs (the slowest warm runs of the bench); now they scan only what
    sessions created since. The collector stays on."""
    global _frozen_objects
    gc.collect()
    gc.freeze()
    _frozen_objects = gc.get_freeze_count()


_frozen_objects = 0


def frozen_objects() -> int:
    """How many objects the startup froze (freeze_startup_objects); 0 before it ran."""
    return _frozen_objects


def warm() -> dict[str, float]:
    """Do every step; returns seconds per step (a failed step is logged and skipped)."""
    steps = {
        "imports": lambda: [importlib.import_module(name) for name in PAGE_MODULES],
        "texts": _texts,
        "chart": _chart,
        "streamlit": _streamlit_repl_check,
        "database": _database,
    }
    seconds: dict[str, float] = {}
    for name, step in steps.items():
        start = time.perf_counter()
        try:
            step()
        except Exception:  # the server starts anyway; the page shows the problem when it meets it
            _log.exception("warm-up step %s failed", name)
        seconds[name] = round(time.perf_counter() - start, 3)
    _log.info("warm-up: %s", seconds)
    return seconds
