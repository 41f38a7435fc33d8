"""`python -m kamdata build`: one export set -> one new, validated, published DuckDB file.

Order of work: lock, discover files, check the manifest, load each table's files
as raw text (parent tables first), type/validate/de-duplicate into `stg_*`,
decide the as-of date, run the marts, write build_info/build_tables, close the
new versioned file and switch the published symlink. Any file-level problem
raises BuildError before the switch, so the published database stays untouched;
every attempt is appended to the build log.
"""

from __future__ import annotations

import json
import secrets
import sys
import time
import tomllib
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb

import kamdata
from kamdata.build import buildlog, publish, readers, validate
from kamdata.build.contract import TABLES, stg_ddl
from kamdata.build.marts import build_marts, model_path
from kamdata.build.report import Reporter
from kamdata.settings import load_settings

BERLIN = ZoneInfo("Europe/Berlin")
PARSE_MACROS = validate.STAGING_DIR / "_parse_macros.sql"


class BuildError(Exception):
    """A file-level failure; the message is the one paragraph shown to the operator."""


def _now() -> datetime:
    return datetime.now(BERLIN)


def _parse_as_of(value) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise BuildError(f"--as-of '{value}' is not a date; expected YYYY-MM-DD (e.g. 2026-11-26).") from exc


def _exported_at(manifest: dict | None) -> datetime | None:
    """The manifest's `exported_at` as an instant (a naive value is Berlin local time)."""
    value = (manifest or {}).get("exported_at")
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError as exc:
        raise readers.FileError(
            f"manifest.json: exported_at '{value}' is not an ISO timestamp; expected e.g. 2026-11-26T02:00:00+01:00."
        ) from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=BERLIN)


def check_export_set(exports_dir: Path, files: readers.ExportFiles, manifest: dict | None) -> None:
    """File-level checks that need no parsing: required tables present, manifest files present and intact."""
    missing = [t.name for t in TABLES if t.required and t.name not in files.by_table]
    if missing:
        raise readers.FileError(
            f"{exports_dir}: required table{'s' if len(missing) > 1 else ''} {', '.join(missing)} missing; "
            "expected a file <table>.csv, <table>.csv.gz, <table>.parquet or <table>_<part>.<ext> for each. "
            "The export set is incomplete; rerun the export."
        )
    for name, spec in (manifest or {}).get("files", {}).items():
        path = readers.manifest_file(exports_dir, name)
        if not path.is_file():
            raise readers.FileError(
                f"manifest.json lists {name}, but {exports_dir} has no such file; the transfer is incomplete."
            )
        expected = (spec or {}).get("sha256") if isinstance(spec, dict) else None
        if expected and readers.file_sha256(path) != str(expected).lower():
            raise readers.FileError(
                f"{name}: sha256 differs from manifest.json ({expected}); the file is "
                "truncated or corrupted. Repeat the transfer and rerun the build."
            )


def _manifest_rows(manifest: dict | None, file_name: str) -> int | None:
    spec = (manifest or {}).get("files", {}).get(file_name)
    if not isinstance(spec, dict) or spec.get("rows") is None:
        return None
    try:
        return int(spec["rows"])
    except (TypeError, ValueError) as exc:
        raise readers.FileError(
            f"manifest.json: rows of {file_name} is '{spec['rows']}'; expected a whole number."
        ) from exc


def _check_manifest_rows(manifest: dict | None, loaded: readers.LoadedFile) -> None:
    expected = _manifest_rows(manifest, loaded.path.name)
    if expected is not None and expected != loaded.records:
        raise readers.FileError(
            f"{loaded.path.name}: {loaded.records} data records read but manifest.json says {expected}; the file "
            "is truncated, or a broken quote merged lines into one record. Repeat the transfer (or fix "
            "the quoting) and rerun the build."
        )


