-- Data status: one row per (table, reason) of the rejected rows with its count;
-- feeds the table/reason filters of the rejected-rows list.
-- Parameters: $scope (only users who may see all accounts get rows).
select
    table_name,
    reason,
    count(*) as rejected
from rejected_rows
where $scope is null
group by table_name, reason
order by table_name, rejected desc, reason
