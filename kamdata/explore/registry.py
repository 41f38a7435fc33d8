"""The one registry of explorable datasets: the explorer, the downloads and the review pack share it.

A dataset is a table expression (registry text only, never user input), its
fields (name, display kind, role in the explorer) and its KPI measures. A
measure is ONE aggregate expression over the dataset's columns built from the
macros in sql/macros (pct, compliance_pct, nps, ratio, margin_pct, acv), so it is
correct for any group: sums of numerator and denominator, never an average of
ratios. Each measure names the KPIS.md definition it implements.

Works council (KPIS.md "Team workload", settings [app] show_per_person_workload
and min_group_size), decided here and enforced in kamdata.explore.state/sql:
- Fields that identify an employee (employee_id, technician_id, owner_id) are
  `person_fields`, not `fields`: they exist for filters, grouping and rows only
  when show_per_person_workload is true (`fields_of`).
- A dataset of workload figures per person (`people_column`: time bookings,
  per-employee workload) never shows single rows unless per-person figures are
  allowed: without grouping it gives one total row, and every group (the total
  included) covering fewer than min_group_size distinct employees is suppressed
  (dropped and counted, so the page can say so).
- Department months come from mart_department_monthly with the cells of fewer than
  min_group_size employees left out, as on the workload page.
"""

from __future__ import annotations

from dataclasses import dataclass

from kamdata import auth
from kamdata.app import i18n
from kamdata.app.settings import app_settings

AGGREGATES = ("count", "count_distinct", "sum", "mean", "median", "min", "max")
GRAINS = ("day", "week", "month", "quarter", "year")
ROLES = ("category", "number", "date", "text")
TEXTS = "explorer"  # kamdata/app/texts/explorer.toml


@dataclass(frozen=True)
class Field:
    """One column: name in the table expression, display kind (kamdata.review.model.KINDS), explorer role."""

    name: str
    kind: str
    role: str  # "category" | "number" | "date" | "text"


@dataclass(frozen=True)
class Measure:
    """A KPI measure: one aggregate SQL expression over the dataset's columns (registry text)."""

    id: str
    kind: str
    sql: str


@dataclass(frozen=True)
class Dataset:
    """One explorable dataset. `table` is a parenthesised select (registry text); the global filters
    apply through account_column, service_line_column and date_field (day/month/year overlap by the
    date field's kind: date, month, or a year number)."""

    id: str
    table: str
    fields: tuple[Field, ...]
    measures: tuple[Measure, ...]
    account_column: str | None
    date_field: str | None
    service_line_column: str | None
    person_fields: tuple[Field, ...] = ()  # employee-identifying: only with show_per_person_workload
    people_column: str | None = None  # per-person workload rows: groups below min_group_size suppressed
    unscoped: frozenset[str] = frozenset()  # non-account tables it reads (kamdata.query)


def _f(spec: str) -> tuple[Field, ...]:
    """Fields from "name:kind:role" words (role defaults: text->category, date/month->date, else number)."""
    out = []
    for word in spec.split():
        name, kind, *role = word.split(":")
        default = "category" if kind == "text" else "date" if kind in ("date", "month") else "number"
        out.append(Field(name, kind, role[0] if role else default))
    return tuple(out)


def _m(*specs: tuple[str, str, str]) -> tuple[Measure, ...]:
    return tuple(Measure(i, k, s) for i, k, s in specs)


_ACCOUNT = "account_id:text account_name:text"
_SITE = "site_id:text site_name:text city:text"
_NAMES = "left join mart_accounts as a using (account_id)"
_SITES = "left join stg_sites as s using (site_id)"

# KPIS.md "SLA and service quality": compliance % = met / (met + breached) x 100 (pending not counted).
_RES_COMPLIANCE_TICKETS = (
    "resolution_compliance",
    "pct",
    "compliance_pct(count(*) filter (where resolution_status = 'met'), "
    "count(*) filter (where resolution_status = 'breached'))",
)
_RESP_COMPLIANCE_TICKETS = (
    "response_compliance",
    "pct",
    "compliance_pct(count(*) filter (where response_status = 'met'), "
    "count(*) filter (where response_status = 'breached'))",
)

