-- Data status: one row per in-scope ticket without any SLA due time (no
-- policy for its account and priority, no due times of its own).
-- Parameters: global filters $scope, $accounts, $service_lines, $date_from,
-- $date_to (on the ticket's Berlin creation date).
select
    t.ticket_id,
    t.account_id,
    a.account_name,
    t.priority,
    t.service_line,
    t.created_date
from mart_ticket_sla as t
left join mart_accounts as a on a.account_id = t.account_id
where t.no_sla
  and ($scope is null or list_contains($scope, t.account_id))
  and ($accounts is null or list_contains($accounts, t.account_id))
  and ($service_lines is null or list_contains($service_lines, t.service_line))
  and ($date_from is null or t.created_date >= $date_from)
  and ($date_to is null or t.created_date <= $date_to)
order by t.created_date desc, t.ticket_id
