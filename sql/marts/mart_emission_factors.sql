-- mart_emission_factors: one row per carrier and year of the effective emission factors.
-- For every carrier the emission_factors export covers, the export's rows replace the
-- shipped defaults (seed_emission_factors) entirely; other carriers keep the defaults.
-- Parameters: none (seed_emission_factors comes from settings.toml).
with exported as (
    select carrier, year, kg_co2e_per_kwh, source, 'export' as origin
    from stg_emission_factors
),

defaults as (
    select carrier, year, kg_co2e_per_kwh, source, 'default' as origin
    from seed_emission_factors
    where carrier not in (select carrier from exported)
)

select * from exported
union all
select * from defaults
