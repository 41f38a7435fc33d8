-- mart_accounts as a scoped user sees it: one row per account in scope; its cross-sell lines
-- (derived from the industry's peer counts) withheld (NULL) where _scope_peer_industries
-- (sql/scope/peer_industries.sql) withholds those counts.
select
    a.* replace (case when p.peers_shown then a.cross_sell_lines end as cross_sell_lines)
from "{catalog}".main.mart_accounts as a
inner join _scope_peer_industries as p
    on p.industry is not distinct from a.industry
where a.account_id in (select id from _scope_account_id)
