-- The app's global filters (kamdata.app.filters.Filters.params), defined once.
-- Query files in sql/queries pass their bound parameters in, e.g.
--   where in_filter($accounts, account_id)
--     and month_in_period(month, $date_from, $date_to)
-- The user's account scope is not a parameter: kamdata.query applies it to
-- every table a query reads.
-- A list filter that is NULL selects everything, an empty list nothing.
-- Macros are expanded into the calling query, so DuckDB plans (and pushes down)
-- the same filters as if they were written out.
-- The file defines a table macro over a mart (bound when it is created), so
-- kamdata.build.marts creates it after the marts; the marts themselves do not use it.
-- kamdata.query also creates every macro file as temporary macros on its cursors.

-- in_filter(selected, value): value is in the filter list `selected` (NULL = no filter).
create or replace macro in_filter(selected, value) as
    (selected is null or list_contains(selected, value));

-- day_in_period(day, date_from, date_to): a date within the period (both ends inclusive,
-- NULL = open end).
create or replace macro day_in_period(day, date_from, date_to) as
    (date_from is null or day >= date_from) and (date_to is null or day <= date_to);

-- month_in_period(month_start, date_from, date_to): a calendar month (its first day)
-- that overlaps the period.
create or replace macro month_in_period(month_start, date_from, date_to) as
    (date_from is null or month_start >= date_trunc('month', date_from::date))
    and (date_to is null or month_start <= date_to);

-- year_in_period(yr, date_from, date_to): a calendar year that overlaps the period.
create or replace macro year_in_period(yr, date_from, date_to) as
    (date_from is null or yr >= year(date_from::date))
    and (date_to is null or yr <= year(date_to::date));

-- in_global_filters(accounts, service_lines, date_from, date_to, row_account, row_line, row_day):
-- a row of ticket facts (its account, service line and Berlin creation day) passes all global
-- filters. The filtered_* table macros below and queries over other ticket marts use it.
create or replace macro in_global_filters(accounts, service_lines, date_from, date_to, row_account, row_line, row_day) as
    in_filter(accounts, row_account)
    and in_filter(service_lines, row_line)
    and day_in_period(row_day, date_from, date_to);

-- filtered_tickets(accounts, service_lines, date_from, date_to): the rows of
-- mart_ticket_sla that pass all global filters, the period on the ticket's Berlin
-- creation date. Pass null for a filter that does not apply. (Macro parameters
-- shadow columns of the same name: mart_ticket_sla must not get a column named
-- like one of them.)
create or replace macro filtered_tickets(accounts, service_lines, date_from, date_to) as table
    select *
    from mart_ticket_sla
    where in_global_filters(accounts, service_lines, date_from, date_to, account_id, service_line, created_date);

-- filtered_resolution_times(accounts, service_lines, date_from, date_to): the rows of
-- mart_resolution_times (resolved tickets) that pass all global filters, like filtered_tickets.
create or replace macro filtered_resolution_times(accounts, service_lines, date_from, date_to) as table
    select *
    from mart_resolution_times
    where in_global_filters(accounts, service_lines, date_from, date_to, account_id, service_line, created_date);

-- filtered_sla_days(accounts, service_lines, date_from, date_to): the rows of mart_sla_daily
-- (ticket counts per account, creation day, priority, service line) that pass all global
-- filters, the period on the creation day: summing them gives the same counts as counting
-- filtered_tickets(...) with the same arguments.
create or replace macro filtered_sla_days(accounts, service_lines, date_from, date_to) as table
    select *
    from mart_sla_daily
    where in_global_filters(accounts, service_lines, date_from, date_to, account_id, service_line, created_date);

-- whole_month_in_period(month_start, date_from, date_to): every day of a calendar month (its
-- first day) lies within the period (NULL = open end).
create or replace macro whole_month_in_period(month_start, date_from, date_to) as
    (date_from is null or month_start >= date_from)
    and (date_to is null or last_day(month_start) <= date_to);

-- filtered_sla_counts(accounts, service_lines, date_from, date_to): the SLA ticket counts of
-- mart_sla_daily (columns as there, without created_date) per account, month, priority and
-- service line for the tickets that pass all global filters, the period on the creation day.
-- A month the period covers whole comes from mart_sla_month_lines (one row instead of one per
-- day), a month the period cuts from the days of mart_sla_daily within it: summing the rows gives
-- the same counts as counting filtered_tickets(...) with the same arguments, at a fraction of
-- the rows (the default period is whole months up to D).
create or replace macro filtered_sla_counts(accounts, service_lines, date_from, date_to) as table
    select *
    from mart_sla_month_lines
    where in_filter(accounts, account_id)
      and in_filter(service_lines, service_line)
      and whole_month_in_period(month, date_from, date_to)
    union all by name
    select * exclude (created_date)
    from mart_sla_daily
    where in_global_filters(accounts, service_lines, date_from, date_to, account_id, service_line, created_date)
      and not whole_month_in_period(month, date_from, date_to);
