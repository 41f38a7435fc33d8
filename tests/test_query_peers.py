"""Peer figures under a scope (docs/ACCESS.md, issue 13): an industry's cross-sell counts are shown to a
scoped user (a KAM) only where they cannot tell about a single other account.

Fixture (worked by hand): the app fixture plus A3 "Klinik Ost" and A4 "Klinik West", both health and
both with a technical contract, neither on Ben Weber's account team. Health = A1, A3, A4; A1 holds
cleaning only, so its white space "technical" is held by 2 of 3 health accounts (66.7 % >= 50 %: a
cross-sell suggestion). Ben's scope is A1 alone, so 2 health accounts lie outside it: with the
shipped minimum group size 3 the counts are withheld; with 2 they are shown. A scope holding the whole
industry (A1, A3, A4) has no other account in it and sees the counts.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from kamdata import query
from kamdata.app.i18n import text
from tests.app_fixture import EMPLOYEES, EXTRA_TICKETS, unmarked
from tests.exportset import base_row, build_fixture_db
from tests.test_app_login import BEN, shown_text

SHOWN = {
    "industry_holders": 2,
    "industry_accounts": 3,
    "industry_share_pct": pytest.approx(200 / 3),
    "is_cross_sell": True,
}


def _build_peers_db(root):
    accounts = [
        base_row("accounts", account_id=account, account_name=name, industry="health")
        for account, name in (("A3", "Klinik Ost"), ("A4", "Klinik West"))
    ]
    contracts = [
        base_row(
            "contracts",
            contract_id=contract,
            account_id=account,
            service_line="technical",
            start_date=date(2025, 1, 1),
            end_date=None,
        )
        for contract, account in (("C30", "A3"), ("C40", "A4"))
    ]
    return build_fixture_db(
        root,
        rows={"employees": EMPLOYEES},
        add={"tickets": EXTRA_TICKETS, "accounts": accounts, "contracts": contracts},
    )


@pytest.fixture(scope="module")
def peers_db(tmp_path_factory):
    return _build_peers_db(tmp_path_factory.mktemp("peers-fixture"))


@pytest.fixture
def min_group(tmp_path, monkeypatch):
    """`min_group(n)`: settings with `[app] min_group_size = n` for the rest of the test."""

    def set_size(n: int) -> None:
        path = tmp_path / f"group{n}.toml"
        path.write_text(f"[app]\nmin_group_size = {n}\n", encoding="utf-8")
        monkeypatch.setenv("KAM_SETTINGS", str(path))

    return set_size


def _technical(version, scope) -> dict:
    frame = query.run(version, "review_growth_whitespace", {"account_id": "A1"}, scope=scope)
    assert frame["service_line"].tolist() == ["technical"]
    return frame.iloc[0].to_dict()


def _peer_values(row: dict) -> dict:
    return {key: (None if pd.isna(row[key]) else row[key]) for key in SHOWN}


def test_management_and_a_scope_holding_the_whole_industry_see_the_counts(peers_db, min_group):
    min_group(3)
    version = query.current_version(peers_db)
    assert _peer_values(_technical(version, None)) == SHOWN
    assert _peer_values(_technical(version, ("A1", "A3", "A4"))) == SHOWN


def test_counts_about_fewer_than_the_minimum_group_of_other_accounts_are_withheld(peers_db, min_group):
    min_group(3)
    version = query.current_version(peers_db)
    assert _peer_values(_technical(version, ("A1",))) == dict.fromkeys(SHOWN)
    accounts = query.run_sql(
        version, "select account_id, whitespace_lines, cross_sell_lines from mart_accounts", {}, scope=("A1",)
    )
    assert accounts.to_dict("records") == [
        {"account_id": "A1", "whitespace_lines": "technical", "cross_sell_lines": None}
    ]
    # the raw mart through the explorer's path is masked the same way
    raw = query.run_sql(
        version,
        "select count(*) filter (where is_cross_sell) as n, max(industry_holders) as h from mart_cross_sell",
        {},
        scope=("A1",),
    )
    assert raw.iloc[0, 0] == 0 and pd.isna(raw.iloc[0, 1])


def test_the_minimum_group_size_setting_decides(peers_db, min_group):
    """Two other accounts are enough with a minimum group of 2: the same scope now sees the counts
    (the setting is part of the pooled cursor's key, so no stale masked view is reused)."""
    version = query.current_version(peers_db)
    min_group(3)
    assert _peer_values(_technical(version, ("A1",)))["industry_holders"] is None
    min_group(2)
    assert _peer_values(_technical(version, ("A1",))) == SHOWN
    accounts = query.run_sql(version, "select cross_sell_lines from mart_accounts", {}, scope=("A1",))
    assert accounts["cross_sell_lines"].tolist() == ["technical"]


def test_kam_review_says_the_comparison_is_withheld(run_app, peers_db, tmp_path):
    settings = tmp_path / "login.toml"
    settings.write_text(
        '[auth]\nmode = "oidc"\n[auth.roles]\nmanagement_emails = ["boss@example.com"]\nkam_groups = ["kams"]\n',
        encoding="utf-8",
    )
    at = run_app(
        "app_pages/account_review.py",
        db_path=peers_db,
        settings=str(settings),
        user=BEN,
        account="A1",
        open_whitespace="true",  # the white-space table (a closed expander until opened)
    )
    assert not at.exception
    shown = unmarked(shown_text(at))
    assert text("review_commercial.growth.peers_withheld", "de", n=3) in shown
    assert text("review_commercial.growth.reason_withheld", "de", industry="Gesundheitswesen", n=3) in shown
    assert "2 von 3" not in shown and "Klinik Ost" not in shown
    boss = run_app(
        "app_pages/account_review.py",
        db_path=peers_db,
        settings=str(settings),
        user={**BEN, "email": "boss@example.com", "groups": []},
        account="A1",
        open_whitespace="true",
    )
    assert "2 von 3 Accounts der Branche" in unmarked(shown_text(boss))
