-- mart_ticket_sla: one row per in-scope ticket (reactive, not cancelled) created by D_end,
-- with its due times and its response / resolution status judged at D_end.
-- Parameters (kpi_params): d_end, kpi_timezone.
-- materialized: view
-- A view: at ticket grain a table would double the database file (the ticket columns again), and
-- every page reads pre-aggregated marts (mart_sla_daily, mart_sla_month_lines) or
-- mart_resolution_times instead; only ticket lists of one account and the explorer read it.
-- Timestamps after D_end have not happened yet: a response or resolution later than
-- D_end counts as missing, a ticket created later than D_end is left out.
with params as (
    select d_end, kpi_timezone from kpi_params
),

tickets as (
    select
        t.ticket_id,
        t.account_id,
        t.site_id,
        t.service_line,
        t.category,
        t.priority,
        t.technician_id,
        t.created_at,
        case when t.first_response_at <= p.d_end then t.first_response_at end as responded_at,
        case when t.resolved_at <= p.d_end then t.resolved_at end as resolved_at,
        t.first_time_fix,
        t.escalated,
        t.response_due_at,
        t.resolution_due_at,
        p.d_end,
        timezone(p.kpi_timezone, t.created_at)::date as created_date
    from stg_tickets as t
    cross join params as p
    where t.kind = 'reactive'
      and t.status <> 'cancelled'
      and t.created_at <= p.d_end
),

due_times as (
    -- the ticket's own due time wins; else created_at + target hours as elapsed time
    select
        tickets.*,
        coalesce(
            tickets.response_due_at,
            plus_hours(tickets.created_at, policy.response_target_h)
        ) as response_due,
        coalesce(
            tickets.resolution_due_at,
            plus_hours(tickets.created_at, policy.resolution_target_h)
        ) as resolution_due
    from tickets
    left join stg_sla_policies as policy
        on policy.account_id = tickets.account_id
       and policy.priority = tickets.priority
),

judged as (
    select
        due_times.*,
        sla_status(responded_at, response_due, d_end) as response_status,
        sla_status(resolved_at, resolution_due, d_end) as resolution_status,
        case
            when resolved_at is null then floor(elapsed_hours(created_at, d_end) / 24)::integer
        end as backlog_age_days
    from due_times
)

select
    ticket_id,
    account_id,
    site_id,
    service_line,
    category,
    priority,
    technician_id,
    created_at,
    created_date,
    date_trunc('month', created_date)::date as month,
    response_due,
    resolution_due,
    responded_at as first_response_at,
    resolved_at,
    response_status,
    resolution_status,
    response_due is null and resolution_due is null as no_sla,
    case when resolved_at is not null then elapsed_hours(created_at, resolved_at) end as resolution_h,
    case when resolved_at is not null then elapsed_seconds(created_at, resolved_at) end as resolution_s,
    first_time_fix,
    escalated,
    resolved_at is null as is_backlog,
    backlog_age_days,
    case
        when backlog_age_days is null then null
        when backlog_age_days <= 2 then '0-2 d'
        when backlog_age_days <= 7 then '3-7 d'
        when backlog_age_days <= 30 then '8-30 d'
        else '> 30 d'
    end as backlog_bucket
from judged
