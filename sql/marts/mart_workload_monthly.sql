-- mart_workload_monthly: one row per active employee and month that has any booking in the data
-- (bookings up to D). Parameters: those of int_work_employee_month.
select
    employee_id,
    month,
    department,
    capacity_h,
    booked_h,
    account_h,
    utilisation_pct,
    overloaded
from int_work_employee_month
where active
