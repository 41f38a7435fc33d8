"""Alerts for display: the page an alert opens and its text in German and English.

mart_alerts carries data only: per account and kind a severity, an English `reason` for
outside tools and the value columns (detail_date, detail_value, detail_text, detail_count).
Which page an alert links to and how it reads in the session language is decided here,
once, for every page that lists alerts (the portfolio today, the account review later).
Texts live in texts/alerts.toml.
"""

from __future__ import annotations

import pandas as pd

from kamdata.app import formats as fmt
from kamdata.app.charts.base import band_label
from kamdata.app.i18n import text

# Alert kind (mart_alerts.kind) -> id of the page (kamdata.app.pages.PAGES) that shows its facts.
PAGE_BY_KIND = {
    "renewal_risk": "review",
    "sla_breach": "sla",
    "overdue_commitment": "review",
    "no_proactive_contact": "review",
    "team_overload": "workload",
    "detractor": "review",
}
KINDS = tuple(PAGE_BY_KIND)
SEVERITIES = ("high", "medium")
# At most this many alerts per account in a list (app setting `app.alerts_per_account` overrides);
# the rest are summed up in one "n more" line that opens the account review.
PER_ACCOUNT = 3


def per_account_limit() -> int:
    """How many alerts a list shows per account (settings [app] alerts_per_account, default PER_ACCOUNT)."""
    from kamdata.app.settings import app_settings

    value = app_settings().get("app", {}).get("alerts_per_account", PER_ACCOUNT)
    return max(1, int(value))


def top_per_account(found: pd.DataFrame, limit: int) -> tuple[pd.DataFrame, dict[str, int]]:
    """The alerts to list and, per account, how many are left out.

    `found` comes from sql/queries/portfolio_alerts.sql, already in display order (severity,
    the account's ACV, age); its `rank_in_account` ranks each account's alerts (severity, then
    oldest first) and `account_alerts` counts them. Keeps each account's first `limit` alerts
    in the query's order; returns (those rows, {account_id: number left out}) for the accounts
    with more.
    """
    shown = found[found["rank_in_account"] <= limit]
    hidden = found.drop_duplicates("account_id").set_index("account_id")["account_alerts"] - limit
    return shown, {str(account): int(n) for account, n in hidden.items() if n > 0}


def more_text(count: int, lang: str) -> str:
    """The "n more" line of an account whose other alerts are left out of a list."""
    return text("alerts.more.one" if count == 1 else "alerts.more.many", lang, count=count)


def page_id(kind: str) -> str:
    """The registered page an alert of `kind` links to (KeyError for an unknown kind)."""
    from kamdata.app import pages  # Streamlit only where a link is built: the review pack renders texts without it

    return pages.page(PAGE_BY_KIND[kind]).id


def kind_label(kind: str, lang: str) -> str:
    return text(f"alerts.kind.{kind}", lang)


def severity_label(severity: str, lang: str) -> str:
    return text(f"alerts.severity.{severity}", lang)


def _month(value, lang: str) -> str:
    stamp = pd.Timestamp(value)
    return fmt.month(stamp, lang)


def alert_text(row: pd.Series, lang: str) -> str:
    """The alert's reason in `lang`, built from its value columns.

    `row` holds the columns of mart_alerts plus the account's `band` and the
    parameters `sla_lookback_months` and `detractor_days` (sql/queries/portfolio_alerts.sql);
    an overdue commitment is named by its text when the row has `commitment_text`.
    """
    kind = row["kind"]
    count = 0 if pd.isna(row["detail_count"]) else int(row["detail_count"])

    def say(key: str, **values) -> str:
        return text(f"alerts.reason.{key}", lang, **values)

    if kind == "renewal_risk":
        return say(
            "renewal_risk",
            date=fmt.day(row["detail_date"], lang),
            contract=row["detail_text"],
            more=say("more_contracts", count=count - 1) if count > 1 else "",
            band=band_label(None if pd.isna(row["band"]) else row["band"], lang),
        )
    if kind == "sla_breach":
        return say(
            "sla_breach",
            month=_month(row["detail_date"], lang),
            priorities=row["detail_text"],
            count=count,
            lookback=int(row["sla_lookback_months"]),
        )
    if kind == "overdue_commitment":
        described = row.get("commitment_text")
        return say(
            "overdue_commitment_id" if fmt.missing(described) else "overdue_commitment",
            text=described,
            id=row["detail_text"],
            date=fmt.day(row["detail_date"], lang),
            days=fmt.integer(row["detail_value"], lang),
            more=say("more_commitments", count=count) if count > 1 else "",
        )
    if kind == "no_proactive_contact":
        if pd.isna(row["detail_value"]):
            return say("no_proactive_contact_never")
        return say(
            "no_proactive_contact",
            days=fmt.integer(row["detail_value"], lang),
            date=fmt.day(row["detail_date"], lang),
        )
    if kind == "team_overload":
        return say(
            "team_overload",
            count=count,
            month=_month(row["detail_date"], lang),
            pct=fmt.pct(row["detail_value"], lang),
        )
    if kind == "detractor":
        more = say("more_detractors", count=count, days=int(row["detractor_days"])) if count > 1 else ""
        return say(
            "detractor",
            score=fmt.integer(row["detail_value"], lang),
            date=fmt.day(row["detail_date"], lang),
            more=more,
        )
    return row["reason"]


def alert_url(row: pd.Series, account_labels: dict) -> str:
    """The link of an alert: the account review by account id, other pages filtered to the account.

    The account filter's URL value is the account id (kamdata.app.filters); `account_labels` is unused.
    """
    from kamdata.app import pages

    target = page_id(row["kind"])
    if target == "review":
        return pages.page_url(target, account=row["account_id"])
    return pages.page_url(target, accounts=[row["account_id"]])
