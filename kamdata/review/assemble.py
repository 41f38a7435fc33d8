"""Assemble one account's review from the query core: header, then each section's builder in order."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from kamdata import query
from kamdata.app import formats as fmt
from kamdata.app.charts.base import band_label
from kamdata.query import DbVersion, Scope
from kamdata.review import alerts_section, commercial, health_section, service
from kamdata.review.context import Context
from kamdata.review.model import Review, Section

# The sections in the order the page and the pack show them. Each builder takes the Context and
# returns one Section; builders never call each other, so each can be tested on its own.
BUILDERS: tuple[Callable[[Context], Section], ...] = (
    health_section.section,
    alerts_section.section,
    service.sla,
    service.satisfaction,
    service.commitments,
    service.relationship,
    commercial.contracts,
    commercial.growth,
    commercial.sustainability,
    commercial.team,
)


def assemble(version: DbVersion, account_id: str, lang: str, scope: Scope = None) -> Review | None:
    """The review of `account_id` in `lang` (de|en) from database `version`, seen with `scope`
    (None = all accounts); None when the account does not exist or is outside the scope."""
    header = query.run(version, "review_account_health", {"account_id": account_id}, scope)
    if header.empty:
        return None
    row = header.iloc[0]
    params = query.run(version, "kpi_params", {}, scope).iloc[0]
    build = query.run(version, "status_build_info", {}, scope).iloc[0]
    ctx = Context(version, account_id, lang, scope, params)
    band = None if pd.isna(row["band"]) else str(row["band"])
    sections = [build_section(ctx) for build_section in BUILDERS]
    return Review(
        account_id=account_id,
        account_name=str(row["account_name"]),
        industry=fmt.label("industry", row["industry"], lang),
        region=fmt.label("region", row["region"], lang),
        kam_name=str(row["kam_name"]),
        lang=lang,
        as_of=ctx.as_of,
        build_id=str(build["build_id"]),
        health_score=None if pd.isna(row["health_score"]) else float(row["health_score"]),
        band=band,
        band_label=band_label(band, lang),
        cover=health_section.cover(ctx),
        sections=sections,
    )
