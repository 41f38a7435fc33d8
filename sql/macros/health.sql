-- Macros for the workload and health marts (engineer B). Ratios come from kpi.sql.

-- weekdays_between(from_day, to_day): Mon-Fri days from from_day through to_day, both included
-- (0 when to_day is before from_day; public holidays ignored, KPIS.md v1).
create or replace macro weekdays_between(from_day, to_day) as
    len(list_filter(
        generate_series(from_day::date, to_day::date, interval 1 day),
        lambda d: isodow(d) <= 5
    ));

-- weekdays_in_month(month_start): Mon-Fri days of the calendar month.
create or replace macro weekdays_in_month(month_start) as
    weekdays_between(month_start::date, last_day(month_start::date));

-- capacity_weekdays(month_start, as_of): the Mon-Fri days a month's capacity counts as of D
-- (KPIS.md "Team workload"): every weekday of a month before the month of D, the weekdays from the
-- 1st through D for the month of D (the running month), 0 for a month after D.
create or replace macro capacity_weekdays(month_start, as_of) as
    weekdays_between(month_start::date, least(last_day(month_start::date), as_of::date));

-- round_half_up_1(x): one decimal, half up, also for values that are exactly .x5 in decimal.
-- A DOUBLE like 72.25 may arrive as 72.2499999999 from a weighted sum; casting to DECIMAL with
-- six places first snaps it to 72.250000, and DECIMAL rounding is half away from zero
-- (= half up for the non-negative scores it is used for).
create or replace macro round_half_up_1(x) as
    round(x::decimal(18, 6), 1)::double;
