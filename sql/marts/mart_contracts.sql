-- mart_contracts: one row per contract, with its state at D: active (start_date <= D and
-- (end_date IS NULL or end_date >= D)), notice deadline (end_date - notice_period_days, NULL
-- without an end date), renewal window (active and D <= deadline <= D + N days).
-- Parameters (kpi_params): as_of, kpi_renewal_window_days.
with contracts as (
    select
        c.*,
        c.start_date <= p.as_of and (c.end_date is null or c.end_date >= p.as_of) as is_active,
        c.end_date - c.notice_period_days as notice_deadline,
        p.as_of,
        p.kpi_renewal_window_days
    from stg_contracts as c
    cross join kpi_params as p
)

select
    contract_id,
    account_id,
    service_line,
    start_date,
    end_date,
    annual_value_eur,
    notice_period_days,
    auto_renew,
    is_active,
    notice_deadline,
    coalesce(
        is_active
        and notice_deadline >= as_of
        and notice_deadline <= as_of + kpi_renewal_window_days,
        false
    ) as in_renewal_window,
    notice_deadline - as_of as days_to_notice_deadline
from contracts
