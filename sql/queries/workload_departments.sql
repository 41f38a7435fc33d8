-- unscoped: mart_department_monthly (department aggregates over all employees; no account detail, no per-person figures)
-- Utilisation by department and month (mart_department_monthly): one row per
-- (department, month), plus one total row for the period (department and month
-- NULL; employees there = person-months). Parameters: $date_from, $date_to
-- (kamdata.query; whole months overlapping the period), $min_group_size (settings
-- app.min_group_size). Account and service-line filters do not apply.
-- Works-council rule: a department-month with fewer than $min_group_size employees is
-- suppressed (`suppressed`; capacity, booked, utilisation and overloaded NULL), and the total row
-- sums only the cells that are shown (`suppressed_cells` counts the others), so the total cannot
-- be used to work a suppressed cell back out. running_month marks the month of D, whose capacity
-- counts the weekdays through D only (KPIS.md).

with params as (
    select date_trunc('month', as_of)::date as running_month from kpi_params
),

cells as (
    select
        department,
        month,
        employees,
        capacity_h,
        booked_h,
        overloaded_employees,
        employees < $min_group_size as suppressed
    from mart_department_monthly
    where month_in_period(month, $date_from, $date_to)
)

select
    cells.department,
    cells.month,
    sum(cells.employees)::bigint as employees,
    sum(cells.capacity_h) filter (where not cells.suppressed) as capacity_h,
    sum(cells.booked_h) filter (where not cells.suppressed) as booked_h,
    pct(
        sum(cells.booked_h) filter (where not cells.suppressed),
        sum(cells.capacity_h) filter (where not cells.suppressed)
    ) as utilisation_pct,
    (sum(cells.overloaded_employees) filter (where not cells.suppressed))::bigint as overloaded_employees,
    coalesce(bool_and(cells.suppressed), false) as suppressed,
    count(*) filter (where cells.suppressed) as suppressed_cells,
    coalesce(cells.month = any_value(p.running_month), false) as running_month
from cells
cross join params as p
group by grouping sets ((cells.department, cells.month), ())
order by cells.department nulls last, cells.month
