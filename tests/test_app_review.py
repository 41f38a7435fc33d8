"""Account review page on the app fixture (tests/app_fixture.py; D = 2026-11-26): the account's early
warnings, all of them (the portfolio shows at most a few per account and points here)."""

REVIEW = "app_pages/account_review.py"


def _alerts(at):
    assert "Frühwarnungen" in [h.value for h in at.subheader] or "Early warnings" in [h.value for h in at.subheader]
    # The first table holds the health components, the second the alerts.
    return at.dataframe[1].value


def test_review_lists_all_alerts_of_the_account_in_german(run_app, alerts_db):
    at = run_app(REVIEW, db_path=alerts_db, account="A1")
    assert not at.exception
    shown = _alerts(at)
    # Severity first (the high detractor before the medium commitment); only A1's, none of A2's.
    assert list(zip(shown["severity"], shown["kind"], shown["reason"])) == [
        ("hoch", "NPS-Kritiker", "NPS-Kritiker-Antwort (Wert 3) am 20.11.2026"),
        ("mittel", "Zusage überfällig", "Zusage „Quarterly review deck“ (K9) überfällig seit 01.11.2026 (25 Tage)"),
    ]
    assert "Alle 2 Warnungen des Accounts" in at.caption[-1].value


def test_review_alerts_in_english(run_app, alerts_db):
    at = run_app(REVIEW, db_path=alerts_db, account="A1", lang="en")
    shown = _alerts(at)
    assert list(shown["severity"]) == ["high", "medium"]
    assert list(shown["kind"]) == ["NPS detractor", "Overdue commitment"]
    assert shown["reason"].iloc[0] == "NPS detractor response (score 3) on 2026-11-20"


def test_review_without_alerts_says_so(run_app):
    # In the plain fixture A1 has no alert (A2 holds the detractor and the missing contact).
    at = run_app(REVIEW, account="A1")
    assert not at.exception
    assert len(at.dataframe) == 1  # only the health components
    assert at.success[0].value == "Keine Warnungen für diesen Account."
    at = run_app(REVIEW, account="A2")
    reasons = list(_alerts(at)["reason"])
    # A2: no proactive contact on record ("never", before any date) then the detractor R2 (nps 6, 12.11.2026).
    assert reasons == ["Kein proaktiver Kontakt erfasst", "NPS-Kritiker-Antwort (Wert 6) am 12.11.2026"]
    assert at.caption[-1].value.startswith("Alle 2 Warnungen")
