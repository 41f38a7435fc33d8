-- Macros for the workload and health marts (engineer B). Ratios come from kpi.sql.

-- weekdays_in_month(month_start): Mon-Fri days of the calendar month (public holidays ignored, KPIS.md v1).
create or replace macro weekdays_in_month(month_start) as
    len(list_filter(
        generate_series(month_start::date, last_day(month_start::date), interval 1 day),
        lambda d: isodow(d) <= 5
    ));

-- round_half_up_1(x): one decimal, half up, also for values that are exactly .x5 in decimal.
-- A DOUBLE like 72.25 may arrive as 72.2499999999 from a weighted sum; casting to DECIMAL with
-- six places first snaps it to 72.250000, and DECIMAL rounding is half away from zero
-- (= half up for the non-negative scores it is used for).
create or replace macro round_half_up_1(x) as
    round(x::decimal(18, 6), 1)::double;
