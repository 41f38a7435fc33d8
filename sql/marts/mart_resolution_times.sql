-- mart_resolution_times: one row per resolved in-scope ticket of mart_ticket_sla: the columns the
-- global filters need and its resolution time in seconds, sorted by account and creation day.
-- Parameters: none (mart_ticket_sla judged the tickets at D_end).
-- MTTR is a median, which no count can give: any filtered ticket set's MTTR is mttr_h over
-- resolution_s here (filtered_resolution_times in sql/macros/app_filters.sql). A small table of
-- its own because mart_ticket_sla is a view over the ticket staging.
select
    account_id,
    service_line,
    created_date,
    resolution_s
from mart_ticket_sla
where resolution_s is not null
order by account_id, created_date
