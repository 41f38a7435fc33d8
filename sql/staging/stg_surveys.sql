-- Staging model for the `surveys` export: raw text typed per the contract (kamdata/contract.py).
-- Grain: one row per export record (file, line); key (response_id) is de-duplicated afterwards by the build.
-- Parameters: none; reads raw_surveys (every field VARCHAR, _dialect per file), parse macros from _parse_macros.sql.

with source as (

    select * from raw_surveys

),

typed as (

    select
        kam_text(response_id) as response_id,
        kam_text(account_id) as account_id,
        kam_date(response_date) as response_date,
        kam_integer(nps, _dialect) as nps,
        kam_integer(csat, _dialect) as csat,
        kam_text(comment) as comment,
        _row_id,
        _source_file,
        _source_line,
        _file_order
    from source

)

select * from typed
