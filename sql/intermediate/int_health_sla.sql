-- int_health_sla: one row per account and health as-of date with in-scope tickets in the window:
-- resolution compliance over reactive in-scope tickets created in (as_of - N days, as_of],
-- judged at that date's d_end (a resolution after d_end has not happened; pending excluded).
-- Parameters (kpi_params): kpi_sla_health_window_days. Due times come from mart_ticket_sla.
-- Tickets are cut to the span of all windows before the join to the as-of grid (performance).
with params as (
    select kpi_sla_health_window_days as window_days from kpi_params
),

span as (
    select
        min(a.as_of) - p.window_days as after_date,
        max(a.as_of) as until_date
    from int_health_as_of as a
    cross join params as p
    group by p.window_days
),

tickets as (
    select t.account_id, t.created_date, t.resolution_due, t.resolved_at
    from mart_ticket_sla as t
    cross join span as s
    where in_days_window(t.created_date, s.until_date, (s.until_date - s.after_date)::integer)
      and t.resolution_due is not null
),

judged as (
    select
        t.account_id,
        a.as_of,
        sla_status(
            case when t.resolved_at <= a.d_end then t.resolved_at end,
            t.resolution_due,
            a.d_end
        ) as resolution_status
    from tickets as t
    cross join params as p
    inner join int_health_as_of as a
        on in_days_window(t.created_date, a.as_of, p.window_days)
)

select
    account_id,
    as_of,
    count(*) filter (where resolution_status = 'met') as resolution_met,
    count(*) filter (where resolution_status = 'breached') as resolution_breached,
    compliance_pct(
        count(*) filter (where resolution_status = 'met'),
        count(*) filter (where resolution_status = 'breached')
    ) as sla_compliance_pct
from judged
group by account_id, as_of
