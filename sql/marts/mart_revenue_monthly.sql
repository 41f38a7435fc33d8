-- mart_revenue_monthly: one row per account, month (up to the month of D) and service line:
-- revenue, cost and margin % ((revenue - cost) / revenue, NULL without a cost).
-- Parameters (kpi_params): as_of.
select
    r.account_id,
    r.month,
    r.service_line,
    r.revenue_eur,
    r.cost_eur,
    margin_pct(r.revenue_eur, r.cost_eur) as margin_pct
from stg_revenue as r
cross join kpi_params as p
where r.month <= p.as_of
