"""The review's service sections: SLA, satisfaction, commitments and relationship (issue 9).

Each builder reads the marts through the query core (ctx.run) and returns one Section whose
figures, charts and tables carry their window. Windows used here:

- "12 months": the 12 complete months up to the last complete month (never the running month);
  ratios over them are recomputed from counts (met / (met + breached)), never averaged.
- "month to date": the running month, labelled partial and never judged (malus so far).
- "last N days to D": the KPI windows of KPIS.md (survey 365, commitments 365, proactive share 180).
- "as of D": backlog, open commitments, days since contact.

Texts that come from the data (survey comments, commitment descriptions, interaction subjects)
stay verbatim in the frames: the renderers show them as plain text, never as markup.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from kamdata.app import formats as fmt
from kamdata.review import service_charts as charts
from kamdata.review.context import Context
from kamdata.review.model import Chart, Column, Figure, Section, Table

BREACH_TICKETS_LIMIT = 10
COMMENTS_LIMIT = 10
RECENT_INTERACTIONS_LIMIT = 15
RECENT_INTERACTIONS_DAYS = 365  # the window of review_relationship_recent.sql
BACKLOG_BUCKETS = ("0-2 d", "3-7 d", "8-30 d", "> 30 d")  # mart_ticket_sla.backlog_bucket, in order
COMMITMENT_STATUSES = ("overdue", "open", "kept_on_time", "kept_late")


def _t(ctx: Context, key: str, **values) -> str:
    return ctx.text(f"review_service.{key}", **values)


def _twelve_months(ctx: Context) -> tuple[date, date, str]:
    """First and last month of the 12 complete months before D's month, and their window text."""
    last = ctx.last_complete_month
    first = (pd.Timestamp(last) - pd.DateOffset(months=11)).date()
    return first, last, ctx.months_window(first, last)


def _month_labels(ctx: Context, first: date) -> list[str]:
    return [fmt.short_month(pd.Timestamp(first) + pd.DateOffset(months=k), ctx.lang) for k in range(12)]


def _value(frame: pd.DataFrame, column: str):
    """The column's value on the first row, None when the frame is empty or the value is NULL."""
    if frame.empty or fmt.missing(frame.iloc[0][column]) or pd.isna(frame.iloc[0][column]):
        return None
    return frame.iloc[0][column]


def _count(ctx: Context, n: int, unit: str) -> str:
    """ "1 Ticket" / "15 Tickets": a count with its noun (units in texts/review_service.toml)."""
    return f"{fmt.integer(n, ctx.lang)} {_t(ctx, f'units.{unit}.' + ('one' if n == 1 else 'other'))}"


def _capped_note(ctx: Context, shown: int, total: int, unit: str) -> str | None:
    """ "Die 10 neuesten von 15 Tickets." when the list is cut, else None."""
    if total <= shown:
        return None
    return _t(ctx, "capped", shown=fmt.integer(shown, ctx.lang), total=_count(ctx, total, unit))


# SLA ------------------------------------------------------------------------------------------


def sla(ctx: Context) -> Section:
    """SLA and service quality: compliance by priority vs target, breaches with their tickets, malus,
    PPM, first-time fix, MTTR and the open backlog."""
    result = Section("sla", ctx.text("review.sections.sla"))
    first, last, window = _twelve_months(ctx)
    period_end = (pd.Timestamp(last) + pd.offsets.MonthEnd(0)).date()
    accounts = [ctx.account_id]
    priorities = ctx.run("review_sla_priorities")
    totals = ctx.run("sla_kpis", accounts=accounts, service_lines=None, date_from=first, date_to=period_end)
    backlog = ctx.run("sla_backlog_ageing", accounts=accounts, service_lines=None, date_from=None, date_to=None)
    ppm = ctx.run("sla_ppm", accounts=accounts, service_lines=None, date_from=first, date_to=period_end)
    if priorities.empty and int(backlog["tickets"].sum()) == 0 and ppm["ppm_due"].fillna(0).sum() == 0:
        result.empty = _t(ctx, "sla.none", window=window)
        return result

    _sla_figures(ctx, result, totals, ppm, backlog, window)
    _sla_priorities(ctx, result, priorities, window)
    _sla_chart(ctx, result, first, window)
    _sla_breaches(ctx, result, window)
    _sla_malus(ctx, result, first, period_end, window)
    _sla_ppm(ctx, result, ppm, window)
    _sla_backlog(ctx, result, backlog)
    return result


