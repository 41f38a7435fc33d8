-- Staging model for the `sustainability_targets` export: raw text typed per the contract (kamdata/contract.py).
-- Grain: one row per export record (file, line); key (account_id) is de-duplicated afterwards by the build.
-- Parameters: none; reads raw_sustainability_targets (every field VARCHAR, _dialect per file), parse macros from _parse_macros.sql.

with source as (

    select * from raw_sustainability_targets

),

typed as (

    select
        kam_text(account_id) as account_id,
        kam_integer(baseline_year, _dialect) as baseline_year,
        kam_integer(target_year, _dialect) as target_year,
        kam_decimal(target_reduction_pct, _dialect) as target_reduction_pct,
        _row_id,
        _source_file,
        _source_line,
        _file_order
    from source

)

select * from typed
