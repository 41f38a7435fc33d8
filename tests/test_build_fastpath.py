"""DuckDB's reader (kamdata/build/sources.py) gives exactly what the strict Python parser gives:
the cases the new path could get wrong, each with line numbers, values and the path that read it."""

import duckdb
import pytest

from kamdata.build import sources
from kamdata.build.contract import TABLES_BY_NAME
from kamdata.build.runner import BuildError, run_build
from kamdata.settings import load_settings
from tests.exportset import BASE_ROWS, base_row, write_export_set, write_table


def build(tmp_path, exports):
    settings = load_settings()
    settings["build"]["reject_share_limit_pct"] = 100  # the fixture tables are tiny
    summary = run_build(exports, tmp_path / "kam.duckdb", as_of="2026-11-26", settings=settings)
    return summary, duckdb.connect(str(tmp_path / "kam.duckdb"), read_only=True)


def rejected(con, table):
    return con.execute(
        "select source_file, line_number, column_name, raw_value from rejected_rows where table_name = ? order by all",
        [table],
    ).fetchall()


def test_a_quoted_line_break_keeps_exact_lines(tmp_path):
    exports = write_export_set(tmp_path / "x")
    lines = (exports / "surveys.csv").read_bytes().count(b"\n")  # R1's comment spans two lines already
    with open(exports / "surveys.csv", "a", encoding="utf-8") as fh:
        fh.write('R9,A1,2026-11-20,8,4,"two\nlines"\nR10,A1,2026-11-21,eleven,4,ok\n')
    summary, con = build(tmp_path, exports)
    assert rejected(con, "surveys") == [("surveys.csv", lines + 3, "nps", "eleven")]
    assert con.execute("select comment, _source_line from stg_surveys where response_id = 'R9'").fetchone() == (
        "two\nlines",
        lines + 1,
    )
    assert summary["tables"]["surveys"]["rows_read"] == len(BASE_ROWS["surveys"]) + 2


def test_bom_crlf_and_a_bad_value_in_the_last_line(tmp_path):
    exports = write_export_set(tmp_path / "x")
    rows = [*BASE_ROWS["interactions"], base_row("interactions", interaction_id="I9", channel="fax")]
    path = write_table(exports / "interactions.csv", "interactions", rows)
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    assert sources.fast_csv(path, TABLES_BY_NAME["interactions"], 0) is not None
    _, con = build(tmp_path, exports)
    assert rejected(con, "interactions") == [("interactions.csv", len(rows) + 1, "channel", "fax")]
    subjects = con.execute("select subject from stg_interactions where subject is not null").fetchall()
    assert subjects and all(not s.endswith("\r") for (s,) in subjects)  # CRLF is no part of the last field
    lines = con.execute("select min(_source_line), max(_source_line) from stg_interactions").fetchone()
    assert lines == (2, len(rows))


def test_german_thousands_separators_and_windows_1252(tmp_path):
    exports = write_export_set(tmp_path / "x", dialect="german", encoding="cp1252")
    with open(exports / "sites.csv", "ab") as fh:
        fh.write("S7;A1;Hüttenwerk;Köln;DE;plant;1.234,5;;\r\nS8;A1;Lager;Köln;DE;plant;1.234;;\r\n".encode("cp1252"))
        fh.write("S9;A1;Lager;Köln;DE;plant;1,234.5;;\r\n".encode("cp1252"))
    _, con = build(tmp_path, exports)
    query = "select site_name, city, floor_area_m2 from stg_sites where site_id in ('S7', 'S8') order by site_id"
    assert con.execute(query).fetchall() == [
        ("Hüttenwerk", "Köln", 1234.5),
        ("Lager", "Köln", 1234.0),
    ]
    lines = len(BASE_ROWS["sites"]) + 1
    assert rejected(con, "sites") == [("sites.csv", lines + 3, "floor_area_m2", "1,234.5")]


def test_german_utf8_file_on_the_reader_types_numbers_and_dates(tmp_path):
    exports = write_export_set(tmp_path / "x", dialect="german")
    path = exports / "contracts.csv"
    path.write_bytes(path.read_bytes().replace(b"\r\n", b"\n"))
    assert sources.fast_csv(path, TABLES_BY_NAME["contracts"], 0) is not None
    _, con = build(tmp_path / "de", exports)
    _, standard = build(tmp_path / "std", write_export_set(tmp_path / "std" / "x"))
    query = "select * exclude (_source_file) from stg_contracts order by all"
    assert con.execute(query).fetchall() == standard.execute(query).fetchall()


def test_a_split_table_with_one_bad_file_names_that_file_and_line(tmp_path):
    exports = write_export_set(tmp_path / "x", omit=["tickets"])
    write_table(exports / "tickets_2026-10.csv", "tickets", BASE_ROWS["tickets"])
    write_table(exports / "tickets_2026-11.csv", "tickets", BASE_ROWS["tickets"][:1], raw_lines=["T9,A1,S1"])
    with pytest.raises(BuildError, match=r"tickets_2026-11\.csv line 3: expected 18 fields"):
        run_build(exports, tmp_path / "kam.duckdb", as_of="2026-11-26")


def test_rows_of_a_split_table_keep_their_own_files_lines(tmp_path):
    exports = write_export_set(tmp_path / "x", omit=["tickets"])
    first, second = BASE_ROWS["tickets"][:2], BASE_ROWS["tickets"][2:]
    write_table(exports / "tickets_a.csv", "tickets", first)
    write_table(exports / "tickets_b.csv", "tickets", [*second, base_row("tickets", ticket_id="T9", priority="P7")])
    summary, con = build(tmp_path, exports)
    assert rejected(con, "tickets") == [("tickets_b.csv", len(second) + 2, "priority", "P7")]
    lines = con.execute("select _source_file, _source_line from stg_tickets order by all").fetchall()
    assert lines == [("tickets_a.csv", i + 2) for i in range(len(first))] + [
        ("tickets_b.csv", i + 2) for i in range(len(second))
    ]
    assert summary["table_steps"]["tickets"].keys() == {"read_s", "type_check_s", "rejects_s", "dedupe_s"}
