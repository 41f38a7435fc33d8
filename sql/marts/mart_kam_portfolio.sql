-- mart_kam_portfolio: one row per KAM (an employee who is kam_id of at least one account):
-- number of accounts, their ACV at D and how many are at risk / on watch.
-- Parameters: none of its own (ACV and band from mart_accounts).
select
    kam_id,
    kam_name,
    count(*) as accounts,
    sum(acv_eur) as acv_eur,
    count(*) filter (where band = 'at_risk') as accounts_at_risk,
    count(*) filter (where band = 'watch') as accounts_watch,
    count(*) filter (where health_score is null) as accounts_no_score
from mart_accounts
group by kam_id, kam_name
