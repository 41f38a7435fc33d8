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

from kamdata.build.readers import file_sha256
from kamdata.demo import facts as demo_facts
from kamdata.demo import tables as demo_tables
from kamdata.demo.clock import BERLIN, Clock
from kamdata.demo.faults import dirty
from kamdata.demo.world import SCALES, World
from kamdata.demo.write import FileStyle, Rows, connect, write_rows

EXPORT_SUFFIXES = (".csv", ".csv.gz", ".parquet")
MASTER_TABLES = ("accounts", "sites", "employees")


def _style(table: str, reexport: bool, dialect: str, file_format: str = "mixed") -> FileStyle:
    """How the source system behind each table spells its file (mixed on purpose, as in real life).

    `file_format="parquet"` writes every table as Parquet (the all-Parquet benchmark set)."""
    if file_format == "parquet":
        return FileStyle("standard", "parquet")
    fmt = "csv.gz" if table == "time_bookings" else "csv"
    if dialect == "german":
        if table in MASTER_TABLES:
            return FileStyle("german", fmt, encoding="cp1252", crlf=True)
        return FileStyle("german", fmt, encoding="utf-8-sig" if table == "surveys" else "utf-8")
    if table == "meter_readings":
        fmt = "parquet"
    timestamps = {
        ("accounts", False): "offset",
        ("tickets", True): "utc",
        ("opportunities", False): "local_space",
        ("opportunities", True): "offset",
    }.get((table, reexport), "local")
    encoding = "utf-8-sig" if table in ("accounts", "surveys") else "utf-8"
    return FileStyle("standard", fmt, timestamps=timestamps, encoding=encoding)


def _clean_tables(world: World):
    """Every table's clean rows, one at a time (the big ones are written and freed before the next)."""
    yield from demo_tables.master_tables(world)
    for make in (
        demo_tables.revenue,
        demo_tables.surveys,
        demo_tables.interactions,
        demo_tables.commitments,
        demo_tables.opportunities,
    ):
        yield make(world)
    for make_facts in (demo_facts.tickets, demo_facts.meter_readings, demo_facts.time_bookings):
        yield make_facts(world, world.rng)


def _write_table(con, out: Path, parts: list[Rows], dialect: str, file_format: str) -> dict[str, dict]:
    """Write a table's main rows (split by part) and re-exports; manifest entries per file name."""
    files = {}
    for index, rows in enumerate(parts):
        style = _style(rows.table, index > 0, dialect, file_format)
        groups: dict[str, np.ndarray | None]
        if rows.part is None:
            groups = {"_reexport" if index else "": None}
        else:
            groups = {f"_{p}": np.flatnonzero(rows.part == p) for p in sorted(set(rows.part))}
        for name_part, take in groups.items():
            name = f"{rows.table}{name_part}.{style.fmt}"
            n = write_rows(con, rows, out / name, style, take)
            files[name] = {"rows": n, "sha256": file_sha256(out / name), "table": rows.table}
    return files


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


def generate(
    out_dir,
    scale: str = "small",
    seed: int = 7,
    dialect: str = "standard",
    as_of: date | None = None,
    file_format: str = "mixed",
) -> dict[str, int]:
    """Write one export set into `out_dir`; returns records written per table. Deterministic per arguments."""
    as_of = as_of or datetime.now(BERLIN).date()
    out = Path(out_dir)
    _clear(out)
    clock = Clock(as_of)
    world = World(SCALES[scale], clock, np.random.default_rng(seed))
    con = connect()
    files: dict[str, dict] = {}
    for number, clean in enumerate(_clean_tables(world)):
        # Faults draw from their own stream per table so adding one never reshuffles the clean data.
        files |= _write_table(
            con, out, dirty(clean, world, scale, dialect, np.random.default_rng([seed, number])), dialect, file_format
        )
        del clean
    con.close()
    counts: dict[str, int] = {}
    for entry in files.values():
        table = entry.pop("table")
        counts[table] = counts.get(table, 0) + entry["rows"]
    manifest = {"exported_at": clock.exported_at.isoformat(), "files": dict(sorted(files.items()))}
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return counts


def cli_demo(args) -> int:
    as_of = date.fromisoformat(args.as_of) if args.as_of else None
    started = time.perf_counter()
    counts = generate(
        args.out, scale=args.scale, seed=args.seed, dialect=args.dialect, as_of=as_of, file_format=args.file_format
    )
    seconds = time.perf_counter() - started
    out = Path(args.out)
    size = sum(p.stat().st_size for p in out.iterdir() if p.is_file())
    for table, n in counts.items():
        print(f"{table:<24}{n:>12,}")
    print(
        f"{sum(counts.values()):,} rows in {len(list(out.iterdir())) - 1} files, {size / 1e6:,.1f} MB, "
        f"written to {out} in {seconds:.1f} s"
    )
    return 0
