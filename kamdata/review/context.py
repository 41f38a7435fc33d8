"""What every section builder gets: the account, the language, the database version and scope, the
build's KPI parameters, and the window wordings every figure carries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from kamdata import query
from kamdata.app import formats as fmt
from kamdata.app.i18n import text
from kamdata.query import DbVersion, Scope


@dataclass(frozen=True)
class Context:
    """One review being assembled. `run` goes through the one query core with the account and the
    user's scope, so the page, the PDF, the workbook and the CLI read exactly the same rows."""

    version: DbVersion
    account_id: str
    lang: str
    scope: Scope
    params: pd.Series  # the build's kpi_params row (as_of, d_end, last_complete_month, thresholds)

    @property
    def as_of(self) -> date:
        return pd.Timestamp(self.params["as_of"]).date()

    @property
    def last_complete_month(self) -> date:
        return pd.Timestamp(self.params["last_complete_month"]).date()

    def run(self, name: str, **params) -> pd.DataFrame:
        """sql/queries/<name>.sql with $account_id bound to this account (plus `params`)."""
        return query.run(self.version, name, {"account_id": self.account_id, **params}, self.scope)

    def text(self, key: str, **values) -> str:
        return text(key, self.lang, **values)

    def months_window(self, first, last) -> str:
        """ "12 Monate: Dezember 2025 – November 2026" (the count from first to last, both included)."""
        a, b = pd.Timestamp(first), pd.Timestamp(last)
        count = (b.year - a.year) * 12 + b.month - a.month + 1
        return self.text(
            "review.window.months", count=count, first=fmt.month(a, self.lang), last=fmt.month(b, self.lang)
        )

    def days_window(self, days: int) -> str:
        """ "letzte 90 Tage bis 04.12.2026": the window (D − days, D]."""
        return self.text("review.window.days", days=fmt.integer(days, self.lang), as_of=fmt.day(self.as_of, self.lang))

    def at_as_of(self) -> str:
        """ "Stand 04.12.2026": a figure taken on the as-of date."""
        return self.text("review.window.at", as_of=fmt.day(self.as_of, self.lang))

    def month_to_date(self) -> str:
        """ "Dezember 2026 bis 04.12.2026 (laufender Monat)": the running, partial month."""
        return self.text(
            "review.window.month_to_date",
            month=fmt.month(self.as_of, self.lang),
            as_of=fmt.day(self.as_of, self.lang),
        )
