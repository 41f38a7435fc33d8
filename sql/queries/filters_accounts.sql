-- Filter options: one row per account the user may see, with the attributes
-- the global filters select on.
-- Parameters: $scope (VARCHAR[] | NULL).
select
    account_id,
    account_name,
    region,
    industry,
    kam_id,
    kam_name
from mart_accounts
where in_filter($scope, account_id)
order by account_name
