"""Both CSV dialects, both encodings, BOM, header matching, Parquet and gzip, detected per file."""

import gzip
from datetime import UTC, date, datetime

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from kamdata.build import readers
from kamdata.build.contract import TABLES
from kamdata.build.runner import run_build
from tests.exportset import BASE_ROWS, base_row, format_value, write_export_set, write_table

UTC = UTC


def build(tmp_path, exports, **options):
    summary = run_build(exports, tmp_path / "kam.duckdb", as_of="2026-11-26", **options)
    return summary, duckdb.connect(str(tmp_path / "kam.duckdb"), read_only=True)


def staged(con, table):
    return con.execute(f"select * exclude (_source_file, _source_line) from stg_{table} order by all").fetchall()


def test_german_cp1252_set_loads_exactly_like_the_standard_utf8_set(tmp_path):
    _, standard = build(tmp_path / "std", write_export_set(tmp_path / "std" / "exports"))
    german_dir = write_export_set(tmp_path / "de" / "exports", dialect="german", encoding="cp1252")
    assert b"1.234" not in (german_dir / "sites.csv").read_bytes()  # sanity: S1's area is 12.500,5 there
    assert b"12.500,5;" in (german_dir / "sites.csv").read_bytes()
    assert "Jörg".encode("cp1252") in (german_dir / "employees.csv").read_bytes()
    _, german = build(tmp_path / "de", german_dir)
    for table in TABLES:
        assert staged(german, table.name) == staged(standard, table.name), table.name
    assert standard.execute("select count(*) from rejected_rows").fetchone() == (0,)
    assert german.execute("select count(*) from rejected_rows").fetchone() == (0,)


def test_a_windows_1252_line_after_the_first_batch_of_a_utf8_file_is_rejected_alone(tmp_path, monkeypatch):
    # The file is UTF-8 ("München" on line 4): one Windows-1252 line must not re-decode it all as
    # Windows-1252 (mojibake "MÃ¼nchen"); that line is rejected, rows 1-2 already inserted stay.
    monkeypatch.setattr(readers, "BATCH_ROWS", 2)
    exports = write_export_set(tmp_path / "exports", dialect="german", add={"sites": [base_row("sites", site_id="S5")]})
    with open(exports / "sites.csv", "ab") as fh:  # line 6
        fh.write("S4;A2;Außenlager;Düsseldorf;DE;warehouse;1.000;;\r\n".encode("cp1252"))
    summary, con = build(tmp_path, exports)
    assert summary["tables"]["sites"]["rows_read"] == 5 and summary["tables"]["sites"]["rows_rejected"] == 1
    assert con.execute("select city from stg_sites where site_id = 'S3'").fetchone() == ("München",)
    assert con.execute(
        "select line_number, column_name, raw_value from rejected_rows where table_name = 'sites' order by all"
    ).fetchall() == [(6, "city", r"D\xfcsseldorf"), (6, "site_name", r"Au\xdfenlager")]


def test_bom_header_case_whitespace_order_and_extra_columns(tmp_path):
    exports = write_export_set(tmp_path / "exports", omit=["employees"])
    columns = [" Active", "EMPLOYEE_ID ", "name", "Department", "role", "Weekly_Capacity_H", "shoe_size"]
    lines = [",".join(columns)] + [
        f"{format_value(e['active'], 'boolean', 'standard')},{e['employee_id']},{e['name']},{e['department']},"
        f"{e['role']},{e['weekly_capacity_h']},42"
        for e in BASE_ROWS["employees"]
    ]
    (exports / "employees.csv").write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    _, con = build(tmp_path, exports)
    assert con.execute(
        "select employee_id, name, weekly_capacity_h, active, email from stg_employees order by employee_id"
    ).fetchall() == [
        ("E1", "Anna Schmidt", 40.0, True, None),
        ("E2", "Ben Weber", 38.5, True, None),
        ("E3", "Jörg Müller", 30.0, False, None),
    ]
    assert "shoe_size" not in [c for c, *_ in con.execute("describe stg_employees").fetchall()]


def test_dialect_is_detected_per_file(tmp_path):
    exports = write_export_set(tmp_path / "exports")
    write_table(
        exports / "meter_readings_de.csv",
        "meter_readings",
        [
            base_row("meter_readings", reading_date=date(2026, 9, 30), quantity=1234.5),
        ],
        dialect="german",
    )
    _, con = build(tmp_path, exports)
    assert con.execute("select quantity from stg_meter_readings where reading_date = '2026-09-30'").fetchone() == (
        1234.5,
    )
    assert con.execute(
        "select quantity from stg_meter_readings where carrier = 'electricity' and reading_date = '2026-10-31'"
    ).fetchone() == (12345.6,)


