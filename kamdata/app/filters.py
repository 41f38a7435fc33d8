"""The global filters: sidebar widgets, their selection in the URL as stable codes, and the
parameters every query gets.

app.py calls `global_filters()` once per run (it renders the sidebar); pages
read the result from `st.session_state[FILTERS_KEY]` and pass
`filters.params()` with `scope()` to `kamdata.app.db.query`, which binds the
same filter parameters in every SQL file (see sql/macros/app_filters.sql).
Drill-down links keep the filters with `link_params()`.

URL values are codes, never display labels, so a link made in German opens the
same view in English: `?regions=Süd&industries=health&kams=E1&accounts=A1&lines=technical_fm`
(regions and industries: the value as the data holds it; KAM and account: the
id; service line: its code). Streamlit's `bind="query-params"` writes a
multiselect's *formatted label* to the URL, so these multiselects are not
bound: `global_filters` seeds them from the URL when the URL changes from what
it last wrote (a new session, a link, a page link with other filters), and
writes their codes back after rendering. A URL key that is absent keeps the
session's selection (Streamlit drops unbound parameters on a page switch; they
are written again), `?regions=` clears it. Old label-style links
(`?accounts=Klinikum Nord`, `?lines=Technisches FM`) are mapped to their code;
a value that matches nothing is reported in a notice, never silently dropped.
The period stays URL-bound (ISO dates are codes already).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

import pandas as pd
import streamlit as st

from kamdata.app import db, login
from kamdata.app import formats as fmt
from kamdata.app.i18n import LANG_KEY, LANGUAGES, current_language, default_language, t

FILTERS_KEY = "filters"
NOTICES_KEY = "_filter_notices"  # filter key -> (unknown URL values, the selection they were noted with)
SYNCED_KEY = "_filter_url"  # filter key -> the URL values global_filters last wrote (None: absent)

# Query-parameter names of the filter widgets (also their session-state keys).
MULTI_KEYS = ("regions", "industries", "kams", "accounts", "lines")
PERIOD_KEY = "period"
URL_KEYS = (*MULTI_KEYS, PERIOD_KEY)
_LABEL_KEYS = {
    "regions": "common.filters.region",
    "industries": "common.filters.industry",
    "kams": "common.filters.kam",
    "accounts": "common.filters.accounts",
    "lines": "common.filters.service_line",
    PERIOD_KEY: "common.filters.period",
}


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


@dataclass(frozen=True)
class Choice:
    """One multiselect filter: its codes in display order, the display label of a code, and every
    text an older link may carry for a code (labels in both languages, names, "Name (id)")."""

    key: str
    codes: list
    label: Callable[[str], str]
    aliases: dict = field(default_factory=dict)

    def resolve(self, value: str) -> str | None:
        """The code a URL value stands for, or None when it matches nothing (or is ambiguous)."""
        if value in self.codes:
            return value
        return self.aliases.get(_fold(value))


def _fold(text: str) -> str:
    return re.sub(r"\s+", " ", str(text)).strip().casefold()


def _aliases(pairs) -> dict:
    """folded alias -> code for (alias, code) pairs; an alias naming two codes is left out."""
    seen: dict = {}
    for alias, code in pairs:
        if alias is None or fmt.missing(alias):
            continue
        seen.setdefault(_fold(alias), set()).add(code)
    return {alias: next(iter(codes)) for alias, codes in seen.items() if len(codes) == 1}


def link_params(**extra) -> dict:
    """The URL's filter and language parameters plus `extra`, for drill-down links.

    Use with `st.page_link(page, query_params=ui.link_params(account=...))` or
    in link URLs so the target page opens with the same filters. Filter values
    are codes (`accounts=A1`), so `extra` filters by id too.
    """
    # The URL's keys read once: a membership test per key goes through st.query_params.__getitem__ (a
    # KeyError with its message for every absent key), and a page builds a link per account row.
    present = set(st.query_params)
    params = {key: st.query_params.get_all(key) for key in (*URL_KEYS, LANG_KEY) if key in present}
    return {**params, **extra}


def user_scope() -> tuple[str, ...] | None:
    """Accounts the signed-in user may see (None = all), as the login decided for this run
    (kamdata.app.login; raises login.NoAccess when it granted none)."""
    return login.scope()


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


def default_filters(as_of: date) -> Filters:
    """No filter over the default period: the selection of a user who set none (what the warm-up of a
    newly published database caches for the landing page, kamdata.app.warmup)."""
    date_from, date_to = _default_period(as_of)
    return Filters(date_from=date_from, date_to=date_to)


def choices(options: pd.DataFrame, lines: list[str], lang: str) -> dict[str, Choice]:
    """The five multiselect filters for the filter options of the user's accounts, labelled in `lang`
    (bound here: a label function must not depend on when it is called)."""
    names = unique_account_labels(options)
    kams = _unique_labels(dict(zip(options["kam_id"], options["kam_name"])))

    def coded(key: str, kind: str, codes: list) -> Choice:
        labels = {code: fmt.label(kind, code, lang) for code in codes}
        translated = [(fmt.label(kind, code, other), code) for code in codes for other in LANGUAGES]
        return Choice(key, sorted(codes, key=labels.__getitem__), labels.__getitem__, _aliases(translated))

    def named(key: str, labels: dict, names: pd.Series, ids: pd.Series) -> Choice:
        aliases = _aliases([*((label, code) for code, label in labels.items()), *zip(names, ids)])
        return Choice(key, sorted(labels, key=labels.__getitem__), labels.__getitem__, aliases)

    lines_choice = coded("lines", "service_line", lines)
    return {
        "regions": coded("regions", "region", sorted(options["region"].dropna().unique())),
        "industries": coded("industries", "industry", sorted(options["industry"].dropna().unique())),
        "kams": named("kams", kams, options["kam_name"], options["kam_id"]),
        "accounts": named("accounts", names, options["account_name"], options["account_id"]),
        # service lines keep the order of their query
        "lines": Choice("lines", lines, lines_choice.label, lines_choice.aliases),
    }


def _seed_from_url(choice: Choice) -> None:
    """Take the URL's values for `choice` into the widget state when the URL changed from what the
    app last wrote; values that resolve to nothing become a notice."""
    key = choice.key
    if key not in st.query_params:
        return  # absent: a page switch dropped it; the session's selection stays (and is written again)
    raw = [value for value in st.query_params.get_all(key)]
    synced = st.session_state.setdefault(SYNCED_KEY, {})
    if key in st.session_state and raw == synced.get(key):
        return
    codes: list[str] = []
    unknown: list[str] = []
    for value in raw:
        if value == "":
            continue  # "?regions=" clears the filter
        code = choice.resolve(value)
        if code is None:
            unknown.append(value)
        elif code not in codes:
            codes.append(code)
    st.session_state[key] = codes
    notices = st.session_state.setdefault(NOTICES_KEY, {})
    if unknown:
        notices[key] = (tuple(unknown), tuple(codes))
    else:
        notices.pop(key, None)


def _write_to_url(key: str, codes: list[str]) -> None:
    """The selection's codes into the URL (absent when nothing is chosen)."""
    if codes:
        if st.query_params.get_all(key) != codes:
            st.query_params[key] = codes
    elif key in st.query_params:
        del st.query_params[key]
    st.session_state.setdefault(SYNCED_KEY, {})[key] = list(codes) or None


