"""A replica on another machine receives the night's database: copy, check, then switch.

The build machine publishes `<db>.v<id>` behind the `<db>` symlink (publish.py). A replica must
never read a half-copied file, so `receive` copies the version the source symlink points to under
a hidden temporary name, flushes it to disk, opens it read-only to prove it is a finished build,
renames it to its version name and only then switches the replica's own symlink, atomically. The
app processes there read the new version on their next run; sessions on the old one keep it.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import duckdb

from kamdata.build.publish import PublishError, build_lock, check_target, current_version, prune, switch_symlink

VERSION_MARK = ".v"


def source_version(source: Path) -> Path:
    """The versioned file behind the build machine's published symlink (or that file itself)."""
    version = current_version(source) if source.is_symlink() else source
    if version is None or not version.is_file() or VERSION_MARK not in version.name:
        raise PublishError(f"{source} is not a published database (a symlink to <name>.v<id>); nothing was changed.")
    return version


def _check_finished(path: Path) -> None:
    """A copy that DuckDB cannot open, or that has no build_info row, is not switched to."""
    try:
        with duckdb.connect(str(path), read_only=True) as con:
            rows = con.execute("select count(*) from build_info").fetchone()
    except duckdb.Error as exc:
        raise PublishError(f"the copy of {path.name} is not a readable build ({exc}); nothing was switched.") from exc
    if not rows or rows[0] != 1:
        raise PublishError(f"the copy of {path.name} has no build_info row; nothing was switched.")


def receive(source: Path, db_path: Path, keep_versions: int) -> str | None:
    """Copy the source's current version next to `db_path` and publish it there.

    Returns the received version's file name, or None when the replica already serves it.
    """
    version = source_version(source)
    build_id = version.name.rsplit(VERSION_MARK, 1)[1]
    target = db_path.with_name(f"{db_path.name}{VERSION_MARK}{build_id}")
    check_target(db_path)
    with build_lock(db_path):
        if current_version(db_path) == target and target.is_file():
            return None
        part = db_path.with_name(f".{target.name}.part")
        try:
            shutil.copyfile(version, part)
            with open(part, "rb+") as fh:
                os.fsync(fh.fileno())
            _check_finished(part)
            os.replace(part, target)
        finally:
            part.unlink(missing_ok=True)
        switch_symlink(db_path, target)
        received = {p.name for p in db_path.parent.glob(f"{db_path.name}{VERSION_MARK}*") if p.is_file()}
        prune(db_path, keep_versions, received)
    return target.name


def cli_receive(args) -> int:
    from kamdata.settings import load_settings

    keep = int(load_settings(args.settings)["build"]["keep_versions"])
    try:
        name = receive(Path(args.source), Path(args.db), keep)
    except (PublishError, OSError) as exc:
        print(f"receive failed: {exc}", file=sys.stderr)
        return 1
    print(f"{args.db} already serves this version" if name is None else f"{args.db} -> {name}")
    return 0
