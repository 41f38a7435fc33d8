-- Backlog ageing at D: one row per age bucket (all four, zero-filled) and priority.
-- Parameters: the global filters $accounts, $service_lines, $date_from,
-- $date_to (kamdata.query; dates on the ticket's Berlin creation date).
-- Counts per bucket come pre-aggregated (filtered_sla_counts, one column per bucket).

with by_priority as (
    select
        priority,
        sum(backlog_0_2d)::bigint as "0-2 d",
        sum(backlog_3_7d)::bigint as "3-7 d",
        sum(backlog_8_30d)::bigint as "8-30 d",
        sum(backlog_over_30d)::bigint as "> 30 d"
    from filtered_sla_counts($accounts, $service_lines, $date_from, $date_to)
    group by priority
),

tickets as (
    unpivot by_priority
    on columns(* exclude (priority))
    into name backlog_bucket value tickets
),

buckets as (
    select * from (values (1, '0-2 d'), (2, '3-7 d'), (3, '8-30 d'), (4, '> 30 d')) as b(bucket_order, backlog_bucket)
)

select
    buckets.bucket_order,
    buckets.backlog_bucket,
    tickets.priority,
    coalesce(tickets.tickets, 0)::bigint as tickets
from buckets
left join tickets on tickets.backlog_bucket = buckets.backlog_bucket and tickets.tickets > 0
order by buckets.bucket_order, tickets.priority
