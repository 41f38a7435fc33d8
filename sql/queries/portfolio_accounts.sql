-- Portfolio: one row per account matching the global filters, with health now
-- and at the previous month-end D', the 12-month health trend, commercial and
-- renewal facts and its open alerts; sorted by risk (lowest health first,
-- accounts without a score last).
-- Parameters: $accounts (VARCHAR[] | NULL); $service_lines
-- (VARCHAR[] | NULL): narrows the line-level facts (ACV now and at D', next
-- notice deadline: contracts in those lines), never the set of accounts;
-- health, band and alerts are account-level and stay as they are.
-- Contract rules as in mart_accounts (macros of sql/macros/rules.sql): active at D
-- (mart_contracts.is_active), at D' (contract_active_on), ACV (acv), next notice deadline.
with params as (
    select as_of, prev_month_end(as_of) as prev_as_of
    from kpi_params
),

contracts as (
    select
        c.account_id,
        acv(c.annual_value_eur, c.is_active) as acv_eur,
        acv(c.annual_value_eur, contract_active_on(c.start_date, c.end_date, p.prev_as_of)) as acv_prev_eur,
        next_notice_deadline(c.is_active, c.notice_deadline, p.as_of) as next_notice_deadline,
        next_notice_contract(c.contract_id, c.is_active, c.notice_deadline, p.as_of) as next_notice_contract_id
    from mart_contracts as c
    cross join params as p
    where in_filter($service_lines, c.service_line)
    group by c.account_id
),

history as (
    select
        account_id,
        list(health_score order by as_of) as health_trend
    from mart_account_health_history
    group by account_id
),

alerts as (
    select
        account_id,
        count(*) as alerts,
        count(*) filter (where severity = 'high') as alerts_high
    from mart_alerts
    group by account_id
)

select
    a.account_id,
    a.account_name,
    a.region,
    a.industry,
    a.kam_name,
    a.health_score,
    a.band,
    a.health_prev,
    a.band_prev,
    h.health_trend,
    coalesce(c.acv_eur, 0) as acv_eur,
    coalesce(c.acv_prev_eur, 0) as acv_prev_eur,
    c.next_notice_deadline,
    c.next_notice_contract_id,
    a.in_renewal_window,
    a.nps,
    a.service_lines,
    coalesce(al.alerts, 0) as alerts,
    coalesce(al.alerts_high, 0) as alerts_high
from mart_accounts as a
left join contracts as c on c.account_id = a.account_id
left join history as h on h.account_id = a.account_id
left join alerts as al on al.account_id = a.account_id
where in_filter($accounts, a.account_id)
order by a.health_score asc nulls last, coalesce(c.acv_eur, 0) desc, a.account_name