def _sla_figures(ctx, result, totals, ppm, backlog, window) -> None:
    ppm_total = ppm[ppm["month"].isna()]
    result.figures += [
        Figure(
            "response_compliance",
            _t(ctx, "sla.response_compliance"),
            _value(totals, "response_compliance_pct"),
            "pct",
            window,
        ),
        Figure(
            "resolution_compliance",
            _t(ctx, "sla.resolution_compliance"),
            _value(totals, "resolution_compliance_pct"),
            "pct",
            window,
        ),
        Figure(
            "first_time_fix",
            _t(ctx, "sla.first_time_fix"),
            _value(totals, "first_time_fix_pct"),
            "pct",
            window,
            note=_t(ctx, "sla.resolved_note"),
        ),
        Figure(
            "mttr", _t(ctx, "sla.mttr"), _value(totals, "mttr_h"), "hours", window, note=_t(ctx, "sla.resolved_note")
        ),
        Figure("ppm_compliance", _t(ctx, "sla.ppm_compliance"), _value(ppm_total, "ppm_compliance_pct"), "pct", window),
        Figure("backlog", _t(ctx, "sla.backlog"), int(backlog["tickets"].sum()), "integer", ctx.at_as_of()),
    ]
    result.texts.append(_t(ctx, "sla.rule"))


def _sla_priorities(ctx, result, priorities, window) -> None:
    status = {True: _t(ctx, "sla.below"), False: _t(ctx, "sla.on_target")}
    frame = priorities.assign(
        status=[
            status.get(bool(v), fmt.na(ctx.lang)) if not pd.isna(v) else fmt.na(ctx.lang)
            for v in priorities["below_target"]
        ],
        below=priorities["below_target"].fillna(False).astype(bool),
    )
    result.tables.append(
        Table(
            "sla_priorities",
            _t(ctx, "sla.priorities_title"),
            frame,
            (
                Column("priority", _t(ctx, "col.priority")),
                Column("tickets", _t(ctx, "col.tickets"), "integer"),
                Column("response_compliance_pct", _t(ctx, "col.response_pct"), "pct"),
                Column("resolution_compliance_pct", _t(ctx, "col.resolution_pct"), "pct"),
                Column("target_pct", _t(ctx, "col.target_pct"), "pct"),
                Column("status", _t(ctx, "col.status")),
            ),
            window,
            note=_t(ctx, "sla.priorities_note"),
            highlight="below",
        )
    )


def _sla_chart(ctx, result, first, window) -> None:
    monthly = ctx.run("review_sla_monthly")
    judged = monthly[monthly["resolution_compliance_pct"].notna()]
    if judged.empty:
        return
    status = {True: _t(ctx, "sla.below"), False: _t(ctx, "sla.on_target")}
    data = judged.assign(
        month_label=[fmt.short_month(m, ctx.lang) for m in judged["month"]],
        below_target=judged["below_target"].fillna(False).astype(bool),
    )
    data["below"] = [status[b] for b in data["below_target"]]
    labels = {
        "title": _t(ctx, "sla.chart_title"),
        "month": _t(ctx, "col.month"),
        "pct": _t(ctx, "col.resolution_pct"),
        "target": _t(ctx, "col.target_pct"),
        "tickets": _t(ctx, "col.tickets"),
        "status": _t(ctx, "col.status"),
        "priority": _t(ctx, "col.priority"),
    }
    data = data[
        ["month_label", "priority", "resolution_compliance_pct", "target_pct", "tickets", "below_target", "below"]
    ]
    spec = charts.compliance_vs_target(data, labels, ctx.lang, _month_labels(ctx, first))
    result.charts.append(Chart("sla_resolution_monthly", labels["title"], spec, window))


