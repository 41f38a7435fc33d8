"""Bad input an unlucky exporter produced that once loaded silently wrong (issue 11); docs/build-input-rules.md.

Each test builds a small export set (tests/exportset.py) with the bad input planted and checks
that the bad row is rejected with its physical line and a reason while everything else loads
exactly as written. The base surveys.csv has R1 on lines 2-3 (a comment with a line break) and
R2 on line 4; the base employees.csv has E1-E3 on lines 2-4 (E3 is "Jörg Müller").
"""

import json
import resource
import signal
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import duckdb
import pytest

from kamdata.build import buildlog, contract
from kamdata.build.runner import run_build
from kamdata.cli import main
from kamdata.settings import load_settings
from tests.exportset import base_row, write_export_set

ROOT = Path(__file__).resolve().parents[1]
PERMISSIVE = load_settings()
PERMISSIVE["build"]["reject_share_limit_pct"] = 100.0


def build(tmp_path, exports) -> duckdb.DuckDBPyConnection:
    """Build `exports` (any share of rejected rows allowed) and open the published database read-only."""
    db_path = tmp_path / "kam.duckdb"
    run_build(exports, db_path, as_of="2026-11-26", settings=PERMISSIVE)
    return duckdb.connect(str(db_path), read_only=True)


def rejected(con, table: str) -> list[tuple]:
    return con.execute(
        "select line_number, column_name, raw_value, reason from rejected_rows where table_name = ? "
        "order by line_number, column_name",
        [table],
    ).fetchall()


def test_one_windows_1252_line_in_a_utf8_file_is_rejected_and_the_rest_stays_utf8(tmp_path):
    exports = write_export_set(tmp_path / "x")
    with open(exports / "employees.csv", "ab") as fh:  # line 5, written by another tool in Windows-1252
        fh.write("E9,Jürgen Schröder,Service,Technician,40.0,true,\n".encode("cp1252"))
    with closing(build(tmp_path, exports)) as con:
        names = dict(con.execute("select employee_id, name from stg_employees").fetchall())
        assert names == {"E1": "Anna Schmidt", "E2": "Ben Weber", "E3": "Jörg Müller"}
        assert rejected(con, "employees") == [(5, "name", r"J\xfcrgen Schr\xf6der", contract.INVALID_UTF8_REASON)]


def test_a_file_without_any_utf8_sequence_is_windows_1252(tmp_path):
    exports = write_export_set(tmp_path / "x", rows={"employees": [base_row("employees", name="Anna Schmidt")]})
    with open(exports / "employees.csv", "ab") as fh:
        fh.write("E9,Jürgen Schröder,Service,Technician,40.0,true,\n".encode("cp1252"))
    with closing(build(tmp_path, exports)) as con:
        assert con.execute("select name from stg_employees where employee_id = 'E9'").fetchone() == ("Jürgen Schröder",)
        assert rejected(con, "employees") == []


def test_fields_up_to_the_limit_load_and_a_longer_one_rejects_only_its_row(tmp_path):
    limit = contract.MAX_FIELD_CHARS
    assert limit == 1_048_576
    surveys = [
        base_row("surveys", response_id="R5", comment="a" * 200_000),  # line 5
        base_row("surveys", response_id="R6", comment="b" * limit),  # line 6
        base_row("surveys", response_id="R7", comment="c" * limit + "\n" + "d"),  # lines 7-8
        base_row("surveys", response_id="R8", comment="short"),  # line 9
    ]
    exports = write_export_set(tmp_path / "x", add={"surveys": surveys})
    with closing(build(tmp_path, exports)) as con:
        lengths = dict(con.execute("select response_id, length(comment) from stg_surveys").fetchall())
        assert lengths["R5"] == 200_000 and lengths["R6"] == limit and lengths["R8"] == 5
        assert "R7" not in lengths
        [(line, column, raw, reason)] = rejected(con, "surveys")
        assert (line, column, reason) == (7, "comment", contract.FIELD_TOO_LONG_REASON)
        assert raw.startswith("ccc") and raw.endswith(f"… ({limit + 2} characters)") and len(raw) < 300
        counts = con.execute(
            "select rows_read, rows_loaded, rows_rejected from build_tables where table_name = 'surveys'"
        )
        assert counts.fetchone() == (6, 5, 1)


