"""The nightly export contract (DATA_CONTRACT.md v1) as data.

Everything that knows about tables, columns, types, keys and rules reads it
from here: the readers, the staging SQL's checks, the demo generator and the
marts' test fixtures. Typed staging tables are named `stg_<table>` and hold
exactly these columns (optional ones NULL when absent) plus lineage columns.
"""

from __future__ import annotations

from dataclasses import dataclass

# Logical column types and the DuckDB type each becomes in staging.
SQL_TYPES = {
    "id": "VARCHAR",  # kept exactly as given
    "text": "VARCHAR",  # free text, kept exactly as given
    "enum": "VARCHAR",  # trimmed, case-normalised, checked against `values`
    "date": "DATE",
    "timestamp": "TIMESTAMPTZ",  # naive values are Europe/Berlin local time
    "decimal": "DOUBLE",
    "integer": "INTEGER",
    "boolean": "BOOLEAN",
    "month": "DATE",  # first day of the month
}

# Reading rules (docs/build-input-rules.md): a row the reader itself rejects, with these reasons.
MAX_FIELD_CHARS = 1 << 20  # one field holds at most 1 MiB of text: 1,048,576 characters
FIELD_TOO_LONG_REASON = f"longer than {MAX_FIELD_CHARS} characters, the limit for one field"
INVALID_UTF8_REASON = r"bytes that are not UTF-8 (shown as \xNN) in a UTF-8 file; re-export this line as UTF-8"

# Plausibility (docs/build-input-rules.md): values the source systems cannot mean. Dates and timestamps
# must fall in these years; a decimal/integer column may state its plausible range on its Column.
PLAUSIBLE_YEARS = (1900, 2199)
IMPLAUSIBLE_DATE_REASON = f"implausible date: the year must be from {PLAUSIBLE_YEARS[0]} to {PLAUSIBLE_YEARS[1]}"
NON_FINITE_REASON = "not a finite number"
MAX_READING_KWH = 1_000_000_000  # one meter reading, after MWh x 1000: 1 TWh


def _plain(number: float) -> str:
    """A number in plain digits for a reason text (1000000000, 0.5; never 1e+09)."""
    return format(number, "f").rstrip("0").rstrip(".") if number % 1 else f"{number:.0f}"


def plausible_reason(low: float, high: float) -> str:
    return f"outside the plausible range {_plain(low)} to {_plain(high)}"


# Lineage columns every staging table carries (which file and physical line a row came from).
LINEAGE_COLUMNS = (("_source_file", "VARCHAR"), ("_source_line", "BIGINT"))


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    nullable: bool = False
    optional: bool = False  # the column may be absent from the file
    values: tuple[str, ...] = ()  # allowed values of an enum, normalised
    upper: bool = False  # enum normalised to upper case (priorities)
    references: str | None = None  # parent table of a foreign key
    plausible: tuple[float, float] | None = None  # inclusive range a number must lie in (beyond its checks)


@dataclass(frozen=True)
class Check:
    """A row rule on typed values: `sql` must be true (NULLs pass; nullability is separate)."""

    column: str
    sql: str
    reason: str


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    required: bool = True
    checks: tuple[Check, ...] = ()
    # (name, SQL type, SQL over the typed columns) of each derived staging column: stg_<table> computes it
    # when read (a virtual generated column), so it costs no space in the database file.
    derived: tuple[tuple[str, str, str], ...] = ()
    # (foreign-key column, column): the referenced parent row must carry this row's value in `column`
    # (a ticket's site must belong to the ticket's account).
    parent_matches: tuple[tuple[str, str], ...] = ()

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    @property
    def has_updated_at(self) -> bool:
        return any(c.name == "updated_at" for c in self.columns)


def _id(name, nullable=False, references=None, optional=False):
    return Column(name, "id", nullable=nullable, references=references, optional=optional)


def _enum(name, values, upper=False):
    return Column(name, "enum", values=tuple(values), upper=upper)


