"""Account review: the account from `?account=<id>`, its band and health components, and all of its
early warnings (the portfolio lists at most a few per account and points here for the rest)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from kamdata.app import alerts, db, pages, widgets
from kamdata.app import formats as fmt
from kamdata.app.charts.base import band_label
from kamdata.app.filters import user_scope
from kamdata.app.i18n import current_language, t

lang = current_language()
scope = user_scope()
COMPONENTS = (
    ("sla", "sla_compliance_pct", fmt.pct),
    ("satisfaction", "nps", lambda v, lang: fmt.number(v, lang, 0)),
    (
        "relationship",
        "days_since_proactive",
        lambda v, lang: fmt.na(lang) if pd.isna(v) else t("account_review.days", days=fmt.integer(v, lang)),
    ),
    ("commitments", "commitment_ontime_pct", fmt.pct),
    ("commercial", "revenue_growth_pct", fmt.pct),
    ("team", "team_max_utilisation_pct", fmt.pct),
)

ALERT_ROW_PX = 68

pages.home_link()
accounts = db.query("filters_accounts", {}, scope)
names = dict(zip(accounts["account_id"], accounts["account_name"]))
account_id = st.query_params.get("account")
chosen = st.selectbox(
    t("account_review.pick_label"),
    list(names),
    format_func=names.get,
    index=list(names).index(account_id) if account_id in names else None,
    placeholder=t("account_review.pick"),
)
if chosen and chosen != account_id:
    st.query_params["account"] = chosen
    st.rerun()
if not account_id:
    st.title(t("common.pages.review"))
    widgets.empty_state(t("account_review.pick"))
    st.stop()

data = db.query("review_account_health", {"account_id": account_id}, scope)
if data.empty:
    st.title(t("common.pages.review"))
    st.warning(t("account_review.unknown", account=fmt.md_escape(account_id)))
    st.stop()

row = data.iloc[0]
st.title(fmt.md_escape(row["account_name"]))
st.caption(
    t(
        "account_review.subtitle",
        industry=fmt.md_escape(fmt.label("industry", row["industry"], lang)),
        region=fmt.md_escape(fmt.label("region", row["region"], lang)),
        kam=fmt.md_escape(row["kam_name"]),
    )
)

band = None if pd.isna(row["band"]) else row["band"]
left, right = st.columns([1, 3])
with left:
    widgets.kpi_tile(
        t("account_review.health"), fmt.number(row["health_score"], lang, 1), help=t("account_review.health_help")
    )
    st.badge(band_label(band, lang), color={"healthy": "green", "watch": "orange", "at_risk": "red"}.get(band, "gray"))
with right:
    table = pd.DataFrame(
        {
            "component": [t(f"account_review.components.{name}") for name, _, _ in COMPONENTS],
            "score": [row[f"{name}_score"] for name, _, _ in COMPONENTS],
            "metric": [
                t("account_review.never")
                if name == "relationship" and row["relationship_never"]
                else fmt(row[col], lang)
                for name, col, fmt in COMPONENTS
            ],
        }
    )
    widgets.table(
        table,
        hide_index=True,
        column_config={
            "component": st.column_config.TextColumn(t("account_review.component")),
            "score": st.column_config.ProgressColumn(
                t("account_review.score"), min_value=0, max_value=100, format="%.0f"
            ),
            "metric": st.column_config.TextColumn(t("account_review.metric")),
        },
    )


def _alerts(account: str) -> None:
    """Every alert of the account (sql/queries/portfolio_alerts.sql for this one account), in the
    account's own order: severity (high first), then age (oldest first). Texts as dataframe cells:
    plain text, never markdown."""
    st.subheader(t("account_review.alerts.title"))
    found = db.query("portfolio_alerts", {"accounts": [account]}, scope)
    if found.empty:
        st.success(t("account_review.alerts.none"), icon=":material/check_circle:")
        return
    found = found.sort_values("rank_in_account")
    st.caption(
        t("account_review.alerts.help_one")
        if len(found) == 1
        else t("account_review.alerts.help", count=fmt.integer(len(found)))
    )
    rows = pd.DataFrame(
        {
            "severity": [alerts.severity_label(s, lang) for s in found["severity"]],
            "kind": [alerts.kind_label(k, lang) for k in found["kind"]],
            "reason": [alerts.alert_text(row, lang) for _, row in found.iterrows()],
        }
    )
    widgets.table(
        rows,
        hide_index=True,
        # Above 4 rem a row wraps its text: the reason reads in full; every alert in view, no scrolling.
        row_height=ALERT_ROW_PX,
        height=len(rows) * ALERT_ROW_PX + 40,
        column_config={
            "severity": st.column_config.TextColumn(t("account_review.alerts.severity"), width="small"),
            "kind": st.column_config.TextColumn(t("account_review.alerts.kind"), width="medium"),
            "reason": st.column_config.TextColumn(t("account_review.alerts.reason"), width="large"),
        },
    )


_alerts(account_id)