def _as_of_from_tickets(con) -> date:
    """The latest ticket update/creation, as a Berlin local date (the connection's TimeZone)."""
    latest = con.execute("select max(greatest(updated_at, created_at))::date from stg_tickets").fetchone()[0]
    if latest is None:
        raise readers.FileError(
            "cannot determine the as-of date: manifest.json gives no exported_at and "
            "no ticket was loaded. Pass --as-of YYYY-MM-DD."
        )
    return latest


def _write_build_tables(con, table_stats: dict) -> None:
    con.execute(
        "create table build_tables (table_name VARCHAR, files INTEGER, rows_read BIGINT, "
        "rows_loaded BIGINT, rows_superseded BIGINT, rows_rejected BIGINT)"
    )
    rows = [
        (name, s["files"], s["rows_read"], s["rows_loaded"], s["rows_superseded"], s["rows_rejected"])
        for name, s in table_stats.items()
    ]
    placeholders = ", ".join(["(?, ?, ?, ?, ?, ?)"] * len(rows))
    con.execute(f"insert into build_tables values {placeholders}", [value for row in rows for value in row])


def _write_build_info(con, summary: dict, settings: dict, exported_at: datetime | None) -> None:
    con.execute(
        """create table build_info as select
            $build_id::VARCHAR as build_id, $built_at::TIMESTAMPTZ as built_at, $as_of::DATE as as_of,
            $export_dir::VARCHAR as export_dir, $duration_s::DOUBLE as duration_s,
            $rows_loaded::BIGINT as rows_loaded, $rows_rejected::BIGINT as rows_rejected,
            $rows_superseded::BIGINT as rows_superseded, $project_version::VARCHAR as project_version,
            $settings_json::VARCHAR as settings_json, $exported_at::TIMESTAMPTZ as exported_at""",
        {
            "build_id": summary["build_id"],
            "built_at": _now(),
            "as_of": summary["as_of"],
            "export_dir": summary["export_dir"],
            "duration_s": summary["duration_s"],
            "rows_loaded": summary["rows_loaded"],
            "rows_rejected": summary["rows_rejected"],
            "rows_superseded": summary["rows_superseded"],
            "project_version": kamdata.__version__,
            "settings_json": json.dumps(settings, ensure_ascii=False, default=str),
            "exported_at": exported_at,
        },
    )


def _run_marts(con, as_of: date, settings: dict, reporter: Reporter) -> list[str]:
    running: list[str] = []

    def progress(name: str) -> None:
        running.append(name)
        reporter.mart(name)

    try:
        return build_marts(con, as_of, settings, progress=progress)
    except (duckdb.Error, ValueError) as exc:
        where = f"mart {running[-1]} ({model_path(running[-1])})" if running else "the marts"
        raise BuildError(
            f"{where} failed: {readers.one_line(exc)}. The staging tables are fine; fix the mart "
            "SQL and rerun the build."
        ) from exc


def _stage_tables(
    con,
    files: readers.ExportFiles,
    manifest: dict | None,
    limit_pct: float,
    reporter: Reporter,
    timings: dict[str, float],
    steps: dict[str, dict[str, float]],
) -> dict[str, dict]:
    """Load, type, validate and de-duplicate every contract table (parents first); counts per table.

    Fills `timings` with the seconds each table took and `steps` with the seconds of its steps."""
    con.execute(PARSE_MACROS.read_text(encoding="utf-8"))
    # DuckDB's reader (no sniffing) estimates a file at a few dozen rows, so the optimizer would build
    # the foreign-key joins' hash tables on the export file and probe with the parent: memory for a whole
    # file, and rows stored out of file order (which compresses worse). Parents stay the build side.
    con.execute("set disabled_optimizers = 'build_side_probe_side'")
    con.execute(validate.REJECTED_ROWS_DDL)
    tables: dict[str, dict] = {}

    def on_file(loaded: readers.LoadedFile, seconds: float) -> None:
        reporter.file(loaded, seconds)
        _check_manifest_rows(manifest, loaded)

    for table in validate.parent_first():
        table_started = time.monotonic()
        table_files = files.by_table.get(table.name, [])
        if table_files:
            counts, times = validate.stage_table(con, table, table_files, limit_pct, on_file)
            steps[table.name] = times.rounded()
        else:
            con.execute(stg_ddl(table))
            counts = validate.TableCounts(0, 0, 0, 0)
        seconds = time.monotonic() - table_started
        tables[table.name] = {"files": len(table_files), **counts.__dict__}
        timings[table.name] = round(seconds, 3)
        reporter.table(table.name, counts, seconds)
    con.execute("reset disabled_optimizers")
    return {t.name: tables[t.name] for t in TABLES}


