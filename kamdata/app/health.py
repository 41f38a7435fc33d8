"""GET /api/health: is the dashboard showing fresh data from a good build? For monitoring.

Served by Streamlit's own server (app.py's `st.App`), answered from the published database
and its build log: HTTP 200 when the data can be shown, is fresher than settings
`[app] freshness_limit_h` and the last build did not fail; 503 otherwise (no database, an
unusable one (kamdata.dbcheck), unreadable settings, stale data or a failed last build), with
the reasons in `problems`. It names the build, never a path or an error text, so it may be
reachable from wherever the monitoring runs.
"""

from __future__ import annotations

from datetime import datetime

import pandas as pd
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from kamdata import dbcheck, query
from kamdata.app import bootstrap, frame, warmup
from kamdata.app.settings import app_settings
from kamdata.build import buildlog
from kamdata.settings import SettingsError

PATH = "/api/health"


def _hours(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _last_build(path) -> dict | None:
    """The last build attempt: its status and hours since it finished (else started)."""
    attempt = buildlog.last_attempt(path)
    if attempt is None:
        return None
    stamp = attempt.get("finished_at") or attempt.get("started_at")
    return {"status": attempt.get("status"), "age_h": _hours(frame.hours_since(stamp) if stamp else None)}


def status(now: datetime | None = None) -> tuple[int, dict]:
    """The HTTP status and the JSON body of /api/health."""
    try:
        settings = app_settings()
    except SettingsError:
        return 503, {"status": "failing", "problems": ["settings_error"]}
    path = bootstrap.database_path(settings)
    try:
        version = query.current_version(path)
    except query.NoDatabase:
        return 503, {"status": "failing", "problems": ["no_database"]}
    problem = dbcheck.problem(version)
    if problem is not None:
        return 503, {"status": "failing", "problems": [f"database_{problem.reason}"]}
    info = query.run(version, "status_build_info").iloc[0]
    limit = settings["app"]["freshness_limit_h"]
    age = frame.data_age_hours(info, now)
    last_build = _last_build(path)
    problems = []
    if age is None or age > limit:
        problems.append("stale")
    if last_build is not None and last_build["status"] == "failed":
        problems.append("build_failed")
    body = {
        "status": "failing" if problems else "ok",
        "problems": problems,
        "database_version": str(info["build_id"]),
        "as_of": pd.Timestamp(info["as_of"]).date().isoformat(),
        "data_age_h": _hours(age),
        "freshness_limit_h": limit,
        "last_build": last_build,
        "warm": warmup.ready(),
        # objects the startup froze out of the cyclic collector (warmup.freeze_startup_objects); 0 = not done
        "frozen_objects": warmup.frozen_objects(),
    }
    return (503 if problems else 200), body


def _endpoint(request: Request) -> JSONResponse:
    code, body = status()
    return JSONResponse(body, status_code=code, headers={"Cache-Control": "no-store"})


def routes() -> list[Route]:
    """The routes app.py adds to Streamlit's server."""
    return [Route(PATH, _endpoint, methods=["GET"])]
