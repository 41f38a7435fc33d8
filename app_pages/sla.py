"""SLA & service: are we keeping our promises? Compliance vs target, breaches down to tickets, backlog, malus.

Every figure is a re-aggregation of the SLA marts (counts per day and month line, resolution times,
the ticket view for drill-downs; the PPM / malus marts)
by the query files sla_*.sql under the global filters; this module only lays out.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from kamdata.app import chart_cache, db, widgets
from kamdata.app import formats as fmt
from kamdata.app.charts import sla as charts_sla
from kamdata.app.filters import FILTERS_KEY, Filters, user_scope
from kamdata.app.i18n import current_language, t
from kamdata.app.settings import app_settings
from kamdata.query import TIMEZONE

lang = current_language()
filters: Filters = st.session_state[FILTERS_KEY]
scope = user_scope()
# Running-month rule (settings app.running_month_min_judged): a running-month cell with fewer judged
# tickets is drawn but is no breach and takes no part in rankings (sql/queries/sla_compliance.sql).
MIN_JUDGED = int(app_settings()["app"].get("running_month_min_judged", 5))
params = {**filters.params(), "running_month_min_judged": MIN_JUDGED}
# The SLA health component's "bad" and "good" compliance, as frozen into the build (colour scale ends).
kpi = db.kpi_params()
BAD, GOOD = float(kpi["health_components_sla_bad"]), float(kpi["health_components_sla_good"])
AS_OF = pd.Timestamp(kpi["as_of"])
RUNNING = AS_OF.to_period("M").to_timestamp()  # the running month: the month of the data date
RUNNING_SUFFIX = t("sla.running.suffix")
HEATMAP_ACCOUNTS = 40


def _labels(*keys: str) -> dict:
    """Chart labels from sla.toml's [compliance] (and a few others) in the session language."""
    return {key: t(f"sla.compliance.{key}") for key in keys}


def _month_label(value) -> str:
    """ "Nov 2026" (fmt.short_month); the running month with its suffix: "Dez 2026 (laufend)"."""
    stamp = pd.Timestamp(value)
    label = fmt.short_month(stamp, lang)
    return f"{label} {RUNNING_SUFFIX}" if stamp == RUNNING else label


def _running_in(months: pd.Series) -> pd.Timestamp | None:
    """The running month if the data holds it (the period reaches the data date), else None."""
    return RUNNING if (pd.to_datetime(months) == RUNNING).any() else None


def _status(data: pd.DataFrame) -> pd.Series:
    """Translated tooltip status per row: complete month, running month, or provisional."""
    provisional = data["provisional"] if "provisional" in data else pd.Series(False, index=data.index)
    # The three texts looked up once, not per row (the account heatmap has a row per account and month).
    texts = (t("sla.running.provisional", n=MIN_JUDGED), t("sla.running.to_date"), t("sla.running.final"))
    return pd.Series(
        [
            texts[0] if p else texts[1] if r else texts[2]
            for r, p in zip(data["running_month"], provisional.fillna(False))
        ],
        index=data.index,
    )


def _running_rule() -> None:
    st.caption(t("sla.running.rule", month=fmt.month(RUNNING, lang), as_of=fmt.day(AS_OF.date(), lang), n=MIN_JUDGED))


def _pct_column(label: str) -> st.column_config.NumberColumn:
    """Percentages and percentage points with one decimal, so "60,0" stands next to "33,3"."""
    return widgets.decimal_column(label, 1)


