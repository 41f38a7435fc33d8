-- Account review, interaction timeline: one row per month of the last 12 complete months, channel
-- and initiator (initiated_by: 'us' | 'customer') with at least one interaction of the account.
-- Parameters: $account_id.

select
    date_trunc('month', i.interaction_date)::date as month,
    i.channel,
    i.initiated_by,
    count(*)::bigint as interactions
from stg_interactions as i
cross join kpi_params as p
where i.account_id = $account_id
  and i.interaction_date >= (p.last_complete_month - interval 11 month)::date
  and i.interaction_date < (p.last_complete_month + interval 1 month)::date
group by all
order by month, i.channel, i.initiated_by
