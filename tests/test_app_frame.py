"""The frame (app.py, kamdata.app) and the data layer (kamdata.app.db) on the app fixture."""

import json
import os
import shutil
from datetime import UTC, date, datetime
from unittest import mock
from zoneinfo import ZoneInfo

import duckdb
import pandas as pd
import pytest

import kamdata
from kamdata.app import bootstrap, frame, i18n, pages, widgets
from kamdata.app import formats as fmt
from kamdata.app.filters import FILTERS_KEY, _unique_labels

REVIEW = "app_pages/account_review.py"


@pytest.mark.parametrize("page", [None, "app_pages/data_status.py", REVIEW])
def test_every_page_renders(run_app, page):
    at = run_app(page)
    assert not at.exception
    assert at.caption[0].value.startswith("Daten per 26.11.2026 (erstellt ")


ALL_PAGES = [
    None,
    "app_pages/sla.py",
    "app_pages/sustainability.py",
    "app_pages/workload.py",
    REVIEW,
    "app_pages/data_status.py",
]


@pytest.mark.parametrize("page", ALL_PAGES)
def test_every_table_shows_missing_values_as_n_a(run_app, page):
    # Streamlit prints NULL cells as "None" unless the table has a placeholder (kamdata.widgets.table).
    for lang, text in (("de", "k. A."), ("en", "n/a")):
        at = run_app(page, account="A1", lang=lang)
        assert at.dataframe, page
        placeholders = {frame.proto.placeholder for frame in at.dataframe}
        # The workload page marks figures withheld under the works-council rule with "—" (said in a caption).
        allowed = {text, "—"} if page == "app_pages/workload.py" else {text}
        assert text in placeholders and placeholders <= allowed, page


def test_sparkline_keeps_the_values_and_leaves_an_empty_cell_without_any():
    # DuckDB hands LIST columns as masked arrays; NULLs inside are left out (the grid cannot draw
    # gaps and prints a list holding NULL as ",,50,,60"), a list without values becomes None.
    lists = duckdb.sql(
        "select * from (values (1, [null, 50.0, null, 60.0]), (2, [null, null]), (3, null)) v(i, x) order by i"
    ).df()["x"]
    assert widgets.sparkline_column(lists) == [[50.0, 60.0], None, None]


def test_review_page_takes_the_account_from_the_url(run_app):
    at = run_app(REVIEW, account="A1")
    assert at.title[0].value == "Klinikum Nord"
    # the first grid is the health section's components table
    components = at.dataframe[0].value.set_index("component")
    assert len(components) == 6
    # A1's SLA metric: resolution met 1 of 3 judged tickets in 90 days (tests/app_fixture.py).
    assert components.loc["SLA", "metric"] == "33,3 %"
    at.selectbox[0].select("A2").run()
    assert at.query_params["account"] == "A2"
    assert at.title[0].value == "Logistik Süd GmbH"
    at = run_app(REVIEW, account="x'); drop table mart_accounts; --")
    assert at.warning[0].value.startswith(r"Account „x'\); drop table")


def test_url_seeds_the_global_filters(run_app):
    at = run_app(kams=["Anna Schmidt"], accounts=["Klinikum Nord"], period=["2026-01-01", "2026-06-30"])
    assert at.multiselect(key="kams").value == ["E1"]
    assert at.multiselect(key="accounts").value == ["A1"]
    assert at.date_input(key="period").value == (date(2026, 1, 1), date(2026, 6, 30))
    filters = at.session_state[FILTERS_KEY]
    assert filters.params() == {
        "accounts": ("A1",),
        "service_lines": None,
        "date_from": date(2026, 1, 1),
        "date_to": date(2026, 6, 30),
    }


def test_filter_labels_stay_unique_when_names_repeat():
    assert _unique_labels({"A1": "Stadtwerke", "A2": "Stadtwerke", "A3": "Klinikum"}) == {
        "A1": "Stadtwerke (A1)",
        "A2": "Stadtwerke (A2)",
        "A3": "Klinikum",
    }


def test_default_period_is_the_last_twelve_months(run_app):
    at = run_app()
    # D = 2026-11-26: from 1 December 2025 to D.
    assert at.date_input(key="period").value == (date(2025, 12, 1), date(2026, 11, 26))


def test_language_switch_translates_labels(run_app):
    at = run_app()
    assert at.multiselect(key="regions").label == "Region"
    assert at.multiselect(key="industries").label == "Branche"
    at.radio(key="lang").set_value("en").run()
    assert at.multiselect(key="industries").label == "Industry"


