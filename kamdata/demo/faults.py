"""Dirty data injected into the demo export set, all in one place.

Real nightly exports contain a handful of broken rows and re-exported
records. The demo set carries exactly the faults listed here so the
data-status page has something true to show and tests can check that the
build rejects each of them (and nothing else) and counts each superseded
re-export. One bad row per fault, far below the 20 % reject limit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from kamdata.demo.facts import timestamps
from kamdata.demo.world import World
from kamdata.demo.write import Rows

Raw = str | dict[str, str] | Callable[[World, Rows, int], str]


@dataclass(frozen=True)
class Fault:
    """One rejected row: `column` of a victim row gets the raw text `raw` (per dialect when a dict)."""

    table: str
    column: str
    what: str
    raw: Raw
    eligible: Callable[[Rows], np.ndarray] | None = None  # rows that may be the victim


def _water_rows(rows: Rows) -> np.ndarray:
    return np.asarray(pc.equal(rows.data["carrier"].cast(pa.string()), "water"))


def _other_accounts_site(world: World, rows: Rows, i: int) -> str:
    own = rows.data["account_id"][i].as_py()
    return str(world.site_id[world.acc_id[world.site_account] != own][0])


def _mid_month(world: World, rows: Rows, i: int) -> str:
    return rows.data["month"][i].as_py().replace(day=15).isoformat()


# Every rejected row of the demo export set (build: table `rejected_rows`).
FAULTS: tuple[Fault, ...] = (
    Fault(
        "tickets",
        "created_at",
        "unparseable timestamp",
        {"standard": "2025-02-30T25:61:00", "german": "30.02.2025 25:61"},
    ),
    Fault("tickets", "priority", "unknown priority", "P7"),
    Fault("tickets", "site_id", "dangling site_id", "S99999"),
    Fault("tickets", "site_id", "site of another account", _other_accounts_site),
    Fault(
        "tickets",
        "resolved_at",
        "resolved before created",
        {"standard": "2020-01-01T08:00:00", "german": "01.01.2020 08:00"},
    ),
    Fault("meter_readings", "quantity", "negative quantity", {"standard": "-12.5", "german": "-12,5"}),
    Fault("meter_readings", "unit", "water in kWh", "kWh", _water_rows),
    Fault("time_bookings", "hours", "negative hours", "-4"),
    Fault("time_bookings", "booking_date", "unparseable date", {"standard": "2025-13-01", "german": "31.13.2025"}),
    Fault("revenue", "month", "month with a day other than 01", _mid_month),
    Fault("surveys", "nps", "nps out of range", "11"),
    Fault("contracts", "end_date", "end before start", {"standard": "2001-01-01", "german": "01.01.2001"}),
    Fault("interactions", "channel", "unknown channel", "fax"),
    Fault("commitments", "due_date", "due before promised", {"standard": "2001-01-01", "german": "01.01.2001"}),
    Fault("sites", "floor_area_m2", "floor area 0 (an extra site nobody references)", "0"),
)

# Re-exported records per table (build: `rows_superseded`), by scale:
#   tickets: an earlier state in tickets_<year> superseded by tickets_reexport (later updated_at);
#   opportunities: opportunities_reexport advances a stage with a later updated_at;
#   meter_readings: a corrected reading repeats its key later in the same file (no updated_at).
SUPERSEDED = {
    "small": {"tickets": 120, "opportunities": 4, "meter_readings": 2},
    "large": {"tickets": 5000, "opportunities": 4, "meter_readings": 2},
}


def _raw_text(fault: Fault, world: World, rows: Rows, i: int, dialect: str) -> str:
    if callable(fault.raw):
        return fault.raw(world, rows, i)
    return fault.raw[dialect] if isinstance(fault.raw, dict) else fault.raw


def _extra_site(rows: Rows) -> None:
    """The site fault gets its own row (a copy of the first site under a new id) so no ticket loses its site."""
    extra = rows.data.slice(0, 1).set_column(0, "site_id", pa.array([f"S{rows.data.num_rows + 1:05d}"]))
    rows.data = pa.concat_tables([rows.data, extra])


def dirty(main: Rows, world: World, scale: str, dialect: str, rng: np.random.Generator) -> list[Rows]:
    """The table's files as exported: re-exports appended, faults injected, repeated keys added."""
    parts = [main]
    counts = SUPERSEDED[scale]
    if main.table == "tickets":
        parts.append(reexport_tickets(main, world, counts["tickets"], rng))
    if main.table == "opportunities":
        parts.append(reexport_opportunities(main, counts["opportunities"], rng))
    if main.table == "sites":
        _extra_site(main)
    _inject_faults(main, world, dialect, rng)
    if main.table == "meter_readings":
        repeat_meter_readings(main, counts["meter_readings"], rng)
    return parts


