"""The benchmark of record (kamdata/bench) runs end to end on the fixture database; timings are never
asserted (speed is measured by the command, not by timed tests), what it counts is."""

import json

from kamdata import cli, query
from kamdata.bench import pages
from kamdata.bench.queries import bench, parameter_values
from kamdata.query import QUERIES_DIR


def test_every_query_file_runs_without_error(app_db):
    timings = bench(app_db, repeat=2)
    assert {t.query for t in timings} == {p.stem for p in QUERIES_DIR.glob("*.sql")}
    assert [t for t in timings if t.error] == []
    assert {t.variant for t in timings if t.query == "sla_kpis"} == {"portfolio", "filtered"}
    assert {t.variant for t in timings if t.query == "status_build_info"} == {"portfolio"}


def test_row_count_matches_a_direct_execution(app_db, app_version):
    _, filtered = parameter_values(app_version)
    expected = len(query.run(app_version, "portfolio_accounts", filtered))
    timing = next(t for t in bench(app_db, repeat=1) if (t.query, t.variant) == ("portfolio_accounts", "filtered"))
    assert timing.rows == expected > 0


def test_percentile_is_nearest_rank():
    runs = [float(v) for v in range(1, 11)]  # 1..10
    assert pages.percentile(runs, 0.95) == 10.0  # rank ceil(9.5) = 10
    assert pages.percentile(runs, 0.5) == 5.0
    assert pages.percentile([3.0], 0.95) == 3.0


def test_cli_at_small_scale_measures_build_queries_pages_sessions_and_a_publish(tmp_path):
    """The benchmark of record as CI runs it (`--scale small`): the small demo sets generated, their builds
    measured next to the plain load, the default set built and published, every page run without error
    over the websocket, two sessions at once, and a publish (the link switched to a new version)."""
    out = tmp_path / "bench.json"
    args = ["bench", "--scale", "small", "--workdir", str(tmp_path), "--repeat", "1", "--sessions", "2"]
    code = cli.main([*args, "--no-browser", "--json", str(out)])
    report = json.loads(out.read_text(encoding="utf-8"))
    assert code == 0
    assert set(report["build"]) == {"default", "german", "parquet"}
    rows = {name: result["rows_read"] for name, result in report["build"].items()}
    assert len(set(rows.values())) == 1 and rows["default"] > 100_000  # the same demo in three forms
    assert all(result["cpu_ratio"] > 0 and result["build"]["db_mb"] > 0 for result in report["build"].values())
    assert report["queries"]["total"]["errors"] == 0
    shown = {(p["page"], p["variant"]) for p in report["app"]["pages"]}
    assert {"portfolio", "sla", "sustainability", "workload", "review", "explorer", "data-status"} == {
        page for page, _ in shown
    }
    assert all(p["errors"] == 0 and p["kb"] > 0 for p in report["app"]["pages"])
    assert report["app"]["load"][0]["sessions"] == 2 and report["app"]["load"][0]["errors"] == 0
    assert query.current_version(tmp_path / "small" / "kam.duckdb").path != report["db"]  # published anew
    assert report["app"]["first_page_after_publish_ms"] > 0
    assert report["app"]["first_page_after_publish_warmed_ms"] > 0 and report["app"]["publish_warmed_after_s"] >= 0
