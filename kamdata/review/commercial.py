"""The review's commercial sections: contracts and renewal, growth, sustainability, team.

Each builder reads the marts through the query core (ctx.run) and returns one Section; values stay
raw (euros, percentages, dates), codes become labels in the language (fmt.label), and every figure,
table and chart says its window. No Streamlit here.

Works-council rule (team): the minimum group size is the app setting app.min_group_size
(kamdata.settings.min_group_size), applied in the query
review_team_composition.sql like workload_team_composition.sql: head counts per role and department,
hours and load only for a whole team of at least that many people, never a person's figures.
"""

from __future__ import annotations

import pandas as pd

from kamdata.app import formats as fmt
from kamdata.app.charts import sustainability as sustainability_charts
from kamdata.review import commercial_charts
from kamdata.review.context import Context
from kamdata.review.model import Chart, Column, Figure, Section, Table
from kamdata.settings import min_group_size

TOP_SITES = 10  # sites listed in the sustainability section (the largest consumers)


def _t(ctx: Context, key: str, **values) -> str:
    return ctx.text(f"review_commercial.{key}", **values)


def _yes_no(ctx: Context, value) -> str | None:
    if fmt.missing(value):
        return None
    return _t(ctx, "yes" if bool(value) else "no")


def _value(frame: pd.DataFrame, column: str):
    """The first row's value, None when the frame is empty or the value is NULL."""
    if frame.empty:
        return None
    value = frame.iloc[0][column]
    return None if fmt.missing(value) else value


def _month_window(ctx: Context, month) -> str:
    return _t(ctx, "window.month", month=fmt.month(month, ctx.lang))


# ---------------------------------------------------------------- contracts and renewal


def contracts(ctx: Context) -> Section:
    """Contracts per service line with ACV, notice deadline and renewal window; revenue and margin,
    the last 12 complete months against the 12 before, and the 24 months by month."""
    section = Section("contracts", ctx.text("review.sections.contracts"))
    listed = ctx.run("review_contracts_list")
    summary = ctx.run("review_contracts_summary")
    monthly = ctx.run("review_contracts_revenue_monthly")
    if listed.empty and monthly.empty and _value(summary, "revenue_12m_eur") is None:
        section.empty = _t(ctx, "contracts.none")
        return section
    days = int(ctx.params["kpi_renewal_window_days"])
    at = ctx.at_as_of()
    section.figures.append(Figure("acv", _t(ctx, "contracts.acv"), _value(summary, "acv_eur"), "eur", at))
    section.figures.append(
        Figure("active_contracts", _t(ctx, "contracts.active"), _value(summary, "active_contracts"), "integer", at)
    )
    deadline = _value(summary, "next_notice_deadline")
    note = _t(ctx, "contracts.no_deadline")
    if deadline is not None:
        contract = _value(summary, "next_notice_contract_id")
        line = listed.loc[listed["contract_id"] == contract, "service_line"]
        note = _t(
            ctx,
            "contracts.next_deadline_note",
            contract=contract,
            line=fmt.label("service_line", line.iloc[0] if len(line) else None, ctx.lang),
            window=_yes_no(ctx, _value(summary, "in_renewal_window")),
        )
    section.figures.append(
        Figure("next_notice_deadline", _t(ctx, "contracts.next_deadline"), deadline, "date", at, note=note)
    )
    if not listed.empty:
        _contracts_table(ctx, section, listed, days)
    _revenue(ctx, section, summary, monthly)
    return section


