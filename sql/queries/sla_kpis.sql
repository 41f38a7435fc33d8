-- SLA page headline figures: one row for the filtered ticket set.
-- Parameters: the global filters $accounts, $service_lines, $date_from,
-- $date_to (kamdata.query; dates on the ticket's Berlin creation date).
-- Re-aggregates mart_ticket_sla with the shared macros (sql/macros/kpi.sql).

with tickets as (
    select * from filtered_tickets($accounts, $service_lines, $date_from, $date_to)
)

select
    count(*) as tickets,
    compliance_pct(count_if(response_status = 'met'), count_if(response_status = 'breached')) as response_compliance_pct,
    compliance_pct(count_if(resolution_status = 'met'), count_if(resolution_status = 'breached')) as resolution_compliance_pct,
    median(resolution_h) as mttr_h,
    pct(count_if(resolution_h is not null and first_time_fix),
        count_if(resolution_h is not null and first_time_fix is not null)) as first_time_fix_pct,
    count(*) filter (where escalated) as escalated,
    pct(count_if(escalated), count(*)) as escalation_pct,
    count(*) filter (where is_backlog) as backlog,
    count(*) filter (where no_sla) as tickets_no_sla
from tickets
