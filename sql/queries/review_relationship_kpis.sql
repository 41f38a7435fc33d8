-- Account review, relationship figures: one row for the account at D: proactive share % over the
-- last kpi_proactive_share_days days (mart_accounts), days since the last contact and the last
-- proactive (us-initiated) contact (mart_accounts; NULL = never) and their dates and the count of
-- interactions in the share's window (int_health_relationship at D; 0 when none).
-- Parameters: $account_id.

select
    a.proactive_share_pct,
    a.days_since_contact,
    a.days_since_proactive,
    r.last_contact_date,
    r.last_proactive_date,
    coalesce(r.interactions_recent, 0) as interactions_recent,
    p.kpi_proactive_share_days as window_days
from mart_accounts as a
cross join kpi_params as p
left join int_health_relationship as r
    on r.account_id = a.account_id
   and r.as_of = p.as_of
where a.account_id = $account_id