def test_parquet_zoned_timestamps_are_instants_and_naive_ones_berlin_time(tmp_path):
    exports = write_export_set(tmp_path / "exports")
    base = {k: v for k, v in base_row("tickets").items() if not k.endswith("_at")}
    columns = {k: pa.array([v, v]) for k, v in base.items() if v is not None}
    columns.update(
        {k: pa.array([None, None], type=pa.timestamp("us")) for k in ("due_at", "first_response_at", "resolved_at")}
    )
    columns["ticket_id"] = pa.array(["P1", "P2"])
    stamp = datetime(2026, 11, 20, 8, 0)
    zoned = pa.array([stamp.replace(tzinfo=UTC)] * 2, type=pa.timestamp("us", tz="UTC"))
    naive = pa.array([stamp] * 2, type=pa.timestamp("us"))
    pq.write_table(pa.table({**columns, "created_at": zoned, "updated_at": naive}), exports / "tickets_p.parquet")
    pq.write_table(
        pa.table(
            {
                "site_id": ["S2"],
                "reading_date": pa.array([date(2026, 9, 30)]),
                "carrier": ["Electricity"],
                "quantity": pa.array([1.5], type=pa.float64()),
                "unit": ["MWh"],
            }
        ),
        exports / "meter_readings.parquet",
    )
    summary, con = build(tmp_path, exports)
    assert summary["tables"]["tickets"]["files"] == 2
    created, updated, escalated = con.execute(
        "select created_at, updated_at, escalated from stg_tickets where ticket_id = 'P1'"
    ).fetchone()
    assert created == datetime(2026, 11, 20, 8, 0, tzinfo=UTC)  # zoned: that instant
    assert updated == datetime(2026, 11, 20, 7, 0, tzinfo=UTC)  # naive: 08:00 Berlin (CET)
    assert escalated is False
    assert con.execute("select kwh, _source_line from stg_meter_readings where site_id = 'S2'").fetchone() == (
        1500.0,
        1,
    )


def test_gzip_files_are_read(tmp_path):
    exports = write_export_set(tmp_path / "exports")
    plain = exports / "sites.csv"
    with gzip.open(exports / "sites.csv.gz", "wb") as fh:
        fh.write(plain.read_bytes())
    plain.unlink()
    summary, _ = build(tmp_path, exports)
    assert summary["tables"]["sites"]["rows_loaded"] == 3


def test_absent_optional_tables_and_columns_are_empty_and_null(tmp_path):
    exports = write_export_set(tmp_path / "exports", omit=["sla_malus", "emission_factors", "sustainability_targets"])
    (exports / "readme.txt").write_text("not a table")
    summary, con = build(tmp_path, exports)
    assert summary["unknown_files"] == ["readme.txt"]
    assert con.execute("select count(*) from stg_sla_malus").fetchone() == (0,)
    assert summary["tables"]["sla_malus"] == {
        "files": 0,
        "rows_read": 0,
        "rows_loaded": 0,
        "rows_superseded": 0,
        "rows_rejected": 0,
    }
    # opportunities' optional updated_at column: the exported file has it; without it, it is NULL
    write_table(exports / "opportunities.csv", "opportunities", [])
    (exports / "opportunities.csv").write_text(
        "opportunity_id,account_id,service_line,stage,expected_value_eur,expected_close,created_on\n"
        "O1,A1,energy,won,100.5,,2026-10-01\n",
        encoding="utf-8",
    )
    _, con = build(tmp_path / "again", exports)
    assert con.execute("select stage, expected_close, updated_at from stg_opportunities").fetchall() == [
        ("won", None, None)
    ]


@pytest.mark.parametrize("dialect", ["standard", "german"])
def test_months_in_every_accepted_form(tmp_path, dialect):
    exports = write_export_set(
        tmp_path / "exports",
        dialect=dialect,
        rows={
            "revenue": [
                base_row("revenue", month=text, service_line=f"line{i}")
                for i, text in enumerate(["2026-11", "2026-11-01", "11.2026"])
            ]
        },
    )
    _, con = build(tmp_path, exports)
    assert con.execute("select distinct month from stg_revenue").fetchall() == [(date(2026, 11, 1),)]
