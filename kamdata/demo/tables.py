"""The small demo tables: master data from the `World` and the relationship history.

Revenue, surveys, interactions, commitments and opportunities tell each
account's story: they hit the revenue growth, NPS, gap since the last proactive
contact and commitment on-time rate the `World` aims at (decline, detractors,
silence and broken promises at the troubled accounts since their onset; growth
and kept promises at the thriving ones).
"""

from __future__ import annotations

from statistics import NormalDist

import numpy as np
import pyarrow as pa

from kamdata.build.contract import TABLES_BY_NAME
from kamdata.demo.clock import HOUR
from kamdata.demo.facts import timestamps
from kamdata.demo.names import (
    CITIES,
    COMMENTS_NEGATIVE,
    COMMENTS_NEUTRAL,
    COMMENTS_POSITIVE,
    COMMITMENTS,
    SERVICE_LINES,
    SUBJECTS_CUSTOMER,
    SUBJECTS_US,
)
from kamdata.demo.world import World
from kamdata.demo.write import Rows

DAY = np.timedelta64(1, "D")


def typed(table: str, columns: dict, extra_columns: tuple[str, ...] = ()) -> Rows:
    """Rows of `table` from plain lists/arrays, typed by the contract's column types."""
    arrays = {}
    for col in TABLES_BY_NAME[table].columns:
        values = columns[col.name]
        if col.type in ("date", "month"):
            arrays[col.name] = pa.array(np.array(values, dtype="datetime64[D]"))
        elif col.type == "timestamp":
            arrays[col.name] = timestamps(np.array(values, dtype="datetime64[s]"))
        elif col.type == "decimal":
            arrays[col.name] = pa.array(values, pa.float64(), from_pandas=True)
        elif col.type == "integer":
            arrays[col.name] = pa.array(values, pa.int64())
        elif col.type == "boolean":
            arrays[col.name] = pa.array(values, pa.bool_())
        else:
            arrays[col.name] = pa.array(values, pa.string())
    for name in extra_columns:
        arrays[name] = pa.array(columns[name], pa.string())
    return Rows(table, pa.table(arrays), extra_columns=extra_columns)


def _recent_instants(world: World, count: int, max_days: int) -> np.ndarray:
    rng, cutoff = world.rng, world.clock.cutoff
    offsets = (rng.uniform(0.1, max_days, count) * 86400).astype("timedelta64[s]")
    return world.clock.unambiguous(((cutoff - offsets).astype("datetime64[m]")).astype("datetime64[s]"))


