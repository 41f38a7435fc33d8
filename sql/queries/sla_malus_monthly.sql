-- Malus exposure per account and month (KPIS.md "Malus exposure"): one row per account with
-- malus terms and month in the period (mart_sla_malus), plus one total row per month over those
-- accounts (account_id NULL). running_month marks the month of D: month to date, compliance so
-- far against the full monthly fee (KPIS.md), so its figure can still change until the month ends.
-- Parameters: $accounts, $date_from, $date_to (kamdata.query; whole months overlapping the
-- period). Malus is contractual per account and month: the service-line filter does not apply.

select
    malus.account_id,
    accounts.account_name,
    malus.month,
    sum(malus.exposure_eur) as exposure_eur,
    max(malus.malus_pct) as malus_pct,
    sum(malus.shortfall_points) as shortfall_points,
    sum(malus.monthly_fee_eur) as monthly_fee_eur,
    coalesce(malus.month = any_value(date_trunc('month', p.as_of)::date), false) as running_month
from mart_sla_malus as malus
join stg_accounts as accounts using (account_id)
cross join kpi_params as p
where in_filter($accounts, malus.account_id)
  and month_in_period(malus.month, $date_from, $date_to)
group by grouping sets ((malus.account_id, accounts.account_name, malus.month), (malus.month))
order by malus.month, grouping(malus.account_id), accounts.account_name
