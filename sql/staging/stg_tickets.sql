-- Staging model for the `tickets` export: raw text typed per the contract (kamdata/contract.py).
-- Grain: one row per export record (file, line); key (ticket_id) is de-duplicated afterwards by the build.
-- Parameters: none; reads raw_tickets (every field VARCHAR, _dialect per file), parse macros from _parse_macros.sql.

with source as (

    select * from raw_tickets

),

typed as (

    select
        kam_text(ticket_id) as ticket_id,
        kam_text(account_id) as account_id,
        kam_text(site_id) as site_id,
        kam_enum(service_line) as service_line,
        kam_enum(category) as category,
        kam_enum_upper(priority) as priority,
        kam_enum(kind) as kind,
        kam_ts(created_at) as created_at,
        kam_ts(due_at) as due_at,
        kam_ts(first_response_at) as first_response_at,
        kam_ts(resolved_at) as resolved_at,
        kam_enum(status) as status,
        kam_text(technician_id) as technician_id,
        kam_bool(first_time_fix) as first_time_fix,
        kam_bool(escalated) as escalated,
        kam_ts(updated_at) as updated_at,
        kam_ts(response_due_at) as response_due_at,
        kam_ts(resolution_due_at) as resolution_due_at,
        _row_id,
        _source_file,
        _source_line,
        _file_order
    from source

)

select * from typed
