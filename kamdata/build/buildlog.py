"""The build log: one JSON line per build attempt, next to the published database.

`<db path>.builds.jsonl` survives failed builds (which publish no database),
so the dashboard can say "last successful build …, last attempt failed: …".
A build writes a `started` line first and its outcome (`ok`/`failed`) under the same
build_id last; an attempt whose outcome never came (the build was killed, or still
runs) reads as `started`: "no outcome" on the data-status page.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

FIELDS = (
    "build_id",
    "started_at",
    "finished_at",
    "status",
    "error",
    "export_dir",
    "as_of",
    "db_file",
    "duration_s",
    "rows_loaded",
    "rows_rejected",
    "rows_superseded",
    "project_version",  # the demo is rebuilt when another version of the code built it
)


def log_path(db_path: str | os.PathLike) -> Path:
    db_path = Path(db_path)
    return db_path.with_name(db_path.name + ".builds.jsonl")


def append_entry(db_path: str | os.PathLike, entry: dict) -> None:
    """Append one attempt (a single write of one line, flushed to disk)."""
    line = json.dumps({field: entry.get(field) for field in FIELDS}, ensure_ascii=False) + "\n"
    with open(log_path(db_path), "a", encoding="utf-8") as fh:
        fh.write(line)
        fh.flush()
        os.fsync(fh.fileno())


STARTED = "started"


def read_log(db_path: str | os.PathLike) -> list[dict]:
    """Every logged attempt, newest last, its latest line per build_id; a line cut off by a crash is skipped."""
    path = log_path(db_path)
    if not path.exists():
        return []
    attempts: dict[object, dict] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if isinstance(entry, dict):
            attempts[entry.get("build_id") or number] = entry  # the outcome replaces its started line
    return list(attempts.values())


def last_success(db_path: str | os.PathLike) -> dict | None:
    return next((e for e in reversed(read_log(db_path)) if e.get("status") == "ok"), None)


def last_attempt(db_path: str | os.PathLike) -> dict | None:
    entries = read_log(db_path)
    return entries[-1] if entries else None
