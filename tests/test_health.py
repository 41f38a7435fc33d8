"""/api/health on a real server: `streamlit run app.py` serves the app and the route (kamdata.app.health)."""

from __future__ import annotations

import json
import shutil
import time
import urllib.error
import urllib.request

import duckdb

from kamdata.build import buildlog
from kamdata.deploy import NginxProxy
from tests.e2e.conftest import free_port, streamlit_server


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def _get(url: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(f"{url}/api/health", timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_health_says_whether_fresh_data_from_a_good_build_is_shown(app_db, tmp_path):
    version = tmp_path / "kam.duckdb.v1"
    shutil.copy(app_db.resolve(), version)
    link = tmp_path / "kam.duckdb"
    link.symlink_to(version.name)
    shutil.copy(buildlog.log_path(app_db), buildlog.log_path(link))
    with duckdb.connect(str(version), read_only=True) as con:
        build = con.execute("select build_id from build_info").fetchone()
    assert build is not None
    server_dir = tmp_path / "server"
    server_dir.mkdir()
    with streamlit_server(link, server_dir, "[app]\nfreshness_limit_h = 1000000\n") as url:
        with urllib.request.urlopen(url, timeout=30) as page:  # the app itself is still served
            assert page.status == 200 and b"<title>Streamlit</title>" in page.read()

        code, body = _get(url)
        assert code == 200
        assert body["status"] == "ok" and body["problems"] == []
        assert body["warm"] is True  # the startup warmed the published version before health answered
        assert body["frozen_objects"] > 100_000  # and froze its objects out of the collector's full passes
        port = int(url.rsplit(":", 1)[1])
        with NginxProxy(tmp_path / "nginx", free_port(), [port]) as proxy:  # the shipped site
            proxied = f"http://127.0.0.1:{proxy.port}"
            assert _get(proxied) == (code, body)
            assert _status(f"{url}/_stcore/metrics") == 200  # Streamlit serves its metrics to anyone ...
            for path in ("/_stcore/metrics", "/_stcore/metrics/", "/_stcore/%6detrics", "//_stcore/metrics"):
                assert _status(proxied + path) == 403, path  # ... so they stay behind the proxy
        assert body["database_version"] == build[0] and body["as_of"] == "2026-11-26"
        assert body["last_build"]["status"] == "ok" and body["freshness_limit_h"] == 1000000
        assert str(tmp_path) not in json.dumps(body)  # names the build, never a path

        buildlog.append_entry(link, {"status": "failed", "started_at": "2026-12-01T02:00:00+01:00"})
        code, body = _get(url)
        assert (code, body["problems"]) == (503, ["build_failed"])
        assert body["last_build"]["status"] == "failed" and body["last_build"]["age_h"] > 24

        (server_dir / "settings.toml").write_text("[app]\nfreshness_limit_h = 0\n", encoding="utf-8")
        code, body = _get(url)
        assert (code, body["problems"]) == (503, ["stale", "build_failed"])

        (server_dir / "settings.toml").write_text("[app]\nfreshness_limit_h = \n", encoding="utf-8")
        assert _get(url) == (503, {"status": "failing", "problems": ["settings_error"]})
        (server_dir / "settings.toml").write_text("", encoding="utf-8")

        # A nightly publish: "warm" is False until the server's publish watch has warmed the new version
        # (without the watch it stays False: nothing else warms a version).
        published = tmp_path / "kam.duckdb.v3"
        shutil.copy(version, published)
        link.unlink()
        link.symlink_to(published.name)
        deadline = time.monotonic() + 60
        while not _get(url)[1]["warm"]:
            assert time.monotonic() < deadline, "the published version was not warmed within 60 s"
            time.sleep(0.2)

        foreign = tmp_path / "kam.duckdb.v2"
        foreign.write_text("not a database\n", encoding="utf-8")
        link.unlink()
        link.symlink_to(foreign.name)
        assert _get(url) == (503, {"status": "failing", "problems": ["database_not_duckdb"]})

        link.unlink()
        assert _get(url) == (503, {"status": "failing", "problems": ["no_database"]})
