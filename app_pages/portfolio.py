"""Portfolio (home), the money view: tiles (health, ACV at risk and on watch, malus this month, base
figures), health vs contract value with the accounts in trouble named, alerts, health history,
all accounts by risk; on a phone a compact list per account instead of the wide grids."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from kamdata.app import alerts, chart_cache, db, pages, widgets
from kamdata.app import formats as fmt
from kamdata.app.charts import portfolio as charts
from kamdata.app.charts.base import band_label
from kamdata.app.filters import FILTERS_KEY, Filters, account_labels, user_scope
from kamdata.app.i18n import current_language, t
from kamdata.app.settings import app_settings

lang = current_language()
filters: Filters = st.session_state[FILTERS_KEY]
scope = user_scope()
params = filters.params()

# Phone layout (constant CSS, no data in it): Streamlit cannot know the viewport on the server, so the
# page renders both the wide grids (containers keyed pf_wide*) and the compact account list (pf_phone)
# and a media query shows one of them; on a phone the tiles go two to a row in a smaller type.
PHONE_CSS = """
<style>
.st-key-pf_phone { display: none; }
@media (max-width: 640px) {
  .st-key-pf_phone { display: flex; gap: 0.35rem; }
  .st-key-pf_phone [data-testid="stPageLink"] a { padding: 0; min-height: 0; line-height: 1.3; }
  .st-key-pf_phone [data-testid="stCaptionContainer"] { margin: 0; line-height: 1.3; }
  .st-key-pf_wide_chart, .st-key-pf_wide_alerts, .st-key-pf_wide_table { display: none; }
  .st-key-pf_tiles { display: grid !important; grid-template-columns: 1fr 1fr; gap: 0.5rem; }
  .st-key-pf_tiles [data-testid="stLayoutWrapper"],
  .st-key-pf_tiles [data-testid="stHorizontalBlock"] { display: contents !important; }
  .st-key-pf_tiles [data-testid="stColumn"] { width: auto !important; min-width: 0 !important; }
  .st-key-pf_tiles [data-testid="stMetric"] { padding: 0.2rem 0.4rem; }
  .st-key-pf_tiles [data-testid="stMetric"] > div { padding: 0.3rem; }
  .st-key-pf_tiles [data-testid="stMetricLabel"] [data-testid="stMarkdownContainer"],
  .st-key-pf_tiles [data-testid="stMetricLabel"] p { white-space: normal; overflow: visible; text-overflow: clip; }
  .st-key-pf_tiles [data-testid="stMetricValue"] { font-size: 1.2rem; }
  .st-key-pf_tiles [data-testid="stMetricLabel"] p { font-size: 0.72rem; }
  .st-key-pf_tiles [data-testid="stMetricDelta"] { font-size: 0.72rem; }
  .st-key-pf_tiles [data-testid="stMetricDeltaDescription"] { display: none; }
}
</style>
"""

ALERT_ROW_PX = 68
# Account table at 1440 px (about 980 px wide): every value and header of the columns up to the notice
# KAM reads in full in German and English; the notice deadline, region and industry follow to the right
# (the grid scrolls).
WIDTHS = {
    "review": 60,
    "account_name": 262,
    "band": 96,
    "health_score": 92,
    "health_trend": 92,
    "acv_eur": 128,
    "alerts": 80,
    "kam_name": 124,
    "next_notice_deadline": 110,
}
ALERT_ROWS = 10

st.title(t("portfolio.title"))


def _change(now, before):
    return None if pd.isna(now) or pd.isna(before) else now - before


def _kpis(k: pd.Series, kpi: pd.Series) -> None:
    """Three rows of tiles, each label naming its window: trouble (health, at risk, malus), money, base."""
    day = fmt.day(kpi["as_of"])
    windows = {
        "day": day,
        "month": fmt.month(k["malus_month"]),
        "sla_days": int(kpi["kpi_sla_health_window_days"]),
        "nps_days": int(kpi["kpi_survey_window_days"]),
        "watch": fmt.number(kpi["health_band_watch"], decimals=0),
        "healthy": fmt.number(kpi["health_band_healthy"], decimals=0),
    }
    trouble = (
        ("health", fmt.number(k["health_avg"]), fmt.delta(_change(k["health_avg"], k["health_avg_prev"]), "num"), 0),
        ("at_risk", fmt.integer(k["at_risk"]), fmt.delta(_change(k["at_risk"], k["at_risk_prev"]), "int"), 1),
        # Month to date against a whole earlier month would mislead: no change shown.
        ("malus", fmt.eur(k["malus_mtd_eur"]), None, 1),
    )
    money = (
        (
            "acv_at_risk",
            fmt.eur_short(k["acv_at_risk_eur"]),
            fmt.delta(_change(k["acv_at_risk_eur"], k["acv_at_risk_prev_eur"]), "eur"),
            1,
        ),
        (
            "acv_watch",
            fmt.eur_short(k["acv_watch_eur"]),
            fmt.delta(_change(k["acv_watch_eur"], k["acv_watch_prev_eur"]), "eur"),
            1,
        ),
        ("acv", fmt.eur_short(k["acv_eur"]), fmt.delta(_change(k["acv_eur"], k["acv_prev_eur"]), "eur"), 0),
    )
    base = (
        ("accounts", fmt.integer(k["accounts"]), fmt.delta(_change(k["accounts"], k["accounts_prev"]), "int"), 0),
        ("sla", fmt.pct(k["sla_pct"]), fmt.delta(_change(k["sla_pct"], k["sla_prev_pct"]), "pct_points"), 0),
        ("nps", fmt.number(k["nps"], decimals=0), fmt.delta(_change(k["nps"], k["nps_prev"]), "num"), 0),
    )
    for row in (trouble, money, base):
        for column, (key, value, delta, inverse) in zip(st.columns(len(row)), row):
            with column:
                widgets.kpi_tile(
                    t(f"portfolio.kpi.{key}", **windows),
                    value,
                    delta,
                    help=t(f"portfolio.kpi.{key}_help", **windows, malus_accounts=fmt.integer(k["malus_accounts"])),
                    inverse=bool(inverse),
                    delta_description=t(f"portfolio.kpi.{key}_vs", **windows),
                )


def _review_url(account_id: str) -> str:
    return pages.page_url("review", account=account_id)


def _chart(accounts: pd.DataFrame) -> None:
    st.subheader(t("portfolio.chart.title"))
    st.caption(t("portfolio.chart.help"))
    scored = accounts.dropna(subset=["health_score"])
    if scored.empty:
        widgets.empty_state(t("portfolio.chart.empty"))
        return
    data = scored.assign(
        band_label=[band_label(b, lang) for b in scored["band"]],
        acv_mio=scored["acv_eur"] / 1e6,
        acv_text=[fmt.eur(v) for v in scored["acv_eur"]],
        health_text=[fmt.number(v) for v in scored["health_score"]],
    )[
        [
            "account_id",
            "account_name",
            "kam_name",
            "health_score",
            "acv_mio",
            "band",
            "band_label",
            "acv_text",
            "health_text",
        ]
    ]
    labels = {
        "acv": t("portfolio.chart.acv"),
        "acv_full": t("portfolio.chart.acv_full"),
        "health": t("portfolio.chart.health"),
        "band": t("portfolio.table.band"),
        "account": t("portfolio.table.account"),
        "kam": t("portfolio.table.kam"),
    }
    event = chart_cache.chart(
        charts.health_vs_acv,
        data,
        labels,
        lang,
        st_kwargs={"width": "stretch", "on_select": "rerun", "key": "portfolio_health_acv"},
    )
    picked = _picked_account(event)
    if picked:
        pages.switch_to("review", account=picked)
    unscored = len(accounts) - len(scored)
    if unscored:
        st.caption(t("portfolio.chart.unscored", count=fmt.integer(unscored)))


def _picked_account(event) -> str | None:
    """The account id of a clicked point (selection `charts.PICK`), if any."""
    selection = (event or {}).get("selection", {}) if isinstance(event, dict) else getattr(event, "selection", {})
    chosen = (selection or {}).get(charts.PICK) or []
    return str(chosen[0]["account_id"]) if chosen and chosen[0].get("account_id") else None


def _alert_rows(found: pd.DataFrame, limit: int) -> pd.DataFrame:
    """The alert list: each account's top `limit` alerts in the query's order (severity, ACV, age),
    then after that account's last one a line "+n more" that opens its review."""
    shown, hidden = alerts.top_per_account(found, limit)
    labels = account_labels()
    rows: list[dict] = []
    last_of = {account: i for i, account in enumerate(shown["account_id"])}
    for i, (_, row) in enumerate(shown.iterrows()):
        rows.append(
            {
                "link": alerts.alert_url(row, labels),
                "severity": alerts.severity_label(row["severity"], lang),
                "account_name": row["account_name"],
                "kind": alerts.kind_label(row["kind"], lang),
                "reason": alerts.alert_text(row, lang),
            }
        )
        account = row["account_id"]
        if last_of[account] == i and account in hidden:
            rows.append(
                {
                    "link": _review_url(account),
                    "severity": "",
                    "account_name": row["account_name"],
                    "kind": "",
                    "reason": alerts.more_text(hidden[account], lang),
                }
            )
    return pd.DataFrame(rows, columns=["link", "severity", "account_name", "kind", "reason"])


