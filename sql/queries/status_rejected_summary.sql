-- Data status: one row per (table, reason) of the rejected rows with its count;
-- feeds the table/reason filters of the rejected-rows list.
-- Parameters: none. Like status_rejected_rows, no rows for a user with an account scope.
select
    table_name,
    reason,
    count(*) as rejected
from rejected_rows
group by table_name, reason
order by table_name, rejected desc, reason