def _contracts_table(ctx: Context, section: Section, listed: pd.DataFrame, days: int) -> None:
    frame = pd.DataFrame(
        {
            "contract_id": listed["contract_id"],
            "service_line": [fmt.label("service_line", c, ctx.lang) for c in listed["service_line"]],
            "start_date": listed["start_date"],
            "end_date": listed["end_date"],
            "annual_value_eur": listed["annual_value_eur"],
            "notice_period_days": listed["notice_period_days"],
            "notice_deadline": listed["notice_deadline"],
            "in_renewal_window_text": [_yes_no(ctx, v) for v in listed["in_renewal_window"]],
            "auto_renew": [_yes_no(ctx, v) for v in listed["auto_renew"]],
            "is_active": [_yes_no(ctx, v) for v in listed["is_active"]],
            "in_renewal_window": listed["in_renewal_window"].astype(bool).to_numpy(),
        }
    )
    section.tables.append(
        Table(
            "contracts",
            _t(ctx, "contracts.table"),
            frame,
            (
                Column("contract_id", _t(ctx, "contracts.contract_id")),
                Column("service_line", _t(ctx, "contracts.service_line")),
                Column("start_date", _t(ctx, "contracts.start"), "date"),
                Column("end_date", _t(ctx, "contracts.end"), "date"),
                Column("annual_value_eur", _t(ctx, "contracts.value"), "eur"),
                Column("notice_period_days", _t(ctx, "contracts.notice_days"), "days"),
                Column("notice_deadline", _t(ctx, "contracts.deadline"), "date"),
                Column("in_renewal_window_text", _t(ctx, "contracts.in_window")),
                Column("auto_renew", _t(ctx, "contracts.auto_renew")),
                Column("is_active", _t(ctx, "contracts.is_active")),
            ),
            window=ctx.at_as_of(),
            note=_t(ctx, "contracts.table_note", days=days),
            highlight="in_renewal_window",
        )
    )
    renewing = listed[listed["in_renewal_window"].astype(bool)]
    if not renewing.empty:
        names = ", ".join(
            f"{row.contract_id} ({fmt.label('service_line', row.service_line, ctx.lang)}, "
            f"{fmt.day(row.notice_deadline, ctx.lang)})"
            for row in renewing.itertuples()
        )
        count = "one" if len(renewing) == 1 else "other"
        section.texts.append(_t(ctx, f"contracts.renewal_text.{count}", n=len(renewing), days=days, contracts=names))


def _revenue(ctx: Context, section: Section, summary: pd.DataFrame, monthly: pd.DataFrame) -> None:
    lcm = ctx.last_complete_month
    recent_from, prior_from, prior_until = ((pd.Timestamp(lcm) - pd.DateOffset(months=n)).date() for n in (11, 23, 12))
    recent = ctx.months_window(recent_from, lcm)
    prior = ctx.months_window(prior_from, prior_until)
    growth = _value(summary, "revenue_growth_pct")
    section.figures += [
        Figure("revenue_12m", _t(ctx, "contracts.revenue_12m"), _value(summary, "revenue_12m_eur"), "eur", recent),
        Figure(
            "revenue_prior_12m",
            _t(ctx, "contracts.revenue_prior"),
            _value(summary, "revenue_prior_12m_eur"),
            "eur",
            prior,
        ),
        Figure(
            "revenue_growth",
            _t(ctx, "contracts.growth"),
            growth,
            "pct",
            _t(ctx, "window.growth", recent=recent, prior=prior),
            note=None if growth is not None else _t(ctx, "contracts.growth_na"),
        ),
        Figure(
            "margin",
            _t(ctx, "contracts.margin"),
            _value(summary, "margin_pct"),
            "pct",
            recent,
            note=_t(ctx, "contracts.margin_note"),
        ),
    ]
    window24 = ctx.months_window(prior_from, lcm)
    if monthly.empty:
        section.texts.append(_t(ctx, "contracts.no_revenue"))
        return
    period = [_t(ctx, "contracts.recent" if r else "contracts.prior") for r in monthly["recent"]]
    frame = pd.DataFrame(
        {
            "month": pd.to_datetime(monthly["month"]).dt.date,
            "period": period,
            "revenue_eur": monthly["revenue_eur"],
            "cost_eur": monthly["cost_eur"],
            "margin_pct": monthly["margin_pct"],
        }
    )
    section.tables.append(
        Table(
            "revenue_monthly",
            _t(ctx, "contracts.revenue_table"),
            frame,
            (
                Column("month", _t(ctx, "contracts.month"), "month"),
                Column("period", _t(ctx, "contracts.period")),
                Column("revenue_eur", _t(ctx, "contracts.revenue"), "eur"),
                Column("cost_eur", _t(ctx, "contracts.cost"), "eur"),
                Column("margin_pct", _t(ctx, "contracts.margin_pct"), "pct"),
            ),
            window=window24,
            note=_t(ctx, "contracts.revenue_note"),
        )
    )
    labels = {
        "month": _t(ctx, "contracts.month"),
        "revenue": _t(ctx, "contracts.revenue"),
        "margin": _t(ctx, "contracts.margin_pct"),
        "period": _t(ctx, "contracts.period"),
        "recent": _t(ctx, "contracts.recent"),
        "prior": _t(ctx, "contracts.prior"),
    }
    section.charts.append(
        Chart(
            "revenue_monthly",
            _t(ctx, "contracts.chart"),
            commercial_charts.revenue_chart(frame, labels, ctx.lang),
            window24,
        )
    )


