"""The build benchmark (kamdata/bench/build.py) runs on a tiny export set; what it counts is asserted,
never its timings."""

import sys

import duckdb

from kamdata.bench import build
from tests.exportset import write_export_set


def test_build_and_plain_load_are_measured_side_by_side(tmp_path):
    exports = write_export_set(tmp_path / "x", manifest=True)
    result = build.measure_set(exports, tmp_path / "work")
    assert result["files"] == len([p for p in exports.iterdir() if p.suffix == ".csv"])
    assert result["rows_read"] == 40  # every row of the fixture set
    for side in ("build", "plain"):
        figures = result[side]
        assert figures["cpu_s"] > 0 and figures["wall_s"] > 0 and figures["peak_rss_mb"] > 20 and figures["db_mb"] > 0
    assert result["cpu_ratio"] == round(result["build"]["cpu_s"] / result["plain"]["cpu_s"], 2)
    assert set(result["table_steps"]["tickets"]) == {"read_s", "type_check_s", "rejects_s", "dedupe_s"}
    assert not list((tmp_path / "work").iterdir())  # both databases removed


def test_the_plain_load_reads_a_windows_1252_file(tmp_path):
    path = tmp_path / "accounts.csv"
    path.write_bytes("account_id;name\nA1;Müller\n".encode("cp1252"))
    build.run_measured([sys.executable, "-c", build.PLAIN_LOAD, str(tmp_path / "p.duckdb"), f"{path}|latin-1"])
    with duckdb.connect(str(tmp_path / "p.duckdb"), read_only=True) as con:
        assert con.execute("select * from t0").fetchall() == [("A1", "Müller")]
