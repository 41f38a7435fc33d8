"""Numbers, dates and texts for display in the session language; NULL is "n/a" / "k. A.", never 0.

Pages call these as `fmt.pct(...)`, `fmt.day(...)`: one format per kind of
figure on every page (German "1.234,5 %" / English "1,234.5%").
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

from kamdata.app.i18n import current_language, texts
from kamdata.app.i18n import text as i18n_text
from kamdata.query import TIMEZONE

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=])")
# Streamlit rewrites markdown *text* after the escapes are gone: :material/x: and :emoji: shortcodes,
# :streamlit:, arrows (-> <- <->), dashes (--) and >= / <=, and GFM links bare www.x.de, https://...
# and a@b.de. An invisible WORD JOINER after each of these characters (before a dot: "www⁠.") breaks
# every such pattern; the reader sees the text unchanged.
WORD_JOINER = "\u2060"
_TEXT_REWRITES = re.compile(r"([:<>=\-@])")


def md_escape(text) -> str:
    """Data-derived text made inert for Streamlit markdown (titles, labels, captions, banners):
    markdown syntax escaped with backslashes, and Streamlit's text rewrites (icons, emoji, arrows)
    broken with an invisible word joiner."""
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", str(text).replace(WORD_JOINER, ""))
    return _TEXT_REWRITES.sub(r"\1" + WORD_JOINER, escaped).replace("\\.", WORD_JOINER + "\\.")


def missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA or value is pd.NaT


def na(lang: str | None = None) -> str:
    """The text for a missing value: "k. A." in German, "n/a" in English."""
    return "k. A." if (lang or current_language()) == "de" else "n/a"


def number(value, lang: str | None = None, decimals: int = 1) -> str:
    """1234.5 -> "1.234,5" (de) / "1,234.5" (en), rounded half up; NULL -> n/a."""
    lang = lang or current_language()
    if missing(value):
        return na(lang)
    rounded = Decimal(str(float(value))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    text = f"{rounded:,.{decimals}f}"
    if lang == "de":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text


def integer(value, lang: str | None = None) -> str:
    """A count with thousands separators."""
    return number(value, lang, decimals=0)


def eur(value, lang: str | None = None, decimals: int = 0) -> str:
    """1234.5 -> "1.235 €" (de) / "€1,235" (en)."""
    lang = lang or current_language()
    if missing(value):
        return na(lang)
    text = number(abs(float(value)), lang, decimals)
    sign = "-" if float(value) < 0 else ""
    return f"{sign}{text} €" if lang == "de" else f"{sign}€{text}"


def eur_short(value, lang: str | None = None) -> str:
    """Large amounts in millions: 12345678 -> "12,3 Mio. €" (de) / "€12.3M" (en)."""
    lang = lang or current_language()
    if missing(value) or abs(float(value)) < 1_000_000:
        return eur(value, lang)
    millions = number(float(value) / 1_000_000, lang, 1)
    return f"{millions} Mio. €" if lang == "de" else f"€{millions}M"


def pct(value, lang: str | None = None, decimals: int = 1) -> str:
    """97.25 -> "97,3 %" (de) / "97.3%" (en)."""
    lang = lang or current_language()
    if missing(value):
        return na(lang)
    text = number(value, lang, decimals)
    return f"{text} %" if lang == "de" else f"{text}%"


def day(value, lang: str | None = None) -> str:
    """date(2026, 11, 26) -> "26.11.2026" (de) / "2026-11-26" (en)."""
    lang = lang or current_language()
    if missing(value):
        return na(lang)
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, datetime):
        value = value.date()
    return value.strftime("%d.%m.%Y") if lang == "de" else value.isoformat()


MONTHS = {
    "de": (
        "Januar",
        "Februar",
        "März",
        "April",
        "Mai",
        "Juni",
        "Juli",
        "August",
        "September",
        "Oktober",
        "November",
        "Dezember",
    ),
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
}


def month(value, lang: str | None = None) -> str:
    """A calendar month by name: date(2026, 11, 1) -> "November 2026" (de and en; "März 2026")."""
    lang = lang or current_language()
    if missing(value):
        return na(lang)
    stamp = pd.Timestamp(value)
    return f"{MONTHS['de' if lang == 'de' else 'en'][stamp.month - 1]} {stamp.year}"


def timestamp(value, lang: str | None = None) -> str:
    """A timestamp in Berlin local time: "26.11.2026 02:15" (de) / "2026-11-26 02:15" (en)."""
    lang = lang or current_language()
    if missing(value):
        return na(lang)
    stamp = pd.Timestamp(value)
    if stamp.tzinfo is not None:
        stamp = stamp.tz_convert(TIMEZONE)
    return stamp.strftime("%d.%m.%Y %H:%M" if lang == "de" else "%Y-%m-%d %H:%M")


def delta(value, kind: str, lang: str | None = None) -> str | None:
    """A signed change for st.metric ("+1,2 %-Pkt.", "±0" for none); None when it cannot be computed."""
    lang = lang or current_language()
    if missing(value):
        return None
    if float(value) == 0:
        return "±0"
    sign = "+" if float(value) > 0 else ""
    if kind == "pct_points":
        unit = " %-Pkt." if lang == "de" else " pp"
        return f"{sign}{number(value, lang, 1)}{unit}"
    if kind == "eur":
        return f"{sign}{eur_short(value, lang)}"
    if kind == "int":
        return f"{sign}{integer(value, lang)}"
    return f"{sign}{number(value, lang, 1)}"


def service_line_label(code: str, lang: str | None = None) -> str:
    """A service line's display name (codes are lower case in the data)."""
    try:
        return i18n_text(f"common.service_lines.{code}", lang or current_language())
    except KeyError:
        return code.replace("_", " ").capitalize()