def _alerts(found: pd.DataFrame) -> None:
    st.subheader(t("portfolio.alerts.title"))
    if found.empty:
        st.success(t("portfolio.alerts.none"), icon=":material/check_circle:")
        return
    limit = alerts.per_account_limit()
    rows = _alert_rows(found, limit)
    st.caption(
        t(
            "portfolio.alerts.help",
            limit=limit,
            alerts=fmt.integer(len(found)),
            accounts=fmt.integer(found["account_id"].nunique()),
        )
    )
    widgets.table(
        rows,
        hide_index=True,
        # Above 4 rem a row wraps its text: the reason is read in full, not cut. At most ALERT_ROWS
        # rows high (the list scrolls), so the history and the accounts stay within reach.
        row_height=ALERT_ROW_PX,
        height=min(len(rows), ALERT_ROWS) * ALERT_ROW_PX + 40,
        column_config={
            "link": st.column_config.LinkColumn(
                t("portfolio.alerts.link"), display_text=t("portfolio.table.open_text"), width="small"
            ),
            "severity": st.column_config.TextColumn(t("portfolio.alerts.severity_col"), width="small"),
            "account_name": st.column_config.TextColumn(t("portfolio.table.account"), width="medium"),
            "kind": st.column_config.TextColumn(t("portfolio.alerts.kind_col"), width="medium"),
            "reason": st.column_config.TextColumn(t("portfolio.alerts.reason_col"), width="large"),
        },
        download="alerts",
    )


