-- The highest utilisation in one account's team in the last complete month, exactly as the health
-- score's team component reads it (mart_account_health.team_max_utilisation_pct: members with
-- capacity 0 left out, a member without bookings at 0 %, NULL when no member has a utilisation),
-- with the overload threshold. One row (none for an unknown account). Parameters: $account_id.

select
    health.team_max_utilisation_pct,
    health.team_score,
    p.kpi_overload_threshold_pct as overload_threshold_pct,
    p.last_complete_month as month
from mart_account_health as health
cross join kpi_params as p
where health.account_id = $account_id