def _sla_breaches(ctx, result, window) -> None:
    months = ctx.run("review_sla_breach_months")
    result.tables.append(
        Table(
            "sla_breach_months",
            _t(ctx, "sla.breach_months_title"),
            months.assign(breached=True),
            (
                Column("month", _t(ctx, "col.month"), "month"),
                Column("breached_priorities", _t(ctx, "col.breached_priorities")),
                Column("breached_tickets", _t(ctx, "col.breached_tickets"), "integer"),
            ),
            window,
            note=None if not months.empty else _t(ctx, "sla.no_breach_months"),
            highlight="breached",
        )
    )
    result.figures.append(Figure("breach_months", _t(ctx, "sla.breach_months"), len(months), "integer", window))
    if months.empty:
        return
    tickets = ctx.run("review_sla_breach_tickets")
    total = len(tickets)
    tickets = tickets.head(BREACH_TICKETS_LIMIT)
    frame = tickets.assign(
        service_line_label=[fmt.label("service_line", s, ctx.lang) for s in tickets["service_line"]],
        category_label=[fmt.label("category", c, ctx.lang) for c in tickets["category"]],
        created_day=[pd.Timestamp(t).tz_convert(ctx_tz(ctx)).date() for t in tickets["created_at"]],
    )
    result.tables.append(
        Table(
            "sla_breach_tickets",
            _t(ctx, "sla.breach_tickets_title"),
            frame,
            (
                Column("ticket_id", _t(ctx, "col.ticket")),
                Column("created_day", _t(ctx, "col.created"), "date"),
                Column("priority", _t(ctx, "col.priority")),
                Column("site_name", _t(ctx, "col.site")),
                Column("service_line_label", _t(ctx, "col.service_line")),
                Column("category_label", _t(ctx, "col.category")),
                Column("hours_late", _t(ctx, "col.hours_late"), "hours"),
            ),
            window,
            note=_t(ctx, "sla.breach_tickets_note", total=_count(ctx, total, "ticket"))
            + (" " + capped if (capped := _capped_note(ctx, len(frame), total, "ticket")) else ""),
        )
    )


def ctx_tz(ctx: Context) -> str:
    """The build's time zone (kpi_params.kpi_timezone): ticket timestamps are shown on its local date."""
    return str(ctx.params["kpi_timezone"])


def _sla_malus(ctx, result, first, period_end, window) -> None:
    accounts = [ctx.account_id]
    to_date = ctx.run("sla_malus_month_to_date", accounts=accounts)
    if _value(to_date, "exposure_eur") is None:  # no malus terms in the account's contracts
        result.texts.append(_t(ctx, "sla.no_malus_terms"))
        return
    monthly = ctx.run("sla_malus_monthly", accounts=accounts, date_from=first, date_to=period_end)
    monthly = monthly[monthly["account_id"].notna()].reset_index(drop=True)
    monthly = monthly.assign(with_malus=monthly["exposure_eur"] > 0)
    result.figures += [
        Figure(
            "malus_12m",
            _t(ctx, "sla.malus_12m"),
            float(monthly["exposure_eur"].sum()),
            "eur",
            window,
        ),
        Figure(
            "malus_month_to_date",
            _t(ctx, "sla.malus_mtd"),
            float(to_date.iloc[0]["exposure_eur"]),
            "eur",
            ctx.month_to_date(),
            note=_t(ctx, "sla.partial_note"),
        ),
    ]
    result.tables.append(
        Table(
            "sla_malus",
            _t(ctx, "sla.malus_title"),
            monthly,
            (
                Column("month", _t(ctx, "col.month"), "month"),
                Column("monthly_fee_eur", _t(ctx, "col.monthly_fee"), "eur"),
                Column("shortfall_points", _t(ctx, "col.shortfall"), "number"),
                Column("malus_pct", _t(ctx, "col.malus_pct"), "pct"),
                Column("exposure_eur", _t(ctx, "col.exposure"), "eur"),
            ),
            window,
            note=_t(ctx, "sla.malus_note"),
            highlight="with_malus",
        )
    )


def _sla_ppm(ctx, result, ppm, window) -> None:
    months = ppm[ppm["month"].notna()].reset_index(drop=True)
    result.tables.append(
        Table(
            "sla_ppm",
            _t(ctx, "sla.ppm_title"),
            months,
            (
                Column("month", _t(ctx, "col.month"), "month"),
                Column("ppm_due", _t(ctx, "col.ppm_due"), "integer"),
                Column("ppm_on_time", _t(ctx, "col.ppm_on_time"), "integer"),
                Column("ppm_compliance_pct", _t(ctx, "col.ppm_pct"), "pct"),
            ),
            window,
            note=_t(ctx, "sla.ppm_note") if not months.empty else _t(ctx, "sla.no_ppm"),
        )
    )