def master_tables(world: World) -> list[Rows]:
    rng = world.rng
    n_acc = world.scale.accounts
    employees = typed(
        "employees",
        {
            "employee_id": world.emp_id,
            "name": world.emp_name,
            "department": world.emp_dept,
            "role": world.emp_role,
            "weekly_capacity_h": world.emp_capacity,
            "active": world.emp_active,
            "email": world.emp_email,
        },
    )
    accounts = typed(
        "accounts",
        {
            "account_id": world.acc_id,
            "account_name": world.acc_name,
            "industry": world.acc_industry,
            "region": world.acc_region,
            "kam_id": world.emp_id[world.acc_kam],
            "customer_since": world.acc_since,
            "updated_at": _recent_instants(world, n_acc, 400),
            "source_system": ["CRM"] * n_acc,
        },
        extra_columns=("source_system",),
    )
    coords = world.site_has_coords
    sites = typed(
        "sites",
        {
            "site_id": world.site_id,
            "account_id": world.acc_id[world.site_account],
            "site_name": world.site_name,
            "city": [CITIES[c][0] for c in world.site_city],
            "country": ["DE"] * len(world.site_id),
            "building_type": world.site_type,
            "floor_area_m2": world.site_area,
            "latitude": np.where(coords, world.site_lat, np.nan),
            "longitude": np.where(coords, world.site_lon, np.nan),
        },
    )
    c = world.contracts
    contracts = typed(
        "contracts",
        {
            "contract_id": [f"C{i + 1:05d}" for i in range(len(c))],
            "account_id": [world.acc_id[r[0]] for r in c],
            "service_line": [r[1] for r in c],
            "start_date": [r[2] for r in c],
            "end_date": [r[3] if r[3] is not None else np.datetime64("NaT") for r in c],
            "annual_value_eur": [r[4] for r in c],
            "notice_period_days": [r[5] for r in c],
            "auto_renew": [r[6] for r in c],
        },
    )
    p = world.sla_policies
    policies = typed(
        "sla_policies",
        {
            "account_id": [world.acc_id[r[0]] for r in p],
            "priority": [r[1] for r in p],
            "response_target_h": [r[2] for r in p],
            "resolution_target_h": [r[3] for r in p],
            "target_pct": [r[4] for r in p],
        },
    )
    malus_acc = np.flatnonzero(world.at_risk | (rng.random(n_acc) < 0.35))
    malus = typed(
        "sla_malus",
        {
            "account_id": world.acc_id[malus_acc],
            "malus_pct_per_point": rng.choice([0.5, 1.0, 1.5, 2.0], len(malus_acc)),
            "malus_cap_pct": rng.choice([5.0, 10.0, 15.0], len(malus_acc)),
        },
    )
    t = world.team
    team = typed(
        "account_team",
        {
            "account_id": [world.acc_id[r[0]] for r in t],
            "employee_id": [world.emp_id[r[1]] for r in t],
            "team_role": [r[2] for r in t],
            "allocation_pct": [r[3] for r in t],
        },
    )
    target_acc = np.flatnonzero(world.has_target)
    base = world.baseline_year()
    targets = typed(
        "sustainability_targets",
        {
            "account_id": world.acc_id[target_acc],
            "baseline_year": [base] * len(target_acc),
            "target_year": [max(2030, base + 5)] * len(target_acc),
            "target_reduction_pct": rng.choice([30.0, 40.0, 42.5, 55.0], len(target_acc)),
        },
    )
    years = list(range(world.clock.start.year, world.clock.as_of.year + 1))
    factors = typed(
        "emission_factors",
        {
            "carrier": ["district_heating"] * len(years),
            "year": years,
            "kg_co2e_per_kwh": [round(0.262 - 0.012 * i, 3) for i in range(len(years))],
            "source": [f"Versorgerbescheinigung Fernwärme nach AGFW FW 309-1 ({y})" for y in years],
        },
    )
    return [employees, accounts, sites, contracts, policies, malus, team, targets, factors]


def revenue(world: World) -> Rows:
    """Monthly revenue per contracted service line; at-risk accounts decline, thriving ones grow."""
    rng = world.rng
    months = world.clock.months[:-1]
    last = months[-1]
    rows: dict[str, list] = {k: [] for k in ("account_id", "month", "service_line", "revenue_eur", "cost_eur")}
    for acc, line, start, end, value, _, _ in world.contracts:
        covered = months + 27 >= start
        if end is not None:
            covered &= months <= end
        active = months[covered]
        age = (active - last).astype(int) / 365.25
        amount = value / 12 * (1 + world.revenue_growth[acc]) ** age * rng.lognormal(0, 0.04, len(active))
        # A credit note cancels a month's invoice; the corrected invoice follows with the next month's.
        credit = (rng.random(len(active)) < 0.01) & (np.arange(len(active)) < len(active) - 1)
        credit_eur = rng.uniform(2_000, 20_000, len(active))
        carried = np.r_[0.0, np.where(credit, amount + credit_eur, 0.0)[:-1]]
        amount = np.where(credit, -credit_eur, amount + carried).round(2)
        margin = 0.95 if world.at_risk[acc] else rng.uniform(0.78, 0.9)
        cost = np.where(
            credit | (rng.random(len(active)) < 0.05),
            np.nan,
            (amount * margin * rng.normal(1, 0.02, len(active))).round(2),
        )
        rows["account_id"] += [world.acc_id[acc]] * len(active)
        rows["month"] += list(active)
        rows["service_line"] += [line] * len(active)
        rows["revenue_eur"] += list(amount)
        rows["cost_eur"] += list(cost)
    return _sorted(typed("revenue", rows), ["month", "account_id", "service_line"])


