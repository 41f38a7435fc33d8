"""The bench command runs every query file on the fixture database; timings are never asserted."""

import json

from kamdata import cli, query
from kamdata.bench import bench, parameter_values
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


def test_cli_writes_json(tmp_path, app_db):
    out = tmp_path / "bench.json"
    assert cli.main(["bench", "--db", str(app_db), "--repeat", "1", "--json", str(out)]) == 0
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["total"]["errors"] == 0
    assert len({q["query"] for q in report["queries"]}) == len(list(QUERIES_DIR.glob("*.sql")))
