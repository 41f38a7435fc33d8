-- Portfolio: one row per account matching the global filters, with health now
-- and at the previous month-end D', the 12-month health trend, commercial and
-- renewal facts and its open alerts; sorted by risk (lowest health first,
-- accounts without a score last).
-- Parameters: $scope, $accounts (VARCHAR[] | NULL); $service_lines
-- (VARCHAR[] | NULL): accounts with an active contract in any of them.
with history as (
    select
        account_id,
        list(health_score order by as_of) as health_trend
    from mart_account_health_history
    group by account_id
),

alerts as (
    select
        account_id,
        count(*) as alerts,
        count(*) filter (where severity = 'high') as alerts_high
    from mart_alerts
    group by account_id
)

select
    a.account_id,
    a.account_name,
    a.region,
    a.industry,
    a.kam_name,
    a.health_score,
    a.band,
    a.health_prev,
    a.band_prev,
    h.health_trend,
    a.acv_eur,
    a.acv_prev_eur,
    a.next_notice_deadline,
    a.next_notice_contract_id,
    a.in_renewal_window,
    a.nps,
    a.service_lines,
    coalesce(al.alerts, 0) as alerts,
    coalesce(al.alerts_high, 0) as alerts_high
from mart_accounts as a
left join history as h on h.account_id = a.account_id
left join alerts as al on al.account_id = a.account_id
where ($scope is null or list_contains($scope, a.account_id))
  and ($accounts is null or list_contains($accounts, a.account_id))
  and ($service_lines is null or list_has_any($service_lines, string_split(a.service_lines, ', ')))
order by a.health_score asc nulls last, a.acv_eur desc, a.account_name
