-- Portfolio alert list: one row per alert (mart_alerts) of the accounts
-- matching the global filters, with the account's band and ACV, the values the
-- page translates the reason from, and for an overdue commitment its text.
-- Order (the money view): severity (high first), then money (the account's ACV
-- at D, all lines, highest first), then age (the alert's detail_date, oldest
-- first; "never" (NULL, e.g. no proactive contact on record) before any date),
-- then account name, account id and kind so the order is total.
-- rank_in_account (1 = the account's first alert in that order) and
-- account_alerts (the account's number of alerts) let the page show the top N
-- per account and "n more".
-- Parameters: $accounts. Alerts are account-level: the service-line
-- filter does not apply (it never narrows the set of accounts).
with alerts as (
    select
        al.account_id,
        a.account_name,
        a.band,
        coalesce(a.acv_eur, 0) as acv_eur,
        al.kind,
        al.severity,
        al.reason,
        al.detail_date,
        al.detail_value,
        al.detail_text,
        al.detail_count,
        c.description as commitment_text,
        p.alerts_sla_breach_lookback_months as sla_lookback_months,
        p.alerts_detractor_days as detractor_days
    from mart_alerts as al
    inner join mart_accounts as a on a.account_id = al.account_id
    left join stg_commitments as c
        on al.kind = 'overdue_commitment'
       and c.commitment_id = al.detail_text
       and c.account_id = al.account_id
    cross join kpi_params as p
    where in_filter($accounts, al.account_id)
)

select
    *,
    row_number() over (
        partition by account_id
        order by severity = 'high' desc, detail_date asc nulls first, kind
    ) as rank_in_account,
    count(*) over (partition by account_id) as account_alerts
from alerts
order by
    severity = 'high' desc,
    acv_eur desc,
    detail_date asc nulls first,
    account_name,
    account_id,
    kind
