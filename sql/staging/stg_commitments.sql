-- Staging model for the `commitments` export: raw text typed per the contract (kamdata/contract.py).
-- Grain: one row per export record (file, line); key (commitment_id) is de-duplicated afterwards by the build.
-- Parameters: none; reads raw_commitments (every field VARCHAR, _dialect per file), parse macros from _parse_macros.sql.

with source as (

    select * from raw_commitments

),

typed as (

    select
        kam_text(commitment_id) as commitment_id,
        kam_text(account_id) as account_id,
        kam_text(owner_id) as owner_id,
        kam_date(promised_on) as promised_on,
        kam_date(due_date) as due_date,
        kam_date(done_on) as done_on,
        kam_text(description) as description,
        _row_id,
        _source_file,
        _source_line,
        _file_order
    from source

)

select * from typed
