"""OIDC login end to end (docs/ACCESS.md): the app with `[auth] mode = "oidc"` against a local mock
OIDC provider (oidc-provider-mock, in a thread of this process), in headless chromium: the login page
and no data before login; after login Ben Weber (group "kams", on A1's team only) sees his role and
A1 alone; logout brings the login page back; a session whose ID token has expired (`exp` in the
past: the provider lets a user's claims set it, and the login's client accepts up to 120 s of clock
skew, as for a cookie that outlived its token) is asked to log in again and shows no data, and logging
in again works; a forged identity header signs nobody in. One server start, no sleeps.
"""

from __future__ import annotations

import json
import time
import urllib.request

import pytest

from tests.e2e.conftest import APP_IDLE, IDLE_LIMIT_MS, RENDERED, free_port, streamlit_server

BEN = "ben"
CLAIMS = {"email": "ben.weber@example.com", "name": "Ben Weber", "groups": ["kams"]}
SETTINGS = """
[auth]
mode = "oidc"
audit_log = "{log}"
[auth.roles]
management_emails = ["boss@example.com"]
kam_groups = ["kams"]
"""
SECRETS = """
[auth]
redirect_uri = "{app}/oauth2callback"
cookie_secret = "a-long-random-test-secret-for-the-login-cookie"
client_id = "kam-cockpit"
client_secret = "kam-cockpit-secret"
server_metadata_url = "{provider}/.well-known/openid-configuration"
"""


@pytest.fixture(scope="module")
def provider():
    from oidc_provider_mock import User, run_server_in_thread

    with run_server_in_thread(user_claims=[User(sub=BEN, claims=CLAIMS)]) as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture(scope="module")
def oidc_app(app_db, provider, tmp_path_factory):
    root = tmp_path_factory.mktemp("oidc")
    port = free_port()
    app = f"http://127.0.0.1:{port}"
    secrets = root / "secrets.toml"
    secrets.write_text(SECRETS.format(app=app, provider=provider), encoding="utf-8")
    settings = SETTINGS.format(log=root / "audit.jsonl")
    with streamlit_server(app_db, root, settings, port=port, extra_args=("--secrets.files", str(secrets))) as url:
        yield url


def _settled(page, expect: str) -> None:
    """Wait until `expect` is on the page, the script run has finished and its charts have drawn (account
    names are in the charts' text; the tables draw on a canvas)."""
    # shown text may hold md_escape's invisible word joiners (U+2060) between the characters
    page.wait_for_function(
        "expect => document.body.innerText.replaceAll('\\u2060', '').includes(expect)",
        arg=expect,
        timeout=IDLE_LIMIT_MS,
    )
    page.wait_for_selector(APP_IDLE, state="attached", timeout=IDLE_LIMIT_MS)
    page.wait_for_function(RENDERED, timeout=IDLE_LIMIT_MS)


def _log_in(page, sub: str = BEN, expect: str = "ben.weber@example.com") -> None:
    """Click "Anmelden", sign in as `sub` at the provider, come back to a page showing `expect`."""
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url("**/oauth2/authorize**", timeout=IDLE_LIMIT_MS)
    if sub == BEN:
        page.get_by_role("button", name=BEN, exact=True).click()
    else:
        page.locator("input[name=sub]").fill(sub)
        page.get_by_role("button", name="Authorize").click()
    page.wait_for_url("http://127.0.0.1:*/**", timeout=IDLE_LIMIT_MS)
    _settled(page, expect)


def _set_claims(provider: str, sub: str, claims: dict) -> None:
    request = urllib.request.Request(
        f"{provider}/users/{sub}", json.dumps(claims).encode(), {"Content-Type": "application/json"}, method="PUT"
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 204


def test_oidc_login_role_logout_and_expiry(oidc_app, provider, page):
    page.goto(oidc_app)
    _settled(page, "Anmeldung")
    main = page.locator('[data-testid="stMain"]')
    assert "Klinikum Nord" not in main.inner_text()

    _log_in(page)
    sidebar = page.locator('[data-testid="stSidebar"]').inner_text().replace("\u2060", "")
    assert "ben.weber@example.com" in sidebar and "KAM (eigene Accounts)" in sidebar
    text = main.inner_text()
    assert "Klinikum Nord" in text and "Logistik Süd" not in text

    page.get_by_role("button", name="Abmelden").click()
    page.wait_for_url("**/oauth2/end_session**", timeout=IDLE_LIMIT_MS)  # the provider's logout (from its metadata)
    page.get_by_role("button", name="End session").click()
    page.wait_for_url("http://127.0.0.1:*/**", timeout=IDLE_LIMIT_MS)
    _settled(page, "Anmeldung")
    assert "Klinikum Nord" not in main.inner_text() and "ben.weber" not in page.inner_text("body").replace("\u2060", "")

    _set_claims(provider, "ben-expired", {**CLAIMS, "exp": int(time.time()) - 30})
    _log_in(page, "ben-expired", expect="Ihre Anmeldung ist abgelaufen")
    assert "Klinikum Nord" not in main.inner_text()
    _log_in(page)
    assert "Klinikum Nord" in main.inner_text()


def test_forged_identity_header_is_ignored_without_header_login(oidc_app, browser):
    """OIDC mode, no trustedUserHeaders: a client's own X-Forwarded-Email (on every request, the
    websocket's included) signs nobody in."""
    context = browser.new_context(locale="de-DE", extra_http_headers={"X-Forwarded-Email": "boss@example.com"})
    try:
        page = context.new_page()
        page.goto(oidc_app)
        _settled(page, "Anmeldung")
        text = page.locator('[data-testid="stMain"]').inner_text()
        assert "Anmeldung" in text and "Klinikum Nord" not in text and "Logistik" not in text
    finally:
        context.close()
