"""Page-level view state in the URL (`?year=2025&rank=eui_kwh_m2&account=A1`) under stable codes.

Streamlit's `bind="query-params"` writes an option's *label* into the URL, and a page's labels
depend on the app language ("2026 (laufend)" / "2026 (to date)"): a link made in German would
not open the same view in English. These helpers keep a language-free code per option in the
URL instead, seed the widget from it, and report URL values that match no option so the page
can say so (never a silent drop).

    unknown = page_state.seed("year", years, default=2025)
    if unknown:
        st.warning(...)  # the page's own text, naming the ignored values
    st.selectbox(label, years, format_func=..., **page_state.widget("year"))

`seed` runs before the widget is created; `widget(key)` gives the widget its key and an
on_change that writes the new value's code back into the URL. No default/index is passed to
the widget: its value comes from the session state `seed` set.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import streamlit as st

from kamdata.app import formats as fmt
from kamdata.app.i18n import t

Code = Callable[[Any], str]


def seed(key: str, options: Sequence, default: Any = None, code: Code = str, multi: bool = False) -> list[str]:
    """Set `st.session_state[key]` from `?key=` (codes of `options`); returns the URL values that
    match no option (ignored; the page shows a notice). Without a URL value the widget keeps its
    current value while it is still an option, else `default` (multi: [])."""
    by_code = {code(option): option for option in options}
    url_values = st.query_params.get_all(key)
    unknown = [value for value in url_values if value not in by_code]
    known = [by_code[value] for value in url_values if value in by_code]
    current = st.session_state.get(key)
    if multi:
        if url_values:
            st.session_state[key] = list(dict.fromkeys(known))
        else:
            st.session_state[key] = [value for value in current or [] if value in by_code.values()]
    elif known:
        st.session_state[key] = known[-1]
    elif current is None or current not in by_code.values():
        st.session_state[key] = default
    return unknown


def widget(key: str, code: Code = str, multi: bool = False) -> dict:
    """Keyword arguments for the widget seeded by `seed(key, ...)`: its key and an on_change that
    writes the chosen value's code (several `?key=` values for a multiselect) into the URL."""
    return {"key": key, "on_change": _write, "args": (key, code, multi)}


def _write(key: str, code: Code, multi: bool) -> None:
    value = st.session_state.get(key)
    values = (value or []) if multi else ([] if value is None else [value])
    codes = [code(v) for v in values]
    if codes:
        st.query_params[key] = codes if multi else codes[0]
    elif key in st.query_params:
        del st.query_params[key]


def url_notice(name: str, values: list[str]) -> None:
    """A URL value of this page that matches nothing is ignored, and the page says so (the values are
    the visitor's own text: shown escaped, never as markdown)."""
    if values:
        st.warning(
            t("common.url_ignored", name=fmt.md_escape(name), values=fmt.md_escape(", ".join(values))),
            icon=":material/link_off:",
        )