_DATASETS = (
    Dataset(
        "account_health",
        "(select h.*, a.account_name, a.industry, a.region, a.kam_name from mart_account_health as h " + _NAMES + ")",
        _f(
            _ACCOUNT + " industry:text region:text kam_name:text band:text health_score:score sla_score:score"
            " satisfaction_score:score relationship_score:score commitments_score:score commercial_score:score"
            " team_score:score sla_compliance_pct:pct nps:number days_since_proactive:days"
            " commitment_ontime_pct:pct revenue_growth_pct:pct team_max_utilisation_pct:pct"
        ),
        _m(
            # KPIS.md "Account health score": bands; the portfolio's accounts at risk and average health.
            ("accounts_at_risk", "integer", "count(*) filter (where band = 'at_risk')"),
            ("average_health", "score", "avg(health_score)"),
        ),
        "account_id",
        None,
        None,
    ),
    Dataset(
        "sla_monthly",
        "(select m.*, a.account_name from mart_sla_monthly as m " + _NAMES + ")",
        _f(
            _ACCOUNT + " month:month priority:text tickets:integer response_met:integer response_breached:integer"
            " resolution_met:integer resolution_breached:integer response_compliance_pct:pct"
            " resolution_compliance_pct:pct target_pct:pct escalated_tickets:integer resolved_tickets:integer"
            " mttr_h:hours first_time_fix_pct:pct"
        ),
        _m(
            # KPIS.md SLA: compliance % = met / (met + breached) x 100, summed over the group's months.
            (
                "resolution_compliance",
                "pct",
                "compliance_pct(sum(resolution_met), sum(resolution_breached))",
            ),
            ("response_compliance", "pct", "compliance_pct(sum(response_met), sum(response_breached))"),
            # KPIS.md SLA: escalation rate = escalated / in-scope tickets x 100.
            ("escalation_rate", "pct", "pct(sum(escalated_tickets), sum(tickets))"),
            # KPIS.md SLA: first-time-fix rate = resolved with first_time_fix / resolved with it known.
            ("first_time_fix_rate", "pct", "pct(sum(first_time_fixes), sum(first_time_fix_known))"),
        ),
        "account_id",
        "month",
        None,
    ),
    Dataset(
        "ticket_sla",
        "(select t.*, a.account_name, s.site_name, s.city from mart_ticket_sla as t "
        + _NAMES
        + " left join stg_sites as s on s.site_id = t.site_id)",
        _f(
            "ticket_id:text:text " + _ACCOUNT + " " + _SITE + " service_line:text category:text priority:text"
            " created_date:date response_status:text resolution_status:text no_sla:text resolution_h:hours"
            " first_time_fix:text escalated:text is_backlog:text backlog_age_days:days backlog_bucket:text"
        ),
        _m(
            _RES_COMPLIANCE_TICKETS,
            _RESP_COMPLIANCE_TICKETS,
            # KPIS.md SLA: MTTR (h) = median of (resolved_at - created_at) over resolved tickets.
            ("mttr", "hours", "mttr_h(resolution_s)"),
            (
                "first_time_fix_rate",
                "pct",
                "pct(count(*) filter (where resolved_at is not null and first_time_fix), "
                "count(*) filter (where resolved_at is not null and first_time_fix is not null))",
            ),
            ("escalation_rate", "pct", "pct(count(*) filter (where escalated), count(*))"),
            # KPIS.md SLA: backlog = in-scope tickets not resolved at D.
            ("backlog", "integer", "count(*) filter (where is_backlog)"),
        ),
        "account_id",
        "created_date",
        "service_line",
        person_fields=_f("technician_id:text"),
    ),
    Dataset(
        "tickets",
        "(select t.*, a.account_name, s.site_name, s.city, "
        "timezone(p.kpi_timezone, t.created_at)::date as created_date, "
        "timezone(p.kpi_timezone, t.resolved_at)::date as resolved_date "
        "from stg_tickets as t " + _NAMES + " left join stg_sites as s on s.site_id = t.site_id "
        "cross join kpi_params as p)",
        _f(
            "ticket_id:text:text " + _ACCOUNT + " " + _SITE + " service_line:text category:text priority:text"
            " kind:text status:text created_date:date resolved_date:date first_time_fix:text escalated:text"
        ),
        _m(("escalation_rate", "pct", "pct(count(*) filter (where escalated), count(*))")),
        "account_id",
        "created_date",
        "service_line",
        person_fields=_f("technician_id:text"),
    ),
    Dataset(
        "ppm_monthly",
        "(select m.*, a.account_name from mart_ppm_monthly as m " + _NAMES + ")",
        _f(_ACCOUNT + " month:month service_line:text ppm_due:integer ppm_on_time:integer ppm_compliance_pct:pct"),
        # KPIS.md SLA: PPM compliance % = on time / due x 100.
        _m(("ppm_compliance", "pct", "pct(sum(ppm_on_time), sum(ppm_due))")),
        "account_id",
        "month",
        "service_line",
    ),
    Dataset(
        "energy_monthly",
        "(select e.*, a.account_name, s.site_name, s.city from mart_energy_monthly as e "
        + _NAMES
        + " left join stg_sites as s on s.site_id = e.site_id)",
        _f(
            _ACCOUNT + " " + _SITE + " month:month carrier:text kwh:number m3:number kg_co2e:number"
            " factor_year:text factor_source:text readings:integer"
        ),
        # KPIS.md "Sustainability": CO2e in tonnes (kg / 1000); energy and water never added.
        _m(("co2e_t", "number", "sum(kg_co2e) / 1000.0")),
        "account_id",
        "month",
        None,
    ),
    Dataset(
        "sustainability_yearly",
        "(select y.* exclude (year), y.year::varchar as year, a.account_name from mart_sustainability_yearly as y "
        + _NAMES
        + ")",
        _f(
            _ACCOUNT + " year:text kwh:number floor_area_m2:number eui_kwh_m2:number kg_co2e:number"
            " co2e_kg_m2:number reduction_pct:pct target_path_pct:pct on_track:text coverage_pct:pct water_m3:number"
        ),
        _m(
            # KPIS.md "Sustainability": eui_kwh_m2 = kwh / floor_area_m2 (summed over the group's rows).
            ("eui", "number", "ratio(sum(kwh), sum(floor_area_m2))"),
            # KPIS.md: co2e_kg_m2 = kg_co2e / floor_area_m2.
            ("co2e_intensity", "number", "ratio(sum(kg_co2e), sum(floor_area_m2))"),
            # KPIS.md: coverage % = covered (site, month) pairs / all pairs.
            ("coverage", "pct", "pct(sum(covered_site_months), sum(coverage_site_months))"),
        ),
        "account_id",
        "year",
        None,
    ),
    Dataset(
        "site_energy_yearly",
        "(select y.* exclude (year), y.year::varchar as year, a.account_name from mart_site_energy_yearly as y "
        + _NAMES
        + ")",
        _f(
            _ACCOUNT + " " + _SITE + " building_type:text year:text floor_area_m2:number kwh:number kg_co2e:number"
            " eui_kwh_m2:number co2e_kg_m2:number water_m3:number coverage_pct:pct has_energy:text"
        ),
        _m(
            # KPIS.md: EUI over the floor area of sites with at least one energy reading in the year.
            (
                "eui",
                "number",
                "ratio(sum(kwh) filter (where has_energy), sum(floor_area_m2) filter (where has_energy))",
            ),
            (
                "co2e_intensity",
                "number",
                "ratio(sum(kg_co2e) filter (where has_energy), sum(floor_area_m2) filter (where has_energy))",
            ),
        ),
        "account_id",
        "year",
        None,
    ),
    Dataset(
        "workload_monthly",
        "(select * from mart_workload_monthly)",
        _f(
            "department:text month:month capacity_h:hours booked_h:hours account_h:hours utilisation_pct:pct"
            " overloaded:text"
        ),
        _m(
            # KPIS.md "Team workload": utilisation % = booked / capacity x 100 (sums over the group).
            ("utilisation", "pct", "pct(sum(booked_h), sum(capacity_h))"),
            # KPIS.md: overloaded = utilisation > threshold in a month (person-months).
            ("overloaded_months", "integer", "count(*) filter (where overloaded)"),
        ),
        None,
        "month",
        None,
        person_fields=_f("employee_id:text"),
        people_column="employee_id",
    ),
    Dataset(
        "department_monthly",
        "(select * from mart_department_monthly where employees >= $min_group_size)",
        _f(
            "department:text month:month employees:integer capacity_h:hours booked_h:hours utilisation_pct:pct"
            " overloaded_employees:integer"
        ),
        _m(("utilisation", "pct", "pct(sum(booked_h), sum(capacity_h))")),
        None,
        "month",
        None,
        unscoped=frozenset({"mart_department_monthly"}),
    ),
    Dataset(
        "revenue_monthly",
        "(select r.*, a.account_name from mart_revenue_monthly as r " + _NAMES + ")",
        _f(_ACCOUNT + " month:month service_line:text revenue_eur:eur cost_eur:eur margin_pct:pct"),
        # KPIS.md "Relationship and commercial": margin % = (revenue - cost) / revenue over rows with a cost.
        _m(("margin", "pct", "margin_pct(sum(revenue_eur) filter (where cost_eur is not null), sum(cost_eur))")),
        "account_id",
        "month",
        "service_line",
    ),
    Dataset(
        "contracts",
        "(select c.*, a.account_name from mart_contracts as c " + _NAMES + ")",
        _f(
            "contract_id:text:text " + _ACCOUNT + " service_line:text start_date:date end_date:date"
            " annual_value_eur:eur notice_period_days:days auto_renew:text is_active:text notice_deadline:date"
            " in_renewal_window:text days_to_notice_deadline:days"
        ),
        _m(
            # KPIS.md: ACV = sum of annual_value_eur of contracts active at D.
            ("acv", "eur", "acv(annual_value_eur, is_active)"),
            # KPIS.md "Renewal": active contracts in the renewal window.
            ("in_renewal", "integer", "count(*) filter (where in_renewal_window)"),
        ),
        "account_id",
        None,
        "service_line",
    ),
    Dataset(
        "alerts",
        "(select * from mart_alerts)",
        _f(
            _ACCOUNT + " kind:text reason:text:text severity:text detail_date:date detail_value:number"
            " detail_count:integer"
        ),
        (),
        "account_id",
        None,
        None,
    ),
    Dataset(
        "cross_sell",
        "(select x.*, a.account_name from mart_cross_sell as x " + _NAMES + ")",
        _f(
            _ACCOUNT + " service_line:text industry:text holds:text is_whitespace:text industry_holders:integer"
            " industry_accounts:integer industry_share_pct:pct is_cross_sell:text"
        ),
        # KPIS.md "Whitespace" / cross-sell suggestions.
        _m(("cross_sell_lines", "integer", "count(*) filter (where is_cross_sell)")),
        "account_id",
        None,
        "service_line",
    ),
    Dataset(
        "meter_readings",
        "(select r.* exclude (_source_file, _source_line), s.account_id, a.account_name, s.site_name, s.city "
        "from stg_meter_readings as r " + _SITES + " " + _NAMES + ")",
        _f(_ACCOUNT + " " + _SITE + " reading_date:date carrier:text quantity:number unit:text kwh:number m3:number"),
        (),
        "account_id",
        "reading_date",
        None,
    ),
    Dataset(
        "time_bookings",
        "(select b.* exclude (_source_file, _source_line), a.account_name, e.department "
        "from stg_time_bookings as b " + _NAMES + " left join stg_employees as e using (employee_id))",
        _f(_ACCOUNT + " department:text booking_date:date hours:hours activity:text"),
        (),
        "account_id",
        "booking_date",
        None,
        person_fields=_f("employee_id:text"),
        people_column="employee_id",
    ),
    Dataset(
        "commitments",
        "(select c.* exclude (_source_file, _source_line), a.account_name, "
        "commitment_open(c.done_on, p.as_of) as is_open, "
        "commitment_overdue(c.done_on, c.due_date, p.as_of) as is_overdue "
        "from stg_commitments as c " + _NAMES + " cross join kpi_params as p)",
        _f(
            "commitment_id:text:text " + _ACCOUNT + " promised_on:date due_date:date done_on:date"
            " description:text:text is_open:text is_overdue:text"
        ),
        _m(
            # KPIS.md "Commitments": on-time rate = done_on <= due_date / commitments due (by due date).
            ("commitment_ontime", "pct", "pct(count(*) filter (where done_on <= due_date), count(*))"),
            ("commitments_overdue", "integer", "count(*) filter (where is_overdue)"),
        ),
        "account_id",
        "due_date",
        None,
        person_fields=_f("owner_id:text"),
    ),
    Dataset(
        "interactions",
        "(select i.* exclude (_source_file, _source_line), a.account_name from stg_interactions as i " + _NAMES + ")",
        _f(_ACCOUNT + " interaction_date:date channel:text initiated_by:text subject:text:text"),
        # KPIS.md "Relationship": proactive share % = us-initiated / all interactions x 100.
        _m(("proactive_share", "pct", "pct(count(*) filter (where initiated_by = 'us'), count(*))")),
        "account_id",
        "interaction_date",
        None,
        person_fields=_f("employee_id:text"),
    ),
    Dataset(
        "surveys",
        "(select r.* exclude (_source_file, _source_line), a.account_name from stg_surveys as r " + _NAMES + ")",
        _f(_ACCOUNT + " response_id:text:text response_date:date nps:integer csat:integer comment:text:text"),
        _m(
            # KPIS.md "Relationship": NPS = % responses 9-10 - % 0-6, over non-NULL nps.
            (
                "nps_score",
                "number",
                "nps(count(*) filter (where nps >= 9), count(*) filter (where nps <= 6), count(nps))",
            ),
            # KPIS.md: CSAT = mean csat.
            ("csat_mean", "number", "avg(csat)"),
        ),
        "account_id",
        "response_date",
        None,
    ),
    Dataset(
        "opportunities",
        "(select o.* exclude (_source_file, _source_line, updated_at), a.account_name "
        "from stg_opportunities as o " + _NAMES + ")",
        _f(
            "opportunity_id:text:text " + _ACCOUNT + " service_line:text stage:text expected_value_eur:eur"
            " expected_close:date created_on:date"
        ),
        (),
        "account_id",
        "created_on",
        "service_line",
    ),
)

