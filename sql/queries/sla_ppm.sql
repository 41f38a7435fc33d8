-- Planned-maintenance (PPM) compliance: one row per month with PPM due, plus one
-- total row for the whole period (month NULL); running_month marks the month of D (month to
-- date: only PPM due up to D_end counts).
-- Parameters: the global filters $accounts, $service_lines, $date_from,
-- $date_to (kamdata.query; the period selects whole months of due_at that overlap it).

select
    ppm.month,
    sum(ppm.ppm_due)::bigint as ppm_due,
    sum(ppm.ppm_on_time)::bigint as ppm_on_time,
    pct(sum(ppm.ppm_on_time), sum(ppm.ppm_due)) as ppm_compliance_pct,
    coalesce(ppm.month = any_value(date_trunc('month', p.as_of)::date), false) as running_month
from mart_ppm_monthly as ppm
cross join kpi_params as p
where in_filter($accounts, ppm.account_id)
  and in_filter($service_lines, ppm.service_line)
  and month_in_period(ppm.month, $date_from, $date_to)
group by grouping sets ((ppm.month), ())
order by ppm.month nulls last
