"""What the build prints: a progress line per table on a terminal, a summary table at the end."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table as RichTable

ENCODING_NAMES = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8", "cp1252": "Windows-1252"}


class Reporter:
    """Progress goes to stderr only when it is a terminal; `quiet` silences everything."""

    def __init__(self, quiet: bool):
        self.quiet = quiet
        self.err = Console(stderr=True)
        self.live = not quiet and self.err.is_terminal

    def file(self, loaded, seconds: float) -> None:
        if self.live:
            kind = (
                "Parquet"
                if loaded.dialect == "parquet"
                else f"{loaded.dialect}, {ENCODING_NAMES.get(loaded.encoding, loaded.encoding)}"
            )
            self.err.print(
                f"  {loaded.path.name:<28}{loaded.records:>11,} records {seconds:6.1f} s  {kind}", highlight=False
            )

    def table(self, name: str, counts, seconds: float) -> None:
        if self.live:
            self.err.print(f"{name:<30}{counts.rows_read:>11,} rows    {seconds:6.1f} s", highlight=False)

    def mart(self, name: str) -> None:
        if self.live:
            self.err.print(f"mart {name}", highlight=False)

    def summary(self, result: dict) -> None:
        if self.quiet:
            return
        grid = RichTable(title=f"Build {result['build_id']} (as of {result['as_of']})")
        grid.add_column("table")
        for heading in ("files", "loaded", "superseded", "rejected", "seconds"):
            grid.add_column(heading, justify="right")
        for name, stats in result["tables"].items():
            grid.add_row(
                name,
                str(stats["files"]),
                f"{stats['rows_loaded']:,}",
                f"{stats['rows_superseded']:,}",
                f"{stats['rows_rejected']:,}",
                f"{result['table_seconds'][name]:.1f}",
            )
        grid.add_row("marts", "", "", "", "", f"{result['marts_s']:.1f}")
        grid.add_row(
            "total",
            "",
            f"{result['rows_loaded']:,}",
            f"{result['rows_superseded']:,}",
            f"{result['rows_rejected']:,}",
            f"{result['duration_s']:.1f}",
            style="bold",
        )
        out = Console()
        out.print(grid)
        out.print(f"published {result['db']} -> {result['db_file']} in {result['duration_s']:.1f} s", highlight=False)
        if result.get("unknown_files"):
            out.print(f"ignored files (no such table): {', '.join(result['unknown_files'])}", highlight=False)
