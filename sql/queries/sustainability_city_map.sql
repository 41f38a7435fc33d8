-- Site map of the filtered accounts in one year, one circle per city: the sites with energy in
-- $year and coordinates, counted and summed per city, placed at the mean position of those sites.
-- EUI and CO2 intensity are ratios of the sums (as for an account, KPIS.md: energy over the floor
-- area of the sites with energy), never averages of the sites' ratios. A map of every site sent
-- thousands of points on each load; the site table lists every site.
-- Parameters: $accounts, $year (INTEGER).

select
    city,
    count(*) as sites,
    count(distinct account_id) as accounts,
    avg(latitude) as latitude,
    avg(longitude) as longitude,
    sum(floor_area_m2) as floor_area_m2,
    sum(kwh) as kwh,
    sum(kg_co2e) as kg_co2e,
    ratio(sum(kwh), sum(floor_area_m2)) as eui_kwh_m2,
    ratio(sum(kg_co2e), sum(floor_area_m2)) as co2e_kg_m2,
    merged_sources(factor_sources, '; ') as factor_sources
from mart_site_energy_yearly
where in_filter($accounts, account_id)
  and year = $year
  and kwh is not null
  and latitude is not null
  and longitude is not null
group by city
order by kwh desc, city
