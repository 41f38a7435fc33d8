"""The frame around every page: the "data as of" badge, demo label, build-failed and stale banners,
and the build log the data-status page reads."""

from __future__ import annotations

import math
from datetime import UTC, datetime

import pandas as pd
import streamlit as st

from kamdata.app import db
from kamdata.app import formats as fmt
from kamdata.app.i18n import t
from kamdata.build import buildlog
from kamdata.query import TIMEZONE


def no_database(path) -> None:
    """Explain how to get data when there is no database at all."""
    st.warning(t("common.no_database.title"), icon=":material/database_off:")
    st.markdown(t("common.no_database.body", path=str(path) if path else t("common.no_database.unset")))


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
    if fmt.missing(stamp):
        return None
    # Both instants in UTC: aware datetimes sharing one ZoneInfo subtract as wall-clock times,
    # which is an hour off across a daylight-saving switch.
    stamp = _utc(stamp)
    now = _utc(now if now is not None else datetime.now(UTC))
    return (now - stamp).total_seconds() / 3600


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
