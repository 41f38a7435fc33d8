-- mart_account_health_history: one row per account and each of the kpi_history_months
-- month-ends D' before D (NULL scores included): the same score, components and raw metrics as
-- the current one, computed with every window moved to D' and timestamps after D'_end not yet
-- happened. Parameters: those of int_health_scores and int_health_as_of.
select * exclude (is_current)
from int_health_scores
where not is_current
