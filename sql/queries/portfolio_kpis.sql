-- Portfolio headline figures: one row for the accounts matching the global
-- filters, each figure now and for the previous period:
--   accounts, ACV, average health, accounts at risk: at D vs the previous
--     month-end D' (mart_accounts *_prev columns);
--   NPS: responses of the last 365 days to D vs to D', pooled over accounts;
--   SLA (resolution) compliance: tickets created in the last 90 days vs the
--     90 days before, judged at D_end (mart_ticket_sla, shared macros).
-- Parameters: $scope, $accounts, $service_lines (VARCHAR[] | NULL; service
-- lines select accounts by active contract and tickets by their line).
-- The date-range filter does not apply: these are point-in-time figures.
with params as (
    select
        as_of,
        (date_trunc('month', as_of) - interval 1 day)::date as prev_as_of,
        kpi_sla_health_window_days as sla_days
    from kpi_params
),

accounts as (
    select a.*
    from mart_accounts as a
    where ($scope is null or list_contains($scope, a.account_id))
      and ($accounts is null or list_contains($accounts, a.account_id))
      and ($service_lines is null or list_has_any($service_lines, string_split(a.service_lines, ', ')))
),

account_figures as (
    select
        count(*) as accounts,
        count(*) filter (where a.customer_since is null or a.customer_since <= p.prev_as_of) as accounts_prev,
        sum(a.acv_eur) as acv_eur,
        sum(a.acv_prev_eur) as acv_prev_eur,
        avg(a.health_score) as health_avg,
        avg(a.health_prev) as health_avg_prev,
        count(a.health_score) as health_scored,
        count(*) filter (where a.band = 'at_risk') as at_risk,
        count(*) filter (where a.band_prev = 'at_risk') as at_risk_prev,
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

sla as (
    select
        compliance_pct(
            count_if(t.resolution_status = 'met' and t.created_date > p.as_of - p.sla_days),
            count_if(t.resolution_status = 'breached' and t.created_date > p.as_of - p.sla_days)
        ) as sla_pct,
        compliance_pct(
            count_if(t.resolution_status = 'met' and t.created_date <= p.as_of - p.sla_days),
            count_if(t.resolution_status = 'breached' and t.created_date <= p.as_of - p.sla_days)
        ) as sla_prev_pct,
        count_if(t.resolution_status in ('met', 'breached') and t.created_date > p.as_of - p.sla_days) as sla_tickets
    from mart_ticket_sla as t
    cross join params as p
    where t.account_id in (select account_id from accounts)
      and ($service_lines is null or list_contains($service_lines, t.service_line))
      and t.created_date > p.as_of - 2 * p.sla_days
      and t.created_date <= p.as_of
)

select *
from account_figures
cross join nps_prev
cross join sla
