"""Publish a finished database atomically: versioned files behind a symlink.

The published path (`--db`) is a symlink to `<name>.v<UTC time>-<id>` in the
same directory. A build writes a new version, closes it (checkpointed, no
`.wal`), then swaps the symlink with `os.replace`, which is atomic: a reader
opens either the old or the new file, never a half-written one, and readers
holding an old version keep it (pruning only unlinks). A lock file serialises
builds so pruning never deletes a version another build is still writing.
"""

from __future__ import annotations

import errno
import fcntl
import os
import re
import shutil
from contextlib import contextmanager
from pathlib import Path


class PublishError(Exception):
    """The target cannot be published to (a file-level failure with a clear message)."""


def version_path(db_path: Path, build_id: str) -> Path:
    return db_path.with_name(f"{db_path.name}.v{build_id}")


def _version_pattern(db_path: Path) -> re.Pattern:
    return re.compile(re.escape(db_path.name) + r"\.v\d{8}T\d{6}-[0-9a-f]+")


def check_target(db_path: Path) -> None:
    """Refuse to replace a regular file at the published path (it was not made by this build)."""
    if db_path.exists() and not db_path.is_symlink():
        raise PublishError(
            f"{db_path} is a regular file, not the symlink this build publishes through; it was not "
            "created by `python -m kamdata build`. Move it away (or choose another --db) and rerun; "
            "nothing was changed."
        )


@contextmanager
def build_lock(db_path: Path):
    """Hold `<db>.lock` exclusively for the whole build; a second concurrent build fails at once."""
    lock_file = db_path.with_name(db_path.name + ".lock")
    with open(lock_file, "a") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno not in (errno.EAGAIN, errno.EACCES):
                raise
            raise PublishError(
                f"another build for {db_path} is running (it holds {lock_file}); only one build runs at a "
                "time. Wait for it to finish and rerun; nothing was changed."
            ) from exc
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def current_version(db_path: Path) -> Path | None:
    """The versioned file the published symlink points to, if any."""
    if not db_path.is_symlink():
        return None
    return db_path.parent / os.readlink(db_path)


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def switch_symlink(db_path: Path, version: Path) -> None:
    """Point `db_path` at `version` atomically (symlink under a temporary name, then rename over)."""
    temp_link = db_path.with_name(f".{db_path.name}.link-{os.getpid()}")
    if temp_link.is_symlink() or temp_link.exists():
        temp_link.unlink()
    os.symlink(version.name, temp_link)  # relative: the directory stays movable
    os.replace(temp_link, db_path)
    _fsync_dir(db_path.parent)


def remove_version(version: Path) -> None:
    """Delete a version and everything DuckDB left next to it (`.wal`, the `.tmp` spill directory)."""
    for path in version.parent.glob(version.name + "*"):
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)


def prune(db_path: Path, keep_versions: int, published: set[str]) -> list[str]:
    """Delete old versions beyond `keep_versions` (besides the current one) and orphans of killed builds.

    Call only while holding the build lock: then no other build is writing, so every version that
    was never published (not in `published`, the names from the build log) is an orphan.
    """
    current = current_version(db_path)
    pattern = _version_pattern(db_path)
    # A version is known by any of its files (a killed build may have left only its spill directory).
    stems = {m.group(0) for p in db_path.parent.iterdir() if (m := pattern.match(p.name))}
    versions = sorted((db_path.parent / stem for stem in stems), reverse=True)
    old_published = [p for p in versions if p != current and p.name in published]
    doomed = [p for p in versions if p != current and p.name not in published]
    doomed += old_published[max(keep_versions, 0) :]
    for version in doomed:
        remove_version(version)
    return sorted(p.name for p in doomed)
