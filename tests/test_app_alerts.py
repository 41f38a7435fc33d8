"""Alerts in the app (kamdata/app/alerts.py): text in German and English from the mart's value
columns, and links to the page registered for each kind, filtered to the right account."""

from datetime import date, datetime

import pandas as pd
import pytest

from kamdata.app import alerts, pages
from tests.exportset import BASE_ROWS, base_row, build_fixture_db


def _row(kind, detail_date=None, detail_value=None, detail_text=None, detail_count=None, band=None) -> pd.Series:
    """One row as sql/queries/portfolio_alerts.sql returns it (lookback 3 months, detractors 30 days)."""
    return pd.Series(
        {
            "account_id": "A1",
            "account_name": "Klinikum Nord",
            "band": band,
            "kind": kind,
            "severity": "high",
            "reason": "English reason from the mart",
            "detail_date": detail_date,
            "detail_value": detail_value,
            "detail_text": detail_text,
            "detail_count": detail_count,
            "sla_lookback_months": 3,
            "detractor_days": 30,
        }
    )


TEXT_CASES = [
    (
        _row("renewal_risk", date(2026, 12, 31), 35.0, "C-R2a", 2, "at_risk"),
        "Kündigungsfrist 31.12.2026 für Vertrag C-R2a (+1 weitere im Verlängerungsfenster); Status gefährdet",
        "Notice deadline 2026-12-31 for contract C-R2a (+1 more in the renewal window); band at risk",
    ),
    (
        # no score: the band reads "insufficient data"; one contract: no "+n more"
        _row("renewal_risk", date(2026, 12, 31), 35.0, "C-R1", 1, None),
        "Kündigungsfrist 31.12.2026 für Vertrag C-R1; Status zu wenig Daten",
        "Notice deadline 2026-12-31 for contract C-R1; band insufficient data",
    ),
    (
        _row("sla_breach", date(2026, 10, 1), 2.0, "P1, P2", 2),
        "SLA verfehlt im Oktober 2026: Lösungsquote unter Ziel bei P1, P2 (2 der letzten 3 vollständigen Monate)",
        "SLA breach in October 2026: resolution compliance below target for P1, P2 (2 of the last 3 complete months)",
    ),
    (
        _row("overdue_commitment", date(2026, 9, 1), 86.0, "CM-O3a", 2),
        "Zusage CM-O3a überfällig seit 01.09.2026 (86 Tage); 2 überfällige Zusagen",
        "Commitment CM-O3a overdue since 2026-09-01 (86 days); 2 overdue commitments",
    ),
    (
        # with the commitment's text (portfolio_alerts joins stg_commitments): named by it
        pd.concat(
            [
                _row("overdue_commitment", date(2026, 9, 1), 86.0, "CM-O3a", 1),
                pd.Series({"commitment_text": "Wartungsplan überarbeiten"}),
            ]
        ),
        "Zusage „Wartungsplan überarbeiten“ (CM-O3a) überfällig seit 01.09.2026 (86 Tage)",
        "Commitment “Wartungsplan überarbeiten” (CM-O3a) overdue since 2026-09-01 (86 days)",
    ),
    (
        _row("no_proactive_contact", date(2026, 9, 26), 61.0),
        "Seit 61 Tagen kein proaktiver Kontakt (zuletzt am 26.09.2026)",
        "No proactive contact for 61 days (last on 2026-09-26)",
    ),
    (
        _row("no_proactive_contact"),
        "Kein proaktiver Kontakt erfasst",
        "No proactive contact on record",
    ),
    (
        # 113.636 % with one decimal
        _row("team_overload", date(2026, 10, 1), 113.636, None, 1),
        "1 Teammitglied(er) überlastet im Oktober 2026 (höchste Auslastung 113,6 %)",
        "1 account-team member(s) overloaded in October 2026 (highest utilisation 113.6%)",
    ),
    (
        _row("detractor", date(2026, 10, 28), 6.0, None, 3),
        "NPS-Kritiker-Antwort (Wert 6) am 28.10.2026; 3 Kritiker-Antworten in den letzten 30 Tagen",
        "NPS detractor response (score 6) on 2026-10-28; 3 detractor responses in the last 30 days",
    ),
]


@pytest.mark.parametrize(("row", "german", "english"), TEXT_CASES)
def test_alert_text_in_both_languages(row, german, english):
    assert alerts.alert_text(row, "de") == german
    assert alerts.alert_text(row, "en") == english


def test_top_per_account_keeps_the_first_n_and_counts_the_rest():
    # Query order (severity, ACV, age) across accounts; rank_in_account / account_alerts from the query.
    found = pd.DataFrame(
        {
            "account_id": ["A1", "A2", "A1", "A1", "A2"],
            "kind": ["detractor", "detractor", "sla_breach", "renewal_risk", "team_overload"],
            "rank_in_account": [1, 1, 2, 3, 2],
            "account_alerts": [3, 2, 3, 3, 2],
        }
    )
    shown, hidden = alerts.top_per_account(found, 2)
    # A1 keeps ranks 1, 2 (its 3rd is left out); A2 keeps both; the query's order stays.
    assert list(zip(shown["account_id"], shown["kind"])) == [
        ("A1", "detractor"),
        ("A2", "detractor"),
        ("A1", "sla_breach"),
        ("A2", "team_overload"),
    ]
    assert hidden == {"A1": 1}
    assert alerts.top_per_account(found, 3)[1] == {}
    assert [alerts.more_text(n, "de") for n in (1, 4)] == [
        "+1 weitere Warnung – im Account-Review",
        "+4 weitere Warnungen – im Account-Review",
    ]
    assert alerts.more_text(2, "en") == "+2 more alerts – see the account review"


