-- Carrier mix: one row per (month, carrier) of the filtered accounts' sites with
-- energy (kWh, kg CO2e) or water (m3), and the emission-factor sources used, plus
-- one total row for the period (month and carrier NULL; the page's water total,
-- m3 NULL when no water was metered).
-- Parameters: $accounts, $date_from, $date_to (kamdata.query; whole months
-- overlapping the period).

select
    month,
    carrier,
    sum(kwh) as kwh,
    sum(kg_co2e) as kg_co2e,
    sum(m3) as m3,
    string_agg(distinct factor_source, '; ' order by factor_source) as factor_source
from mart_energy_monthly
where in_filter($accounts, account_id)
  and month_in_period(month, $date_from, $date_to)
group by grouping sets ((month, carrier), ())
order by grouping(month, carrier), month, carrier
