"""`python -m kamdata bench`: the benchmark of record (issue 12), one command for every speed figure.

On a database (`--db`, or the demo export set of `--scale small|large` generated or reused under
`--workdir` and built there) it measures in one run: every query file (cold, warm); every page's
server-side run over Streamlit's own websocket protocol (cold, warm p50/p95 over `--repeat` runs, default
filters and one account); the first page after the server starts and after a publish; `--sessions` tabs
loading the portfolio at once (p95, errors, the server's memory); the portfolio in headless chromium.
With `--scale` it first measures the build of the default, German and all-Parquet sets next to a plain
DuckDB load of the same files (kamdata.bench.build; `--no-build` skips it); `--build small|large` measures
only that.
It prints tables and writes JSON (`--json`). Figures come from this command, never from timed tests:
the tests only prove it runs (tests/test_bench.py).
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import ExitStack
from dataclasses import asdict
from pathlib import Path

from rich import box
from rich.console import Console
from rich.table import Table

from kamdata import query
from kamdata.bench import build, pages, queries
from kamdata.bench.browser import portfolio_in_chromium
from kamdata.deploy import NginxProxy

DEFAULT_WORKDIR = Path("/tmp/kam-bench")


def page_variants(version: query.DbVersion) -> list[tuple[str, str, str]]:
    """(url path, variant, query string) of every page: default filters, and one account where a page
    takes it (the first account; the review and the explorer with a typical state)."""
    account = sorted(query.run(version, "filters_accounts")["account_id"])[0]
    one = f"accounts={account}"
    return [
        ("", "default", ""),
        ("", "account", one),
        ("sla", "default", ""),
        ("sla", "account", one),
        ("sustainability", "default", ""),
        ("sustainability", "account", one),
        ("workload", "default", ""),
        ("workload", "account", one),
        ("review", "account", f"account={account}"),
        ("explorer", "default", "ds=ticket_sla&by=priority&m=count&m=resolution_compliance"),
        ("data-status", "default", ""),
    ]


def publish_copy(db_path: Path) -> None:
    """A publish without a build: the current version copied to a new version name, the link switched
    (what a nightly build does at its end), so the next run reads a database no cache has seen."""
    from kamdata.build import publish

    current = publish.current_version(db_path)
    if current is None:
        raise RuntimeError(f"{db_path} is not a published database (no version behind the link)")
    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime())
    copy = publish.version_path(db_path, f"{stamp}-bench{int(time.time() * 1000) % 100000:05d}")
    shutil.copyfile(current, copy)
    publish.switch_symlink(db_path, copy)


def wait_until_warm(url: str, limit_s: float = 120.0) -> float:
    """Seconds until /api/health says the published version is warmed (kamdata.app.warmup's watch)."""
    start = time.monotonic()
    while time.monotonic() - start < limit_s:
        try:
            with urllib.request.urlopen(f"{url}/api/health", timeout=10) as response:
                warm = json.loads(response.read()).get("warm")
        except urllib.error.HTTPError as error:
            warm = json.loads(error.read()).get("warm")
        if warm:
            return round(time.monotonic() - start, 2)
        time.sleep(0.1)
    raise RuntimeError(f"the server did not warm the published version within {limit_s:.0f} s")


def measure_app(
    db_path: Path, repeat: int, sessions: list[int], browser: bool, publish: bool, processes: int = 1
) -> dict:
    """Every page-side figure of the benchmark on one server over `db_path`; the concurrent sessions also
    on `processes` replicas behind nginx (deploy/nginx/kam-cockpit.conf) when more than one."""
    version = query.current_version(db_path)
    report: dict = {}
    with pages.AppServer(db_path) as server:
        report["server_start_s"] = round(server.started_s, 3)
        with pages.Session(server) as first:
            report["first_page_after_start_ms"] = round(first.run().seconds * 1000, 1)
        report["pages"] = [asdict(pages.time_page(server, *variant, repeat)) for variant in page_variants(version)]
        if publish:
            with pages.Session(server) as tab:
                tab.run()
                publish_copy(Path(db_path))  # the page right after the switch, racing the server's watch
                report["first_page_after_publish_ms"] = round(tab.run().seconds * 1000, 1)
                publish_copy(Path(db_path))  # as the morning's first user meets it: once the watch warmed it
                report["publish_warmed_after_s"] = wait_until_warm(server.url)
                report["first_page_after_publish_warmed_ms"] = round(tab.run().seconds * 1000, 1)
        report["load"] = [_load(server, [server], n, 1) for n in sessions]
        report["rss_mb"] = round(server.rss_mb(), 1)
        if browser:
            report["chromium_portfolio"] = portfolio_in_chromium(server.url)
    if processes > 1 and sessions:
        report["load"] += _replicated_load(db_path, sessions, processes)
    return report


def _load(endpoint, servers: list[pages.AppServer], sessions: int, processes: int) -> dict:
    result = asdict(pages.concurrent_load(endpoint, sessions))
    result["rss_mb"] = round(sum(s.rss_mb() for s in servers), 1)
    return {"processes": processes, **result}


def _replicated_load(db_path: Path, sessions: list[int], processes: int) -> list[dict]:
    """The concurrent loads again on `processes` Streamlit processes behind nginx (warmed by one tab each)."""
    with ExitStack() as stack:
        servers = [stack.enter_context(pages.AppServer(db_path)) for _ in range(processes)]
        for server in servers:
            with pages.Session(server) as warm:
                warm.run()
        proxy_dir = Path(tempfile.mkdtemp(prefix="kam-nginx-"))
        proxy = stack.enter_context(NginxProxy(proxy_dir, pages.free_port(), [s.port for s in servers]))
        return [_load(pages.Endpoint(proxy.port), servers, n, processes) for n in sessions]


def prepare(scale: str, workdir: Path) -> Path:
    """The demo export set of `scale` under `workdir` (generated once, then reused) built into
    `workdir/<scale>/kam.duckdb`; returns the published path."""
    from kamdata.bench.build import export_set
    from kamdata.build.runner import run_build

    exports = export_set(scale, workdir)
    db_path = workdir / scale / "kam.duckdb"
    if not db_path.exists():
        db_path.parent.mkdir(parents=True, exist_ok=True)
        run_build(exports, db_path, quiet=True)
    return db_path


def _render(report: dict) -> None:
    console = Console()
    table = Table(title="Pages: server-side run over the websocket (ms)", box=box.SIMPLE_HEAD)
    for column in ("page", "variant", "cold", "warm p50", "warm p95", "KB", "errors"):
        table.add_column(column, justify="left" if column in ("page", "variant") else "right")
    for row in report["app"]["pages"]:
        table.add_row(
            row["page"],
            row["variant"],
            f"{row['cold_ms']:,.0f}",
            f"{row['warm_p50_ms']:,.0f}",
            f"{row['warm_p95_ms']:,.0f}",
            f"{row['kb']:,.0f}",
            str(row["errors"]),
        )
    console.print(table)
    load = Table(title="Sessions loading the portfolio at once (ms)", box=box.SIMPLE_HEAD)
    keys = ("processes", "sessions", "p50_ms", "p95_ms", "max_ms", "errors", "rss_mb")
    for column in ("processes", "sessions", "p50", "p95", "max", "errors", "server MB"):
        load.add_column(column, justify="right")
    for row in report["app"]["load"]:
        load.add_row(*(f"{row[k]:,.0f}" for k in keys))
    console.print(load)
    app = report["app"]
    first = app["first_page_after_start_ms"]
    lines = [f"server start {app['server_start_s']:.2f} s; first page after start {first:,.0f} ms"]
    if "first_page_after_publish_ms" in app:
        lines.append(
            f"first page after a publish {app['first_page_after_publish_ms']:,.0f} ms right after the switch, "
            f"{app['first_page_after_publish_warmed_ms']:,.0f} ms once warmed ({app['publish_warmed_after_s']} s)"
        )
    if "chromium_portfolio" in app:
        lines.append(f"portfolio in chromium {app['chromium_portfolio']}")
    lines.append(f"server memory {app['rss_mb']:,.0f} MB")
    console.print("\n".join(lines))


def cli_bench(args) -> int:
    """Entry point of `python -m kamdata bench`; exit 1 when a query or a page run failed."""
    if args.repeat < 1:
        print("--repeat must be at least 1", file=sys.stderr)
        return 2
    if args.build:
        results = build.bench_build(args.build, Path(args.workdir))
        build.render(results)
        if args.json_file:
            Path(args.json_file).write_text(json.dumps(results, indent=2), encoding="utf-8")
        return 0
    sessions = [int(n) for n in args.sessions.split(",") if n.strip()] if args.sessions else []
    report: dict = {
        "machine": {"cpus": _cpus(), "python": platform.python_version(), "platform": platform.platform()},
        "repeat": args.repeat,
    }
    if args.scale and not args.no_build:  # the build first: the app's figures then run on a quiet server
        report["build"] = build.bench_build(args.scale, Path(args.workdir))
        build.render(report["build"])
    if args.db:
        db_path, owned = Path(args.db), False
    else:
        db_path, owned = prepare(args.scale, Path(args.workdir)), True
    report["db"] = query.current_version(db_path).path
    timings = queries.bench(db_path, min(args.repeat, 3))
    report["queries"] = {"timings": [asdict(t) for t in timings], "total": queries.totals(timings)}
    queries.render(timings, report["queries"]["total"], str(db_path), min(args.repeat, 3))
    report["app"] = measure_app(
        db_path, args.repeat, sessions, not args.no_browser, owned or args.publish, args.processes
    )
    _render(report)
    if args.json_file:
        Path(args.json_file).write_text(json.dumps(report, indent=2, default=str), encoding="utf-8")
    page_errors = sum(p["errors"] for p in report["app"]["pages"]) + sum(n["errors"] for n in report["app"]["load"])
    return 1 if report["queries"]["total"]["errors"] or page_errors else 0


def _cpus() -> int:
    return len(os.sched_getaffinity(0))
