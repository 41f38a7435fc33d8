-- unscoped: mart_department_monthly (department aggregates over all employees; no account detail, no per-person figures)
-- Utilisation by department and month (mart_department_monthly): one row per
-- (department, month), plus one total row for the period (department and month
-- NULL; employees there = person-months). Parameters: $date_from, $date_to
-- (kamdata.query; whole months overlapping the period). Account and service-line
-- filters do not apply.

select
    department,
    month,
    sum(employees)::bigint as employees,
    sum(capacity_h) as capacity_h,
    sum(booked_h) as booked_h,
    pct(sum(booked_h), sum(capacity_h)) as utilisation_pct,
    sum(overloaded_employees)::bigint as overloaded_employees
from mart_department_monthly
where month_in_period(month, $date_from, $date_to)
group by grouping sets ((department, month), ())
order by department nulls last, month
