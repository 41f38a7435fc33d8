"""Team workload: is the virtual account team able to deliver? Utilisation, overload, team mix, backlog.

Aggregated per department by default (works-council rule); per-person figures
only when settings allow it (`app.show_per_person_workload`), and only for management. Any aggregate over
fewer than `app.min_group_size` people is suppressed by the queries (NULL, shown
as "—" with the reason). The running month (month of the data date) is labelled
and drawn with a dotted outline; its capacity counts the weekdays through the data date (KPIS.md).
"""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from kamdata.app import chart_cache, db, widgets
from kamdata.app import formats as fmt
from kamdata.app.charts import workload as charts_workload
from kamdata.app.filters import FILTERS_KEY, Filters, user_scope
from kamdata.app.i18n import current_language, t
from kamdata.app.settings import app_settings
from kamdata.explore import registry

lang = current_language()
filters: Filters = st.session_state[FILTERS_KEY]
scope = user_scope()
# KPI thresholds as frozen into the build; the works-council switch and group size are app settings.
kpi = db.kpi_params()
THRESHOLD = float(kpi["kpi_overload_threshold_pct"])
BAD = float(kpi["health_components_team_bad"])
PER_PERSON = registry.per_person_allowed()  # the settings' switch, and only for management (kamdata.auth)
MIN_GROUP = int(app_settings()["app"].get("min_group_size", 3))
params = {**filters.params(), "min_group_size": MIN_GROUP}
AS_OF = pd.Timestamp(kpi["as_of"])
RUNNING = AS_OF.to_period("M").to_timestamp()  # the running month: the month of the data date
RUNNING_SUFFIX = t("workload.running.suffix")
HEATMAP_PEOPLE = 50


def _heatmap_labels(row_key: str) -> dict:
    return {
        "month": t("workload.heatmap.month"),
        "utilisation": t("workload.heatmap.utilisation"),
        "row": t(row_key),
        "running": RUNNING_SUFFIX,
    }


def _running_in(months: pd.Series) -> pd.Timestamp | None:
    """The running month if the data holds it (the period reaches the data date), else None."""
    return RUNNING if (pd.to_datetime(months) == RUNNING).any() else None


def _month_label(value) -> str:
    """ "Nov 2026" (fmt.short_month); the running month with its suffix: "Dez 2026 (laufend)"."""
    stamp = pd.Timestamp(value)
    label = fmt.short_month(stamp, lang)
    return f"{label} {RUNNING_SUFFIX}" if stamp == RUNNING else label


def _running_caption(months: pd.Series) -> None:
    if _running_in(months) is not None:
        st.caption(t("workload.running.caption", month=fmt.month(RUNNING, lang), as_of=fmt.day(AS_OF.date(), lang)))


def _hours_tooltip() -> list:
    return [
        alt.Tooltip("booked_h:Q", title=t("workload.heatmap.booked"), format=",.0f"),
        alt.Tooltip("capacity_h:Q", title=t("workload.heatmap.capacity"), format=",.0f"),
    ]


def _tiles(total: pd.Series, backlog_total: pd.Series, kams: pd.DataFrame) -> None:
    hidden = "—"  # every department-month in the period below the group size: nothing to sum
    tiles = [
        (
            t("workload.kpi.utilisation"),
            hidden if total["suppressed"] else fmt.pct(total["utilisation_pct"], lang),
            t("workload.kpi.utilisation_help", n=MIN_GROUP),
        ),
        (
            t("workload.kpi.overloaded"),
            hidden if total["suppressed"] else fmt.integer(total["overloaded_employees"], lang),
            t("workload.kpi.overloaded_help", threshold=fmt.number(THRESHOLD, lang, 0), n=MIN_GROUP),
        ),
        (
            t("workload.kpi.open_tickets"),
            fmt.integer(backlog_total["open_tickets"], lang),
            t("workload.kpi.open_tickets_help"),
        ),
        (t("workload.kpi.kams"), fmt.integer(len(kams), lang), None),
    ]
    for column, (label, value, help_text) in zip(st.columns(len(tiles)), tiles):
        with column:
            widgets.kpi_tile(label, value, help=help_text)


