-- Revenue and margin of one account per month (mart_revenue_monthly summed over service lines):
-- one row per month with revenue rows among the 24 complete months up to the last complete
-- month L. margin_pct is recomputed from the month's sums with the kpi macro margin_pct over
-- the rows that give a cost (as the 12-month margin of mart_accounts), never an average of the
-- lines' ratios. recent: the month is in the 12 months L-11 .. L (else the 12 before).
-- Parameters: $account_id.

select
    revenue.month,
    sum(revenue.revenue_eur) as revenue_eur,
    sum(revenue.cost_eur) as cost_eur,
    margin_pct(
        sum(revenue.revenue_eur) filter (where revenue.cost_eur is not null),
        sum(revenue.cost_eur)
    ) as margin_pct,
    revenue.month >= (any_value(p.last_complete_month) - interval 11 month)::date as recent
from mart_revenue_monthly as revenue
cross join kpi_params as p
where revenue.account_id = $account_id
  and revenue.month between (p.last_complete_month - interval 23 month)::date and p.last_complete_month
group by revenue.month
order by revenue.month
