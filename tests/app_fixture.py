"""The fixture database for app tests (AppTest) and query tests.

`build_app_db(root)` writes the shared mini-portfolio export set
(tests/exportset.py, as of 2026-11-26) with a few additions the pages need,
builds it and returns the published path; tests/conftest.py builds it once per
session (fixture `app_db`). `app(monkeypatch, page, db_path=..., **query)`
runs app.py on a database (fixture `run_app`: on `app_db` unless told
otherwise). Additions to the base export set (worked examples for the tests):

- SLA policies only for A1, so A2's reactive ticket T4 has no SLA.
- Tickets of A1 in the last 90 days (D = 2026-11-26, D_end = 27.11. 00:00):
  T1 technical P2 (24 h) resolved after 28 h -> breached; T2 cleaning P3
  due 27.11. 14:30 -> pending; T5 technical P1 (4 h) resolved after 2 h ->
  met; T6 cleaning P1 resolved after 7 h -> breached.
  Resolution compliance A1 = 1 / (1 + 2) = 33.3 %; technical only 1/2 = 50 %.
- One ticket line with priority "P9" (line 8 of tickets.csv) -> rejected.
- E2 (Ben Weber, on A1's account team only) has the e-mail ben.weber@example.com: with login on and
  the role `kam`, he sees A1 alone (tests/test_app_login.py); E1 (Anna Schmidt) is KAM of A1 and A2.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.exportset import BASE_ROWS, base_row, build_fixture_db

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")


def _ticket(ticket_id, account_id, site_id, service_line, priority, created, response=None, resolved=None, **extra):
    return base_row(
        "tickets",
        ticket_id=ticket_id,
        account_id=account_id,
        site_id=site_id,
        service_line=service_line,
        priority=priority,
        created_at=datetime.fromisoformat(created),
        first_response_at=response and datetime.fromisoformat(response),
        resolved_at=resolved and datetime.fromisoformat(resolved),
        status="resolved" if resolved else "open",
        updated_at=datetime.fromisoformat(resolved or created),
        **extra,
    )


EXTRA_TICKETS = [
    _ticket("T4", "A2", "S3", "technical", "P1", "2026-11-10 08:00:00", resolved="2026-11-10 12:00:00"),
    _ticket("T5", "A1", "S1", "technical", "P1", "2026-10-01 08:00:00", "2026-10-01 08:30:00", "2026-10-01 10:00:00"),
    _ticket("T6", "A1", "S2", "cleaning", "P1", "2026-11-02 08:00:00", "2026-11-02 10:00:00", "2026-11-02 15:00:00"),
    base_row("tickets", ticket_id="T7", priority="P9"),
]


# The base employees with Ben Weber's (E2) login e-mail.
EMPLOYEES = [
    {**row, "email": "ben.weber@example.com"} if row["employee_id"] == "E2" else row for row in BASE_ROWS["employees"]
]


def build_app_db(root: Path) -> Path:
    """Build the app fixture database under `root`; returns the published (symlink) path."""
    a1_policies = [row for row in BASE_ROWS["sla_policies"] if row["account_id"] == "A1"]
    return build_fixture_db(
        root, rows={"sla_policies": a1_policies, "employees": EMPLOYEES}, add={"tickets": EXTRA_TICKETS}
    )


def build_alerts_db(root: Path) -> Path:
    """The app fixture plus, for A1, a detractor (R9, nps 3 on 20.11.2026) and an overdue commitment
    (K9 "Quarterly review deck", due 01.11.2026: 26.11. - 01.11. = 25 days late at D -> medium).
    A1's health falls to 27.6 -> at risk. Alerts: A1 detractor (high), A1 overdue commitment (medium),
    A2 no proactive contact on record (high), A2 detractor R2 (high)."""
    a1_policies = [row for row in BASE_ROWS["sla_policies"] if row["account_id"] == "A1"]
    detractor = base_row("surveys", response_id="R9", account_id="A1", response_date=date(2026, 11, 20), nps=3)
    commitment = base_row(
        "commitments",
        commitment_id="K9",
        promised_on=date(2026, 10, 1),
        due_date=date(2026, 11, 1),
        description="Quarterly review deck",
    )
    return build_fixture_db(
        root,
        rows={"sla_policies": a1_policies},
        add={"tickets": EXTRA_TICKETS, "surveys": [detractor], "commitments": [commitment]},
    )


def app(
    monkeypatch,
    page: str | None = None,
    *,
    db_path: Path | str,
    settings: str | None = None,
    user: dict | None = None,
    **query,
) -> AppTest:
    """Run app.py on the published database `db_path` ("" = none configured), optionally on `page`
    with URL `query`; settings: a settings TOML merged over the shipped one (KAM_SETTINGS); user: what
    the app reads as st.user (a mock login, tests/test_app_login.py).
    Tests use the fixture `run_app` (tests/conftest.py), which passes the app fixture database.
    """
    monkeypatch.setenv("KAM_DB", str(db_path))
    if settings:
        monkeypatch.setenv("KAM_SETTINGS", settings)
    else:
        monkeypatch.delenv("KAM_SETTINGS", raising=False)
    at = AppTest.from_file(APP, default_timeout=30)
    if user is not None:
        at.user = user
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    if page:
        at.switch_page(page)
        at.run()
    return at


def unmarked(markdown: str) -> str:
    """What a reader sees of md_escape'd text: without its backslash escapes and invisible word joiners."""
    return re.sub(r"\\(.)", r"\1", markdown.replace("\u2060", ""))
