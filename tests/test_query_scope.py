"""Every query file under a one-account scope shows that account's data and nothing else.

The reference is built independently of kamdata.query's views: a copy of the
fixture database that physically holds only the account's rows (its sites'
meter readings, and its people: the account team and the KAM), with every other non-reference table
emptied unless the query declares it `-- unscoped:`. The same SQL run there,
unscoped, must give exactly what the core returns for the scoped user on the
full database: for row lists no foreign row, for aggregates no foreign sum.
"""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from kamdata import query
from kamdata.bench.queries import parameter_values
from kamdata.query import MACROS_DIR, REFERENCE_TABLES

ACCOUNTS = ("A1", "A2")


def _reference(version: query.DbVersion, account: str, unscoped: frozenset[str]) -> duckdb.DuckDBPyConnection:
    """An in-memory database with only `account`'s rows of `version` (see the module docstring)."""
    con = duckdb.connect()
    con.execute(f"set TimeZone = '{query.TIMEZONE}'")
    con.execute("attach $path as src (read_only)", {"path": version.path})
    tables = con.execute(
        "select table_name, bool_or(column_name = 'account_id'), bool_or(column_name = 'site_id'), "
        "bool_or(column_name = 'employee_id') "
        "from duckdb_columns() where database_name = 'src' and schema_name = 'main' group by table_name"
    ).fetchall()
    sites = "select site_id from src.main.stg_sites where account_id = $a"
    people = (
        "select employee_id from src.main.stg_account_team where account_id = $a "
        "union select kam_id from src.main.stg_accounts where account_id = $a"
    )
    for table, has_account, has_site, has_person in tables:
        source = f"src.main.{table}"
        if has_account:
            con.execute(f"create table {table} as select * from {source} where account_id = $a", {"a": account})
        elif has_site:
            con.execute(f"create table {table} as select * from {source} where site_id in ({sites})", {"a": account})
        elif has_person:
            con.execute(
                f"create table {table} as select * from {source} where employee_id in ({people})", {"a": account}
            )
        elif table in REFERENCE_TABLES or table in unscoped:
            con.execute(f"create table {table} as select * from {source}")
        else:
            con.execute(f"create table {table} as select * from {source} where false")
    con.execute("detach src")
    for path in sorted(MACROS_DIR.glob("*.sql")):
        con.execute(path.read_text(encoding="utf-8"))
    return con


@pytest.fixture(scope="module")
def reference(app_version):
    """`reference(account, unscoped)`: the reference database, built once per (account, unscoped tables)."""
    built: dict[tuple[str, frozenset[str]], duckdb.DuckDBPyConnection] = {}

    def get(account: str, unscoped: frozenset[str]) -> duckdb.DuckDBPyConnection:
        if (account, unscoped) not in built:
            built[account, unscoped] = _reference(app_version, account, unscoped)
        return built[account, unscoped]

    yield get
    for con in built.values():
        con.close()


def _params(version: query.DbVersion, account: str) -> list[tuple[str, dict]]:
    portfolio, filtered = parameter_values(version)
    variants = [("portfolio", portfolio), ("filtered", filtered)]
    # Queries about one account: the scoped account itself, and another one (must come back empty).
    other = next(a for a in ACCOUNTS if a != account)
    variants += [
        ("own account", {**portfolio, "account_id": account}),
        ("other account", {**portfolio, "account_id": other}),
    ]
    return variants


def _same(expected: pd.DataFrame, actual: pd.DataFrame, label: str) -> None:
    pd.testing.assert_frame_equal(
        expected.reset_index(drop=True), actual.reset_index(drop=True), check_dtype=False, rtol=1e-9, obj=label
    )


@pytest.mark.parametrize("name", query.query_names())
@pytest.mark.parametrize("account", ACCOUNTS)
def test_scoped_query_equals_the_query_on_that_account_alone(name, account, app_version, reference):
    spec = query.load(name)
    con = reference(account, spec.unscoped)
    for variant, params in _params(app_version, account):
        expected = con.execute(spec.sql, query.bind(spec, params)).df()
        actual = query.run(app_version, name, params, scope=(account,))
        _same(expected, actual, f"{name} [{variant}] scope {account}")


def test_the_scope_changes_what_queries_return(app_version):
    """The comparison above can fail: scoped results differ from unscoped ones on the fixture."""
    portfolio, _ = parameter_values(app_version)
    changed = set()
    for name in query.query_names():
        unscoped = query.run(app_version, name, portfolio)
        scoped = query.run(app_version, name, portfolio, scope=("A1",))
        if not unscoped.reset_index(drop=True).equals(scoped.reset_index(drop=True)):
            changed.add(name)
    assert {"portfolio_accounts", "portfolio_kpis", "sla_kpis", "filters_accounts", "status_rejected_rows"} <= changed


def test_an_account_outside_the_scope_is_invisible_even_when_asked_for(app_version):
    frame = query.run(app_version, "review_account_health", {"account_id": "A2"}, scope=("A1",))
    assert frame.empty
    frame = query.run(app_version, "filters_accounts", {}, scope=("A1",))
    assert frame["account_id"].tolist() == ["A1"]


def test_an_empty_scope_sees_nothing(app_version):
    frame = query.run(app_version, "portfolio_accounts", {"accounts": None, "service_lines": None}, scope=())
    assert frame.empty
    kpis = query.run(app_version, "portfolio_kpis", {"accounts": None, "service_lines": None}, scope=()).iloc[0]
    assert kpis["accounts"] == 0 and kpis["acv_eur"] == 0
