-- Staging model for the `emission_factors` export: raw text typed per the contract (kamdata/contract.py).
-- Grain: one row per export record (file, line); key (carrier, year) is de-duplicated afterwards by the build.
-- Parameters: none; reads raw_emission_factors (every field VARCHAR, _dialect per file), parse macros from _parse_macros.sql.

with source as (

    select * from raw_emission_factors

),

typed as (

    select
        kam_enum(carrier) as carrier,
        kam_integer("year", _dialect) as "year",
        kam_decimal(kg_co2e_per_kwh, _dialect) as kg_co2e_per_kwh,
        kam_text(source) as source,
        _row_id,
        _source_file,
        _source_line,
        _file_order
    from source

)

select * from typed
