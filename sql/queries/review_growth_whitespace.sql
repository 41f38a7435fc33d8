-- White space of one account (mart_cross_sell): one row per service line sold today that the
-- account has no active contract for, with the portfolio aggregate of its industry (how many of
-- the industry's accounts hold the line, of how many, share %) and whether it is a cross-sell
-- suggestion (share at least kpi_cross_sell_min_share). Counts only, never another account.
-- Cross-sell suggestions first, then by share. Parameters: $account_id.

select
    service_line,
    industry,
    industry_holders,
    industry_accounts,
    industry_share_pct,
    is_cross_sell
from mart_cross_sell
where account_id = $account_id
  and is_whitespace
order by is_cross_sell desc, industry_share_pct desc, service_line
