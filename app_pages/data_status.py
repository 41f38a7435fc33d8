"""Data status: is the data current and complete? Builds, row accounting, rejected rows, gaps."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from kamdata.app import db, frame, login, page_state, widgets
from kamdata.app import formats as fmt
from kamdata.app.filters import FILTERS_KEY, Filters, user_scope
from kamdata.app.i18n import current_language, t

lang = current_language()
filters: Filters = st.session_state[FILTERS_KEY]
scope = user_scope()

st.title(t("data_status.title"))
st.caption(t("data_status.intro"))


def _build_card(title: str, entry: dict | None) -> None:
    with st.container(border=True):
        st.markdown(f"**{title}**")
        if not entry:
            st.write(t("data_status.builds.none"))
            return
        st.write(
            t(
                "data_status.builds.when",
                started=fmt.timestamp(entry.get("started_at")),
                duration=fmt.number(entry.get("duration_s"), lang, 1),
            )
        )
        st.write(t("data_status.builds.as_of", as_of=fmt.day(entry.get("as_of"))))
        st.write(t("data_status.builds.export_dir"))
        st.code(str(entry.get("export_dir") or fmt.na()), language=None)
        if entry.get("status") == "failed":
            st.error(t("data_status.builds.error"), icon=":material/error:")
            st.code(str(entry.get("error") or fmt.na()), language=None, wrap_lines=True)
        elif entry.get("status") == "started":  # no outcome logged: killed, or still running
            st.warning(t("data_status.builds.no_outcome"), icon=":material/help:")
        else:
            st.success(t("data_status.builds.ok"), icon=":material/check_circle:")


def _builds() -> None:
    info = db.query("status_build_info", {}, None).iloc[0]
    cols = st.columns(4)
    with cols[0]:
        widgets.kpi_tile(t("data_status.as_of"), fmt.day(info["as_of"]), help=t("data_status.as_of_help"))
    with cols[1]:
        widgets.kpi_tile(t("data_status.rows_loaded"), fmt.integer(info["rows_loaded"]))
    with cols[2]:
        widgets.kpi_tile(
            t("data_status.rows_superseded"),
            fmt.integer(info["rows_superseded"]),
            help=t("data_status.rows_superseded_help"),
        )
    with cols[3]:
        widgets.kpi_tile(
            t("data_status.rows_rejected"), fmt.integer(info["rows_rejected"]), help=t("data_status.rows_rejected_help")
        )
    left, right = st.columns(2)
    with left:
        _build_card(t("data_status.builds.last_success"), frame.build_log_entry("success"))
    with right:
        _build_card(t("data_status.builds.last_attempt"), frame.build_log_entry("attempt"))


@st.fragment
def _history() -> None:
    """The latest builds in a section that runs only while it is open (most visits never open it)."""
    with widgets.lazy_expander(t("data_status.builds.history"), key="build_history") as section:
        if not section.open:
            return
        history = frame.build_history()
        widgets.table(
            history.assign(
                started_at=[fmt.timestamp(v) for v in history["started_at"]],
                status=[t(f"data_status.builds.status_{s}") for s in history["status"]],
                error=history["error"].astype(object).fillna(""),
            ),  # a successful build has no error: empty
            hide_index=True,
            column_config={
                "started_at": st.column_config.TextColumn(t("data_status.builds.started")),
                "status": st.column_config.TextColumn(t("data_status.builds.status")),
                "as_of": st.column_config.TextColumn(t("data_status.as_of")),
                "duration_s": st.column_config.NumberColumn(t("data_status.builds.duration"), format="localized"),
                "rows_loaded": st.column_config.NumberColumn(t("data_status.rows_loaded"), format="localized"),
                "rows_rejected": st.column_config.NumberColumn(t("data_status.rows_rejected"), format="localized"),
                "error": st.column_config.TextColumn(t("data_status.builds.error_col"), width="large"),
            },
            download="build_history",
        )


@st.fragment
def _tables() -> None:
    st.subheader(t("data_status.tables.title"))
    data = db.query("status_build_tables", {}, None)
    widgets.table(
        data.assign(table_name=[fmt.label("table", n, lang) for n in data["table_name"]]),
        hide_index=True,
        height="content",
        column_config={
            "table_name": st.column_config.TextColumn(t("data_status.tables.table")),
            "files": st.column_config.NumberColumn(t("data_status.tables.files"), format="localized"),
            "rows_read": st.column_config.NumberColumn(t("data_status.tables.read"), format="localized"),
            "rows_loaded": st.column_config.NumberColumn(t("data_status.tables.loaded"), format="localized"),
            "rows_superseded": st.column_config.NumberColumn(t("data_status.tables.superseded"), format="localized"),
            "rows_rejected": st.column_config.NumberColumn(t("data_status.tables.rejected"), format="localized"),
        },
        download="build_tables",
    )


RAW_WIDTH = 140
REASON_WIDTH = 680


@st.fragment
def _rejected() -> None:
    st.subheader(t("data_status.rejected.title"))
    summary = db.query("status_rejected_summary", {}, scope)
    if summary.empty:
        st.success(t("data_status.rejected.none"), icon=":material/check_circle:")
        return
    # The filters are in the URL (?tables=tickets&reasons=...): the export's table names and the
    # build's reason texts, so a shared link shows the same rows in either language.
    left, right = st.columns(2)
    table_options = sorted(summary["table_name"].unique())
    page_state.url_notice("tables", page_state.seed("tables", table_options, multi=True))
    tables = left.multiselect(
        t("data_status.rejected.filter_table"),
        table_options,
        format_func=lambda name: fmt.label("table", name, lang),  # the URL keeps the export's name
        placeholder=t("common.filters.all"),
        **page_state.widget("tables", multi=True),
    )
    reasons_available = summary[summary["table_name"].isin(tables)] if tables else summary
    reason_options = sorted(reasons_available["reason"].unique())
    page_state.url_notice("reasons", page_state.seed("reasons", reason_options, multi=True))
    reasons = right.multiselect(
        t("data_status.rejected.filter_reason"),
        reason_options,
        format_func=fmt.reject_reason,  # the URL keeps the build's own text as the code
        placeholder=t("common.filters.all"),
        **page_state.widget("reasons", multi=True),
    )
    data = db.query("status_rejected_rows", {"tables": tuple(tables) or None, "reasons": tuple(reasons) or None}, scope)
    shown = int(
        reasons_available[reasons_available["reason"].isin(reasons)]["rejected"].sum()
        if reasons
        else reasons_available["rejected"].sum()
    )
    st.caption(t("data_status.rejected.count", shown=fmt.integer(len(data)), total=fmt.integer(shown)))
    every = data.assign(
        table_name=[fmt.label("table", n, lang) for n in data["table_name"]],
        column_name=[fmt.label("column", c, lang) for c in data["column_name"]],
        reason=[fmt.reject_reason(r, lang) for r in data["reason"]],
    )
    widgets.table(
        widgets.top_rows(every, "rejected", "data_status.rejected"),
        download_data=every,
        hide_index=True,
        # Where the row is first (file, line: what an operator fixes in the export), then what is wrong.
        column_order=["table_name", "source_file", "line_number", "column_name", "raw_value", "reason"],
        column_config={
            "table_name": st.column_config.TextColumn(t("data_status.tables.table")),
            "source_file": st.column_config.TextColumn(t("data_status.rejected.file")),
            # "%d": exact digits (format "plain" draws 50591 as 50590.99999999999), sorts as a number
            "line_number": st.column_config.NumberColumn(t("data_status.rejected.line"), format="%d", width="small"),
            "column_name": st.column_config.TextColumn(t("data_status.rejected.column")),
            # pixels: the header over short values ("fax"); the longest German reason (timestamp, 99 characters)
            "raw_value": st.column_config.TextColumn(t("data_status.rejected.raw"), width=RAW_WIDTH),
            "reason": st.column_config.TextColumn(t("data_status.rejected.reason"), width=REASON_WIDTH),
        },
        download="rejected_rows",
    )


def _filtered_section(section: str, query: str) -> pd.DataFrame | None:
    """Heading, explanation and the filtered rows of a section; None (with a note) when clean."""
    st.subheader(t(f"data_status.{section}.title"))
    st.caption(t(f"data_status.{section}.help"))
    data = db.query(query, filters.params(), scope)
    if data.empty:
        st.success(t(f"data_status.{section}.none"), icon=":material/check_circle:")
        return None
    return data


@st.fragment
def _no_sla() -> None:
    data = _filtered_section("no_sla", "status_tickets_no_sla")
    if data is None:
        return
    per_account = data.groupby("account_name", dropna=False).size().rename("tickets").reset_index()
    st.caption(
        t(
            "data_status.no_sla.count",
            tickets=fmt.count(len(data), "ticket", lang),
            accounts=fmt.count(len(per_account), "account", lang),
        )
    )
    every = data.assign(service_line=data["service_line"].map(fmt.service_line_label)).drop(columns=["account_id"])
    widgets.table(
        widgets.top_rows(every, "no_sla", "data_status.no_sla"),
        download_data=every,
        hide_index=True,
        column_config={
            "ticket_id": st.column_config.TextColumn(t("data_status.no_sla.ticket")),
            "account_name": st.column_config.TextColumn(t("data_status.account")),
            "priority": st.column_config.TextColumn(t("data_status.no_sla.priority")),
            "service_line": st.column_config.TextColumn(t("common.filters.service_line")),
            "created_date": st.column_config.DateColumn(t("data_status.no_sla.created"), format="localized"),
        },
        download="tickets_without_sla",
    )


@st.fragment
def _coverage() -> None:
    data = _filtered_section("coverage", "status_coverage_gaps")
    if data is None:
        return
    every = data.drop(columns=["account_id"]).assign(
        first_missing=[fmt.short_month(m, lang) for m in data["first_missing"]],
        last_missing=[fmt.short_month(m, lang) for m in data["last_missing"]],
    )
    widgets.table(
        widgets.top_rows(every, "gaps", "data_status.coverage"),
        download_data=every,
        hide_index=True,
        column_config={
            "account_name": st.column_config.TextColumn(t("data_status.account")),
            "site_id": st.column_config.TextColumn(t("data_status.coverage.site_id"), width="small"),
            "site_name": st.column_config.TextColumn(t("data_status.coverage.site")),
            "city": st.column_config.TextColumn(t("data_status.coverage.city")),
            "never_reports": st.column_config.CheckboxColumn(t("data_status.coverage.never")),
            "months_missing": st.column_config.NumberColumn(t("data_status.coverage.months"), format="localized"),
            "first_missing": st.column_config.TextColumn(t("data_status.coverage.first")),
            "last_missing": st.column_config.TextColumn(t("data_status.coverage.last")),
        },
        download="meter_coverage",
    )


def _audit() -> None:
    """The audit log (kamdata.audit), for management only."""
    st.subheader(t("login.audit.title"))
    if login.current().mode == "none":
        st.caption(t("login.audit.off"))
        return
    st.caption(t("login.audit.intro"))
    entries = login.audit_entries()
    if entries.empty:
        widgets.empty_state(t("login.audit.empty"))
        return
    widgets.table(
        entries,
        hide_index=True,
        column_config={c: st.column_config.TextColumn(t(f"login.audit.columns.{c}")) for c in entries.columns},
        download="audit_log",
    )


_builds()
_history()
_tables()
_rejected()
_no_sla()
_coverage()
if login.is_management():
    _audit()
