"""The build log rotates itself by size (kamdata/build/buildlog.py): bounded on disk, newest kept."""

from kamdata.build import buildlog


def test_the_build_log_rotates_by_size_and_keeps_the_newest_attempts(tmp_path, monkeypatch):
    db = tmp_path / "kam.duckdb"
    buildlog.append_entry(db, {"build_id": "b00", "status": "ok"})
    line = buildlog.log_path(db).stat().st_size
    monkeypatch.setattr(buildlog, "MAX_BYTES", 10 * line)  # ten attempts per file
    for n in range(1, 35):
        buildlog.append_entry(db, {"build_id": f"b{n:02d}", "status": "ok" if n <= 30 else "no"})
    current, rotated = buildlog.log_path(db), buildlog.rotated_path(db)
    assert current.stat().st_size == 5 * line and rotated.stat().st_size == 10 * line
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([current.name, rotated.name])  # no .2
    kept = [entry["build_id"] for entry in buildlog.read_log(db)]
    assert kept == [f"b{n:02d}" for n in range(20, 35)]  # the rotated ten, then the current file's five
    assert buildlog.last_success(db)["build_id"] == "b30"
    assert buildlog.last_attempt(db)["build_id"] == "b34"
