"""The SQL that types one contract column, generated from the contract (kamdata/build/contract.py).

Text (every CSV field, a Parquet VARCHAR) goes through the parse macros of
sql/staging/_parse_macros.sql with the file's dialect. A Parquet column whose own type already is
the contract's (a DOUBLE amount, a DATE, a zoned or naive TIMESTAMP, a BOOLEAN) is taken as it is,
giving the value the macros would give its text; any other type is rendered as text first, so one
rule decides what a value means. The raw text of a value (for rejected_rows) is only ever computed
for a row at fault.
"""

from __future__ import annotations

from kamdata.build.contract import SQL_TYPES, Column

TEXT_MACROS = {
    "id": "kam_text({r})",
    "text": "kam_text({r})",
    "enum": "kam_enum({r})",
    "date": "kam_date_in({r}, {d})",
    "timestamp": "kam_ts_in({r}, {d})",
    "decimal": "kam_decimal({r}, {d})",
    "integer": "kam_integer({r}, {d})",
    "boolean": "kam_bool({r})",
    "month": "kam_month({r})",
}
NUMERIC_TYPES = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "UTINYINT", "USMALLINT", "UINTEGER", "FLOAT", "DOUBLE")
INTEGER_TYPES = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT")
ZONED = "TIMESTAMP WITH TIME ZONE"


def raw_text(ident: str, source_type: str | None) -> str:
    """A source value as the text the export carried (zoned Parquet instants in UTC with `Z`)."""
    if source_type is None:
        return "null"
    if source_type == "VARCHAR":
        return ident
    if source_type == ZONED:
        return f"cast(timezone('UTC', {ident}) as varchar) || 'Z'"
    return f"cast({ident} as varchar)"


def _native(col: Column, ident: str, source_type: str) -> str | None:
    """The typed value straight from a Parquet type that already is the contract's, else None."""
    if col.type == "decimal" and (source_type in NUMERIC_TYPES or source_type.startswith("DECIMAL")):
        return f"case when isfinite({ident}::double) then {ident}::double end"
    if col.type == "integer" and source_type in INTEGER_TYPES:
        return f"case when {ident} between -2147483647 and 2147483647 then {ident}::integer end"
    if col.type == "timestamp" and source_type == ZONED:
        return ident
    if col.type == "timestamp" and source_type == "TIMESTAMP":
        return f"timezone('Europe/Berlin', {ident})"
    if col.type == "date" and source_type == "DATE":
        return ident
    if col.type == "month" and source_type == "DATE":
        return f"case when day({ident}) = 1 then {ident} end"
    if col.type == "boolean" and source_type == "BOOLEAN":
        return ident
    return None


def typed_value(col: Column, ident: str, source_type: str | None, dialect: str) -> str:
    """SQL of the contract-typed value of `ident` (NULL when absent, empty or unparseable)."""
    if source_type is None:
        return f"null::{SQL_TYPES[col.type]}"
    if source_type != "VARCHAR":
        native = _native(col, ident, source_type)
        if native is not None:
            return native
    macro = "kam_enum_upper({r})" if col.upper else TEXT_MACROS[col.type]
    return macro.format(r=raw_text(ident, source_type), d=f"'{dialect}'")
