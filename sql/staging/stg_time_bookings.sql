-- Staging model for the `time_bookings` export: raw text typed per the contract (kamdata/contract.py).
-- Grain: one row per export record (file, line); key (booking_id) is de-duplicated afterwards by the build.
-- Parameters: none; reads raw_time_bookings (every field VARCHAR, _dialect per file), parse macros from _parse_macros.sql.

with source as (

    select * from raw_time_bookings

),

typed as (

    select
        kam_text(booking_id) as booking_id,
        kam_text(employee_id) as employee_id,
        kam_text(account_id) as account_id,
        kam_date(booking_date) as booking_date,
        kam_decimal(hours, _dialect) as hours,
        kam_text(activity) as activity,
        _row_id,
        _source_file,
        _source_line,
        _file_order
    from source

)

select * from typed