def _build_version(
    version: Path,
    exports_dir: Path,
    as_of: date | None,
    settings: dict,
    summary: dict,
    reporter: Reporter,
    started: float,
) -> None:
    """Write the complete new database into `version` (fills `summary`); raises on any file-level problem."""
    if not exports_dir.is_dir():
        raise readers.FileError(f"{exports_dir}: the export directory does not exist or is not a directory.")
    files = readers.discover(exports_dir)
    manifest = readers.read_manifest(exports_dir)
    check_export_set(exports_dir, files, manifest)
    summary["unknown_files"] = files.unknown
    limit_pct = float(settings["build"]["reject_share_limit_pct"])
    con = duckdb.connect(str(version))
    try:
        con.execute("set TimeZone = 'Europe/Berlin'")
        con.execute("set enable_progress_bar = false")
        con.execute("set memory_limit = ?", [str(settings["build"].get("memory_limit", "4GB"))])
        summary["table_seconds"], summary["table_steps"] = {}, {}
        summary["tables"] = _stage_tables(
            con, files, manifest, limit_pct, reporter, summary["table_seconds"], summary["table_steps"]
        )
        summary["staging_s"] = round(time.monotonic() - started, 3)
        for total in ("rows_loaded", "rows_rejected", "rows_superseded"):
            summary[total] = sum(s[total] for s in summary["tables"].values())
        exported_at = _exported_at(manifest)
        as_of = as_of or (exported_at.astimezone(BERLIN).date() if exported_at else _as_of_from_tickets(con))
        summary["as_of"] = as_of.isoformat()
        marts_started = time.monotonic()
        summary["marts"] = _run_marts(con, as_of, settings, reporter)
        summary["marts_s"] = round(time.monotonic() - marts_started, 3)
        _write_build_tables(con, summary["tables"])
        summary["duration_s"] = round(time.monotonic() - started, 3)
        _write_build_info(con, summary, settings, exported_at)
        con.execute("checkpoint")
    finally:
        con.close()
    wal = version.with_name(version.name + ".wal")
    if wal.exists():
        raise BuildError(f"{wal} still exists after checkpoint and close; the new database was not published.")


def _log_entry(summary: dict, status: str, error: str | None) -> dict:
    return {**summary, "status": status, "error": error, "finished_at": _now().isoformat(timespec="seconds")}


# Disk full, read-only, permission denied, DuckDB I/O. DuckDB reports a failed write while
# checkpointing as FatalException (the new database is invalid; it is removed and never published).
ENVIRONMENT_ERRORS = (OSError, duckdb.IOException, duckdb.FatalException)


def environment_message(exc: BaseException) -> str:
    """One paragraph for a failure of the machine, not of the export (disk full, permissions, I/O)."""
    return (
        f"cannot read or write a file ({readers.one_line(exc)}). This is a problem of the machine, not of "
        "the export: free disk space, fix the permissions or the storage, and rerun the build."
    )


def _log_failure(db_path: Path, summary: dict, message: str) -> str:
    """Append the failed attempt; when even the log cannot be written, say so in the message."""
    try:
        buildlog.append_entry(db_path, _log_entry(summary, "failed", message))
    except OSError as exc:
        return f"{message} (The build log could not be written either: {readers.one_line(exc)}.)"
    return message


