-- The current account team of one account and its load in the last complete month L, at two
-- grains (column `grain`):
--   'role_department'  one row per (team role, department): members only (head count)
--   'team'             one row: members, roles, departments, summed allocation, the allocated hours
--                      (capacity x allocation) and the hours the members booked on the account in L,
--                      load = booked / allocated (mart_account_team_load)
-- Works-council rule (as workload_team_composition.sql): hours and allocation only for a whole team
-- of at least $min_group_size members (`suppressed`, figures NULL otherwise); none per role or
-- department group, so no figure describes one or two people and none can be worked back out.
-- Parameters: $account_id, $min_group_size (settings app.min_group_size).

with team as (
    select members.employee_id, members.team_role, employees.department, members.allocation_pct
    from stg_account_team as members
    join stg_employees as employees using (employee_id)
    where members.account_id = $account_id
),

load as (
    select sum(load.allocated_h) as allocated_h, sum(load.booked_on_account_h) as booked_h
    from mart_account_team_load as load
    cross join kpi_params as p
    where load.account_id = $account_id
      and load.month = p.last_complete_month
),

composition as (
    select
        case when grouping(team_role, department) = 3 then 'team' else 'role_department' end as grain,
        team_role,
        department,
        count(*) as members,
        count(distinct team_role) as roles,
        count(distinct department) as departments,
        sum(allocation_pct) as allocation_pct
    from team
    group by grouping sets ((team_role, department), ())
)

select
    composition.grain,
    composition.team_role,
    composition.department,
    composition.members,
    composition.roles,
    composition.departments,
    composition.members < $min_group_size as suppressed,
    case when composition.grain = 'team' and composition.members >= $min_group_size
        then composition.allocation_pct end as allocation_pct,
    case when composition.grain = 'team' and composition.members >= $min_group_size
        then load.allocated_h end as allocated_h,
    case when composition.grain = 'team' and composition.members >= $min_group_size
        then load.booked_h end as booked_h,
    case when composition.grain = 'team' and composition.members >= $min_group_size
        then pct(load.booked_h, load.allocated_h) end as load_pct,
    p.last_complete_month as month
from composition
cross join load
cross join kpi_params as p
where composition.members > 0
order by composition.grain, composition.members desc, composition.team_role, composition.department
