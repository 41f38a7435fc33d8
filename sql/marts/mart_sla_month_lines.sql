-- mart_sla_month_lines: the counts of mart_sla_daily summed per account, month (of the Berlin
-- creation date), priority and service line: about 30 times fewer rows, for the landing views
-- (SLA page, portfolio) whose period covers whole months. filtered_sla_counts
-- (sql/macros/app_filters.sql) reads a month from here when the period covers it whole, else the
-- days of mart_sla_daily in the period, so sums over it equal sums over the ticket grain.
select
    account_id,
    month,
    priority,
    service_line,
    sum(columns(* exclude (account_id, created_date, month, priority, service_line)))::bigint
from mart_sla_daily
group by account_id, month, priority, service_line
order by month, account_id, priority, service_line