def _sla_backlog(ctx, result, backlog) -> None:
    wide = backlog.pivot_table(index="backlog_bucket", columns="priority", values="tickets", aggfunc="sum")
    wide = wide.reindex(list(BACKLOG_BUCKETS)).fillna(0).astype(int)
    priority_columns = sorted(str(p) for p in wide.columns)
    frame = pd.DataFrame({"bucket": [_t(ctx, f"sla.bucket.{b}") for b in BACKLOG_BUCKETS]})
    for priority in priority_columns:
        frame[priority] = wide[priority].to_numpy()
    frame["tickets"] = backlog.groupby("backlog_bucket")["tickets"].sum().reindex(list(BACKLOG_BUCKETS)).to_numpy()
    frame["bucket_code"] = list(BACKLOG_BUCKETS)
    result.tables.append(
        Table(
            "sla_backlog",
            _t(ctx, "sla.backlog_title"),
            frame,
            (
                Column("bucket", _t(ctx, "col.age")),
                *(Column(p, p, "integer") for p in priority_columns),
                Column("tickets", _t(ctx, "col.total"), "integer"),
            ),
            ctx.at_as_of(),
            note=_t(ctx, "sla.backlog_note"),
        )
    )


# Satisfaction ---------------------------------------------------------------------------------


def satisfaction(ctx: Context) -> Section:
    """NPS trend (365-day NPS at each month-end and today), survey scores, responses per month and
    the recent comments as plain text."""
    result = Section("satisfaction", ctx.text("review.sections.satisfaction"))
    scores = ctx.run("review_satisfaction_scores")
    trend = ctx.run("review_satisfaction_trend")
    first, _last, window = _twelve_months(ctx)
    monthly = ctx.run("review_satisfaction_monthly")
    comments = ctx.run("review_satisfaction_comments")
    total_comments = len(comments)
    comments = comments.head(COMMENTS_LIMIT)
    days = int(ctx.params["kpi_survey_window_days"])
    score_window = ctx.days_window(days)
    if trend["nps_responses"].sum() == 0 and monthly["responses"].sum() == 0 and comments.empty:
        result.empty = _t(ctx, "satisfaction.none", window=ctx.days_window(days))
        return result

    responses = int(_value(scores, "nps_responses") or 0)
    promoters = int(_value(scores, "nps_promoters") or 0)
    detractors = int(_value(scores, "nps_detractors") or 0)
    result.figures += [
        Figure("nps", _t(ctx, "satisfaction.nps"), _value(scores, "nps"), "number", score_window, decimals=0),
        Figure("csat", _t(ctx, "satisfaction.csat"), _value(scores, "csat"), "number", score_window, decimals=2),
        Figure("responses", _t(ctx, "satisfaction.responses"), responses, "integer", score_window),
        Figure("promoters", _t(ctx, "satisfaction.promoters"), promoters, "integer", score_window),
        Figure(
            "passives", _t(ctx, "satisfaction.passives"), responses - promoters - detractors, "integer", score_window
        ),
        Figure("detractors", _t(ctx, "satisfaction.detractors"), detractors, "integer", score_window),
    ]
    result.texts.append(_t(ctx, "satisfaction.rule", days=fmt.integer(days, ctx.lang)))

    trend_first, trend_last = trend["as_of"].min(), trend["as_of"].max()
    trend_window = _t(
        ctx, "satisfaction.trend_window", first=fmt.day(trend_first, ctx.lang), last=fmt.day(trend_last, ctx.lang)
    )
    point = {True: _t(ctx, "satisfaction.point_today"), False: _t(ctx, "satisfaction.point_month_end")}
    trend = trend.assign(
        point=[point[bool(c)] for c in trend["is_current"]],
        label=[
            fmt.day(d, ctx.lang) if c else fmt.short_month(d, ctx.lang)
            for d, c in zip(trend["as_of"], trend["is_current"], strict=True)
        ],
    )
    if trend["nps"].notna().any():
        labels = {
            "title": _t(ctx, "satisfaction.trend_title", days=fmt.integer(days, ctx.lang)),
            "date": _t(ctx, "col.trend_point"),
            "nps": _t(ctx, "col.nps"),
            "responses": _t(ctx, "col.responses_window", days=fmt.integer(days, ctx.lang)),
            "point": _t(ctx, "col.point"),
        }
        spec = charts.nps_trend(
            trend[["as_of", "label", "nps", "nps_responses", "is_current", "point"]], labels, ctx.lang
        )
        result.charts.append(Chart("nps_trend", labels["title"], spec, trend_window))
    result.tables.append(
        Table(
            "nps_trend",
            _t(ctx, "satisfaction.trend_title", days=fmt.integer(days, ctx.lang)),
            trend,
            (
                Column("as_of", _t(ctx, "col.date"), "date"),
                Column("point", _t(ctx, "col.point")),
                Column("nps", _t(ctx, "col.nps"), "number", 0),
                Column("nps_responses", _t(ctx, "col.responses_window", days=fmt.integer(days, ctx.lang)), "integer"),
            ),
            trend_window,
        )
    )

    groups = (
        ("promoters", _t(ctx, "satisfaction.promoters")),
        ("passives", _t(ctx, "satisfaction.passives")),
        ("detractors", _t(ctx, "satisfaction.detractors")),
    )
    monthly = monthly.assign(
        passives=monthly["responses"] - monthly["promoters"] - monthly["detractors"],
        month_label=[fmt.short_month(m, ctx.lang) for m in monthly["month"]],
    )
    if monthly["responses"].sum() > 0:
        long = pd.concat(
            [
                pd.DataFrame(
                    {"month_label": monthly["month_label"], "group": label, "group_order": k, "responses": monthly[key]}
                )
                for k, (key, label) in enumerate(groups)
            ],
            ignore_index=True,
        )
        labels = {
            "title": _t(ctx, "satisfaction.monthly_title"),
            "month": _t(ctx, "col.month"),
            "responses": _t(ctx, "col.responses"),
            "group": _t(ctx, "col.group"),
        }
        spec = charts.responses_by_month(long, labels, ctx.lang, _month_labels(ctx, first))
        result.charts.append(Chart("survey_responses", labels["title"], spec, window))
    result.tables.append(
        Table(
            "survey_monthly",
            _t(ctx, "satisfaction.monthly_title"),
            monthly,
            (
                Column("month", _t(ctx, "col.month"), "month"),
                Column("responses", _t(ctx, "col.responses"), "integer"),
                Column("promoters", _t(ctx, "satisfaction.promoters"), "integer"),
                Column("passives", _t(ctx, "satisfaction.passives"), "integer"),
                Column("detractors", _t(ctx, "satisfaction.detractors"), "integer"),
                Column("nps", _t(ctx, "col.nps_month"), "number", 0),
                Column("csat", _t(ctx, "col.csat"), "number", 2),
            ),
            window,
            note=_t(ctx, "satisfaction.monthly_note"),
        )
    )

    total = total_comments
    capped = _capped_note(ctx, len(comments), total, "comment")
    result.tables.append(
        Table(
            "survey_comments",
            _t(ctx, "satisfaction.comments_title"),
            comments,
            (
                Column("response_date", _t(ctx, "col.date"), "date"),
                Column("nps", _t(ctx, "col.nps_answer"), "integer"),
                Column("csat", _t(ctx, "col.csat_answer"), "integer"),
                Column("comment", _t(ctx, "col.comment")),
            ),
            score_window,
            note=(capped if capped else None) if total else _t(ctx, "satisfaction.no_comments"),
        )
    )
    return result


