"""The server's per-run and per-session costs that Streamlit's own options decide (.streamlit/config.toml),
read through Streamlit's config parser so a misspelt key (ignored by Streamlit) fails here."""

from __future__ import annotations

import os

from streamlit import config

from tests.app_fixture import ROOT


def test_no_source_watcher_and_no_forced_collection_after_each_run(monkeypatch):
    monkeypatch.chdir(ROOT)  # Streamlit reads ./.streamlit/config.toml
    monkeypatch.delenv("STREAMLIT_SERVER_FILE_WATCHER_TYPE", raising=False)
    assert os.path.exists(".streamlit/config.toml")
    try:
        config.get_config_options(force_reparse=True)
        # the watcher re-scans every imported module after each run of every session (issue 12)
        assert config.get_option("server.fileWatcherType") == "none"
        assert config.get_option("server.runOnSave") is False
        assert config.get_option("runner.postScriptGC") is False
    finally:
        monkeypatch.undo()
        config.get_config_options(force_reparse=True)
