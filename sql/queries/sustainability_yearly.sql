-- Energy and CO2e of the filtered accounts: one row per calendar year, summed over
-- accounts, with EUI, CO2 intensity and coverage re-computed by the shared macros
-- (so a filtered subset uses the same formulas as mart_sustainability_yearly).
-- Parameters: $accounts, $date_from, $date_to (kamdata.query; years that
-- overlap the period). Service lines do not apply to meter readings.

with yearly as (
    select *
    from mart_sustainability_yearly
    where in_filter($accounts, account_id)
      and year_in_period(year, $date_from, $date_to)
)

select
    year,
    count(*) as accounts,
    sum(kwh) as kwh,
    sum(floor_area_m2) as floor_area_m2,
    ratio(sum(kwh), sum(floor_area_m2)) as eui_kwh_m2,
    sum(kg_co2e) as kg_co2e,
    ratio(sum(kg_co2e), sum(floor_area_m2)) as co2e_kg_m2,
    sum(water_m3) as water_m3,
    pct(sum(covered_site_months), sum(coverage_site_months)) as coverage_pct,
    merged_sources(factor_sources, '; ') as factor_sources
from yearly
group by year
order by year
