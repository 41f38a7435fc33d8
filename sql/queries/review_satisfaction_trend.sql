-- Account review, NPS trend: one row per health as-of date of the account: the month-ends D' of
-- mart_account_health_history and D itself (mart_account_health, is_current), with the 365-day
-- NPS at that date and the survey responses behind it (int_health_inputs: non-NULL nps in the
-- window ending that date, 0 when none). Oldest first.
-- Parameters: $account_id.

with points as (
    select h.as_of, h.nps, false as is_current
    from mart_account_health_history as h
    where h.account_id = $account_id
    union all
    select p.as_of, h.nps, true as is_current
    from mart_account_health as h
    cross join kpi_params as p
    where h.account_id = $account_id
)

select
    points.as_of,
    points.nps,
    coalesce(inputs.nps_responses, 0) as nps_responses,
    points.is_current
from points
left join int_health_inputs as inputs
    on inputs.account_id = $account_id
   and inputs.as_of = points.as_of
order by points.as_of
