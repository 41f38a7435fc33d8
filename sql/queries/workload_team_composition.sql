-- Account-team composition and load: one row per (account, department) of the
-- filtered accounts' current account teams, with the hours the members booked on
-- the account vs their allocated hours over the period (aggregates, no persons).
-- Parameters: $accounts, $date_from, $date_to (kamdata.query; whole months
-- overlapping the period).

with teams as (
    select team.account_id, team.employee_id, employees.department, team.allocation_pct
    from stg_account_team as team
    join stg_employees as employees using (employee_id)
    where in_filter($accounts, team.account_id)
),

load as (
    select account_id, department, sum(allocated_h) as allocated_h, sum(booked_on_account_h) as booked_h
    from mart_account_team_load
    where in_filter($accounts, account_id)
      and month_in_period(month, $date_from, $date_to)
    group by account_id, department
),

composition as (
    select account_id, department, count(*) as members, sum(allocation_pct) as allocation_pct
    from teams
    group by account_id, department
)

select
    composition.account_id,
    accounts.account_name,
    composition.department,
    composition.members,
    composition.allocation_pct,
    load.allocated_h,
    load.booked_h,
    pct(load.booked_h, load.allocated_h) as load_pct
from composition
join stg_accounts as accounts using (account_id)
left join load using (account_id, department)
order by accounts.account_name, composition.department
