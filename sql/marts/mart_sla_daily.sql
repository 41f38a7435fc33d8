-- mart_sla_daily: one row per account, Berlin creation date, priority and service line with at
-- least one in-scope ticket (mart_ticket_sla), with the ticket counts behind the compliance
-- figures. The grain the pages filter on (accounts, service lines, a period of days on
-- created_date), so a page sums these counts instead of re-judging tickets; compliance over any
-- set of rows = compliance_pct(sum(resolution_met), sum(resolution_breached)).
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
    count(*) filter (where resolution_status = 'pending') as resolution_pending
from mart_ticket_sla
group by account_id, created_date, month, priority, service_line
