-- Account review, contacts by role: one row per department and role of our employee on the
-- account's interactions in the last 12 complete months (department and role NULL: no employee
-- recorded or not visible): interactions, of which us-initiated, distinct employees, last date.
-- There is no table of the customer's contacts: this is our side of the relationship only.
-- Parameters: $account_id.

select
    e.department,
    e.role,
    count(*)::bigint as interactions,
    count(*) filter (where i.initiated_by = 'us')::bigint as proactive,
    count(distinct e.employee_id)::bigint as employees,
    max(i.interaction_date) as last_date
from stg_interactions as i
cross join kpi_params as p
left join stg_employees as e on e.employee_id = i.employee_id
where i.account_id = $account_id
  and i.interaction_date >= (p.last_complete_month - interval 11 month)::date
  and i.interaction_date < (p.last_complete_month + interval 1 month)::date
group by e.department, e.role
order by interactions desc, e.department nulls last, e.role nulls last
