"""The review's early-warning section: every alert of the account (the portfolio lists at most a few per
account and points here for the rest), in the account's own order: severity, then age."""

from __future__ import annotations

import pandas as pd

from kamdata.app import alerts
from kamdata.review.context import Context
from kamdata.review.model import Column, Section, Table


def section(ctx: Context) -> Section:
    found = ctx.run("portfolio_alerts", accounts=[ctx.account_id]).sort_values("rank_in_account")
    result = Section("alerts", ctx.text("review.sections.alerts"))
    if found.empty:
        result.empty = ctx.text("review.alerts.none")
        return result
    frame = pd.DataFrame(
        {
            "severity": [alerts.severity_label(s, ctx.lang) for s in found["severity"]],
            "kind": [alerts.kind_label(k, ctx.lang) for k in found["kind"]],
            "reason": [alerts.alert_text(row, ctx.lang) for _, row in found.iterrows()],
            "high": (found["severity"] == "high").to_numpy(),
        }
    )
    result.tables.append(
        Table(
            "alerts",
            ctx.text("review.alerts.table"),
            frame,
            (
                Column("severity", ctx.text("review.alerts.severity")),
                Column("kind", ctx.text("review.alerts.kind")),
                Column("reason", ctx.text("review.alerts.reason")),
            ),
            window=ctx.at_as_of(),
            highlight="high",
        )
    )
    return result
