"""The global filters: URL-bound sidebar widgets, their selection, and the parameters every query gets.

app.py calls `global_filters()` once per run (it renders the sidebar); pages
read the result from `st.session_state[FILTERS_KEY]` and pass
`filters.params()` with `scope()` to `kamdata.app.db.query`, which binds the
same filter parameters in every SQL file (see sql/macros/app_filters.sql).
Drill-down links keep the filters with `link_params()`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

import pandas as pd
import streamlit as st

from kamdata.app import db
from kamdata.app.formats import service_line_label
from kamdata.app.i18n import LANG_KEY, LANGUAGES, current_language, default_language, t

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
        """The shared filter parameters every query file may use (see kamdata.app.db)."""
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


def user_scope() -> tuple[str, ...] | None:
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
    options = db.query("filters_accounts", {}, user_scope())
    lines = db.query("filters_service_lines", {}, user_scope())["service_line"].tolist()
    as_of = pd.Timestamp(db.query("status_build_info", {}, None)["as_of"].iloc[0]).date()
    names = _account_labels(options)
    kams = _unique_labels(dict(zip(options["kam_id"], options["kam_name"])))
    with st.sidebar:
        st.subheader(t("common.filters.title"))
        regions = _multiselect("common.filters.region", sorted(options["region"].dropna().unique()), "regions")
        industries = _multiselect(
            "common.filters.industry", sorted(options["industry"].dropna().unique()), "industries"
        )
        kam_ids = _multiselect("common.filters.kam", sorted(kams, key=kams.__getitem__), "kams", kams.get)
        accounts = _multiselect("common.filters.accounts", sorted(names, key=names.__getitem__), "accounts", names.get)
        service_lines = _multiselect(
            "common.filters.service_line",
            lines,
            "lines",
            service_line_label,
            help=t("common.filters.service_line_help"),
        )
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
    date_from, date_to = ((*tuple(period), None, None))[:2] if period else (None, None)
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


def account_labels() -> dict:
    """account id -> the account filter's label, which is also its URL value (`?accounts=<label>`).

    Links that filter another page to one account pass this label, never the bare
    name: two accounts sharing a name are told apart by the id in their label.
    """
    return _account_labels(db.query("filters_accounts", {}, user_scope()))


def _account_labels(options: pd.DataFrame) -> dict:
    return _unique_labels(dict(zip(options["account_id"], options["account_name"])))


def _unique_labels(names: dict) -> dict:
    """id -> display name, with the id added where two ids share a name (the label is the URL value)."""
    counts = Counter(names.values())
    return {key: f"{name} ({key})" if counts[name] > 1 else name for key, name in names.items()}


def _matches(column: pd.Series, chosen: tuple) -> pd.Series:
    return column.isin(chosen) if chosen else pd.Series(True, index=column.index)
