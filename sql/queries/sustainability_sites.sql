-- Sites of the filtered accounts in one year: one row per site with energy in
-- $year (top consumers, map), largest consumer first.
-- Parameters: $accounts, $year (INTEGER).

select
    sites.site_id,
    sites.site_name,
    sites.city,
    sites.building_type,
    accounts.account_name,
    sites.latitude,
    sites.longitude,
    sites.floor_area_m2,
    sites.kwh,
    sites.kg_co2e,
    sites.eui_kwh_m2,
    sites.co2e_kg_m2,
    sites.coverage_pct,
    sites.factor_sources
from mart_site_energy_yearly as sites
join stg_accounts as accounts using (account_id)
where in_filter($accounts, sites.account_id)
  and sites.year = $year
  and sites.kwh is not null
order by sites.kwh desc, sites.site_name
