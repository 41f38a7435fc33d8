-- mart_alerts: one row per account and alert kind that fires at D (KPIS.md "Alerts"), with a
-- reason naming the concrete fact (English, for outside tools), a severity and value columns
-- (detail_date, detail_value, detail_text, detail_count) a page can translate from. Data only:
-- which page an alert links to and its text in the app's languages are decided by the app
-- (kamdata/app/alerts.py).
-- Parameters (kpi_params): as_of, last_complete_month, alerts_no_proactive_contact_days,
-- alerts_sla_breach_lookback_months, alerts_detractor_days, health_components_team_bad.
-- Kinds and severities:
--   renewal_risk          a contract in its renewal window and band not healthy (or no score);
--                         high when at_risk
--   sla_breach            an SLA breach month among the last N complete months; high when more
--                         than one
--   overdue_commitment    an open commitment past its due date; high when the oldest is > 30 days late
--   no_proactive_contact  no proactive contact for more than N days, or never; high when never or
--                         more than twice N days
--   team_overload         an account-team member overloaded in the last complete month; high when
--                         the highest utilisation reaches the team component's "bad" value
--   detractor             an NPS response 0-6 in the last N days; always high
with params as (
    select * from kpi_params
),

renewal as (
    select
        c.account_id,
        a.band,
        count(*) as contracts_in_window,
        min(c.notice_deadline) as notice_deadline,
        arg_min(c.contract_id, (c.notice_deadline, c.contract_id)) as contract_id
    from mart_contracts as c
    inner join mart_accounts as a
        on a.account_id = c.account_id
    where c.in_renewal_window
      and a.band is distinct from 'healthy'
    group by c.account_id, a.band
),

breach_months as (
    select
        b.account_id,
        count(*) as months,
        max(b.month) as latest_month,
        arg_max(b.breached_priorities, b.month) as latest_priorities
    from mart_sla_breach_months as b
    cross join params as p
    where b.month <= p.last_complete_month
      and b.month > p.last_complete_month - to_months(p.alerts_sla_breach_lookback_months)
    group by b.account_id
),

overdue as (
    select
        c.account_id,
        count(*) as overdue_commitments,
        arg_min(c.commitment_id, (c.due_date, c.commitment_id)) as commitment_id,
        arg_min(c.description, (c.due_date, c.commitment_id)) as description,
        min(c.due_date) as due_date,
        p.as_of - min(c.due_date) as days_overdue
    from stg_commitments as c
    cross join params as p
    where c.promised_on <= p.as_of
      and commitment_overdue(c.done_on, c.due_date, p.as_of)
    group by c.account_id, p.as_of
),

no_contact as (
    select i.account_id, i.days_since_proactive, i.last_proactive_date
    from int_health_inputs as i
    cross join params as p
    where i.is_current
      and (i.days_since_proactive is null or i.days_since_proactive > p.alerts_no_proactive_contact_days)
),

team as (
    select account_id, overloaded_members, team_max_utilisation_pct
    from int_health_inputs
    where is_current
      and overloaded_members > 0
),

detractors as (
    select
        s.account_id,
        count(*) as responses,
        max(s.response_date) as latest_date,
        arg_max(s.nps, (s.response_date, s.response_id)) as latest_nps
    from stg_surveys as s
    cross join params as p
    where s.nps <= 6
      and in_days_window(s.response_date, p.as_of, p.alerts_detractor_days)
    group by s.account_id
),

alerts as (
    select
        r.account_id,
        'renewal_risk' as kind,
        printf(
            'Notice deadline %s for contract %s%s; band %s',
            r.notice_deadline, r.contract_id,
            case when r.contracts_in_window > 1
                then printf(' (+%d more in the renewal window)', r.contracts_in_window - 1) else '' end,
            coalesce(r.band, 'n/a (insufficient data)')
        ) as reason,
        case when r.band = 'at_risk' then 'high' else 'medium' end as severity,
        r.notice_deadline as detail_date,
        (r.notice_deadline - p.as_of)::double as detail_value,
        r.contract_id as detail_text,
        r.contracts_in_window as detail_count
    from renewal as r
    cross join params as p

    union all

    select
        b.account_id,
        'sla_breach',
        printf(
            'SLA breach in %s: resolution compliance below target for %s (%d of the last %d complete months)',
            strftime(b.latest_month, '%Y-%m'), b.latest_priorities, b.months, p.alerts_sla_breach_lookback_months
        ),
        case when b.months > 1 then 'high' else 'medium' end,
        b.latest_month,
        b.months::double,
        b.latest_priorities,
        b.months
    from breach_months as b
    cross join params as p

    union all

    select
        o.account_id,
        'overdue_commitment',
        printf(
            'Commitment %s "%s" overdue since %s (%d d)%s',
            o.commitment_id, o.description, o.due_date, o.days_overdue,
            case when o.overdue_commitments > 1
                then printf('; %d overdue commitments', o.overdue_commitments) else '' end
        ),
        case when o.days_overdue > 30 then 'high' else 'medium' end,
        o.due_date,
        o.days_overdue::double,
        o.commitment_id,
        o.overdue_commitments
    from overdue as o

    union all

    select
        n.account_id,
        'no_proactive_contact',
        case
            when n.days_since_proactive is null then 'No proactive contact on record'
            else printf('No proactive contact for %d days (last on %s)', n.days_since_proactive, n.last_proactive_date)
        end,
        case
            when n.days_since_proactive is null
              or n.days_since_proactive > 2 * p.alerts_no_proactive_contact_days then 'high'
            else 'medium'
        end,
        n.last_proactive_date,
        n.days_since_proactive::double,
        null,
        null
    from no_contact as n
    cross join params as p

    union all

    select
        t.account_id,
        'team_overload',
        printf(
            '%d account-team member(s) overloaded in %s (highest utilisation %.1f %%)',
            t.overloaded_members, strftime(p.last_complete_month, '%Y-%m'), t.team_max_utilisation_pct
        ),
        case when t.team_max_utilisation_pct >= p.health_components_team_bad then 'high' else 'medium' end,
        p.last_complete_month,
        t.team_max_utilisation_pct,
        null,
        t.overloaded_members
    from team as t
    cross join params as p

    union all

    select
        d.account_id,
        'detractor',
        printf(
            'NPS detractor response (score %d) on %s%s',
            d.latest_nps, d.latest_date,
            case when d.responses > 1
                then printf('; %d detractor responses in the last %d days', d.responses, p.alerts_detractor_days)
                else '' end
        ),
        'high',
        d.latest_date,
        d.latest_nps::double,
        null,
        d.responses
    from detractors as d
    cross join params as p
)

select
    alerts.account_id,
    acc.account_name,
    alerts.kind,
    alerts.reason,
    alerts.severity,
    alerts.detail_date,
    alerts.detail_value,
    alerts.detail_text,
    alerts.detail_count::bigint as detail_count
from alerts
inner join stg_accounts as acc
    on acc.account_id = alerts.account_id
