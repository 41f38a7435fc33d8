-- int_health_as_of: one row per as-of date the health score is computed for:
-- D itself (is_current) and the last day D' of each of the kpi_history_months months before D.
-- Parameters (kpi_params): as_of, kpi_timezone, kpi_history_months.
-- Every window of the health inputs moves with this as_of; d_end is its end (24:00 local),
-- last_complete_month the month before its month (macros of sql/macros/rules.sql).
with params as (
    select as_of, kpi_timezone, kpi_history_months from kpi_params
),

history_dates as (
    select prev_month_end(p.as_of - to_months(k - 1)) as as_of
    from params as p
    cross join generate_series(1, p.kpi_history_months) as g(k)
),

as_of_dates as (
    select as_of, true as is_current from params
    union all
    select as_of, false as is_current from history_dates
)

select
    d.as_of,
    d.is_current,
    day_end(d.as_of, p.kpi_timezone) as d_end,
    last_complete_month(d.as_of) as last_complete_month
from as_of_dates as d
cross join params as p
