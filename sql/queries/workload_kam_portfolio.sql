-- KAM portfolio load (mart_kam_portfolio): one row per KAM who manages at least
-- one of the filtered accounts; the figures cover the KAM's whole portfolio.
-- Parameters: $scope, $accounts (kamdata.db).

with kams as (
    select distinct kam_id
    from stg_accounts
    where account_filter($scope, $accounts, account_id)
)

select
    portfolio.kam_id,
    portfolio.kam_name,
    portfolio.accounts,
    portfolio.acv_eur,
    portfolio.accounts_at_risk,
    portfolio.accounts_watch
from mart_kam_portfolio as portfolio
where portfolio.kam_id in (select kam_id from kams)
order by portfolio.acv_eur desc, portfolio.kam_name
