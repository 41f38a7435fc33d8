-- Data status: one row per in-scope ticket without any SLA due time (no
-- policy for its account and priority, no due times of its own).
-- Parameters: global filters $accounts, $service_lines, $date_from,
-- $date_to (on the ticket's Berlin creation date).
select
    t.ticket_id,
    t.account_id,
    a.account_name,
    t.priority,
    t.service_line,
    t.created_date
from mart_tickets_no_sla as t
left join mart_accounts as a on a.account_id = t.account_id
where in_global_filters($accounts, $service_lines, $date_from, $date_to, t.account_id, t.service_line, t.created_date)
order by t.created_date desc, t.ticket_id
