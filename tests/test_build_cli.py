"""`python -m kamdata build`: exit codes, quiet, the one-paragraph error, --json, the summary table."""

import io
import json

from rich.console import Console

from kamdata.build import report as build_output
from kamdata.build.runner import run_build
from kamdata.cli import main
from tests.exportset import write_export_set


def test_quiet_success_prints_nothing_and_json_has_the_summary(tmp_path, capsys):
    exports = write_export_set(tmp_path / "exports")
    code = main(
        [
            "build",
            "--exports",
            str(exports),
            "--db",
            str(tmp_path / "kam.duckdb"),
            "--quiet",
            "--as-of",
            "2026-11-26",
            "--json",
            str(tmp_path / "summary.json"),
        ]
    )
    assert code == 0
    assert capsys.readouterr() == ("", "")
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["status"] == "ok" and summary["as_of"] == "2026-11-26"
    assert summary["tables"]["sla_policies"]["rows_loaded"] == 8


def test_failure_exits_non_zero_with_one_paragraph_on_stderr(tmp_path, capsys):
    exports = write_export_set(tmp_path / "exports", omit=["employees"])
    code = main(
        [
            "build",
            "--exports",
            str(exports),
            "--db",
            str(tmp_path / "kam.duckdb"),
            "--quiet",
            "--json",
            str(tmp_path / "summary.json"),
        ]
    )
    out, err = capsys.readouterr()
    assert code == 1 and out == ""
    assert err.startswith("Build failed: ") and "required table employees missing" in err
    assert err.endswith("The published database was not changed.\n") and err.count("\n") == 1
    assert json.loads((tmp_path / "summary.json").read_text())["status"] == "failed"


def test_summary_table_lists_every_table_with_its_counts(tmp_path, capsys):
    settings = tmp_path / "settings.toml"
    settings.write_text("[build]\nkeep_versions = 0\n")
    exports = write_export_set(tmp_path / "exports")
    assert (
        main(["build", "--exports", str(exports), "--db", str(tmp_path / "kam.duckdb"), "--settings", str(settings)])
        == 0
    )
    out, err = capsys.readouterr()
    assert "sustainability_targets" in out and "superseded" in out
    assert "published" in out
    assert err == ""  # progress lines only when stderr is a terminal


def test_progress_lines_on_a_terminal(tmp_path, monkeypatch):
    terminal = io.StringIO()
    monkeypatch.setattr(
        build_output,
        "Console",
        lambda stderr=False: Console(file=terminal if stderr else io.StringIO(), force_terminal=True, width=100),
    )
    run_build(write_export_set(tmp_path / "exports"), tmp_path / "kam.duckdb", quiet=False, as_of="2026-11-26")
    lines = terminal.getvalue().splitlines()
    assert "  tickets.csv                           3 records" in "\n".join(lines)
    assert any(line.startswith("tickets                                 3 rows") for line in lines)
