"""The audit log: who opened which account's review, review pack or download, and when.

JSON lines (one object per event: `at` UTC ISO time, `event`, `user`, `role`, and the event's
details such as `account_id` or `file`), rotated by size (logging.handlers.RotatingFileHandler),
in a file of its own, never in the DuckDB database (the app never writes to it). Path and rotation
from settings [auth]: `audit_log` ("" = audit.jsonl next to the published database, or in the
demo directory), `audit_max_bytes`, `audit_backups`. Management reads it on the data-status page.
"""

from __future__ import annotations

import json
import logging
import threading
from datetime import UTC, datetime
from logging.handlers import RotatingFileHandler
from pathlib import Path

from kamdata.settings import ROOT

FILE_NAME = "audit.jsonl"
EVENTS = ("review", "pack", "download")

_lock = threading.Lock()
_loggers: dict[tuple[str, int, int], logging.Logger] = {}


def log_path(settings: dict, database: Path | None) -> Path:
    """Where the audit log lives: settings [auth] audit_log, else next to the database."""
    configured = str(settings.get("auth", {}).get("audit_log", "") or "")
    if configured:
        path = Path(configured).expanduser()
        return path if path.is_absolute() else ROOT / path
    if database is None:
        raise ValueError("no audit log path: set [auth] audit_log or configure a database")
    return Path(database).expanduser().absolute().parent / FILE_NAME


def _logger(path: Path, max_bytes: int, backups: int) -> logging.Logger:
    """One logger per file (every session of the process appends through the same handler)."""
    key = (str(path), max_bytes, backups)
    with _lock:
        logger = _loggers.get(key)
        if logger is None:
            path.parent.mkdir(parents=True, exist_ok=True)
            handler = RotatingFileHandler(path, maxBytes=max_bytes, backupCount=backups, encoding="utf-8")
            handler.setFormatter(logging.Formatter("%(message)s"))
            logger = logging.getLogger(f"kamdata.audit.{len(_loggers)}")
            logger.propagate = False
            logger.setLevel(logging.INFO)
            logger.addHandler(handler)
            _loggers[key] = logger
    return logger


def record(settings: dict, database: Path | None, event: str, user: str, role: str | None, **details) -> dict:
    """Append one event (returns it). `details` must be JSON values (account ids, file names)."""
    if event not in EVENTS:
        raise ValueError(f"unknown audit event {event!r}")
    auth = settings.get("auth", {})
    entry = {"at": datetime.now(UTC).isoformat(timespec="seconds"), "event": event, "user": user, "role": role}
    entry.update(details)
    logger = _logger(
        log_path(settings, database), int(auth.get("audit_max_bytes", 5_000_000)), int(auth.get("audit_backups", 5))
    )
    logger.info(json.dumps(entry, ensure_ascii=False, default=str))
    return entry


def read(settings: dict, database: Path | None, limit: int = 200) -> list[dict]:
    """The latest `limit` events, newest first, from the current file and its rotated copies
    (a line that is not JSON is skipped: a torn last line after a crash loses nothing else)."""
    path = log_path(settings, database)
    backups = int(settings.get("auth", {}).get("audit_backups", 5))
    entries: list[dict] = []
    for candidate in [path, *(path.with_name(f"{path.name}.{n}") for n in range(1, backups + 1))]:
        if not candidate.exists():
            continue
        lines = candidate.read_text(encoding="utf-8").splitlines()
        for line in reversed(lines):
            try:
                entry = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(entry, dict):
                entries.append(entry)
            if len(entries) >= limit:
                return entries
    return entries
