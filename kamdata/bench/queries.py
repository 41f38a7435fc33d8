"""Every app query timed on a built database (part of `python -m kamdata bench`).

The dashboard's speed is the speed of its query files, so it is measured here,
by a command run on a realistic (large demo) database, and never by timed
tests, which would be flaky on shared CI machines and meaningless on the tiny
fixture. Each file runs as the app runs it (kamdata.app.db: read-only connection
to the symlink's real file, TimeZone Europe/Berlin, a fresh cursor per run,
result fetched as a DataFrame) but without the Streamlit cache, which would
hide exactly the cost being measured.

Variants: "portfolio" (all filters NULL, the landing view) and, for files that
take the account or period filters, "filtered" (three accounts and the three
months up to the as-of date), so a query that is only slow unfiltered, or
only slow filtered, shows up. Query-specific parameters get values from the
database (first account, its latest ticket month and priority, latest
sustainability year).
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass

import duckdb
import pandas as pd
from rich import box
from rich.console import Console
from rich.table import Table

from kamdata import query
from kamdata.query import DbVersion
from kamdata.settings import load_settings

GLOBAL_FILTERS = ("accounts", "service_lines", "date_from", "date_to")
# Query parameters the pages take from the [app] settings (works-council group size, running-month rule).
APP_PARAMS = ("min_group_size", "running_month_min_judged")


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


def parameter_values(version: DbVersion) -> tuple[dict, dict]:
    """(portfolio, filtered) parameter sets; query-specific values come from the database, through
    the same query files the pages use."""
    as_of = query.run(version, "status_build_info")["as_of"].iloc[0]
    as_of = pd.Timestamp(as_of).date() if pd.notna(as_of) else None
    accounts = sorted(query.run(version, "filters_accounts")["account_id"])[:3]
    account = accounts[0] if accounts else None
    app = load_settings()["app"]
    portfolio = {**dict.fromkeys(GLOBAL_FILTERS), "tables": None, "reasons": None, **{k: app[k] for k in APP_PARAMS}}
    portfolio["email"] = None  # the login's scope query (auth_user_accounts) for no user
    breaches = query.run(version, "sla_compliance", {**portfolio, "accounts": [account] if account else []})
    breaches = breaches[breaches["grain"] == "account_month_priority"].sort_values(
        ["month", "priority"], ascending=[False, True]
    )
    years = query.run(version, "sustainability_yearly", portfolio)["year"]
    portfolio |= {
        "account_id": account,
        "month": breaches["month"].iloc[0] if len(breaches) else None,
        "priority": breaches["priority"].iloc[0] if len(breaches) else None,
        "year": int(years.max()) if len(years) else None,
    }
    # Three calendar months ending at as_of: the day after as_of minus three months, up to as_of.
    date_from = (pd.Timestamp(as_of) - pd.DateOffset(months=3) + pd.Timedelta(days=1)).date() if as_of else None
    filtered = {**portfolio, "accounts": accounts, "date_from": date_from, "date_to": as_of}
    return portfolio, filtered


def _measure(version: DbVersion, name: str, variant: str, params: dict, repeat: int) -> Timing:
    timing = Timing(name, variant)
    try:
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            frame = query.run(version, name, params)
            times.append((time.perf_counter() - start) * 1000)
        timing.rows = len(frame)
        timing.cold_ms = round(times[0], 1)
        timing.warm_ms = round(statistics.median(times[1:] or times), 1)
    except (duckdb.Error, ValueError, KeyError) as exc:
        timing.error = f"{type(exc).__name__}: {exc}".splitlines()[0]
    return timing


def bench(db_path, repeat: int = 3) -> list[Timing]:
    """Run every sql/queries file on the database at `db_path`; slowest (cold) first, errors on top."""
    version = query.current_version(db_path)
    portfolio, filtered = parameter_values(version)
    timings = []
    for name in query.query_names():
        timings.append(_measure(version, name, "portfolio", portfolio, repeat))
        if query.load(name).params & {"accounts", "date_from", "date_to"}:
            timings.append(_measure(version, name, "filtered", filtered, repeat))
    return sorted(timings, key=lambda t: (t.error is None, -(t.cold_ms or 0), t.query, t.variant))


def totals(timings: list[Timing]) -> dict:
    return {
        "cold_ms": round(sum(t.cold_ms or 0 for t in timings), 1),
        "warm_ms": round(sum(t.warm_ms or 0 for t in timings), 1),
        "errors": sum(t.error is not None for t in timings),
    }


def render(timings: list[Timing], totals: dict, db: str, repeat: int) -> None:
    table = Table(
        title=f"Query timings on {db}: cold = first of {repeat} runs, warm = median of the rest", box=box.SIMPLE_HEAD
    )
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
