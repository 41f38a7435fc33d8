-- mart_accounts: one row per account, the account master for every page: master data, ACV now
-- and at the previous month-end D', renewal, relationship, commitments, satisfaction, revenue,
-- whitespace / cross-sell and health now and at D'.
-- Parameters (kpi_params): as_of. Windows and rules: see int_health_inputs (its current row =
-- as of D), mart_contracts and mart_cross_sell.
with params as (
    select
        as_of,
        prev_month_end(as_of) as prev_as_of
    from kpi_params
),

contracts as (
    select
        c.*,
        contract_active_on(c.start_date, c.end_date, p.prev_as_of) as was_active,
        p.as_of
    from mart_contracts as c
    cross join params as p
),

contract_summary as (
    select
        account_id,
        acv(annual_value_eur, is_active) as acv_eur,
        acv(annual_value_eur, was_active) as acv_prev_eur,
        count(*) filter (where is_active) as active_contracts,
        string_agg(distinct service_line, ', ' order by service_line) filter (where is_active) as service_lines,
        next_notice_deadline(is_active, notice_deadline, as_of) as next_notice_deadline,
        next_notice_contract(contract_id, is_active, notice_deadline, as_of) as next_notice_contract_id,
        bool_or(in_renewal_window) as in_renewal_window
    from contracts
    group by account_id
),

sites as (
    select account_id, count(*) as sites from stg_sites group by account_id
),

whitespace as (
    select
        account_id,
        string_agg(service_line, ', ' order by service_line) filter (where is_whitespace) as whitespace_lines,
        string_agg(service_line, ', ' order by service_line) filter (where is_cross_sell) as cross_sell_lines
    from mart_cross_sell
    group by account_id
)

select
    acc.account_id,
    acc.account_name,
    acc.industry,
    acc.region,
    acc.kam_id,
    kam.name as kam_name,
    acc.customer_since,
    coalesce(sites.sites, 0) as sites,
    coalesce(cs.acv_eur, 0) as acv_eur,
    coalesce(cs.acv_prev_eur, 0) as acv_prev_eur,
    coalesce(cs.active_contracts, 0) as active_contracts,
    cs.service_lines,
    cs.next_notice_deadline,
    cs.next_notice_contract_id,
    coalesce(cs.in_renewal_window, false) as in_renewal_window,
    cur.days_since_contact,
    cur.days_since_proactive,
    cur.proactive_share_pct,
    cur.commitments_open,
    cur.commitments_overdue,
    cur.commitment_ontime_pct,
    cur.nps,
    prev_inputs.nps as nps_prev,
    cur.nps_promoters,
    cur.nps_detractors,
    cur.nps_responses,
    cur.csat,
    cur.revenue_12m_eur,
    cur.revenue_prior_12m_eur,
    cur.revenue_growth_pct,
    cur.margin_pct,
    ws.whitespace_lines,
    ws.cross_sell_lines,
    health.health_score,
    health.band,
    prev.health_score as health_prev,
    prev.band as band_prev
from stg_accounts as acc
cross join params as p
left join stg_employees as kam
    on kam.employee_id = acc.kam_id
left join sites
    on sites.account_id = acc.account_id
left join contract_summary as cs
    on cs.account_id = acc.account_id
left join whitespace as ws
    on ws.account_id = acc.account_id
left join int_health_inputs as cur
    on cur.account_id = acc.account_id and cur.is_current
left join int_health_inputs as prev_inputs
    on prev_inputs.account_id = acc.account_id and prev_inputs.as_of = p.prev_as_of
left join int_health_scores as health
    on health.account_id = acc.account_id and health.is_current
left join int_health_scores as prev
    on prev.account_id = acc.account_id and prev.as_of = p.prev_as_of
