"""The account review as data: one model that the page, the PDF and the workbook all render.

A section is figures (key numbers with their window), charts (Vega-Lite specs
built once from the same frames), tables (typed raw values plus column kinds)
and plain-text sentences. Values stay raw here (floats, dates, codes already
turned into labels); `display()` is the one place a kind becomes text, so the
page, the PDF and the workbook show the same numbers in the same format.
Nothing in this module or its builders imports Streamlit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd

from kamdata.app import formats as fmt

# kind -> default decimals. "score" is a 0-100 health score (one decimal), "hours" elapsed hours,
# "days" whole days, "month" the first day of a calendar month shown as "November 2026", "timestamp" a
# date and time (Berlin wall clock).
KINDS = {
    "text": None,
    "integer": 0,
    "number": 1,
    "pct": 1,
    "eur": 0,
    "date": None,
    "month": None,
    "timestamp": None,
    "hours": 1,
    "days": 0,
    "score": 1,
}


def display(value: Any, kind: str, lang: str, decimals: int | None = None) -> str:
    """The text of one value of `kind` in `lang` ("97,3 %", "1.234 €", "26.11.2026", "k. A.")."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}")
    if fmt.missing(value):
        return fmt.na(lang)
    if kind == "text":
        return str(value)
    if kind == "date":
        return fmt.day(value, lang)
    if kind == "month":
        return fmt.month(value, lang)
    if kind == "timestamp":
        return fmt.timestamp(value, lang)
    places = int(KINDS[kind] or 0) if decimals is None else decimals
    if kind == "pct":
        return fmt.pct(value, lang, places)
    if kind == "eur":
        return fmt.eur(value, lang, places)
    if kind == "hours":
        return f"{fmt.number(value, lang, places)} h"
    return fmt.number(value, lang, places)


@dataclass(frozen=True)
class Column:
    """One shown column: `key` in the frame, its business label in the language, its kind."""

    key: str
    label: str
    kind: str = "text"
    decimals: int | None = None


@dataclass
class Table:
    """A table as shown: raw typed values, one frame column per Column (in order).

    key: stable, language-free id (test handle, workbook sheet name basis).
    window: the period its figures cover, in words ("12 Monate: Dezember 2025 – November 2026").
    highlight: name of a bool frame column marking rows to highlight (e.g. overdue); never shown itself.
    """

    key: str
    title: str
    frame: pd.DataFrame
    columns: tuple[Column, ...]
    window: str
    note: str | None = None
    highlight: str | None = None

    def shown(self) -> pd.DataFrame:
        """The frame restricted to the shown columns, in their order."""
        return self.frame[[c.key for c in self.columns]]


@dataclass(frozen=True)
class Figure:
    """One key figure with its window; `note` flags e.g. a running (partial) period."""

    key: str
    label: str
    value: Any
    kind: str
    window: str
    decimals: int | None = None
    note: str | None = None

    def text(self, lang: str) -> str:
        return display(self.value, self.kind, lang, self.decimals)


@dataclass(frozen=True)
class Chart:
    """A chart as a localised Vega-Lite spec (Altair's to_dict()): the page draws it, the PDF renders it."""

    key: str
    title: str
    spec: dict
    window: str


@dataclass
class Section:
    """One part of the review (health, sla, satisfaction, ...). `texts` are plain sentences, never markup;
    `empty` is the message shown instead when the account has no data for this section."""

    key: str
    title: str
    figures: list[Figure] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    empty: str | None = None

    def table(self, key: str) -> Table:
        return next(t for t in self.tables if t.key == key)

    def figure(self, key: str) -> Figure:
        return next(f for f in self.figures if f.key == key)


@dataclass
class Review:
    """Everything the account review shows for one account, in one language, from one database version."""

    account_id: str
    account_name: str
    industry: str
    region: str
    kam_name: str
    lang: str
    as_of: date
    build_id: str
    health_score: float | None
    band: str | None
    band_label: str
    cover: list[str]  # the cover's plain sentences: the three biggest movers and the path to green
    sections: list[Section]

    def section(self, key: str) -> Section:
        return next(s for s in self.sections if s.key == key)
