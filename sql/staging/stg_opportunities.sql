-- Staging model for the `opportunities` export: raw text typed per the contract (kamdata/contract.py).
-- Grain: one row per export record (file, line); key (opportunity_id) is de-duplicated afterwards by the build.
-- Parameters: none; reads raw_opportunities (every field VARCHAR, _dialect per file), parse macros from _parse_macros.sql.

with source as (

    select * from raw_opportunities

),

typed as (

    select
        kam_text(opportunity_id) as opportunity_id,
        kam_text(account_id) as account_id,
        kam_enum(service_line) as service_line,
        kam_enum(stage) as stage,
        kam_decimal(expected_value_eur, _dialect) as expected_value_eur,
        kam_date(expected_close) as expected_close,
        kam_date(created_on) as created_on,
        kam_ts(updated_at) as updated_at,
        _row_id,
        _source_file,
        _source_line,
        _file_order
    from source

)

select * from typed