def _departments(monthly: pd.DataFrame) -> None:
    st.subheader(t("workload.heatmap.title"))
    tooltip = [
        *_hours_tooltip(),
        alt.Tooltip("employees:Q", title=t("workload.heatmap.employees"), format=","),
        alt.Tooltip("overloaded_employees:Q", title=t("workload.heatmap.overloaded"), format=","),
    ]
    data = monthly.assign(
        note=t("workload.suppressed_label", n=MIN_GROUP),
        department=[fmt.label("department", d, lang) for d in monthly["department"]],
    )
    chart_cache.chart(
        charts_workload.utilisation_heatmap,
        data,
        "department",
        _heatmap_labels("workload.heatmap.department"),
        lang,
        THRESHOLD,
        BAD,
        tooltip,
        _running_in(monthly["month"]),
    )
    st.caption(t("workload.heatmap.caption", n=MIN_GROUP))
    _running_caption(monthly["month"])
    if monthly["suppressed"].any():
        st.caption(t("workload.suppressed", n=MIN_GROUP))


def _overloaded(monthly: pd.DataFrame) -> None:
    st.subheader(t("workload.overloaded.title"))
    overloaded = monthly[monthly["overloaded_employees"] > 0]  # suppressed cells are NULL: never listed
    if overloaded.empty:
        st.success(t("workload.overloaded.none"), icon=":material/check_circle:")
        return
    widgets.table(
        overloaded.assign(
            utilisation_pct=overloaded["utilisation_pct"].round(1), month_label=overloaded["month"].map(_month_label)
        ),
        hide_index=True,
        placeholder=fmt.na(lang),
        column_order=["department", "month_label", "overloaded_employees", "employees", "utilisation_pct"],
        column_config={
            "department": st.column_config.TextColumn(t("workload.heatmap.department")),
            "month_label": st.column_config.TextColumn(t("workload.heatmap.month")),
            "overloaded_employees": st.column_config.NumberColumn(t("workload.heatmap.overloaded"), format="localized"),
            "employees": st.column_config.NumberColumn(t("workload.heatmap.employees"), format="localized"),
            "utilisation_pct": widgets.decimal_column(t("workload.heatmap.utilisation"), 1),
        },
        download="overloaded_departments",
    )


def number(key: str, decimals: int = 0, help_key: str | None = None) -> st.column_config.NumberColumn:
    help_text = t(f"workload.composition.{help_key}") if help_key else None
    return widgets.decimal_column(t(f"workload.composition.{key}"), decimals, help=help_text)


def _composition() -> None:
    st.subheader(t("workload.composition.title"))
    data = db.query("workload_team_composition", params, scope)
    if data.empty:
        widgets.empty_state(t("workload.composition.none"))
        return
    labels = {key: t(f"workload.composition.{key}") for key in ("account", "members", "load")}
    labels["department"] = t("workload.heatmap.department")
    heads = data.loc[data["grain"] == "account_department", ["account_name", "department", "members"]]  # no hours
    heads = heads.assign(department=[fmt.label("department", d, lang) for d in heads["department"]])
    teams = data[data["grain"] == "account"]  # whole teams: hours only from min_group_size members
    chart_cache.chart(charts_workload.composition_chart, heads, labels, lang)
    st.caption(t("workload.composition.caption", n=MIN_GROUP))
    widgets.table(
        teams.round({"allocated_h": 0, "booked_h": 0, "load_pct": 1}),
        hide_index=True,
        placeholder="—",
        column_order=[
            "account_name",
            "members",
            "departments",
            "allocation_pct",
            "allocated_h",
            "booked_h",
            "load_pct",
        ],
        column_config={
            "account_name": st.column_config.TextColumn(t("workload.composition.account")),
            "departments": number("departments"),
            "members": number("members"),
            "allocation_pct": number("allocation", help_key="allocation_help"),
            "allocated_h": number("allocated"),
            "booked_h": number("booked"),
            "load_pct": number("load_period", 1),
        },
        download="team_composition",
    )
    if teams["suppressed"].any():
        st.caption(t("workload.suppressed", n=MIN_GROUP))


