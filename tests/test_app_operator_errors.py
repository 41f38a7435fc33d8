"""Operator mistakes and slow queries end in a clear page, never a traceback (issue 14).

Each broken input below is what an unlucky operator produces: KAM_DB naming a directory, an
empty or foreign file, a copy cut short, a database from an older version of the code, an
empty build_info, a settings file with a syntax error or a value of the wrong type. Each
gets the page that says what to do (kamdata.dbcheck, kamdata.settings, kamdata.app.frame).
"""

from __future__ import annotations

import os
import shutil
import tomllib
from pathlib import Path

import duckdb
import pytest

from kamdata import dbcheck, query
from kamdata.query import QueryFile
from kamdata.settings import SettingsError, load_settings
from tests.app_fixture import ROOT, unmarked

TITLE = {"de": "Die Datenbank kann nicht angezeigt werden.", "en": "The database cannot be shown."}


def test_users_never_see_error_details():
    with open(ROOT / ".streamlit" / "config.toml", "rb") as fh:
        config = tomllib.load(fh)
    assert config["client"]["showErrorDetails"] == "none"


def _copy(app_db: Path, target: Path) -> Path:
    shutil.copy(app_db.resolve(), target)
    return target


def _directory(app_db, tmp_path):
    folder = tmp_path / "kam.duckdb"
    folder.mkdir()
    return folder


def _empty(app_db, tmp_path):
    path = tmp_path / "kam.duckdb"
    path.touch()
    return path


def _foreign(app_db, tmp_path):
    path = tmp_path / "kam.duckdb"
    path.write_text("account_id;name\nA1;Klinikum Nord\n", encoding="utf-8")
    return path


