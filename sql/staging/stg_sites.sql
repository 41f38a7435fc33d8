-- Staging model for the `sites` export: raw text typed per the contract (kamdata/contract.py).
-- Grain: one row per export record (file, line); key (site_id) is de-duplicated afterwards by the build.
-- Parameters: none; reads raw_sites (every field VARCHAR, _dialect per file), parse macros from _parse_macros.sql.

with source as (

    select * from raw_sites

),

typed as (

    select
        kam_text(site_id) as site_id,
        kam_text(account_id) as account_id,
        kam_text(site_name) as site_name,
        kam_text(city) as city,
        kam_text(country) as country,
        kam_text(building_type) as building_type,
        kam_decimal(floor_area_m2, _dialect) as floor_area_m2,
        kam_decimal(latitude, _dialect) as latitude,
        kam_decimal(longitude, _dialect) as longitude,
        _row_id,
        _source_file,
        _source_line,
        _file_order
    from source

)

select * from typed
