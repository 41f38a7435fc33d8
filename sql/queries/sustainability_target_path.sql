-- Reduction vs target path of one account: one row per year with energy readings,
-- every year (the path needs the baseline, so the period filter does not apply).
-- Parameters: $scope, $account_id.

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
where in_filter($scope, account_id)
  and account_id = $account_id
order by year
