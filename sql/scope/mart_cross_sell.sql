-- mart_cross_sell as a scoped user sees it: one row per account in scope and service line sold
-- today; the industry's peer counts, share and the cross-sell suggestion withheld (NULL) where
-- _scope_peer_industries (sql/scope/peer_industries.sql) says they would tell about too few other
-- accounts. Whitespace (the account's own contracts) stays.
select
    x.* replace (
        case when p.peers_shown then x.industry_holders end as industry_holders,
        case when p.peers_shown then x.industry_accounts end as industry_accounts,
        case when p.peers_shown then x.industry_share_pct end as industry_share_pct,
        case when p.peers_shown then x.is_cross_sell end as is_cross_sell
    )
from "{catalog}".main.mart_cross_sell as x
inner join _scope_peer_industries as p
    on p.industry is not distinct from x.industry
where x.account_id in (select id from _scope_account_id)
