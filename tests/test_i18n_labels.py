"""Data codes in the UI language (fmt.label, texts/labels.toml), reject reasons, plural and month wording."""

from datetime import date

import duckdb
import pytest

from kamdata.app import formats as fmt
from kamdata.app import i18n
from kamdata.build.contract import TABLES

DEMO_DB = "/tmp/demo-db-new/kam.duckdb"


@pytest.mark.parametrize(
    ("kind", "code", "de", "en"),
    [
        ("category", "hvac", "Heizung, Lüftung, Klima", "HVAC"),
        ("region", "Süd", "Süd", "South"),
        ("industry", "Public sector", "Öffentlicher Sektor", "Public sector"),
        ("industry", "health", "Gesundheitswesen", "Healthcare"),
        ("department", "Technik", "Technik", "Technical"),
        ("service_line", "technical_fm", "Technisches FM", "Technical FM"),
    ],
)
def test_label_translates_codes(kind, code, de, en):
    assert (fmt.label(kind, code, "de"), fmt.label(kind, code, "en")) == (de, en)


def test_unknown_codes_stay_readable_and_null_is_n_a():
    assert fmt.label("category", "roof_leak", "en") == "Roof leak"
    assert fmt.label("region", "Nordwest", "de") == "Nordwest"
    assert fmt.label("industry", None, "de") == "k. A."
    assert fmt.slug("IT & Telecom") == "it_telecom"


def test_every_code_of_the_demo_data_has_a_label():
    """Every region, industry, ticket category and department the demo generates is translated."""
    try:
        con = duckdb.connect(DEMO_DB, read_only=True)
    except duckdb.Error:
        pytest.skip(f"no demo database at {DEMO_DB}")
    labels = i18n.texts("labels")
    queries = {
        "region": "select distinct region from mart_accounts",
        "industry": "select distinct industry from mart_accounts",
        "category": "select distinct category from stg_tickets",
        "department": "select distinct department from stg_employees",
    }
    for kind, sql in queries.items():
        codes = [row[0] for row in con.execute(sql).fetchall() if row[0] is not None]
        missing = [code for code in codes if fmt.slug(code) not in labels[kind]]
        assert codes and not missing, (kind, missing)
    con.close()


@pytest.mark.parametrize(
    ("reason", "german", "english"),
    [
        ("must be greater than 0 and at most 24", "muss größer als 0 und höchstens 24 sein", None),
        ("must be greater than 0", "muss größer als 0 sein", None),
        # the allowed values are the export's codes, quoted as such
        (
            "not one of P1, P2, P3, P4",
            "keiner der zulässigen Exportwerte „P1“, „P2“, „P3“, „P4“",
            "not one of the allowed export values “P1”, “P2”, “P3”, “P4”",
        ),
        # tables and columns named in words (labels.toml [table.*] / [column.*]), in both languages
        (
            "no sites row with this site_id",
            "keine Zeile in Standorte mit dieser Standort-ID",
            "no row in Sites with this Site ID",
        ),
        (
            "its sites row has account_id A0001, this row has A0012",
            "die Zeile in Standorte hat Account-ID A0001, diese Zeile A0012",
            "its row in Sites has Account ID A0001, this row has A0012",
        ),
        ("must not be before start_date", "darf nicht vor Startdatum liegen", "must not be before Start date"),
        ("not a valid date (YYYY-MM-DD or DD.MM.YYYY)", "kein gültiges Datum (YYYY-MM-DD oder DD.MM.YYYY)", None),
        ("something new", "something new", None),
    ],
)
def test_reject_reasons_in_german(reason, german, english):
    assert fmt.reject_reason(reason, "de") == german
    assert fmt.reject_reason(reason, "en") == (english or reason)  # None: the build's English text as it is


def test_export_tables_and_columns_in_words():
    assert fmt.label("table", "meter_readings", "de") == "Zählerstände"
    assert fmt.label("table", "account_team", "en") == "Account teams"
    assert fmt.label("column", "floor_area_m2", "de") == "Fläche (m²)"
    assert fmt.label("column", "due_date", "en") == "Due date"


def test_short_month_one_format_per_language():
    assert fmt.short_month(date(2026, 3, 1), "de") == "Mär 2026"
    assert fmt.short_month(date(2026, 3, 1), "en") == "Mar 2026"
    assert fmt.short_month("2026-12-01", "de") == "Dez 2026"
    assert fmt.short_month(None, "de") == "k. A."


def test_every_check_reason_of_the_contract_has_a_german_text():
    reasons = {check.reason for table in TABLES for check in table.checks}
    untranslated = [reason for reason in reasons if fmt.reject_reason(reason, "de") == reason]
    assert reasons and not untranslated


def test_plural_and_month_wording():
    assert fmt.count(1, "account", "de") == "1 Account"
    assert fmt.count(2, "account", "de") == "2 Accounts"
    assert fmt.count(1, "account", "en") == "1 account"
    assert fmt.count(1234, "ticket", "de") == "1.234 Tickets"
    assert fmt.count(0, "site", "en") == "0 sites"
    assert fmt.in_month(date(2026, 11, 1), "de") == "im November 2026"
    assert fmt.in_month(date(2026, 3, 15), "en") == "in March 2026"


def test_every_export_table_and_column_has_words():
    tables = [table.name for table in TABLES if fmt.slug(table.name) not in i18n.texts("labels")["table"]]
    columns = [
        column.name
        for table in TABLES
        for column in table.columns
        if fmt.slug(column.name) not in i18n.texts("labels")["column"]
    ]
    assert TABLES and not tables and not columns, (tables, columns)
