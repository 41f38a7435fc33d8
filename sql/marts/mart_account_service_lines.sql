-- mart_account_service_lines: one row per (account_id, service_line) that occurs in the account's
-- contracts or tickets (any kind or status): the service-line filter's options without reading
-- every ticket on each page load (sql/queries/filters_service_lines.sql).
select account_id, service_line from stg_contracts
union
select account_id, service_line from stg_tickets
order by account_id, service_line