# ---------------------------------------------------------------- growth


def cross_sell_reason(row, lang: str) -> str:
    """ "7 von 12 Accounts der Branche Gesundheitswesen haben Reinigung (58 %)": a portfolio aggregate
    of the account's industry (counts and share, never another account's name); for a scoped user
    whose industry has too few other accounts (kamdata.query's masked views) the counts are withheld."""
    from kamdata.app.i18n import text

    industry = fmt.label("industry", row["industry"], lang)
    if fmt.missing(row["industry_accounts"]):
        return text("review_commercial.growth.reason_withheld", lang, industry=industry, n=min_group_size())
    return text(
        "review_commercial.growth.reason_text",
        lang,
        holders=fmt.integer(row["industry_holders"], lang),
        accounts=fmt.count(row["industry_accounts"], "account", lang),
        industry=industry,
        line=fmt.label("service_line", row["service_line"], lang),
        share=fmt.pct(row["industry_share_pct"], lang, 0),
    )


def growth(ctx: Context) -> Section:
    """Open opportunities and the open pipeline; white space and cross-sell suggestions with reasons."""
    section = Section("growth", ctx.text("review.sections.growth"))
    at = ctx.at_as_of()
    opportunities = ctx.run("review_growth_opportunities")
    whitespace = ctx.run("review_growth_whitespace")
    is_cross_sell = whitespace["is_cross_sell"].fillna(False).astype(bool)  # NULL: peer counts withheld
    peers_withheld = bool(whitespace["industry_accounts"].isna().any())
    section.figures += [
        Figure(
            "open_pipeline", _t(ctx, "growth.pipeline"), float(opportunities["expected_value_eur"].sum()), "eur", at
        ),
        Figure("open_opportunities", _t(ctx, "growth.open_count"), len(opportunities), "integer", at),
        Figure(
            "cross_sell",
            _t(ctx, "growth.cross_sell_count"),
            None if peers_withheld else int(is_cross_sell.sum()),
            "integer",
            at,
            note=_t(ctx, "growth.peers_withheld", n=min_group_size()) if peers_withheld else None,
        ),
    ]
    if opportunities.empty:
        section.texts.append(_t(ctx, "growth.no_opportunities"))
    else:
        close = pd.to_datetime(opportunities["expected_close"])
        frame = pd.DataFrame(
            {
                "opportunity_id": opportunities["opportunity_id"],
                "service_line": [fmt.label("service_line", c, ctx.lang) for c in opportunities["service_line"]],
                "stage": [fmt.label("stage", s, ctx.lang) for s in opportunities["stage"]],
                "expected_value_eur": opportunities["expected_value_eur"],
                "expected_close": close.dt.date,
                "created_on": pd.to_datetime(opportunities["created_on"]).dt.date,
                "close_passed": (close < pd.Timestamp(ctx.as_of)).fillna(False).to_numpy(),
            }
        )
        section.tables.append(
            Table(
                "opportunities",
                _t(ctx, "growth.opportunities"),
                frame,
                (
                    Column("opportunity_id", _t(ctx, "growth.opportunity_id")),
                    Column("service_line", _t(ctx, "contracts.service_line")),
                    Column("stage", _t(ctx, "growth.stage")),
                    Column("expected_value_eur", _t(ctx, "growth.value"), "eur"),
                    Column("expected_close", _t(ctx, "growth.close"), "date"),
                    Column("created_on", _t(ctx, "growth.created"), "date"),
                ),
                window=at,
                note=_t(ctx, "growth.opportunities_note"),
                highlight="close_passed",
            )
        )
    if whitespace.empty:
        section.texts.append(_t(ctx, "growth.no_whitespace"))
        return section
    reasons = [cross_sell_reason(row, ctx.lang) for _, row in whitespace.iterrows()]
    frame = pd.DataFrame(
        {
            "service_line": [fmt.label("service_line", c, ctx.lang) for c in whitespace["service_line"]],
            "cross_sell_text": [_yes_no(ctx, v) for v in whitespace["is_cross_sell"]],
            "industry_holders": whitespace["industry_holders"],
            "industry_accounts": whitespace["industry_accounts"],
            "industry_share_pct": whitespace["industry_share_pct"],
            "reason": reasons,
            "cross_sell": is_cross_sell.to_numpy(),
        }
    )
    share = fmt.pct(100 * float(ctx.params["kpi_cross_sell_min_share"]), ctx.lang, 0)
    section.tables.append(
        Table(
            "whitespace",
            _t(ctx, "growth.whitespace"),
            frame,
            (
                Column("service_line", _t(ctx, "contracts.service_line")),
                Column("cross_sell_text", _t(ctx, "growth.cross_sell")),
                Column("industry_holders", _t(ctx, "growth.holders"), "integer"),
                Column("industry_accounts", _t(ctx, "growth.industry_accounts"), "integer"),
                Column("industry_share_pct", _t(ctx, "growth.share"), "pct", 0),
                Column("reason", _t(ctx, "growth.reason")),
            ),
            window=at,
            note=_t(ctx, "growth.whitespace_note", share=share),
            highlight="cross_sell",
        )
    )
    for row, reason in zip(frame.itertuples(), reasons, strict=True):
        if row.cross_sell:
            section.texts.append(_t(ctx, "growth.suggestion_text", line=row.service_line, reason=reason))
    return section


