-- int_health_scores: one row per account and health as-of date: the six component scores,
-- the share of weight they carry, the health score (half up, one decimal) and its band.
-- Parameters (kpi_params): health_components_<name>_{bad,good,weight}, health_min_weight,
-- health_band_healthy, health_band_watch.
-- Component score = 100 x clamp((x - bad) / (good - bad), 0, 1); a NULL metric is left out and
-- the remaining weights are rescaled; a remaining share below health_min_weight gives NULL
-- (exactly the minimum still scores). No proactive contact ever = relationship score 0.
with components as (
    select
        i.*,
        i.days_since_proactive is null as relationship_never,
        linear_score(i.sla_compliance_pct, p.health_components_sla_bad, p.health_components_sla_good)
            as sla_score,
        linear_score(i.nps, p.health_components_satisfaction_bad, p.health_components_satisfaction_good)
            as satisfaction_score,
        coalesce(
            linear_score(
                i.days_since_proactive,
                p.health_components_relationship_bad,
                p.health_components_relationship_good
            ),
            0.0
        ) as relationship_score,
        linear_score(
            i.commitment_ontime_pct, p.health_components_commitments_bad, p.health_components_commitments_good
        ) as commitments_score,
        linear_score(
            i.revenue_growth_pct, p.health_components_commercial_bad, p.health_components_commercial_good
        ) as commercial_score,
        linear_score(i.team_max_utilisation_pct, p.health_components_team_bad, p.health_components_team_good)
            as team_score
    from int_health_inputs as i
    cross join kpi_params as p
),

weighted as (
    select
        c.*,
        p.health_min_weight,
        p.health_band_healthy,
        p.health_band_watch,
        p.health_components_sla_weight
            + p.health_components_satisfaction_weight
            + p.health_components_relationship_weight
            + p.health_components_commitments_weight
            + p.health_components_commercial_weight
            + p.health_components_team_weight as total_weight,
        if(c.sla_score is null, 0, p.health_components_sla_weight)
            + if(c.satisfaction_score is null, 0, p.health_components_satisfaction_weight)
            + p.health_components_relationship_weight
            + if(c.commitments_score is null, 0, p.health_components_commitments_weight)
            + if(c.commercial_score is null, 0, p.health_components_commercial_weight)
            + if(c.team_score is null, 0, p.health_components_team_weight) as present_weight,
        coalesce(p.health_components_sla_weight * c.sla_score, 0)
            + coalesce(p.health_components_satisfaction_weight * c.satisfaction_score, 0)
            + p.health_components_relationship_weight * c.relationship_score
            + coalesce(p.health_components_commitments_weight * c.commitments_score, 0)
            + coalesce(p.health_components_commercial_weight * c.commercial_score, 0)
            + coalesce(p.health_components_team_weight * c.team_score, 0) as weighted_sum
    from components as c
    cross join kpi_params as p
),

scored as (
    select
        *,
        -- rounded to 9 places so that e.g. 0.25 + 0.15 + 0.10 counts as exactly 0.5
        round(present_weight / total_weight, 9) as weight_used,
        case
            when round(present_weight / total_weight, 9) >= health_min_weight
                then round_half_up_1(weighted_sum / present_weight)
        end as health_score
    from weighted
)

select
    account_id,
    as_of,
    is_current,
    health_score,
    case
        when health_score >= health_band_healthy then 'healthy'
        when health_score >= health_band_watch then 'watch'
        when health_score is not null then 'at_risk'
    end as band,
    sla_score,
    satisfaction_score,
    relationship_score,
    commitments_score,
    commercial_score,
    team_score,
    weight_used,
    relationship_never,
    sla_compliance_pct,
    nps,
    days_since_proactive,
    commitment_ontime_pct,
    revenue_growth_pct,
    team_max_utilisation_pct
from scored
