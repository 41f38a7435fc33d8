-- SLA compliance of the filtered tickets vs the policy targets, at three grains
-- (column `grain`):
--   'account_month_priority'  one row per account, month, priority (breach list:
--                             breached = resolution compliance below target)
--   'month_priority'          one row per month and priority (compliance chart;
--                             policy target weighted by tickets over the accounts)
--   'account_month'           one row per account and month (heatmap; breach_month =
--                             any priority below its target, KPIS.md)
-- Every grain says whether its month is the running month (the month of D, `running_month`) and
-- whether it is still provisional: a running-month row with fewer than
-- $running_month_min_judged judged tickets (met + breached resolutions, `counted_tickets`).
-- A provisional row is drawn, marked, but is no breach yet (`listed_breach` false) and takes no
-- part in "worst" rankings; months before the month of D are never provisional.
-- Parameters: the global filters $accounts, $service_lines, $date_from,
-- $date_to (kamdata.query; dates on the ticket's Berlin creation date) and
-- $running_month_min_judged (settings app.running_month_min_judged).
-- Counts come from filtered_sla_counts (whole months from mart_sla_month_lines, the days of a month
-- the period cuts from mart_sla_daily);
-- below target = macro below_target (sql/macros/rules.sql), as mart_sla_breach_months.

with params as (
    select date_trunc('month', as_of)::date as running_month from kpi_params
),

by_priority as (
    select
        account_id,
        month,
        priority,
        sum(tickets)::bigint as tickets,
        sum(response_met)::bigint as response_met,
        sum(response_breached)::bigint as response_breached,
        sum(resolution_met)::bigint as resolution_met,
        sum(resolution_breached)::bigint as resolution_breached
    from filtered_sla_counts($accounts, $service_lines, $date_from, $date_to)
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
),

flagged as (
    select
        aggregated.*,
        aggregated.target_pct - aggregated.resolution_compliance_pct as shortfall_points,
        aggregated.month = p.running_month as running_month,
        aggregated.month = p.running_month and aggregated.counted_tickets < $running_month_min_judged as provisional
    from aggregated
    cross join params as p
)

select
    *,
    breach_month and not provisional as listed_breach
from flagged
order by grain, month desc, shortfall_points desc nulls last, account_name, priority
