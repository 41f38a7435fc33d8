-- mart_sla_monthly: one row per account, month of created_at (Berlin) and priority that has
-- at least one in-scope ticket. Compliance = met / (met + breached); pending and "no SLA"
-- tickets are not judged but are counted in `tickets`.
-- Parameters: none beyond those of mart_ticket_sla (judged at D_end).
with tickets as (
    select * from mart_ticket_sla
),

monthly as (
    select
        account_id,
        month,
        priority,
        count(*) as tickets,
        count(*) filter (where no_sla) as tickets_no_sla,
        count(*) filter (where response_status = 'met') as response_met,
        count(*) filter (where response_status = 'breached') as response_breached,
        count(*) filter (where response_status = 'pending') as response_pending,
        count(*) filter (where resolution_status = 'met') as resolution_met,
        count(*) filter (where resolution_status = 'breached') as resolution_breached,
        count(*) filter (where resolution_status = 'pending') as resolution_pending,
        count(*) filter (where escalated) as escalated_tickets,
        count(resolved_at) as resolved_tickets,
        mttr_h(resolution_s) as mttr_h,
        count(*) filter (where resolved_at is not null and first_time_fix) as first_time_fixes,
        count(*) filter (where resolved_at is not null and first_time_fix is not null) as first_time_fix_known
    from tickets
    group by account_id, month, priority
)

select
    monthly.account_id,
    monthly.month,
    monthly.priority,
    monthly.tickets,
    monthly.response_met,
    monthly.response_breached,
    monthly.resolution_met,
    monthly.resolution_breached,
    compliance_pct(monthly.response_met, monthly.response_breached) as response_compliance_pct,
    compliance_pct(monthly.resolution_met, monthly.resolution_breached) as resolution_compliance_pct,
    policy.target_pct,
    monthly.tickets_no_sla,
    monthly.response_pending,
    monthly.resolution_pending,
    monthly.escalated_tickets,
    pct(monthly.escalated_tickets, monthly.tickets) as escalation_rate_pct,
    monthly.resolved_tickets,
    monthly.mttr_h,
    monthly.first_time_fixes,
    monthly.first_time_fix_known,
    pct(monthly.first_time_fixes, monthly.first_time_fix_known) as first_time_fix_pct
from monthly
left join stg_sla_policies as policy
    on policy.account_id = monthly.account_id
   and policy.priority = monthly.priority
