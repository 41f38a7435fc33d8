"""The big demo tables, vectorised: tickets, daily meter readings, time bookings.

Each generator returns clean `Rows` split by year; `demo_faults` dirties them
afterwards. Sizes scale with the portfolio (millions of rows at `large`), so
everything here is numpy/pyarrow arithmetic, no per-row Python.
"""

from __future__ import annotations

from statistics import NormalDist

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from kamdata.demo.clock import HOUR, day_of_year, outdoor_temperature, weekday
from kamdata.demo.names import ACTIVITIES, BUILDING_PROFILES, INTERNAL_ACTIVITIES, SERVICE_LINES, TICKET_CATEGORIES
from kamdata.demo.world import World
from kamdata.demo.write import Rows

MINUTE = np.timedelta64(60, "s")
NAT = np.datetime64("NaT", "s")
TS = pa.timestamp("s", tz="UTC")
LINE_WEIGHT = np.array([5.0, 3.0, 1.5, 1.0, 0.5, 1.0])  # tickets per service line, in SERVICE_LINES order
PRIORITY_SHARE = np.array([0.03, 0.14, 0.53, 0.30])
SLA_RAMP_DAYS = 45  # how long a troubled account's resolution times take to slide to their new level


def ids(prefix: str, count: int, width: int) -> pa.Array:
    numbers = pc.cast(pa.array(np.arange(1, count + 1)), pa.string())
    return pc.binary_join_element_wise(prefix, pc.utf8_lpad(numbers, width, "0"), "")


def labels(codes: np.ndarray, names) -> pa.DictionaryArray:
    return pa.DictionaryArray.from_arrays(pa.array(codes.astype(np.int32)), pa.array(list(names)))


def timestamps(values: np.ndarray) -> pa.Array:
    return pa.array(values.astype("datetime64[s]"), type=pa.timestamp("s")).cast(TS)


