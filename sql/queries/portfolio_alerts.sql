-- Portfolio alert list: one row per alert (mart_alerts) of the accounts
-- matching the global filters, most severe first, with the account's band
-- and the values the page translates the reason from.
-- Parameters: $accounts. Alerts are account-level: the service-line
-- filter does not apply (it never narrows the set of accounts).
select
    al.account_id,
    a.account_name,
    a.band,
    al.kind,
    al.severity,
    al.reason,
    al.detail_date,
    al.detail_value,
    al.detail_text,
    al.detail_count,
    p.alerts_sla_breach_lookback_months as sla_lookback_months,
    p.alerts_detractor_days as detractor_days
from mart_alerts as al
inner join mart_accounts as a on a.account_id = al.account_id
cross join kpi_params as p
where in_filter($accounts, al.account_id)
order by al.severity = 'high' desc, a.health_score asc nulls last, a.account_name, al.kind