def _numbered(rows: dict[str, list], date_key: str, id_column: str, prefix: str, width: int) -> dict[str, list]:
    """Columns in date order with ids numbered in that order, as source systems assign them."""
    order = np.argsort(np.array(rows[date_key]), kind="stable")
    columns = {k: [v[i] for i in order] for k, v in rows.items()}
    columns[id_column] = [f"{prefix}{i + 1:0{width}d}" for i in range(len(order))]
    return columns


def _sorted(rows: Rows, keys: list[str]) -> Rows:
    rows.data = rows.data.sort_by([(k, "ascending") for k in keys])
    return rows


def _stratified(rng: np.random.Generator, count: int) -> np.ndarray:
    """`count` uniforms in random order, one per stratum of width 1/count: small samples hit their mean."""
    return (rng.permutation(count) + rng.random(count)) / max(count, 1)


def _spread_days(rng: np.random.Generator, count: int, n_days: int) -> np.ndarray:
    """`count` day indices spread evenly over the history (one per stratum, in order),
    as a steady programme produces."""
    return np.minimum((np.arange(count) + rng.random(count)) * n_days / max(count, 1), n_days - 1).astype(np.int64)


def _window_share(world: World, acc: int, window: int) -> float:
    """Share of the last `window` days after the account's onset (its new level holds there)."""
    return min(world.onset[acc], window) / window


def _nps_mean(nps: float) -> float:
    """Mean of the 0-10 survey scores (normal, sd 1.6, rounded) that gives the NPS `nps`."""
    return float(np.interp(nps, NPS_OF_MEAN, MEANS))


MEANS = np.linspace(4.0, 11.5, 301)
NPS_OF_MEAN = np.array([100 * (1 - NormalDist(m, 1.6).cdf(8.5) - NormalDist(m, 1.6).cdf(6.5)) for m in MEANS])


def surveys(world: World) -> Rows:
    """Survey responses: the NPS of the last 365 days is the story's; troubled accounts were happier before.

    At-risk accounts also have a detractor in the last 30 days.
    """
    rng, clock = world.rng, world.clock
    days = clock.days
    window = 365
    rows: dict[str, list] = {k: [] for k in ("account_id", "response_date", "nps", "csat", "comment")}
    for acc in range(world.scale.accounts):
        count = rng.poisson(2.0 * len(days) / 30.4)
        picked = _spread_days(rng, count, len(days))
        after = picked >= len(days) - world.onset[acc]
        before_nps, share = world.nps_before[acc], _window_share(world, acc, window)
        after_nps = world.nps_target[acc] if share == 0 else (world.nps_target[acc] - (1 - share) * before_nps) / share
        mean = np.where(after, _nps_mean(float(np.clip(after_nps, -85, 85))), _nps_mean(before_nps))
        u = np.empty(count)
        for group in (after, ~after & (picked >= len(days) - window), picked < len(days) - window):
            u[group] = _stratified(rng, int(group.sum()))
        nps = np.clip(
            np.round(mean + 1.6 * np.array([NormalDist().inv_cdf(min(max(v, 1e-6), 1 - 1e-6)) for v in u])), 0, 10
        )
        if world.at_risk[acc]:
            picked = np.append(picked, len(days) - 1 - rng.integers(1, 25))
            nps = np.append(nps, rng.integers(1, 5))
        csat = np.clip(np.round((nps + 1) / 2.2 + rng.normal(0, 0.6, len(nps))), 1, 5)
        for day, score, sat in zip(picked, nps, csat):
            pool = COMMENTS_POSITIVE if score >= 9 else COMMENTS_NEUTRAL if score >= 7 else COMMENTS_NEGATIVE
            rows["account_id"].append(world.acc_id[acc])
            rows["response_date"].append(days[day])
            rows["nps"].append(None if rng.random() < 0.05 else int(score))
            rows["csat"].append(None if rng.random() < 0.1 else int(sat))
            rows["comment"].append(pool[rng.integers(len(pool))] if rng.random() < 0.45 else None)
    columns = _numbered(rows, "response_date", "response_id", "R", 6)
    return typed("surveys", columns)


