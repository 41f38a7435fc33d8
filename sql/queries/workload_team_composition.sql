-- Account-team composition and load of the filtered accounts' current account teams, at two
-- grains (column `grain`):
--   'account_department'  one row per (account, department): members only (head count, the chart)
--   'account'             one row per account, the whole team: members, departments, summed
--                         allocation, allocated hours (capacity x allocation) and the hours the
--                         members booked on the account over the period, load = booked / allocated
-- Works-council rule: hours and allocation are only shown for a whole team of at least
-- $min_group_size members (`suppressed`, figures NULL otherwise); there are none per department,
-- where a team has one or two people of a department, so no figure describes one person.
-- Parameters: $accounts, $date_from, $date_to (kamdata.query; whole months overlapping the
-- period), $min_group_size (settings app.min_group_size).

with teams as (
    select team.account_id, team.employee_id, employees.department, team.allocation_pct
    from stg_account_team as team
    join stg_employees as employees using (employee_id)
    where in_filter($accounts, team.account_id)
),

load as (
    select account_id, sum(allocated_h) as allocated_h, sum(booked_on_account_h) as booked_h
    from mart_account_team_load
    where in_filter($accounts, account_id)
      and month_in_period(month, $date_from, $date_to)
    group by account_id
),

composition as (
    select
        case when grouping(department) = 1 then 'account' else 'account_department' end as grain,
        account_id,
        department,
        count(*) as members,
        count(distinct department) as departments,
        sum(allocation_pct) as allocation_pct
    from teams
    group by grouping sets ((account_id, department), (account_id))
)

select
    composition.grain,
    composition.account_id,
    accounts.account_name,
    composition.department,
    composition.members,
    composition.departments,
    composition.members < $min_group_size as suppressed,
    case when composition.grain = 'account' and composition.members >= $min_group_size
        then composition.allocation_pct end as allocation_pct,
    case when composition.grain = 'account' and composition.members >= $min_group_size
        then load.allocated_h end as allocated_h,
    case when composition.grain = 'account' and composition.members >= $min_group_size
        then load.booked_h end as booked_h,
    case when composition.grain = 'account' and composition.members >= $min_group_size
        then pct(load.booked_h, load.allocated_h) end as load_pct
from composition
join stg_accounts as accounts using (account_id)
left join load using (account_id)
order by composition.grain, accounts.account_name, composition.department
