-- The app's global filters (kamdata.db, kamdata.ui.Filters.params), defined once.
-- Query files in sql/queries pass their bound parameters in, e.g.
--   where account_filter($scope, $accounts, account_id)
--     and month_in_period(month, $date_from, $date_to)
-- so every file still names $scope (kamdata.db refuses one that does not).
-- A list filter that is NULL selects everything, an empty list nothing.
-- Macros are expanded into the calling query, so DuckDB plans (and pushes down)
-- the same filters as if they were written out.
-- The file defines a table macro over a mart (bound when it is created), so
-- kamdata.marts creates it after the marts; the marts themselves do not use it.

-- in_filter(selected, value): value is in the filter list `selected` (NULL = no filter).
create or replace macro in_filter(selected, value) as
    (selected is null or list_contains(selected, value));

-- account_filter(scope, accounts, account_id): the account is one the user may see
-- ($scope) and one the account filters select ($accounts).
create or replace macro account_filter(scope, accounts, account_id) as
    in_filter(scope, account_id) and in_filter(accounts, account_id);

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

-- filtered_tickets(scope, accounts, service_lines, date_from, date_to): the rows of
-- mart_ticket_sla that pass all global filters, the period on the ticket's Berlin
-- creation date. Pass null for a filter that does not apply. (Macro parameters
-- shadow columns of the same name: mart_ticket_sla must not get a column named
-- like one of them.)
create or replace macro filtered_tickets(scope, accounts, service_lines, date_from, date_to) as table
    select *
    from mart_ticket_sla
    where account_filter(scope, accounts, account_id)
      and in_filter(service_lines, service_line)
      and day_in_period(created_date, date_from, date_to);
