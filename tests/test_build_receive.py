"""A replica receives the night's database (kamdata.build.receive): copy, check, then switch."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb
import pytest

from kamdata.build.publish import PublishError, current_version, switch_symlink
from kamdata.build.receive import receive
from kamdata.cli import main

REPLICA_FILES = ["kam.duckdb", "kam.duckdb.lock", "kam.duckdb.v20261201T010000-aa"]  # nothing else left behind


def _source(tmp_path: Path, app_db: Path, build_ids: list[str]) -> Path:
    """A build machine's directory: copies of the fixture under these version ids, the last published."""
    source_dir = tmp_path / "build-host"
    source_dir.mkdir()
    published = source_dir / "kam.duckdb"
    for build_id in build_ids:
        version = source_dir / f"kam.duckdb.v{build_id}"
        shutil.copyfile(current_version(app_db), version)
    switch_symlink(published, source_dir / f"kam.duckdb.v{build_ids[-1]}")
    return published


def _replica(tmp_path: Path) -> Path:
    (tmp_path / "replica").mkdir()
    return tmp_path / "replica" / "kam.duckdb"


def test_replica_gets_the_published_version_under_its_own_symlink(tmp_path, app_db):
    source = _source(tmp_path, app_db, ["20261201T010000-aa"])
    replica = _replica(tmp_path)
    assert receive(source, replica, keep_versions=2) == "kam.duckdb.v20261201T010000-aa"
    assert os.readlink(replica) == "kam.duckdb.v20261201T010000-aa"
    assert replica.read_bytes() == current_version(source).read_bytes()
    with duckdb.connect(str(replica), read_only=True) as con:
        assert con.execute("select count(*) from build_info").fetchone() == (1,)
    assert sorted(p.name for p in replica.parent.iterdir()) == REPLICA_FILES


def test_the_same_version_twice_changes_nothing(tmp_path, app_db):
    source = _source(tmp_path, app_db, ["20261201T010000-aa"])
    replica = _replica(tmp_path)
    receive(source, replica, keep_versions=2)
    stamp = current_version(replica).stat().st_mtime_ns
    assert receive(source, replica, keep_versions=2) is None
    assert current_version(replica).stat().st_mtime_ns == stamp


def test_old_versions_beyond_keep_are_pruned(tmp_path, app_db):
    ids = ["20261201T010000-aa", "20261202T010000-bb", "20261203T010000-cc"]
    source = _source(tmp_path, app_db, ids)
    replica = _replica(tmp_path)
    for build_id in ids:
        switch_symlink(source, source.with_name(f"kam.duckdb.v{build_id}"))
        receive(source, replica, keep_versions=1)
    kept = sorted(p.name for p in replica.parent.glob("kam.duckdb.v*"))
    assert kept == ["kam.duckdb.v20261202T010000-bb", "kam.duckdb.v20261203T010000-cc"]
    assert os.readlink(replica) == "kam.duckdb.v20261203T010000-cc"


def test_a_broken_copy_is_never_switched_to(tmp_path, app_db):
    source = _source(tmp_path, app_db, ["20261201T010000-aa", "20261202T010000-bb"])
    replica = _replica(tmp_path)
    switch_symlink(source, source.with_name("kam.duckdb.v20261201T010000-aa"))
    receive(source, replica, keep_versions=2)
    broken = source.with_name("kam.duckdb.v20261202T010000-bb")
    broken.write_bytes(broken.read_bytes()[:4096])  # cut short, as a copy interrupted on the share
    switch_symlink(source, broken)
    with pytest.raises(PublishError, match="nothing was switched"):
        receive(source, replica, keep_versions=2)
    assert os.readlink(replica) == "kam.duckdb.v20261201T010000-aa"
    assert sorted(p.name for p in replica.parent.iterdir()) == REPLICA_FILES


def test_a_source_that_is_not_a_published_database_is_refused(tmp_path, capsys):
    stray = tmp_path / "export.duckdb"
    stray.write_bytes(b"not a database")
    replica = _replica(tmp_path)
    assert main(["receive", "--from", str(stray), "--db", str(replica)]) == 1
    assert "is not a published database" in capsys.readouterr().err
    assert list(replica.parent.iterdir()) == []


def test_cli_receives_and_says_where(tmp_path, app_db, capsys):
    source = _source(tmp_path, app_db, ["20261201T010000-aa"])
    replica = _replica(tmp_path)
    assert main(["receive", "--from", str(source), "--db", str(replica)]) == 0
    assert capsys.readouterr().out.strip() == f"{replica} -> kam.duckdb.v20261201T010000-aa"
