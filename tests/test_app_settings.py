"""Settings from one source: pages take KPI thresholds from the build (kpi_params), app-level
switches from settings.toml (read once per process until the file changes).

Shipped thresholds: SLA health component bad 80 / good 98 (the SLA colour scale runs
80 -> 89 -> 98), overload above 110 %, team component bad 130 (the utilisation colour
scale runs 100 -> 110 -> 130).
"""

import json
import os

from kamdata.app.settings import app_settings
from kamdata.settings import _merge, load_settings
from tests.exportset import build_fixture_db

SLA = "app_pages/sla.py"
WORKLOAD = "app_pages/workload.py"
OTHER_THRESHOLDS = """
[kpi]
overload_threshold_pct = 150.0

[health.components.sla]
bad = 10.0
good = 20.0

[health.components.team]
bad = 200.0
"""


def _has_stops(stops: list[float], domains: list[list[float]]) -> bool:
    """Whether one colour scale has these threshold stops next to each other (a scale may extend its
    domain to the data's range beyond them, e.g. 0 .. 80, 89, 98 .. 100)."""
    n = len(stops)
    return any(domain[i : i + n] == stops for domain in domains for i in range(len(domain) - n + 1))


def _domains(at) -> list[list[float]]:
    """Every numeric colour-scale domain of the page's charts, in drawing order."""
    found: list[list[float]] = []

    def walk(node) -> None:
        if isinstance(node, dict):
            domain = node.get("domain")
            if isinstance(domain, list) and domain and all(isinstance(v, (int, float)) for v in domain):
                found.append([float(v) for v in domain])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for chart in at.get("vega_lite_chart"):
        walk(json.loads(chart.proto.spec))
    return found


def _override(tmp_path) -> str:
    path = tmp_path / "settings.toml"
    path.write_text(OTHER_THRESHOLDS, encoding="utf-8")
    return str(path)


def test_shipped_thresholds_on_the_pages(run_app):
    sla = run_app(SLA)
    assert not sla.exception
    assert _has_stops([80.0, 89.0, 98.0], _domains(sla))  # the account heatmap's compliance colours
    workload = run_app(WORKLOAD)
    assert not workload.exception
    assert _has_stops([100.0, 110.0, 130.0], _domains(workload))
    assert any("Überlastet: Auslastung über 110 %." in c.value for c in workload.caption)


def test_settings_changed_after_the_build_do_not_change_the_thresholds(run_app, tmp_path):
    # The fixture database was built with the shipped settings; a KAM_SETTINGS file written now
    # must not re-colour or re-explain figures computed with 80/98, 110 and 130.
    override = _override(tmp_path)
    sla = run_app(SLA, settings=override)
    assert not sla.exception
    assert _has_stops([80.0, 89.0, 98.0], _domains(sla))
    assert not _has_stops([10.0, 15.0, 20.0], _domains(sla))
    workload = run_app(WORKLOAD, settings=override)
    assert not workload.exception
    assert _has_stops([100.0, 110.0, 130.0], _domains(workload))
    assert any("Überlastet: Auslastung über 110 %." in c.value for c in workload.caption)
    assert not any("150" in c.value for c in workload.caption)


def test_a_build_with_other_thresholds_shows_them(run_app, tmp_path):
    # The other way round: the same values frozen into a build are what its pages show
    # (SLA 10 -> 15 -> 20; utilisation 100 -> 150 -> 200), while settings.toml still ships 80/98/110/130.
    import tomllib

    settings = _merge(load_settings(), tomllib.loads(OTHER_THRESHOLDS))
    db_path = build_fixture_db(tmp_path / "build", settings=settings)
    sla = run_app(SLA, db_path=db_path)
    assert not sla.exception
    assert _has_stops([10.0, 15.0, 20.0], _domains(sla))
    workload = run_app(WORKLOAD, db_path=db_path)
    assert not workload.exception
    assert _has_stops([100.0, 150.0, 200.0], _domains(workload))
    assert any("Überlastet: Auslastung über 150 %." in c.value for c in workload.caption)


def test_app_settings_are_read_once_until_the_file_or_override_changes(monkeypatch, tmp_path):
    monkeypatch.delenv("KAM_SETTINGS", raising=False)
    shipped = app_settings()
    assert app_settings() is shipped  # cached: the same dict, no second read
    assert shipped["app"]["freshness_limit_h"] == 36
    path = tmp_path / "settings.toml"
    path.write_text("[app]\nfreshness_limit_h = 12\n", encoding="utf-8")
    monkeypatch.setenv("KAM_SETTINGS", str(path))
    assert app_settings()["app"]["freshness_limit_h"] == 12
    path.write_text("[app]\nfreshness_limit_h = 24\n", encoding="utf-8")
    stat = os.stat(path)
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))  # a later modification time
    assert app_settings()["app"]["freshness_limit_h"] == 24
    monkeypatch.delenv("KAM_SETTINGS")
    assert app_settings() is shipped
