-- peer_industries: one row per industry, for a scoped user (a KAM): how many of its accounts lie
-- outside the user's scope, and whether the industry's peer counts (mart_cross_sell) may be shown.
-- They may when no other account is in them (the counts are the user's own accounts) or at least
-- the works council's minimum group of other accounts is (no single account's holdings can be told).
-- Parameters: $min_group_size (settings [app] min_group_size); {catalog} is the database's catalog
-- (its own, unscoped accounts table), _scope_account_id the scope's account ids.
select
    industry,
    count(*) filter (where account_id not in (select id from _scope_account_id)) as other_accounts,
    other_accounts = 0 or other_accounts >= $min_group_size as peers_shown
from "{catalog}".main.stg_accounts
group by industry
