-- Drill-down of one breach: one row per ticket of (account, month, priority),
-- breached first. Parameters: $account_id, $month (DATE), $priority, and the
-- global filters $service_lines, $date_from, $date_to (kamdata.query; no
-- account filter: the account is given).

select
    t.ticket_id,
    sites.site_name,
    t.category,
    t.service_line,
    t.created_at,
    t.resolution_due,
    t.resolved_at,
    tickets.status,
    t.resolution_status
from filtered_tickets(null, $service_lines, $date_from, $date_to) as t
join stg_tickets as tickets using (ticket_id)
left join stg_sites as sites on sites.site_id = t.site_id
where t.account_id = $account_id
  and t.month = $month::date
  and t.priority = $priority
order by
    case t.resolution_status when 'breached' then 0 when 'pending' then 1 when 'met' then 2 else 3 end,
    t.created_at,
    t.ticket_id
