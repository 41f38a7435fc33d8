"""Data status page on the app fixture (tests/app_fixture.py).

Hand-derived: tickets.csv has 7 data lines (T1-T3 base, T4-T6 added, T7 with
priority P9 on line 8) -> read 7, loaded 6, rejected 1. A2's reactive ticket
T4 has no SLA policy -> the one ticket without SLA. Meter readings exist only
for October 2026 (S1 and S3), last complete month October -> S1 and S3 miss
January-September (9 months), S2 never reports (10 months).
"""

import json

from kamdata.app import formats as fmt

PAGE = "app_pages/data_status.py"


def table_with(at, column: str):
    """The first table on the page that has `column` (sections may move)."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def test_row_accounting_per_table(run_app):
    at = run_app(PAGE)
    assert not at.exception
    tables = table_with(at, "rows_read").set_index("table_name")
    # export tables by name in words (labels.toml [table.*]), never the file's code
    assert {"Zählerstände", "Account-Teams", "Tickets"} <= set(tables.index)
    assert not {"meter_readings", "account_team"} & set(tables.index)
    assert tables.loc["Tickets", ["rows_read", "rows_loaded", "rows_superseded", "rows_rejected"]].tolist() == [
        7,
        6,
        0,
        1,
    ]
    assert metrics_by_label(at)["Abgewiesene Zeilen"] == "1"


def metrics_by_label(at) -> dict:
    return {m.label: m.value for m in at.metric}


def test_rejected_rows_with_source_line_and_filters(run_app):
    at = run_app(PAGE)
    rejected = table_with(at, "raw_value")
    assert rejected[["table_name", "source_file", "line_number", "column_name", "raw_value"]].values.tolist() == [
        ["Tickets", "tickets.csv", 8, "Priorität", "P9"]  # table and column in words
    ]
    assert rejected["reason"].tolist() == ["keiner der zulässigen Exportwerte „P1“, „P2“, „P3“, „P4“"]
    assert at.multiselect(key="tables").options == ["Tickets"]  # the export's name "tickets" in words
    at.multiselect(key="tables").set_value(["tickets"]).run()
    assert len(table_with(at, "raw_value")) == 1
    # the German label
    assert at.multiselect(key="reasons").options == ["keiner der zulässigen Exportwerte „P1“, „P2“, „P3“, „P4“"]


def test_long_texts_get_wide_columns(run_app):
    at = run_app(PAGE)
    rejected = json.loads(next(d for d in at.dataframe if "raw_value" in d.value.columns).proto.columns)
    # the longest German reason (not a valid timestamp, 99 characters, ~650 px) fits in 680 px
    assert rejected["reason"]["width"] == 680 and rejected["raw_value"]["width"] == 140
    gaps = json.loads(next(d for d in at.dataframe if "months_missing" in d.value.columns).proto.columns)
    # short headers, so the last column is not pushed past the table's edge
    assert [gaps[c]["label"] for c in ("months_missing", "first_missing", "last_missing")] == [
        "Monate fehlen",
        "Fehlt ab",
        "Fehlt bis",
    ]


def test_tickets_without_sla_follow_the_global_filters(run_app):
    at = run_app(PAGE)
    no_sla = table_with(at, "ticket_id")
    assert no_sla[["ticket_id", "account_name"]].values.tolist() == [["T4", "Logistik Süd GmbH"]]
    assert "1 Ticket bei 1 Account." in [c.value for c in at.caption]  # singular, not "1 Tickets bei 1 Accounts"
    at = run_app(PAGE, regions=["Nord"])
    assert "Alle Tickets im gewählten Ausschnitt haben eine SLA." in [s.value for s in at.success]


def test_meter_coverage_gaps(run_app):
    at = run_app(PAGE, lang="en")
    gaps = table_with(at, "months_missing").set_index("site_id")
    assert gaps.loc[["S1", "S2", "S3"], "months_missing"].tolist() == [9, 10, 9]
    assert gaps.loc[["S1", "S2", "S3"], "never_reports"].tolist() == [False, True, False]
    # S1 misses January-September 2026, S2 January-October: months as fmt.short_month
    assert gaps.loc["S1", ["first_missing", "last_missing"]].tolist() == ["Jan 2026", "Sep 2026"]
    assert gaps.loc["S2", ["first_missing", "last_missing"]].tolist() == ["Jan 2026", "Oct 2026"]
    assert at.title[0].value == "Data status"


REASON = "not one of P1, P2, P3, P4"  # the build's reason for T7's priority "P9" (line 8)


def test_rejected_row_filters_come_from_the_url(run_app):
    at = run_app(PAGE, tables=["tickets"], reasons=[REASON], lang="en")
    assert not at.exception
    assert at.multiselect(key="tables").value == ["tickets"]
    assert at.multiselect(key="reasons").value == [REASON]
    assert table_with(at, "raw_value")["line_number"].tolist() == [8]
    assert not [w for w in at.warning if w.value.startswith("Link value ignored")]
    # a choice made on the page goes into the URL
    at.multiselect(key="reasons").set_value([]).run()
    assert "reasons" not in at.query_params
    at.multiselect(key="tables").set_value([]).run()
    at.multiselect(key="tables").set_value(["tickets"]).run()
    assert at.query_params["tables"] == "tickets"


def test_rejected_row_filter_from_the_url_that_matches_nothing_shows_a_notice(run_app):
    at = run_app(PAGE, tables=["tickets", "nonsense"], reasons=["gibt es nicht"])
    assert not at.exception
    assert at.multiselect(key="tables").value == ["tickets"]  # the known value is kept
    assert [w.value for w in at.warning] == [
        "Link-Wert ignoriert: „tables=nonsense“ passt zu keiner Auswahl dieser Seite; "
        "gezeigt wird die Standardauswahl.",
        "Link-Wert ignoriert: „reasons=gibt es nicht“ passt zu keiner Auswahl dieser Seite; "
        "gezeigt wird die Standardauswahl.",
    ]
    assert len(table_with(at, "raw_value")) == 1  # the unknown reason filters nothing away


def test_a_url_value_is_shown_as_typed_never_as_markup(run_app):
    # The visitor's own text reaches a markdown-rendering notice: escaped, it shows no link or emphasis.
    at = run_app(PAGE, tables=["[klick](https://evil.example) **fett**"])
    assert not at.exception
    (notice,) = [w.value for w in at.warning]
    assert fmt.md_escape("[klick](https://evil.example) **fett**") in notice


def test_line_numbers_are_shown_as_exact_integers(run_app):
    # format "plain" draws 50591 as 50590.99999999999 in the grid (tests/e2e/test_browser_numbers.py
    # reads it in the browser); "%d" prints the integer's digits.
    at = run_app(PAGE)
    rejected = next(d for d in at.dataframe if "raw_value" in d.value.columns)
    assert json.loads(rejected.proto.columns)["line_number"]["type_config"]["format"] == "%d"
    assert str(rejected.value["line_number"].dtype) == "int64"


def test_long_tables_show_their_first_rows_until_show_all_from_the_url(run_app, tmp_path):
    # widgets.top_rows: settings app.site_table_rows rows until "show all" (?gaps=all); S2 misses most months
    settings = tmp_path / "one-row.toml"
    settings.write_text("[app]\nsite_table_rows = 1\n", encoding="utf-8")
    at = run_app(PAGE, settings=str(settings), lang="en")
    assert not at.exception
    assert table_with(at, "months_missing")["site_id"].tolist() == ["S2"]
    shown = "The 1 sites with the most missing months of 3; the download holds all of them."
    assert shown in [c.value for c in at.caption]
    assert len(table_with(at, "ticket_id")) == 1 and not any(t.key == "no_sla" for t in at.toggle)  # fits
    at.toggle(key="gaps").set_value(True).run()
    assert at.query_params["gaps"] == "all"
    assert sorted(table_with(at, "months_missing")["site_id"]) == ["S1", "S2", "S3"]
    at = run_app(PAGE, settings=str(settings), gaps="all")
    assert len(table_with(at, "months_missing")) == 3
