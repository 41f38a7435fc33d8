"""`python -m kamdata bench`: time every app query on a built database.

The dashboard's speed is the speed of its query files, so it is measured here,
by a command run on a realistic (large demo) database, and never by timed
tests, which would be flaky on shared CI machines and meaningless on the tiny
fixture. Each file runs as the app runs it (kamdata.db: read-only connection
to the symlink's real file, TimeZone Europe/Berlin, a fresh cursor per run,
result fetched as a DataFrame) but without the Streamlit cache, which would
hide exactly the cost being measured.

Variants: "portfolio" (all filters NULL, the landing view) and, for files that
take the account or period filters, "filtered" (three accounts and the three
months up to build_info.as_of), so a query that is only slow unfiltered, or
only slow filtered, shows up. Query-specific parameters get values from the
database (first account, its latest ticket month and priority, latest
sustainability year); an unknown one is bound NULL.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from dataclasses import asdict, dataclass
from datetime import timedelta

import duckdb
from rich import box
from rich.console import Console
from rich.table import Table

from kamdata.db import QUERIES_DIR, TIMEZONE, current_version, sql_text

GLOBAL_FILTERS = ("accounts", "service_lines", "date_from", "date_to")


@dataclass
class Timing:
    """One query file under one parameter variant.

    cold_ms is the first run (its data possibly not yet in DuckDB's buffer
    pool, as right after a republish), warm_ms the median of the later runs
    (the first when there is only one), what a cache miss costs afterwards.
    """

    query: str
    variant: str
    rows: int | None = None
    cold_ms: float | None = None
    warm_ms: float | None = None
    error: str | None = None


def _one(con: duckdb.DuckDBPyConnection, sql: str) -> tuple:
    return con.execute(sql).fetchone() or (None,)


def parameter_values(con: duckdb.DuckDBPyConnection) -> tuple[dict, dict]:
    """(portfolio, filtered) parameter sets, with query-specific values taken from the database."""
    as_of = _one(con, "select as_of from build_info")[0]
    accounts = [row[0] for row in con.execute("select account_id from mart_accounts order by account_id limit 3").fetchall()]
    account = accounts[0] if accounts else None
    month, priority = con.execute(
        "select month, priority from mart_ticket_sla where account_id = $a order by month desc, priority limit 1",
        {"a": account},
    ).fetchone() or (None, None)
    specific = {
        "scope": None,
        "account_id": account,
        "month": month,
        "priority": priority,
        "year": _one(con, "select max(year) from mart_sustainability_yearly")[0],
    }
    portfolio = {**specific, **dict.fromkeys(GLOBAL_FILTERS)}
    # Three calendar months ending at as_of: the day after as_of minus three months, up to as_of.
    date_from = con.execute("select ($d::date - interval 3 month + interval 1 day)::date", {"d": as_of}).fetchone()[0]
    filtered = {**portfolio, "accounts": accounts, "date_from": date_from, "date_to": as_of}
    return portfolio, filtered


def _measure(con: duckdb.DuckDBPyConnection, name: str, variant: str, params: dict, repeat: int) -> Timing:
    timing = Timing(name, variant)
    try:
        sql, wanted = sql_text(name)
        bound = {key: params.get(key) for key in wanted}
        times = []
        for _ in range(repeat):
            cur = con.cursor()
            try:
                cur.execute(f"set TimeZone = '{TIMEZONE}'")
                start = time.perf_counter()
                frame = cur.execute(sql, bound).df()
                times.append((time.perf_counter() - start) * 1000)
            finally:
                cur.close()
        timing.rows = len(frame)
        timing.cold_ms = round(times[0], 1)
        timing.warm_ms = round(statistics.median(times[1:] or times), 1)
    except (duckdb.Error, ValueError, KeyError) as exc:
        timing.error = f"{type(exc).__name__}: {exc}".splitlines()[0]
    return timing


def bench(db_path, repeat: int = 3) -> list[Timing]:
    """Run every sql/queries file on the database at `db_path`; slowest (cold) first, errors on top."""
    con = duckdb.connect(current_version(db_path).path, read_only=True)
    try:
        con.execute(f"set TimeZone = '{TIMEZONE}'")
        portfolio, filtered = parameter_values(con)
        timings = []
        for path in sorted(QUERIES_DIR.glob("*.sql")):
            name = path.stem
            timings.append(_measure(con, name, "portfolio", portfolio, repeat))
            try:
                filterable = bool(sql_text(name)[1] & {"accounts", "date_from", "date_to"})
            except ValueError:
                filterable = False
            if filterable:
                timings.append(_measure(con, name, "filtered", filtered, repeat))
    finally:
        con.close()
    return sorted(timings, key=lambda t: (t.error is None, -(t.cold_ms or 0), t.query, t.variant))


def _totals(timings: list[Timing]) -> dict:
    return {
        "cold_ms": round(sum(t.cold_ms or 0 for t in timings), 1),
        "warm_ms": round(sum(t.warm_ms or 0 for t in timings), 1),
        "errors": sum(t.error is not None for t in timings),
    }


def _render(timings: list[Timing], totals: dict, db: str, repeat: int) -> None:
    table = Table(title=f"Query timings on {db}: cold = first of {repeat} runs, warm = median of the rest", box=box.SIMPLE_HEAD)
    table.add_column("query", min_width=max(len(t.query) for t in timings))
    table.add_column("variant")
    for column in ("rows", "cold ms", "warm ms"):
        table.add_column(column, justify="right")
    for t in timings:
        if t.error:
            table.add_row(t.query, t.variant, "", "", f"[red]{t.error}[/red]")
        else:
            table.add_row(t.query, t.variant, f"{t.rows:,}", f"{t.cold_ms:,.1f}", f"{t.warm_ms:,.1f}")
    table.add_section()
    table.add_row("total", f"{totals['errors']} errors", "", f"{totals['cold_ms']:,.1f}", f"{totals['warm_ms']:,.1f}")
    Console().print(table)


def cli_bench(args) -> int:
    """Entry point of `python -m kamdata bench`; exit 1 when a query failed."""
    if args.repeat < 1:
        print("--repeat must be at least 1", file=sys.stderr)
        return 2
    timings = bench(args.db, args.repeat)
    totals = _totals(timings)
    _render(timings, totals, args.db, args.repeat)
    if args.json_file:
        report = {"db": current_version(args.db).path, "repeat": args.repeat,
                  "queries": [asdict(t) for t in timings], "total": totals}
        with open(args.json_file, "w", encoding="utf-8") as out:
            json.dump(report, out, indent=2, default=str)
    return 1 if totals["errors"] else 0
