-- mart_sla_daily: one row per account, Berlin creation date, priority and service line with at
-- least one in-scope ticket (mart_ticket_sla), with the ticket counts behind every summable SLA
-- figure (compliance, first-time fix, escalations, backlog by age bucket). The grain the pages
-- filter on (accounts, service lines, a period of days on created_date), so a page sums these
-- counts instead of re-judging tickets; compliance over any set of rows =
-- compliance_pct(sum(resolution_met), sum(resolution_breached)). The monthly mart of these counts
-- reads this one; filtered_sla_counts (sql/macros/app_filters.sql) combines the two.
-- Parameters: none beyond those of mart_ticket_sla (judged at D_end).
select
    account_id,
    created_date,
    month,
    priority,
    service_line,
    count(*) as tickets,
    count(*) filter (where no_sla) as tickets_no_sla,
    count(*) filter (where response_status = 'met') as response_met,
    count(*) filter (where response_status = 'breached') as response_breached,
    count(*) filter (where resolution_status = 'met') as resolution_met,
    count(*) filter (where resolution_status = 'breached') as resolution_breached,
    count(*) filter (where resolution_status = 'pending') as resolution_pending,
    -- first-time fix (KPIS.md): resolved tickets with first_time_fix true / not NULL
    count(*) filter (where resolution_h is not null and first_time_fix) as ftf_fixed,
    count(*) filter (where resolution_h is not null and first_time_fix is not null) as ftf_judged,
    count(*) filter (where escalated) as escalated,
    count(*) filter (where is_backlog) as backlog,
    -- backlog by age bucket (mart_ticket_sla.backlog_bucket), one column per bucket
    count(*) filter (where backlog_bucket = '0-2 d') as backlog_0_2d,
    count(*) filter (where backlog_bucket = '3-7 d') as backlog_3_7d,
    count(*) filter (where backlog_bucket = '8-30 d') as backlog_8_30d,
    count(*) filter (where backlog_bucket = '> 30 d') as backlog_over_30d
from mart_ticket_sla
group by account_id, created_date, month, priority, service_line
order by created_date, account_id, priority, service_line
