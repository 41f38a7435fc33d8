"""The server's startup warm-up (kamdata.app.warmup): the first page's one-off work, done before the
server answers, and never a reason for the server not to start."""

from __future__ import annotations

import asyncio
import gc
import logging
import shutil
from concurrent.futures import ThreadPoolExecutor

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


def test_the_startup_objects_are_frozen_out_of_the_collector_which_stays_on():
    try:
        warmup.freeze_startup_objects()
        assert gc.get_freeze_count() > 100_000 and gc.isenabled()
        assert warmup.frozen_objects() > 100_000
    finally:
        gc.unfreeze()


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


def _fresh_version(app_db, tmp_path, name: str):
    """A copy of the app fixture published under its own link: a version no cache has seen."""
    version = tmp_path / f"{name}.duckdb.v1"
    shutil.copy(app_db.resolve(), version)
    link = tmp_path / f"{name}.duckdb"
    link.symlink_to(version.name)
    return link


def _core_queries_of_a_portfolio_run(run_app, link, monkeypatch) -> set[str]:
    ran: list[str] = []
    real = query.run
    monkeypatch.setattr(query, "run", lambda version, name, *a, **k: ran.append(name) or real(version, name, *a, **k))
    at = run_app(db_path=link)
    assert not at.exception and at.metric  # the portfolio with its tiles
    monkeypatch.setattr(query, "run", real)
    return set(ran)


def test_a_warmed_version_serves_the_landing_page_from_the_cache(run_app, app_db, tmp_path, monkeypatch):
    landing = {name for name, _ in warmup.LANDING_QUERIES}
    cold = _core_queries_of_a_portfolio_run(run_app, _fresh_version(app_db, tmp_path, "cold"), monkeypatch)
    assert landing <= cold  # without the warm-up the first page runs every landing query itself

    link = _fresh_version(app_db, tmp_path, "warm")
    monkeypatch.setenv("KAM_DB", str(link))
    assert warmup.ready() is False
    warmup.warm_version(query.current_version(link))
    assert warmup.ready() is True
    warm = _core_queries_of_a_portfolio_run(run_app, link, monkeypatch)
    assert not landing & warm


def test_the_publish_watch_warms_each_new_version_once(app_db, tmp_path, monkeypatch):
    link = _fresh_version(app_db, tmp_path, "watched")
    monkeypatch.setenv("KAM_DB", str(link))
    warmed: list[query.DbVersion] = []
    monkeypatch.setattr(warmup, "warm_version", warmed.append)
    second = tmp_path / "watched.duckdb.v2"
    shutil.copy(app_db.resolve(), second)

    async def watch_then_publish() -> None:
        task = asyncio.create_task(warmup.watch_publishes(poll_s=0.01))
        while len(warmed) < 1:
            await asyncio.sleep(0.01)
        link.unlink()
        link.symlink_to(second.name)  # the nightly publish
        while len(warmed) < 2:
            await asyncio.sleep(0.01)
        await asyncio.sleep(0.1)  # several more polls: nothing new, nothing warmed again
        task.cancel()

    # In a thread of its own: an earlier test in this worker may have left this thread's event loop running.
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, asyncio.wait_for(watch_then_publish(), timeout=30)).result()
    assert [v.path for v in warmed] == [str((tmp_path / "watched.duckdb.v1").resolve()), str(second.resolve())]
