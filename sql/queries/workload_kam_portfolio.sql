-- KAM portfolio load (mart_kam_portfolio): one row per KAM who manages at least
-- one of the filtered accounts; the figures cover the KAM's whole portfolio.
-- ACV follows the service-line filter like every line-level fact: the annual
-- value of the KAM's accounts' contracts active at D (acv macro over mart_contracts,
-- sql/macros/rules.sql) in the selected lines, the same source and rule as the ACV of portfolio_kpis.sql
-- and portfolio_accounts.sql (without a line filter it equals
-- mart_kam_portfolio.acv_eur). Accounts, at risk and watch are account-level
-- and stay.
-- Parameters: $accounts, $service_lines (kamdata.query).

with kams as (
    select distinct kam_id
    from stg_accounts
    where in_filter($accounts, account_id)
),

acv as (
    select
        a.kam_id,
        acv(c.annual_value_eur, c.is_active) as acv_eur
    from mart_contracts as c
    join mart_accounts as a using (account_id)
    where in_filter($service_lines, c.service_line)
    group by a.kam_id
)

select
    portfolio.kam_id,
    portfolio.kam_name,
    portfolio.accounts,
    coalesce(acv.acv_eur, 0) as acv_eur,
    portfolio.accounts_at_risk,
    portfolio.accounts_watch
from mart_kam_portfolio as portfolio
left join acv using (kam_id)
where portfolio.kam_id in (select kam_id from kams)
order by acv_eur desc, portfolio.kam_name
