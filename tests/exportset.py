"""Write small, valid export sets (and fixture databases) for tests.

    from tests.exportset import write_export_set, build_fixture_db, base_row

    exports = write_export_set(tmp_path / "exports")                      # every table, standard dialect
    exports = write_export_set(tmp_path / "x", dialect="german", encoding="cp1252")
    exports = write_export_set(tmp_path / "x", add={"tickets": [base_row("tickets", ticket_id="T9")]})
    exports = write_export_set(tmp_path / "x", rows={"revenue": []}, omit=["sla_malus"])
    exports = write_export_set(tmp_path / "x", raw_lines={"sites": ['S9,A1,"broken']}, manifest=True)
    db_path = build_fixture_db(tmp_path)                                   # built + published, marts included

Rows are dicts of Python values (str, int, float, bool, date, datetime, None),
formatted per dialect from the contract's column types: standard writes
`2026-11-26`, `2026-11-26 08:15:00`, `1234.5`, `true`; German writes
`26.11.2026`, `26.11.2026 08:15:00`, `1.234,5`, `ja`; a month is `2026-11` /
`11.2026`. A str is written verbatim (to test odd input). A tz-aware datetime
is written with its offset (standard) or converted to Berlin time (German).
The base data is one coherent mini-portfolio as of 2026-11-26 (accounts A1,
A2; sites S1-S3; employees E1-E3; tickets T1-T3 ...), see BASE_ROWS.
"""

from __future__ import annotations

import csv
import hashlib
import json
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from kamdata.build.contract import TABLES_BY_NAME

BERLIN = ZoneInfo("Europe/Berlin")
AS_OF = "2026-11-26"


def _ts(text: str) -> datetime:
    return datetime.fromisoformat(text)


