"""Publishing: versioned files behind an atomically switched symlink, pruning, build log, build_info."""

import json
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb

import kamdata
from kamdata.build import buildlog
from kamdata.build.runner import run_build
from kamdata.settings import load_settings
from tests.exportset import base_row, write_export_set

ROOT = Path(__file__).resolve().parent.parent


def tickets_in(db_path) -> int:
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        return con.execute("select count(*) from stg_tickets").fetchone()[0]
    finally:
        con.close()


def test_publish_switches_a_symlink_to_a_closed_version_and_logs_the_build(tmp_path):
    exports = write_export_set(tmp_path / "exports", manifest=True)
    before = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in exports.iterdir()}
    db_path = tmp_path / "data" / "kam.duckdb"
    summary = run_build(exports, db_path)
    assert {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in exports.iterdir()} == before
    version = Path(summary["db_file"])
    assert db_path.is_symlink() and os.readlink(db_path) == version.name
    assert version.name.startswith("kam.duckdb.v") and summary["build_id"] in version.name
    assert sorted(p.name for p in db_path.parent.iterdir()) == sorted(
        ["kam.duckdb", version.name, "kam.duckdb.lock", "kam.duckdb.builds.jsonl"]
    )  # no .wal, no scratch
    entry = buildlog.last_success(db_path)
    assert entry == buildlog.last_attempt(db_path)
    assert entry["status"] == "ok" and entry["error"] is None and entry["db_file"] == str(version)
    # the manifest has no exported_at: as-of = Berlin date of the latest ticket update (T3: 2026-11-25 18:00)
    assert entry["as_of"] == "2026-11-25"
    assert entry["rows_loaded"] == 40 and entry["rows_rejected"] == 0 and entry["rows_superseded"] == 0
    assert datetime.fromisoformat(entry["started_at"]).utcoffset() is not None


def test_build_info_records_manifest_time_as_of_and_settings(tmp_path):
    # 23:30 UTC on Nov 26th is 00:30 on Nov 27th in Berlin
    exports = write_export_set(tmp_path / "exports", manifest=True, exported_at="2026-11-26T23:30:00Z")
    settings = load_settings()
    settings["kpi"]["overload_threshold_pct"] = 105.0
    run_build(exports, tmp_path / "kam.duckdb", settings=settings)
    con = duckdb.connect(str(tmp_path / "kam.duckdb"), read_only=True)
    as_of, exported_at, settings_json, version, export_dir = con.execute(
        "select as_of, exported_at, settings_json, project_version, export_dir from build_info"
    ).fetchone()
    assert as_of == date(2026, 11, 27)
    assert exported_at == datetime(2026, 11, 26, 23, 30, tzinfo=UTC)
    assert json.loads(settings_json)["kpi"]["overload_threshold_pct"] == 105.0
    assert version == kamdata.__version__ and export_dir == str(exports)
    assert con.execute("select count(*) from build_tables").fetchone() == (17,)
    schemas = {s for (s,) in con.execute("select distinct schema_name from duckdb_tables()").fetchall()}
    assert schemas == {"main"}  # no raw or intermediate tables left behind


def test_old_versions_and_orphans_of_killed_builds_are_pruned(tmp_path):
    exports = write_export_set(tmp_path / "exports")
    db_path = tmp_path / "kam.duckdb"
    settings = load_settings()
    settings["build"]["keep_versions"] = 1
    orphan = tmp_path / "kam.duckdb.v20200101T000000-abcdef"
    for leftover in (orphan, orphan.with_name(orphan.name + ".wal")):
        leftover.write_bytes(b"half-written")
    orphan.with_name(orphan.name + ".tmp").mkdir()  # DuckDB's spill directory
    versions = [
        Path(run_build(exports, db_path, settings=settings, as_of="2026-11-26")["db_file"]).name for _ in range(3)
    ]
    left = sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("kam.duckdb.v"))
    assert left == sorted(versions[1:])  # the current one and one older; the oldest and the orphan are gone


def test_a_reader_keeps_its_data_while_a_build_publishes_and_a_fresh_reader_sees_the_new(tmp_path):
    db_path = tmp_path / "kam.duckdb"
    settings = load_settings()
    settings["build"]["keep_versions"] = 0  # even the reader's old file gets unlinked
    run_build(write_export_set(tmp_path / "day1"), db_path, settings=settings, as_of="2026-11-26")
    reader = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys\n"
            "con = duckdb.connect(sys.argv[1], read_only=True)\n"
            "query = 'select count(*), min(ticket_id) from stg_tickets'\n"
            "print(con.execute(query).fetchone(), flush=True)\n"
            "sys.stdin.readline()\n"
            "print(con.execute(query).fetchone(), flush=True)\n",
            str(db_path),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert reader.stdout.readline().strip() == "(3, 'T1')"
        day2 = write_export_set(tmp_path / "day2", add={"tickets": [base_row("tickets", ticket_id="T0")]})
        run_build(day2, db_path, settings=settings, as_of="2026-11-26")
        reader.stdin.write("\n")
        reader.stdin.flush()
        assert reader.stdout.readline().strip() == "(3, 'T1')"
    finally:
        reader.kill()
        reader.wait()
    assert tickets_in(db_path) == 4


def _large_tickets(path: Path, count: int) -> None:
    """A tickets file big enough that a build takes a few seconds."""
    header = (
        "ticket_id,account_id,site_id,service_line,category,priority,kind,created_at,due_at,"
        "first_response_at,resolved_at,status,technician_id,first_time_fix,escalated,updated_at\n"
    )
    row = "X{0},A1,S1,technical,hvac,P2,reactive,2026-11-20 08:00:00,,,,open,E2,,false,2026-11-21 12:00:00\n"
    with open(path, "w") as fh:
        fh.write(header)
        fh.writelines(row.format(i) for i in range(count))


def test_kill_9_during_a_build_leaves_the_published_database_intact(tmp_path):
    db_path = tmp_path / "kam.duckdb"
    run_build(write_export_set(tmp_path / "day1"), db_path, as_of="2026-11-26")
    published = db_path.resolve()
    day2 = write_export_set(tmp_path / "day2")
    _large_tickets(day2 / "tickets_big.csv", 200_000)
    build = subprocess.Popen(
        [sys.executable, "-m", "kamdata", "build", "--exports", str(day2), "--db", str(db_path), "--quiet"], cwd=ROOT
    )
    try:
        deadline = time.monotonic() + 60
        while not list(tmp_path.glob("kam.duckdb.v*.wal")) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert list(tmp_path.glob("kam.duckdb.v*.wal")), "the build never started writing"
        time.sleep(0.3)  # into the middle of loading
        os.kill(build.pid, signal.SIGKILL)
    finally:
        build.wait()
    assert build.returncode == -signal.SIGKILL
    assert db_path.resolve() == published
    assert tickets_in(db_path) == 3
    # the next build succeeds and removes what the killed one left behind
    run_build(write_export_set(tmp_path / "day3"), db_path, as_of="2026-11-26")
    # only the day-1 version (kept for readers) and the new one remain: no files of the killed build
    assert sorted(p.name for p in tmp_path.glob("kam.duckdb.v*")) == sorted([published.name, db_path.resolve().name])
