"""Who may see what (docs/ACCESS.md), without Streamlit: the login settings, a user's role from the
role mapping, and the account scope the query core enforces for that role.

- Roles come from settings `[auth.roles]`, by e-mail (shell patterns such as "*@example.com",
  case-insensitive) or by group: `management` sees every account (scope None); `kam` sees the
  accounts where the user is the KAM or on the account team (sql/queries/auth_user_accounts.sql,
  matched via `employees.email`); anyone else has no role and sees nothing (default deny).
  Management wins when a user matches both.
- With login off (`[auth] mode = "none"`, the local demo) there is no identity: everybody is
  management, in the app and in the review-pack CLI.
- Per-person workload is shown only to management (and only when `[app] show_per_person_workload`
  allows it at all): `per_person_permitted()` reads the role of the running request, which the app's
  login sets per script run (`set_role`); where nothing set it (a thread of its own), it is denied.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable
from contextvars import ContextVar
from dataclasses import dataclass

from kamdata import query
from kamdata.query import DbVersion, Scope
from kamdata.settings import load_settings

MODES = ("none", "oidc", "header")
MANAGEMENT = "management"
KAM = "kam"
ROLES = (MANAGEMENT, KAM)

_ROLE: ContextVar[str | None] = ContextVar("kam_cockpit_role", default=None)


class AuthConfigError(ValueError):
    """The [auth] settings cannot be used (an unknown mode or a malformed role mapping)."""


@dataclass(frozen=True)
class AuthSettings:
    """Settings [auth] and [auth.roles] (see settings.toml)."""

    mode: str = "none"
    provider: str = ""
    user_key: str = "email"
    groups_key: str = "groups"
    management_emails: tuple[str, ...] = ()
    management_groups: tuple[str, ...] = ()
    kam_emails: tuple[str, ...] = ()
    kam_groups: tuple[str, ...] = ()

    @property
    def enabled(self) -> bool:
        return self.mode != "none"


def _strings(value, name: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise AuthConfigError(f"settings [auth.roles] {name} must be a list of strings")
    return tuple(v.strip() for v in value if v.strip())


def auth_settings(settings: dict | None = None) -> AuthSettings:
    """The login settings from `settings` (default: settings.toml overlaid by $KAM_SETTINGS)."""
    section = (settings if settings is not None else load_settings()).get("auth", {})
    mode = section.get("mode", "none")
    if mode not in MODES:
        raise AuthConfigError(f"settings [auth] mode must be one of {', '.join(MODES)}, not {mode!r}")
    roles = section.get("roles", {})
    return AuthSettings(
        mode=mode,
        provider=str(section.get("provider", "")),
        user_key=str(section.get("user_key", "email")),
        groups_key=str(section.get("groups_key", "groups")),
        **{name: _strings(roles.get(name, []), name) for name in _ROLE_LISTS},
    )


_ROLE_LISTS = ("management_emails", "management_groups", "kam_emails", "kam_groups")


def groups_of(value) -> tuple[str, ...]:
    """A groups claim as a tuple: a list, or comma-separated text (oauth2-proxy's X-Forwarded-Groups)."""
    if value is None:
        return ()
    items = value.split(",") if isinstance(value, str) else value if isinstance(value, (list, tuple)) else ()
    return tuple(str(item).strip() for item in items if str(item).strip())


def _email_matches(email: str, patterns: Iterable[str]) -> bool:
    folded = email.strip().casefold()
    return any(fnmatch.fnmatchcase(folded, pattern.casefold()) for pattern in patterns)


def role_of(email: str | None, groups: Iterable[str], config: AuthSettings) -> str | None:
    """`management`, `kam`, or None (no access) for a user's e-mail and groups."""
    groups = set(groups)
    if (email and _email_matches(email, config.management_emails)) or groups & set(config.management_groups):
        return MANAGEMENT
    if (email and _email_matches(email, config.kam_emails)) or groups & set(config.kam_groups):
        return KAM
    return None


def account_scope(version: DbVersion, role: str | None, email: str | None) -> Scope:
    """The accounts a role may see: None (all) for management, the KAM's accounts (matched by e-mail)
    for `kam`, and an empty tuple (nothing) for no role or a KAM without an employee record."""
    if role == MANAGEMENT:
        return None
    if role != KAM or not email:
        return ()
    # unscoped by design: this query computes the scope (see its header)
    frame = query.run(version, "auth_user_accounts", {"email": email}, None)
    return tuple(str(account) for account in frame["account_id"])


def set_role(role: str | None) -> None:
    """The role of the request running in this thread (the app's login sets it on every run)."""
    _ROLE.set(role)


def per_person_permitted(settings: dict | None = None) -> bool:
    """Whether the running request may see per-person workload: with login off always (everybody is
    management), else only management."""
    return not auth_settings(settings).enabled or _ROLE.get() == MANAGEMENT
