-- Portfolio health history: accounts per band (NULL = insufficient data) at each
-- month-end of the history (mart_account_health_history: the kpi_history_months
-- month-ends before D) and at D itself (mart_account_health), for the accounts
-- matching the global filters. One row per (as_of, band) that has accounts;
-- is_current marks D.
-- Parameters: $accounts. Health is account-level: the service-line filter does not
-- apply (it never narrows the set of accounts), nor the period filter (the history is
-- the fixed window of the build).
with scores as (
    select account_id, as_of, band, false as is_current
    from mart_account_health_history
    union all
    select a.account_id, p.as_of::date, a.band, true
    from mart_accounts as a
    cross join kpi_params as p
)

select
    as_of,
    is_current,
    band,
    count(*) as accounts
from scores
where in_filter($accounts, account_id)
group by as_of, is_current, band
order by as_of, band nulls last
