-- SLA compliance of the filtered tickets vs the policy targets, at three grains
-- (column `grain`):
--   'account_month_priority'  one row per account, month, priority (breach list:
--                             breached = resolution compliance below target)
--   'month_priority'          one row per month and priority (compliance chart;
--                             policy target weighted by tickets over the accounts)
--   'account_month'           one row per account and month (heatmap; breach_month =
--                             any priority below its target, KPIS.md)
-- Parameters: the global filters $accounts, $service_lines, $date_from,
-- $date_to (kamdata.query; dates on the ticket's Berlin creation date).
-- Counts come from mart_sla_daily (per account, day, priority, service line);
-- below target = macro below_target (sql/macros/rules.sql), as mart_sla_breach_months.

with by_priority as (
    select
        account_id,
        month,
        priority,
        sum(tickets)::bigint as tickets,
        sum(response_met)::bigint as response_met,
        sum(response_breached)::bigint as response_breached,
        sum(resolution_met)::bigint as resolution_met,
        sum(resolution_breached)::bigint as resolution_breached
    from filtered_sla_days($accounts, $service_lines, $date_from, $date_to)
    group by account_id, month, priority
),

judged as (
    select
        by_priority.*,
        accounts.account_name,
        policies.target_pct,
        by_priority.resolution_met + by_priority.resolution_breached as counted,
        below_target(
            compliance_pct(by_priority.resolution_met, by_priority.resolution_breached), policies.target_pct
        ) as below_target
    from by_priority
    join stg_accounts as accounts using (account_id)
    left join stg_sla_policies as policies using (account_id, priority)
),

aggregated as (
    select
        case
            when grouping(priority) = 1 then 'account_month'
            when grouping(account_id) = 1 then 'month_priority'
            else 'account_month_priority'
        end as grain,
        account_id,
        account_name,
        month,
        priority,
        sum(tickets)::bigint as tickets,
        sum(counted)::bigint as counted_tickets,
        sum(resolution_breached)::bigint as resolution_breached,
        compliance_pct(sum(response_met), sum(response_breached)) as response_compliance_pct,
        compliance_pct(sum(resolution_met), sum(resolution_breached)) as resolution_compliance_pct,
        ratio(sum(target_pct * tickets), sum(tickets) filter (where target_pct is not null)) as target_pct,
        coalesce(bool_or(below_target), false) as breach_month
    from judged
    group by grouping sets ((account_id, account_name, month, priority), (month, priority), (account_id, account_name, month))
)

select
    *,
    target_pct - resolution_compliance_pct as shortfall_points
from aggregated
order by grain, month desc, shortfall_points desc nulls last, account_name, priority