def _history() -> None:
    st.subheader(t("portfolio.history.title"))
    found = db.query("portfolio_health_history", params, scope)
    if found.empty:
        widgets.empty_state(t("portfolio.history.empty"))
        return
    st.caption(t("portfolio.history.help", months=int(kpi_params["kpi_history_months"])))
    data = found.assign(
        band_label=[band_label(None if pd.isna(b) else b, lang) for b in found["band"]],
        period=[
            t("portfolio.history.now", day=fmt.day(d)) if now else fmt.month(d)
            for d, now in zip(found["as_of"], found["is_current"])
        ],
        date_text=[fmt.day(d) for d in found["as_of"]],
    )
    labels = {
        "period": t("portfolio.history.period"),
        "accounts": t("portfolio.history.accounts"),
        "band": t("portfolio.table.band"),
        "date": t("portfolio.history.date"),
    }
    chart_cache.chart(charts.health_history, data, labels, lang, st_kwargs={"width": "stretch"})


def _table(accounts: pd.DataFrame) -> None:
    st.subheader(t("portfolio.table.title"))
    st.caption(t("portfolio.table.help"))
    data = accounts.assign(
        review=[_review_url(a) for a in accounts["account_id"]],
        band=[band_label(b, lang) for b in accounts["band"]],
        health_trend=widgets.sparkline_column(accounts["health_trend"]),
        region=[fmt.label("region", r, lang) for r in accounts["region"]],
        industry=[fmt.label("industry", i, lang) for i in accounts["industry"]],
    )[
        [
            "review",
            "account_name",
            "band",
            "health_score",
            "health_trend",
            "acv_eur",
            "alerts",
            "kam_name",
            "next_notice_deadline",
            "region",
            "industry",
        ]
    ]
    event = widgets.table(
        data,
        hide_index=True,
        height="content",
        on_select="rerun",
        selection_mode="single-row",
        key="portfolio_accounts",
        column_config={
            "review": st.column_config.LinkColumn(
                t("portfolio.table.open"), display_text=t("portfolio.table.open_text"), width=WIDTHS["review"]
            ),
            "account_name": st.column_config.TextColumn(t("portfolio.table.account"), width=WIDTHS["account_name"]),
            "band": st.column_config.TextColumn(t("portfolio.table.band"), width=WIDTHS["band"]),
            "health_score": st.column_config.NumberColumn(
                t("portfolio.table.health"), format="localized", step=0.1, width=WIDTHS["health_score"]
            ),
            "health_trend": st.column_config.LineChartColumn(
                t("portfolio.table.trend"),
                y_min=0,
                y_max=100,
                help=t("portfolio.table.trend_help"),
                width=WIDTHS["health_trend"],
            ),
            # Whole euros (step 1): cents say nothing at this scale.
            "acv_eur": st.column_config.NumberColumn(
                t("portfolio.table.acv"),
                format="euro",
                step=1,
                help=t("portfolio.table.acv_help"),
                width=WIDTHS["acv_eur"],
            ),
            "alerts": st.column_config.NumberColumn(
                t("portfolio.table.alerts"), format="localized", width=WIDTHS["alerts"]
            ),
            "kam_name": st.column_config.TextColumn(t("portfolio.table.kam"), width=WIDTHS["kam_name"]),
            "next_notice_deadline": st.column_config.DateColumn(
                t("portfolio.table.notice"),
                format="DD.MM.YYYY" if lang == "de" else "YYYY-MM-DD",
                help=t("portfolio.table.notice_help"),
                width=WIDTHS["next_notice_deadline"],
            ),
            "region": st.column_config.TextColumn(t("common.filters.region")),
            "industry": st.column_config.TextColumn(t("common.filters.industry")),
        },
        download="accounts",
    )
    rows = event.selection.rows if event else []
    if rows:
        # The URL-bound filters follow by themselves (Streamlit refuses to set bound parameters here).
        pages.switch_to("review", account=accounts.iloc[rows[0]]["account_id"])


