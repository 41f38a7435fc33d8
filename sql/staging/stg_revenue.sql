-- Staging model for the `revenue` export: raw text typed per the contract (kamdata/contract.py).
-- Grain: one row per export record (file, line); key (account_id, month, service_line) is de-duplicated afterwards by the build.
-- Parameters: none; reads raw_revenue (every field VARCHAR, _dialect per file), parse macros from _parse_macros.sql.

with source as (

    select * from raw_revenue

),

typed as (

    select
        kam_text(account_id) as account_id,
        kam_month("month") as "month",
        kam_enum(service_line) as service_line,
        kam_decimal(revenue_eur, _dialect) as revenue_eur,
        kam_decimal(cost_eur, _dialect) as cost_eur,
        _row_id,
        _source_file,
        _source_line,
        _file_order
    from source

)

select * from typed
