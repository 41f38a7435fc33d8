-- mart_department_monthly: one row per department and month of the workload mart; aggregates
-- that pages may show without per-person detail. Parameters: none of its own.
select
    department,
    month,
    count(*) as employees,
    sum(capacity_h) as capacity_h,
    sum(booked_h) as booked_h,
    pct(sum(booked_h), sum(capacity_h)) as utilisation_pct,
    count(*) filter (where overloaded) as overloaded_employees
from mart_workload_monthly
group by department, month
