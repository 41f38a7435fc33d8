-- mart_cross_sell: one row per account and service line sold today (any account's contract
-- active at D): whether the account holds it, whether it is whitespace, the share of accounts
-- of the same industry that hold it (the account itself included in the count), and whether
-- it is a cross-sell suggestion (whitespace held by at least kpi_cross_sell_min_share of them).
-- Parameters (kpi_params): kpi_cross_sell_min_share; active contracts from mart_contracts.
with held as (
    select distinct account_id, service_line
    from mart_contracts
    where is_active
),

service_lines as (
    select distinct service_line from held
),

grid as (
    select
        acc.account_id,
        acc.industry,
        sl.service_line,
        held.account_id is not null as holds
    from stg_accounts as acc
    cross join service_lines as sl
    left join held
        on held.account_id = acc.account_id
       and held.service_line = sl.service_line
),

shares as (
    select
        industry,
        service_line,
        count(*) filter (where holds) as industry_holders,
        count(*) as industry_accounts,
        pct(count(*) filter (where holds), count(*)) as industry_share_pct
    from grid
    group by industry, service_line
)

select
    g.account_id,
    g.service_line,
    g.industry,
    g.holds,
    not g.holds as is_whitespace,
    s.industry_holders,
    s.industry_accounts,
    s.industry_share_pct,
    -- compared on counts (with a hair of tolerance) so that exactly half is "at least half"
    not g.holds and s.industry_holders >= p.kpi_cross_sell_min_share * s.industry_accounts - 1e-9
        as is_cross_sell
from grid as g
inner join shares as s
    on s.industry = g.industry
   and s.service_line = g.service_line
cross join kpi_params as p
