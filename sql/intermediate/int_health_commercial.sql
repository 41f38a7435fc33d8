-- int_health_commercial: one row per account and health as-of date with revenue rows in the
-- 24 complete months up to that date's last complete month L:
-- revenue of the 12 months L-11..L vs the 12 months before; growth % NULL when the prior
-- 12 months have no rows or sum to 0 (no revenue in the recent 12 months with prior revenue
-- = -100 %); margin % over the recent 12 months' rows that give a cost.
-- "Sums to 0" is judged on the sum rounded to cents: invoices cancelled by a credit note
-- (11427.16 + 16065.07 + 1355.83 - 28848.06) add up to +-3.6e-12 in DOUBLE, which would
-- otherwise give a growth of about -1e16 % instead of NULL. Same for the margin's revenue
-- (macro margin_pct, sql/macros/kpi.sql).
-- Parameters: none beyond int_health_as_of.
with windows as (
    select
        as_of,
        (last_complete_month - interval 11 month)::date as recent_from,
        last_complete_month as recent_until,
        (last_complete_month - interval 23 month)::date as prior_from,
        (last_complete_month - interval 12 month)::date as prior_until
    from int_health_as_of
),

revenue as (
    select
        r.account_id,
        w.as_of,
        r.month >= w.recent_from as is_recent,
        r.revenue_eur,
        r.cost_eur
    from stg_revenue as r
    inner join windows as w
        on r.month >= w.prior_from
       and r.month <= w.recent_until
),

sums as (
    select
        account_id,
        as_of,
        sum(revenue_eur) filter (where is_recent) as revenue_12m_eur,
        sum(revenue_eur) filter (where not is_recent) as revenue_prior_12m_eur,
        count(*) filter (where not is_recent) as prior_rows,
        sum(revenue_eur) filter (where is_recent and cost_eur is not null) as costed_revenue_eur,
        sum(cost_eur) filter (where is_recent) as cost_12m_eur
    from revenue
    group by account_id, as_of
)

select
    account_id,
    as_of,
    revenue_12m_eur,
    revenue_prior_12m_eur,
    case
        when prior_rows > 0 and round(revenue_prior_12m_eur, 2) <> 0
            then change_pct(coalesce(revenue_12m_eur, 0), revenue_prior_12m_eur)
    end as revenue_growth_pct,
    cost_12m_eur,
    margin_pct(costed_revenue_eur, cost_12m_eur) as margin_pct
from sums
