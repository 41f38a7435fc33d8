-- mart_coverage_gaps: one row per account, site and month without any energy reading, over
-- months 1 ... the last complete month of every year in which the account has energy
-- readings; sites that never report appear for every such month.
-- Parameters: none beyond those of int_energy_site_years.
with expected as (
    select
        site_year.account_id,
        site_year.site_id,
        make_date(site_year.year, month_number.m::integer, 1) as month
    from int_energy_site_years as site_year
    cross join lateral (select range as m from range(1, coalesce(site_year.coverage_months, 0) + 1)) as month_number
),

reported as (
    select distinct site_id, month
    from mart_energy_monthly
    where carrier <> 'water'
),

reporting_sites as (
    select distinct site_id from reported
)

select
    expected.account_id,
    expected.site_id,
    expected.month,
    site.site_name,
    site.city,
    reporting_sites.site_id is null as never_reports
from expected
join stg_sites as site on site.site_id = expected.site_id
left join reporting_sites on reporting_sites.site_id = expected.site_id
anti join reported
    on reported.site_id = expected.site_id
   and reported.month = expected.month
