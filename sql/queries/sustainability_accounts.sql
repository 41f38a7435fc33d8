-- Sustainability per account and year (mart_sustainability_yearly with names):
-- one row per (account, year) with energy readings, newest year first.
-- Parameters: $accounts, $date_from, $date_to (kamdata.query; years that
-- overlap the period).

select
    yearly.account_id,
    accounts.account_name,
    yearly.year,
    yearly.kwh,
    yearly.floor_area_m2,
    yearly.eui_kwh_m2,
    yearly.kg_co2e,
    yearly.co2e_kg_m2,
    yearly.reduction_pct,
    yearly.target_path_pct,
    yearly.on_track,
    yearly.coverage_pct,
    yearly.baseline_year,
    yearly.target_year,
    yearly.target_reduction_pct,
    yearly.water_m3,
    yearly.factor_sources
from mart_sustainability_yearly as yearly
join stg_accounts as accounts using (account_id)
where in_filter($accounts, yearly.account_id)
  and year_in_period(yearly.year, $date_from, $date_to)
order by yearly.year desc, accounts.account_name
