"""The app's settings, read once per process: settings.toml overlaid by $KAM_SETTINGS.

Only app-level values are taken from here ([app]: default_language,
freshness_limit_h, show_per_person_workload; [paths]). KPI thresholds and
windows are NOT: pages take them from the parameters frozen into the build
they show (`kamdata.app.db.kpi_params()`), so a settings change after the build
cannot make a page explain its figures with other thresholds than they were
computed with.

The cache key is the override path and both files' modification times, so a
changed file or another $KAM_SETTINGS (tests) is read on the next call.
"""

from __future__ import annotations

import os
from functools import lru_cache

from kamdata.settings import DEFAULT_SETTINGS, load_settings


def _mtime(path: str | os.PathLike) -> int | None:
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return None  # a missing override fails in load_settings with its own message


@lru_cache(maxsize=8)
def _load(override: str | None, default_mtime: int | None, override_mtime: int | None) -> dict:
    return load_settings(override)


def app_settings() -> dict:
    """The merged settings (read-only: the dict is shared by every caller in the process)."""
    override = os.environ.get("KAM_SETTINGS") or None
    return _load(override, _mtime(DEFAULT_SETTINGS), _mtime(override) if override else None)
