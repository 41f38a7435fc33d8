-- Account review, recent survey comments: one row per survey response of the account in the last
-- kpi_survey_window_days days to D with a non-blank comment, most recent first (the review shows
-- the first few and states the count); the comment exactly as exported (plain text: never rendered
-- as markup).
-- Parameters: $account_id.

select
    s.response_id,
    s.response_date,
    s.nps,
    s.csat,
    s.comment
from stg_surveys as s
cross join kpi_params as p
where s.account_id = $account_id
  and in_days_window(s.response_date, p.as_of, p.kpi_survey_window_days)
  and trim(coalesce(s.comment, '')) <> ''
order by s.response_date desc, s.response_id desc
