-- Data status: one row per export table of the published build with its row
-- accounting (read = loaded + superseded + rejected).
-- unscoped: build_tables (row counts per export table, no account data)
select
    table_name,
    files,
    rows_read,
    rows_loaded,
    rows_superseded,
    rows_rejected
from build_tables
order by table_name
