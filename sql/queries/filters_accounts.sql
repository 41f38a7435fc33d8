-- Filter options: one row per account the user may see, with the attributes
-- the global filters select on.
-- Parameters: none (the user's scope is applied by kamdata.query).
select
    account_id,
    account_name,
    region,
    industry,
    kam_id,
    kam_name
from mart_accounts
order by account_name