def test_every_text_exists_in_german_and_english():
    for path in sorted(i18n.TEXTS_DIR.glob("*.toml")):
        for key in i18n.all_keys(path.stem):
            assert i18n.text(key, "de") and i18n.text(key, "en"), key


def test_number_and_date_formats():
    assert fmt.number(1234.5, "de") == "1.234,5"
    assert fmt.number(1234.5, "en") == "1,234.5"
    assert fmt.eur(1234.5, "de") == "1.235 €"
    assert fmt.eur(-20, "en") == "-€20"
    assert fmt.pct(97.25, "de") == "97,3 %"
    assert fmt.number(-0.05, "en") == "-0.1"
    assert fmt.day(date(2026, 11, 26), "de") == "26.11.2026"
    assert fmt.day(pd.Timestamp("2026-11-26"), "en") == "2026-11-26"
    assert fmt.eur_short(12_345_678, "de") == "12,3 Mio. €"
    assert [fmt.number(None, "de"), fmt.pct(float("nan"), "en"), fmt.day(pd.NaT, "de")] == ["k. A.", "n/a", "k. A."]


def _settings_file(tmp_path, text: str) -> str:
    path = tmp_path / "settings.toml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_no_database_and_demo_disabled_explains_what_to_do(run_app, tmp_path):
    at = run_app(db_path="", settings=_settings_file(tmp_path, '[paths]\ndb = ""\ndemo_dir = ""\n'))
    assert not at.exception
    assert at.warning[0].value == "Keine Datenbank vorhanden."
    assert "(nicht konfiguriert, Demo abgeschaltet)" in at.markdown[0].value


def test_configured_database_missing_explains_what_to_do(run_app, tmp_path):
    at = run_app(db_path=tmp_path / "missing.duckdb")
    assert not at.exception
    assert at.warning[0].value == "Keine Datenbank vorhanden."
    assert str(tmp_path / "missing.duckdb") in at.markdown[0].value


def _published_copy(source, tmp_path, log_entries=()) -> "os.PathLike":
    """A published database (symlink -> versioned copy of `source`) with its own build log."""
    version = tmp_path / "kam.duckdb.v1"
    shutil.copy(source.resolve(), version)
    link = tmp_path / "kam.duckdb"
    link.symlink_to(version.name)
    with open(tmp_path / "kam.duckdb.builds.jsonl", "w", encoding="utf-8") as fh:
        for entry in log_entries:
            fh.write(json.dumps(entry) + "\n")
    return link


def open_history(at):
    """Open the data status page's build history (it runs only while open, widgets.lazy_expander) and rerun."""
    at.session_state["build_history"] = True
    return at.run()


def test_failed_last_build_shows_a_red_banner_with_its_error(run_app, app_db, tmp_path):
    failed = {
        "build_id": "b2",
        "started_at": "2026-11-27T02:00:00+01:00",
        "finished_at": "2026-11-27T02:01:00+01:00",
        "status": "failed",
        "error": "tickets.csv: column created_at missing",
    }
    at = run_app(db_path=_published_copy(app_db, tmp_path, [failed]))
    assert at.error[0].value.startswith("Die letzte Datenaufbereitung (27.11.2026 02:01) ist fehlgeschlagen")
    # The build's message is escaped so that markdown shows it verbatim.
    assert at.error[0].value.endswith("Fehler: " + fmt.md_escape("tickets.csv: column created_at missing"))
    at.switch_page("app_pages/data_status.py").run()
    history = open_history(at).dataframe[0].value
    assert history[["status", "error"]].values.tolist() == [
        ["fehlgeschlagen", "tickets.csv: column created_at missing"]
    ]


def test_stale_data_shows_a_red_banner(run_app, tmp_path):
    at = run_app(settings=_settings_file(tmp_path, "[app]\nfreshness_limit_h = 0\n"))
    assert any("Die Daten sind" in e.value and "(Grenze: 0 Stunden)" in e.value for e in at.error)


def test_stale_banner_never_reads_as_the_limit_itself(monkeypatch, run_app, tmp_path):
    # 36.2 h against a 36 h limit: rounded to whole hours it would say "36 Stunden alt (Grenze: 36 Stunden)".
    monkeypatch.setattr(frame, "data_age_hours", lambda info, now=None: 36.2)
    at = run_app(settings=_settings_file(tmp_path, "[app]\nfreshness_limit_h = 36\n"))
    assert any("Die Daten sind 36,2 Stunden alt (Grenze: 36 Stunden)" in e.value for e in at.error)
    monkeypatch.setattr(frame, "data_age_hours", lambda info, now=None: 37.4)
    at = run_app(settings=_settings_file(tmp_path, "[app]\nfreshness_limit_h = 36\n"))
    assert any("Die Daten sind 37 Stunden alt (Grenze: 36 Stunden)" in e.value for e in at.error)


