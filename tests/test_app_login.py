"""Login and roles in the app (AppTest with mock users, docs/ACCESS.md): a KAM sees only their own
accounts on every page, in the explorer, the downloads and the review pack; management sees all; an
unknown user sees a "no access" page and nothing is queried; header login takes the identity from the
proxy's header only when switched on. The fixture (tests/app_fixture.py): Ben Weber (E2) is on A1's
account team only; A2 is "Logistik Süd GmbH" with the site "Lager 1"."""

from __future__ import annotations

import io
import json
import time

import duckdb
import pandas as pd
import pytest
from streamlit import config

from kamdata import query
from kamdata.app import db
from kamdata.app import formats as fmt
from kamdata.app.i18n import text
from tests.test_app_downloads import recorded  # noqa: F401 (the download spy fixture)

FAR = int(time.time()) + 3600
BOSS = {"is_logged_in": True, "email": "boss@example.com", "exp": FAR}
BEN = {"is_logged_in": True, "email": "ben.weber@example.com", "groups": ["kams"], "exp": FAR}
STRANGER = {"is_logged_in": True, "email": "eve@example.org", "groups": ["staff"], "exp": FAR}
OTHER = ("Logistik Süd", "Lager 1")  # A2's name and site: never shown to Ben
PAGES = {
    "portfolio": ("app_pages/portfolio.py", {}),
    "sla": ("app_pages/sla.py", {}),
    "sustainability": ("app_pages/sustainability.py", {}),
    "workload": ("app_pages/workload.py", {}),
    "review": ("app_pages/account_review.py", {"account": "A1"}),
    "explorer": ("app_pages/explorer.py", {"ds": "ticket_sla", "by": "account_name", "m": "count"}),
    "data_status": ("app_pages/data_status.py", {}),
}


@pytest.fixture
def login_on(tmp_path):
    """Settings with OIDC login on (boss@example.com: management; group "kams": kam), per-person
    workload allowed by the works council, the audit log under tmp_path; returns (settings, log path)."""
    log = tmp_path / "audit.jsonl"
    path = tmp_path / "login.toml"
    path.write_text(
        f'[auth]\nmode = "oidc"\naudit_log = "{log}"\n'
        '[auth.roles]\nmanagement_emails = ["boss@example.com"]\nkam_groups = ["kams"]\n'
        "[app]\nshow_per_person_workload = true\n",
        encoding="utf-8",
    )
    return str(path), log


def shown_text(at) -> str:
    """Every text the run shows: titles, markdown, captions, notices, tiles, tables, filter options."""
    parts: list[str] = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error", "success"):
        parts += [str(e.value) for e in at.get(kind)]
    parts += [f"{m.label} {m.value}" for m in at.metric]
    for frame in at.dataframe:
        parts.append(frame.value.to_csv())
    for select in [*at.multiselect, *at.selectbox]:
        parts += [str(o) for o in select.options]
    return "\n".join(parts)


def plain(markdown: str) -> str:
    """Markdown-escaped text (fmt.md_escape) as the reader sees it."""
    return markdown.replace("\\", "").replace(fmt.WORD_JOINER, "")


def audit_entries(log) -> list[dict]:
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()] if log.exists() else []


def count(app_db, table: str, where: str) -> int:
    """Rows of `table` created in the default period (01.12.2025 - 26.11.2026) matching `where`, in SQL."""
    with duckdb.connect(str(app_db), read_only=True) as con:
        row = con.execute(
            f"select count(*) from {table} where {where} and created_date between '2025-12-01' and '2026-11-26'"
        ).fetchone()
    assert row is not None
    return int(row[0])


def metrics(at) -> dict:
    return {m.label: m.value for m in at.metric}


@pytest.mark.parametrize("page", list(PAGES))
def test_kam_sees_only_own_accounts_on_every_page(run_app, login_on, app_db, page):
    settings, _log = login_on
    file, params = PAGES[page]
    at = run_app(file, settings=settings, user=BEN, **params)
    assert not at.exception
    assert at.sidebar.multiselect(key="accounts").options == ["Klinikum Nord"]
    everything = shown_text(at)
    assert "Klinikum Nord" in everything or page in ("data_status", "workload")
    assert not [other for other in OTHER if other in everything]
    assert any("ben.weber@example.com" in plain(c.value) and "KAM" in c.value for c in at.sidebar.caption)
    if page == "workload":  # per-person figures are allowed by the settings, but only for management
        assert text("workload.privacy_aggregated", "de") in [i.value for i in at.info]
        assert text("workload.privacy_per_person", "de") not in [w.value for w in at.warning]
    if page == "data_status":  # the audit log is for management only
        assert text("login.audit.title", "de") not in [s.value for s in at.subheader]
    if page == "explorer":  # tickets per account: A1's alone, as many as the SQL counts for A1
        result = at.dataframe[0].value
        assert list(result["account_name"]) == ["Klinikum Nord"]
        assert int(result["count"].iloc[0]) == count(app_db, "mart_ticket_sla", "account_id = 'A1'")


