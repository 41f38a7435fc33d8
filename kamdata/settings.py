"""Settings: the repository's settings.toml, optionally overlaid by another file.

One TOML file holds every threshold, weight, band, emission factor and path so
management can change them without touching code; builds record what they used.
"""

from __future__ import annotations

import copy
import functools
import os
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SETTINGS = ROOT / "settings.toml"


def _merge(base: dict, override: dict) -> dict:
    """Deep-merge override into a copy of base (tables merge, other values replace)."""
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def load_settings(path: str | os.PathLike | None = None) -> dict:
    """The shipped settings, overlaid by `path` (or $KAM_SETTINGS) when given.

    Parsed once per process and file state (the files' modification times are part of the key), so a
    page's many queries cost a stat and a copy, not a parse, and an edited file is read again; each
    caller gets its own copy to change."""
    override = path or os.environ.get("KAM_SETTINGS")
    override_key = (str(override), Path(override).stat().st_mtime_ns) if override else None
    return copy.deepcopy(_parsed(DEFAULT_SETTINGS.stat().st_mtime_ns, override_key))


@functools.lru_cache(maxsize=16)
def _parsed(default_mtime_ns: int, override: tuple[str, int] | None) -> dict:
    with open(DEFAULT_SETTINGS, "rb") as fh:
        settings = tomllib.load(fh)
    if override:
        with open(override[0], "rb") as fh:
            settings = _merge(settings, tomllib.load(fh))
    return settings


def configured_db_path(settings: dict) -> Path | None:
    """The configured database path ($KAM_DB, else settings), or None for demo mode."""
    value = os.environ.get("KAM_DB") or settings["paths"].get("db") or ""
    if not value:
        return None
    path = Path(value).expanduser()
    return path if path.is_absolute() else ROOT / path


def demo_dir(settings: dict) -> Path:
    """Where the demo export set and database live when no database is configured."""
    path = Path(settings["paths"]["demo_dir"]).expanduser()
    return path if path.is_absolute() else ROOT / path
