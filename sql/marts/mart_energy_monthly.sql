-- mart_energy_monthly: one row per account, site, month and carrier with readings dated by D.
-- Energy carriers carry kwh (MWh already converted in staging) and kg_co2e = kwh x factor of
-- the reading's year (that year, else the latest earlier year, else the earliest year);
-- water carries only m3 (kwh and kg_co2e NULL). Parameters (kpi_params): as_of.
with monthly as (
    select
        site.account_id,
        reading.site_id,
        date_trunc('month', reading.reading_date)::date as month,
        reading.carrier,
        sum(reading.kwh) as kwh,
        sum(reading.m3) as m3,
        count(*) as readings
    from stg_meter_readings as reading
    join stg_sites as site on site.site_id = reading.site_id
    where reading.reading_date <= (select as_of from kpi_params)
    group by site.account_id, reading.site_id, month, reading.carrier
),

needed_factors as (
    select distinct carrier, year(month) as year
    from monthly
    where carrier <> 'water'
),

chosen_factors as (
    -- the factor of that year, else the latest earlier one, else the earliest one
    select
        needed.carrier,
        needed.year,
        factor.year as factor_year,
        factor.kg_co2e_per_kwh,
        factor.source as factor_source
    from needed_factors as needed
    join mart_emission_factors as factor on factor.carrier = needed.carrier
    qualify row_number() over (
        partition by needed.carrier, needed.year
        order by factor.year > needed.year, abs(factor.year - needed.year)
    ) = 1
)

select
    monthly.account_id,
    monthly.site_id,
    monthly.month,
    monthly.carrier,
    monthly.kwh,
    monthly.m3,
    monthly.kwh * chosen.kg_co2e_per_kwh as kg_co2e,
    chosen.factor_year,
    chosen.factor_source,
    monthly.readings
from monthly
left join chosen_factors as chosen
    on chosen.carrier = monthly.carrier
   and chosen.year = year(monthly.month)
