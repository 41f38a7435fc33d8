-- Contracts of one account (mart_contracts): one row per contract, active ones first, then by
-- notice deadline and end date. in_renewal_window / notice_deadline / is_active are the mart's
-- (rules.sql renewal_window, notice_deadline_of, contract_active_on at D).
-- Parameters: $account_id.

select
    contract_id,
    service_line,
    start_date,
    end_date,
    annual_value_eur,
    notice_period_days,
    notice_deadline,
    days_to_notice_deadline,
    coalesce(in_renewal_window, false) as in_renewal_window,
    auto_renew,
    is_active
from mart_contracts
where account_id = $account_id
order by is_active desc, notice_deadline nulls last, end_date nulls last, contract_id
