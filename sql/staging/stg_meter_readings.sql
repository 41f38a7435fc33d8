-- Staging model for the `meter_readings` export: raw text typed per the contract (kamdata/contract.py).
-- Grain: one row per export record (file, line); key (site_id, reading_date, carrier) is de-duplicated afterwards by the build.
-- Parameters: none; reads raw_meter_readings (every field VARCHAR, _dialect per file), parse macros from _parse_macros.sql.

with source as (

    select * from raw_meter_readings

),

typed as (

    select
        kam_text(site_id) as site_id,
        kam_date(reading_date) as reading_date,
        kam_enum(carrier) as carrier,
        kam_decimal(quantity, _dialect) as quantity,
        kam_enum(unit) as unit,
        _row_id,
        _source_file,
        _source_line,
        _file_order
    from source

)

select
    *,
    -- energy in kWh (MWh x 1000), NULL for water; water volume in m3, NULL for energy
    case unit when 'kwh' then quantity when 'mwh' then quantity * 1000 end as kwh,
    case when unit = 'm3' then quantity end as m3
from typed