DATASETS: dict[str, Dataset] = {d.id: d for d in _DATASETS}
COUNT = Measure("count", "integer", "count(*)")


def get(dataset_id: str) -> Dataset:
    """The dataset `dataset_id` (KeyError when there is none)."""
    return DATASETS[dataset_id]


def per_person_allowed() -> bool:
    """Settings [app] show_per_person_workload (works council), and only for management (kamdata.auth)."""
    settings = app_settings()
    return bool(settings.get("app", {}).get("show_per_person_workload", False)) and auth.per_person_permitted(settings)


def fields_of(dataset: Dataset) -> tuple[Field, ...]:
    """The fields a user may filter, group and see: person fields only when the settings allow them."""
    return dataset.fields + (dataset.person_fields if per_person_allowed() else ())


def field(dataset: Dataset, name: str) -> Field | None:
    """A visible field of `dataset` by name (None: unknown or not allowed)."""
    return next((f for f in fields_of(dataset) if f.name == name), None)


def measure(dataset: Dataset, measure_id: str) -> Measure | None:
    """A KPI measure of `dataset` by id ("count" is every dataset's row count)."""
    if measure_id == COUNT.id:
        return COUNT
    return next((m for m in dataset.measures if m.id == measure_id), None)


def suppresses_people(dataset: Dataset) -> bool:
    """Whether per-person rows of this dataset must be aggregated into groups of min_group_size."""
    return dataset.people_column is not None and not per_person_allowed()


def label(kind: str, key: str, lang: str) -> str:
    """Business label: kind "dataset" (name), "dataset_description", "field", "measure", "aggregate"
    (key "<aggregate>:<field>", e.g. "sum:kwh" -> "Summe: Energie (kWh)") or "grain"."""
    if kind == "dataset":
        return i18n.text(f"{TEXTS}.dataset.{key}.name", lang)
    if kind == "dataset_description":
        return i18n.text(f"{TEXTS}.dataset.{key}.description", lang)
    if kind == "aggregate":
        agg, _, name = key.partition(":")
        if not name:
            return i18n.text(f"{TEXTS}.measure.{agg}", lang)
        return i18n.text(f"{TEXTS}.aggregate.{agg}", lang, field=i18n.text(f"{TEXTS}.field.{name}", lang))
    if kind in ("field", "measure", "grain"):
        return i18n.text(f"{TEXTS}.{kind}.{key}", lang)
    raise ValueError(f"unknown label kind {kind!r}")
