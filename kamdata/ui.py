"""Widgets and formatting every page shares: global filters, badges, banners, KPI tiles.

app.py calls `global_filters()` once per run (it renders the sidebar); pages
read the result from `st.session_state[FILTERS_KEY]` and pass
`filters.params()` with `scope()` to `kamdata.db.query`, which binds the same
filter parameters in every SQL file (see kamdata.db). Drill-down links keep
the filters with `link_params()`. Numbers and dates shown as text
are formatted here for the session language; NULL is shown as "n/a" / "k. A.",
never as 0.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import urlencode

import numpy as np
import pandas as pd
import streamlit as st

from kamdata import buildlog, db
from kamdata.i18n import LANG_KEY, LANGUAGES, current_language, default_language, t

FILTERS_KEY = "filters"
# Query-parameter names of the URL-bound filter widgets (also their session-state keys).
URL_KEYS = ("regions", "industries", "kams", "accounts", "lines", "period")


@dataclass(frozen=True)
class Filters:
    """The global filter selection (hashable: tuples only). Empty tuple = no filter.

    `accounts_in_filter` is the resolved set of account ids matching region,
    industry, KAM and account selections (None = no account filter; an empty
    tuple = nothing matches).
    """

    regions: tuple[str, ...] = ()
    industries: tuple[str, ...] = ()
    kams: tuple[str, ...] = ()
    accounts: tuple[str, ...] = ()
    service_lines: tuple[str, ...] = ()
    date_from: date | None = None
    date_to: date | None = None
    accounts_in_filter: tuple[str, ...] | None = field(default=None, compare=False)

    def params(self) -> dict:
        """The shared filter parameters every query file may use (see kamdata.db)."""
        return {
            "accounts": self.accounts_in_filter,
            "service_lines": self.service_lines or None,
            "date_from": self.date_from,
            "date_to": self.date_to,
        }


def link_params(**extra) -> dict:
    """The URL's filter and language parameters plus `extra`, for drill-down links.

    Use with `st.page_link(page, query_params=ui.link_params(account=...))` or
    in link URLs so the target page opens with the same filters. Not for
    `st.switch_page`: it refuses URL-bound keys, and needs none, because the
    bound filters stay in the URL across page switches.
    """
    params = {key: st.query_params.get_all(key) for key in (*URL_KEYS, LANG_KEY) if key in st.query_params}
    return {**params, **extra}


# The home page's url_path: Streamlit serves the default page at "/" only ("/portfolio" answers
# "page not found"), so links to it go through `page_url` or the page file, never "/portfolio".
HOME = "portfolio"
HOME_PAGE = "app_pages/portfolio.py"


def page_url(url_path: str, **extra) -> str:
    """A relative link to a page (by url_path) with the URL's filters plus `extra`; the home page is "./"."""
    query = urlencode(link_params(**extra), doseq=True)
    target = "./" if url_path in (HOME, "") else url_path
    return f"{target}?{query}" if query else target


def home_link() -> None:
    """The breadcrumb back to the portfolio (the page object, so it opens "/"), keeping the filters."""
    st.page_link(HOME_PAGE, label=t("common.pages.portfolio"), icon=":material/arrow_back:",
                 query_params=link_params())


def scope() -> tuple[str, ...] | None:
    """Accounts the signed-in user may see (None = all; login with roles comes later)."""
    return None


def language_switch() -> str:
    """The de/en switch, bound to `?lang=de|en` (the option text is the URL value); returns the language."""
    st.radio(
        "Sprache / Language",
        LANGUAGES,
        index=LANGUAGES.index(default_language()),
        horizontal=True,
        key=LANG_KEY,
        bind="query-params",
    )
    return current_language()


def _default_period(as_of: date) -> tuple[date, date]:
    """The last 12 calendar months up to the as-of date (from the 1st of the month a year back)."""
    first = date(as_of.year - 1, as_of.month, 1) + timedelta(days=32)
    return first.replace(day=1), as_of


def _multiselect(label_key: str, options: list, key: str, format_func=str, help: str | None = None) -> tuple:
    return tuple(
        st.multiselect(
            t(label_key),
            options,
            format_func=format_func,
            key=key,
            bind="query-params",
            placeholder=t("common.filters.all"),
            help=help,
        )
    )