def interactions(world: World) -> Rows:
    """Contacts; the last proactive one was the story's gap ago (long at troubled accounts)
    while complaints keep coming."""
    rng, clock = world.rng, world.clock
    days = clock.days
    rows: dict[str, list] = {
        k: [] for k in ("account_id", "interaction_date", "channel", "initiated_by", "employee_id", "subject")
    }
    for acc in range(world.scale.accounts):
        count = rng.poisson(3.2 * len(days) / 30.4)
        picked = np.sort(rng.choice(len(days), count))
        share_us = 0.75 if world.thriving[acc] else 0.5 if world.at_risk[acc] else 0.62
        us = rng.random(count) < share_us
        last_visit = len(days) - world.contact_gap[acc]  # day index of as-of minus the gap
        us &= picked < last_visit
        picked, us = np.append(picked, last_visit), np.append(us, True)
        kam = world.emp_id[world.acc_kam[acc]]
        for day, ours in zip(picked, us):
            when = days[day]
            year, month = str(when)[:4], str(when)[5:7]
            if ours:
                channel = rng.choice(
                    ["meeting", "call", "email", "site_visit", "review"], p=[0.25, 0.25, 0.25, 0.15, 0.1]
                )
                subject = rng.choice(SUBJECTS_US)
            else:
                channel = rng.choice(["call", "email", "meeting"], p=[0.4, 0.5, 0.1])
                subject = rng.choice(SUBJECTS_CUSTOMER)
            rows["account_id"].append(world.acc_id[acc])
            rows["interaction_date"].append(when)
            rows["channel"].append(str(channel))
            rows["initiated_by"].append("us" if ours else "customer")
            rows["employee_id"].append(kam if ours or rng.random() < 0.6 else None)
            rows["subject"].append(str(subject).format(q=(int(month) - 1) // 3 + 1, y=year, m=f"{month}/{year}"))
    columns = _numbered(rows, "interaction_date", "interaction_id", "I", 6)
    return typed("interactions", columns)


def commitments(world: World) -> Rows:
    """Promises to customers: kept on time, kept late, or still open;
    the on-time rate of the last 365 days is the story's.

    Troubled accounts kept their promises before the onset; since then the rest fall short, and
    their latest broken promise is still open (overdue).
    """
    rng, clock = world.rng, world.clock
    days = clock.days
    yesterday = days[-1]
    as_of = np.datetime64(clock.as_of)
    window = 365
    owners: dict[int, list[int]] = {}
    for acc, emp, role, _ in world.team:
        if role in ("Key Account Manager", "Objektleitung"):
            owners.setdefault(acc, []).append(emp)
    rows: dict[str, list] = {
        k: [] for k in ("account_id", "owner_id", "promised_on", "due_date", "done_on", "description")
    }
    troubled = world.at_risk | world.watch
    for acc in range(world.scale.accounts):
        count = rng.poisson(2.5 * len(days) / 30.4)
        promised = days[_spread_days(rng, count, len(days))]
        due = promised + rng.integers(14, 90, count) * DAY
        rate, before, share = world.on_time_rate[acc], world.on_time_before[acc], _window_share(world, acc, window)
        after_rate = rate if share == 0 else float(np.clip((rate - (1 - share) * before) / share, 0.05, 1.0))
        after = due >= as_of - int(world.onset[acc]) * DAY
        in_window = (due > as_of - window * DAY) & (due < as_of)
        p_on_time = np.where(after, after_rate, before)
        # Outside the window each promise is kept with its probability; inside, exactly the story's share
        # is broken, mostly after the onset.
        kept = _stratified(rng, count) < p_on_time
        rows_in = np.flatnonzero(in_window)
        misses = min(round((1 - rate) * len(rows_in)), len(rows_in))
        weight = 1.0 - p_on_time[rows_in] + 1e-3
        broken_in = rng.choice(rows_in, misses, replace=False, p=weight / weight.sum()) if misses else rows_in[:0]
        kept[rows_in] = True
        kept[broken_in] = False
        on_time = promised + ((due - promised) * rng.uniform(0.3, 1.0, count)).astype("timedelta64[D]")
        late = due + rng.integers(1, 40, count) * DAY
        # Promises still open are recent ones; older ones were kept, if late. Troubled accounts let a few slip.
        still_open = ~kept & (rng.random(count) < 0.5) & ((due > yesterday - 45 * DAY) | world.at_risk[acc])
        broken = np.flatnonzero(~kept & after & in_window)
        if troubled[acc] and len(broken):
            still_open[broken[-1]] = True
        done = np.where(kept, on_time, np.where(still_open, np.datetime64("NaT"), late))
        done = np.where(done > yesterday, np.datetime64("NaT"), done)
        year = str(days[-1])[:4]
        for k in range(count):
            rows["account_id"].append(world.acc_id[acc])
            rows["owner_id"].append(world.emp_id[rng.choice(owners[acc])])
            rows["promised_on"].append(promised[k])
            rows["due_date"].append(due[k])
            rows["done_on"].append(done[k])
            rows["description"].append(COMMITMENTS[rng.integers(len(COMMITMENTS))].format(y=year))
    columns = _numbered(rows, "promised_on", "commitment_id", "K", 6)
    return typed("commitments", columns)


def opportunities(world: World) -> Rows:
    """Pipeline per account, mostly for service lines the account does not hold yet."""
    rng, clock = world.rng, world.clock
    days = clock.days
    stages = ("lead", "qualified", "proposal", "negotiation", "won", "lost")
    rows: dict[str, list] = {
        k: []
        for k in (
            "account_id",
            "service_line",
            "stage",
            "expected_value_eur",
            "expected_close",
            "created_on",
            "updated_at",
        )
    }
    for acc in range(world.scale.accounts):
        missing = [line for line in SERVICE_LINES if line not in world.acc_lines[acc]] or list(SERVICE_LINES)
        for _ in range(rng.integers(2, 8)):
            created = days[rng.integers(len(days) - 730, len(days))]
            stage = stages[rng.choice(6, p=[0.2, 0.2, 0.2, 0.1, 0.18, 0.12])]
            rows["account_id"].append(world.acc_id[acc])
            rows["service_line"].append(
                missing[rng.integers(len(missing))] if rng.random() < 0.75 else world.acc_lines[acc][0]
            )
            rows["stage"].append(stage)
            rows["expected_value_eur"].append(float(round(rng.uniform(40_000, 1_500_000), -3)))
            rows["expected_close"].append(
                np.datetime64("NaT") if stage == "lead" and rng.random() < 0.5 else created + int(rng.integers(60, 300))
            )
            rows["created_on"].append(created)
            touched = (
                created.astype("datetime64[s]") + int(rng.integers(1, 200)) * 86400 * np.timedelta64(1, "s") + 9 * HOUR
            )
            rows["updated_at"].append(min(touched, clock.cutoff - 7 * HOUR))
    columns = _numbered(rows, "created_on", "opportunity_id", "O", 5)
    updated_at = world.clock.unambiguous(np.array(columns.pop("updated_at"), dtype="datetime64[s]"))
    return typed("opportunities", {**columns, "updated_at": updated_at})
