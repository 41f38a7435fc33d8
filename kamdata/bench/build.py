"""`python -m kamdata bench --build small|large`: the build against a plain DuckDB load of the same files.

For each export set (the default demo set, the German dialect set, the all-Parquet set) it runs, in one
run and each in its own process: the build (`python -m kamdata build`), and a plain load that puts every
file into a table of its own with DuckDB's `read_csv`/`read_parquet` (auto-detected, no checks). Per
process: wall time, CPU time (user + system), peak memory (the child's maximum RSS, from wait4) and the
database file's size; then the build's ratios to the plain load and its per-table step seconds.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from kamdata.build.readers import CP1252, detect_encoding, discover

AS_OF = date(2026, 12, 4)  # the demo sets' fixed export date: repeatable figures
SETS = (("default", "standard", "mixed"), ("german", "german", "mixed"), ("parquet", "standard", "parquet"))

PLAIN_LOAD = """
import sys, duckdb
con = duckdb.connect(sys.argv[1])
for i, arg in enumerate(sys.argv[2:]):
    path, encoding = arg.rsplit("|", 1)
    if path.endswith(".parquet"):
        source = f"read_parquet('{path}')"
    else:  # a plain load skips what it cannot type (the demo sets carry faulty rows on purpose)
        source = f"read_csv('{path}', encoding = '{encoding}', ignore_errors = true)"
    con.execute(f"create table t{i} as select * from {source}")
con.execute("checkpoint")
con.close()
"""


def run_measured(args: list[str]) -> dict:
    """Run a child process to its end: wall seconds, CPU seconds and peak RSS (MB) of that child."""
    started = time.monotonic()
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert proc.stderr is not None
    stderr = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(args[:4])} … failed: {stderr.decode(errors='replace')[-2000:]}")
    return {
        "wall_s": round(time.monotonic() - started, 2),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
        "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
    }


def measure_set(exports: Path, workdir: Path) -> dict:
    """The build and the plain load of one export set, side by side (see the module docstring)."""
    workdir.mkdir(parents=True, exist_ok=True)
    files = [str(p) for paths in discover(exports).by_table.values() for p in paths]
    encodings = [
        "latin-1" if f.endswith((".csv", ".csv.gz")) and detect_encoding(Path(f)) == CP1252 else "utf-8" for f in files
    ]
    with tempfile.TemporaryDirectory(dir=workdir) as scratch:
        db_path, summary = Path(scratch) / "kam.duckdb", Path(scratch) / "build.json"
        build_args = ["--exports", str(exports), "--db", str(db_path), "--quiet", "--json", str(summary)]
        build = run_measured([sys.executable, "-m", "kamdata", "build", *build_args])
        report = json.loads(summary.read_text(encoding="utf-8"))
        build["db_mb"] = round(db_path.resolve().stat().st_size / 1e6, 1)
        build["staging_s"], build["marts_s"] = report["staging_s"], report["marts_s"]
        plain_db = Path(scratch) / "plain.duckdb"
        plain = run_measured(
            [
                sys.executable,
                "-c",
                PLAIN_LOAD,
                str(plain_db),
                *(f"{f}|{e}" for f, e in zip(files, encodings, strict=True)),
            ]
        )
        plain["db_mb"] = round(plain_db.stat().st_size / 1e6, 1)
    return {
        "exports": str(exports),
        "files": len(files),
        "rows_read": sum(t["rows_read"] for t in report["tables"].values()),
        "build": build,
        "plain": plain,
        "cpu_ratio": round(build["cpu_s"] / plain["cpu_s"], 2),
        "wall_ratio": round(build["wall_s"] / plain["wall_s"], 2),
        "db_ratio": round(build["db_mb"] / plain["db_mb"], 2),
        "table_steps": report["table_steps"],
    }


def export_set(scale: str, workdir: Path, name: str = "default") -> Path:
    """The demo export set `name` (SETS) of `scale` under `workdir`, generated once and then reused.

    Generated in a child process: Linux counts the memory a process had when it started another program
    into that program's peak (ru_maxrss), so a bench grown by generating would inflate every build's and
    plain load's peak memory it measures afterwards."""
    dialect, file_format = next((d, f) for n, d, f in SETS if n == name)
    exports = workdir / f"exports-{scale}" if name == "default" else workdir / f"exports-{scale}-{name}"
    if not (exports / "manifest.json").exists():
        demo = ["--scale", scale, "--seed", "7", "--dialect", dialect, "--as-of", AS_OF.isoformat()]
        subprocess.run(
            [sys.executable, "-m", "kamdata", "demo", "--out", str(exports), *demo, "--format", file_format],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return exports


def export_sets(scale: str, workdir: Path) -> dict[str, Path]:
    """The three demo export sets of `scale` under `workdir`."""
    return {name: export_set(scale, workdir, name) for name, _, _ in SETS}


def bench_build(scale: str, workdir: Path) -> dict[str, dict]:
    return {name: measure_set(exports, workdir / "build") for name, exports in export_sets(scale, workdir).items()}


def render(results: dict[str, dict]) -> None:
    from rich import box
    from rich.console import Console
    from rich.table import Table

    table = Table(title="Build vs a plain DuckDB load of the same files", box=box.SIMPLE_HEAD)
    headings = ("set", "rows", "build s", "plain s", "build CPU s", "plain CPU s", "CPU ×", "build MB RSS")
    for heading in (*headings, "plain MB RSS", "build DB MB", "plain DB MB", "DB ×"):
        table.add_column(heading, justify="left" if heading == "set" else "right")
    for name, r in results.items():
        b, p = r["build"], r["plain"]
        table.add_row(
            name,
            f"{r['rows_read']:,}",
            f"{b['wall_s']:.1f}",
            f"{p['wall_s']:.1f}",
            f"{b['cpu_s']:.1f}",
            f"{p['cpu_s']:.1f}",
            f"{r['cpu_ratio']:.2f}",
            f"{b['peak_rss_mb']:,.0f}",
            f"{p['peak_rss_mb']:,.0f}",
            f"{b['db_mb']:,.1f}",
            f"{p['db_mb']:,.1f}",
            f"{r['db_ratio']:.2f}",
        )
    Console().print(table)
