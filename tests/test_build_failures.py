"""File-level failures: a clear one-paragraph error, and the published database stays untouched.

A good database is published once; every test then runs a failing build against
the same `--db` and checks the message, that the symlink, the published file
and the directory are exactly as before, and that the attempt was logged.
"""

import fcntl
import gzip
import hashlib
import json

import duckdb
import pytest

from kamdata.build import buildlog, validate
from kamdata.build.runner import BuildError, run_build
from kamdata.settings import load_settings
from tests.exportset import base_row, write_export_set


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("published")
    db_path = tmp / "kam.duckdb"
    run_build(write_export_set(tmp / "good"), db_path, as_of="2026-11-26")
    return db_path


@pytest.fixture
def fails(published, tmp_path):
    """Run a build of `exports` that must fail; returns its message after checking nothing changed."""

    def run(exports, **options) -> str:
        target = published.resolve()
        before = (
            sorted(p.name for p in published.parent.iterdir() if p.name != published.name + ".builds.jsonl"),
            target,
            digest(target),
        )
        with pytest.raises(BuildError) as failure:
            run_build(exports, published, **options)
        after = (
            sorted(p.name for p in published.parent.iterdir() if p.name != published.name + ".builds.jsonl"),
            published.resolve(),
            digest(published.resolve()),
        )
        assert after == before
        last = buildlog.last_attempt(published)
        assert last["status"] == "failed" and last["error"] == str(failure.value)
        assert "\n" not in str(failure.value)
        return str(failure.value)

    return run


def test_required_table_missing(fails, tmp_path):
    message = fails(write_export_set(tmp_path / "x", omit=["tickets", "sites"]))
    assert "required tables sites, tickets missing" in message


def test_required_column_missing_names_file_column_and_contract(fails, tmp_path):
    exports = write_export_set(tmp_path / "x")
    lines = (exports / "sites.csv").read_text().splitlines()
    (exports / "sites.csv").write_text(
        "\n".join(
            line.rsplit(",", 3)[0] + "," + line.rsplit(",", 2)[1] + "," + line.rsplit(",", 2)[2] for line in lines
        )
        + "\n"
    )
    message = fails(exports)
    assert message.startswith("sites.csv: required column 'floor_area_m2' missing.")
    assert (
        "`sites` needs the columns site_id, account_id, site_name, city, country, building_type, floor_area_m2"
        in message
    )


def test_record_with_wrong_number_of_fields(fails, tmp_path):
    message = fails(write_export_set(tmp_path / "x", raw_lines={"tickets": ["T9,A1,S1,technical"]}))
    assert message.startswith("tickets.csv line 5: expected 18 fields")
    assert "has 4" in message


def test_quote_never_closed(fails, tmp_path):
    # surveys.csv: R1 on lines 2-3, R2 on line 4; the broken record starts on line 5
    message = fails(
        write_export_set(
            tmp_path / "x",
            raw_lines={"surveys": ['R9,A1,2026-11-20,8,4,"this comment never ends', "R10,A1,2026-11-21,7,4,ok"]},
        )
    )
    assert message.startswith("surveys.csv line 5: unreadable CSV (unexpected end of data)")


def test_broken_quote_swallowing_a_line_is_caught_by_strict_quote_rules(fails, tmp_path):
    message = fails(
        write_export_set(
            tmp_path / "x",
            raw_lines={"surveys": ['R9,A1,2026-11-20,8,4,"broken', 'R10,A1,2026-11-21,7,4,"a quoted comment"']},
        )
    )
    assert message.startswith("surveys.csv line 5: unreadable CSV")


def test_broken_quote_that_parses_as_one_record_is_caught_by_the_manifest(fails, tmp_path):
    # Two physical records that a CSV parser reads as ONE valid record (R9 with a two-line comment);
    # only the manifest's count (4 records: R1, R2, R9, R10) can tell.
    exports = write_export_set(
        tmp_path / "x",
        manifest=True,
        raw_lines={"surveys": ['R9,A1,2026-11-20,8,4,"broken', 'R10,A1,2026-11-21,7,4,end"']},
    )
    assert json.loads((exports / "manifest.json").read_text())["files"]["surveys.csv"]["rows"] == 4
    message = fails(exports)
    assert message.startswith("surveys.csv: 3 data records read but manifest.json says 4")


def test_manifest_sha256_mismatch_and_missing_file(fails, tmp_path):
    exports = write_export_set(tmp_path / "x", manifest=True)
    with open(exports / "tickets.csv", "a") as fh:
        fh.write("\n")  # same records, different bytes
    assert fails(exports).startswith("tickets.csv: sha256 differs from manifest.json")
    exports = write_export_set(tmp_path / "y", manifest={"files": {"tickets_2026-12.csv": {"rows": 3}}})
    assert fails(exports).startswith("manifest.json lists tickets_2026-12.csv, but")


def test_more_than_the_allowed_share_rejected(fails, tmp_path):
    # tickets: 3 valid base rows + 2 with an unknown priority = 2 of 5 = 40 % > 20 %
    exports = write_export_set(
        tmp_path / "x",
        add={
            "tickets": [
                base_row("tickets", ticket_id="T8", priority="P0"),
                base_row("tickets", ticket_id="T9", priority="P0"),
            ]
        },
    )
    message = fails(exports)
    assert message.startswith("tickets: 2 of 5 rows (40.0 %) were rejected, more than the allowed 20 %")
    assert "column priority not one of P1, P2, P3, P4 (2×, first at tickets.csv line 5: 'P0')" in message


