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


def test_cli_measures_queries_pages_sessions_and_a_publish(tmp_path, app_db):
    """One server over a copy of the fixture (the publish must not touch the shared fixture): every page
    runs without error over the websocket, two sessions load at once, the publish switches the link."""
    db = tmp_path / "kam.duckdb"
    target = app_db.resolve()
    copy = tmp_path / target.name
    copy.write_bytes(target.read_bytes())
    db.symlink_to(copy.name)
    out = tmp_path / "bench.json"
    code = cli.main(
        ["bench", "--db", str(db), "--repeat", "1", "--sessions", "2", "--no-browser", "--publish", "--json", str(out)]
    )
    report = json.loads(out.read_text(encoding="utf-8"))
    assert code == 0
    assert report["queries"]["total"]["errors"] == 0
    shown = {(p["page"], p["variant"]) for p in report["app"]["pages"]}
    assert {"portfolio", "sla", "sustainability", "workload", "review", "explorer", "data-status"} == {
        page for page, _ in shown
    }
    assert all(p["errors"] == 0 and p["kb"] > 0 for p in report["app"]["pages"])
    assert report["app"]["load"][0]["sessions"] == 2 and report["app"]["load"][0]["errors"] == 0
    assert db.resolve() != copy.resolve()  # the publish switched the link to a new version
    assert report["app"]["first_page_after_publish_ms"] > 0
    assert report["app"]["first_page_after_publish_warmed_ms"] > 0 and report["app"]["publish_warmed_after_s"] >= 0
