-- int_health_team: one row per account and health as-of date whose account_team has a member
-- with a utilisation in that date's last complete month: the highest utilisation %.
-- Members with capacity 0 are left out (utilisation NULL); a member without bookings counts 0 %.
-- A month without any booking in the data has no workload data: the metric is then NULL.
-- The team is today's (master data). Parameters: none beyond int_work_employee_month.
select
    team.account_id,
    a.as_of,
    max(work.utilisation_pct) as team_max_utilisation_pct,
    count(*) filter (where work.overloaded) as overloaded_members
from stg_account_team as team
cross join int_health_as_of as a
inner join int_work_employee_month as work
    on work.employee_id = team.employee_id
   and work.month = a.last_complete_month
where work.utilisation_pct is not null
group by team.account_id, a.as_of
