-- Malus exposure per account with malus terms: one row per account, summed over
-- the months in the period, plus one total row over all those accounts
-- (account_id NULL; the page's malus tile). Parameters: $accounts, $date_from,
-- $date_to (kamdata.query; whole months overlapping the period). Malus is
-- contractual per account and month, so the service-line filter does not apply.
-- No account in the filter with malus terms: only the total row, exposure NULL.

select
    malus.account_id,
    accounts.account_name,
    count(*) as months,
    count(*) filter (where malus.exposure_eur > 0) as months_with_malus,
    max(malus.malus_pct) as max_malus_pct,
    sum(malus.exposure_eur) as exposure_eur
from mart_sla_malus as malus
join stg_accounts as accounts using (account_id)
where in_filter($accounts, malus.account_id)
  and month_in_period(malus.month, $date_from, $date_to)
group by grouping sets ((malus.account_id, accounts.account_name), ())
order by grouping(malus.account_id), exposure_eur desc, accounts.account_name
