-- Staging model for the `account_team` export: raw text typed per the contract (kamdata/contract.py).
-- Grain: one row per export record (file, line); key (account_id, employee_id) is de-duplicated afterwards by the build.
-- Parameters: none; reads raw_account_team (every field VARCHAR, _dialect per file), parse macros from _parse_macros.sql.

with source as (

    select * from raw_account_team

),

typed as (

    select
        kam_text(account_id) as account_id,
        kam_text(employee_id) as employee_id,
        kam_text(team_role) as team_role,
        kam_decimal(allocation_pct, _dialect) as allocation_pct,
        _row_id,
        _source_file,
        _source_line,
        _file_order
    from source

)

select * from typed
