"""`python -m kamdata demo`: a realistic, deterministic demo export set.

One command gives a newcomer a full dashboard (`small`, a few seconds) and the
benchmark its portfolio (`large`: 150 accounts, 4,000 sites, 5 million
tickets). The files follow DATA_CONTRACT.md in either dialect, carry a
manifest, and contain the dirty rows listed in `demo_faults`.
"""

from __future__ import annotations

import json
import time
from datetime import date, datetime
from pathlib import Path

import numpy as np

from kamdata import demo_facts, demo_tables
from kamdata.demo_clock import BERLIN, Clock
from kamdata.demo_faults import SUPERSEDED, inject_faults, reexport_opportunities, reexport_tickets, repeat_meter_readings
from kamdata.demo_world import SCALES, World
from kamdata.demo_write import FileStyle, Rows, connect, write_rows
from kamdata.readers import file_sha256

EXPORT_SUFFIXES = (".csv", ".csv.gz", ".parquet")
MASTER_TABLES = ("accounts", "sites", "employees")


def _style(table: str, reexport: bool, dialect: str) -> FileStyle:
    """How the source system behind each table spells its file (mixed on purpose, as in real life)."""
    fmt = "csv.gz" if table == "time_bookings" else "csv"
    if dialect == "german":
        if table in MASTER_TABLES:
            return FileStyle("german", fmt, encoding="cp1252", crlf=True)
        return FileStyle("german", fmt, encoding="utf-8-sig" if table == "surveys" else "utf-8")
    if table == "meter_readings":
        fmt = "parquet"
    timestamps = {
        ("accounts", False): "offset", ("tickets", True): "utc",
        ("opportunities", False): "local_space", ("opportunities", True): "offset",
    }.get((table, reexport), "local")
    encoding = "utf-8-sig" if table in ("accounts", "surveys") else "utf-8"
    return FileStyle("standard", fmt, timestamps=timestamps, encoding=encoding)


def _build_tables(world: World, scale: str, dialect: str, seed: int) -> dict[str, list[Rows]]:
    tables: dict[str, list[Rows]] = {rows.table: [rows] for rows in demo_tables.master_tables(world)}
    for make in (demo_tables.revenue, demo_tables.surveys, demo_tables.interactions,
                 demo_tables.commitments, demo_tables.opportunities):
        rows = make(world)
        tables[rows.table] = [rows]
    for make in (demo_facts.tickets, demo_facts.meter_readings, demo_facts.time_bookings):
        rows = make(world, world.rng)
        tables[rows.table] = [rows]
    # Faults draw from their own stream so adding one never reshuffles the clean data.
    fault_rng = np.random.default_rng([seed, 1])
    counts = SUPERSEDED[scale]
    tables["tickets"].append(reexport_tickets(tables["tickets"][0], world, counts["tickets"], fault_rng))
    tables["opportunities"].append(reexport_opportunities(tables["opportunities"][0], counts["opportunities"], fault_rng))
    inject_faults(tables, world, dialect, fault_rng)
    repeat_meter_readings(tables["meter_readings"][0], counts["meter_readings"], fault_rng)
    return tables


def _clear(out: Path) -> None:
    """Remove a previous demo export set; refuse to touch a directory that is not one."""
    if not out.exists():
        out.mkdir(parents=True)
        return
    existing = [p for p in out.iterdir() if p.name != "manifest.json"]
    if existing and not (out / "manifest.json").exists():
        raise FileExistsError(f"{out} is not empty and holds no export set (manifest.json); choose another --out")
    for path in existing:
        if path.is_file() and path.name.endswith(EXPORT_SUFFIXES):
            path.unlink()
    (out / "manifest.json").unlink(missing_ok=True)


def generate(out_dir, scale: str = "small", seed: int = 7, dialect: str = "standard", as_of: date | None = None) -> dict[str, int]:
    """Write one export set into `out_dir`; returns records written per table. Deterministic per arguments."""
    as_of = as_of or datetime.now(BERLIN).date()
    out = Path(out_dir)
    _clear(out)
    clock = Clock(as_of)
    world = World(SCALES[scale], clock, np.random.default_rng(seed))
    tables = _build_tables(world, scale, dialect, seed)
    con = connect()
    files, counts = {}, {}
    for table, parts in tables.items():
        for index, rows in enumerate(parts):
            style = _style(table, index > 0, dialect)
            suffix = "." + style.fmt
            if rows.part is None:
                groups = {"_reexport" if index else "": None}
            else:
                groups = {f"_{p}": np.flatnonzero(rows.part == p) for p in sorted(set(rows.part))}
            for name_part, take in groups.items():
                name = f"{table}{name_part}{suffix}"
                n = write_rows(con, rows, out / name, style, take)
                files[name] = {"rows": n, "sha256": file_sha256(out / name)}
                counts[table] = counts.get(table, 0) + n
    con.close()
    manifest = {"exported_at": clock.exported_at.isoformat(), "files": dict(sorted(files.items()))}
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return counts


def cli_demo(args) -> int:
    as_of = date.fromisoformat(args.as_of) if args.as_of else None
    started = time.perf_counter()
    counts = generate(args.out, scale=args.scale, seed=args.seed, dialect=args.dialect, as_of=as_of)
    seconds = time.perf_counter() - started
    out = Path(args.out)
    size = sum(p.stat().st_size for p in out.iterdir() if p.is_file())
    for table, n in counts.items():
        print(f"{table:<24}{n:>12,}")
    print(f"{sum(counts.values()):,} rows in {len(list(out.iterdir())) - 1} files, {size / 1e6:,.1f} MB, "
          f"written to {out} in {seconds:.1f} s")
    return 0
