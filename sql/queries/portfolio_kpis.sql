-- Portfolio headline figures: one row for the accounts matching the global
-- filters, each figure now and for the previous period:
--   accounts, ACV, average health, accounts at risk: at D vs the previous
--     month-end D' (mart_accounts *_prev columns);
--   ACV at risk / on watch: ACV at D of the accounts whose band at D is
--     at_risk / watch, vs the ACV at D' of the accounts in that band at D'
--     (money view, the same contract rules as the ACV);
--   malus exposure month to date: sum of mart_sla_malus.exposure_eur of the
--     month of D (KPIS.md: the month of D counts with its full monthly fee),
--     and the number of accounts with a malus in that month;
--   NPS: responses of the last 365 days to D vs to D', pooled over accounts;
--   SLA (resolution) compliance: tickets created in the last 90 days vs the
--     90 days before, judged at D_end (ticket counts of mart_sla_daily;
--     windows: in_days_window, sql/macros/rules.sql).
-- Parameters: $accounts, $service_lines (VARCHAR[] | NULL). The
-- service-line filter narrows the line-level figures only: ACV, ACV at risk and
-- on watch (contracts in those lines, rules as in mart_accounts) and SLA (tickets
-- in those lines); accounts, health, at risk, NPS and malus (an account's
-- malus terms cover all its lines) are account-level and stay as they are.
-- The date-range filter does not apply: these are point-in-time figures.
with params as (
    select
        as_of,
        prev_month_end(as_of) as prev_as_of,
        kpi_sla_health_window_days as sla_days
    from kpi_params
),

accounts as (
    select a.*
    from mart_accounts as a
    where in_filter($accounts, a.account_id)
),

account_acv as (
    select
        a.band,
        a.band_prev,
        acv(c.annual_value_eur, c.is_active) as acv_eur,
        acv(c.annual_value_eur, contract_active_on(c.start_date, c.end_date, p.prev_as_of)) as acv_prev_eur
    from mart_contracts as c
    inner join accounts as a on a.account_id = c.account_id
    cross join params as p
    where in_filter($service_lines, c.service_line)
    group by a.account_id, a.band, a.band_prev
),

acv as (
    select
        sum(acv_eur) as acv_eur,
        sum(acv_prev_eur) as acv_prev_eur,
        coalesce(sum(acv_eur) filter (where band = 'at_risk'), 0) as acv_at_risk_eur,
        coalesce(sum(acv_prev_eur) filter (where band_prev = 'at_risk'), 0) as acv_at_risk_prev_eur,
        coalesce(sum(acv_eur) filter (where band = 'watch'), 0) as acv_watch_eur,
        coalesce(sum(acv_prev_eur) filter (where band_prev = 'watch'), 0) as acv_watch_prev_eur
    from account_acv
),

malus as (
    select
        date_trunc('month', p.as_of)::date as malus_month,
        coalesce(sum(m.exposure_eur), 0) as malus_mtd_eur,
        count(m.account_id) filter (where m.exposure_eur > 0) as malus_accounts
    from params as p
    left join mart_sla_malus as m
        on m.month = date_trunc('month', p.as_of)
       and m.account_id in (select account_id from accounts)
    group by p.as_of
),

account_figures as (
    select
        count(*) as accounts,
        count(*) filter (where a.customer_since is null or a.customer_since <= p.prev_as_of) as accounts_prev,
        avg(a.health_score) as health_avg,
        avg(a.health_prev) as health_avg_prev,
        count(a.health_score) as health_scored,
        count(*) filter (where a.band = 'at_risk') as at_risk,
        count(*) filter (where a.band_prev = 'at_risk') as at_risk_prev,
        count(*) filter (where a.band = 'watch') as watch,
        count(*) filter (where a.band_prev = 'watch') as watch_prev,
        nps(sum(a.nps_promoters), sum(a.nps_detractors), sum(a.nps_responses)) as nps,
        sum(a.nps_responses) as nps_responses
    from accounts as a
    cross join params as p
),

nps_prev as (
    select nps(sum(s.nps_promoters), sum(s.nps_detractors), sum(s.nps_responses)) as nps_prev
    from int_health_satisfaction as s
    cross join params as p
    where s.as_of = p.prev_as_of
      and s.account_id in (select account_id from accounts)
),

sla_days as (
    select
        in_days_window(t.created_date, p.as_of, p.sla_days) as is_recent,
        in_days_window(t.created_date, p.as_of - p.sla_days, p.sla_days) as is_prior,
        t.resolution_met,
        t.resolution_breached
    from mart_sla_daily as t
    cross join params as p
    where t.account_id in (select account_id from accounts)
      and in_filter($service_lines, t.service_line)
),

sla_counts as (
    select
        coalesce(sum(resolution_met) filter (where is_recent), 0)::bigint as met,
        coalesce(sum(resolution_breached) filter (where is_recent), 0)::bigint as breached,
        coalesce(sum(resolution_met) filter (where is_prior), 0)::bigint as met_prior,
        coalesce(sum(resolution_breached) filter (where is_prior), 0)::bigint as breached_prior
    from sla_days
),

sla as (
    select
        compliance_pct(met, breached) as sla_pct,
        compliance_pct(met_prior, breached_prior) as sla_prev_pct,
        met + breached as sla_tickets
    from sla_counts
)

select
    f.accounts,
    f.accounts_prev,
    coalesce(v.acv_eur, 0) as acv_eur,
    coalesce(v.acv_prev_eur, 0) as acv_prev_eur,
    v.* exclude (acv_eur, acv_prev_eur),
    f.* exclude (accounts, accounts_prev),
    m.*,
    n.*,
    s.*
from account_figures as f
cross join acv as v
cross join malus as m
cross join nps_prev as n
cross join sla as s
