-- Filter options: one row per service line that occurs in the contracts or
-- tickets of the accounts the user may see.
-- Parameters: $scope (VARCHAR[] | NULL).
with lines as (
    select account_id, service_line from stg_contracts
    union
    select account_id, service_line from stg_tickets
)

select distinct service_line
from lines
where in_filter($scope, account_id)
order by service_line