_SLUG_CHARS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def slug(code) -> str:
    """The key of a data code in texts/labels.toml: "Süd" -> "sued", "IT & Telecom" -> "it_telecom"."""
    return re.sub(r"[^a-z0-9]+", "_", str(code).lower().translate(_SLUG_CHARS)).strip("_")


def label(kind: str, code, lang: str | None = None) -> str:
    """A data code in the UI language: label("category", "hvac") -> "Heizung, Lüftung, Klima" / "HVAC".

    Kinds: region, industry, category, department, service_line (texts/labels.toml,
    service lines in texts/common.toml). A code without a translation is shown as the
    data holds it (underscores as spaces); NULL -> n/a.
    """
    lang = lang or current_language()
    if missing(code):
        return na(lang)
    if kind == "service_line":
        return service_line_label(code, lang)
    entry = texts("labels").get(kind, {}).get(slug(code))
    if entry is None:
        text = str(code)
        return text.replace("_", " ").capitalize() if "_" in text or text.islower() else text
    return entry[lang]


def known_label(kind: str, code, lang: str | None = None):
    """label() where the code has a translation, else the value unchanged (safe on shown text)."""
    if missing(code) or (kind != "service_line" and slug(code) not in texts("labels").get(kind, {})):
        return code
    return label(kind, code, lang)


def _reason_part(name: str, value: str, lang: str) -> str:
    """A part of a reject reason in words: {table} an export table's name, {values} the allowed
    export values quoted, any other part an export column's name where it is one (else as it is)."""
    if name == "table":
        return label("table", value, lang)
    if name == "values":
        quote = ("„{}“", "“{}”")[lang != "de"]
        return ", ".join(quote.format(v) for v in value.split(", "))
    return str(known_label("column", value, lang))


def reject_reason(reason, lang: str | None = None) -> str:
    """A build's reason for a rejected row (English) in the UI language, with the tables and columns
    it names in words ("must not be before start_date" -> "darf nicht vor Startdatum liegen");
    unknown reasons as they are."""
    lang = lang or current_language()
    if missing(reason):
        return na(lang)
    for rule in texts("labels")["reject_reasons"]:
        found = re.match(rule["pattern"], str(reason))
        if found:
            if lang not in rule:  # an English reason without codes in it
                return str(reason)
            return rule[lang].format(**{k: _reason_part(k, v, lang) for k, v in found.groupdict().items()})
    return str(reason)


def count(n, unit: str, lang: str | None = None) -> str:
    """A count with its noun in singular or plural: count(1, "account") -> "1 Account", 2 -> "2 Accounts".

    Units are the tables of [units] in texts/common.toml (`one` / `other` per language).
    """
    lang = lang or current_language()
    forms = texts("common")["units"][unit]
    word = forms["one" if not missing(n) and float(n) == 1 else "other"][lang]
    return f"{integer(n, lang)} {word}"


def in_month(value, lang: str | None = None) -> str:
    """ "im November 2026" / "in November 2026": a month named in running text, never "im 11/2026"."""
    lang = lang or current_language()
    return f"{'im' if lang == 'de' else 'in'} {month(value, lang)}"


SHORT_MONTHS = {
    "de": ("Jan", "Feb", "Mär", "Apr", "Mai", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dez"),
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
}


def short_month(value, lang: str | None = None) -> str:
    """The one short month format of tables and chart axes: date(2026, 3, 1) -> "Mär 2026" (de) / "Mar 2026" (en)."""
    lang = lang or current_language()
    if missing(value):
        return na(lang)
    stamp = pd.Timestamp(value)
    return f"{SHORT_MONTHS['de' if lang == 'de' else 'en'][stamp.month - 1]} {stamp.year}"
