-- unscoped: mart_department_monthly (department head counts only, for the works-council group size)
-- Open tickets per technician group: one row per department of the assigned
-- technician ('unassigned' without one), summed over the filtered accounts at D,
-- plus one total row (department NULL; the page's open-tickets tile, 0 when none).
-- Parameters: $accounts (kamdata.query), $min_group_size (settings app.min_group_size).
-- The backlog is as of D, so the period does not apply.
-- Works-council rule: a technician group is a department; one with fewer than $min_group_size
-- active employees (its head count in the latest month of mart_department_monthly) is
-- suppressed (`suppressed`, open_tickets and oldest_age_days NULL). 'unassigned' is no group of
-- people. The total row counts every open ticket (a ticket count, no per-person figure).

with group_sizes as (
    select department, arg_max(employees, month) as people
    from mart_department_monthly
    group by department
),

backlog as (
    select
        backlog.department,
        backlog.open_tickets,
        backlog.oldest_age_days,
        backlog.department <> 'unassigned' and coalesce(sizes.people, 0) < $min_group_size as suppressed
    from mart_technician_backlog as backlog
    left join group_sizes as sizes using (department)
    where in_filter($accounts, backlog.account_id)
)

select
    department,
    case when grouping(department) = 0 and bool_or(suppressed) then null
        else coalesce(sum(open_tickets), 0)::bigint end as open_tickets,
    case when grouping(department) = 0 and bool_or(suppressed) then null
        else max(oldest_age_days) end as oldest_age_days,
    count(*) as accounts,
    grouping(department) = 0 and bool_or(suppressed) as suppressed
from backlog
group by grouping sets ((department), ())
order by grouping(department), open_tickets desc nulls last, department