def _headline() -> bool:
    """KPI tiles; False when the filters leave no tickets (the page then shows only the empty state)."""
    kpis = db.query("sla_kpis", params, scope).iloc[0]
    if kpis["tickets"] == 0:
        widgets.empty_state(t("sla.empty"))
        return False
    ppm = db.query("sla_ppm", params, scope)
    ppm_total = ppm[ppm["month"].isna()]
    malus = db.query("sla_malus", params, scope)
    malus_total = malus[malus["account_id"].isna()].iloc[0]  # the query's total row (always there)
    mtd = db.query("sla_malus_month_to_date", params, scope).iloc[0]  # one row: the month of D
    hours = fmt.number(kpis["mttr_h"], lang, 1)
    tiles = [
        ("resolution", fmt.pct(kpis["resolution_compliance_pct"], lang), t("sla.kpi.resolution_help")),
        ("response", fmt.pct(kpis["response_compliance_pct"], lang), t("sla.kpi.response_help")),
        ("mttr", t("sla.kpi.hours", value=hours) if pd.notna(kpis["mttr_h"]) else fmt.na(lang), t("sla.kpi.mttr_help")),
        ("ftf", fmt.pct(kpis["first_time_fix_pct"], lang), t("sla.kpi.ftf_help")),
        (
            "escalations",
            fmt.pct(kpis["escalation_pct"], lang),
            t("sla.kpi.escalations_help", count=fmt.integer(kpis["escalated"], lang)),
        ),
        ("backlog", fmt.integer(kpis["backlog"], lang), t("sla.kpi.backlog_help")),
        (
            "ppm",
            fmt.pct(ppm_total["ppm_compliance_pct"].iloc[0] if len(ppm_total) else None, lang),
            t("sla.kpi.ppm_help"),
        ),
        ("malus", fmt.eur(malus_total["exposure_eur"], lang), t("sla.kpi.malus_help")),
        (
            "malus_mtd",
            fmt.eur(mtd["exposure_eur"], lang),
            t(
                "sla.kpi.malus_mtd_help",
                accounts=fmt.integer(mtd["accounts_with_malus"], lang),
                terms=fmt.integer(mtd["accounts_with_terms"], lang),
            ),
        ),
    ]
    labels = {"malus_mtd": t("sla.kpi.malus_mtd", month=fmt.month(mtd["month"], lang))}
    # Three tiles a row, so each label (with its window) is read in full at 1440 px; money last.
    order = ("resolution", "response", "mttr", "ftf", "escalations", "ppm", "backlog", "malus_mtd", "malus")
    by_key = {tile[0]: tile for tile in tiles}
    tiles = [by_key[key] for key in order]
    for row in (tiles[:3], tiles[3:6], tiles[6:]):
        for column, (key, value, help_text) in zip(st.columns(3), row):
            with column:
                widgets.kpi_tile(labels.get(key, t(f"sla.kpi.{key}")), value, help=help_text)
    st.caption(
        t("sla.kpi.tickets", count=fmt.integer(kpis["tickets"], lang), no_sla=fmt.integer(kpis["tickets_no_sla"], lang))
        + ". "
        + t(
            "sla.kpi.window",
            date_from=fmt.day(params["date_from"], lang) if params["date_from"] else "…",
            date_to=fmt.day(params["date_to"], lang) if params["date_to"] else "…",
        )
    )
    return True


def _compliance_at(grain: str) -> pd.DataFrame:
    """Rows of query sla_compliance at one grain (see its header)."""
    data = db.query("sla_compliance", params, scope)
    return data[data["grain"] == grain].reset_index(drop=True)


def _compliance() -> None:
    st.subheader(t("sla.compliance.title"))
    monthly = _compliance_at("month_priority")
    long = monthly.melt(
        id_vars=["month", "priority", "tickets", "target_pct", "running_month"],
        value_vars=["response_compliance_pct", "resolution_compliance_pct"],
        var_name="measure",
        value_name="pct",
    ).dropna(subset=["pct"])
    if long.empty:
        widgets.empty_state(t("sla.no_counted"))
        return
    long["measure"] = long["measure"].map(
        {
            "response_compliance_pct": t("sla.compliance.response"),
            "resolution_compliance_pct": t("sla.compliance.resolution"),
        }
    )
    long["status"] = _status(long)
    labels = {
        **_labels("month", "pct", "measure", "target", "priority", "tickets"),
        "running": RUNNING_SUFFIX,
        "status": t("sla.running.status"),
    }
    chart_cache.chart(charts_sla.compliance_chart, long, labels, lang, _running_in(long["month"]))
    st.caption(t("sla.compliance.caption"))


def _heatmap() -> None:
    st.subheader(t("sla.heatmap.title"))
    data = _compliance_at("account_month")
    data = data[data["counted_tickets"] > 0]
    if data.empty:
        widgets.empty_state(t("sla.no_counted"))
        return
    data["breach_label"] = data["listed_breach"].map({True: t("sla.breaches.breached"), False: "–"})
    data["status"] = _status(data)
    labels = {
        **_labels("month", "pct", "tickets"),
        "account": t("sla.heatmap.account"),
        "breach": t("sla.heatmap.breach"),
        "no_tickets": t("sla.heatmap.no_tickets"),
        "running": RUNNING_SUFFIX,
        "status": t("sla.running.status"),
    }
    accounts = data["account_name"].nunique()
    if accounts > HEATMAP_ACCOUNTS:  # a readable chart: the accounts with the most breach months first
        # Provisional running-month cells neither add a breach month nor a "lowest" compliance.
        judged = data.assign(
            lowest=data["resolution_compliance_pct"].where(~data["provisional"].astype(bool)),
        )
        worst = (
            judged.groupby("account_name")
            .agg(breaches=("listed_breach", "sum"), lowest=("lowest", "min"))
            .sort_values(["breaches", "lowest"], ascending=[False, True], na_position="last")
            .index[:HEATMAP_ACCOUNTS]
        )
        data = data[data["account_name"].isin(worst)]
    chart_cache.chart(charts_sla.account_heatmap, data, labels, lang, BAD, GOOD, _running_in(data["month"]))
    st.caption(t("sla.heatmap.caption"))
    _running_rule()
    if accounts > HEATMAP_ACCOUNTS:
        st.caption(t("sla.heatmap.capped", shown=HEATMAP_ACCOUNTS, total=fmt.integer(accounts, lang)))


