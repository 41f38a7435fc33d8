-- Staging model for the `sla_policies` export: raw text typed per the contract (kamdata/contract.py).
-- Grain: one row per export record (file, line); key (account_id, priority) is de-duplicated afterwards by the build.
-- Parameters: none; reads raw_sla_policies (every field VARCHAR, _dialect per file), parse macros from _parse_macros.sql.

with source as (

    select * from raw_sla_policies

),

typed as (

    select
        kam_text(account_id) as account_id,
        kam_enum_upper(priority) as priority,
        kam_decimal(response_target_h, _dialect) as response_target_h,
        kam_decimal(resolution_target_h, _dialect) as resolution_target_h,
        kam_decimal(target_pct, _dialect) as target_pct,
        _row_id,
        _source_file,
        _source_line,
        _file_order
    from source

)

select * from typed
