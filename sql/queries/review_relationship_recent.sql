-- Account review, recent interactions: one row per interaction of the account in the last 365
-- days to D, most recent first (the review shows the first few and states the count), with our
-- employee's name (NULL when none is recorded or the employee is not visible); the subject exactly
-- as exported (plain text).
-- Parameters: $account_id.

select
    i.interaction_id,
    i.interaction_date,
    i.channel,
    i.initiated_by,
    i.employee_id,
    e.name as employee_name,
    i.subject
from stg_interactions as i
cross join kpi_params as p
left join stg_employees as e on e.employee_id = i.employee_id
where i.account_id = $account_id
  and in_days_window(i.interaction_date, p.as_of, 365)
order by i.interaction_date desc, i.interaction_id desc
