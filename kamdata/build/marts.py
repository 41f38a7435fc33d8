"""Run the models (sql/intermediate/int_*.sql, sql/marts/mart_*.sql) on a database whose stg_* tables are loaded.

Each mart file is one SELECT whose result becomes a table named after the file
(dbt style); a file whose header says `-- materialized: view` becomes a view instead
(computed when read, no space in the file). Files may reference each other by name; they run in dependency
order found by reading which other models they mention. Parameters reach the
SQL through the one-row table `kpi_params` (as-of date, D_end, every KPI
setting), so a rebuild of the same export set gives the same numbers.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import duckdb

SQL_DIR = Path(__file__).resolve().parents[2] / "sql"
MARTS_DIR = SQL_DIR / "marts"
INTERMEDIATE_DIR = SQL_DIR / "intermediate"
MACROS_DIR = SQL_DIR / "macros"


def _flatten(prefix: str, value, out: dict) -> None:
    if isinstance(value, dict):
        for key, inner in value.items():
            _flatten(f"{prefix}_{key}" if prefix else key, inner, out)
    elif isinstance(value, (int, float, str, bool)):
        out[prefix] = value


def kpi_param_values(as_of: date, settings: dict) -> dict:
    """Flat parameter names -> values: as_of plus every scalar of [kpi], [alerts], [health]."""
    values: dict = {"as_of": as_of}
    for section in ("kpi", "alerts", "health"):
        _flatten(section, settings.get(section, {}), values)
    return values


def create_kpi_params(con: duckdb.DuckDBPyConnection, as_of: date, settings: dict) -> None:
    """The one-row `kpi_params` table every mart reads its parameters from (needs sql/macros/rules.sql)."""
    values = kpi_param_values(as_of, settings)
    names = list(values)
    select = ", ".join(f"${i + 1} as {name}" for i, name in enumerate(names))
    con.execute(f"create or replace table kpi_params as select {select}", [values[n] for n in names])
    # D_end = end of the as-of day (24:00 local); last complete month = month before D's month.
    # The rules are macros of sql/macros/rules.sql (created before this table, see build_marts).
    con.execute(
        """
        create or replace table kpi_params as
        select *,
               day_end(as_of, kpi_timezone) as d_end,
               last_complete_month(as_of) as last_complete_month
        from kpi_params
        """
    )


def create_seed_emission_factors(con: duckdb.DuckDBPyConnection, settings: dict) -> None:
    """The shipped default emission factors (settings.toml) as table `seed_emission_factors`."""
    con.execute(
        "create or replace table seed_emission_factors "
        "(carrier varchar, year integer, kg_co2e_per_kwh double, source varchar)"
    )
    rows = [(f["carrier"], f["year"], f["kg_co2e_per_kwh"], f["source"]) for f in settings.get("emission_factors", [])]
    if rows:
        con.executemany("insert into seed_emission_factors values (?, ?, ?, ?)", rows)


def model_order(models: dict[str, str]) -> list[str]:
    """Model names sorted so that every model runs after the models its SQL mentions."""
    code = {name: re.sub(r"--[^\n]*", "", sql) for name, sql in models.items()}  # a comment may name any model
    deps = {
        name: {other for other in models if other != name and re.search(rf"\b{other}\b", sql)}
        for name, sql in code.items()
    }
    ordered: list[str] = []
    visiting: set[str] = set()

    def visit(name: str) -> None:
        if name in ordered:
            return
        if name in visiting:
            raise ValueError(f"circular reference between marts involving {name}")
        visiting.add(name)
        for dep in sorted(deps[name]):
            visit(dep)
        visiting.discard(name)
        ordered.append(name)

    for name in sorted(models):
        visit(name)
    return ordered


def _over_marts(sql: str) -> bool:
    """Whether a macro file defines a table macro (`... as table select`).

    DuckDB binds a table macro when it is created, so such a file (the app's
    filtered_tickets in sql/macros/app_filters.sql) runs after the marts it reads.
    """
    return re.search(r"\bas\s+table\b", re.sub(r"--[^\n]*", "", sql), re.I) is not None


def model_files() -> list[Path]:
    """Every model file: the intermediate steps (int_*) and the marts (mart_*)."""
    return sorted([*INTERMEDIATE_DIR.glob("*.sql"), *MARTS_DIR.glob("*.sql")])


def model_path(name: str) -> str:
    """A model's file relative to the repository, for error messages."""
    folder = INTERMEDIATE_DIR if name.startswith("int_") else MARTS_DIR
    return f"sql/{folder.name}/{name}.sql"


_VIEW = re.compile(r"^--\s*materialized:\s*view\s*$", re.M)


def materialized(sql: str) -> str:
    """`view` for a model whose header asks for one (`-- materialized: view`), else `table`."""
    return "view" if _VIEW.search(sql) else "table"


def _strip_trailing_semicolon(sql: str) -> str:
    return sql.strip().rstrip(";").strip()


def build_marts(con: duckdb.DuckDBPyConnection, as_of: date, settings: dict, progress=None) -> list[str]:
    """Create the macros, kpi_params, the seeds and every mart; returns the models in run order.

    Macro files run first (kpi_params uses the date rules), except those defining table macros
    over the marts (they run after the marts).
    """
    con.execute(f"set TimeZone = '{settings['kpi']['timezone']}'")
    macros = {p: p.read_text(encoding="utf-8") for p in sorted(MACROS_DIR.glob("*.sql"))}
    for sql in macros.values():
        if not _over_marts(sql):
            con.execute(sql)
    create_kpi_params(con, as_of, settings)
    create_seed_emission_factors(con, settings)
    models = {p.stem: p.read_text(encoding="utf-8") for p in model_files()}
    order = model_order(models)
    for name in order:
        if progress:
            progress(name)
        sql = models[name]
        con.execute(f"create or replace {materialized(sql)} {name} as\n{_strip_trailing_semicolon(sql)}")
    for path, sql in macros.items():
        if _over_marts(sql):
            try:
                con.execute(sql)
            except duckdb.Error as exc:
                raise ValueError(f"macros sql/macros/{path.name} (created after the marts): {exc}") from exc
    return order
