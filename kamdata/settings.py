"""Settings: the repository's settings.toml, optionally overlaid by another file.

One TOML file holds every threshold, weight, band, emission factor and path so
management can change them without touching code; builds record what they used.
A file that is not valid TOML, or a value whose type differs from the shipped
one (text where a number belongs, ...), raises SettingsError naming the file and
the line or key, so the app and the CLI can say what to fix instead of failing later.
"""

from __future__ import annotations

import copy
import functools
import os
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SETTINGS = ROOT / "settings.toml"


class SettingsError(ValueError):
    """A settings file is not valid TOML or gives a key a value of the wrong type."""


def _kind(value) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    kinds: dict[type, str] = {str: "text", list: "a list", dict: "a table"}
    return kinds.get(type(value), type(value).__name__)


def _check_types(override: dict, base: dict, file: str, prefix: str = "") -> None:
    """Every key `override` shares with `base` has the kind of value `base` has (tables recursively)."""
    for key, value in override.items():
        if key not in base:
            continue  # keys the shipped file does not have (a provider table, ...) are their reader's business
        name = f"{prefix}{key}"
        if _kind(value) != _kind(base[key]):
            raise SettingsError(f"settings file {file}: {name} must be {_kind(base[key])}, not {_kind(value)}")
        if isinstance(value, dict):
            _check_types(value, base[key], file, f"{name}.")


def _read(path: str | os.PathLike) -> dict:
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"settings file {path} is not valid TOML: {exc}") from exc


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
    caller gets its own copy to change. Raises SettingsError (file and line or key) for a bad file."""
    return copy.deepcopy(_parsed(DEFAULT_SETTINGS.stat().st_mtime_ns, _override_key(path)))


def _override_key(path: str | os.PathLike | None = None) -> tuple[str, int] | None:
    """The overlay file (`path`, else $KAM_SETTINGS) and its modification time: part of the parse cache key."""
    override = path or os.environ.get("KAM_SETTINGS")
    return (str(override), Path(override).stat().st_mtime_ns) if override else None


def setting(section: str, key: str, default=None):
    """One scalar of the current settings (`[section] key`) without copying the whole file (per query)."""
    return _parsed(DEFAULT_SETTINGS.stat().st_mtime_ns, _override_key()).get(section, {}).get(key, default)


def min_group_size() -> int:
    """The works council's minimum group size (`[app] min_group_size`): fewer people are never shown as
    a group (workload, explorer, review team), and peer counts over fewer other accounts are withheld
    from a scoped user (kamdata.query's masked views)."""
    return int(setting("app", "min_group_size"))


@functools.lru_cache(maxsize=16)
def _parsed(default_mtime_ns: int, override: tuple[str, int] | None) -> dict:
    settings = _read(DEFAULT_SETTINGS)
    if override:
        overlay = _read(override[0])
        _check_types(overlay, settings, override[0])
        settings = _merge(settings, overlay)
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
