-- Malus exposure month to date (the page's "at risk now" tile): one row for the month of D over
-- the filtered accounts with malus terms, whatever the period: the running month's exposure
-- (KPIS.md: compliance so far, full monthly fee). exposure_eur is NULL when no account in the
-- filter has malus terms; 0 when they have but none has a row (no ticket yet) or no shortfall.
-- Parameters: $accounts (kamdata.query). The service-line filter does not apply (contractual).

with params as (
    select date_trunc('month', as_of)::date as month from kpi_params
),

terms as (
    select account_id
    from stg_sla_malus
    where in_filter($accounts, account_id)
)

select
    p.month,
    case when count(terms.account_id) > 0 then coalesce(sum(malus.exposure_eur), 0) end as exposure_eur,
    count(terms.account_id) as accounts_with_terms,
    count(*) filter (where malus.exposure_eur > 0) as accounts_with_malus
from params as p
left join terms on true
left join mart_sla_malus as malus
    on malus.account_id = terms.account_id
   and malus.month = p.month
group by p.month
