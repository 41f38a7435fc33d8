-- mart_site_energy_yearly: one row per site and calendar year in which the site's account has
-- energy readings (so sites that never report show up with NULL energy and 0 % coverage).
-- Coverage over months 1 ... last complete month of the year (NULL when none).
-- Parameters: none beyond those of int_energy_site_years.
select
    site_year.site_id,
    site_year.year,
    site_year.account_id,
    site.site_name,
    site.city,
    site.building_type,
    site.latitude,
    site.longitude,
    site_year.floor_area_m2,
    site_year.kwh,
    site_year.kg_co2e,
    ratio(site_year.kwh, site_year.floor_area_m2) as eui_kwh_m2,
    ratio(site_year.kg_co2e, site_year.floor_area_m2) as co2e_kg_m2,
    site_year.water_m3,
    pct(site_year.covered_months, site_year.coverage_months) as coverage_pct,
    site_year.has_energy,
    site_year.factor_sources
from int_energy_site_years as site_year
join stg_sites as site on site.site_id = site_year.site_id
