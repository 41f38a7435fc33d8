-- int_work_employee_month: one row per employee (active or not) and month that has any booking
-- in the data up to D. Parameters (kpi_params): as_of, kpi_overload_threshold_pct.
-- Capacity = weekly_capacity_h x Mon-Fri days of the month / 5, for the month of D (the running
-- month) only the Mon-Fri days from the 1st through D (macro capacity_weekdays, KPIS.md), so its
-- utilisation compares hours booked so far with capacity so far; bookings after D do not count;
-- utilisation is NULL when capacity is 0 and 0 % for an employee without bookings that month.
with params as (
    select as_of, kpi_overload_threshold_pct from kpi_params
),

bookings as (
    select
        b.employee_id,
        b.account_id,
        date_trunc('month', b.booking_date)::date as month,
        b.hours
    from stg_time_bookings as b
    cross join params as p
    where b.booking_date <= p.as_of
),

months as (
    select distinct month from bookings
),

booked as (
    select
        employee_id,
        month,
        sum(hours) as booked_h,
        coalesce(sum(hours) filter (where account_id is not null), 0) as account_h
    from bookings
    group by employee_id, month
),

employee_months as (
    select
        e.employee_id,
        e.department,
        e.active,
        m.month,
        e.weekly_capacity_h * capacity_weekdays(m.month, p.as_of) / 5.0 as capacity_h,
        coalesce(b.booked_h, 0) as booked_h,
        coalesce(b.account_h, 0) as account_h
    from stg_employees as e
    cross join months as m
    cross join params as p
    left join booked as b
        on b.employee_id = e.employee_id
       and b.month = m.month
)

select
    employee_months.*,
    pct(booked_h, capacity_h) as utilisation_pct,
    -- compared at 9 decimals: fractional hours make exactly 110 % come out as 110.00000000000001,
    -- which must not count as "> 110 %" (e.g. 10 x 9.68 h on 20 h/week x 22 weekdays / 5 = 88 h)
    round(pct(booked_h, capacity_h), 9) > p.kpi_overload_threshold_pct as overloaded
from employee_months
cross join params as p
