"""The build log: one JSON line per build attempt, next to the published database.

`<db path>.builds.jsonl` survives failed builds (which publish no database),
so the dashboard can say "last successful build …, last attempt failed: …".

The log rotates itself by size, so a nightly schedule needs no logrotate rule for it: before an
append that would start on a file of MAX_BYTES or more, the file becomes `<log>.1` (the previous
`.1` is dropped) and a new one starts. `read_log` reads `.1` then the current file, so the newest
attempts (thousands of them) stay visible, including the published versions that `prune` keeps.
Appends happen under the build lock (kamdata.build.publish.build_lock), so one writer rotates.

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
MAX_BYTES = 2_000_000  # per file, about 5,000 attempts; with `.1` the log stays under 4 MB


def log_path(db_path: str | os.PathLike) -> Path:
    db_path = Path(db_path)
    return db_path.with_name(db_path.name + ".builds.jsonl")


def rotated_path(db_path: str | os.PathLike) -> Path:
    path = log_path(db_path)
    return path.with_name(path.name + ".1")


def append_entry(db_path: str | os.PathLike, entry: dict) -> None:
    """Append one attempt (a single write of one line, flushed to disk), rotating a full log first."""
    line = json.dumps({field: entry.get(field) for field in FIELDS}, ensure_ascii=False) + "\n"
    path = log_path(db_path)
    if path.exists() and path.stat().st_size >= MAX_BYTES:
        os.replace(path, rotated_path(db_path))
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(line)
        fh.flush()
        os.fsync(fh.fileno())


STARTED = "started"


def read_log(db_path: str | os.PathLike) -> list[dict]:
    """Every logged attempt still kept (the rotated file, then the current one), newest last, its
    latest line per build_id; a line cut off by a crash is skipped."""
    lines: list[str] = []
    for path in (rotated_path(db_path), log_path(db_path)):
        if path.exists():
            lines += path.read_text(encoding="utf-8").splitlines()
    attempts: dict[object, dict] = {}
    for number, line in enumerate(lines):
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