# Commitments ----------------------------------------------------------------------------------


def commitments(ctx: Context) -> Section:
    """The commitments ledger: open ones (overdue highlighted, with days overdue), those kept on time
    and kept late in the on-time rate's window, with text and owner; the on-time rate."""
    result = Section("commitments", ctx.text("review.sections.commitments"))
    ledger = ctx.run("review_commitments_ledger")
    rate = ctx.run("review_commitments_rate")
    days = int(ctx.params["kpi_commitment_window_days"])
    window = ctx.days_window(days)
    if ledger.empty and int(_value(rate, "commitments_due") or 0) == 0:
        result.empty = _t(ctx, "commitments.none", window=window)
        return result

    counts = ledger["status"].value_counts()
    due, on_time = int(_value(rate, "commitments_due") or 0), int(_value(rate, "commitments_on_time") or 0)
    result.figures += [
        Figure(
            "ontime_rate",
            _t(ctx, "commitments.ontime_rate"),
            _value(rate, "commitment_ontime_pct"),
            "pct",
            window,
            note=_t(
                ctx, "commitments.ontime_of", on_time=fmt.integer(on_time, ctx.lang), due=fmt.integer(due, ctx.lang)
            ),
        ),
        Figure(
            "open", _t(ctx, "commitments.open"), int(_value(rate, "commitments_open") or 0), "integer", ctx.at_as_of()
        ),
        Figure(
            "overdue",
            _t(ctx, "commitments.overdue"),
            int(_value(rate, "commitments_overdue") or 0),
            "integer",
            ctx.at_as_of(),
        ),
        Figure(
            "kept_on_time", _t(ctx, "commitments.kept_on_time"), int(counts.get("kept_on_time", 0)), "integer", window
        ),
        Figure("kept_late", _t(ctx, "commitments.kept_late"), int(counts.get("kept_late", 0)), "integer", window),
    ]
    result.texts.append(_t(ctx, "commitments.rule", days=fmt.integer(days, ctx.lang)))
    frame = ledger.assign(
        status_label=[_t(ctx, f"commitments.status.{s}") for s in ledger["status"]],
        owner=[
            o if isinstance(o, str) else (i if isinstance(i, str) else fmt.na(ctx.lang))
            for o, i in zip(ledger["owner_name"], ledger["owner_id"], strict=True)
        ],
        is_overdue=ledger["status"] == "overdue",
    )
    result.tables.append(
        Table(
            "commitments_ledger",
            _t(ctx, "commitments.ledger_title"),
            frame,
            (
                Column("status_label", _t(ctx, "col.status")),
                Column("description", _t(ctx, "col.commitment")),
                Column("owner", _t(ctx, "col.owner")),
                Column("promised_on", _t(ctx, "col.promised_on"), "date"),
                Column("due_date", _t(ctx, "col.due_date"), "date"),
                Column("done_on", _t(ctx, "col.done_on"), "date"),
                Column("days_overdue", _t(ctx, "col.days_overdue"), "days"),
                Column("days_late", _t(ctx, "col.days_late"), "days"),
            ),
            _t(ctx, "commitments.ledger_window", at=ctx.at_as_of(), window=window),
            note=_t(ctx, "commitments.ledger_note", days=fmt.integer(days, ctx.lang)),
            highlight="is_overdue",
        )
    )
    return result