def test_alerts_per_account_defaults_to_three_and_follows_the_setting(monkeypatch, tmp_path):
    monkeypatch.delenv("KAM_SETTINGS", raising=False)
    assert alerts.per_account_limit() == alerts.PER_ACCOUNT == 3
    override = tmp_path / "settings.toml"
    override.write_text("[app]\nalerts_per_account = 5\n", encoding="utf-8")
    monkeypatch.setenv("KAM_SETTINGS", str(override))
    assert alerts.per_account_limit() == 5


def test_unknown_kind_falls_back_to_the_marts_reason():
    assert alerts.alert_text(_row("something_new"), "de") == "English reason from the mart"


def test_every_kind_links_to_a_registered_page():
    assert {kind: alerts.page_id(kind) for kind in alerts.KINDS} == {
        "renewal_risk": "review",
        "sla_breach": "sla",
        "overdue_commitment": "review",
        "no_proactive_contact": "review",
        "team_overload": "workload",
        "detractor": "review",
    }
    assert all(pages.page(alerts.page_id(kind)) for kind in alerts.KINDS)
    assert [alerts.kind_label("detractor", lang) for lang in ("de", "en")] == ["NPS-Kritiker", "NPS detractor"]
    assert [alerts.severity_label("high", lang) for lang in ("de", "en")] == ["hoch", "high"]


def test_portfolio_alerts_in_german_and_english_link_to_the_review(run_app):
    # App fixture: A2 (Logistik Süd GmbH) has a detractor (R2, nps 6 on 12.11.2026) and no proactive
    # contact on record; both kinds open the account review by account id.
    at = run_app()
    shown = at.dataframe[0].value
    # Both high, same account: oldest first, "never" contacted (no date) before the detractor of 12.11.
    assert list(zip(shown["kind"], shown["reason"])) == [
        ("Kein proaktiver Kontakt", "Kein proaktiver Kontakt erfasst"),
        ("NPS-Kritiker", "NPS-Kritiker-Antwort (Wert 6) am 12.11.2026"),
    ]
    assert set(shown["severity"]) == {"hoch"}
    assert list(shown["link"]) == ["review?account=A2", "review?account=A2"]
    at.radio(key="lang").set_value("en").run()
    shown = at.dataframe[0].value
    assert dict(zip(shown["kind"], shown["reason"])) == {
        "NPS detractor": "NPS detractor response (score 6) on 2026-11-12",
        "No proactive contact": "No proactive contact on record",
    }
    assert set(shown["link"]) == {"review?account=A2"}  # AppTest does not copy the radio into the URL


@pytest.fixture(scope="module")
def same_names_db(tmp_path_factory):
    """A1 and A2 both named "Klinikum Nord"; A1 breaches its P1 target in October 2026 (the last
    complete month before D = 26.11.2026): T8 P1 resolved after 7 h > 4 h -> 0 % < 95 % -> an
    sla_breach alert for A1, which links to the SLA page."""
    accounts = [dict(row, account_name="Klinikum Nord") for row in BASE_ROWS["accounts"]]
    breach = base_row(
        "tickets",
        ticket_id="T8",
        account_id="A1",
        priority="P1",
        created_at=datetime(2026, 10, 5, 8),
        first_response_at=datetime(2026, 10, 5, 8, 30),
        resolved_at=datetime(2026, 10, 5, 15),
        updated_at=datetime(2026, 10, 5, 15),
    )
    return build_fixture_db(
        tmp_path_factory.mktemp("same-names"), rows={"accounts": accounts}, add={"tickets": [breach]}
    )


def test_alert_link_keeps_two_same_named_accounts_apart(run_app, same_names_db):
    at = run_app(db_path=same_names_db)
    assert not at.exception
    shown = at.dataframe[0].value
    links = dict(zip(shown["kind"], shown["link"]))
    # The link filters by account id, never by the shared name.
    assert links["SLA verfehlt"] == "sla?accounts=A1"
    # Opening that link filters the SLA page to A1 alone; an old link with A1's label
    # "Klinikum Nord (A1)" does too (the bare name is ambiguous and would match no account).
    at = run_app("app_pages/sla.py", db_path=same_names_db, accounts=["Klinikum Nord (A1)"])
    assert not at.exception
    assert at.multiselect(key="accounts").value == ["A1"]
    assert at.session_state["filters"].accounts_in_filter == ("A1",)
    breaches = at.dataframe[0].value.reset_index(drop=True)
    assert ("P1" in set(breaches["priority"])) and len(breaches) > 0  # T8's breach is listed
    by_id = run_app("app_pages/sla.py", db_path=same_names_db, accounts=["A1"]).dataframe[0].value
    pd.testing.assert_frame_equal(breaches, by_id.reset_index(drop=True))  # exactly A1's, as by its id


@pytest.mark.parametrize("account", ["A1", "A2"])
def test_review_link_opens_each_of_two_same_named_accounts(run_app, same_names_db, account):
    """An alert's link `review?account=A2` opens A2 and keeps it: the account picker names the
    accounts by their unique filter labels, so it does not fall back to the first "Klinikum Nord"."""
    at = run_app("app_pages/account_review.py", db_path=same_names_db, account=account)
    assert not at.exception
    assert at.query_params["account"] == [account] or at.query_params["account"] == account
    assert at.selectbox[0].value == account
    assert at.selectbox[0].options == ["Klinikum Nord (A1)", "Klinikum Nord (A2)"]
