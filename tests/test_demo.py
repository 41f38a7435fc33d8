"""The demo export set: contract headers, both dialects, manifest, determinism, injected faults, and a clean build.

One small set per dialect is generated once per module (a few seconds each);
`large` is measured by hand, never here.
"""

import csv
import hashlib
import json
import re
from datetime import date, datetime
from functools import cache
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from kamdata.build.contract import TABLES, TABLES_BY_NAME
from kamdata.demo.faults import FAULTS, SUPERSEDED
from kamdata.demo.generate import generate
from kamdata.demo.write import open_text

AS_OF = date(2026, 11, 27)
MASTER = ("accounts", "sites", "employees")

# Rejected rows per table, counted by hand from the fault list in kamdata/demo_faults.py:
# tickets: bad created_at, P7, dangling site, site of another account, resolved before created.
EXPECTED_REJECTED = {
    "tickets": 5,
    "meter_readings": 2,
    "time_bookings": 2,
    "revenue": 1,
    "surveys": 1,
    "contracts": 1,
    "interactions": 1,
    "commitments": 1,
    "sites": 1,
}
# Superseded records: 120 tickets re-exported, 4 opportunities re-exported, 2 meter readings
# repeated later in the same file.
EXPECTED_SUPERSEDED = {"tickets": 120, "opportunities": 4, "meter_readings": 2}