SERVICE_LINES_NOTE = "service lines are free values (normalised to lower case)"
PRIORITIES = ("P1", "P2", "P3", "P4")
TICKET_KINDS = ("reactive", "planned")
TICKET_STATUSES = ("open", "in_progress", "on_hold", "resolved", "closed", "cancelled")
CARRIERS = ("electricity", "natural_gas", "district_heating", "heating_oil", "water")
ENERGY_CARRIERS = ("electricity", "natural_gas", "district_heating", "heating_oil")
UNITS = ("kwh", "mwh", "m3")
CHANNELS = ("meeting", "call", "email", "site_visit", "review")
INITIATORS = ("us", "customer")
STAGES = ("lead", "qualified", "proposal", "negotiation", "won", "lost")

TABLES: tuple[Table, ...] = (
    Table(
        "employees",
        (
            _id("employee_id"),
            Column("name", "text"),
            Column("department", "text"),
            Column("role", "text"),
            Column("weekly_capacity_h", "decimal"),
            Column("active", "boolean"),
            Column("email", "text", nullable=True, optional=True),
        ),
        key=("employee_id",),
        checks=(Check("weekly_capacity_h", "weekly_capacity_h between 0 and 60", "must be between 0 and 60"),),
    ),
    Table(
        "accounts",
        (
            _id("account_id"),
            Column("account_name", "text"),
            Column("industry", "text"),
            Column("region", "text"),
            _id("kam_id", references="employees"),
            Column("customer_since", "date", nullable=True),
            Column("updated_at", "timestamp", nullable=True, optional=True),
        ),
        key=("account_id",),
    ),
    Table(
        "sites",
        (
            _id("site_id"),
            _id("account_id", references="accounts"),
            Column("site_name", "text"),
            Column("city", "text"),
            Column("country", "text"),
            Column("building_type", "text"),
            Column("floor_area_m2", "decimal", plausible=(1, 10_000_000)),
            Column("latitude", "decimal", nullable=True, optional=True),
            Column("longitude", "decimal", nullable=True, optional=True),
        ),
        key=("site_id",),
        checks=(
            Check("floor_area_m2", "floor_area_m2 > 0", "must be greater than 0"),
            Check("country", "regexp_full_match(country, '[A-Za-z]{2}')", "must be an ISO-3166 two-letter code"),
            Check("latitude", "latitude between -90 and 90", "must be between -90 and 90"),
            Check("longitude", "longitude between -180 and 180", "must be between -180 and 180"),
        ),
    ),
    Table(
        "contracts",
        (
            _id("contract_id"),
            _id("account_id", references="accounts"),
            Column("service_line", "enum"),
            Column("start_date", "date"),
            Column("end_date", "date", nullable=True),
            Column("annual_value_eur", "decimal", plausible=(0, 1_000_000_000)),
            Column("notice_period_days", "integer", plausible=(0, 3650)),
            Column("auto_renew", "boolean"),
        ),
        key=("contract_id",),
        checks=(
            Check("end_date", "end_date >= start_date", "must not be before start_date"),
            Check("annual_value_eur", "annual_value_eur >= 0", "must not be negative"),
            Check("notice_period_days", "notice_period_days >= 0", "must not be negative"),
        ),
    ),
    Table(
        "sla_policies",
        (
            _id("account_id", references="accounts"),
            _enum("priority", PRIORITIES, upper=True),
            Column("response_target_h", "decimal", plausible=(0, 8760)),
            Column("resolution_target_h", "decimal", plausible=(0, 8760)),
            Column("target_pct", "decimal"),
        ),
        key=("account_id", "priority"),
        checks=(
            Check("response_target_h", "response_target_h > 0", "must be greater than 0"),
            Check("resolution_target_h", "resolution_target_h > 0", "must be greater than 0"),
            Check("target_pct", "target_pct between 0 and 100", "must be between 0 and 100"),
        ),
    ),
    Table(
        "sla_malus",
        (
            _id("account_id", references="accounts"),
            Column("malus_pct_per_point", "decimal", plausible=(0, 100)),
            Column("malus_cap_pct", "decimal"),
        ),
        key=("account_id",),
        required=False,
        checks=(
            Check("malus_pct_per_point", "malus_pct_per_point >= 0", "must not be negative"),
            Check("malus_cap_pct", "malus_cap_pct between 0 and 100", "must be between 0 and 100"),
        ),
    ),
    Table(
        "tickets",
        (
            _id("ticket_id"),
            _id("account_id", references="accounts"),
            _id("site_id", references="sites"),
            Column("service_line", "enum"),
            Column("category", "enum"),
            _enum("priority", PRIORITIES, upper=True),
            _enum("kind", TICKET_KINDS),
            Column("created_at", "timestamp"),
            Column("due_at", "timestamp", nullable=True),
            Column("first_response_at", "timestamp", nullable=True),
            Column("resolved_at", "timestamp", nullable=True),
            _enum("status", TICKET_STATUSES),
            _id("technician_id", nullable=True, references="employees"),
            Column("first_time_fix", "boolean", nullable=True),
            Column("escalated", "boolean"),
            Column("updated_at", "timestamp"),
            Column("response_due_at", "timestamp", nullable=True, optional=True),
            Column("resolution_due_at", "timestamp", nullable=True, optional=True),
        ),
        key=("ticket_id",),
        checks=(
            Check("due_at", "kind <> 'planned' or due_at is not null", "a planned ticket needs due_at"),
            Check("first_response_at", "first_response_at >= created_at", "must not be before created_at"),
            Check("resolved_at", "resolved_at >= created_at", "must not be before created_at"),
        ),
        parent_matches=(("site_id", "account_id"),),
    ),
    Table(
        "meter_readings",
        (
            _id("site_id", references="sites"),
            Column("reading_date", "date"),
            _enum("carrier", CARRIERS),
            Column("quantity", "decimal", plausible=(0, 1_000_000_000)),
            _enum("unit", UNITS),
        ),
        key=("site_id", "reading_date", "carrier"),
        checks=(
            Check("quantity", "quantity >= 0", "must not be negative"),
            Check(
                "quantity",
                f"kwh <= {MAX_READING_KWH}",
                f"implausible: more than {MAX_READING_KWH} kWh in one reading (MWh x 1000)",
            ),
            Check(
                "unit",
                "(carrier = 'water' and unit = 'm3') or (carrier <> 'water' and unit in ('kwh', 'mwh'))",
                "unit does not fit the carrier (energy in kWh or MWh, water in m3)",
            ),
        ),
        # kwh: energy in kWh (MWh x 1000), NULL for water; m3: water volume, NULL for energy.
        derived=(
            ("kwh", "DOUBLE", "case unit when 'kwh' then quantity when 'mwh' then quantity * 1000 end"),
            ("m3", "DOUBLE", "case when unit = 'm3' then quantity end"),
        ),
    ),
    Table(
        "emission_factors",
        (
            _enum("carrier", CARRIERS),
            Column("year", "integer", plausible=PLAUSIBLE_YEARS),
            Column("kg_co2e_per_kwh", "decimal", plausible=(0, 10)),
            Column("source", "text"),
        ),
        key=("carrier", "year"),
        required=False,
        checks=(Check("kg_co2e_per_kwh", "kg_co2e_per_kwh >= 0", "must not be negative"),),
    ),
    Table(
        "account_team",
        (
            _id("account_id", references="accounts"),
            _id("employee_id", references="employees"),
            Column("team_role", "text"),
            Column("allocation_pct", "decimal"),
        ),
        key=("account_id", "employee_id"),
        checks=(
            Check(
                "allocation_pct",
                "allocation_pct > 0 and allocation_pct <= 100",
                "must be greater than 0 and at most 100",
            ),
        ),
    ),
    Table(
        "time_bookings",
        (
            _id("booking_id"),
            _id("employee_id", references="employees"),
            _id("account_id", nullable=True, references="accounts"),
            Column("booking_date", "date"),
            Column("hours", "decimal"),
            Column("activity", "text"),
        ),
        key=("booking_id",),
        checks=(Check("hours", "hours > 0 and hours <= 24", "must be greater than 0 and at most 24"),),
    ),
    Table(
        "revenue",
        (
            _id("account_id", references="accounts"),
            Column("month", "month"),
            Column("service_line", "enum"),
            Column("revenue_eur", "decimal", plausible=(-1_000_000_000, 1_000_000_000)),
            Column("cost_eur", "decimal", nullable=True, plausible=(-1_000_000_000, 1_000_000_000)),
        ),
        key=("account_id", "month", "service_line"),
    ),
    Table(
        "surveys",
        (
            _id("response_id"),
            _id("account_id", references="accounts"),
            Column("response_date", "date"),
            Column("nps", "integer", nullable=True),
            Column("csat", "integer", nullable=True),
            Column("comment", "text", nullable=True),
        ),
        key=("response_id",),
        checks=(
            Check("nps", "nps between 0 and 10", "must be an integer from 0 to 10"),
            Check("csat", "csat between 1 and 5", "must be an integer from 1 to 5"),
        ),
    ),
    Table(
        "interactions",
        (
            _id("interaction_id"),
            _id("account_id", references="accounts"),
            Column("interaction_date", "date"),
            _enum("channel", CHANNELS),
            _enum("initiated_by", INITIATORS),
            _id("employee_id", nullable=True, references="employees"),
            Column("subject", "text", nullable=True),
        ),
        key=("interaction_id",),
    ),
    Table(
        "commitments",
        (
            _id("commitment_id"),
            _id("account_id", references="accounts"),
            _id("owner_id", references="employees"),
            Column("promised_on", "date"),
            Column("due_date", "date"),
            Column("done_on", "date", nullable=True),
            Column("description", "text"),
        ),
        key=("commitment_id",),
        checks=(Check("due_date", "due_date >= promised_on", "must not be before promised_on"),),
    ),
    Table(
        "opportunities",
        (
            _id("opportunity_id"),
            _id("account_id", references="accounts"),
            Column("service_line", "enum"),
            _enum("stage", STAGES),
            Column("expected_value_eur", "decimal", plausible=(0, 10_000_000_000)),
            Column("expected_close", "date", nullable=True),
            Column("created_on", "date"),
            Column("updated_at", "timestamp", nullable=True, optional=True),
        ),
        key=("opportunity_id",),
    ),
    Table(
        "sustainability_targets",
        (
            _id("account_id", references="accounts"),
            Column("baseline_year", "integer", plausible=PLAUSIBLE_YEARS),
            Column("target_year", "integer", plausible=PLAUSIBLE_YEARS),
            Column("target_reduction_pct", "decimal"),
        ),
        key=("account_id",),
        required=False,
        checks=(
            Check("target_year", "target_year > baseline_year", "must be after baseline_year"),
            Check(
                "target_reduction_pct",
                "target_reduction_pct > 0 and target_reduction_pct <= 100",
                "must be greater than 0 and at most 100",
            ),
        ),
    ),
)

