-- Reduction vs target path of one account: one row per year with energy readings
-- from the baseline year on (the path is defined from there; a "reduction vs
-- baseline" before it means nothing), regardless of the period filter.
-- Parameters: $account_id.

select
    year,
    reduction_pct,
    target_path_pct,
    on_track,
    baseline_year,
    target_year,
    target_reduction_pct,
    kg_co2e,
    factor_sources
from mart_sustainability_yearly
where account_id = $account_id
  and year >= baseline_year
order by year
