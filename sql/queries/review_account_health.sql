-- Account review: one row for the selected account with its master data,
-- health score, band and the six health components (score and raw metric).
-- Parameters: $account_id (VARCHAR).
select
    a.account_id,
    a.account_name,
    a.industry,
    a.region,
    a.kam_name,
    h.health_score,
    h.band,
    h.sla_score,
    h.satisfaction_score,
    h.relationship_score,
    h.commitments_score,
    h.commercial_score,
    h.team_score,
    h.sla_compliance_pct,
    h.nps,
    h.days_since_proactive,
    h.relationship_never,
    h.commitment_ontime_pct,
    h.revenue_growth_pct,
    h.team_max_utilisation_pct
from mart_accounts as a
left join mart_account_health as h on h.account_id = a.account_id
where a.account_id = $account_id