def _pick(pools: list[np.ndarray], owner: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """One random member of pools[owner] per row (-1 where the pool is empty)."""
    sizes = np.array([len(p) for p in pools])
    offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    flat = np.concatenate([p for p in pools] + [np.array([-1])]).astype(np.int64)
    pick = offsets[owner] + (rng.random(len(owner)) * sizes[owner]).astype(np.int64)
    return np.where(sizes[owner] > 0, flat[np.minimum(pick, len(flat) - 1)], -1)


def _year_part(days: np.ndarray) -> np.ndarray:
    return days.astype("datetime64[Y]").astype(int) + 1970


# --- tickets ----------------------------------------------------------------------------------
def tickets(world: World, rng: np.random.Generator) -> Rows:
    clock, n = world.clock, world.scale.tickets
    days = np.append(clock.days, np.datetime64(clock.as_of))
    t = np.arange(len(days)) / len(days)
    weight = (1 + 0.12 * np.cos(2 * np.pi * (day_of_year(days) - 15) / 365.25)) * (1 + 0.1 * t)
    weight *= np.select([weekday(days) == 5, weekday(days) == 6], [0.45, 0.3], 1.0)
    weight[-1] *= 2 / 24  # the export runs at 02:00 on the as-of day
    day = np.sort(rng.choice(len(days), size=n, p=weight / weight.sum()))
    business = 6 * 60 + 14 * 60 * rng.beta(2.2, 3.0, n)  # office hours, most around 11:00
    minute = np.where(rng.random(n) < 0.8, business, rng.uniform(0, 24 * 60, n)).astype(np.int64)
    minute = np.where(day == len(days) - 1, minute % 120, minute)
    created = clock.unambiguous(clock.local_to_instant(days[day], minute))
    order = np.argsort(created, kind="stable")
    day, created = day[order], created[order]

    site_weight = world.site_area**0.7
    site = rng.choice(len(world.site_id), size=n, p=site_weight / site_weight.sum())
    acc = world.site_account[site]
    line = _service_line(world, acc, rng)
    category, category_names = _category(line, day_of_year(days[day]), rng)
    prio = rng.choice(4, size=n, p=PRIORITY_SHARE)
    planned_share = np.where(np.isin(line, [0, 2, 4]), 0.18, 0.06)
    planned = rng.random(n) < planned_share
    prio = np.where(planned, np.where(rng.random(n) < 0.7, 3, 2), prio)

    def settle(values: np.ndarray, not_before: np.ndarray) -> np.ndarray:
        """Whole minutes, unambiguous local time, never before `not_before`."""
        values = clock.unambiguous(values.astype("datetime64[m]").astype("datetime64[s]"))
        return np.maximum(values, not_before)

    resp_h = world.sla_hours[acc, prio, 0]
    res_h = world.sla_hours[acc, prio, 1]
    # Resolution time relative to the target: troubled accounts slide from their old level after the onset.
    stress_start = clock.cutoff - world.onset[acc] * 24 * HOUR
    ramp = np.clip((created - stress_start) / (SLA_RAMP_DAYS * 24 * HOUR), 0, 1)
    median = world.sla_before[acc] + (world.sla_stressed[acc] - world.sla_before[acc]) * ramp
    response = created + (resp_h * 3600 * median * rng.lognormal(0, 0.55, n)).astype("timedelta64[s]")
    resolved = created + (res_h * 3600 * median * np.exp(0.6 * _even_normal(acc, rng))).astype("timedelta64[s]")
    due = np.where(planned, settle(created + (rng.uniform(3, 28, n) * 86400).astype("timedelta64[s]"), created), NAT)
    on_time = rng.random(n) < 0.88
    planned_done = np.where(
        on_time,
        due - (rng.uniform(0, 3, n) * 86400).astype("timedelta64[s]"),
        due + (rng.uniform(0.1, 10, n) * 86400).astype("timedelta64[s]"),
    )
    resolved = np.where(planned, np.maximum(planned_done, created + HOUR), resolved)
    response = np.where(planned, created + (rng.uniform(0.5, 48, n) * 3600).astype("timedelta64[s]"), response)
    stuck = rng.random(n) < 0.004
    resolved = np.where(stuck, resolved + (rng.uniform(20, 120, n) * 86400).astype("timedelta64[s]"), resolved)

    response = settle(response, created)
    resolved = settle(resolved, response)
    cancelled = (rng.random(n) < 0.015) & ~planned
    response = np.where((response >= clock.cutoff) | (cancelled & (rng.random(n) < 0.5)), NAT, response)
    resolved = np.where((resolved >= clock.cutoff) | cancelled, NAT, resolved)
    has_resp, has_res = ~np.isnat(response), ~np.isnat(resolved)

    closed = has_res & (clock.cutoff - resolved > 5 * 24 * HOUR) & (rng.random(n) < 0.9)
    status = np.select(
        [cancelled, closed, has_res, has_resp & (rng.random(n) < 0.25), has_resp], [5, 4, 3, 2, 1], 0
    )  # TICKET_STATUSES order: open, in_progress, on_hold, resolved, closed, cancelled
    technical = np.isin(line, [0, 4])
    tech = _pick(world.acc_technicians, acc, rng)
    tech = np.where(has_resp & (technical | (rng.random(n) < 0.4)), tech, -1)
    ftf_rate = np.where(world.at_risk[acc], 0.65, 0.82)
    ftf = rng.random(n) < ftf_rate
    ftf_known = has_res & ~planned & (rng.random(n) < 0.9)
    late = has_res & (resolved - created > (res_h * 3600).astype("timedelta64[s]"))
    escalated = ~planned & (rng.random(n) < 0.01 + 0.2 * late)
    last_event = np.fmax(np.fmax(created, response), resolved)
    updated = last_event + (rng.uniform(1, 90, n) * 60).astype("timedelta64[s]")
    updated = np.where(closed, resolved + 5 * 24 * HOUR + 3 * HOUR, updated)
    updated = np.minimum(settle(updated, last_event), clock.cutoff - MINUTE)

    own_clock = (acc == world.own_clock_account) & ~planned & (prio >= 2)
    resp_due = np.where(own_clock, settle(created + ((resp_h + 14) * 3600).astype("timedelta64[s]"), created), NAT)
    res_due = np.where(own_clock, settle(created + ((res_h + 60) * 3600).astype("timedelta64[s]"), created), NAT)

    employee_ids = pa.array(world.emp_id)
    data = pa.table(
        {
            "ticket_id": ids("T", n, 9),
            "account_id": pa.array(world.acc_id).take(pa.array(acc)),
            "site_id": pa.array(world.site_id).take(pa.array(site)),
            "service_line": labels(line, SERVICE_LINES),
            "category": labels(category, category_names),
            "priority": labels(prio, ("P1", "P2", "P3", "P4")),
            "kind": labels(planned.astype(int), ("reactive", "planned")),
            "created_at": timestamps(created),
            "due_at": timestamps(due),
            "first_response_at": timestamps(response),
            "resolved_at": timestamps(resolved),
            "status": labels(status, ("open", "in_progress", "on_hold", "resolved", "closed", "cancelled")),
            "technician_id": employee_ids.take(pa.array(np.maximum(tech, 0), mask=tech < 0)),
            "first_time_fix": pa.array(ftf, mask=~ftf_known),
            "escalated": pa.array(escalated),
            "updated_at": timestamps(updated),
            "response_due_at": timestamps(resp_due),
            "resolution_due_at": timestamps(res_due),
        }
    )
    return Rows("tickets", data, part=_year_part(clock.local_date(created)).astype(str))


_GRID = np.linspace(1e-5, 1 - 1e-5, 20_001)
_QUANTILES = np.array([NormalDist().inv_cdf(u) for u in _GRID])


def _even_normal(group: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Standard normal noise whose quantiles are spread evenly over any run of consecutive rows of a group.

    Row i of a group (in row order) gets the quantile frac(u0 + i x golden ratio): any stretch
    of an account's tickets, such as the last 90 days, then samples the distribution evenly, so
    a small account's SLA compliance is its story's rather than luck.
    """
    order = np.argsort(group, kind="stable")
    sorted_group = group[order]
    starts = np.flatnonzero(np.r_[True, sorted_group[1:] != sorted_group[:-1]])
    rank = np.arange(len(group)) - np.repeat(starts, np.diff(np.r_[starts, len(group)]))
    offset = rng.random(int(group.max()) + 1 if len(group) else 1)
    u = np.empty(len(group))
    u[order] = np.mod(offset[sorted_group] + rank * 0.6180339887498949, 1.0)
    return np.interp(u, _GRID, _QUANTILES)


def _service_line(world: World, acc: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A service line the ticket's account has a contract for, weighted by typical volume."""
    held = np.array([[line in lines for line in SERVICE_LINES] for lines in world.acc_lines], dtype=float)
    cum = np.cumsum(held * LINE_WEIGHT, axis=1)
    cum /= cum[:, -1:]
    u = rng.random(len(acc))
    line = np.zeros(len(acc), np.int64)
    for k in range(len(SERVICE_LINES) - 1):
        line += u >= cum[acc, k]
    return line


def _category(line: np.ndarray, doy: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, list[str]]:
    """Category within the line; HVAC-like categories peak in winter and summer."""
    names = [c for cats in TICKET_CATEGORIES.values() for c, _, _ in cats]
    month = np.minimum(doy * 12 // 366, 11)
    category = np.zeros(len(line), np.int64)
    first = 0
    for l_index, cats in enumerate(TICKET_CATEGORIES.values()):
        base = np.array([w for _, w, _ in cats], float)
        swing = np.array([s for _, _, s in cats])
        for m in range(12):
            rows = np.flatnonzero((line == l_index) & (month == m))
            season = np.cos(4 * np.pi * m * 30.5 / 365.25)  # peaks in January and July
            p = base * (1 + swing * season)
            category[rows] = first + rng.choice(len(cats), size=len(rows), p=p / p.sum())
        first += len(cats)
    return category, names


# --- meter readings ---------------------------------------------------------------------------
CARRIER_NAMES = ("electricity", "natural_gas", "district_heating", "heating_oil", "water")
UNIT_NAMES = ("kWh", "MWh", "m3")
ALWAYS_ON = ("Hospital", "Data center")
COOLED = ("Office", "Data center", "Laboratory", "Hospital")


def meter_readings(world: World, rng: np.random.Generator) -> Rows:
    """Daily readings per site and carrier: heating follows the cold, electricity a summer cooling peak."""
    clock = world.clock
    days = clock.days
    n_sites = len(world.site_id)
    heat = rng.choice([1, 2, 3, -1], size=n_sites, p=[0.55, 0.35, 0.07, 0.03])
    water = rng.random(n_sites) < 0.4  # water is metered where the contract includes it
    site = np.concatenate([np.arange(n_sites), np.flatnonzero(heat > 0), np.flatnonzero(water)])
    carrier = np.concatenate([np.zeros(n_sites, int), heat[heat > 0], np.full(water.sum(), 4)])
    btype = world.site_type[site]
    profile = np.array([BUILDING_PROFILES[b] for b in btype])
    area = world.site_area[site]
    annual = area * np.select([carrier == 0, carrier == 4], [profile[:, 1], profile[:, 3]], profile[:, 2])
    unit = np.select([carrier == 4, (carrier == 2) & (area > 20_000)], [2, 1], 0)

    temp = outdoor_temperature(days, rng)
    hdd = np.maximum(0, 15.5 - temp) + 1.0
    cdd = np.maximum(0, temp - 16.0)
    weekend = weekday(days) >= 5
    weekend_factor = np.where(np.isin(btype, ALWAYS_ON), 1.0, np.where(btype == "Production", 0.6, 0.4))
    cooling = np.where(np.isin(btype, COOLED), 0.035, 0.0)
    usage = np.where(weekend[None, :], weekend_factor[:, None], 1.0)
    usage = usage * (1 + cooling[:, None] * cdd[None, :])
    usage /= usage.mean(axis=1, keepdims=True)
    shape = np.where((carrier == 0)[:, None] | (carrier == 4)[:, None], usage, (hdd / hdd.mean())[None, :])
    years = np.arange(len(days)) / 365.25
    trend = (1 + world.energy_trend[world.site_account[site]])[:, None] ** years[None, :]
    quantity = (annual / 365.25)[:, None] * shape * trend * rng.lognormal(0, 0.08, (len(site), len(days)))
    del usage, shape, trend

    valid = np.ones(quantity.shape, bool)
    onboarded = np.array([world.day_offset(world.acc_since[a]) for a in world.site_account[site]])
    valid &= np.arange(len(days))[None, :] >= onboarded[:, None]
    gap = rng.random(len(site)) < 0.08
    gap_start = rng.integers(0, len(days) - 130, len(site))
    gap_len = rng.integers(35, 125, len(site))
    in_gap = (np.arange(len(days))[None, :] >= gap_start[:, None]) & (
        np.arange(len(days))[None, :] < (gap_start + gap_len)[:, None]
    )
    valid &= ~(gap[:, None] & in_gap)
    silent_site = world.silent_site
    valid &= (site != silent_site)[:, None]

    series, day = np.nonzero(valid)
    values = quantity[series, day]
    del quantity, valid
    unit_of = unit[series]
    values = np.where(
        unit_of == 1, np.round(values / 1000, 3), np.where(unit_of == 2, np.round(values, 2), np.round(values, 1))
    )
    data = pa.table(
        {
            "site_id": pa.array(world.site_id).take(pa.array(site[series])),
            "reading_date": pa.array(days[day]),
            "carrier": labels(carrier[series], CARRIER_NAMES),
            "quantity": pa.array(values),
            "unit": labels(unit_of, UNIT_NAMES),
        }
    )
    return Rows("meter_readings", data, part=_year_part(days[day]).astype(str))


# --- time bookings ----------------------------------------------------------------------------
def time_bookings(world: World, rng: np.random.Generator) -> Rows:
    """One booking per employee and working day; the overloaded accounts' teams work overtime since their onset.

    Part-timers work fewer, full days (30 h: Monday to Thursday; 20 h: Monday to Wednesday);
    about one working day in six is leave, sickness or training, except for an overloaded team.
    """
    clock = world.clock
    all_days = clock.days
    workday = np.flatnonzero(weekday(all_days) < 5)
    n_emp = world.scale.employees
    days_per_week = np.minimum(5, np.ceil(world.emp_capacity / 8.0)).astype(int)
    emp_grid, wd_grid = np.meshgrid(np.arange(n_emp), workday, indexing="ij")
    emp, wd = emp_grid.ravel(), wd_grid.ravel()
    scheduled = (weekday(all_days[wd]) < days_per_week[emp]) & (wd < world.emp_leave_day[emp])
    emp, wd = emp[scheduled], wd[scheduled]
    stressed = (world.emp_load[emp] > 1) & (wd >= len(all_days) - world.emp_onset[emp])
    present = stressed | (rng.random(len(emp)) > 0.16)
    emp, wd, stressed = emp[present], wd[present], stressed[present]
    n = len(emp)
    kam = world.emp_dept[emp] == "Key Account Management"
    load = np.where(stressed, world.emp_load[emp], np.where(kam, 1.08, 1.0)) * rng.normal(1.0, 0.08, n)
    hours = np.clip(np.round(world.emp_capacity[emp] / days_per_week[emp] * load * 4) / 4, 0.5, 12.0)

    teams = [np.array([a for a, e, _, _ in world.team if e == person], dtype=np.int64) for person in range(n_emp)]
    account = _pick(teams, emp, rng)
    primary = world.emp_primary[emp]
    account = np.where((rng.random(n) < 0.65) & ~kam, primary, account)
    account = np.where(rng.random(n) < 0.15, -1, account)
    dept_names = list(ACTIVITIES)
    dept = np.array([dept_names.index(d) for d in world.emp_dept])[emp]
    activity_names = [a for d in dept_names for a in ACTIVITIES[d]] + list(INTERNAL_ACTIVITIES)
    first = np.cumsum([0] + [len(ACTIVITIES[d]) for d in dept_names])
    count = np.diff(first)
    activity = first[dept] + (rng.random(n) * count[dept]).astype(np.int64)
    internal = first[-1] + rng.integers(0, len(INTERNAL_ACTIVITIES), n)
    activity = np.where(account < 0, internal, activity)

    data = pa.table(
        {
            "booking_id": ids("B", n, 8),
            "employee_id": pa.array(world.emp_id).take(pa.array(emp)),
            "account_id": pa.array(world.acc_id).take(pa.array(np.maximum(account, 0), mask=account < 0)),
            "booking_date": pa.array(all_days[wd]),
            "hours": pa.array(hours),
            "activity": labels(activity, activity_names),
        }
    )
    return Rows("time_bookings", data, part=_year_part(all_days[wd]).astype(str))