BASE_ROWS: dict[str, list[dict]] = {
    "employees": [
        dict(
            employee_id="E1",
            name="Anna Schmidt",
            department="Key Account Management",
            role="KAM",
            weekly_capacity_h=40.0,
            active=True,
            email="anna.schmidt@example.com",
        ),
        dict(
            employee_id="E2",
            name="Ben Weber",
            department="Technical Service",
            role="Technician",
            weekly_capacity_h=38.5,
            active=True,
            email=None,
        ),
        dict(
            employee_id="E3",
            name="Jörg Müller",
            department="Facility Management",
            role="Object Manager",
            weekly_capacity_h=30.0,
            active=False,
            email=None,
        ),
    ],
    "accounts": [
        dict(
            account_id="A1",
            account_name="Klinikum Nord",
            industry="health",
            region="Nord",
            kam_id="E1",
            customer_since=date(2019, 1, 1),
            updated_at=_ts("2026-11-01 10:00:00"),
        ),
        dict(
            account_id="A2",
            account_name="Logistik Süd GmbH",
            industry="logistics",
            region="Süd",
            kam_id="E1",
            customer_since=None,
            updated_at=_ts("2026-10-15 09:30:00"),
        ),
    ],
    "sites": [
        dict(
            site_id="S1",
            account_id="A1",
            site_name="Haus A",
            city="Hamburg",
            country="DE",
            building_type="hospital",
            floor_area_m2=12500.5,
            latitude=53.55,
            longitude=9.99,
        ),
        dict(
            site_id="S2",
            account_id="A1",
            site_name="Haus B",
            city="Hamburg",
            country="DE",
            building_type="office",
            floor_area_m2=2300.0,
            latitude=None,
            longitude=None,
        ),
        dict(
            site_id="S3",
            account_id="A2",
            site_name="Lager 1",
            city="München",
            country="DE",
            building_type="warehouse",
            floor_area_m2=40000.0,
            latitude=48.14,
            longitude=11.58,
        ),
    ],
    "contracts": [
        dict(
            contract_id="C1",
            account_id="A1",
            service_line="cleaning",
            start_date=date(2024, 1, 1),
            end_date=date(2026, 12, 31),
            annual_value_eur=480000.0,
            notice_period_days=90,
            auto_renew=True,
        ),
        dict(
            contract_id="C2",
            account_id="A2",
            service_line="technical",
            start_date=date(2023, 7, 1),
            end_date=None,
            annual_value_eur=250000.0,
            notice_period_days=180,
            auto_renew=False,
        ),
    ],
    "sla_policies": [
        dict(account_id=account, priority=prio, response_target_h=resp, resolution_target_h=res, target_pct=95.0)
        for account in ("A1", "A2")
        for prio, resp, res in (("P1", 1.0, 4.0), ("P2", 4.0, 24.0), ("P3", 8.0, 72.0), ("P4", 24.0, 240.0))
    ],
    "sla_malus": [dict(account_id="A1", malus_pct_per_point=1.0, malus_cap_pct=10.0)],
    "tickets": [
        dict(
            ticket_id="T1",
            account_id="A1",
            site_id="S1",
            service_line="technical",
            category="hvac",
            priority="P2",
            kind="reactive",
            created_at=_ts("2026-11-20 08:00:00"),
            due_at=None,
            first_response_at=_ts("2026-11-20 09:00:00"),
            resolved_at=_ts("2026-11-21 12:00:00"),
            status="resolved",
            technician_id="E2",
            first_time_fix=True,
            escalated=False,
            updated_at=_ts("2026-11-21 12:00:00"),
        ),
        dict(
            ticket_id="T2",
            account_id="A1",
            site_id="S2",
            service_line="cleaning",
            category="floor",
            priority="P3",
            kind="reactive",
            created_at=_ts("2026-11-24 14:30:00"),
            due_at=None,
            first_response_at=None,
            resolved_at=None,
            status="open",
            technician_id=None,
            first_time_fix=None,
            escalated=True,
            updated_at=_ts("2026-11-24 14:30:00"),
        ),
        dict(
            ticket_id="T3",
            account_id="A2",
            site_id="S3",
            service_line="technical",
            category="maintenance",
            priority="P4",
            kind="planned",
            created_at=_ts("2026-11-01 07:00:00"),
            due_at=_ts("2026-11-30 16:00:00"),
            first_response_at=None,
            resolved_at=None,
            status="open",
            technician_id="E2",
            first_time_fix=None,
            escalated=False,
            updated_at=_ts("2026-11-25 18:00:00"),
        ),
    ],
    "meter_readings": [
        dict(site_id="S1", reading_date=date(2026, 10, 31), carrier="electricity", quantity=12345.6, unit="kWh"),
        dict(site_id="S1", reading_date=date(2026, 10, 31), carrier="water", quantity=321.0, unit="m3"),
        dict(site_id="S3", reading_date=date(2026, 10, 31), carrier="natural_gas", quantity=4.5, unit="MWh"),
    ],
    "emission_factors": [
        dict(carrier="electricity", year=2026, kg_co2e_per_kwh=0.38, source="Supplier mix 2026"),
    ],
    "account_team": [
        dict(account_id="A1", employee_id="E1", team_role="kam", allocation_pct=50.0),
        dict(account_id="A1", employee_id="E2", team_role="technician", allocation_pct=30.0),
        dict(account_id="A2", employee_id="E1", team_role="kam", allocation_pct=40.0),
    ],
    "time_bookings": [
        dict(
            booking_id="B1",
            employee_id="E1",
            account_id="A1",
            booking_date=date(2026, 11, 20),
            hours=2.5,
            activity="meeting",
        ),
        dict(
            booking_id="B2",
            employee_id="E2",
            account_id=None,
            booking_date=date(2026, 11, 20),
            hours=1.0,
            activity="training",
        ),
    ],
    "revenue": [
        dict(account_id="A1", month=date(2026, 10, 1), service_line="cleaning", revenue_eur=40000.0, cost_eur=31000.0),
        dict(account_id="A2", month=date(2026, 10, 1), service_line="technical", revenue_eur=21000.0, cost_eur=None),
    ],
    "surveys": [
        dict(
            response_id="R1",
            account_id="A1",
            response_date=date(2026, 11, 10),
            nps=9,
            csat=5,
            comment='Sehr gut, "schnell"\nund <b>freundlich</b>; danke',
        ),
        dict(response_id="R2", account_id="A2", response_date=date(2026, 11, 12), nps=6, csat=None, comment=None),
    ],
    "interactions": [
        dict(
            interaction_id="I1",
            account_id="A1",
            interaction_date=date(2026, 11, 15),
            channel="meeting",
            initiated_by="us",
            employee_id="E1",
            subject="QBR",
        ),
        dict(
            interaction_id="I2",
            account_id="A2",
            interaction_date=date(2026, 11, 18),
            channel="email",
            initiated_by="customer",
            employee_id=None,
            subject=None,
        ),
    ],
    "commitments": [
        dict(
            commitment_id="K1",
            account_id="A1",
            owner_id="E1",
            promised_on=date(2026, 11, 1),
            due_date=date(2026, 12, 1),
            done_on=None,
            description="Send the energy report",
        ),
    ],
    "opportunities": [
        dict(
            opportunity_id="O1",
            account_id="A1",
            service_line="energy",
            stage="proposal",
            expected_value_eur=120000.0,
            expected_close=date(2027, 1, 31),
            created_on=date(2026, 10, 1),
            updated_at=_ts("2026-11-02 11:00:00"),
        ),
    ],
    "sustainability_targets": [
        dict(account_id="A1", baseline_year=2022, target_year=2030, target_reduction_pct=40.0),
    ],
}