def test_data_age_prefers_the_export_time():
    info = pd.Series(
        {
            "exported_at": pd.Timestamp("2026-11-26 02:00", tz="Europe/Berlin"),
            "built_at": pd.Timestamp("2026-11-26 03:00", tz="Europe/Berlin"),
        }
    )
    now = pd.Timestamp("2026-11-27 14:00", tz="Europe/Berlin")
    assert frame.data_age_hours(info, now) == 36.0


def test_data_age_counts_real_hours_across_the_october_switch():
    # Built 25.10.2026 01:30 CEST (= 24.10. 23:30 UTC); clocks go back at 03:00 CEST to 02:00 CET;
    # now 25.10.2026 13:30 CET (= 12:30 UTC) -> 13 real hours, although the wall clock moved 12.
    berlin = ZoneInfo("Europe/Berlin")
    info = pd.Series({"exported_at": None, "built_at": datetime(2026, 10, 25, 1, 30, tzinfo=berlin)})
    assert frame.data_age_hours(info, datetime(2026, 10, 25, 13, 30, tzinfo=berlin)) == 13.0
    # The same as pandas timestamps, and with a naive built_at (Berlin local time).
    info = pd.Series({"exported_at": None, "built_at": pd.Timestamp("2026-10-25 01:30")})
    assert frame.data_age_hours(info, pd.Timestamp("2026-10-25 13:30", tz="Europe/Berlin")) == 13.0


def test_demo_mode_reuses_a_fresh_demo_database_of_this_version_and_labels_it(run_app, app_db, tmp_path):
    # A fresh demo database already built under demo_dir by this version of the code: no rebuild.
    _published_copy(app_db, tmp_path, [{"status": "ok", "project_version": kamdata.__version__}])
    settings = _settings_file(tmp_path, f'[paths]\ndb = ""\ndemo_dir = "{tmp_path}"\n')
    at = run_app(db_path="", settings=settings)
    assert not at.exception
    assert any("Demodaten – keine echten Kunden" in m.value for m in at.markdown)
    assert (tmp_path / "kam.duckdb").resolve().name == "kam.duckdb.v1"


def test_a_build_logs_the_version_of_the_code_that_built_it(app_db):
    from kamdata.build import buildlog

    assert buildlog.last_success(app_db)["project_version"] == kamdata.__version__


@pytest.mark.parametrize("log", [[], [{"status": "ok", "project_version": "0.0.1"}]])
def test_a_demo_database_built_by_another_version_is_rebuilt(monkeypatch, app_db, tmp_path, log):
    # Newer code may read models an older build does not have: the demo is rebuilt, not reused.
    _published_copy(app_db, tmp_path, log)
    import kamdata.build.runner
    import kamdata.demo.generate

    built = []
    monkeypatch.setattr(kamdata.demo.generate, "generate", lambda exports, **kw: None)
    monkeypatch.setattr(kamdata.build.runner, "run_build", lambda exports, db_path, quiet: built.append(db_path))
    bootstrap.ensure_demo_database({"paths": {"demo_dir": str(tmp_path)}})
    assert built == [tmp_path / "kam.duckdb"]


def test_demo_uses_todays_date_in_berlin(monkeypatch, tmp_path):
    # 26.11.2026 23:30 UTC is already 27.11. 00:30 in Berlin (CET = UTC+1).
    assert bootstrap.berlin_today(datetime(2026, 11, 26, 23, 30, tzinfo=UTC)) == date(2026, 11, 27)
    # The demo generator gets Berlin's date (a sentinel no machine clock shows), not date.today().
    import kamdata.build.runner
    import kamdata.demo.generate

    seen = {}
    monkeypatch.setattr(kamdata.demo.generate, "generate", lambda exports, **kw: seen.update(kw))
    monkeypatch.setattr(kamdata.build.runner, "run_build", lambda exports, db_path, quiet: None)
    monkeypatch.setattr(bootstrap, "berlin_today", lambda: date(2000, 1, 2))
    bootstrap.ensure_demo_database({"paths": {"demo_dir": str(tmp_path)}})
    assert seen["as_of"] == date(2000, 1, 2)


