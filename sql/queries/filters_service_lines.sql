-- Filter options: one row per service line that occurs in the contracts or
-- tickets of the accounts the user may see.
-- Parameters: none (the user's scope is applied by kamdata.query).
with lines as (
    select account_id, service_line from stg_contracts
    union
    select account_id, service_line from stg_tickets
)

select distinct service_line
from lines
order by service_line
