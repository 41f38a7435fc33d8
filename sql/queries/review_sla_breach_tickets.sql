-- Account review, SLA breaches: one row per ticket whose resolution breached its SLA in a breach
-- (month, priority) of the last 12 complete months (the month's resolution compliance of that
-- priority below its target, macro below_target), most recent first (the review shows the first
-- few and states the count). hours_late = elapsed hours from the resolution due time to the
-- resolution (or to D_end when still open).
-- Parameters: $account_id.

with breach_cells as (
    select m.month, m.priority
    from mart_sla_monthly as m
    cross join kpi_params as p
    where m.account_id = $account_id
      and m.month between (p.last_complete_month - interval 11 month)::date and p.last_complete_month
      and below_target(m.resolution_compliance_pct, m.target_pct)
)

select
    t.ticket_id,
    t.created_at,
    t.month,
    t.priority,
    sites.site_name,
    t.service_line,
    t.category,
    t.resolution_due,
    t.resolved_at,
    elapsed_hours(t.resolution_due, coalesce(t.resolved_at, t.d_end_at)) as hours_late
from (
    select mart_ticket_sla.*, p.d_end as d_end_at
    from mart_ticket_sla
    cross join kpi_params as p
) as t
join breach_cells as cells using (month, priority)
left join stg_sites as sites on sites.site_id = t.site_id
where t.account_id = $account_id
  and t.resolution_status = 'breached'
order by t.created_at desc, t.ticket_id
