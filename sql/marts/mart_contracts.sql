-- mart_contracts: one row per contract, with its state at D: active (start_date <= D and
-- (end_date IS NULL or end_date >= D)), notice deadline (end_date - notice_period_days, NULL
-- without an end date), renewal window (active and D <= deadline <= D + N days).
-- Parameters (kpi_params): as_of, kpi_renewal_window_days. Rules: sql/macros/rules.sql.
with contracts as (
    select
        c.*,
        contract_active_on(c.start_date, c.end_date, p.as_of) as is_active,
        notice_deadline_of(c.end_date, c.notice_period_days) as notice_deadline,
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
    renewal_window(is_active, notice_deadline, as_of, kpi_renewal_window_days) as in_renewal_window,
    notice_deadline - as_of as days_to_notice_deadline
from contracts
