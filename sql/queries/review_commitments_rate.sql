-- Account review, commitments: one row for the account at D: the on-time rate % over commitments
-- due in the last kpi_commitment_window_days days (mart_accounts.commitment_ontime_pct, KPIS.md) with
-- the counts behind it (int_health_commitments at D: due in the window, of which done on time), and
-- the open and overdue counts at D (mart_accounts). Counts are 0 when the account has no commitment.
-- Parameters: $account_id.

select
    a.commitment_ontime_pct,
    coalesce(c.commitments_due, 0) as commitments_due,
    coalesce(c.commitments_on_time, 0) as commitments_on_time,
    a.commitments_open,
    a.commitments_overdue,
    p.kpi_commitment_window_days as window_days
from mart_accounts as a
cross join kpi_params as p
left join int_health_commitments as c
    on c.account_id = a.account_id
   and c.as_of = p.as_of
where a.account_id = $account_id