def _check_period_url(as_of: date) -> None:
    """A malformed `?period=` (Streamlit drops it silently) becomes a notice."""
    if PERIOD_KEY not in st.query_params:
        return
    raw = st.query_params.get_all(PERIOD_KEY)
    try:
        days = [date.fromisoformat(value) for value in raw if value != ""]
        valid = len(days) <= 2 and (len(days) < 2 or days[0] <= days[1]) and all(d <= as_of for d in days[:1])
    except ValueError:
        valid = False
    if not valid:
        st.session_state.setdefault(NOTICES_KEY, {})[PERIOD_KEY] = (tuple(raw), None)


def reset_filters(default_period: tuple[date, date]) -> None:
    """Callback of the reset button: every global filter back to its default (and out of the URL)."""
    for key in MULTI_KEYS:
        st.session_state[key] = []
    # the URL-bound period: its default value takes it out of the URL (Streamlit logs once that the
    # widget also has a default; popping the key instead would re-seed it from the URL)
    st.session_state[PERIOD_KEY] = default_period
    st.session_state[NOTICES_KEY] = {}


def _notices(selection: dict) -> None:
    """One warning per filter whose URL held values that match nothing; it stays until that
    filter is changed or reset."""
    notices = st.session_state.get(NOTICES_KEY, {})
    for key, (values, noted) in list(notices.items()):
        if noted is not None and tuple(selection[key]) != noted:
            del notices[key]
            continue
        if noted is None:  # the period: noted with the value the widget took instead
            notices[key] = (values, tuple(selection[key]))
        quote = "„{}“" if current_language() == "de" else "“{}”"
        st.warning(
            t(
                f"common.filters.ignored_{'one' if len(values) == 1 else 'other'}",
                filter=t(_LABEL_KEYS[key]),
                values=", ".join(quote.format(fmt.md_escape(v)) for v in values),
            ),
            icon=":material/filter_alt_off:",
        )