def _inject_faults(rows: Rows, world: World, dialect: str, rng: np.random.Generator) -> None:
    """Write each fault's raw text into one victim row (never a re-exported record's earlier state)."""
    for fault in FAULTS:
        if fault.table != rows.table:
            continue
        n = rows.data.num_rows
        candidates = np.ones(n, bool) if fault.eligible is None else fault.eligible(rows).copy()
        candidates[list(rows.bad)] = False
        if fault.table == "sites":
            victim = n - 1
        else:
            victim = int(rng.choice(np.flatnonzero(candidates & _protected_mask(rows))))
        rows.bad[victim] = (fault.column, _raw_text(fault, world, rows, victim, dialect))


def _protected_mask(rows: Rows) -> np.ndarray:
    """Rows a fault may hit: not the earlier state of a re-exported record."""
    mask = np.ones(rows.data.num_rows, bool)
    if "_reexported" in rows.data.column_names:
        mask &= ~np.asarray(rows.data["_reexported"])
    return mask


def _set(data: pa.Table, name: str, mask: pa.Array, values) -> pa.Table:
    column = data[name]
    if pa.types.is_dictionary(column.type):
        column = column.cast(column.type.value_type)
        return data.set_column(
            data.schema.get_field_index(name), name, pc.if_else(mask, values, column).dictionary_encode()
        )
    return data.set_column(data.schema.get_field_index(name), name, pc.if_else(mask, values, column))


def reexport_tickets(main: Rows, world: World, count: int, rng: np.random.Generator) -> Rows:
    """Recently resolved tickets: the year files hold their earlier in-progress state, the re-export the final one."""
    data = main.data
    resolved = np.asarray(data["resolved_at"].is_valid())
    reactive = np.asarray(pc.equal(data["kind"].cast(pa.string()), "reactive"))
    month_ago = timestamps(np.array([world.clock.cutoff - np.timedelta64(30, "D")]))[0]
    recent = np.asarray(pc.greater(data["created_at"], month_ago))
    picked = np.sort(rng.choice(np.flatnonzero(resolved & reactive & recent), count, replace=False))
    mask_np = np.zeros(data.num_rows, bool)
    mask_np[picked] = True
    mask = pa.array(mask_np)
    final = data.take(pa.array(picked))
    final = final.set_column(
        final.schema.get_field_index("status"), "status", pc.utf8_capitalize(final["status"].cast(pa.string()))
    )
    earlier = _set(data, "status", mask, pa.scalar("in_progress"))
    earlier = _set(earlier, "resolved_at", mask, pa.scalar(None, data["resolved_at"].type))
    earlier = _set(earlier, "first_time_fix", mask, pa.scalar(None, pa.bool_()))
    earlier = _set(earlier, "updated_at", mask, earlier["first_response_at"])
    main.data = earlier.append_column("_reexported", mask)
    return Rows("tickets", final)


def reexport_opportunities(main: Rows, count: int, rng: np.random.Generator) -> Rows:
    """Open opportunities moved one stage on, exported again three hours later."""
    data = main.data
    stage = np.asarray(data["stage"])
    open_ones = np.flatnonzero(np.isin(stage, ["qualified", "proposal", "negotiation"]))
    picked = np.sort(rng.choice(open_ones, count, replace=False))
    later = data.take(pa.array(picked))
    following = {"qualified": "proposal", "proposal": "negotiation", "negotiation": "won"}
    later = later.set_column(
        later.schema.get_field_index("stage"), "stage", pa.array([following[s] for s in stage[picked]])
    )
    shifted = pc.add(later["updated_at"], pa.scalar(np.timedelta64(3, "h").astype("timedelta64[s]"), pa.duration("s")))
    later = later.set_column(later.schema.get_field_index("updated_at"), "updated_at", shifted)
    return Rows("opportunities", later)


def repeat_meter_readings(main: Rows, count: int, rng: np.random.Generator) -> None:
    """A misread meter is corrected: the wrong value first, the corrected row later in the same file."""
    data = main.data
    energy = np.asarray(pc.equal(data["unit"].cast(pa.string()), "kWh"))
    energy[list(main.bad)] = False
    energy = np.flatnonzero(energy)
    picked = np.sort(rng.choice(energy, count, replace=False))
    mask_np = np.zeros(data.num_rows, bool)
    mask_np[picked] = True
    corrected = data.take(pa.array(picked))
    wrong = pc.multiply(data["quantity"], pa.scalar(10.0))
    main.data = pa.concat_tables([_set(data, "quantity", pa.array(mask_np), wrong), corrected])
    if main.part is not None:  # split files: each corrected row goes to its original's file
        main.part = np.concatenate([main.part, main.part[picked]])