# ---------------------------------------------------------------- sustainability


def _status_key(row, running_year: int) -> str | None:
    if row["year"] >= running_year:
        return "open"
    if fmt.missing(row["on_track"]):
        return None
    return "on_track" if bool(row["on_track"]) else "off_track"


def sustainability(ctx: Context) -> Section:
    """Energy, CO2e, EUI and coverage per year against the target path; top sites of the last complete year."""
    section = Section("sustainability", ctx.text("review.sections.sustainability"))
    yearly = ctx.run("sustainability_accounts", accounts=[ctx.account_id], date_from=None, date_to=None)
    if yearly.empty:
        section.empty = _t(ctx, "sustainability.none")
        return section
    yearly = yearly.sort_values("year").reset_index(drop=True)
    running_year = ctx.as_of.year
    has_target = yearly["baseline_year"].notna().any()
    if has_target:  # the running year like for like (same months of the baseline year), as the Sustainability page
        running = ctx.run("sustainability_running_year", accounts=[ctx.account_id])
        ytd = _value(running, "reduction_ytd_pct")
        yearly.loc[yearly["year"] >= running_year, "reduction_pct"] = ytd
    yearly["on_track"] = yearly["on_track"].where(yearly["year"] < running_year, None)
    status_key = [_status_key(row, running_year) if has_target else None for _, row in yearly.iterrows()]
    labels = {k: _t(ctx, f"sustainability.{k}") for k in ("on_track", "off_track", "open", "not_judged")}
    partial = (yearly["year"] >= running_year).to_numpy()
    year_label = [
        _t(ctx, "sustainability.year_partial", year=int(y)) if p else str(int(y))
        for y, p in zip(yearly["year"], partial, strict=True)
    ]
    frame = pd.DataFrame(
        {
            "year": year_label,
            "mwh": yearly["kwh"] / 1000,
            "t_co2e": yearly["kg_co2e"] / 1000,
            "eui_kwh_m2": yearly["eui_kwh_m2"],
            "reduction_pct": yearly["reduction_pct"],
            "target_path_pct": yearly["target_path_pct"],
            "status": [labels[k] if k else (labels["not_judged"] if has_target else None) for k in status_key],
            "coverage_pct": yearly["coverage_pct"],
            "partial": partial,
        }
    )
    first, last = int(yearly["year"].min()), int(yearly["year"].max())
    years_window = (
        _t(ctx, "window.years", first=first, last=last, as_of=fmt.day(ctx.as_of, ctx.lang))
        if last >= running_year
        else _t(ctx, "window.years_complete", first=first, last=last)
    )
    _sustainability_figures(ctx, section, yearly, running_year)
    columns = [
        Column("year", _t(ctx, "sustainability.year")),
        Column("mwh", _t(ctx, "sustainability.energy"), "number"),
        Column("t_co2e", _t(ctx, "sustainability.co2e"), "number"),
        Column("eui_kwh_m2", _t(ctx, "sustainability.eui"), "number"),
    ]
    if has_target:
        target = yearly.dropna(subset=["baseline_year"]).iloc[0]
        columns += [
            Column("reduction_pct", _t(ctx, "sustainability.reduction"), "pct"),
            Column("target_path_pct", _t(ctx, "sustainability.path"), "pct"),
            Column("status", _t(ctx, "sustainability.status")),
        ]
        note = _t(
            ctx,
            "sustainability.years_note",
            baseline=int(target["baseline_year"]),
            target=fmt.pct(target["target_reduction_pct"], ctx.lang, 0),
            target_year=int(target["target_year"]),
        )
    else:
        section.texts.append(_t(ctx, "sustainability.no_target"))
        note = _t(ctx, "sustainability.no_target_note")
    columns.append(Column("coverage_pct", _t(ctx, "sustainability.coverage"), "pct"))
    section.tables.append(
        Table("years", _t(ctx, "sustainability.years_table"), frame, tuple(columns), years_window, note=note)
    )
    section.charts.append(_sustainability_chart(ctx, yearly, frame, status_key, has_target, years_window))
    _top_sites(ctx, section, yearly, running_year)
    return section


