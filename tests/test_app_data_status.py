"""Data status page on the app fixture (tests/app_fixture.py).

Hand-derived: tickets.csv has 7 data lines (T1-T3 base, T4-T6 added, T7 with
priority P9 on line 8) -> read 7, loaded 6, rejected 1. A2's reactive ticket
T4 has no SLA policy -> the one ticket without SLA. Meter readings exist only
for October 2026 (S1 and S3), last complete month October -> S1 and S3 miss
January-September (9 months), S2 never reports (10 months).
"""

PAGE = "app_pages/data_status.py"


def table_with(at, column: str):
    """The first table on the page that has `column` (sections may move)."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def test_row_accounting_per_table(run_app):
    at = run_app(PAGE)
    assert not at.exception
    tables = table_with(at, "rows_read").set_index("table_name")
    assert tables.loc["tickets", ["rows_read", "rows_loaded", "rows_superseded", "rows_rejected"]].tolist() == [
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
        ["tickets", "tickets.csv", 8, "priority", "P9"]
    ]
    at.multiselect(key="rejected_tables").set_value(["tickets"]).run()
    assert len(table_with(at, "raw_value")) == 1
    assert at.multiselect(key="rejected_reasons").options == ["not one of P1, P2, P3, P4"]


def test_tickets_without_sla_follow_the_global_filters(run_app):
    at = run_app(PAGE)
    no_sla = table_with(at, "ticket_id")
    assert no_sla[["ticket_id", "account_name"]].values.tolist() == [["T4", "Logistik Süd GmbH"]]
    at = run_app(PAGE, regions=["Nord"])
    assert "Alle Tickets im gewählten Ausschnitt haben eine SLA." in [s.value for s in at.success]


def test_meter_coverage_gaps(run_app):
    at = run_app(PAGE, lang="en")
    gaps = table_with(at, "months_missing").set_index("site_id")
    assert gaps.loc[["S1", "S2", "S3"], "months_missing"].tolist() == [9, 10, 9]
    assert gaps.loc[["S1", "S2", "S3"], "never_reports"].tolist() == [False, True, False]
    assert at.title[0].value == "Data status"
