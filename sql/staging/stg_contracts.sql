-- Staging model for the `contracts` export: raw text typed per the contract (kamdata/contract.py).
-- Grain: one row per export record (file, line); key (contract_id) is de-duplicated afterwards by the build.
-- Parameters: none; reads raw_contracts (every field VARCHAR, _dialect per file), parse macros from _parse_macros.sql.

with source as (

    select * from raw_contracts

),

typed as (

    select
        kam_text(contract_id) as contract_id,
        kam_text(account_id) as account_id,
        kam_enum(service_line) as service_line,
        kam_date(start_date) as start_date,
        kam_date(end_date) as end_date,
        kam_decimal(annual_value_eur, _dialect) as annual_value_eur,
        kam_integer(notice_period_days, _dialect) as notice_period_days,
        kam_bool(auto_renew) as auto_renew,
        _row_id,
        _source_file,
        _source_line,
        _file_order
    from source

)

select * from typed