# Relationship ---------------------------------------------------------------------------------


def relationship(ctx: Context) -> Section:
    """Interaction timeline, proactive share, days since the last (proactive) contact, the most
    recent interactions and contacts by our employees' department and role."""
    result = Section("relationship", ctx.text("review.sections.relationship"))
    kpis = ctx.run("review_relationship_kpis")
    first, _last, window = _twelve_months(ctx)
    days = int(ctx.params["kpi_proactive_share_days"])
    recent = ctx.run("review_relationship_recent")
    total = len(recent)
    recent = recent.head(RECENT_INTERACTIONS_LIMIT)
    monthly = ctx.run("review_relationship_monthly")
    if _value(kpis, "days_since_contact") is None:
        result.empty = _t(ctx, "relationship.none")
        return result

    never = _t(ctx, "relationship.never")
    since_proactive = _value(kpis, "days_since_proactive")
    result.figures += [
        Figure(
            "proactive_share",
            _t(ctx, "relationship.proactive_share"),
            _value(kpis, "proactive_share_pct"),
            "pct",
            ctx.days_window(days),
            note=_t(
                ctx,
                "relationship.share_of",
                interactions=_count(ctx, int(_value(kpis, "interactions_recent") or 0), "interaction"),
            ),
        ),
        Figure(
            "days_since_proactive",
            _t(ctx, "relationship.days_since_proactive"),
            since_proactive,
            "days",
            ctx.at_as_of(),
            note=never
            if since_proactive is None
            else _t(ctx, "relationship.last_on", day=fmt.day(_value(kpis, "last_proactive_date"), ctx.lang)),
        ),
        Figure(
            "days_since_contact",
            _t(ctx, "relationship.days_since_contact"),
            _value(kpis, "days_since_contact"),
            "days",
            ctx.at_as_of(),
            note=_t(ctx, "relationship.last_on", day=fmt.day(_value(kpis, "last_contact_date"), ctx.lang)),
        ),
        Figure(
            "interactions_12m",
            _t(ctx, "relationship.interactions_12m"),
            int(monthly["interactions"].sum()),
            "integer",
            window,
        ),
    ]

    initiators = [fmt.label("initiator", code, ctx.lang) for code in ("us", "customer")]
    timeline = monthly.assign(
        month_label=[fmt.short_month(m, ctx.lang) for m in monthly["month"]],
        channel_label=[fmt.label("channel", c, ctx.lang) for c in monthly["channel"]],
        initiator=[fmt.label("initiator", i, ctx.lang) for i in monthly["initiated_by"]],
    )
    if not timeline.empty:
        labels = {
            "title": _t(ctx, "relationship.timeline_title"),
            "month": _t(ctx, "col.month"),
            "interactions": _t(ctx, "col.interactions"),
            "channel": _t(ctx, "col.channel"),
            "initiator": _t(ctx, "col.initiated_by"),
        }
        data = timeline[["month_label", "initiator", "interactions"]].assign(channel=timeline["channel_label"])
        spec = charts.interaction_timeline(data, labels, ctx.lang, _month_labels(ctx, first), initiators)
        result.charts.append(Chart("interaction_timeline", labels["title"], spec, window))
    result.tables.append(
        Table(
            "interaction_timeline",
            _t(ctx, "relationship.timeline_title"),
            timeline,
            (
                Column("month", _t(ctx, "col.month"), "month"),
                Column("channel_label", _t(ctx, "col.channel")),
                Column("initiator", _t(ctx, "col.initiated_by")),
                Column("interactions", _t(ctx, "col.interactions"), "integer"),
            ),
            window,
            note=None if not timeline.empty else _t(ctx, "relationship.no_interactions"),
        )
    )

    recent_frame = recent.assign(
        channel_label=[fmt.label("channel", c, ctx.lang) for c in recent["channel"]],
        initiator=[fmt.label("initiator", i, ctx.lang) for i in recent["initiated_by"]],
        employee=[
            n if isinstance(n, str) else (i if isinstance(i, str) else _t(ctx, "relationship.no_employee"))
            for n, i in zip(recent["employee_name"], recent["employee_id"], strict=True)
        ],
        proactive=recent["initiated_by"] == "us",
    )
    result.tables.append(
        Table(
            "recent_interactions",
            _t(ctx, "relationship.recent_title"),
            recent_frame,
            (
                Column("interaction_date", _t(ctx, "col.date"), "date"),
                Column("channel_label", _t(ctx, "col.channel")),
                Column("initiator", _t(ctx, "col.initiated_by")),
                Column("employee", _t(ctx, "col.employee")),
                Column("subject", _t(ctx, "col.subject")),
            ),
            ctx.days_window(RECENT_INTERACTIONS_DAYS),
            note=_capped_note(ctx, len(recent_frame), total, "interaction")
            or (None if total else _t(ctx, "relationship.no_interactions")),
        )
    )

    roles = ctx.run("review_relationship_roles")
    unknown = _t(ctx, "relationship.no_employee")
    roles = roles.assign(
        department_label=[
            fmt.label("department", d, ctx.lang) if isinstance(d, str) else unknown for d in roles["department"]
        ],
        role_label=[fmt.label("role", r, ctx.lang) if isinstance(r, str) else unknown for r in roles["role"]],
    )
    result.tables.append(
        Table(
            "contacts_by_role",
            _t(ctx, "relationship.roles_title"),
            roles,
            (
                Column("department_label", _t(ctx, "col.department")),
                Column("role_label", _t(ctx, "col.role")),
                Column("interactions", _t(ctx, "col.interactions"), "integer"),
                Column("proactive", _t(ctx, "col.proactive"), "integer"),
                Column("employees", _t(ctx, "col.employees"), "integer"),
                Column("last_date", _t(ctx, "col.last_date"), "date"),
            ),
            window,
            note=_t(ctx, "relationship.roles_note"),
        )
    )
    return result