@pytest.fixture(scope="module")
def standard(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("standard")
    generate(out, scale="small", seed=7, dialect="standard", as_of=AS_OF)
    return out


@pytest.fixture(scope="module")
def german(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("german")
    generate(out, scale="small", seed=7, dialect="german", as_of=AS_OF)
    return out


def _table_of(name: str) -> str:
    stem = name.split(".")[0]
    return stem if stem in TABLES_BY_NAME else stem.rsplit("_", 1)[0]


def _encoding(path: Path, dialect: str) -> str:
    return "cp1252" if dialect == "german" and _table_of(path.name) in MASTER else "utf-8-sig"


@cache
def _records(path: Path, dialect: str) -> list[list[str]]:
    """All records of one CSV file, header first (cached: the files are read by several tests)."""
    with open_text(path, _encoding(path, dialect)) as fh:
        return list(csv.reader(fh, delimiter=";" if dialect == "german" else ","))


def _parses(text: str, fmt: str) -> bool:
    try:
        datetime.strptime(text, fmt)
    except ValueError:
        return False
    return True


def _table_records(out: Path, table: str, dialect: str) -> tuple[list[str], list[list[str]]]:
    """Header and all records of a table over its CSV files (name order)."""
    header, rows = None, []
    for path in sorted(out.iterdir()):
        if path.name != "manifest.json" and _table_of(path.name) == table and "parquet" not in path.name:
            records = _records(path, dialect)
            header = records[0]
            rows += records[1:]
    return header, rows


def test_every_contract_table_is_exported(standard, german):
    for out in (standard, german):
        tables = {_table_of(p.name) for p in out.iterdir() if p.name != "manifest.json"}
        assert tables == {t.name for t in TABLES}


def test_headers_are_the_contract_columns(standard, german):
    for out, dialect in ((standard, "standard"), (german, "german")):
        for path in out.iterdir():
            if path.name == "manifest.json":
                continue
            table = TABLES_BY_NAME[_table_of(path.name)]
            expected = [c.name for c in table.columns] + (["source_system"] if table.name == "accounts" else [])
            if path.suffix == ".parquet":
                header = pq.read_schema(path).names
            else:
                with open_text(path, _encoding(path, dialect)) as fh:
                    header = next(csv.reader(fh, delimiter=";" if dialect == "german" else ","))
            assert header == expected, path.name


def test_manifest_counts_records_not_lines_and_hashes_files(standard, german):
    for out, dialect in ((standard, "standard"), (german, "german")):
        manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
        # exported_at = as-of day 02:00 Berlin (CET in November: +01:00).
        assert manifest["exported_at"] == "2026-11-27T02:00:00+01:00"
        assert set(manifest["files"]) == {p.name for p in out.iterdir()} - {"manifest.json"}
        for name, entry in manifest["files"].items():
            path = out / name
            assert entry["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
            if path.suffix == ".parquet":
                assert entry["rows"] == pq.read_metadata(path).num_rows
                continue
            records = _records(path, dialect)
            assert entry["rows"] == len(records) - 1, name
            assert {len(r) for r in records} == {len(records[0])}, name
    surveys = standard / "surveys.csv"
    physical_lines = surveys.read_bytes().count(b"\n")
    assert physical_lines > len(_records(surveys, "standard"))  # comments with line breaks


def test_standard_dialect_spelling(standard):
    header, tickets = _table_records(standard, "tickets", "standard")
    created = [r[header.index("created_at")] for r in tickets]
    # All local ISO time, except the 120 re-exported in UTC ("Z") and the injected 2025-02-30T25:61:00.
    assert sum(not _parses(c, "%Y-%m-%dT%H:%M:%S") for c in created) == 120 + 1
    reexport = _records(standard / "tickets_reexport.csv", "standard")
    assert all(r[7].endswith("Z") for r in reexport[1:])
    accounts = _records(standard / "accounts.csv", "standard")
    assert all(re.search(r"\+0[12]:00$", r[6]) for r in accounts[1:])
    assert (standard / "accounts.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    header, revenue = _table_records(standard, "revenue", "standard")
    months = [r[1] for r in revenue]
    assert sum(bool(re.fullmatch(r"\d{4}-\d\d", m)) for m in months) == len(months) - 1
    assert any(re.fullmatch(r"-?\d+\.\d+", r[3]) for r in revenue)
    assert any(name.endswith(".csv.gz") for name in (p.name for p in standard.iterdir()))


def test_german_dialect_spelling(german):
    header, revenue = _table_records(german, "revenue", "german")
    amounts = [r[header.index("revenue_eur")] for r in revenue]
    german_number = re.compile(r"-?\d{1,3}(\.\d{3})*(,\d+)?")
    assert all(german_number.fullmatch(a) for a in amounts)
    assert any("." in a and "," in a for a in amounts)  # thousands dots and decimal comma, e.g. 59.866,34
    assert sum(bool(re.fullmatch(r"\d\d\.\d{4}", r[1])) for r in revenue) == len(revenue) - 1
    header, tickets = _table_records(german, "tickets", "german")
    created = [r[header.index("created_at")] for r in tickets]
    assert sum(not _parses(c, "%d.%m.%Y %H:%M") for c in created) == 1  # the injected 30.02.2025 25:61
    assert {r[header.index("escalated")] for r in tickets} == {"ja", "nein"}
    contracts = _records(german / "contracts.csv", "german")
    assert all(re.fullmatch(r"\d\d\.\d\d\.\d{4}", r[3]) for r in contracts[1:])
    raw = (german / "employees.csv").read_bytes()
    assert b"\r\n" in raw and re.search(rb"[\xe4\xf6\xfc\xdf]", raw)  # Windows-1252 umlauts, CRLF
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")


def test_naive_timestamps_avoid_the_dst_switch_hour(german):
    # Last Sundays of March/October in the history window 2023-01-01 .. 2026-11-27: spring gaps
    # 26.03.2023, 31.03.2024, 30.03.2025, 29.03.2026; autumn repeats 29.10.2023, 27.10.2024, 26.10.2025.
    switch_hours = (
        "26.03.2023 02:",
        "31.03.2024 02:",
        "30.03.2025 02:",
        "29.03.2026 02:",
        "29.10.2023 02:",
        "27.10.2024 02:",
        "26.10.2025 02:",
    )
    header, tickets = _table_records(german, "tickets", "german")
    stamps = {i for i, name in enumerate(header) if name.endswith("_at")}
    hits = [r[i] for r in tickets for i in stamps if r[i].startswith(switch_hours)]
    assert hits == []


def test_history_is_three_full_years_and_the_current_year_to_date(standard):
    # Starts on 1 January of as-of year - 3, so no calendar year is partial except the current one.
    readings = pq.read_table(standard / "meter_readings_2023.parquet", columns=["reading_date"])["reading_date"]
    assert min(readings.to_pylist()) == date(2023, 1, 1)
    assert sorted(p.name for p in standard.glob("meter_readings_*")) == [
        f"meter_readings_{y}.parquet" for y in range(2023, 2027)
    ]
    header, tickets = _table_records(standard, "tickets", "standard")
    created = sorted(r[header.index("created_at")] for r in tickets if r[header.index("created_at")].startswith("20"))
    assert created[0].startswith("2023-01-01") and created[-1] < "2026-11-27T02:00"
    header, targets = _table_records(standard, "sustainability_targets", "standard")
    assert {r[header.index("baseline_year")] for r in targets} == {"2023"}


def test_survey_comments_carry_quotes_line_breaks_and_html(standard):
    header, surveys = _table_records(standard, "surveys", "standard")
    comments = [r[header.index("comment")] for r in surveys]
    assert any("\n" in c for c in comments)
    assert any('"' in c for c in comments)
    assert any("<b>" in c or "<p>" in c for c in comments)


def test_same_seed_same_bytes(standard, tmp_path):
    generate(tmp_path, scale="small", seed=7, dialect="standard", as_of=AS_OF)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in standard.iterdir())
    for path in standard.iterdir():
        assert (tmp_path / path.name).read_bytes() == path.read_bytes(), path.name


def test_refuses_to_clear_a_directory_that_is_no_export_set(tmp_path):
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(FileExistsError):
        generate(tmp_path, as_of=AS_OF)
    assert (tmp_path / "notes.txt").exists()


def test_fault_list_is_the_hand_counted_one():
    counted = {}
    for fault in FAULTS:
        counted[fault.table] = counted.get(fault.table, 0) + 1
    assert counted == EXPECTED_REJECTED
    assert SUPERSEDED["small"] == EXPECTED_SUPERSEDED


def test_injected_faults_are_in_the_files(german):
    def column(table, name, where=None):
        header, rows = _table_records(german, table, "german")
        i = header.index(name)
        return [r[i] for r in rows if where is None or where(header, r)]

    assert column("tickets", "priority").count("P7") == 1
    assert column("tickets", "created_at").count("30.02.2025 25:61") == 1
    assert column("tickets", "site_id").count("S99999") == 1
    assert column("tickets", "resolved_at").count("01.01.2020 08:00") == 1
    assert column("meter_readings", "quantity").count("-12,5") == 1
    assert column("meter_readings", "unit", lambda h, r: r[h.index("carrier")] == "water").count("kWh") == 1
    assert column("time_bookings", "hours").count("-4") == 1
    assert column("time_bookings", "booking_date").count("31.13.2025") == 1
    assert sum(m.endswith("-15") for m in column("revenue", "month")) == 1
    assert column("surveys", "nps").count("11") == 1
    assert column("contracts", "end_date").count("01.01.2001") == 1
    assert column("interactions", "channel").count("fax") == 1
    assert column("commitments", "due_date").count("01.01.2001") == 1
    assert column("sites", "floor_area_m2").count("0") == 1
    sites = {r[0]: r[1] for r in _records(german / "sites.csv", "german")[1:]}
    _header, tickets = _table_records(german, "tickets", "german")
    foreign = [r for r in tickets if r[2] in sites and sites[r[2]] != r[1]]
    assert len(foreign) == 1


def test_reexports_repeat_keys_with_later_updated_at(german):
    def stamp(text):
        return datetime.strptime(text, "%d.%m.%Y %H:%M")

    header, tickets = _table_records(german, "tickets", "german")
    reexport = _records(german / "tickets_reexport.csv", "german")[1:]
    first = {r[0]: r for r in tickets[: len(tickets) - len(reexport)]}
    assert len(reexport) == 120
    updated = header.index("updated_at")
    assert all(stamp(r[updated]) > stamp(first[r[0]][updated]) for r in reexport)
    assert all(first[r[0]][header.index("status")] == "in_progress" for r in reexport)
    opportunities = _records(german / "opportunities_reexport.csv", "german")
    assert len(opportunities) - 1 == 4
    duplicates = 0
    for path in sorted(german.glob("meter_readings_*.csv")):
        keys = [tuple(r[:3]) for r in _records(path, "german")[1:]]
        duplicates += len(keys) - len(set(keys))
    assert duplicates == 2


build = pytest.importorskip("kamdata.build.runner")


@pytest.fixture(scope="module")
def built(standard, german, tmp_path_factory) -> dict:
    """Each dialect's set built once: dialect -> (exports, database, build summary)."""
    result = {}
    for dialect, exports in (("standard", standard), ("german", german)):
        db = tmp_path_factory.mktemp(f"db_{dialect}") / "kam.duckdb"
        result[dialect] = (exports, db, build.run_build(exports, db, quiet=True))
    return result


@pytest.mark.parametrize("dialect", ["standard", "german"])
def test_build_rejects_only_the_injected_faults(dialect, built):
    import duckdb

    exports, db, summary = built[dialect]
    con = duckdb.connect(str(db), read_only=True)
    stats = {
        r[0]: r[1:]
        for r in con.execute(
            "select table_name, rows_read, rows_loaded, rows_superseded, rows_rejected from build_tables"
        ).fetchall()
    }
    rejected = {t: s[3] for t, s in stats.items() if s[3]}
    superseded = {t: s[2] for t, s in stats.items() if s[2]}
    assert rejected == EXPECTED_REJECTED
    assert superseded == EXPECTED_SUPERSEDED
    manifest = json.loads((exports / "manifest.json").read_text(encoding="utf-8"))
    for table, (read, loaded, sup, rej) in stats.items():
        in_manifest = sum(e["rows"] for n, e in manifest["files"].items() if _table_of(n) == table)
        assert read == in_manifest == loaded + sup + rej, table
    faults = sorted(con.execute("select table_name, column_name from rejected_rows").fetchall())
    assert faults == sorted((f.table, f.column) for f in FAULTS)
    assert str(summary["as_of"]) == "2026-11-27"
    con.close()


def test_health_bands_spread_like_a_portfolio(built):
    """3 of 20 accounts are built at risk, 4 on watch (World._stories);
    each band is populated, at-risk ones are not all zero."""
    import duckdb

    con = duckdb.connect(str(built["standard"][1]), read_only=True)
    bands = {
        band: (n, low, high)
        for band, n, low, high in con.execute(
            "select band, count(*), min(health_score), max(health_score) from mart_account_health group by band"
        ).fetchall()
    }
    assert set(bands) == {"healthy", "watch", "at_risk"}
    assert 2 <= bands["at_risk"][0] <= 4 and 3 <= bands["watch"][0] <= 6
    assert bands["at_risk"][1] >= 20  # several components bad, not all at zero
    assert bands["healthy"][2] - bands["healthy"][1] >= 10  # healthy ones vary
    nonzero = con.execute("""
        select min((sla_score > 0)::int + (satisfaction_score > 0)::int + (relationship_score > 0)::int
                   + (commitments_score > 0)::int + (commercial_score > 0)::int + (team_score > 0)::int)
        from mart_account_health where band = 'at_risk'""").fetchone()[0]
    assert nonzero >= 4
    # The 12-month history shows the slide: at-risk and watch accounts were healthy a year ago.
    slid = dict(
        con.execute("""
        select h.band, count(*) from mart_account_health h
        join mart_account_health_history old on old.account_id = h.account_id
        where old.as_of = (select min(as_of) from mart_account_health_history) and old.band = 'healthy'
        group by h.band""").fetchall()
    )
    assert slid.get("at_risk", 0) >= 1 and slid.get("watch", 0) >= 1
    kinds = {k for (k,) in con.execute("select distinct kind from mart_alerts").fetchall()}
    assert kinds == {
        "renewal_risk",
        "sla_breach",
        "overdue_commitment",
        "no_proactive_contact",
        "team_overload",
        "detractor",
    }
    con.close()