def base_row(table: str, **changes) -> dict:
    """A copy of the table's first base row with `changes` applied (handy for added rows)."""
    return {**BASE_ROWS[table][0], **changes}


def _german_number(value: float) -> str:
    text = f"{value:,.6f}".rstrip("0").rstrip(".")
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def format_value(value, col_type: str, dialect: str) -> str:
    """One value as the given dialect writes it (str passes through verbatim)."""
    german = dialect == "german"
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return ("ja" if value else "nein") if german else ("true" if value else "false")
    if isinstance(value, datetime):
        if german:
            local = value.astimezone(BERLIN).replace(tzinfo=None) if value.tzinfo else value
            return local.strftime("%d.%m.%Y %H:%M:%S")
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        if col_type == "month":
            return value.strftime("%m.%Y" if german else "%Y-%m")
        return value.strftime("%d.%m.%Y" if german else "%Y-%m-%d")
    if isinstance(value, float):
        return _german_number(value) if german else repr(value)
    return str(value)


def write_table(
    path: Path,
    table: str,
    rows: list[dict],
    dialect: str = "standard",
    encoding: str = "utf-8",
    raw_lines: list[str] = (),
) -> Path:
    """Write one table's rows as a CSV file in `dialect` (header = the contract's column names)."""
    columns = TABLES_BY_NAME[table].columns
    delimiter = ";" if dialect == "german" else ","
    with open(path, "w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh, delimiter=delimiter, lineterminator="\r\n" if dialect == "german" else "\n")
        writer.writerow([c.name for c in columns])
        for row in rows:
            writer.writerow([format_value(row.get(c.name), c.type, dialect) for c in columns])
        for line in raw_lines:
            fh.write(line + "\n")
    return path


def write_export_set(
    path,
    *,
    dialect: str = "standard",
    rows: dict | None = None,
    add: dict | None = None,
    raw_lines: dict | None = None,
    encoding: str = "utf-8",
    omit=(),
    manifest=False,
    exported_at: str | None = None,
) -> Path:
    """Write every table (minus `omit`) as `<table>.csv` into `path`; returns `path`.

    rows: {table: rows} replaces the base rows; add: {table: rows} appends rows;
    raw_lines: {table: [line, ...]} appends verbatim lines; manifest=True writes
    manifest.json with each file's rows and sha256, counting every raw line as one
    record (a dict is written as given); exported_at goes into the generated manifest.
    """
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    files = {}
    for table, base in BASE_ROWS.items():
        if table in omit:
            continue
        table_rows = list((rows or {}).get(table, base)) + list((add or {}).get(table, []))
        written = write_table(
            path / f"{table}.csv", table, table_rows, dialect, encoding, (raw_lines or {}).get(table, [])
        )
        files[written.name] = len(table_rows) + len((raw_lines or {}).get(table, []))
    if manifest is True:
        entries = {
            name: {"rows": count, "sha256": hashlib.sha256((path / name).read_bytes()).hexdigest()}
            for name, count in files.items()
        }
        manifest = {"files": entries, **({"exported_at": exported_at} if exported_at else {})}
    if manifest:
        (path / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return path


def build_fixture_db(tmp_path, *, as_of: str = AS_OF, settings: dict | None = None, **export_options) -> Path:
    """Write an export set (options as for write_export_set) under tmp_path and build it; returns the db path."""
    from kamdata.build.runner import run_build

    exports = write_export_set(Path(tmp_path) / "exports", **export_options)
    db_path = Path(tmp_path) / "kam.duckdb"
    run_build(exports, db_path, as_of=as_of, settings=settings, quiet=True)
    return db_path
