-- mart_sla_breach_months: one row per account and month that is an SLA breach month, i.e. for
-- at least one priority the month's resolution compliance is below that priority's target_pct.
-- Parameters: none beyond those of mart_sla_monthly.
select
    account_id,
    month,
    string_agg(priority, ', ' order by priority) as breached_priorities,
    count(*) as breached_priority_count
from mart_sla_monthly
where below_target(resolution_compliance_pct, target_pct)
group by account_id, month
