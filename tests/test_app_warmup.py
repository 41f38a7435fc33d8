"""The server's startup warm-up (kamdata.app.warmup): the first page's one-off work, done before the
server answers, and never a reason for the server not to start."""

from __future__ import annotations

import logging
import shutil

from kamdata import dbcheck, query
from kamdata.app import i18n, warmup

STEPS = {"imports", "texts", "chart", "streamlit", "database"}


def test_the_warm_up_checks_the_published_database_and_loads_every_text(app_db, tmp_path, monkeypatch):
    version = tmp_path / "kam.duckdb.v1"
    shutil.copy(app_db.resolve(), version)
    link = tmp_path / "kam.duckdb"
    link.symlink_to(version.name)
    monkeypatch.setenv("KAM_DB", str(link))
    checked = []
    real = dbcheck.problem
    monkeypatch.setattr(dbcheck, "problem", lambda v: checked.append(v) or real(v))
    i18n._texts.cache_clear()
    seconds = warmup.warm()
    assert set(seconds) == STEPS
    assert checked == [query.current_version(link)]
    assert i18n._texts.cache_info().currsize == len(list(i18n.TEXTS_DIR.glob("*.toml")))


def test_without_a_database_the_warm_up_checks_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("KAM_DB", str(tmp_path / "missing.duckdb"))
    monkeypatch.setattr(dbcheck, "problem", lambda v: (_ for _ in ()).throw(AssertionError("checked")))
    assert set(warmup.warm()) == STEPS


def test_a_failing_step_is_logged_and_the_later_ones_still_run(app_db, monkeypatch, caplog):
    monkeypatch.setenv("KAM_DB", str(app_db))

    def broken():
        raise OSError("fonts gone")

    monkeypatch.setattr(warmup, "_chart", broken)
    checked = []
    monkeypatch.setattr(dbcheck, "problem", checked.append)
    with caplog.at_level(logging.ERROR, logger="kamdata.app.warmup"):
        assert set(warmup.warm()) == STEPS
    assert "warm-up step chart failed" in caplog.text and "fonts gone" in caplog.text
    assert checked == [query.current_version(app_db)]