def global_filters() -> Filters:
    """Render the filter sidebar once per run and return the selection.

    Every widget is bound to the URL, so a copied link reproduces the view.
    The result is also stored in `st.session_state["filters"]`.
    """
    options = db.query("filters_accounts", {}, scope())
    lines = db.query("filters_service_lines", {}, scope())["service_line"].tolist()
    as_of = pd.Timestamp(db.query("status_build_info", {}, None)["as_of"].iloc[0]).date()
    names = _unique_labels(dict(zip(options["account_id"], options["account_name"])))
    kams = _unique_labels(dict(zip(options["kam_id"], options["kam_name"])))
    with st.sidebar:
        st.subheader(t("common.filters.title"))
        regions = _multiselect("common.filters.region", sorted(options["region"].dropna().unique()), "regions")
        industries = _multiselect("common.filters.industry", sorted(options["industry"].dropna().unique()), "industries")
        kam_ids = _multiselect("common.filters.kam", sorted(kams, key=kams.get), "kams", kams.get)
        accounts = _multiselect("common.filters.accounts", sorted(names, key=names.get), "accounts", names.get)
        service_lines = _multiselect("common.filters.service_line", lines, "lines", service_line_label,
                                     help=t("common.filters.service_line_help"))
        default = _default_period(as_of)
        period = st.date_input(
            t("common.filters.period"),
            value=default,
            max_value=as_of,
            format="DD.MM.YYYY" if current_language() == "de" else "YYYY-MM-DD",
            key="period",
            bind="query-params",
            help=t("common.filters.period_help"),
        )
    date_from, date_to = (tuple(period) + (None, None))[:2] if period else (None, None)
    resolved = None
    if regions or industries or kam_ids or accounts:
        matched = options[
            _matches(options["region"], regions)
            & _matches(options["industry"], industries)
            & _matches(options["kam_id"], kam_ids)
            & _matches(options["account_id"], accounts)
        ]
        resolved = tuple(matched["account_id"])
    filters = Filters(regions, industries, kam_ids, accounts, service_lines, date_from, date_to or as_of, resolved)
    st.session_state[FILTERS_KEY] = filters
    return filters


def _unique_labels(names: dict) -> dict:
    """id -> display name, with the id added where two ids share a name (the label is the URL value)."""
    counts = Counter(names.values())
    return {key: f"{name} ({key})" if counts[name] > 1 else name for key, name in names.items()}


def _matches(column: pd.Series, chosen: tuple) -> pd.Series:
    return column.isin(chosen) if chosen else pd.Series(True, index=column.index)


def service_line_label(code: str) -> str:
    """A service line's display name (codes are lower case in the data)."""
    try:
        return t(f"common.service_lines.{code}")
    except KeyError:
        return code.replace("_", " ").capitalize()


def list_column(series: pd.Series) -> list[list]:
    """A DuckDB LIST column as plain lists with None for NULL (DuckDB hands masked arrays;
    converting those naively turns NULL into 0)."""
    return [[None if v is np.ma.masked or _missing(v) else float(v) for v in values] if not _missing(values) else []
            for values in series]


def sparkline_column(series: pd.Series) -> list[list[float] | None]:
    """A DuckDB LIST column for `st.column_config.LineChartColumn`: the values that are there, in
    order, and None (an empty cell) when there are none.

    The grid cannot draw gaps: a list holding a NULL is shown as text (",,,50,55"), so
    months without a value are left out of the line.
    """
    return [[v for v in values if not _missing(v)] or None for values in list_column(series)]


def table(data, **kwargs):
    """`st.dataframe` with NULL cells shown as the n/a text ("k. A." / "n/a") instead of "None".

    Every page's table goes through here; the arguments are st.dataframe's.
    """
    kwargs.setdefault("placeholder", na())
    return st.dataframe(data, **kwargs)