def _kams(kams: pd.DataFrame) -> None:
    st.subheader(t("workload.kams.title"))
    if kams.empty:
        widgets.empty_state(t("workload.kams.none"))
        return
    st.caption(t("workload.kams.caption") + (" " + t("workload.kams.lines_caption") if params["service_lines"] else ""))
    widgets.table(
        kams,
        hide_index=True,
        placeholder=fmt.na(lang),
        column_order=["kam_name", "accounts", "acv_eur", "accounts_at_risk", "accounts_watch"],
        column_config={
            "kam_name": st.column_config.TextColumn(t("workload.kams.kam")),
            "accounts": st.column_config.NumberColumn(t("workload.kams.accounts"), format="localized"),
            "acv_eur": st.column_config.NumberColumn(
                t("workload.kams.acv"), format="euro", step=1, help=t("workload.kams.acv_help")
            ),
            "accounts_at_risk": st.column_config.NumberColumn(t("workload.kams.at_risk"), format="localized"),
            "accounts_watch": st.column_config.NumberColumn(t("workload.kams.watch"), format="localized"),
        },
        download="kam_workload",
    )


def _backlog(backlog: pd.DataFrame) -> None:
    st.subheader(t("workload.backlog.title"))
    if backlog.empty:
        st.success(t("workload.backlog.none"), icon=":material/check_circle:")
        return
    named = backlog.assign(
        group=[
            t("workload.backlog.unassigned") if d == "unassigned" else fmt.label("department", d, lang)
            for d in backlog["department"]
        ]
    )
    shown = named[~named["suppressed"]]  # groups below the works-council size have no figures (NULL)
    labels = {key: t(f"workload.backlog.{key}") for key in ("group", "open", "oldest")}
    if not shown.empty:
        chart_cache.chart(charts_workload.backlog_chart, shown, labels, lang)
    st.caption(t("workload.backlog.caption"))
    hidden = named.loc[named["suppressed"], "group"]
    if len(hidden):
        st.caption(t("workload.backlog.suppressed", n=MIN_GROUP, groups=fmt.md_escape(", ".join(hidden))))


def _people() -> None:
    st.subheader(t("workload.people.title"))
    st.caption(t("workload.people.caption"))
    data = db.query("workload_people", params, scope)
    if data.empty:
        widgets.empty_state(t("workload.people.none"))
        return
    data = data.assign(person=data["name"] + " (" + data["employee_id"] + ")")
    people = data["person"].nunique()
    if people > HEATMAP_PEOPLE:  # a readable chart: the highest peak utilisation first
        # The running month's few days of bookings do not make a peak (complete months only, if any).
        complete = data[~data["running_month"]] if (~data["running_month"]).any() else data
        busiest = complete.groupby("person")["utilisation_pct"].max().nlargest(HEATMAP_PEOPLE).index
        data = data[data["person"].isin(busiest)]
        st.caption(t("workload.people.capped", shown=HEATMAP_PEOPLE, total=fmt.integer(people, lang)))
    chart_cache.chart(
        charts_workload.utilisation_heatmap,
        data,
        "person",
        _heatmap_labels("workload.people.name"),
        lang,
        THRESHOLD,
        BAD,
        _hours_tooltip(),
        _running_in(data["month"]),
    )
    _running_caption(data["month"])


st.title(t("workload.title"))
st.caption(t("workload.intro", threshold=fmt.number(THRESHOLD, lang, 0)))
if PER_PERSON:
    st.warning(t("workload.privacy_per_person"), icon=":material/visibility:")
else:
    st.info(t("workload.privacy_aggregated"), icon=":material/shield_person:")
if params["accounts"] is not None and not params["accounts"]:  # the account filters match no account
    widgets.empty_state(t("common.empty_filter"))
    st.stop()
departments = db.query("workload_departments", params, scope)
monthly = departments.dropna(subset=["department"])
if monthly.empty:
    widgets.empty_state(t("workload.empty"))
else:
    backlog = db.query("workload_technician_backlog", params, scope)
    technician_backlog = backlog.dropna(subset=["department"])  # without the total row
    kam_portfolio = db.query("workload_kam_portfolio", params, scope)
    _tiles(
        departments[departments["department"].isna()].iloc[0],
        backlog[backlog["department"].isna()].iloc[0],
        kam_portfolio,
    )
    _departments(monthly)
    _overloaded(monthly)
    if PER_PERSON:
        _people()
    _composition()
    left, right = st.columns(2)
    with left:
        _kams(kam_portfolio)
    with right:
        _backlog(technician_backlog)
