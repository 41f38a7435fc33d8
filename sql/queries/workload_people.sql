-- Per-person utilisation (only shown when settings allow it, works-council rule):
-- one row per (employee, month). Without an account filter every active employee;
-- with one (or a user scope), the members of those accounts' teams.
-- Parameters: $accounts, $date_from, $date_to (kamdata.query; whole months
-- overlapping the period). running_month marks the month of D (capacity through D, KPIS.md).

with team_members as (
    select distinct employee_id
    from stg_account_team
    where in_filter($accounts, account_id)
)

select
    work.employee_id,
    employees.name,
    work.department,
    work.month,
    work.capacity_h,
    work.booked_h,
    work.account_h,
    work.utilisation_pct,
    work.overloaded,
    work.month = date_trunc('month', p.as_of)::date as running_month
from mart_workload_monthly as work
join stg_employees as employees using (employee_id)
cross join kpi_params as p
where ($accounts is null or work.employee_id in (select employee_id from team_members))
  and month_in_period(work.month, $date_from, $date_to)
order by employees.name, work.month
