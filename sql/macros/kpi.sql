-- Shared KPI ratio macros: every mart and every page that re-aggregates a
-- filtered subset uses these, so a percentage means the same everywhere.
-- NULL (never 0) when the denominator is 0 or NULL (KPIS.md: no data -> n/a).

-- pct(num, den): share in percent, 100 * num / den.
create or replace macro pct(num, den) as
    case when den is null or den = 0 then null else 100.0 * num / den end;

-- margin_pct(revenue, cost): (revenue - cost) / revenue in percent; NULL without a cost or when
-- the revenue rounds to 0 cents (a DOUBLE sum of invoices cancelled by a credit note can come
-- out as +-3.6e-12 instead of 0, which would give an absurd margin instead of NULL).
create or replace macro margin_pct(revenue, cost) as
    case when round(revenue, 2) <> 0 then pct(revenue - cost, revenue) end;

-- ratio(num, den): plain quotient num / den (e.g. kWh per m2).
create or replace macro ratio(num, den) as
    case when den is null or den = 0 then null else 1.0 * num / den end;

-- change_pct(current, prior): growth / reduction in percent of the prior value.
create or replace macro change_pct(cur, prior) as
    case when prior is null or prior = 0 then null else 100.0 * (cur - prior) / prior end;

-- nps(promoters, detractors, responses): % promoters (9-10) minus % detractors (0-6).
create or replace macro nps(promoters, detractors, responses) as
    case when responses is null or responses = 0 then null
         else 100.0 * (promoters - detractors) / responses end;

-- compliance_pct(met, breached): met / (met + breached) * 100; pending tickets are not counted.
create or replace macro compliance_pct(met, breached) as
    pct(met, coalesce(met, 0) + coalesce(breached, 0));

-- linear_score(x, bad, good): 100 * clamp((x - bad) / (good - bad), 0, 1); works when bad > good.
create or replace macro linear_score(x, bad, good) as
    case when x is null then null
         else 100.0 * greatest(0.0, least(1.0, (x - bad) / (good - bad))) end;

-- elapsed_seconds(t0, t1): elapsed time between two TIMESTAMPTZ in seconds (DST-safe), from the
-- microseconds: exact, so whole seconds stay whole numbers (which also store compactly).
create or replace macro elapsed_seconds(t0, t1) as
    (epoch_us(t1) - epoch_us(t0)) / 1e6;

-- elapsed_hours(t0, t1): the same in hours.
create or replace macro elapsed_hours(t0, t1) as
    elapsed_seconds(t0, t1) / 3600.0;

-- mttr_h(resolution_s): MTTR (h), the median resolution time of the tickets aggregated, from their
-- resolution times in seconds (an aggregate macro; NULL, i.e. not resolved, is ignored).
create or replace macro mttr_h(resolution_s) as
    median(resolution_s) / 3600.0;

-- plus_hours(ts, hours): ts + hours as elapsed time (a 24 h target across a DST switch
-- ends 23 or 25 wall-clock hours later); hours may be fractional.
create or replace macro plus_hours(ts, hours) as
    ts + to_microseconds(cast(round(hours * 3600e6) as bigint));

-- sla_status(done_at, due, d_end): 'met' | 'breached' | 'pending' judged at d_end; NULL without
-- a due time. done_at is the response / resolution time (NULL when not yet happened).
create or replace macro sla_status(done_at, due, d_end) as
    case
        when due is null then null
        when done_at <= due then 'met'
        when done_at > due or d_end > due then 'breached'
        else 'pending'
    end;
