"""The login gate in front of every page (docs/ACCESS.md): who the user is, their role, their account
scope; the login, "session expired", "no access" pages; the sidebar's user line; the audit hook.

app.py calls `gate(settings)` on every run before anything reads account data; a page only runs when
it returns True. `scope()` (kamdata.app.filters.user_scope) is the account scope every query of the run
gets; without a granted access it raises NoAccess, so nothing can query around the gate.

- mode "none" (login off, the default): no identity, everybody is management (all accounts).
- mode "oidc": st.login with the provider in .streamlit/secrets.toml [auth]; the user is the
  `user_key` claim (default "email") of a logged-in session whose ID token has not expired (`exp`);
  an expired session is asked to log in again. `server.trustedUserHeaders` must be empty here: Streamlit
  lets a mapped header override the ID token's claims.
- mode "header": the company's reverse proxy authenticates and sets the e-mail in a header that
  `server.trustedUserHeaders` maps to `user_key`; a request without it gets no data.
"""

from __future__ import annotations

import contextvars
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd
import streamlit as st

from kamdata import audit, auth
from kamdata.app import db
from kamdata.app import formats as fmt
from kamdata.app.i18n import t
from kamdata.query import DbVersion, Scope

ACCESS_KEY = "_access"
T = TypeVar("T")


class NoAccess(RuntimeError):
    """A query was asked for without a granted access (the gate did not let this run through)."""


@dataclass(frozen=True)
class Access:
    """The user of this run: identity (None with login off), role and account scope (None = all)."""

    mode: str
    user: str | None
    role: str | None
    scope: Scope
    settings: dict

    @property
    def granted(self) -> bool:
        return self.role is not None and self.scope != ()


@st.cache_data(show_spinner=False, max_entries=1000)
def _scope(version: DbVersion, role: str | None, email: str | None) -> Scope:
    """The account scope per (database version, role, user): a new build re-reads the team lists."""
    return auth.account_scope(version, role, email)


def _claim(key: str):
    value = st.user.get(key)
    return value if value is None or isinstance(value, (str, list, tuple)) else str(value)


def _trusted_keys() -> set[str]:
    mapping = st.get_option("server.trustedUserHeaders")
    return set(mapping.values()) if isinstance(mapping, dict) else set()


def expired(exp, now: float | None = None) -> bool:
    """Whether an ID token's `exp` (seconds since the epoch) has passed; a missing or malformed one counts
    as expired (expiry cannot be honoured without it)."""
    try:
        return float(exp) <= (time.time() if now is None else now)
    except (TypeError, ValueError):
        return True


def _identity(config: auth.AuthSettings) -> tuple[str | None, tuple[str, ...]] | None:
    """(e-mail, groups) of the user, or None after drawing the page that explains why there is none."""
    if config.mode == "oidc":
        if _trusted_keys():
            st.error(t("login.misconfigured_oidc_headers"), icon=":material/gpp_bad:")
            return None
        if st.user.get("is_logged_in") is not True:  # a header-mapped value would be text, never True
            _login_page(config, "login.intro")
            return None
        if expired(st.user.get("exp")):
            _login_page(config, "login.expired")
            return None
        email = _claim(config.user_key)
        return (email if isinstance(email, str) else None), auth.groups_of(_claim(config.groups_key))
    trusted = _trusted_keys()
    if config.user_key not in trusted:
        st.error(t("login.misconfigured_header", user_key=config.user_key), icon=":material/gpp_bad:")
        return None
    email = _claim(config.user_key)
    groups = auth.groups_of(_claim(config.groups_key)) if config.groups_key in trusted else ()
    if not isinstance(email, str) or not email.strip():
        st.error(t("login.no_header"), icon=":material/no_accounts:")
        return None
    return email.strip(), groups


def _login_page(config: auth.AuthSettings, key: str) -> None:
    st.title(t("login.title"))
    st.info(t(key), icon=":material/lock:")
    if st.button(t("login.button"), icon=":material/login:", type="primary", key="login"):
        st.login(config.provider or None)


def _no_access(email: str | None, role: str | None) -> None:
    st.title(t("login.no_access_title"))
    reason = "login.no_access_team" if role == auth.KAM else "login.no_access_role"
    st.warning(t(reason, user=fmt.md_escape(email or fmt.na())), icon=":material/block:")


def gate(settings: dict) -> bool:
    """Decide this run's access; True when a page may run (then `scope()` holds the user's scope)."""
    st.session_state.pop(ACCESS_KEY, None)
    auth.set_role(None)
    try:
        config = auth.auth_settings(settings)
    except auth.AuthConfigError as exc:
        st.error(t("login.misconfigured", error=fmt.md_escape(str(exc))), icon=":material/gpp_bad:")
        return False
    if not config.enabled:
        access = Access(config.mode, None, auth.MANAGEMENT, None, settings)
    else:
        identity = _identity(config)
        if identity is None:
            return False
        email, groups = identity
        role = auth.role_of(email, groups, config)
        access = Access(config.mode, email, role, _scope(db.current_version(), role, email), settings)
        if not access.granted:
            _no_access(email, role)
            _user_line(access, config)
            return False
    auth.set_role(access.role)
    st.session_state[ACCESS_KEY] = access
    _user_line(access, config)
    return True


def _user_line(access: Access, config: auth.AuthSettings) -> None:
    """The sidebar's line on who is signed in (or that login is off), with the logout."""
    with st.sidebar:
        if not config.enabled:
            st.caption(t("login.off"))
            return
        role = t(f"login.roles.{access.role}") if access.role else t("login.roles.none")
        st.caption(fmt.md_escape(t("login.signed_in", user=access.user or fmt.na(), role=role)))
        if config.mode == "oidc" and st.button(t("login.logout"), icon=":material/logout:", key="logout"):
            st.logout()


def current() -> Access:
    """This run's granted access (NoAccess when the gate did not grant one)."""
    access = st.session_state.get(ACCESS_KEY)
    if not isinstance(access, Access) or not access.granted:
        raise NoAccess("no access granted for this run")
    return access


def scope() -> Scope:
    """The account ids this run's user may see (None = all)."""
    return current().scope


def is_management() -> bool:
    return current().role == auth.MANAGEMENT


def audited(event: str, make: Callable[[], T], **details: Any) -> Callable[[], T]:
    """`make` (a download's file maker, run on click outside the script run) wrapped so the click is
    written to the audit log with this run's user, and runs with this run's role (kamdata.auth). Outside
    the app's frame (a page drawn on its own, tests) there is no user to record: `make` as it is (its data
    came from the caller, whose queries need a granted access)."""
    access = st.session_state.get(ACCESS_KEY)
    if not isinstance(access, Access):
        return make
    database = db.published_path()
    context = contextvars.copy_context()

    def run() -> T:
        if access.mode != "none":
            audit.record(access.settings, database, event, access.user or "", access.role, **details)
        return context.run(make)

    return run


def record(event: str, **details: Any) -> None:
    """Write an event of this run to the audit log (with login on; with login off there is no user)."""
    access = current()
    if access.mode != "none":
        audit.record(access.settings, db.published_path(), event, access.user or "", access.role, **details)


def audit_entries(limit: int = 200) -> pd.DataFrame:
    """The latest audit events, newest first (for management on the data-status page)."""
    access = current()
    database: Path | None = db.published_path()
    entries = audit.read(access.settings, database, limit)
    columns = ["at", "event", "user", "role", "account_id", "file"]
    return pd.DataFrame([{key: entry.get(key) for key in columns} for entry in entries], columns=columns)