def _sustainability_figures(ctx: Context, section: Section, yearly: pd.DataFrame, running_year: int) -> None:
    complete = yearly[yearly["year"] < running_year]
    if complete.empty:
        section.texts.append(_t(ctx, "sustainability.no_complete_year"))
        return
    row = complete.iloc[-1]
    window = _t(ctx, "window.year", year=int(row["year"]))
    section.figures += [
        Figure("energy_mwh", _t(ctx, "sustainability.energy"), row["kwh"] / 1000, "number", window),
        Figure("co2e_t", _t(ctx, "sustainability.co2e"), row["kg_co2e"] / 1000, "number", window),
        Figure("eui", _t(ctx, "sustainability.eui"), row["eui_kwh_m2"], "number", window),
        Figure("coverage", _t(ctx, "figure.coverage"), row["coverage_pct"], "pct", window),
    ]
    if not fmt.missing(row["baseline_year"]):
        judged = (
            None
            if fmt.missing(row["on_track"])
            else _t(ctx, f"sustainability.{'on_track' if row['on_track'] else 'off_track'}")
        )
        section.figures += [
            Figure("reduction", _t(ctx, "figure.reduction"), _none(row["reduction_pct"]), "pct", window, note=judged),
            Figure("target_path", _t(ctx, "figure.path"), _none(row["target_path_pct"]), "pct", window),
        ]


def _none(value):
    return None if fmt.missing(value) else value


def _sustainability_chart(
    ctx: Context, yearly: pd.DataFrame, frame: pd.DataFrame, status_key: list, has_target: bool, window: str
) -> Chart:
    if has_target:
        from_baseline = (yearly["year"] >= yearly["baseline_year"]).fillna(False).to_numpy()
        status = [_t(ctx, f"sustainability.{k}") if isinstance(k, str) else None for k in status_key]
        keys = [k if not fmt.missing(r) else None for k, r in zip(status_key, yearly["reduction_pct"], strict=True)]
        reduction = pd.DataFrame(
            {
                "year": yearly["year"].astype(int),
                "series": _t(ctx, "sustainability.reduction"),
                "pct": yearly["reduction_pct"],
                "path_pct": yearly["target_path_pct"],
                "status_key": keys,
                "status": [s if k else None for s, k in zip(status, keys, strict=True)],
            }
        )[from_baseline]
        path = pd.DataFrame(
            {
                "year": yearly["year"].astype(int),
                "series": _t(ctx, "sustainability.path"),
                "pct": yearly["target_path_pct"],
                "path_pct": yearly["target_path_pct"],
                "status_key": None,
                "status": None,
            }
        )[from_baseline]
        rows = pd.concat([reduction, path], ignore_index=True).dropna(subset=["pct"])
        labels = {
            "year": _t(ctx, "sustainability.year"),
            "pct": _t(ctx, "sustainability.reduction"),
            "series": _t(ctx, "sustainability.series"),
            "reduction": _t(ctx, "sustainability.reduction"),
            "path": _t(ctx, "sustainability.path"),
            "status": _t(ctx, "sustainability.status"),
        }
        chart = sustainability_charts.path_chart(rows, labels, ctx.lang).properties(
            width=commercial_charts.WIDTH, height=commercial_charts.HEIGHT
        )
        return Chart("target_path", _t(ctx, "sustainability.path_chart"), chart.to_dict(), window)
    labels = {"year": _t(ctx, "sustainability.year"), "co2e": _t(ctx, "sustainability.co2e")}
    spec = commercial_charts.co2e_chart(
        frame[["year", "t_co2e", "partial"]].rename(columns={"year": "year_label"}), labels, ctx.lang
    )
    return Chart("co2e", _t(ctx, "sustainability.co2e_chart"), spec, window)