def test_the_new_reasons_have_a_german_text():
    from kamdata.app import formats as fmt

    reasons = (contract.FIELD_TOO_LONG_REASON, contract.INVALID_UTF8_REASON, contract.NON_FINITE_REASON)
    reasons += (contract.IMPLAUSIBLE_DATE_REASON, contract.plausible_reason(-1e9, 0.5))
    for reason in reasons:
        assert fmt.reject_reason(reason, "de") != reason


def test_plausible_years_end_exactly_at_the_years_bounds_in_berlin_time(tmp_path):
    """PLAUSIBLE_YEARS (1900 to 2199) judged on the Berlin calendar: the last second before 1900 and the first
    of 2200 are rejected, the first of 1900 and the last of 2199 are loaded; an instant given in UTC counts by
    its Berlin date (23:30 UTC on 31.12.1899 was already 1900 in Berlin, local mean time +0:53:28)."""
    cases = {
        "TY1": ("1899-12-31 23:59:59", False),
        "TY2": ("1900-01-01 00:00:00", True),
        "TY3": ("2199-12-31 23:59:59", True),
        "TY4": ("2200-01-01 00:00:00", False),
        "TY5": ("1899-12-31T23:30:00Z", True),
        "TY6": ("2199-12-31T23:30:00Z", False),  # 00:30 on 01.01.2200 in Berlin
    }
    tickets = [base_row("tickets", ticket_id=tid, updated_at=value) for tid, (value, _) in cases.items()]
    contracts = [
        base_row("contracts", contract_id="C7", start_date="1899-12-31"),
        base_row("contracts", contract_id="C8", start_date="1900-01-01"),
    ]
    exports = write_export_set(tmp_path / "x", add={"tickets": tickets, "contracts": contracts})
    with closing(build(tmp_path, exports)) as con:
        loaded = {t for (t,) in con.execute("select ticket_id from stg_tickets where ticket_id like 'TY_'").fetchall()}
        assert loaded == {tid for tid, (_, ok) in cases.items() if ok}
        bad = [r for r in rejected(con, "tickets") if r[3] == contract.IMPLAUSIBLE_DATE_REASON]
        assert sorted(raw for _, column, raw, _ in bad if column == "updated_at") == sorted(
            value for value, ok in cases.values() if not ok
        )
        contracts_loaded = con.execute("select contract_id from stg_contracts where contract_id in ('C7', 'C8')")
        assert contracts_loaded.fetchall() == [("C8",)]


def test_non_finite_overflowing_and_implausible_values_are_rejected_with_a_reason(tmp_path):
    contracts = [
        base_row("contracts", contract_id="C7", annual_value_eur="1e999"),  # line 4
        base_row("contracts", contract_id="C8", annual_value_eur="5e9"),  # line 5
        base_row("contracts", contract_id="C9", start_date="0001-01-01"),  # line 6
    ]
    exports = write_export_set(
        tmp_path / "x",
        add={
            "contracts": contracts,
            "sites": [base_row("sites", site_id="S9", floor_area_m2="1e-320")],  # line 5
            "meter_readings": [base_row("meter_readings", quantity="1e306", unit="MWh")],  # line 5
            "tickets": [base_row("tickets", ticket_id="T9", updated_at="9999-12-31 10:00")],  # line 5
        },
    )
    with closing(build(tmp_path, exports)) as con:
        assert rejected(con, "contracts") == [
            (4, "annual_value_eur", "1e999", "not a finite number"),
            (5, "annual_value_eur", "5e9", "outside the plausible range 0 to 1000000000"),
            (6, "start_date", "0001-01-01", contract.IMPLAUSIBLE_DATE_REASON),
        ]
        assert rejected(con, "sites") == [(5, "floor_area_m2", "1e-320", "outside the plausible range 1 to 10000000")]
        [(line, column, raw, reason)] = rejected(con, "meter_readings")
        assert (line, column, raw) == (5, "quantity", "1e306") and reason.startswith("implausible: more than")
        assert (5, "updated_at", "9999-12-31 10:00", contract.IMPLAUSIBLE_DATE_REASON) in rejected(con, "tickets")
        # nothing non-finite reaches any table (the portfolio page divided by a floor area of 1e-320)
        doubles = con.execute(
            "select table_name, column_name from duckdb_columns() where data_type = 'DOUBLE' and schema_name = 'main'"
        ).fetchall()
        for table, column in doubles:
            query = f'select count(*) from "{table}" where not isfinite("{column}")'
            assert con.execute(query).fetchone() == (0,), (table, column)


