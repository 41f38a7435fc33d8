-- Data status: one row per rejected export row and column at fault, with the
-- original text and where it came from.
-- Raw export lines cannot be attributed to accounts reliably, so the table is
-- not declared unscoped: a user with an account scope gets no rows (kamdata.query).
-- Parameters: $tables, $reasons (VARCHAR[] | NULL = all).
select
    table_name,
    source_file,
    line_number,
    column_name,
    raw_value,
    reason
from rejected_rows
where in_filter($tables, table_name)
  and in_filter($reasons, reason)
order by table_name, source_file, line_number, column_name
limit 5000
