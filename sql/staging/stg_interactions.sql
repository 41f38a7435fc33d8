-- Staging model for the `interactions` export: raw text typed per the contract (kamdata/contract.py).
-- Grain: one row per export record (file, line); key (interaction_id) is de-duplicated afterwards by the build.
-- Parameters: none; reads raw_interactions (every field VARCHAR, _dialect per file), parse macros from _parse_macros.sql.

with source as (

    select * from raw_interactions

),

typed as (

    select
        kam_text(interaction_id) as interaction_id,
        kam_text(account_id) as account_id,
        kam_date(interaction_date) as interaction_date,
        kam_enum(channel) as channel,
        kam_enum(initiated_by) as initiated_by,
        kam_text(employee_id) as employee_id,
        kam_text(subject) as subject,
        _row_id,
        _source_file,
        _source_line,
        _file_order
    from source

)

select * from typed