def _top_sites(ctx: Context, section: Section, yearly: pd.DataFrame, running_year: int) -> None:
    complete = yearly[yearly["year"] < running_year]
    if complete.empty:
        return
    year = int(complete["year"].max())
    sites = ctx.run("sustainability_sites", accounts=[ctx.account_id], year=year).head(TOP_SITES)
    if sites.empty:
        return
    frame = pd.DataFrame(
        {
            "site_name": sites["site_name"],
            "city": sites["city"],
            "mwh": sites["kwh"] / 1000,
            "eui_kwh_m2": sites["eui_kwh_m2"],
            "coverage_pct": sites["coverage_pct"],
        }
    )
    section.tables.append(
        Table(
            "top_sites",
            _t(ctx, "sustainability.sites_table"),
            frame,
            (
                Column("site_name", _t(ctx, "sustainability.site")),
                Column("city", _t(ctx, "sustainability.city")),
                Column("mwh", _t(ctx, "sustainability.energy"), "number"),
                Column("eui_kwh_m2", _t(ctx, "sustainability.eui"), "number"),
                Column("coverage_pct", _t(ctx, "sustainability.coverage"), "pct"),
            ),
            window=_t(ctx, "window.year", year=year),
            note=_t(ctx, "sustainability.sites_note", n=len(frame), year=year),
        )
    )


# ---------------------------------------------------------------- team


def team(ctx: Context, group_size: int | None = None) -> Section:
    """The account team by role and department (head counts), the whole team's hours booked vs
    allocated and its load in the last complete month (withheld below the minimum group size), and
    the highest utilisation as the health score's team component reads it. No per-person rows."""
    n = min_group_size() if group_size is None else group_size
    section = Section("team", ctx.text("review.sections.team"))
    data = ctx.run("review_team_composition", min_group_size=n)
    if data.empty:
        section.empty = _t(ctx, "team.none")
        return section
    whole = data[data["grain"] == "team"].iloc[0]
    groups = data[data["grain"] == "role_department"]
    at = ctx.at_as_of()
    month = _month_window(ctx, ctx.last_complete_month)
    withheld = bool(whole["suppressed"])
    withheld_note = (
        _t(ctx, "team.withheld", n=n, members=fmt.count(whole["members"], "person", ctx.lang)) if withheld else None
    )
    section.figures += [
        Figure("members", _t(ctx, "team.members"), int(whole["members"]), "integer", at),
        Figure("roles", _t(ctx, "team.roles"), int(whole["roles"]), "integer", at),
        Figure("departments", _t(ctx, "team.departments"), int(whole["departments"]), "integer", at),
        Figure(
            "allocated_h", _t(ctx, "figure.allocated"), _none(whole["allocated_h"]), "hours", month, 0, withheld_note
        ),
        Figure("booked_h", _t(ctx, "figure.booked"), _none(whole["booked_h"]), "hours", month, 0, withheld_note),
        Figure(
            "load",
            _t(ctx, "figure.load"),
            _none(whole["load_pct"]),
            "pct",
            month,
            note=withheld_note or _t(ctx, "team.load_note"),
        ),
    ]
    utilisation = ctx.run("review_team_utilisation")
    threshold = _value(utilisation, "overload_threshold_pct")
    section.figures.append(
        Figure(
            "max_utilisation",
            _t(ctx, "figure.max_utilisation"),
            _value(utilisation, "team_max_utilisation_pct"),
            "pct",
            month,
            note=_t(ctx, "team.max_utilisation_note", threshold=fmt.pct(threshold, ctx.lang, 0)),
        )
    )
    frame = pd.DataFrame(
        {
            "team_role": [fmt.label("team_role", r, ctx.lang) for r in groups["team_role"]],
            "department": [fmt.label("department", d, ctx.lang) for d in groups["department"]],
            "members": groups["members"].astype(int).to_numpy(),
        }
    )
    section.tables.append(
        Table(
            "team",
            _t(ctx, "team.table"),
            frame,
            (
                Column("team_role", _t(ctx, "team.role")),
                Column("department", _t(ctx, "team.department")),
                Column("members", _t(ctx, "team.members"), "integer"),
            ),
            window=at,
            note=_t(ctx, "team.rule", n=n),
        )
    )
    if withheld_note:
        section.texts.append(withheld_note)
    return section
