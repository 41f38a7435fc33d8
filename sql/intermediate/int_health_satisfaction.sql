-- int_health_satisfaction: one row per account and health as-of date with survey responses in
-- (as_of - N days, as_of]: NPS (% 9-10 minus % 0-6 over non-NULL nps) and mean CSAT.
-- Parameters (kpi_params): kpi_survey_window_days.
select
    s.account_id,
    a.as_of,
    count(*) filter (where s.nps >= 9) as nps_promoters,
    count(*) filter (where s.nps <= 6) as nps_detractors,
    count(s.nps) as nps_responses,
    nps(
        count(*) filter (where s.nps >= 9),
        count(*) filter (where s.nps <= 6),
        count(s.nps)
    ) as nps,
    avg(s.csat) as csat,
    count(s.csat) as csat_responses
from stg_surveys as s
cross join kpi_params as p
inner join int_health_as_of as a
    on in_days_window(s.response_date, a.as_of, p.kpi_survey_window_days)
group by s.account_id, a.as_of
