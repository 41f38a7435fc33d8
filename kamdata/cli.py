"""Command line: `python -m kamdata build|receive|demo|bench|review-pack ...`."""

from __future__ import annotations

import argparse
import sys


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m kamdata", description="KAM Cockpit data tools")
    sub = parser.add_subparsers(dest="command", required=True)

    build = sub.add_parser("build", help="validate an export set and publish a new database")
    build.add_argument("--exports", required=True, help="directory of one nightly export set")
    build.add_argument("--db", required=True, help="published database path (a symlink)")
    build.add_argument("--as-of", dest="as_of", help="as-of date YYYY-MM-DD (default: from the export set)")
    build.add_argument("--settings", help="settings TOML merged over settings.toml")
    build.add_argument("--quiet", action="store_true", help="no progress display or summary")
    build.add_argument("--json", dest="json_file", help="write a machine-readable summary to this file")

    receive = sub.add_parser("receive", help="a replica copies the published database, then switches to it")
    receive.add_argument("--from", dest="source", required=True, help="the build machine's published path (mounted)")
    receive.add_argument("--db", required=True, help="this replica's published database path (a symlink)")
    receive.add_argument("--settings", help="settings TOML merged over settings.toml (build.keep_versions)")

    demo = sub.add_parser("demo", help="write a realistic demo export set")
    demo.add_argument("--out", required=True, help="output directory")
    demo.add_argument("--scale", choices=["small", "large"], default="small")
    demo.add_argument("--seed", type=int, default=7)
    demo.add_argument("--dialect", choices=["standard", "german"], default="standard")
    demo.add_argument("--as-of", dest="as_of", help="export date YYYY-MM-DD the data runs up to (default: today)")
    demo.add_argument(
        "--format",
        dest="file_format",
        choices=["mixed", "parquet"],
        default="mixed",
        help="mixed: CSV, csv.gz and Parquet as the source systems write them; parquet: every file Parquet",
    )

    bench = sub.add_parser("bench", help="the benchmark of record: queries, pages, sessions, browser")
    target = bench.add_mutually_exclusive_group(required=True)
    target.add_argument("--db", help="published database path (a symlink) to measure")
    target.add_argument(
        "--scale",
        choices=("small", "large"),
        help="generate (or reuse) the demo sets: measure their build (unless --no-build), then the app on it",
    )
    target.add_argument(
        "--build",
        choices=("small", "large"),
        help="measure the build of the default, German and all-Parquet demo sets against a plain DuckDB load",
    )
    bench.add_argument("--workdir", default="/tmp/kam-bench", help="where --scale keeps its export set and database")
    bench.add_argument("--repeat", type=int, default=10, help="warm runs per page (queries: at most 3 runs)")
    bench.add_argument("--sessions", default="10,50", help="concurrent sessions to load the portfolio, e.g. 10,50")
    bench.add_argument(
        "--processes", type=int, default=1, help="also load N Streamlit processes behind nginx (needs nginx)"
    )
    bench.add_argument("--no-browser", action="store_true", help="skip the headless chromium measurement")
    bench.add_argument("--no-build", action="store_true", help="with --scale: skip the build measurement")
    bench.add_argument("--publish", action="store_true", help="with --db: also measure the first page after a publish")
    bench.add_argument("--json", dest="json_file", help="also write the figures to this JSON file")

    pack = sub.add_parser("review-pack", help="account review packs (PDF, Excel) of one or all accounts")
    from kamdata.review.pack import add_arguments

    add_arguments(pack)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "build":
        from kamdata.build.runner import cli_build

        return cli_build(args)
    if args.command == "receive":
        from kamdata.build.receive import cli_receive

        return cli_receive(args)
    if args.command == "demo":
        from kamdata.demo.generate import cli_demo

        return cli_demo(args)
    if args.command == "bench":
        from kamdata.bench import cli_bench

        return cli_bench(args)
    if args.command == "review-pack":
        from kamdata.review.pack import cli_review_pack

        return cli_review_pack(args)
    return 2


if __name__ == "__main__":
    sys.exit(main())
