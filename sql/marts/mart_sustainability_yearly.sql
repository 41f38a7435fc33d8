-- mart_sustainability_yearly: one row per account and calendar year with at least one energy
-- reading dated by D (the year of D gets a partial row).
-- floor area = sites with an energy reading that year; coverage over all the account's sites
-- and months 1 ... last complete month of the year; reduction vs the baseline year's
-- absolute kg_co2e (NULL without a baseline row or with zero baseline CO2e); target path
-- clamped to [0, target_reduction_pct]; on_track only for complete years (< year of D).
-- Parameters (kpi_params): as_of.
with account_years as (
    select
        account_id,
        year,
        sum(kwh) as kwh,
        sum(floor_area_m2) filter (where has_energy) as floor_area_m2,
        sum(kg_co2e) as kg_co2e,
        sum(water_m3) as water_m3,
        sum(covered_months) as covered_site_months,
        count(*) * any_value(coverage_months) as coverage_site_months
    from int_energy_site_years
    group by account_id, year
),

sources as (
    select
        account_id,
        year(month) as year,
        string_agg(distinct factor_source, '; ' order by factor_source) as factor_sources
    from mart_energy_monthly
    group by account_id, year(month)
),

with_baseline as (
    select
        account_years.*,
        target.baseline_year,
        target.target_year,
        target.target_reduction_pct,
        baseline.kg_co2e as baseline_kg_co2e
    from account_years
    left join stg_sustainability_targets as target on target.account_id = account_years.account_id
    left join account_years as baseline
        on baseline.account_id = account_years.account_id
       and baseline.year = target.baseline_year
),

judged as (
    select
        with_baseline.*,
        pct(baseline_kg_co2e - kg_co2e, baseline_kg_co2e) as reduction_pct,
        -- DuckDB's greatest/least skip NULLs: without a target the path must stay NULL, not 0
        case when target_reduction_pct is not null then greatest(0, least(
            target_reduction_pct,
            target_reduction_pct * (year - baseline_year) / (target_year - baseline_year)
        )) end as target_path_pct
    from with_baseline
)

select
    judged.account_id,
    judged.year,
    judged.kwh,
    judged.floor_area_m2,
    ratio(judged.kwh, judged.floor_area_m2) as eui_kwh_m2,
    judged.kg_co2e,
    ratio(judged.kg_co2e, judged.floor_area_m2) as co2e_kg_m2,
    judged.reduction_pct,
    judged.target_path_pct,
    case when judged.year < year(params.as_of) then judged.reduction_pct >= judged.target_path_pct end as on_track,
    pct(judged.covered_site_months, judged.coverage_site_months) as coverage_pct,
    judged.baseline_year,
    judged.target_year,
    judged.target_reduction_pct,
    judged.water_m3,
    sources.factor_sources,
    judged.covered_site_months,
    judged.coverage_site_months
from judged
cross join kpi_params as params
left join sources on sources.account_id = judged.account_id and sources.year = judged.year