def decimal_column(label: str, decimals: int = 1, help: str | None = None) -> st.column_config.NumberColumn:
    """A number column with exactly `decimals` decimals in the browser's locale ("60,0" next to
    "33,3", not "60"); the grid takes the shown precision from `step`."""
    return st.column_config.NumberColumn(label, format="localized", step=10.0 ** -decimals, help=help)


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def md_escape(text) -> str:
    """Data-derived text made inert for Streamlit markdown (labels, captions, banners)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))


# --- formatting -------------------------------------------------------------


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA or value is pd.NaT


def na(lang: str | None = None) -> str:
    """The text for a missing value: "k. A." in German, "n/a" in English."""
    return "k. A." if (lang or current_language()) == "de" else "n/a"


def fmt_number(value, lang: str | None = None, decimals: int = 1) -> str:
    """1234.5 -> "1.234,5" (de) / "1,234.5" (en), rounded half up; NULL -> n/a."""
    lang = lang or current_language()
    if _missing(value):
        return na(lang)
    rounded = Decimal(str(float(value))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    text = f"{rounded:,.{decimals}f}"
    if lang == "de":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text


def fmt_int(value, lang: str | None = None) -> str:
    """A count with thousands separators."""
    return fmt_number(value, lang, decimals=0)


def fmt_eur(value, lang: str | None = None, decimals: int = 0) -> str:
    """1234.5 -> "1.235 €" (de) / "€1,235" (en)."""
    lang = lang or current_language()
    if _missing(value):
        return na(lang)
    number = fmt_number(abs(float(value)), lang, decimals)
    sign = "-" if float(value) < 0 else ""
    return f"{sign}{number} €" if lang == "de" else f"{sign}€{number}"


def fmt_eur_short(value, lang: str | None = None) -> str:
    """Large amounts in millions: 12345678 -> "12,3 Mio. €" (de) / "€12.3M" (en)."""
    lang = lang or current_language()
    if _missing(value) or abs(float(value)) < 1_000_000:
        return fmt_eur(value, lang)
    millions = fmt_number(float(value) / 1_000_000, lang, 1)
    return f"{millions} Mio. €" if lang == "de" else f"€{millions}M"


def fmt_pct(value, lang: str | None = None, decimals: int = 1) -> str:
    """97.25 -> "97,3 %" (de) / "97.3%" (en)."""
    lang = lang or current_language()
    if _missing(value):
        return na(lang)
    number = fmt_number(value, lang, decimals)
    return f"{number} %" if lang == "de" else f"{number}%"


def fmt_date(value, lang: str | None = None) -> str:
    """date(2026, 11, 26) -> "26.11.2026" (de) / "2026-11-26" (en)."""
    lang = lang or current_language()
    if _missing(value):
        return na(lang)
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, datetime):
        value = value.date()
    return value.strftime("%d.%m.%Y") if lang == "de" else value.isoformat()


def fmt_datetime(value, lang: str | None = None) -> str:
    """A timestamp in Berlin local time: "26.11.2026 02:15" (de) / "2026-11-26 02:15" (en)."""
    lang = lang or current_language()
    if _missing(value):
        return na(lang)
    stamp = pd.Timestamp(value)
    if stamp.tzinfo is not None:
        stamp = stamp.tz_convert(db.TIMEZONE)
    return stamp.strftime("%d.%m.%Y %H:%M" if lang == "de" else "%Y-%m-%d %H:%M")


def fmt_delta(value, kind: str, lang: str | None = None) -> str | None:
    """A signed change for st.metric ("+1,2 %-Pkt.", "±0" for none); None when it cannot be computed."""
    lang = lang or current_language()
    if _missing(value):
        return None
    if float(value) == 0:
        return "±0"
    sign = "+" if float(value) > 0 else ""
    if kind == "pct_points":
        unit = " %-Pkt." if lang == "de" else " pp"
        return f"{sign}{fmt_number(value, lang, 1)}{unit}"
    if kind == "eur":
        return f"{sign}{fmt_eur_short(value, lang)}"
    if kind == "int":
        return f"{sign}{fmt_int(value, lang)}"
    return f"{sign}{fmt_number(value, lang, 1)}"


# --- shared widgets ---------------------------------------------------------


def kpi_tile(label: str, value: str, delta: str | None = None, help: str | None = None,
             inverse: bool = False, trend: list | None = None, delta_description: str | None = None) -> None:
    """One KPI: formatted value, change vs the previous period (`delta_description` says which),
    optional sparkline; `inverse` when a rise is bad (accounts at risk)."""
    st.metric(
        label,
        value,
        delta=delta,
        delta_description=delta_description if delta else None,
        delta_color="off" if delta == "±0" else "inverse" if inverse else "normal",
        delta_arrow="off" if delta == "±0" else "auto",
        help=help,
        border=True,
        chart_data=trend if trend and len(trend) > 1 else None,
        chart_type="line",
    )


def empty_state(message: str) -> None:
    """A helpful message where a chart or table would be empty."""
    st.info(message, icon=":material/filter_alt_off:")


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
    return pd.DataFrame(entries, columns=["started_at", "status", "as_of", "duration_s", "rows_loaded",
                                          "rows_rejected", "error"])


def data_age_hours(info: pd.Series, now: datetime | None = None) -> float | None:
    """Hours since the data was exported (else built); None when neither is known."""
    stamp = info.get("exported_at")
    if _missing(stamp):
        stamp = info.get("built_at")
    if _missing(stamp):
        return None
    # Both instants in UTC: aware datetimes sharing one ZoneInfo subtract as wall-clock times,
    # which is an hour off across a daylight-saving switch.
    stamp = _utc(stamp)
    now = _utc(now if now is not None else datetime.now(timezone.utc))
    return (now - stamp).total_seconds() / 3600


def _utc(value) -> datetime:
    """An aware UTC datetime; naive values are Berlin local time (the database's time zone)."""
    stamp = pd.Timestamp(value)
    if stamp.tzinfo is None:
        stamp = stamp.tz_localize(db.TIMEZONE)
    return stamp.tz_convert("UTC").to_pydatetime()


def data_header(settings: dict, demo: bool) -> None:
    """The always-visible "data as of" badge, demo label and red banners."""
    info = db.query("status_build_info", {}, None).iloc[0]
    st.caption(
        t("common.as_of", as_of=fmt_date(info["as_of"]), built=fmt_datetime(info["built_at"])),
    )
    if demo:
        st.badge(t("common.demo_badge"), icon=":material/science:", color="violet")
    attempt = build_log_entry("attempt")
    if attempt and attempt.get("status") == "failed":
        st.error(
            t("common.build_failed", when=fmt_datetime(attempt.get("finished_at") or attempt.get("started_at")),
              error=md_escape(attempt.get("error") or na())),
            icon=":material/error:",
        )
    limit = settings.get("app", {}).get("freshness_limit_h", 36)
    age = data_age_hours(info)
    if age is not None and age > limit:
        # Whole hours unless they would read as the limit itself ("36 hours old (limit: 36 hours)").
        hours = fmt_int(age) if math.floor(age) > limit else fmt_number(age)
        st.error(t("common.stale", hours=hours, limit=fmt_int(limit)), icon=":material/schedule:")
