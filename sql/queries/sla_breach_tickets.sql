-- Drill-down of one breach: one row per ticket of (account, month, priority),
-- breached first. Parameters: $account_id, $month (DATE), $priority, and the
-- global filters $scope, $service_lines, $date_from, $date_to (kamdata.db).

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
from mart_ticket_sla as t
join stg_tickets as tickets using (ticket_id)
left join stg_sites as sites on sites.site_id = t.site_id
where ($scope is null or list_contains($scope, t.account_id))
  and t.account_id = $account_id
  and t.month = $month::date
  and t.priority = $priority
  and ($service_lines is null or list_contains($service_lines, t.service_line))
  and ($date_from is null or t.created_date >= $date_from)
  and ($date_to is null or t.created_date <= $date_to)
order by
    case t.resolution_status when 'breached' then 0 when 'pending' then 1 when 'met' then 2 else 3 end,
    t.created_at,
    t.ticket_id
