"""The query core (kamdata.query): binding, scope, lock-down, versions and republishing, threads."""

from __future__ import annotations

import os
import shutil
import threading
import time

import duckdb
import pytest

from kamdata import query
from kamdata.settings import SettingsError


@pytest.fixture
def published(tmp_path, app_db):
    """A published database: symlink -> a versioned copy of the app fixture database."""
    version = tmp_path / "kam.duckdb.v1"
    shutil.copy(app_db.resolve(), version)
    link = tmp_path / "kam.duckdb"
    link.symlink_to(version.name)
    return link


def _run(link, name, params=None, scope=None):
    return query.run(query.current_version(link), name, params, scope)


def test_parameters_are_bound_not_formatted(published):
    evil = "x'); drop table mart_accounts; --"
    assert _run(published, "review_account_health", {"account_id": evil}).empty
    assert _run(published, "filters_accounts", {}, scope=(evil,)).empty
    assert len(_run(published, "filters_accounts")) == 2  # the table is still there


def test_a_missing_parameter_is_named(published):
    with pytest.raises(KeyError, match="account_id"):
        _run(published, "review_account_health", {})


def test_only_plain_query_names(published):
    with pytest.raises(ValueError, match="invalid query name"):
        _run(published, "../marts/mart_accounts")


def test_scope_restricts_rows(published):
    rows = _run(published, "portfolio_accounts", {"accounts": None, "service_lines": None}, scope=("A2",))
    assert rows["account_id"].tolist() == ["A2"]
    assert _run(published, "status_rejected_rows", {"tables": None, "reasons": None}, scope=("A1",)).empty
    assert len(_run(published, "status_rejected_rows", {"tables": None, "reasons": None})) == 1


@pytest.fixture
def adhoc(monkeypatch, tmp_path):
    """Write ad-hoc query files into a temporary queries folder."""
    folder = tmp_path / "queries"
    folder.mkdir()
    monkeypatch.setattr(query, "QUERIES_DIR", folder)
    query.load.cache_clear()
    yield lambda name, sql: (folder / f"{name}.sql").write_text(sql, encoding="utf-8")
    query.load.cache_clear()


def test_a_table_without_account_column_is_empty_under_a_scope_unless_declared(adhoc, published):
    adhoc("undeclared", "select count(*) as n from build_tables")
    adhoc("declared", "-- unscoped: build_tables (row counts per export table)\nselect count(*) as n from build_tables")
    everything = _run(published, "undeclared")["n"].iloc[0]
    assert everything > 0
    assert _run(published, "undeclared", scope=("A1",))["n"].iloc[0] == 0
    assert _run(published, "declared", scope=("A1",))["n"].iloc[0] == everything


def test_people_under_a_scope_are_the_account_team_and_kam(adhoc, published):
    adhoc("people", "select employee_id from stg_employees order by 1")
    adhoc("team", "select employee_id from stg_account_team union select kam_id from stg_accounts order by 1")
    assert len(_run(published, "people")) > len(_run(published, "people", scope=("A1",)))
    assert _run(published, "people", scope=("A1",)).equals(_run(published, "team", scope=("A1",)))


def test_site_facts_under_a_scope_are_the_accounts_sites(adhoc, published):
    adhoc("readings", "select count(*) as n from stg_meter_readings")
    adhoc("own", "select count(*) as n from stg_meter_readings where site_id in (select site_id from stg_sites)")
    everything = _run(published, "readings")["n"].iloc[0]
    a1 = _run(published, "readings", scope=("A1",))["n"].iloc[0]
    assert 0 < a1 < everything
    assert a1 == _run(published, "own", scope=("A1",))["n"].iloc[0]


@pytest.mark.parametrize(
    "sql",
    [
        "select * from read_csv('/etc/passwd')",
        "select * from read_text('/etc/passwd')",
        "select * from glob('/etc/*')",
        "copy (select 1) to '/tmp/kam-leak.csv'",
        "attach '/tmp/kam-other.duckdb' as other",
        "install httpfs",
        "load httpfs",
        "set enable_external_access = true",
        "set TimeZone = 'UTC'",
        "set memory_limit = '100GB'",
        "set threads = 64",
        "reset memory_limit",
        "pragma threads = 64",
        "pragma enable_profiling",
        "create table main.x as select 1",
    ],
)
def test_the_connection_is_locked_down(adhoc, published, sql):
    adhoc("attack", sql)
    with pytest.raises(duckdb.Error):
        _run(published, "attack")
    assert not os.path.exists("/tmp/kam-leak.csv")


def test_memory_and_threads_come_from_the_settings(adhoc, published, monkeypatch, tmp_path):
    settings = tmp_path / "limits.toml"
    settings.write_text('[app]\ndb_memory_limit = "512MB"\ndb_threads = 3\n', encoding="utf-8")
    monkeypatch.setenv("KAM_SETTINGS", str(settings))
    adhoc("limits", "select current_setting('memory_limit') as memory, current_setting('threads') as threads")
    limits = _run(published, "limits").iloc[0]
    assert (limits["memory"], limits["threads"]) == ("488.2 MiB", 3)  # 512 MB = 488.2 MiB


