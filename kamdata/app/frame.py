"""The frame around every page: the "data as of" badge, demo label, build-failed and stale banners,
the build log the data-status page reads, and the pages shown instead of a traceback when the
operator's database or settings file is unusable or a query runs over its time limit."""

from __future__ import annotations

import math
from datetime import UTC, datetime

import pandas as pd
import streamlit as st

from kamdata import dbcheck
from kamdata.app import db
from kamdata.app import formats as fmt
from kamdata.app.i18n import t
from kamdata.build import buildlog
from kamdata.query import TIMEZONE, DbVersion, default_timeout
from kamdata.settings import SettingsError

REBUILD = ("empty", "unreadable", "outdated", "no_build_info")  # problems a new build fixes


def no_database(path) -> None:
    """Explain how to get data when there is no database at all."""
    st.warning(t("common.no_database.title"), icon=":material/database_off:")
    st.markdown(t("common.no_database.body", path=str(path) if path else t("common.no_database.unset")))


def database_usable(version: DbVersion) -> bool:
    """True when the app can show database `version` (kamdata.dbcheck, once per version); otherwise
    says why and how to fix it."""
    problem = dbcheck.problem(version)
    if problem is None:
        return True
    st.error(t("common.db_problem.title"), icon=":material/database_off:")
    st.markdown(
        t(f"common.db_problem.{problem.reason}", path=fmt.md_escape(problem.path), detail=fmt.md_escape(problem.detail))
    )
    if problem.reason in REBUILD:
        st.code(t("common.db_problem.command", path=problem.path), language="bash")
    return False


def settings_error(error: SettingsError) -> None:
    """The settings file cannot be read: name the file and the line or key."""
    st.error(t("common.settings_error.title"), icon=":material/settings_alert:")
    st.markdown(t("common.settings_error.body", error=fmt.md_escape(error)))


def query_timeout() -> None:
    """A query ran over settings `[app] query_timeout_s` and was interrupted (the app keeps serving)."""
    limit = default_timeout() or 0
    seconds = fmt.number(limit, decimals=0 if float(limit).is_integer() else 2)
    st.warning(t("common.query_timeout", seconds=seconds), icon=":material/timer_off:")


def build_log_entry(kind: str) -> dict | None:
    """The build log's last attempt or last success for the published database."""
    path = db.published_path()
    reader = buildlog.last_attempt if kind == "attempt" else buildlog.last_success
    return reader(path) if path is not None else None


def build_history(limit: int = 10) -> pd.DataFrame:
    """The latest build attempts, newest first (the build log lives next to the database)."""
    path = db.published_path()
    entries = buildlog.read_log(path)[-limit:][::-1] if path is not None else []
    return pd.DataFrame(
        entries, columns=["started_at", "status", "as_of", "duration_s", "rows_loaded", "rows_rejected", "error"]
    )


def data_age_hours(info: pd.Series, now: datetime | None = None) -> float | None:
    """Hours since the data was exported (else built); None when neither is known."""
    stamp = info.get("exported_at")
    if fmt.missing(stamp):
        stamp = info.get("built_at")
    return None if fmt.missing(stamp) else hours_since(stamp, now)


def hours_since(stamp, now: datetime | None = None) -> float:
    """Hours from `stamp` (naive: Berlin local time) to `now` (default: now)."""
    # Both instants in UTC: aware datetimes sharing one ZoneInfo subtract as wall-clock times,
    # which is an hour off across a daylight-saving switch.
    return (_utc(now if now is not None else datetime.now(UTC)) - _utc(stamp)).total_seconds() / 3600


def _utc(value) -> datetime:
    """An aware UTC datetime; naive values are Berlin local time (the database's time zone)."""
    stamp = pd.Timestamp(value)
    if stamp.tzinfo is None:
        stamp = stamp.tz_localize(TIMEZONE)
    return stamp.tz_convert("UTC").to_pydatetime()


def data_header(settings: dict, demo: bool) -> None:
    """The always-visible "data as of" badge, demo label and red banners."""
    info = db.query("status_build_info", {}, None).iloc[0]
    st.caption(
        t("common.as_of", as_of=fmt.day(info["as_of"]), built=fmt.timestamp(info["built_at"])),
    )
    if demo:
        st.badge(t("common.demo_badge"), icon=":material/science:", color="violet")
    attempt = build_log_entry("attempt")
    if attempt and attempt.get("status") == "failed":
        st.error(
            t(
                "common.build_failed",
                when=fmt.timestamp(attempt.get("finished_at") or attempt.get("started_at")),
                error=fmt.md_escape(attempt.get("error") or fmt.na()),
            ),
            icon=":material/error:",
        )
    limit = settings.get("app", {}).get("freshness_limit_h", 36)
    age = data_age_hours(info)
    if age is not None and age > limit:
        # Whole hours unless they would read as the limit itself ("36 hours old (limit: 36 hours)").
        hours = fmt.integer(age) if math.floor(age) > limit else fmt.number(age)
        st.error(t("common.stale", hours=hours, limit=fmt.integer(limit)), icon=":material/schedule:")
