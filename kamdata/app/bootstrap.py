"""Make sure the app has a database: the configured one, else a generated demo.

With no database configured ($KAM_DB unset and `paths.db` empty) a newcomer
still sees a full dashboard: the demo export set is generated under
`paths.demo_dir` and built there once, then reused; it is rebuilt when older
than a day so the demo looks live. `paths.demo_dir = ""` disables the demo
(the app then explains how to configure a database). The app itself never
writes to a configured database.
"""

from __future__ import annotations

import fcntl
import time
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import kamdata
from kamdata.app.settings import app_settings
from kamdata.build import buildlog
from kamdata.query import TIMEZONE
from kamdata.settings import ROOT, configured_db_path, load_settings

DEMO_DB_NAME = "kam.duckdb"
DEMO_MAX_AGE_S = 24 * 3600


def berlin_today(now: datetime | None = None) -> date:
    """Today's date in Europe/Berlin, whatever the machine's time zone (`now` for tests)."""
    return (now or datetime.now(ZoneInfo(TIMEZONE))).astimezone(ZoneInfo(TIMEZONE)).date()


def demo_enabled(settings: dict) -> bool:
    """The demo runs unless `paths.demo_dir` is set to an empty string."""
    return bool(str(settings["paths"].get("demo_dir", "")).strip())


def _demo_root(settings: dict) -> Path:
    path = Path(settings["paths"]["demo_dir"]).expanduser()
    return path if path.is_absolute() else ROOT / path


def database_path(settings: dict | None = None) -> Path | None:
    """The published database path the app reads: configured, else demo, else None."""
    settings = settings or app_settings()
    configured = configured_db_path(settings)
    if configured is not None:
        return configured
    if demo_enabled(settings):
        return _demo_root(settings) / DEMO_DB_NAME
    return None


def is_demo(settings: dict | None = None) -> bool:
    """True when the app shows generated demo data (no database configured)."""
    settings = settings or app_settings()
    return configured_db_path(settings) is None and demo_enabled(settings)


def _demo_is_fresh(db_path: Path) -> bool:
    """Built less than a day ago by this version of the code (a newer version may need new models)."""
    if not db_path.exists() or time.time() - db_path.resolve().stat().st_mtime >= DEMO_MAX_AGE_S:
        return False
    last = buildlog.last_success(db_path)
    return last is not None and last.get("project_version") == kamdata.__version__


def ensure_demo_database(settings: dict | None = None) -> Path:
    """Generate and build the demo database unless a fresh one exists; returns its path.

    A file lock keeps two app processes from building it at the same time.
    """
    from kamdata.build.runner import run_build
    from kamdata.demo.generate import generate

    settings = settings or load_settings()
    root = _demo_root(settings)
    db_path = root / DEMO_DB_NAME
    if _demo_is_fresh(db_path):
        return db_path
    root.mkdir(parents=True, exist_ok=True)
    with open(root / ".build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not _demo_is_fresh(db_path):
            exports = root / "exports"
            generate(exports, scale="small", seed=7, as_of=berlin_today())
            run_build(exports, db_path, quiet=True)
    return db_path
