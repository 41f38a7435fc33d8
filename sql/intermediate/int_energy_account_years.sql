-- int_energy_account_years: one row per account and calendar year with at least one energy
-- reading dated by D, with the months that coverage is judged on: 1 ... the last complete
-- month of that year (12 for earlier years, month of D - 1 for the year of D; NULL when none).
-- Parameters (kpi_params): as_of.
select distinct
    energy.account_id,
    year(energy.month) as year,
    case
        when year(energy.month) < year(params.as_of) then 12
        else nullif(month(params.as_of) - 1, 0)
    end as coverage_months
from mart_energy_monthly as energy
cross join kpi_params as params
where energy.carrier <> 'water'
