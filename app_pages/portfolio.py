"""Portfolio (home): headline KPIs with trend, health vs contract value, accounts by risk, alerts."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from kamdata.app import alerts, db, pages, widgets
from kamdata.app import formats as fmt
from kamdata.app.charts.base import band_color, band_label, localize
from kamdata.app.filters import FILTERS_KEY, Filters, account_labels, user_scope
from kamdata.app.i18n import current_language, t

lang = current_language()
filters: Filters = st.session_state[FILTERS_KEY]
scope = user_scope()
params = filters.params()

st.title(t("portfolio.title"))


def _change(now, before):
    return None if pd.isna(now) or pd.isna(before) else now - before


def _kpis() -> None:
    k = db.query("portfolio_kpis", params, scope).iloc[0]
    tiles = (
        ("accounts", fmt.integer(k["accounts"]), fmt.delta(_change(k["accounts"], k["accounts_prev"]), "int"), False),
        ("acv", fmt.eur_short(k["acv_eur"]), fmt.delta(_change(k["acv_eur"], k["acv_prev_eur"]), "eur"), False),
        (
            "health",
            fmt.number(k["health_avg"]),
            fmt.delta(_change(k["health_avg"], k["health_avg_prev"]), "num"),
            False,
        ),
        ("at_risk", fmt.integer(k["at_risk"]), fmt.delta(_change(k["at_risk"], k["at_risk_prev"]), "int"), True),
        ("sla", fmt.pct(k["sla_pct"]), fmt.delta(_change(k["sla_pct"], k["sla_prev_pct"]), "pct_points"), False),
        ("nps", fmt.number(k["nps"], decimals=0), fmt.delta(_change(k["nps"], k["nps_prev"]), "num"), False),
    )
    columns = st.columns(3) + st.columns(3)
    for column, (key, value, delta, inverse) in zip(columns, tiles):
        with column:
            widgets.kpi_tile(
                t(f"portfolio.kpi.{key}"),
                value,
                delta,
                help=t(f"portfolio.kpi.{key}_help"),
                inverse=inverse,
                delta_description=t(f"portfolio.kpi.{key}_vs"),
            )


def _review_url(account_id: str) -> str:
    return pages.page_url("review", account=account_id)


def _chart(accounts: pd.DataFrame) -> None:
    st.subheader(t("portfolio.chart.title"))
    scored = accounts.dropna(subset=["health_score"])
    if scored.empty:
        widgets.empty_state(t("portfolio.chart.empty"))
        return
    data = scored.assign(
        band_label=[band_label(b, lang) for b in scored["band"]],
        acv_mio=scored["acv_eur"] / 1e6,
        acv_text=[fmt.eur(v) for v in scored["acv_eur"]],
        health_text=[fmt.number(v) for v in scored["health_score"]],
    )[["account_name", "kam_name", "health_score", "acv_mio", "band_label", "acv_text", "health_text"]]
    chart = (
        alt.Chart(data, height=340)
        .mark_circle(size=90, opacity=0.85)
        .encode(
            x=alt.X("acv_mio:Q", title=t("portfolio.chart.acv"), axis=alt.Axis(format=",~f", tickCount=8)),
            y=alt.Y("health_score:Q", title=t("portfolio.chart.health"), scale=alt.Scale(domain=[0, 100])),
            color=band_color("band_label", lang, t("portfolio.table.band")),
            tooltip=[
                alt.Tooltip("account_name:N", title=t("portfolio.table.account")),
                alt.Tooltip("kam_name:N", title=t("portfolio.table.kam")),
                alt.Tooltip("health_text:N", title=t("portfolio.chart.health")),
                alt.Tooltip("band_label:N", title=t("portfolio.table.band")),
                alt.Tooltip("acv_text:N", title=t("portfolio.table.acv")),
            ],
        )
    )
    st.altair_chart(localize(chart, lang), width="stretch")
    unscored = len(accounts) - len(scored)
    if unscored:
        st.caption(t("portfolio.chart.unscored", count=fmt.integer(unscored)))


def _table(accounts: pd.DataFrame) -> None:
    st.subheader(t("portfolio.table.title"))
    st.caption(t("portfolio.table.help"))
    data = accounts.assign(
        review=[_review_url(a) for a in accounts["account_id"]],
        band=[band_label(b, lang) for b in accounts["band"]],
        health_trend=widgets.sparkline_column(accounts["health_trend"]),
    )[
        [
            "review",
            "account_name",
            "band",
            "health_score",
            "health_trend",
            "kam_name",
            "acv_eur",
            "next_notice_deadline",
            "alerts",
            "region",
            "industry",
        ]
    ]
    event = widgets.table(
        data,
        hide_index=True,
        on_select="rerun",
        selection_mode="single-row",
        key="portfolio_accounts",
        column_config={
            "review": st.column_config.LinkColumn(
                t("portfolio.table.open"), display_text=t("portfolio.table.open_text"), width="small"
            ),
            "account_name": st.column_config.TextColumn(t("portfolio.table.account")),
            "band": st.column_config.TextColumn(t("portfolio.table.band")),
            "health_score": widgets.decimal_column(t("portfolio.table.health")),
            "health_trend": st.column_config.LineChartColumn(
                t("portfolio.table.trend"), y_min=0, y_max=100, help=t("portfolio.table.trend_help")
            ),
            "kam_name": st.column_config.TextColumn(t("portfolio.table.kam")),
            "acv_eur": st.column_config.NumberColumn(t("portfolio.table.acv"), format="euro"),
            "next_notice_deadline": st.column_config.DateColumn(
                t("portfolio.table.notice"),
                format="DD.MM.YYYY" if lang == "de" else "YYYY-MM-DD",
                help=t("portfolio.table.notice_help"),
            ),
            "alerts": st.column_config.NumberColumn(t("portfolio.table.alerts"), format="localized"),
            "region": st.column_config.TextColumn(t("common.filters.region")),
            "industry": st.column_config.TextColumn(t("common.filters.industry")),
        },
    )
    rows = event.selection.rows if event else []
    if rows:
        # The URL-bound filters follow by themselves (Streamlit refuses to set bound parameters here).
        pages.switch_to("review", account=accounts.iloc[rows[0]]["account_id"])


@st.fragment
def _alerts() -> None:
    st.subheader(t("portfolio.alerts.title"))
    found = db.query("portfolio_alerts", params, scope)
    if found.empty:
        st.success(t("portfolio.alerts.none"), icon=":material/check_circle:")
        return
    labels = account_labels()
    rows = [row for _, row in found.iterrows()]
    data = pd.DataFrame(
        {
            "link": [alerts.alert_url(row, labels) for row in rows],
            "account_name": found["account_name"],
            "reason": [alerts.alert_text(row, lang) for row in rows],
            "severity": [alerts.severity_label(s, lang) for s in found["severity"]],
            "kind": [alerts.kind_label(k, lang) for k in found["kind"]],
        }
    )
    widgets.table(
        data,
        hide_index=True,
        column_config={
            "link": st.column_config.LinkColumn(
                t("portfolio.alerts.link"), display_text=t("portfolio.table.open_text"), width="small"
            ),
            "severity": st.column_config.TextColumn(t("portfolio.alerts.severity_col")),
            "account_name": st.column_config.TextColumn(t("portfolio.table.account")),
            "kind": st.column_config.TextColumn(t("portfolio.alerts.kind_col")),
            "reason": st.column_config.TextColumn(t("portfolio.alerts.reason_col"), width="large"),
        },
    )


accounts = db.query("portfolio_accounts", params, scope)
if accounts.empty:
    widgets.empty_state(t("common.empty_filter"))
    st.stop()
_kpis()
# Chart and alerts one below the other: side by side the alert reasons (the long column) were cut off.
_chart(accounts)
_alerts()
_table(accounts)
