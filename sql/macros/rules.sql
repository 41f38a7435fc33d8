-- The KPI date and business rules (KPIS.md), each defined ONCE: kpi_params, the models in
-- sql/intermediate and sql/marts, and the queries in sql/queries call these macros instead of
-- spelling a rule out again. Scalar macros only (no table macro), so the build creates this
-- file before the models (kamdata.build.marts); kamdata.query re-creates it on every cursor.
-- Aggregate macros (acv, next_notice_*) expand to an aggregate of the calling query's group.
-- Parameter names avoid column and macro names they could be confused with.

-- Dates ---------------------------------------------------------------------------------------

-- day_end(d, tz): the end of day d (24:00 local time in tz) as TIMESTAMPTZ, e.g. D_end.
create or replace macro day_end(d, tz) as
    timezone(tz, (d + interval 1 day)::timestamp);

-- prev_month_end(d): the last day of the month before d's month (D' for d = D).
create or replace macro prev_month_end(d) as
    (date_trunc('month', d) - interval 1 day)::date;

-- last_complete_month(d): the first day of the month before d's month.
create or replace macro last_complete_month(d) as
    (date_trunc('month', d) - interval 1 month)::date;

-- in_days_window(x, d, n): date x within the n days up to d, i.e. in (d - n, d]
-- (the 90-day SLA window, the survey, proactive-share, commitment and detractor windows).
create or replace macro in_days_window(x, d, n) as
    (x > d - n and x <= d);

-- Contracts -----------------------------------------------------------------------------------

-- contract_active_on(start_day, end_day, d): the contract runs on day d
-- (start_date <= d and (end_date is NULL or end_date >= d)).
create or replace macro contract_active_on(start_day, end_day, d) as
    (start_day <= d and (end_day is null or end_day >= d));

-- notice_deadline_of(end_day, notice_days): last day to give notice (NULL without an end date).
create or replace macro notice_deadline_of(end_day, notice_days) as
    end_day - notice_days;

-- notice_ahead(active, deadline, d): an active contract whose notice deadline is on or after d.
create or replace macro notice_ahead(active, deadline, d) as
    (active and deadline >= d);

-- renewal_window(active, deadline, d, n): active and d <= deadline <= d + n days (never NULL).
create or replace macro renewal_window(active, deadline, d, n) as
    coalesce(notice_ahead(active, deadline, d) and deadline <= d + n, false);

-- next_notice_deadline(active, deadline, d): aggregate, the earliest notice deadline on or after
-- d among the group's active contracts.
create or replace macro next_notice_deadline(active, deadline, d) as
    min(deadline) filter (where notice_ahead(active, deadline, d));

-- next_notice_contract(contract, active, deadline, d): aggregate, the contract with that deadline
-- (the smallest contract id on a tie).
create or replace macro next_notice_contract(contract, active, deadline, d) as
    arg_min(contract, (deadline, contract)) filter (where notice_ahead(active, deadline, d));

-- acv(annual_value, active): aggregate, the annual contract value of the group's contracts that
-- are active (NULL when none). A KAM's ACV is acv() over the contracts of the KAM's accounts.
create or replace macro acv(annual_value, active) as
    sum(annual_value) filter (where active);

-- Commitments ---------------------------------------------------------------------------------

-- commitment_open(done, d): not done by the end of day d (done later = still open at d).
create or replace macro commitment_open(done, d) as
    (done is null or done > d);

-- commitment_overdue(done, due, d): open at d and due before d.
create or replace macro commitment_overdue(done, due, d) as
    (commitment_open(done, d) and due < d);

-- SLA -----------------------------------------------------------------------------------------

-- below_target(compliance, target): a resolution compliance below the policy target
-- (exactly at target is not a breach); NULL when either is NULL.
create or replace macro below_target(compliance, target) as
    (compliance < target);

-- Energy --------------------------------------------------------------------------------------

-- merged_sources(sources, sep): aggregate, every emission-factor source of the group's rows once,
-- sorted, joined by sep; each row's sources are a list joined by sep themselves (the callers pass
-- '; ': kamdata.query splits the macro files at semicolons, so none may stand in a macro body).
create or replace macro merged_sources(sources, sep) as
    array_to_string(list_sort(list_distinct(flatten(list(string_split(sources, sep))))), sep);
