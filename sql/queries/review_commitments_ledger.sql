-- Account review, commitments ledger: one row per commitment of the account promised by D that is
-- open at D (all of them, macro commitment_open; overdue = macro commitment_overdue) or was done by
-- D with its due date in the last kpi_commitment_window_days days (the on-time rate's window,
-- macro in_days_window). status: 'overdue' | 'open' | 'kept_on_time' (done_on <= due_date) |
-- 'kept_late' (done_on > due_date). days_overdue = D - due_date for an overdue one, days_late =
-- done_on - due_date for one kept late. owner_name from stg_employees (NULL when the owner is not
-- visible or unknown). Order: overdue (oldest due first), open (by due date), then kept (latest first).
-- Parameters: $account_id.

with commitments as (
    select
        c.*,
        p.as_of,
        commitment_open(c.done_on, p.as_of) as is_open,
        commitment_overdue(c.done_on, c.due_date, p.as_of) as is_overdue,
        in_days_window(c.due_date, p.as_of, p.kpi_commitment_window_days) as due_in_window
    from stg_commitments as c
    cross join kpi_params as p
    where c.account_id = $account_id
      and c.promised_on <= p.as_of
)

select
    c.commitment_id,
    c.description,
    c.owner_id,
    owner.name as owner_name,
    c.promised_on,
    c.due_date,
    case when c.is_open then null else c.done_on end as done_on,
    case
        when c.is_overdue then 'overdue'
        when c.is_open then 'open'
        when c.done_on <= c.due_date then 'kept_on_time'
        else 'kept_late'
    end as status,
    case when c.is_overdue then c.as_of - c.due_date end as days_overdue,
    case when not c.is_open and c.done_on > c.due_date then c.done_on - c.due_date end as days_late
from commitments as c
left join stg_employees as owner on owner.employee_id = c.owner_id
where c.is_open or c.due_in_window
order by
    case when c.is_overdue then 0 when c.is_open then 1 else 2 end,
    case when c.is_open then c.due_date end,
    c.done_on desc,
    c.commitment_id
