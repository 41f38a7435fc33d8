-- Account review, survey responses per month: one row per calendar month of response_date in the
-- last 12 complete months (months without responses included, with 0): responses (non-NULL nps),
-- promoters (9-10), detractors (0-6), the month's own NPS (macro nps), CSAT responses and mean.
-- Parameters: $account_id.

with months as (
    select m::date as month
    from kpi_params as p
    cross join generate_series(
        (p.last_complete_month - interval 11 month)::date, p.last_complete_month, interval 1 month
    ) as g(m)
),

surveys as (
    select s.*, date_trunc('month', s.response_date)::date as month
    from stg_surveys as s
    where s.account_id = $account_id
)

select
    months.month,
    count(surveys.nps)::bigint as responses,
    count(*) filter (where surveys.nps >= 9)::bigint as promoters,
    count(*) filter (where surveys.nps <= 6)::bigint as detractors,
    nps(count(*) filter (where surveys.nps >= 9), count(*) filter (where surveys.nps <= 6), count(surveys.nps))
        as nps,
    count(surveys.csat)::bigint as csat_responses,
    avg(surveys.csat) as csat
from months
left join surveys using (month)
group by months.month
order by months.month