def test_kam_figures_equal_managements_view_of_the_same_account_in_one_process(run_app, login_on, app_db):
    """Ben's SLA tiles equal management's with the account filter on A1 (the same SQL, scoped instead of
    filtered), and the two users' cached results never mix, in either order."""
    settings, _ = login_on
    boss_all = run_app("app_pages/portfolio.py", settings=settings, user=BOSS)
    assert set(boss_all.dataframe[-1].value["account_name"]) == {"Klinikum Nord", "Logistik Süd GmbH"}
    ben = run_app("app_pages/portfolio.py", settings=settings, user=BEN)
    assert list(ben.dataframe[-1].value["account_name"]) == ["Klinikum Nord"]
    boss_again = run_app("app_pages/portfolio.py", settings=settings, user=BOSS)
    assert set(boss_again.dataframe[-1].value["account_name"]) == {"Klinikum Nord", "Logistik Süd GmbH"}
    assert any("Management" in c.value for c in boss_again.sidebar.caption)

    ben_sla = run_app("app_pages/sla.py", settings=settings, user=BEN)
    boss_a1 = run_app("app_pages/sla.py", settings=settings, user=BOSS, accounts="A1")
    assert metrics(ben_sla) == metrics(boss_a1)
    # the open tickets created in the period, counted in SQL for A1 alone
    open_a1 = count(app_db, "mart_ticket_sla", "account_id = 'A1' and resolved_at is null")
    assert metrics(ben_sla)["Offen, erstellt im Zeitraum"] == str(open_a1)
    assert metrics(run_app("app_pages/sla.py", settings=settings, user=BOSS)) != metrics(ben_sla)


def test_unknown_user_sees_no_access_and_nothing_is_queried(run_app, login_on, monkeypatch):
    settings, _ = login_on
    calls: list = []
    for module, name in ((db, "query"), (db, "review"), (query, "run"), (query, "run_sql")):
        original = getattr(module, name)
        monkeypatch.setattr(module, name, lambda *a, _o=original, **k: calls.append(a) or _o(*a, **k))
    at = run_app(settings=settings, user=STRANGER)
    assert not at.exception
    assert at.title[0].value == text("login.no_access_title", "de")
    assert "eve@example.org" in plain(at.warning[0].value)
    assert calls == [] and not at.dataframe and not at.metric
    assert not at.sidebar.multiselect  # no filters: they would list accounts


@pytest.mark.parametrize(
    ("user", "key"),
    [({"is_logged_in": False}, "login.intro"), ({**BEN, "exp": int(time.time()) - 5}, "login.expired")],
    ids=["logged-out", "expired"],
)
def test_logged_out_or_expired_session_gets_the_login_page_and_no_data(run_app, login_on, user, key):
    settings, _ = login_on
    at = run_app(settings=settings, user=user)
    assert not at.exception
    assert [i.value for i in at.info] == [text(key, "de")]
    assert at.button(key="login").label == text("login.button", "de")
    assert not at.dataframe and not at.metric


def test_review_of_another_account_is_refused_and_the_own_one_audited(run_app, login_on, recorded):  # noqa: F811
    settings, log = login_on
    other = run_app("app_pages/account_review.py", settings=settings, user=BEN, account="A2")
    assert [w.value for w in other.warning] == [text("account_review.unknown", "de", account="A2")]
    assert audit_entries(log) == []
    own = run_app("app_pages/account_review.py", settings=settings, user=BEN, account="A1")
    assert own.title[0].value == "Klinikum Nord"
    reviews = [e for e in audit_entries(log) if e["event"] == "review"]
    assert [(e["user"], e["role"], e["account_id"]) for e in reviews] == [("ben.weber@example.com", "kam", "A1")]
    pdf = next(data for label, data, _ in recorded["buttons"] if label == text("account_review.download_pdf", "de"))
    assert pdf().startswith(b"%PDF")
    packs = [e for e in audit_entries(log) if e["event"] == "pack"]
    assert [(e["user"], e["account_id"], e["file"].endswith(".pdf")) for e in packs] == [
        ("ben.weber@example.com", "A1", True)
    ]


