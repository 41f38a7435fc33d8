-- Account review, survey scores: one row for the account from mart_accounts (window: the last
-- kpi_survey_window_days days to D): NPS, promoters, detractors, responses (non-NULL nps), mean
-- CSAT, and the window length.
-- Parameters: $account_id.

select
    a.nps,
    a.nps_promoters,
    a.nps_detractors,
    a.nps_responses,
    a.csat,
    p.kpi_survey_window_days as window_days
from mart_accounts as a
cross join kpi_params as p
where a.account_id = $account_id