def global_filters() -> Filters:
    """Render the filter sidebar once per run and return the selection.

    Every filter is in the URL as codes, so a copied link reproduces the view
    in either language. The result is also stored in `st.session_state["filters"]`.
    """
    options = db.query("filters_accounts", {}, user_scope())
    lines = db.query("filters_service_lines", {}, user_scope())["service_line"].tolist()
    as_of = db.as_of()
    default = _default_period(as_of)
    filters_by_key = choices(options, lines, current_language())
    for choice in filters_by_key.values():
        _seed_from_url(choice)
    _check_period_url(as_of)
    selection: dict[str, list] = {}
    with st.sidebar:
        st.subheader(t("common.filters.title"))
        for key, choice in filters_by_key.items():
            selection[key] = st.multiselect(
                t(_LABEL_KEYS[key]),
                choice.codes,
                format_func=choice.label,
                key=key,
                placeholder=t("common.filters.all"),
                help=t("common.filters.service_line_help") if key == "lines" else None,
            )
        period = st.date_input(
            t("common.filters.period"),
            value=default,
            max_value=as_of,
            format="DD.MM.YYYY" if current_language() == "de" else "YYYY-MM-DD",
            key=PERIOD_KEY,
            bind="query-params",
            help=t("common.filters.period_help"),
        )
        st.button(
            t("common.reset_filters"),
            on_click=reset_filters,
            args=(default,),
            icon=":material/filter_alt_off:",
            key="reset_filters",
            help=t("common.filters.reset_help"),
            width="stretch",
        )
    for key in MULTI_KEYS:
        _write_to_url(key, selection[key])
    _notices({**selection, PERIOD_KEY: tuple(period) if period else ()})
    regions, industries, kam_ids, accounts, service_lines = (tuple(selection[key]) for key in MULTI_KEYS)
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
    """account id -> the account filter's display label (the name, with the id where two accounts
    share a name). Links filter by id (`?accounts=A1`), not by this label."""
    return unique_account_labels(db.query("filters_accounts", {}, user_scope()))


def unique_account_labels(accounts: pd.DataFrame) -> dict:
    """account id -> name, with the id where two accounts share a name, for every account picker:
    Streamlit keeps a selectbox's choice by its shown label, so two equal labels would fold two
    accounts into one (a link to the second would open, and rewrite itself to, the first)."""
    return _unique_labels(dict(zip(accounts["account_id"], accounts["account_name"])))


def _unique_labels(names: dict) -> dict:
    """id -> display name, with the id added where two ids share a name."""
    counts = Counter(names.values())
    return {key: f"{name} ({key})" if counts[name] > 1 else name for key, name in names.items()}


def _matches(column: pd.Series, chosen: tuple) -> pd.Series:
    return column.isin(chosen) if chosen else pd.Series(True, index=column.index)
