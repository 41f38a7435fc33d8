-- Staging model for the `employees` export: raw text typed per the contract (kamdata/contract.py).
-- Grain: one row per export record (file, line); key (employee_id) is de-duplicated afterwards by the build.
-- Parameters: none; reads raw_employees (every field VARCHAR, _dialect per file), parse macros from _parse_macros.sql.

with source as (

    select * from raw_employees

),

typed as (

    select
        kam_text(employee_id) as employee_id,
        kam_text(name) as name,
        kam_text(department) as department,
        kam_text(role) as role,
        kam_decimal(weekly_capacity_h, _dialect) as weekly_capacity_h,
        kam_bool(active) as active,
        kam_text(email) as email,
        _row_id,
        _source_file,
        _source_line,
        _file_order
    from source

)

select * from typed
