-- Filter options: one row per service line that occurs in the contracts or
-- tickets of the accounts the user may see (mart_account_service_lines).
-- Parameters: none (the user's scope is applied by kamdata.query).
select distinct service_line
from mart_account_service_lines
order by service_line
