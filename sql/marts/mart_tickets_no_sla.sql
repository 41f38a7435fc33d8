-- mart_tickets_no_sla: one row per in-scope ticket without any SLA due time (mart_ticket_sla.no_sla:
-- no policy for its account and priority, no due times of its own), with the columns the data-status
-- list and the global filters need.
-- Parameters: none (mart_ticket_sla judged the tickets at D_end).
-- A small table of its own: finding them in the ticket view would judge every ticket on each read.
select
    ticket_id,
    account_id,
    priority,
    service_line,
    created_date
from mart_ticket_sla
where no_sla
