-- The running year (the year of D) like for like, per account with a reduction
-- target: CO2e of January .. the last complete month in the year of D against the
-- same months of the baseline year. The yearly mart's reduction_pct for the year of
-- D compares a partial year with a full baseline year (too good by the missing
-- months); this one compares equal months. It is not judged against the yearly
-- target path (on_track stays NULL for the year of D, KPIS.md).
-- months_compared is NULL and the figures are NULL when no month of the year of D
-- is complete yet (D in January); reduction_ytd_pct is NULL when the baseline
-- months have no CO2e.
-- Parameters: $accounts.

with params as (
    select
        year(as_of) as running_year,
        case when year(last_complete_month) = year(as_of) then month(last_complete_month) end as months_compared
    from kpi_params
),

targets as (
    select distinct account_id, baseline_year
    from mart_sustainability_yearly
    where in_filter($accounts, account_id)
      and baseline_year is not null
),

monthly as (
    select energy.account_id, year(energy.month) as year, sum(energy.kg_co2e) as kg_co2e
    from mart_energy_monthly as energy
    cross join params
    where in_filter($accounts, energy.account_id)
      and month(energy.month) <= params.months_compared
    group by all
)

select
    targets.account_id,
    params.running_year as year,
    params.months_compared,
    targets.baseline_year,
    running.kg_co2e as kg_co2e_ytd,
    baseline.kg_co2e as baseline_kg_co2e_ytd,
    pct(baseline.kg_co2e - running.kg_co2e, baseline.kg_co2e) as reduction_ytd_pct
from targets
cross join params
left join monthly as running
    on running.account_id = targets.account_id and running.year = params.running_year
left join monthly as baseline
    on baseline.account_id = targets.account_id and baseline.year = targets.baseline_year
order by targets.account_id
