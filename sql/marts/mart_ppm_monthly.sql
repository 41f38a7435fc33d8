-- mart_ppm_monthly: one row per account, month of due_at (Berlin) and service line with at
-- least one planned, not cancelled ticket created by D_end and due by D_end.
-- On time = resolved_at <= due_at. Parameters (kpi_params): d_end, kpi_timezone.
with params as (
    select d_end, kpi_timezone from kpi_params
),

planned as (
    select
        t.account_id,
        date_trunc('month', timezone(p.kpi_timezone, t.due_at))::date as month,
        t.service_line,
        t.resolved_at <= t.due_at as on_time
    from stg_tickets as t
    cross join params as p
    where t.kind = 'planned'
      and t.status <> 'cancelled'
      and t.created_at <= p.d_end
      and t.due_at <= p.d_end
)

select
    account_id,
    month,
    service_line,
    count(*) as ppm_due,
    count(*) filter (where on_time) as ppm_on_time,
    pct(count(*) filter (where on_time), count(*)) as ppm_compliance_pct
from planned
group by account_id, month, service_line
