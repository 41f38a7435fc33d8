-- int_health_commitments: one row per account and health as-of date with any commitment promised
-- by then: open and overdue counts at as_of, on-time rate % over commitments due in
-- (as_of - N days, as_of] (on time = done_on <= due_date; done late or still open = not on time).
-- Parameters (kpi_params): kpi_commitment_window_days.
-- A commitment done after as_of is still open at as_of.
with commitments as (
    select
        c.account_id,
        a.as_of,
        c.due_date,
        commitment_open(c.done_on, a.as_of) as is_open,
        commitment_overdue(c.done_on, c.due_date, a.as_of) as is_overdue,
        in_days_window(c.due_date, a.as_of, p.kpi_commitment_window_days) as due_in_window,
        c.done_on <= c.due_date as done_on_time
    from stg_commitments as c
    cross join kpi_params as p
    inner join int_health_as_of as a
        on c.promised_on <= a.as_of
)

select
    account_id,
    as_of,
    count(*) filter (where is_open) as commitments_open,
    count(*) filter (where is_overdue) as commitments_overdue,
    min(due_date) filter (where is_overdue) as oldest_overdue_due_date,
    count(*) filter (where due_in_window) as commitments_due,
    count(*) filter (where due_in_window and done_on_time) as commitments_on_time,
    pct(
        count(*) filter (where due_in_window and done_on_time),
        count(*) filter (where due_in_window)
    ) as commitment_ontime_pct
from commitments
group by account_id, as_of
