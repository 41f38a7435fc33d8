"""German and English texts: `t("portfolio.title")` looks up kamdata/texts/portfolio.toml.

A key is `<file>.<dotted path>`; each leaf table holds one string per
language:

    [kpi.accounts]
    de = "Accounts"
    en = "Accounts"

Format fields use str.format: `t("common.as_of", date="26.11.2026")`. The
current language is the URL-bound `lang` widget in the session (see
`kamdata.ui.language_switch`), else `app.default_language` from settings.
A missing text raises KeyError: a page must never show a raw key.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

TEXTS_DIR = Path(__file__).resolve().parent / "texts"
LANGUAGES = ("de", "en")
LANG_KEY = "lang"


@cache
def _texts(file: str) -> dict:
    with open(TEXTS_DIR / f"{file}.toml", "rb") as fh:
        return tomllib.load(fh)


def default_language() -> str:
    """`app.default_language` from settings (cached per process until the file changes); German while
    the settings file cannot be read (the page saying so needs a language too)."""
    from kamdata.app.settings import app_settings
    from kamdata.settings import SettingsError

    try:
        lang = app_settings().get("app", {}).get("default_language", "de")
    except SettingsError:
        return "de"
    return lang if lang in LANGUAGES else "de"


def current_language() -> str:
    """The language chosen in this session (URL `?lang=`), else the configured default."""
    import streamlit as st

    lang = st.session_state.get(LANG_KEY)
    return lang if lang in LANGUAGES else default_language()


def text(key: str, lang: str, **fmt) -> str:
    """The text for `key` in `lang`, formatted with `fmt`."""
    file, _, path = key.partition(".")
    node = _texts(file)
    for part in path.split("."):
        node = node[part]
    return node[lang].format(**fmt) if fmt else node[lang]


def texts(file: str) -> dict:
    """The parsed text file (for lookups that are not single keys, e.g. fmt.label, fmt.reject_reason)."""
    return _texts(file)


def t(key: str, **fmt) -> str:
    """The text for `key` in the session's language."""
    return text(key, current_language(), **fmt)


def all_keys(file: str) -> list[str]:
    """Every text key of one file (for completeness tests)."""
    keys: list[str] = []

    def walk(prefix: str, node) -> None:
        if not isinstance(node, dict):
            return  # arrays of tables (labels.reject_reasons) are patterns, not keyed texts
        if any(lang in node for lang in LANGUAGES):
            keys.append(prefix)
            return
        for name, inner in node.items():
            walk(f"{prefix}.{name}", inner)

    walk(file, _texts(file))
    return keys
