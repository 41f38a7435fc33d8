-- Account review, SLA breaches: one row per SLA breach month (mart_sla_breach_months: a priority's
-- resolution compliance below its target) among the last 12 complete months, most recent first,
-- with the breached priorities and the resolution-breached tickets of those priorities that month.
-- Parameters: $account_id.

select
    b.month,
    b.breached_priorities,
    b.breached_priority_count,
    (
        select sum(m.resolution_breached)::bigint
        from mart_sla_monthly as m
        where m.account_id = b.account_id
          and m.month = b.month
          and below_target(m.resolution_compliance_pct, m.target_pct)
    ) as breached_tickets
from mart_sla_breach_months as b
cross join kpi_params as p
where b.account_id = $account_id
  and b.month between (p.last_complete_month - interval 11 month)::date and p.last_complete_month
order by b.month desc
