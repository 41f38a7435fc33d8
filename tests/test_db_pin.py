"""One database version per script run (kamdata/app/db.py pin_version): a publish mid-run is read from
the next run on, never half-way through a page."""

from __future__ import annotations

import shutil

import streamlit as st

from kamdata.app import db
from kamdata.build import publish


def test_a_run_keeps_its_version_when_a_new_one_is_published(tmp_path, monkeypatch, app_db):
    first = tmp_path / app_db.resolve().name
    shutil.copyfile(app_db.resolve(), first)
    link = tmp_path / "kam.duckdb"
    link.symlink_to(first.name)
    monkeypatch.setenv("KAM_DB", str(link))
    st.session_state.pop(db.PINNED_KEY, None)
    pinned = db.pin_version()
    second = publish.version_path(link, "20991231T000000-abc123")
    shutil.copyfile(first, second)
    publish.switch_symlink(link, second)
    assert db.current_version() == pinned  # the rest of this run reads the build it started with
    assert db.pin_version() != pinned  # the next run reads the new build
    assert db.current_version().path == str(second)
    st.session_state.pop(db.PINNED_KEY, None)
