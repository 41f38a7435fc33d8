-- Data status: one row per (account, site) with meter coverage gaps: how many
-- months lack any energy reading, and the first and last such month.
-- Parameters: global filters $accounts, $date_from, $date_to (on the
-- gap month; a month counts when it overlaps the period).
select
    g.account_id,
    a.account_name,
    g.site_id,
    g.site_name,
    g.city,
    bool_or(g.never_reports) as never_reports,
    count(*) as months_missing,
    min(g.month) as first_missing,
    max(g.month) as last_missing
from mart_coverage_gaps as g
left join mart_accounts as a on a.account_id = g.account_id
where in_filter($accounts, g.account_id)
  and month_in_period(g.month, $date_from, $date_to)
group by g.account_id, a.account_name, g.site_id, g.site_name, g.city
order by months_missing desc, a.account_name, g.site_name