def test_links_to_the_home_page_never_use_its_url_path(run_app):
    # Streamlit serves the default page at "/" only; "/portfolio" answers "Page not found".
    at = run_app(REVIEW, account="A1", regions="Nord")
    links = [e.proto for e in at.main if getattr(e, "type", "") == "page_link"]
    assert [(link.label, link.page, link.query_string) for link in links] == [("Portfolio", "", "regions=Nord")]
    # Links built by URL (table and alert links, kamdata.pages.page_url): the home page is "./".
    assert pages.page_url("portfolio", accounts=["Klinikum Nord"]) == "./?accounts=Klinikum+Nord"
    assert pages.page_url("review", account="A1") == "review?account=A1"


def _display_values(element) -> pd.DataFrame:
    import pyarrow as pa

    return pa.ipc.open_stream(element.proto.arrow_data.styler.display_values).read_pandas()


@pytest.mark.parametrize(("lang", "shown"), [("de", ["10,0", "4.000 €"]), ("en", ["10.0", "€4,000"])])
def test_number_columns_are_shown_in_the_app_language(run_app, lang, shown):
    # SLA malus table on the fixture: A1 (malus 1 % per point, cap 10 %) hits the 10 % cap in one
    # month; exposure 4,000 € (tests/test_app_sla.py). The grid would format "localized"/"euro" in
    # the browser's locale; widgets.table hands it the app language's text instead (a Styler) and
    # leaves the raw numbers for sorting.
    at = run_app("app_pages/sla.py", lang=lang)
    malus = next(frame for frame in at.dataframe if "exposure_eur" in json.loads(frame.proto.columns))
    config = json.loads(malus.proto.columns)
    assert "format" not in config["exposure_eur"]["type_config"]
    texts = _display_values(malus)
    assert [texts["max_malus_pct"].iloc[0], texts["exposure_eur"].iloc[0]] == shown
    assert malus.value["exposure_eur"].iloc[0] == 4000.0  # the data stays a number


def test_table_formats_by_column_kind():
    data = pd.DataFrame(
        {
            "share": [1234.56, None],
            "count": [1234, 5],
            "amount": [1234.5, -20.0],
            "factor": [0.3634, 2.5],
            "day": [date(2026, 11, 26), None],
            "year": [2025, 2026],
        }
    )
    config = {
        "share": widgets.decimal_column("Share", 1),
        "count": {"label": "Count", "type_config": {"type": "number", "format": "localized"}},
        "amount": {"label": "Amount", "type_config": {"type": "number", "format": "euro", "step": 1}},
        "factor": {"label": "Factor", "type_config": {"type": "number", "format": "localized"}},
        "day": {"label": "Day", "type_config": {"type": "date", "format": "localized"}},
        "year": {"label": "Year", "type_config": {"type": "number", "format": "%d"}},
    }
    for lang, expected in (
        ("de", {"share": ["1.234,6", "k. A."], "count": ["1.234", "5"], "amount": ["1.235 €", "-20 €"],
                "factor": ["0,363", "2,5"], "day": ["26.11.2026", "k. A."]}),
        ("en", {"share": ["1,234.6", "n/a"], "count": ["1,234", "5"], "amount": ["€1,235", "-€20"],
                "factor": ["0.363", "2.5"], "day": ["2026-11-26", "n/a"]}),
    ):  # fmt: skip
        with mock.patch.object(widgets.fmt, "current_language", return_value=lang):
            formats, columns = widgets._app_language_formats(data, config)
        assert {column: [formats[column](v) for v in data[column]] for column in formats} == expected
        assert "format" not in columns["share"]["type_config"] and columns["share"]["type_config"]["step"] == 0.1
        assert columns["year"] == config["year"]  # identifiers and years keep their own format


def test_a_started_build_without_outcome_shows_as_no_outcome(run_app, app_db, tmp_path):
    # a build killed after its `started` line: no outcome ever logged; the published data stays
    ok = {"build_id": "b1", "started_at": "2026-11-26T02:00:00+01:00", "status": "started"}
    ok_done = {**ok, "status": "ok", "finished_at": "2026-11-26T02:01:00+01:00"}
    killed = {"build_id": "b2", "started_at": "2026-11-27T02:00:00+01:00", "status": "started"}
    at = run_app("app_pages/data_status.py", db_path=_published_copy(app_db, tmp_path, [ok, ok_done, killed]))
    assert not at.exception and not at.error  # no "build failed" banner
    assert any(w.value.startswith("Kein Ergebnis protokolliert") for w in at.warning)
    assert not any("started_at" in d.value.columns for d in at.dataframe)  # closed: not built, not sent
    history = open_history(at).dataframe[0].value
    assert history["status"].tolist() == ["kein Ergebnis", "erfolgreich"]
