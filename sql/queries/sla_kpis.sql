-- SLA page headline figures: one row for the filtered ticket set.
-- Parameters: the global filters $accounts, $service_lines, $date_from,
-- $date_to (kamdata.query; dates on the ticket's Berlin creation date).
-- Counts come pre-aggregated (filtered_sla_counts: whole months from mart_sla_month_lines, the
-- days of a cut month from mart_sla_daily), ratios from the summed counts with the shared macros
-- (sql/macros/kpi.sql). MTTR is a median, which no count can give: it reads the resolution times
-- of the filtered resolved tickets (mart_resolution_times).

with counts as (
    select
        coalesce(sum(tickets), 0)::bigint as tickets,
        sum(response_met)::bigint as response_met,
        sum(response_breached)::bigint as response_breached,
        sum(resolution_met)::bigint as resolution_met,
        sum(resolution_breached)::bigint as resolution_breached,
        sum(ftf_fixed)::bigint as ftf_fixed,
        sum(ftf_judged)::bigint as ftf_judged,
        coalesce(sum(escalated), 0)::bigint as escalated,
        coalesce(sum(backlog), 0)::bigint as backlog,
        coalesce(sum(tickets_no_sla), 0)::bigint as tickets_no_sla
    from filtered_sla_counts($accounts, $service_lines, $date_from, $date_to)
),

mttr as (
    select mttr_h(resolution_s) as mttr_h
    from filtered_resolution_times($accounts, $service_lines, $date_from, $date_to)
)

select
    counts.tickets,
    compliance_pct(counts.response_met, counts.response_breached) as response_compliance_pct,
    compliance_pct(counts.resolution_met, counts.resolution_breached) as resolution_compliance_pct,
    mttr.mttr_h,
    pct(counts.ftf_fixed, counts.ftf_judged) as first_time_fix_pct,
    counts.escalated,
    pct(counts.escalated, counts.tickets) as escalation_pct,
    counts.backlog,
    counts.tickets_no_sla
from counts
cross join mttr
