-- int_health_inputs: one row per account and health as-of date (D and the history month-ends):
-- the six raw health metrics, each NULL when its window has no data, plus the counts and sums
-- behind them that the account master shows.
-- Parameters: none beyond the int_health_* inputs. The single place the metrics are picked,
-- so the current score, its history and the account master cannot drift apart.
select
    acc.account_id,
    a.as_of,
    a.is_current,
    sla.sla_compliance_pct,
    sat.nps,
    rel.days_since_proactive,
    com.commitment_ontime_pct,
    rev.revenue_growth_pct,
    team.team_max_utilisation_pct,
    rel.days_since_contact,
    rel.last_proactive_date,
    rel.proactive_share_pct,
    coalesce(com.commitments_open, 0) as commitments_open,
    coalesce(com.commitments_overdue, 0) as commitments_overdue,
    coalesce(sat.nps_promoters, 0) as nps_promoters,
    coalesce(sat.nps_detractors, 0) as nps_detractors,
    coalesce(sat.nps_responses, 0) as nps_responses,
    sat.csat,
    rev.revenue_12m_eur,
    rev.revenue_prior_12m_eur,
    rev.margin_pct,
    coalesce(team.overloaded_members, 0) as overloaded_members
from stg_accounts as acc
cross join int_health_as_of as a
left join int_health_sla as sla
    on sla.account_id = acc.account_id and sla.as_of = a.as_of
left join int_health_satisfaction as sat
    on sat.account_id = acc.account_id and sat.as_of = a.as_of
left join int_health_relationship as rel
    on rel.account_id = acc.account_id and rel.as_of = a.as_of
left join int_health_commitments as com
    on com.account_id = acc.account_id and com.as_of = a.as_of
left join int_health_commercial as rev
    on rev.account_id = acc.account_id and rev.as_of = a.as_of
left join int_health_team as team
    on team.account_id = acc.account_id and team.as_of = a.as_of