@pytest.mark.parametrize(
    ("line", "key"),
    [('db_memory_limit = "1GB\'; set threads = 99"', "db_memory_limit"), ("db_threads = 0", "db_threads")],
)
def test_limits_that_are_no_limits_are_refused(published, monkeypatch, tmp_path, line, key):
    settings = tmp_path / "limits.toml"
    settings.write_text(f"[app]\n{line}\n", encoding="utf-8")
    monkeypatch.setenv("KAM_SETTINGS", str(settings))
    with pytest.raises(SettingsError, match=key):
        _run(published, "filters_accounts")


def test_every_query_has_the_time_limit_from_the_settings(adhoc, published, monkeypatch, tmp_path):
    settings = tmp_path / "timeout.toml"
    settings.write_text("[app]\nquery_timeout_s = 0.2\n", encoding="utf-8")
    monkeypatch.setenv("KAM_SETTINGS", str(settings))
    adhoc("slow", "select n from range(1000000000000) as r(n) where hash(n) = 42")
    adhoc("quick", "select 42 as x")
    started = time.monotonic()
    with pytest.raises(query.QueryTimeout):
        _run(published, "slow")
    assert time.monotonic() - started < 5
    assert _run(published, "quick")["x"].iloc[0] == 42  # the same version keeps serving


def test_the_session_runs_in_berlin_time(adhoc, published):
    adhoc("tz", "select current_setting('TimeZone') as tz")
    assert _run(published, "tz")["tz"].iloc[0] == "Europe/Berlin"


def test_the_rules_of_this_version_win_over_the_databases_macros(adhoc, published):
    con = duckdb.connect(str(published.resolve()))
    con.execute("create or replace macro pct(num, den) as -1")  # a database built with another rule
    con.close()
    adhoc("rule", "select pct(1, 4) as p")
    assert _run(published, "rule")["p"].iloc[0] == 25.0


def _republish(link, name: str) -> None:
    """Publish a copy of the current version with A1 renamed, switching the symlink atomically."""
    version = link.parent / name
    shutil.copy(link.resolve(), version)
    con = duckdb.connect(str(version))
    con.execute("update mart_accounts set account_name = 'Klinikum Nord (neu)' where account_id = 'A1'")
    con.close()
    tmp_link = link.parent / "kam.duckdb.switch"
    tmp_link.symlink_to(version.name)
    os.replace(tmp_link, link)


def _names(link, version=None):
    return (
        _run(link, "filters_accounts")["account_name"].tolist()
        if version is None
        else (query.run(version, "filters_accounts")["account_name"].tolist())
    )


def test_republish_changes_the_version_and_the_data(published):
    before = query.current_version(published)
    assert "Klinikum Nord" in _names(published)
    _republish(published, "kam.duckdb.v2")
    after = query.current_version(published)
    assert after != before and after.path.endswith("kam.duckdb.v2")
    assert "Klinikum Nord (neu)" in _names(published)


def test_a_version_in_use_stays_open_during_a_republish(published):
    old = query.current_version(published)
    _names(published)
    query._databases._open[old].busy += 1  # a query is running on the old version ...
    try:
        _republish(published, "kam.duckdb.v2")
        assert "Klinikum Nord (neu)" in _names(published)  # ... while another runs on the new one
        assert old in query._databases._open
        assert _names(published, old) == ["Klinikum Nord", "Logistik Süd GmbH"]
    finally:
        query._databases._open[old].busy -= 1
    _names(published)
    assert old not in query._databases._open  # closed once idle


def _wait_until(condition) -> None:
    for _ in range(3000):
        if condition():
            return
        time.sleep(0.01)
    raise AssertionError("condition never became true")


def test_concurrent_readers_during_republish_never_fail_or_mix_versions(published):
    errors, seen = [], []
    done = threading.Event()

    def reader():
        while not done.is_set():
            try:
                version = query.current_version(published)
                names = tuple(query.run(version, "filters_accounts")["account_name"])
                seen.append((os.path.basename(version.path), names))
            except Exception as exc:  # any failure at all is what this test looks for
                errors.append(exc)

    threads = [threading.Thread(target=reader) for _ in range(3)]
    for thread in threads:
        thread.start()
    _wait_until(lambda: len(seen) >= 5)
    _republish(published, "kam.duckdb.v2")
    before = len(seen)
    _wait_until(lambda: len(seen) >= before + 5)
    done.set()
    for thread in threads:
        thread.join()
    assert errors == []
    by_version: dict[str, set] = {}
    for version, names in seen:
        by_version.setdefault(version, set()).add(names)
    assert by_version == {
        "kam.duckdb.v1": {("Klinikum Nord", "Logistik Süd GmbH")},
        "kam.duckdb.v2": {("Klinikum Nord (neu)", "Logistik Süd GmbH")},
    }
