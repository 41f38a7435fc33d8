-- Backlog ageing at D: one row per age bucket (all four, zero-filled) and priority.
-- Parameters: the global filters $accounts, $service_lines, $date_from,
-- $date_to (kamdata.query; dates on the ticket's Berlin creation date).

with tickets as (
    select *
    from filtered_tickets($accounts, $service_lines, $date_from, $date_to)
    where is_backlog
),

buckets as (
    select * from (values (1, '0-2 d'), (2, '3-7 d'), (3, '8-30 d'), (4, '> 30 d')) as b(bucket_order, backlog_bucket)
)

select
    buckets.bucket_order,
    buckets.backlog_bucket,
    tickets.priority,
    count(tickets.ticket_id) as tickets
from buckets
left join tickets using (backlog_bucket)
group by buckets.bucket_order, buckets.backlog_bucket, tickets.priority
order by buckets.bucket_order, tickets.priority
