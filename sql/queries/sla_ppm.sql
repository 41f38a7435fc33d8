-- Planned-maintenance (PPM) compliance: one row per month with PPM due, plus one
-- total row for the whole period (month NULL).
-- Parameters: the global filters $accounts, $service_lines, $date_from,
-- $date_to (kamdata.query; the period selects whole months of due_at that overlap it).

select
    month,
    sum(ppm_due)::bigint as ppm_due,
    sum(ppm_on_time)::bigint as ppm_on_time,
    pct(sum(ppm_on_time), sum(ppm_due)) as ppm_compliance_pct
from mart_ppm_monthly
where in_filter($accounts, account_id)
  and in_filter($service_lines, service_line)
  and month_in_period(month, $date_from, $date_to)
group by grouping sets ((month), ())
order by month nulls last
