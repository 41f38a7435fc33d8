"""Roles, account scope and the audit log without Streamlit (kamdata.auth, kamdata.audit)."""

from __future__ import annotations

import json
import threading

import pytest

from kamdata import audit, auth
from kamdata.app import login

CONFIG = auth.AuthSettings(
    mode="oidc",
    management_emails=("boss@example.com",),
    management_groups=("kam-management",),
    kam_emails=("*@example.com",),
    kam_groups=("kams",),
)


@pytest.mark.parametrize(
    ("email", "groups", "role"),
    [
        ("boss@example.com", (), "management"),
        ("  BOSS@Example.COM ", (), "management"),  # e-mail addresses compare case-insensitively
        ("ben.weber@example.com", (), "kam"),  # the pattern *@example.com
        ("ben.weber@example.com", ("kam-management",), "management"),  # management wins over kam
        ("someone@other.org", ("kams",), "kam"),  # by group
        ("someone@other.org", ("staff",), None),  # default deny
        (None, (), None),
        ("", ("kam-management",), "management"),
        ("boss@example.com.evil.org", (), None),  # a pattern matches the whole address, not a prefix
    ],
)
def test_role_by_email_pattern_or_group_and_default_deny(email, groups, role):
    assert auth.role_of(email, groups, CONFIG) == role


def test_groups_claim_as_list_or_comma_separated_header():
    assert auth.groups_of(["a", " b "]) == ("a", "b")
    assert auth.groups_of("a, b,,c") == ("a", "b", "c")
    assert auth.groups_of(None) == () and auth.groups_of(42) == ()


def test_invalid_settings_are_named():
    with pytest.raises(auth.AuthConfigError, match="mode must be one of none, oidc, header"):
        auth.auth_settings({"auth": {"mode": "ldap"}})
    with pytest.raises(auth.AuthConfigError, match="kam_emails must be a list of strings"):
        auth.auth_settings({"auth": {"mode": "oidc", "roles": {"kam_emails": "ben@example.com"}}})
    assert not auth.auth_settings({}).enabled  # no [auth]: login off


def test_scope_of_each_role_from_the_account_team(app_version):
    # E1 Anna Schmidt: KAM of A1 and A2; E2 Ben Weber: on A1's team only (tests/app_fixture.py)
    assert auth.account_scope(app_version, "kam", "anna.schmidt@example.com") == ("A1", "A2")
    assert auth.account_scope(app_version, "kam", "Ben.Weber@Example.com") == ("A1",)
    assert auth.account_scope(app_version, "kam", "nobody@example.com") == ()  # no employee: nothing
    assert auth.account_scope(app_version, "kam", None) == ()
    assert auth.account_scope(app_version, "management", None) is None
    assert auth.account_scope(app_version, None, "anna.schmidt@example.com") == ()


def test_per_person_workload_only_for_management_when_login_is_on():
    on = {"auth": {"mode": "header"}}

    def permitted(role):
        result = {}

        def check():  # a thread of its own: a fresh context, as a new script run has
            if role is not None:
                auth.set_role(role)
            result["on"] = auth.per_person_permitted(on)
            result["off"] = auth.per_person_permitted({"auth": {"mode": "none"}})

        thread = threading.Thread(target=check)
        thread.start()
        thread.join()
        return result

    assert permitted("management") == {"on": True, "off": True}
    assert permitted("kam") == {"on": False, "off": True}
    assert permitted(None) == {"on": False, "off": True}  # nothing set: denied


def test_token_expiry():
    assert login.expired(999, now=1000) and login.expired(1000, now=1000)
    assert not login.expired(1001, now=1000)
    assert login.expired(None) and login.expired("soon")  # without exp, expiry cannot be honoured


def test_audit_log_is_json_lines_rotated_and_read_newest_first(tmp_path):
    path = tmp_path / "logs" / "audit.jsonl"
    settings = {"auth": {"audit_log": str(path), "audit_max_bytes": 400, "audit_backups": 2}}
    for n in range(12):
        audit.record(settings, None, "review", "ben.weber@example.com", "kam", account_id=f"A{n}")
    assert path.exists() and path.with_name("audit.jsonl.1").exists()  # rotated at 400 bytes
    assert not path.with_name("audit.jsonl.3").exists()  # two backups kept
    first = json.loads(path.read_text(encoding="utf-8").splitlines()[0])
    assert set(first) == {"at", "event", "user", "role", "account_id"}
    entries = audit.read(settings, None)
    assert [e["account_id"] for e in entries[:3]] == ["A11", "A10", "A9"]
    with open(path, "a", encoding="utf-8") as fh:
        fh.write('{"torn')  # a crash mid-line loses that line only
    assert audit.read(settings, None)[0]["account_id"] == "A11"
    with pytest.raises(ValueError, match="unknown audit event"):
        audit.record(settings, None, "login", "x", None)


def test_audit_log_defaults_to_the_database_directory(tmp_path):
    assert audit.log_path({}, tmp_path / "data" / "kam.duckdb") == tmp_path / "data" / "audit.jsonl"
    with pytest.raises(ValueError, match="no audit log path"):
        audit.log_path({}, None)


@pytest.fixture
def login_settings(tmp_path, monkeypatch):
    """Login on (header mode) for the CLI: ben is a KAM by pattern, boss is management; audit under tmp_path."""
    path = tmp_path / "login.toml"
    log = tmp_path / "audit.jsonl"
    path.write_text(
        f'[auth]\nmode = "header"\naudit_log = "{log}"\n'
        '[auth.roles]\nmanagement_emails = ["boss@example.com"]\nkam_emails = ["ben.weber@*"]\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("KAM_SETTINGS", str(path))
    return log


def test_review_pack_cli_needs_a_user_or_all_accounts_with_login_on(app_db, tmp_path, capsys, login_settings):
    from kamdata import cli

    out = tmp_path / "A1.xlsx"
    base = ["review-pack", "--db", str(app_db), "--out", str(out), "--quiet"]
    assert cli.main([*base, "--account", "A1"]) == 1
    assert "say --as USER, or --all-accounts" in capsys.readouterr().err
    assert cli.main([*base, "--account", "A2", "--as", "ben.weber@example.com"]) == 1  # not his account
    assert "'A2': not in" in capsys.readouterr().err and not out.exists()
    assert cli.main([*base, "--account", "A1", "--as", "eve@example.org"]) == 1  # no role
    assert "eve@example.org may see no account (role: none)" in capsys.readouterr().err
    assert cli.main([*base, "--account", "A1", "--as", "ben.weber@example.com"]) == 0 and out.exists()
    assert cli.main([*base, "--account", "A2", "--all-accounts"]) == 0
    logged = [
        (e["user"], e["role"], e["account_id"])
        for e in reversed(audit.read({"auth": {"audit_log": str(login_settings)}}, None))
    ]
    assert logged[0] == ("ben.weber@example.com", "kam", "A1")
    assert logged[1][1:] == ("management", "A2") and logged[1][0].startswith("cli:")
    assert len(logged) == 2


def test_review_pack_cli_scope_of_a_user(app_version, login_settings):
    import argparse

    from kamdata.review import pack

    def args(**given):
        return argparse.Namespace(**{"as_user": None, "all_accounts": False, **given})

    assert pack.scope_of(args(as_user="ben.weber@example.com"), app_version) == ("A1",)
    assert pack.scope_of(args(as_user="boss@example.com"), app_version) is None
    assert pack.scope_of(args(all_accounts=True), app_version) is None
    # --all lists the scope's accounts only
    assert pack._accounts(app_version, ("A1",)) == ["A1"]
