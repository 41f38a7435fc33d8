-- Open opportunities of one account (stg_opportunities, stage neither won nor lost): one row per
-- opportunity, the nearest expected close first. Parameters: $account_id.

select
    opportunity_id,
    service_line,
    stage,
    expected_value_eur,
    expected_close,
    created_on
from stg_opportunities
where account_id = $account_id
  and stage not in ('won', 'lost')
order by expected_close nulls last, expected_value_eur desc, opportunity_id