def test_explorer_download_is_scoped_and_audited(run_app, login_on, recorded):  # noqa: F811
    settings, log = login_on
    file, params = PAGES["explorer"]
    at = run_app(file, settings=settings, user=BEN, **{**params, "by": "site_name"})
    assert not at.exception
    csv = next(data for label, data, name in recorded["buttons"] if name.endswith(".csv") and "_de" not in name)
    rows = pd.read_csv(io.BytesIO(csv()))
    assert "Lager 1" not in set(rows.iloc[:, 0]) and len(rows) >= 1
    downloads = [e for e in audit_entries(log) if e["event"] == "download"]
    assert [(e["user"], e["file"].startswith("explorer_ticket_sla")) for e in downloads] == [
        ("ben.weber@example.com", True)
    ]


def test_management_sees_per_person_workload_and_the_audit_log(run_app, login_on):
    settings, _log = login_on
    run_app("app_pages/account_review.py", settings=settings, user=BEN, account="A1")  # one event
    workload = run_app("app_pages/workload.py", settings=settings, user=BOSS)
    assert [w.value for w in workload.warning] == [text("workload.privacy_per_person", "de")]
    status = run_app("app_pages/data_status.py", settings=settings, user=BOSS)
    assert text("login.audit.title", "de") in [s.value for s in status.subheader]
    logged = status.dataframe[-1].value
    assert list(logged[["event", "user", "account_id"]].itertuples(index=False, name=None)) == [
        ("review", "ben.weber@example.com", "A1")
    ]


@pytest.fixture
def header_settings(tmp_path):
    """Settings with header login on (the proxy's X-Forwarded-Email mapped to st.user["email"])."""
    path = tmp_path / "header.toml"
    path.write_text(
        f'[auth]\nmode = "header"\naudit_log = "{tmp_path / "audit.jsonl"}"\n'
        '[auth.roles]\nmanagement_emails = ["boss@example.com"]\n',
        encoding="utf-8",
    )
    return str(path)


@pytest.fixture
def trusted_header():
    """server.trustedUserHeaders as the proxy deployment sets it (restored afterwards)."""
    before = config.get_option("server.trustedUserHeaders")
    config.set_option("server.trustedUserHeaders", {"X-Forwarded-Email": "email"})
    yield
    config.set_option("server.trustedUserHeaders", before)


def test_header_login_without_the_header_gets_no_data(run_app, header_settings, trusted_header):
    missing = run_app(settings=header_settings, user={"email": None})  # what Streamlit maps when it is absent
    assert [e.value for e in missing.error] == [text("login.no_header", "de")]
    assert not missing.dataframe and not missing.metric
    signed_in = run_app(settings=header_settings, user={"email": "boss@example.com"})
    assert set(signed_in.dataframe[-1].value["account_name"]) == {"Klinikum Nord", "Logistik Süd GmbH"}


def test_header_login_needs_the_header_mapping(run_app, header_settings):
    at = run_app(settings=header_settings, user={"email": "boss@example.com"})  # no trustedUserHeaders
    assert [e.value for e in at.error] == [text("login.misconfigured_header", "de", user_key="email")]
    assert not at.dataframe


def test_forged_identity_header_is_ignored_when_header_login_is_off(run_app, login_on, trusted_header):
    """With OIDC login an identity comes only from the signed login cookie: a header-mapped e-mail (text,
    never is_logged_in=True) gets the login page, and a configured header mapping stops the app."""
    settings, _ = login_on
    forged = run_app(settings=settings, user={"email": "boss@example.com", "is_logged_in": "true"})
    assert [e.value for e in forged.error] == [text("login.misconfigured_oidc_headers", "de")]
    assert not forged.dataframe
    config.set_option("server.trustedUserHeaders", {})
    forged = run_app(settings=settings, user={"email": "boss@example.com", "is_logged_in": "true"})
    assert [i.value for i in forged.info] == [text("login.intro", "de")]
    assert not forged.dataframe and not forged.metric


def test_login_off_everybody_is_management_and_a_forged_user_changes_nothing(run_app):
    at = run_app(user={"email": "eve@example.org", "is_logged_in": True})
    assert set(at.dataframe[-1].value["account_name"]) == {"Klinikum Nord", "Logistik Süd GmbH"}
    assert [c.value for c in at.sidebar.caption if "Anmeldung aus" in c.value] == [text("login.off", "de")]
