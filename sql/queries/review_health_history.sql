-- Account review, health history: one row per health as-of date of the account, oldest first: the
-- month-ends D' of mart_account_health_history (kpi_history_months of them, NULL scores included)
-- and D itself (mart_account_health, is_current = true), each with the health score, band, the six
-- component scores, the share of weight they carry (weight_used) and the six raw metrics, so the
-- review can chart the history and explain a change by its components.
-- Parameters: $account_id.
with points as (
    select h.*, false as is_current
    from mart_account_health_history as h
    where h.account_id = $account_id
    union all
    select h.*, true as is_current
    from mart_account_health as h
    where h.account_id = $account_id
)

select
    as_of::date as as_of,
    is_current,
    health_score,
    band,
    weight_used,
    sla_score,
    satisfaction_score,
    relationship_score,
    commitments_score,
    commercial_score,
    team_score,
    relationship_never,
    sla_compliance_pct,
    nps,
    days_since_proactive,
    commitment_ontime_pct,
    revenue_growth_pct,
    team_max_utilisation_pct
from points
order by as_of