ENVIRONMENT_FAULTS = {
    "permission denied": ("kamdata.build.readers.discover", PermissionError(13, "Permission denied", "/exports")),
    "disk full": ("kamdata.build.publish.switch_symlink", OSError(28, "No space left on device")),
    "read-only directory": ("kamdata.build.runner.duckdb.connect", OSError(30, "Read-only file system")),
    "duckdb i/o": (
        "kamdata.build.runner.duckdb.connect",
        duckdb.IOException('IO Error: Could not write file "kam.duckdb.v1": No space left on device'),
    ),
}


@pytest.mark.parametrize("fault", ENVIRONMENT_FAULTS)
def test_environment_errors_end_in_one_paragraph_and_a_logged_failure(tmp_path, monkeypatch, capsys, fault):
    target, error = ENVIRONMENT_FAULTS[fault]

    def fail(*args, **kwargs):
        raise error

    monkeypatch.setattr(target, fail)
    db_path = tmp_path / "kam.duckdb"
    code = main(["build", "--exports", str(write_export_set(tmp_path / "x")), "--db", str(db_path), "--quiet"])
    out, err = capsys.readouterr()
    assert code == 1 and out == ""
    assert err.startswith("Build failed: cannot read or write a file (") and err.count("\n") == 1
    assert error.strerror in err if isinstance(error, OSError) else "No space left on device" in err
    assert [e["status"] for e in buildlog.read_log(db_path)] == ["failed"]
    assert not db_path.exists() and not list(tmp_path.glob("kam.duckdb.v*"))


def _run_build_process(tmp_path, code: str, limit_bytes: int | None = None) -> subprocess.CompletedProcess:
    """`code` (then the build CLI) in a fresh Python process, optionally with a file size limit."""

    def limit():
        if limit_bytes:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit_bytes, limit_bytes))

    exports = write_export_set(tmp_path / "x")
    argv = ["build", "--exports", str(exports), "--db", str(tmp_path / "kam.duckdb"), "--quiet"]
    script = f"{code}\nimport sys\nfrom kamdata.cli import main\nsys.exit(main({argv!r}))"
    return subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, preexec_fn=limit, cwd=ROOT, timeout=300
    )


def test_a_real_write_failure_of_duckdb_ends_in_one_paragraph(tmp_path):
    done = _run_build_process(tmp_path, "", limit_bytes=2_000_000)  # the database outgrows 2 MB
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.startswith("Build failed: cannot read or write a file (") and done.stderr.count("\n") == 1
    assert buildlog.last_attempt(tmp_path / "kam.duckdb")["status"] == "failed"


def test_a_killed_build_leaves_a_started_entry_without_outcome(tmp_path):
    kill = "import os, signal\nimport kamdata.build.validate as v\n"
    kill += "v.stage_table = lambda *a, **k: os.kill(os.getpid(), signal.SIGKILL)"
    done = _run_build_process(tmp_path, kill)
    assert done.returncode == -signal.SIGKILL
    [attempt] = buildlog.read_log(tmp_path / "kam.duckdb")
    assert attempt["status"] == buildlog.STARTED and attempt["started_at"] and attempt["finished_at"] is None
    assert not (tmp_path / "kam.duckdb").exists()


def test_an_outcome_replaces_its_started_line_in_the_log(tmp_path):
    exports = write_export_set(tmp_path / "x")
    run_build(exports, tmp_path / "kam.duckdb", as_of="2026-11-26")
    lines = (tmp_path / "kam.duckdb.builds.jsonl").read_text().splitlines()
    assert [json.loads(line)["status"] for line in lines] == ["started", "ok"]
    assert [e["status"] for e in buildlog.read_log(tmp_path / "kam.duckdb")] == ["ok"]
