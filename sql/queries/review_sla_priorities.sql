-- Account review, SLA: one row per priority of the account with in-scope tickets in the last 12
-- complete months (the 12 months up to kpi_params.last_complete_month): tickets and the response /
-- resolution met and breached counts summed from mart_sla_monthly, the compliance % recomputed from
-- the counts (compliance_pct: met / (met + breached), never an average of monthly percentages),
-- the policy target_pct and below_target (macro below_target; NULL without policy or judged tickets).
-- Parameters: $account_id.

with params as (
    select
        (last_complete_month - interval 11 month)::date as first_month,
        last_complete_month as last_month
    from kpi_params
),

summed as (
    select
        m.priority,
        sum(m.tickets)::bigint as tickets,
        sum(m.response_met)::bigint as response_met,
        sum(m.response_breached)::bigint as response_breached,
        sum(m.resolution_met)::bigint as resolution_met,
        sum(m.resolution_breached)::bigint as resolution_breached,
        any_value(m.target_pct) as target_pct
    from mart_sla_monthly as m
    cross join params as p
    where m.account_id = $account_id
      and m.month between p.first_month and p.last_month
    group by m.priority
)

select
    priority,
    tickets,
    response_met,
    response_breached,
    resolution_met,
    resolution_breached,
    compliance_pct(response_met, response_breached) as response_compliance_pct,
    compliance_pct(resolution_met, resolution_breached) as resolution_compliance_pct,
    target_pct,
    below_target(compliance_pct(resolution_met, resolution_breached), target_pct) as below_target
from summed
order by priority
