-- int_energy_site_years: one row per site and year in which its account has energy readings
-- (sites that never report included), with the site's energy, water, CO2e and the number of
-- coverage months (1 ... last complete month of the year) that have an energy reading.
-- Parameters: none beyond those of int_energy_account_years.
with site_years as (
    select
        site.account_id,
        site.site_id,
        site.floor_area_m2,
        account_year.year,
        account_year.coverage_months
    from int_energy_account_years as account_year
    join stg_sites as site on site.account_id = account_year.account_id
),

site_energy as (
    select
        site_id,
        year(month) as year,
        sum(kwh) as kwh,
        sum(kg_co2e) as kg_co2e,
        sum(m3) as water_m3,
        count(distinct case when carrier <> 'water' then month end) as energy_months,
        string_agg(distinct factor_source, '; ' order by factor_source) as factor_sources
    from mart_energy_monthly
    group by site_id, year(month)
),

covered as (
    select
        energy.site_id,
        year(energy.month) as year,
        count(distinct energy.month) as covered_months
    from mart_energy_monthly as energy
    join int_energy_account_years as account_year
        on account_year.account_id = energy.account_id
       and account_year.year = year(energy.month)
    where energy.carrier <> 'water'
      and month(energy.month) <= account_year.coverage_months
    group by energy.site_id, year(energy.month)
)

select
    site_years.account_id,
    site_years.site_id,
    site_years.year,
    site_years.floor_area_m2,
    site_years.coverage_months,
    coalesce(site_energy.energy_months, 0) > 0 as has_energy,
    site_energy.kwh,
    site_energy.kg_co2e,
    site_energy.water_m3,
    site_energy.factor_sources,
    coalesce(covered.covered_months, 0) as covered_months
from site_years
left join site_energy
    on site_energy.site_id = site_years.site_id
   and site_energy.year = site_years.year
left join covered
    on covered.site_id = site_years.site_id
   and covered.year = site_years.year
