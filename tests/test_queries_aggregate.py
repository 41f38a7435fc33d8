"""The landing views read pre-aggregated SLA counts (mart_sla_month_lines, mart_sla_daily through
filtered_sla_counts) instead of the ticket grain: every rewritten query returns exactly the frame of
its ticket-grain definition, on the app fixture and on the generated small demo, for the default
period and for filtered cases (account, region, service line, date windows cutting months, scope).

The references are the query files as they were before (issue 12): sla_kpis and sla_backlog_ageing
counted mart_ticket_sla rows, sla_compliance summed mart_sla_daily (filtered_sla_days),
filters_service_lines read every contract and ticket, status_tickets_no_sla judged every ticket
(mart_ticket_sla, now a view) to find those without an SLA. MTTR in the sla_kpis reference uses the one
rule, mttr_h, over the ticket grain (the rule's values are pinned in tests/test_marts_sla.py).
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from kamdata import query

REFERENCE = {
    "sla_kpis": """
        with tickets as (
            select * from filtered_tickets($accounts, $service_lines, $date_from, $date_to)
        )
        select
            count(*) as tickets,
            compliance_pct(count_if(response_status = 'met'), count_if(response_status = 'breached'))
                as response_compliance_pct,
            compliance_pct(count_if(resolution_status = 'met'), count_if(resolution_status = 'breached'))
                as resolution_compliance_pct,
            mttr_h(resolution_s) as mttr_h,
            pct(count_if(resolution_h is not null and first_time_fix),
                count_if(resolution_h is not null and first_time_fix is not null)) as first_time_fix_pct,
            count(*) filter (where escalated) as escalated,
            pct(count_if(escalated), count(*)) as escalation_pct,
            count(*) filter (where is_backlog) as backlog,
            count(*) filter (where no_sla) as tickets_no_sla
        from tickets""",
    "sla_backlog_ageing": """
        with tickets as (
            select * from filtered_tickets($accounts, $service_lines, $date_from, $date_to) where is_backlog
        ),
        buckets as (
            select * from (values (1, '0-2 d'), (2, '3-7 d'), (3, '8-30 d'), (4, '> 30 d'))
                as b(bucket_order, backlog_bucket)
        )
        select buckets.bucket_order, buckets.backlog_bucket, tickets.priority, count(tickets.ticket_id) as tickets
        from buckets
        left join tickets using (backlog_bucket)
        group by buckets.bucket_order, buckets.backlog_bucket, tickets.priority
        order by buckets.bucket_order, tickets.priority""",
    "filters_service_lines": """
        with lines as (
            select account_id, service_line from stg_contracts
            union
            select account_id, service_line from stg_tickets
        )
        select distinct service_line from lines order by service_line""",
    "status_tickets_no_sla": """
        select t.ticket_id, t.account_id, a.account_name, t.priority, t.service_line, t.created_date
        from filtered_tickets($accounts, $service_lines, $date_from, $date_to) as t
        left join mart_accounts as a on a.account_id = t.account_id
        where t.no_sla
        order by t.created_date desc, t.ticket_id""",
    # the same file over the day grain: the counts it sums must not change
    "sla_compliance": query.load("sla_compliance").sql.replace("filtered_sla_counts", "filtered_sla_days"),
}
COUNTS = """
    select account_id, month, priority, service_line, {sums}
    from {source}
    group by all
    order by all"""


def _reference(version, name: str, params: dict, scope=None) -> pd.DataFrame:
    sql = REFERENCE[name]
    return query.run_sql(version, sql, {k: params[k] for k in query._PARAM.findall(sql)}, scope)


def _variants(version) -> dict[str, dict]:
    """Parameter sets: the page default (12 calendar months up to D), none, one account, a region's
    accounts, one service line, windows that cut months at both ends, one day, before any data."""
    as_of = pd.Timestamp(query.run(version, "status_build_info")["as_of"].iloc[0]).date()
    accounts = query.run(version, "filters_accounts")
    region = accounts["region"].dropna().iloc[0]
    lines = query.run(version, "filters_service_lines")["service_line"].tolist()
    start = date(as_of.year - 1, as_of.month, 1) + pd.DateOffset(months=1)
    base = {"accounts": None, "service_lines": None, "date_from": None, "date_to": None}
    default = {**base, "date_from": start.date(), "date_to": as_of}
    return {
        "default": default,
        "none": base,
        "account": {**default, "accounts": [accounts["account_id"].iloc[0]]},
        "region": {**default, "accounts": accounts.loc[accounts["region"] == region, "account_id"].tolist()},
        "service_line": {**default, "service_lines": [lines[0]]},
        "cut_months": {**base, "date_from": date(as_of.year - 1, 3, 17), "date_to": date(as_of.year, 2, 9)},
        "open_start": {**base, "date_to": date(as_of.year, 6, 15), "service_lines": lines[-2:]},
        "one_day": {**base, "date_from": as_of, "date_to": as_of},
        "no_data": {**base, "date_from": date(1990, 1, 1), "date_to": date(1990, 12, 31)},
    }


def _assert_same(version, scope=None) -> None:
    for variant, filters in _variants(version).items():
        params = {**filters, "running_month_min_judged": 5}
        for name in REFERENCE:
            got = query.run(version, name, params, scope)
            want = _reference(version, name, params, scope)
            try:
                pd.testing.assert_frame_equal(got, want, check_exact=True)
            except AssertionError as exc:
                raise AssertionError(f"{name}, {variant}: {exc}") from None
        # the macro itself: its counts per account, month, priority and line are the ticket grain's
        columns = query.run_sql(version, "select * from mart_sla_month_lines limit 0", {}).columns[4:]
        sums = ", ".join(f"sum({c})::bigint as {c}" for c in columns)
        args = "($accounts, $service_lines, $date_from, $date_to)"
        got = query.run_sql(version, COUNTS.format(sums=sums, source=f"filtered_sla_counts{args}"), filters, scope)
        want = query.run_sql(version, COUNTS.format(sums=sums, source=f"filtered_sla_days{args}"), filters, scope)
        pd.testing.assert_frame_equal(got, want, check_exact=True)


def test_aggregated_queries_equal_the_ticket_grain_on_the_fixture(app_version):
    _assert_same(app_version)
    _assert_same(app_version, scope=("A1",))


@pytest.fixture(scope="module")
def small_demo(tmp_path_factory):
    """The small generated demo built as of 2026-12-04 (tens of thousands of tickets)."""
    from kamdata.build.runner import run_build
    from kamdata.demo.generate import generate

    root = tmp_path_factory.mktemp("aggregate-demo")
    generate(root / "export", scale="small", seed=7, as_of=date(2026, 12, 4))
    run_build(root / "export", root / "db" / "kam.duckdb", quiet=True)
    return query.current_version(root / "db" / "kam.duckdb")


def test_aggregated_queries_equal_the_ticket_grain_on_the_demo(small_demo):
    totals = query.run_sql(small_demo, "select count(*) as n from mart_sla_month_lines", {})["n"].iloc[0]
    daily = query.run_sql(small_demo, "select count(*) as n from mart_sla_daily", {})["n"].iloc[0]
    assert 0 < totals < daily  # the monthly grain is coarser, or the test compares nothing
    _assert_same(small_demo)


def test_day_grain_still_matches_the_tickets(app_version):
    # mart_sla_daily's new counts are the ticket grain's (the reference of filtered_sla_counts)
    got = query.run_sql(
        app_version,
        "select sum(ftf_fixed) f, sum(ftf_judged) j, sum(escalated) e, sum(backlog) b, "
        "sum(backlog_0_2d + backlog_3_7d + backlog_8_30d + backlog_over_30d) bb from mart_sla_daily",
        {},
    )
    want = query.run_sql(
        app_version,
        "select count_if(resolution_h is not null and first_time_fix) f, "
        "count_if(resolution_h is not null and first_time_fix is not null) j, count_if(escalated) e, "
        "count_if(is_backlog) b, count_if(is_backlog) bb from mart_ticket_sla",
        {},
    )
    assert got.astype(int).to_dict("records") == want.astype(int).to_dict("records")
