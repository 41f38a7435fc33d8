-- Contract value, renewal and revenue of one account (mart_accounts): one row (none for an
-- unknown account) with ACV at D, the next notice deadline, revenue of the 12 complete months
-- up to the last complete month L (L-11 .. L) vs the 12 months before (L-23 .. L-12), growth and
-- margin as the health score's commercial component reads them, and the windows' first and last
-- months. Parameters: $account_id.

select
    accounts.acv_eur,
    accounts.active_contracts,
    accounts.next_notice_deadline,
    accounts.next_notice_contract_id,
    coalesce(accounts.in_renewal_window, false) as in_renewal_window,
    accounts.revenue_12m_eur,
    accounts.revenue_prior_12m_eur,
    accounts.revenue_growth_pct,
    accounts.margin_pct,
    p.kpi_renewal_window_days as renewal_window_days,
    (p.last_complete_month - interval 23 month)::date as prior_from,
    (p.last_complete_month - interval 12 month)::date as prior_until,
    (p.last_complete_month - interval 11 month)::date as recent_from,
    p.last_complete_month as recent_until
from mart_accounts as accounts
cross join kpi_params as p
where accounts.account_id = $account_id