TABLES_BY_NAME = {t.name: t for t in TABLES}


def stg_columns(table: Table) -> list[tuple[str, str]]:
    """(name, DuckDB type) of the typed staging table `stg_<table>`, in order (derived columns included)."""
    cols = [(c.name, SQL_TYPES[c.type]) for c in table.columns]
    return cols + [(name, sql_type) for name, sql_type, _ in table.derived] + list(LINEAGE_COLUMNS)


def stored_columns(table: Table) -> list[str]:
    """The columns of `stg_<table>` an INSERT writes: every column but the derived (generated) ones."""
    derived = {name for name, _, _ in table.derived}
    return [name for name, _ in stg_columns(table) if name not in derived]


def stg_column_defs(table: Table) -> str:
    """The column definitions of `stg_<table>`: derived columns as virtual generated columns."""
    generated = {name: sql for name, _, sql in table.derived}
    return ", ".join(
        f'"{name}" {sql_type}' + (f" generated always as ({generated[name]}) virtual" if name in generated else "")
        for name, sql_type in stg_columns(table)
    )


def stg_ddl(table: Table) -> str:
    """CREATE TABLE statement for an empty `stg_<table>` (used for absent optional tables and fixtures)."""
    return f"create table stg_{table.name} ({stg_column_defs(table)})"