TICKET_TIMES = ("created_at", "resolution_due", "resolved_at")
# The SLA result next to the ticket id: the column the drill-down is for is never the one cut off
# at the table's right edge (site, category and service line come last).
TICKET_ORDER = (
    "ticket_id",
    "resolution_status",
    "status",
    *TICKET_TIMES,
    "site_name",
    "category",
    "service_line",
)


def _ticket_columns() -> dict:
    time_format = "DD.MM.YYYY HH:mm" if lang == "de" else "YYYY-MM-DD HH:mm"
    labels = {"created_at": "created", "resolution_due": "due", "resolved_at": "resolved"}
    return {
        "ticket_id": st.column_config.TextColumn(t("sla.tickets.ticket_id")),
        "site_name": st.column_config.TextColumn(t("sla.tickets.site")),
        "category": st.column_config.TextColumn(t("sla.tickets.category")),
        "service_line": st.column_config.TextColumn(t("sla.tickets.service_line")),
        **{
            column: st.column_config.DatetimeColumn(t(f"sla.tickets.{labels[column]}"), format=time_format)
            for column in TICKET_TIMES
        },
        "status": st.column_config.TextColumn(t("sla.tickets.status")),
        "resolution_status": st.column_config.TextColumn(t("sla.tickets.sla")),
    }


def _breach_tickets(breach: pd.Series) -> None:
    st.markdown("**" + t("sla.breaches.tickets_title") + "**")
    st.text(f"{breach['account_name']} · {_month_label(breach['month'])} · {breach['priority']}")
    tickets = db.query(
        "sla_breach_tickets",
        {**params, "account_id": breach["account_id"], "month": breach["month"], "priority": breach["priority"]},
        scope,
    )
    tickets["status"] = tickets["status"].map(lambda s: t(f"sla.status.{s}"))
    tickets["resolution_status"] = tickets["resolution_status"].map(
        lambda s: t(f"sla.sla_status.{s if isinstance(s, str) else 'none'}")
    )
    tickets["service_line"] = tickets["service_line"].map(fmt.service_line_label)
    tickets["category"] = [fmt.label("category", c, lang) for c in tickets["category"]]
    for column in TICKET_TIMES:  # Berlin wall-clock time, as the helpdesk shows it
        tickets[column] = tickets[column].dt.tz_convert(TIMEZONE).dt.tz_localize(None)
    widgets.table(
        tickets, hide_index=True, column_order=TICKET_ORDER, column_config=_ticket_columns(), download="breach_tickets"
    )


@st.fragment
def _breaches() -> None:
    st.subheader(t("sla.breaches.title"))
    judged = _compliance_at("account_month_priority")
    # Listed: below target, and not a provisional running-month cell (sla_compliance.sql).
    breaches = judged[judged["listed_breach"]].reset_index(drop=True)
    if breaches.empty:
        st.success(t("sla.breaches.none"), icon=":material/check_circle:")
        _running_rule()
        return
    st.caption(t("sla.breaches.caption"))
    shown = breaches.assign(
        resolution_compliance_pct=breaches["resolution_compliance_pct"].round(1),
        shortfall_points=breaches["shortfall_points"].round(1),
        month_label=breaches["month"].map(_month_label),
    )
    # The newest breaches until "show all" (?breaches=all); selected rows are positions in these rows,
    # which are the first ones of `breaches`.
    selection = widgets.table(
        widgets.top_rows(shown, "breaches", "sla.breaches"),
        download_data=shown,
        hide_index=True,
        placeholder=fmt.na(lang),
        column_order=[
            "account_name",
            "month_label",
            "priority",
            "tickets",
            "resolution_breached",
            "resolution_compliance_pct",
            "target_pct",
            "shortfall_points",
        ],
        column_config={
            "account_name": st.column_config.TextColumn(t("sla.heatmap.account")),
            "month_label": st.column_config.TextColumn(t("sla.compliance.month")),
            "priority": st.column_config.TextColumn(t("sla.compliance.priority")),
            "tickets": st.column_config.NumberColumn(t("sla.compliance.tickets"), format="localized"),
            "resolution_breached": st.column_config.NumberColumn(t("sla.breaches.breached"), format="localized"),
            "resolution_compliance_pct": _pct_column(t("sla.compliance.resolution") + " (%)"),
            "target_pct": _pct_column(t("sla.compliance.target") + " (%)"),
            "shortfall_points": _pct_column(t("sla.breaches.shortfall")),
        },
        key="sla_breach_rows",
        on_select="rerun",
        selection_mode="single-row",
        selection_default={"selection": {"rows": [0]}},
        download="sla_breaches",
    )
    _running_rule()
    rows = selection.selection.rows if selection else []
    if not rows:
        st.caption(t("sla.breaches.select_hint"))
        return
    _breach_tickets(breaches.iloc[rows[0]])


