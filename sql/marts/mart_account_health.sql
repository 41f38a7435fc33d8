-- mart_account_health: one row per account: the health score as of D (half up, one decimal),
-- its band, the six component scores, the six raw metrics behind them, relationship_never and
-- weight_used (share of the total weight whose metric had data).
-- Parameters: those of int_health_scores, at the as-of date D.
select * exclude (is_current)
from int_health_scores
where is_current
