-- Staging model for the `accounts` export: raw text typed per the contract (kamdata/contract.py).
-- Grain: one row per export record (file, line); key (account_id) is de-duplicated afterwards by the build.
-- Parameters: none; reads raw_accounts (every field VARCHAR, _dialect per file), parse macros from _parse_macros.sql.

with source as (

    select * from raw_accounts

),

typed as (

    select
        kam_text(account_id) as account_id,
        kam_text(account_name) as account_name,
        kam_text(industry) as industry,
        kam_text(region) as region,
        kam_text(kam_id) as kam_id,
        kam_date(customer_since) as customer_since,
        kam_ts(updated_at) as updated_at,
        _row_id,
        _source_file,
        _source_line,
        _file_order
    from source

)

select * from typed
