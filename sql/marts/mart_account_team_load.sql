-- mart_account_team_load: one row per account, month with any booking up to D, and account_team
-- member: the hours the member booked on the account vs the allocated share of capacity.
-- Parameters (kpi_params): as_of.
-- allocated_h = capacity_h x allocation_pct / 100; load_pct = booked_on_account_h / allocated_h.
with params as (
    select as_of from kpi_params
),

account_bookings as (
    select
        b.account_id,
        b.employee_id,
        date_trunc('month', b.booking_date)::date as month,
        sum(b.hours) as booked_on_account_h
    from stg_time_bookings as b
    cross join params as p
    where b.booking_date <= p.as_of
      and b.account_id is not null
    group by all
),

member_months as (
    select
        team.account_id,
        work.month,
        team.employee_id,
        work.department,
        team.team_role,
        team.allocation_pct,
        work.capacity_h * team.allocation_pct / 100.0 as allocated_h
    from stg_account_team as team
    inner join int_work_employee_month as work
        on work.employee_id = team.employee_id
)

select
    m.*,
    coalesce(b.booked_on_account_h, 0) as booked_on_account_h,
    pct(coalesce(b.booked_on_account_h, 0), m.allocated_h) as load_pct
from member_months as m
left join account_bookings as b
    on b.account_id = m.account_id
   and b.employee_id = m.employee_id
   and b.month = m.month
