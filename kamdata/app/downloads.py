"""The download menu under a table: Excel, CSV and CSV for German Excel, labelled in the app language.

`download_menu(data, columns, file_stem, key)` draws one small "Download" popover holding three
download buttons. The files are made only when a button is clicked (st.download_button with a
callable), so a normal page run costs nothing; the click does not rerun the page. `data` is the
frame, or a callable returning a frame or an iterable of frames (chunks) for a large result that is
read while the file is written (the explorer). File names: `<file_stem>_<as_of>.xlsx|.csv`, the
German CSV `<file_stem>_<as_of>_de.csv` (the two CSVs never overwrite each other in Downloads).
A click is written to the audit log and makes the file with the user's role (kamdata.app.login.audited).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date
from typing import TypeAlias

import pandas as pd
import streamlit as st

from kamdata import export
from kamdata.app import db, login
from kamdata.app.i18n import current_language, text
from kamdata.export import Column, Frames

Source: TypeAlias = pd.DataFrame | Callable[[], Frames]


def file_name(file_stem: str, as_of: date | None, extension: str, suffix: str = "") -> str:
    """`<stem>_<as_of><suffix>.<extension>` with the stem reduced to letters, digits, - and _."""
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", file_stem).strip("-") or "table"
    day = f"_{as_of.isoformat()}" if as_of else ""
    return f"{stem}{day}{suffix}.{extension}"


def _frames(data: Source) -> Frames:
    return data if isinstance(data, pd.DataFrame) else data()


def makers(data: Source, columns: Sequence[Column], lang: str, sheet: str) -> dict[str, Callable[[], bytes]]:
    """format -> a callable making the file's bytes (run on click, outside the script run: no st.* inside)."""
    shown = list(columns)
    return {
        "xlsx": lambda: export.xlsx_bytes([export.Sheet(sheet, _frames(data), shown)], lang),
        "csv": lambda: export.csv_bytes(_frames(data), shown),
        "german_csv": lambda: export.german_csv_bytes(_frames(data), shown),
    }


def _as_of() -> date | None:
    """The database's as-of date; None for a table drawn without a database (no date in the name)."""
    try:
        return db.as_of()
    except db.NoDatabase:
        return None


def download_menu(
    data: Source,
    columns: Sequence[Column],
    file_stem: str,
    key: str,
    as_of: date | None = None,
    sheet: str | None = None,
) -> None:
    """One "Download" popover with the three formats of `data`'s `columns` (in that order).

    `key` makes the buttons unique on the page; `as_of` defaults to the database's as-of date;
    `sheet` names the workbook's sheet (default "Daten"/"Data").
    """
    lang = current_language()
    day = as_of or _as_of()
    make = makers(data, columns, lang, sheet or text("downloads.sheet", lang))
    account = st.query_params.get("account")  # the account review's tables name their account
    files = (
        ("xlsx", "xlsx", export.XLSX_MIME, None),
        ("csv", "csv", export.CSV_MIME, "downloads.csv_help"),
        ("german_csv", "csv", export.CSV_MIME, "downloads.german_csv_help"),
    )
    with st.popover(
        text("downloads.menu", lang), icon=":material/download:", type="tertiary", help=text("downloads.help", lang)
    ):
        for kind, extension, mime, help_key in files:
            name = file_name(file_stem, day, extension, "_de" if kind == "german_csv" else "")
            st.download_button(
                text(f"downloads.{kind}", lang),
                data=login.audited("download", make[kind], file=name, account_id=account),
                file_name=name,
                mime=mime,
                key=f"{key}-{kind}",
                help=text(help_key, lang) if help_key else None,
                on_click="ignore",
                width="stretch",
            )
