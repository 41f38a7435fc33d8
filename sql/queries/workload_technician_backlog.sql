-- Open tickets per technician group: one row per department of the assigned
-- technician ('unassigned' without one), summed over the filtered accounts at D,
-- plus one total row (department NULL; the page's open-tickets tile, 0 when none).
-- Parameters: $accounts (kamdata.query). The backlog is as of D, so the
-- period does not apply.

select
    department,
    coalesce(sum(open_tickets), 0)::bigint as open_tickets,
    max(oldest_age_days) as oldest_age_days,
    count(*) as accounts
from mart_technician_backlog
where in_filter($accounts, account_id)
group by grouping sets ((department), ())
order by grouping(department), open_tickets desc, department
