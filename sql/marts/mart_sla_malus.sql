-- mart_sla_malus: one row per account with malus terms (stg_sla_malus) and month in which the
-- account has an in-scope ticket, the month of D included (month to date, full monthly fee).
-- fee = sum(annual_value_eur / 12) of contracts active on the first day of the month (none: 0);
-- shortfall = sum over priorities of max(0, target_pct - resolution compliance), priorities
-- without policy or with NULL compliance adding 0; malus % = min(cap, per point x shortfall).
-- Parameters: none beyond those of mart_sla_monthly.
with shortfall as (
    select
        account_id,
        month,
        sum(coalesce(greatest(0, target_pct - resolution_compliance_pct), 0)) as shortfall_points
    from mart_sla_monthly
    group by account_id, month
),

fees as (
    select
        shortfall.account_id,
        shortfall.month,
        coalesce(sum(contract.annual_value_eur / 12), 0) as monthly_fee_eur,
        count(contract.contract_id) as active_contracts
    from shortfall
    left join stg_contracts as contract
        on contract.account_id = shortfall.account_id
       and contract_active_on(contract.start_date, contract.end_date, shortfall.month)
    group by shortfall.account_id, shortfall.month
),

malus as (
    select
        shortfall.account_id,
        shortfall.month,
        fees.monthly_fee_eur,
        fees.active_contracts,
        shortfall.shortfall_points,
        least(terms.malus_cap_pct, terms.malus_pct_per_point * shortfall.shortfall_points) as malus_pct,
        terms.malus_pct_per_point,
        terms.malus_cap_pct
    from shortfall
    join stg_sla_malus as terms on terms.account_id = shortfall.account_id
    join fees on fees.account_id = shortfall.account_id and fees.month = shortfall.month
)

select
    account_id,
    month,
    monthly_fee_eur,
    shortfall_points,
    malus_pct,
    monthly_fee_eur * malus_pct / 100 as exposure_eur,
    active_contracts,
    malus_pct_per_point,
    malus_cap_pct
from malus