def _phone_list(accounts: pd.DataFrame, found: pd.DataFrame) -> None:
    """Two short lines per account, most at risk first: its name (opens the review), then band, health
    score, contract value and the kind of its top alert with the number of further ones (the review
    lists them in full), so a phone shows many accounts per screen. The first `[app] phone_list_rows`
    accounts until "show all" (`?phone=all`): three elements per account made the whole list half of
    a 150-account portfolio's server time.

    Data-derived text is escaped (fmt.md_escape) wherever Streamlit would read markdown.
    """
    st.subheader(t("portfolio.phone.title"))
    top: dict = {}
    if not found.empty:
        for _, row in found[found["rank_in_account"] == 1].iterrows():
            more = int(row["account_alerts"]) - 1
            top[row["account_id"]] = t(
                "portfolio.phone.alert_more" if more else "portfolio.phone.alert",
                kind=alerts.kind_label(row["kind"], lang),
                more=fmt.integer(more),
            )
    shown = widgets.top_rows(accounts, "phone", "portfolio.phone", rows=app_settings()["app"]["phone_list_rows"])
    for n, (_, account) in enumerate(shown.iterrows()):
        with st.container(key=f"pf_phone_account_{n}", gap=None):
            pages.page_link(
                "review", label=fmt.md_escape(account["account_name"]), icon=None, account=account["account_id"]
            )
            band = None if pd.isna(account["band"]) else account["band"]
            facts = t(
                "portfolio.phone.facts" if band else "portfolio.phone.facts_unscored",
                band=band_label(band, lang),
                health=fmt.number(account["health_score"]),
                acv=fmt.eur_short(account["acv_eur"]),
            )
            alert = top.get(account["account_id"], t("portfolio.phone.no_alert"))
            st.caption(fmt.md_escape(f"{facts} · {alert}"))


accounts = db.query("portfolio_accounts", params, scope)
if accounts.empty:
    widgets.empty_state(t("common.empty_filter"))
    st.stop()
kpi_params = db.kpi_params()
kpis = db.query("portfolio_kpis", params, scope).iloc[0]
found_alerts = db.query("portfolio_alerts", params, scope)
st.html(PHONE_CSS)
with st.container(key="pf_tiles"):
    _kpis(kpis, kpi_params)
with st.container(key="pf_phone"):
    _phone_list(accounts, found_alerts)
with st.container(key="pf_wide_chart"):
    _chart(accounts)
with st.container(key="pf_wide_alerts"):
    _alerts(found_alerts)
_history()
with st.container(key="pf_wide_table"):
    _table(accounts)
