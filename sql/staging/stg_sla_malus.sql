-- Staging model for the `sla_malus` export: raw text typed per the contract (kamdata/contract.py).
-- Grain: one row per export record (file, line); key (account_id) is de-duplicated afterwards by the build.
-- Parameters: none; reads raw_sla_malus (every field VARCHAR, _dialect per file), parse macros from _parse_macros.sql.

with source as (

    select * from raw_sla_malus

),

typed as (

    select
        kam_text(account_id) as account_id,
        kam_decimal(malus_pct_per_point, _dialect) as malus_pct_per_point,
        kam_decimal(malus_cap_pct, _dialect) as malus_cap_pct,
        _row_id,
        _source_file,
        _source_line,
        _file_order
    from source

)

select * from typed
