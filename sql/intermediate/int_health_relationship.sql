-- int_health_relationship: one row per account and health as-of date with any interaction up to
-- that date: days since last contact and since last proactive (initiated_by = 'us') contact
-- (NULL = never), proactive share % over (as_of - N days, as_of].
-- Parameters (kpi_params): kpi_proactive_share_days. Interactions after as_of have not happened.
select
    i.account_id,
    a.as_of,
    max(i.interaction_date) as last_contact_date,
    max(i.interaction_date) filter (where i.initiated_by = 'us') as last_proactive_date,
    a.as_of - max(i.interaction_date) as days_since_contact,
    a.as_of - max(i.interaction_date) filter (where i.initiated_by = 'us') as days_since_proactive,
    count(*) filter (where in_days_window(i.interaction_date, a.as_of, p.kpi_proactive_share_days))
        as interactions_recent,
    pct(
        count(*) filter (
            where in_days_window(i.interaction_date, a.as_of, p.kpi_proactive_share_days) and i.initiated_by = 'us'
        ),
        count(*) filter (where in_days_window(i.interaction_date, a.as_of, p.kpi_proactive_share_days))
    ) as proactive_share_pct
from stg_interactions as i
cross join kpi_params as p
inner join int_health_as_of as a
    on i.interaction_date <= a.as_of
group by i.account_id, a.as_of, p.kpi_proactive_share_days
