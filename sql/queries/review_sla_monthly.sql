-- Account review, SLA chart: one row per month of the last 12 complete months and priority with
-- in-scope tickets (mart_sla_monthly as it is): tickets, resolution compliance % and the priority's
-- target_pct, below_target (macro below_target).
-- Parameters: $account_id.

select
    m.month,
    m.priority,
    m.tickets,
    m.resolution_met,
    m.resolution_breached,
    m.resolution_compliance_pct,
    m.target_pct,
    below_target(m.resolution_compliance_pct, m.target_pct) as below_target
from mart_sla_monthly as m
cross join kpi_params as p
where m.account_id = $account_id
  and m.month between (p.last_complete_month - interval 11 month)::date and p.last_complete_month
order by m.month, m.priority