def test_truncated_gzip_file(fails, tmp_path):
    exports = write_export_set(tmp_path / "x")
    data = gzip.compress((exports / "sites.csv").read_bytes())
    (exports / "sites.csv.gz").write_bytes(data[: len(data) // 2])
    (exports / "sites.csv").unlink()
    assert fails(exports).startswith("sites.csv.gz: unreadable or truncated file")


def test_failing_mart_is_named(fails, tmp_path, monkeypatch):
    marts = tmp_path / "marts"
    marts.mkdir()
    (marts / "mart_broken.sql").write_text("select no_such_column from stg_tickets")
    monkeypatch.setattr("kamdata.build.marts.MARTS_DIR", marts)
    monkeypatch.setattr("kamdata.build.marts.INTERMEDIATE_DIR", tmp_path / "none")
    message = fails(write_export_set(tmp_path / "x"))
    assert message.startswith("mart mart_broken (sql/marts/mart_broken.sql) failed:")


def test_a_second_concurrent_build_is_refused(fails, published, tmp_path):
    with open(published.with_name(published.name + ".lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        assert "another build" in fails(write_export_set(tmp_path / "x"))


def test_invalid_as_of(fails, tmp_path):
    assert "--as-of '26.11.2026' is not a date" in fails(write_export_set(tmp_path / "x"), as_of="26.11.2026")


def test_exactly_the_allowed_share_and_an_empty_table_pass(tmp_path):
    # tickets: 3 base + 1 valid + 1 invalid = 1 of 5 = 20 %, not strictly more; commitments: 0 rows read
    exports = write_export_set(
        tmp_path / "x",
        rows={"commitments": []},
        add={"tickets": [base_row("tickets", ticket_id="T8"), base_row("tickets", ticket_id="T9", priority="P0")]},
    )
    summary = run_build(exports, tmp_path / "kam.duckdb", as_of="2026-11-26")
    assert summary["tables"]["tickets"]["rows_rejected"] == 1
    assert summary["tables"]["commitments"]["rows_read"] == 0


def test_a_regular_file_at_the_db_path_is_not_clobbered(tmp_path):
    db_path = tmp_path / "kam.duckdb"
    duckdb.connect(str(db_path)).close()
    before = digest(db_path)
    with pytest.raises(BuildError, match="is a regular file, not the symlink"):
        run_build(write_export_set(tmp_path / "x"), db_path, settings=load_settings())
    assert digest(db_path) == before and not db_path.is_symlink()


def test_the_row_identity_check_stops_a_build_that_loses_rows(tmp_path, monkeypatch):
    # a staging model that silently drops rows (a bug of ours) must not publish anything
    original = validate.staging_model_sql
    monkeypatch.setattr(
        validate,
        "staging_model_sql",
        lambda table, source: original(table, source) + (" where ticket_id <> 'T2'" if table.name == "tickets" else ""),
    )
    db_path = tmp_path / "kam.duckdb"
    with pytest.raises(AssertionError, match="row identity broken for tickets"):
        run_build(write_export_set(tmp_path / "x"), db_path, as_of="2026-11-26")
    assert not db_path.exists() and not list(tmp_path.glob("kam.duckdb.v*"))
    assert buildlog.last_attempt(db_path)["error"].startswith("internal error: AssertionError: row identity broken")


# Holes an unlucky exporter found (issue 11): each of these loaded silently wrong before.


@pytest.mark.parametrize("name", ["sla_policies.csv", "sla_policies.csv.gz"])
def test_a_csv_cut_inside_its_last_field_is_truncated(fails, tmp_path, name):
    # the last target_pct "95.0" cut to "95" is a valid number; only the missing final line break tells
    exports = write_export_set(tmp_path / "x")
    text = (exports / "sla_policies.csv").read_bytes()
    cut = text.rstrip(b"\n")[:-2]
    assert cut.endswith(b",95")
    (exports / "sla_policies.csv").unlink()
    (exports / name).write_bytes(gzip.compress(cut) if name.endswith(".gz") else cut)
    message = fails(exports)
    assert message.startswith(f"{name}: the file does not end with a line break (truncated?)")


SECRET = "TOPSECRET-4711"


def _secret_file(tmp_path):
    secret = tmp_path / "elsewhere" / "secret.csv"
    secret.parent.mkdir()
    secret.write_text(f"{SECRET},password\n{SECRET},hunter2\n")
    return secret


def test_a_symlink_pointing_out_of_the_export_directory_is_refused_unread(fails, tmp_path):
    exports = write_export_set(tmp_path / "x")
    (exports / "tickets.csv").unlink()
    (exports / "tickets.csv").symlink_to(_secret_file(tmp_path))
    message = fails(exports)
    assert message.startswith("tickets.csv: a symbolic link to a file outside the export directory")
    assert SECRET not in message and "secret" not in message


@pytest.mark.parametrize("listed", ["../elsewhere/secret.csv", "ABSOLUTE"])
def test_a_manifest_path_outside_the_export_directory_is_refused_unread(fails, tmp_path, listed):
    secret = _secret_file(tmp_path)
    listed = str(secret) if listed == "ABSOLUTE" else listed
    exports = write_export_set(tmp_path / "x", manifest={"files": {listed: {"rows": 1, "sha256": "00"}}})
    message = fails(exports)
    assert message.startswith(f"manifest.json lists '{listed}', which is not a file name in the export directory")
    assert SECRET not in message


def test_a_symlink_inside_the_export_directory_is_read(tmp_path):
    exports = write_export_set(tmp_path / "x", manifest=True)
    (exports / "parts").mkdir()
    (exports / "tickets.csv").rename(exports / "parts" / "tickets.csv")
    (exports / "tickets.csv").symlink_to(exports / "parts" / "tickets.csv")
    summary = run_build(exports, tmp_path / "kam.duckdb", as_of="2026-11-26")
    assert summary["tables"]["tickets"]["rows_loaded"] == 3
