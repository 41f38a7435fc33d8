-- mart_technician_backlog: one row per account and department of the assigned technician
-- ('unassigned' without one) that has in-scope tickets not resolved at D_end.
-- Parameters: none beyond those of mart_ticket_sla.
select
    backlog.account_id,
    coalesce(employee.department, 'unassigned') as department,
    count(*) as open_tickets,
    max(backlog.backlog_age_days) as oldest_age_days
from mart_ticket_sla as backlog
left join stg_employees as employee on employee.employee_id = backlog.technician_id
where backlog.is_backlog
group by backlog.account_id, coalesce(employee.department, 'unassigned')