def run_build(exports_dir, db_path, as_of=None, settings=None, quiet=True, json_file=None) -> dict:
    """Build `exports_dir` into a new database and publish it at `db_path`; returns the build summary.

    Raises BuildError (message = one paragraph for the operator) on a file-level failure; the
    published database is then untouched. Every attempt is appended to `<db_path>.builds.jsonl`.
    """
    started = time.monotonic()
    settings = settings if settings is not None else load_settings()
    exports_dir, db_path = Path(exports_dir).resolve(), Path(db_path).absolute()
    # microseconds first: two builds in the same second still sort in build order (prune keeps the newest)
    build_id = f"{datetime.now(UTC):%Y%m%dT%H%M%S-%f}{secrets.token_hex(3)}"
    version = publish.version_path(db_path, build_id)
    reporter = Reporter(quiet)
    summary: dict = {
        "build_id": build_id,
        "project_version": kamdata.__version__,
        "started_at": _now().isoformat(timespec="seconds"),
        "export_dir": str(exports_dir),
        "db": str(db_path),
        "db_file": None,
        "as_of": None,
        "duration_s": None,
        "rows_loaded": None,
        "rows_rejected": None,
        "rows_superseded": None,
        "tables": {},
        "unknown_files": [],
    }
    try:
        parsed_as_of = _parse_as_of(as_of)
        db_path.parent.mkdir(parents=True, exist_ok=True)
        # first: a build killed at any moment after this shows as "no outcome" in the build log
        buildlog.append_entry(db_path, {**summary, "status": buildlog.STARTED})
        with publish.build_lock(db_path):
            publish.check_target(db_path)
            try:
                _build_version(version, exports_dir, parsed_as_of, settings, summary, reporter, started)
            except BaseException:
                publish.remove_version(version)
                raise
            try:
                publish.switch_symlink(db_path, version)
            except BaseException:
                if publish.current_version(db_path) != version:  # never remove a version that went live
                    publish.remove_version(version)
                raise
            summary["db_file"] = str(version)
            summary["duration_s"] = round(time.monotonic() - started, 3)
            entry = _log_entry(summary, "ok", None)
            buildlog.append_entry(db_path, entry)
            published = {
                Path(e["db_file"]).name
                for e in buildlog.read_log(db_path)
                if e.get("status") == "ok" and e.get("db_file")
            }
            summary["pruned"] = publish.prune(db_path, int(settings["build"]["keep_versions"]), published)
    except (BuildError, readers.FileError, validate.LimitExceeded, publish.PublishError, *ENVIRONMENT_ERRORS) as exc:
        summary["duration_s"] = round(time.monotonic() - started, 3)
        message = environment_message(exc) if isinstance(exc, ENVIRONMENT_ERRORS) else str(exc)
        message = _log_failure(db_path, summary, message)
        try:
            _write_json(json_file, _log_entry(summary, "failed", message))
        except OSError as json_exc:
            message += f" (The --json file could not be written either: {readers.one_line(json_exc)}.)"
        raise BuildError(message) from exc
    except BaseException as exc:
        summary["duration_s"] = round(time.monotonic() - started, 3)
        buildlog.append_entry(db_path, _log_entry(summary, "failed", f"internal error: {type(exc).__name__}: {exc}"))
        raise
    result = {**entry, "pruned": summary["pruned"]}
    _write_json(json_file, result)
    reporter.summary(result)
    return result


def _write_json(json_file, data: dict) -> None:
    if json_file:
        Path(json_file).write_text(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")


def cli_build(args) -> int:
    """CLI entry: exit 0 on success; 1 with one paragraph on stderr on a file-level failure."""
    try:
        settings = load_settings(args.settings)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        print(f"Build failed: cannot read settings {args.settings}: {exc}", file=sys.stderr)
        return 2
    try:
        run_build(
            args.exports, args.db, as_of=args.as_of, settings=settings, quiet=args.quiet, json_file=args.json_file
        )
    except BuildError as exc:
        print(f"Build failed: {exc} The published database was not changed.", file=sys.stderr)
        return 1
    return 0