BACKLOG_BUCKETS = ("0-2 d", "3-7 d", "8-30 d", "> 30 d")  # KPIS.md, in age order


def _backlog() -> None:
    st.subheader(t("sla.backlog.title"))
    data = db.query("sla_backlog_ageing", params, scope).dropna(subset=["priority"])  # buckets without tickets
    if data.empty:
        st.success(t("sla.backlog.none"), icon=":material/check_circle:")
        return
    data["bucket"] = data["backlog_bucket"].map(lambda b: t(f"sla.backlog.buckets.{b}"))
    labels = {
        "age": t("sla.backlog.age"),
        "tickets": t("sla.compliance.tickets"),
        "priority": t("sla.compliance.priority"),
    }
    buckets = [t(f"sla.backlog.buckets.{b}") for b in BACKLOG_BUCKETS]  # age order, youngest first
    chart_cache.chart(charts_sla.backlog_chart, data, labels, lang, buckets)
    st.caption(t("sla.backlog.caption"))


def _ppm() -> None:
    st.subheader(t("sla.ppm.title"))
    data = db.query("sla_ppm", params, scope).dropna(subset=["month"])
    if data.empty:
        widgets.empty_state(t("sla.ppm.none"))
        return
    data["status"] = _status(data)
    labels = {
        **_labels("month", "pct"),
        "due": t("sla.ppm.due"),
        "on_time": t("sla.ppm.on_time"),
        "running": RUNNING_SUFFIX,
        "status": t("sla.running.status"),
    }
    chart_cache.chart(charts_sla.ppm_chart, data, labels, lang, BAD, GOOD, _running_in(data["month"]))


def _malus() -> None:
    st.subheader(t("sla.malus.title"))
    data = db.query("sla_malus", params, scope).dropna(subset=["account_id"])  # without the total row
    if data.empty:
        widgets.empty_state(t("sla.malus.none"))
        return
    monthly = db.query("sla_malus_monthly", params, scope).dropna(subset=["account_id"])  # per-month totals apart
    monthly["status"] = _status(monthly)
    labels = {
        "month": t("sla.compliance.month"),
        "account": t("sla.heatmap.account"),
        "exposure": t("sla.malus.exposure_month"),
        "malus_pct": t("sla.malus.malus_pct"),
        "fee": t("sla.malus.fee"),
        "running": RUNNING_SUFFIX,
        "status": t("sla.running.status"),
    }
    chart_cache.chart(charts_sla.malus_heatmap, monthly, labels, lang, _running_in(monthly["month"]))
    st.caption(t("sla.malus.caption"))
    st.caption(t("sla.malus.table_caption"))
    # "Monate mit Malus" counts the running month too while it is not complete: the table says how
    # many of them are the running month (0 or 1 per account).
    running = monthly[monthly["running_month"] & (monthly["exposure_eur"] > 0)].groupby("account_id").size()
    widgets.table(
        data.assign(
            max_malus_pct=data["max_malus_pct"].round(1),
            running_with_malus=data["account_id"].map(running).fillna(0).astype(int),
        ),
        hide_index=True,
        placeholder=fmt.na(lang),
        column_order=[
            "account_name",
            "months",
            "months_with_malus",
            "running_with_malus",
            "max_malus_pct",
            "exposure_eur",
        ],
        column_config={
            "account_name": st.column_config.TextColumn(t("sla.heatmap.account")),
            "months": st.column_config.NumberColumn(t("sla.malus.months"), format="localized"),
            "months_with_malus": st.column_config.NumberColumn(
                t("sla.malus.months_with_malus"), help=t("sla.malus.months_with_malus_help"), format="localized"
            ),
            "running_with_malus": st.column_config.NumberColumn(
                t("sla.malus.running_with_malus"), help=t("sla.malus.running_with_malus_help"), format="localized"
            ),
            "max_malus_pct": _pct_column(t("sla.malus.max_pct")),
            "exposure_eur": st.column_config.NumberColumn(t("sla.malus.exposure"), format="euro", step=1),
        },
        download="sla_malus",
    )


st.title(t("sla.title"))
st.caption(t("sla.intro"))
if _headline():
    _compliance()
    _heatmap()
    _breaches()
    left, right = st.columns(2)
    with left:
        _backlog()
    with right:
        _ppm()
    _malus()