def _truncated(app_db, tmp_path):
    path = _copy(app_db, tmp_path / "kam.duckdb")
    os.truncate(path, path.stat().st_size // 2)
    return path


def _older_version(app_db, tmp_path):
    tmp_path.mkdir(exist_ok=True)
    path = _copy(app_db, tmp_path / "kam.duckdb")
    with duckdb.connect(str(path)) as con:  # a build from before mart_accounts existed
        con.execute("drop table mart_accounts")
    return path


def _no_build_info(app_db, tmp_path):
    path = _copy(app_db, tmp_path / "kam.duckdb")
    with duckdb.connect(str(path)) as con:
        con.execute("delete from build_info")
    return path


BROKEN = {
    "directory": (_directory, "zeigt auf ein Verzeichnis"),
    "empty": (_empty, "ist leer (0 Byte)"),
    "not_duckdb": (_foreign, "ist keine DuckDB-Datenbank"),
    "unreadable": (_truncated, "beschädigt oder unvollständig"),
    "outdated": (_older_version, "von einer älteren Version erstellt"),
    "no_build_info": (_no_build_info, "build_info ist leer"),
}


def test_the_app_fixture_database_is_usable(app_version):
    assert dbcheck.problem(app_version) is None


@pytest.mark.parametrize("reason", BROKEN)
def test_a_broken_database_gets_a_clear_page(run_app, app_db, tmp_path, reason):
    make, words = BROKEN[reason]
    path = make(app_db, tmp_path)
    found = dbcheck.problem(query.current_version(path))
    assert found is not None and found.reason == reason
    at = run_app(db_path=path)
    assert not at.exception
    assert at.error[0].value == TITLE["de"]
    assert words in at.markdown[0].value
    commands = [block.value for block in at.code]
    assert commands == (
        [f"python -m kamdata build --exports <Exportverzeichnis> --db {path}"]
        if reason
        in (
            "empty",
            "unreadable",
            "outdated",
            "no_build_info",
        )
        else []
    )
    assert not at.metric and not at.dataframe  # no page ran


def test_an_older_database_says_rebuild_and_what_is_missing(run_app, app_db, tmp_path):
    path = _older_version(app_db, tmp_path)
    at = run_app(db_path=path, lang="en")
    assert not at.exception
    assert at.error[0].value == TITLE["en"]
    body = at.markdown[0].value
    assert "built by an older version" in body and "rebuild" in body
    assert "mart" in body and "accounts does not exist" in body  # DuckDB's words, markdown-escaped
    assert at.code[0].value == f"python -m kamdata build --exports <export dir> --db {path}"


def test_the_check_runs_once_per_database_version_and_binds_once_per_catalog(app_db, tmp_path, monkeypatch):
    monkeypatch.setattr(dbcheck, "_bound", {})  # nothing bound yet in this process
    calls = []
    real = query.unbindable
    monkeypatch.setattr(
        query, "unbindable", lambda version, statements: calls.append(version) or real(version, statements)
    )
    first = query.current_version(_copy(app_db, tmp_path / "first.duckdb"))
    assert dbcheck.problem(first) is None and dbcheck.problem(first) is None
    assert calls == [first]
    # The next night's build: another file with the same catalog is checked without binding again.
    second = query.current_version(_copy(app_db, tmp_path / "second.duckdb"))
    assert query.catalog_digest(second) == query.catalog_digest(first)
    assert dbcheck.problem(second) is None
    assert calls == [first]
    # A build from an older version of the code has another catalog: bound again, and found out.
    older = query.current_version(_older_version(app_db, tmp_path / "older"))
    found = dbcheck.problem(older)
    assert found is not None and found.reason == "outdated"
    assert calls == [first, older]


def _changed(app_db: Path, target: Path, statement: str) -> query.DbVersion:
    path = _copy(app_db, target)
    with duckdb.connect(str(path)) as con:
        con.execute(statement)
    return query.current_version(path)


@pytest.mark.parametrize(
    "statement",
    [
        "alter table mart_accounts drop column industry",
        "alter table mart_accounts alter column sites type integer",
        "alter table mart_accounts rename column account_name to name",
        "create view v_extra as select 1 as one",
        "create macro extra_rule(x) as x + 1",
        "create or replace macro margin_pct(revenue, cost) as 0",
    ],
)
def test_the_catalog_digest_changes_with_anything_binding_depends_on(app_db, tmp_path, statement):
    same = query.current_version(_copy(app_db, tmp_path / "same.duckdb"))
    changed = _changed(app_db, tmp_path / "changed.duckdb", statement)
    assert query.catalog_digest(same) == query.catalog_digest(query.current_version(app_db))
    assert query.catalog_digest(changed) != query.catalog_digest(same)


def test_a_rule_changed_since_the_build_asks_for_a_rebuild(app_db, tmp_path):
    """The marts hold figures computed with the database's rules, the app's queries and the ticket view use
    the app's: a database whose copy of a rule differs (a deploy before the next build) is outdated."""
    assert dbcheck.problem(query.current_version(app_db)) is None
    older = _changed(
        app_db, tmp_path / "kam.duckdb", "create or replace macro elapsed_hours(t0, t1) as epoch(t1) / 3600.0"
    )
    found = dbcheck.problem(older)
    assert (
        found is not None
        and found.reason == "outdated"
        and found.detail == "rules changed since the build: elapsed_hours"
    )


def test_a_missing_column_is_found_although_a_same_named_catalog_passed(app_db, tmp_path):
    # the app fixture's catalog is bound (and passes) first; a file missing one column is bound on its own
    assert dbcheck.problem(query.current_version(app_db)) is None
    older = _changed(app_db, tmp_path / "kam.duckdb", "alter table mart_accounts drop column health_score")
    found = dbcheck.problem(older)
    assert found is not None and found.reason == "outdated" and "health_score" in found.detail


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("[app]\nfreshness_limit_h = \n", "is not valid TOML"),
        ('[app]\nfreshness_limit_h = "soon"\n', "app.freshness_limit_h must be a number, not text"),
        ("[explorer]\npage_rows = [100]\n", "explorer.page_rows must be a number, not a list"),
        ('[auth]\nroles = "everybody"\n', "auth.roles must be a table, not text"),
    ],
)
def test_a_malformed_settings_file_names_the_file_and_the_key(run_app, tmp_path, text, words):
    settings = tmp_path / "broken.toml"
    settings.write_text(text, encoding="utf-8")
    with pytest.raises(SettingsError, match=words) as raised:
        load_settings(settings)
    assert str(settings) in str(raised.value)
    at = run_app(settings=str(settings))
    assert not at.exception
    assert at.error[0].value == "Die Einstellungsdatei ist fehlerhaft."
    shown = unmarked(at.markdown[0].value)
    assert str(settings) in shown and words in shown
    assert not at.metric


def test_settings_of_the_right_kind_pass(tmp_path):
    settings = tmp_path / "ok.toml"
    settings.write_text("[app]\nfreshness_limit_h = 48.5\n[build]\nreject_share_limit_pct = 20\n", encoding="utf-8")
    loaded = load_settings(settings)
    assert loaded["app"]["freshness_limit_h"] == 48.5 and loaded["build"]["reject_share_limit_pct"] == 20


SLOW = "select n from range(1000000000000) as r(n) where hash(n) = 42"  # no statistics rule it out


def test_a_slow_query_on_any_page_is_stopped_with_a_message(run_app, app_db, tmp_path, monkeypatch):
    # The portfolio (the default page) is not the explorer: the time limit lives in the one executor.
    path = _copy(app_db, tmp_path / "kam.duckdb")  # a version of its own: nothing cached yet
    settings = tmp_path / "settings.toml"
    settings.write_text("[app]\nquery_timeout_s = 0.3\n", encoding="utf-8")
    real = query.load
    slow = QueryFile("portfolio_kpis", SLOW, frozenset(), frozenset())
    monkeypatch.setattr(query, "load", lambda name: slow if name == "portfolio_kpis" else real(name))
    at = run_app(db_path=path, settings=str(settings))
    assert not at.exception
    assert at.warning[0].value.startswith("Eine Abfrage hat länger als 0,30 Sekunden gedauert und wurde abgebrochen.")
    monkeypatch.setattr(query, "load", real)  # the next run: the query is quick again
    at.run()
    assert not at.exception and not at.warning
    assert at.metric
