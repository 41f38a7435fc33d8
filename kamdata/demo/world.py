"""Master data of the demo portfolio and the stories behind it.

A `World` holds who the customers are (accounts, sites, contracts, SLA terms),
who works for them (employees, account teams) and how each account is doing
(at risk, on watch, healthy or thriving; on or off its CO2 path). Each story is
a target health score split into component scores; the fact generators aim at
them, so the dashboard shows coherent pictures with a believable spread, not noise.
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import NormalDist

import numpy as np

from kamdata.demo.clock import Clock
from kamdata.demo.names import (
    BUILDING_NAMES,
    BUILDING_PROFILES,
    CITIES,
    DEPARTMENTS,
    FIRST_NAMES,
    INDUSTRIES,
    LAST_NAMES,
    NAME_STEMS,
    SERVICE_LINES,
)


@dataclass(frozen=True)
class Scale:
    accounts: int
    sites: int
    employees: int
    kams: int
    tickets: int


SCALES = {
    "small": Scale(accounts=20, sites=64, employees=150, kams=7, tickets=72_000),
    "large": Scale(accounts=150, sites=4000, employees=1500, kams=40, tickets=5_000_000),
}

# SLA tiers: priority -> (response h, resolution h, target %)
SLA_STRICT = {"P1": (1, 4, 95.0), "P2": (2, 8, 95.0), "P3": (8, 48, 90.0), "P4": (24, 120, 85.0)}
SLA_STANDARD = {"P1": (1, 8, 95.0), "P2": (4, 24, 92.0), "P3": (8, 72, 90.0), "P4": (48, 240, 85.0)}
STRICT_INDUSTRIES = ("Healthcare", "IT & Telecom", "Banking", "Pharma")

# service line -> (share of accounts holding it, base annual value EUR for a 60,000 m2 portfolio)
LINE_PROFILE = {
    "technical_fm": (0.97, 1_400_000),
    "cleaning": (0.8, 900_000),
    "security": (0.5, 550_000),
    "catering": (0.3, 450_000),
    "energy_management": (0.35, 220_000),
    "workplace_services": (0.3, 320_000),
}

# Health components and weights of KPIS.md "Account health score" (settings.toml [health]); the
# demo aims its stories at them, the build computes the real scores.
COMPONENTS = ("sla", "satisfaction", "relationship", "commitments", "commercial", "team")
WEIGHTS = np.array([0.25, 0.20, 0.15, 0.15, 0.15, 0.10])
# What pulls each watch account down (two or three components, in turn).
WATCH_WEAKNESSES = (
    ("satisfaction", "relationship"),
    ("commitments", "team", "relationship"),
    ("sla", "satisfaction"),
    ("relationship", "commitments", "commercial"),
    ("satisfaction", "commercial", "team"),
    ("sla", "commitments"),
)

TEAM_DEPARTMENTS = ("Objektleitung", "Technik", "Vertragsmanagement", "Finanzen")
LINE_DEPARTMENT = {
    "cleaning": "Reinigung",
    "security": "Sicherheit",
    "catering": "Catering",
    "energy_management": "Energiemanagement",
}


def _split(target: float, badness: np.ndarray) -> np.ndarray:
    """Component scores 100 x (1 - f x badness), clamped to 0..100, with f chosen so the weighted sum meets `target`."""
    low, high = 0.0, 20.0
    for _ in range(50):
        f = (low + high) / 2
        if WEIGHTS @ np.clip(100 * (1 - f * badness), 0, 100) > target:
            low = f
        else:
            high = f
    return np.clip(100 * (1 - high * badness), 0, 100).round(1)


def _ascii_mail(text: str) -> str:
    table = str.maketrans(
        {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "é": "e", "ë": "e", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"}
    )
    return "".join(ch for ch in text.translate(table).lower() if ch.isalnum() or ch in ".-")


class World:
    """Accounts, sites, employees, teams, contracts and SLA terms, plus each account's story."""

    def __init__(self, scale: Scale, clock: Clock, rng: np.random.Generator):
        self.scale, self.clock, self.rng = scale, clock, rng
        self._employees()
        self._accounts()
        self._sites()
        self._contracts()
        self._teams()
        self._sla()

    # --- people -------------------------------------------------------------------------
    def _employees(self) -> None:
        rng, n = self.rng, self.scale.employees
        combos = rng.choice(len(FIRST_NAMES) * len(LAST_NAMES), size=n, replace=False)
        self.emp_name = np.array(
            [f"{FIRST_NAMES[c // len(LAST_NAMES)]} {LAST_NAMES[c % len(LAST_NAMES)]}" for c in combos]
        )
        others = [d for d in DEPARTMENTS if d != "Key Account Management"]
        shares = np.array([DEPARTMENTS[d][0] for d in others])
        dept = list(rng.choice(others, size=n - self.scale.kams, p=shares / shares.sum()))
        self.emp_dept = np.array(["Key Account Management"] * self.scale.kams + sorted(dept, key=others.index))
        self.emp_role = np.array([DEPARTMENTS[d][1] for d in self.emp_dept], dtype=object)
        # Team leads exist in every operational department.
        for d in others:
            self.emp_role[np.flatnonzero(self.emp_dept == d)[:1]] = f"Teamleitung {d}"
        self.emp_role = self.emp_role.astype(str)
        self.emp_capacity = rng.choice([40.0, 40.0, 40.0, 39.0, 30.0, 20.0], size=n)
        self.emp_capacity[: self.scale.kams] = 40.0
        self.emp_active = rng.random(n) > 0.03
        self.emp_active[: self.scale.kams] = True
        history = len(self.clock.days)
        self.emp_leave_day = np.where(self.emp_active, history, rng.integers(history // 3, history - 60, size=n))
        self.emp_id = np.array([f"E{i + 1:05d}" for i in range(n)])
        self.emp_email = np.array(
            [f"{_ascii_mail(name.replace(' ', '.'))}{i + 1}@fm-demo.example" for i, name in enumerate(self.emp_name)]
        )

    # --- customers ----------------------------------------------------------------------
    def _accounts(self) -> None:
        rng, n = self.rng, self.scale.accounts
        industries = list(INDUSTRIES)
        self.acc_industry = np.array([industries[i % len(industries)] for i in rng.permutation(n)])
        names, used = [], set()
        for ind in self.acc_industry:
            patterns = INDUSTRIES[ind][0]
            while True:
                name = rng.choice(patterns).format(s=rng.choice(NAME_STEMS))
                if name not in used:
                    used.add(name)
                    names.append(name)
                    break
        self.acc_name = np.array(names)
        self.acc_id = np.array([f"A{i + 1:04d}" for i in range(n)])
        self.acc_region = rng.choice(["Nord", "Süd", "West", "Ost", "Mitte"], size=n)
        self.acc_kam = np.arange(n) % self.scale.kams
        since_years = rng.integers(2008, self.clock.start.year, size=n)
        self.acc_since = np.array(
            [np.datetime64(f"{y}-01-01") + rng.integers(0, 365) for y in since_years], dtype="datetime64[D]"
        )
        order = rng.permutation(n)
        n_risk, n_watch, n_thrive = max(3, round(n * 0.12)), max(4, round(n * 0.22)), max(3, n // 7)
        self.at_risk = np.zeros(n, bool)
        self.at_risk[order[:n_risk]] = True
        self.watch = np.zeros(n, bool)
        self.watch[order[n_risk : n_risk + n_watch]] = True
        self.thriving = np.zeros(n, bool)
        self.thriving[order[n_risk + n_watch : n_risk + n_watch + n_thrive]] = True
        rest = order[n_risk + n_watch + n_thrive :]
        # The newest customer onboarded mid-history; its SLA annex only covers P1 and P2.
        self.partial_sla_account = int(rest[0])
        self.acc_since[self.partial_sla_account] = np.datetime64(self.clock.start) + 200
        # One customer's helpdesk runs its own SLA clock (business hours) and exports due times.
        self.own_clock_account = int(rest[1])
        self.has_target = rng.random(n) < 0.6
        self.has_target[order[:2]] = True  # at-risk accounts with a target drift off it
        self.has_target[self.partial_sla_account] = False  # onboarded after the baseline year began
        self.energy_trend = np.where(self.thriving, -0.10, np.where(self.at_risk, 0.03, rng.normal(-0.03, 0.04, n)))
        self.sla_quality = np.where(self.thriving, 0.15, rng.uniform(0.16, 0.28, n))
        self._stories(order[:n_risk], order[n_risk : n_risk + n_watch])

    def _stories(self, risky: np.ndarray, watched: np.ndarray) -> None:
        """How each account is doing: a health target split into component scores, then into generator levers.

        Every account gets a target health score for its story (at risk 30-44, watch 53-64, healthy
        76-94, thriving 90-98) and a badness per health component (KPIS.md "Account health score"):
        weak components are bad, the others a little off. Scaling the badness to meet the target
        gives component scores, which become what the fact generators aim at: SLA resolution
        time, NPS, the gap since the last proactive contact, the commitment on-time rate, revenue
        growth and the team's overtime. Troubled accounts were fine until `onset` days before the
        export, so the 12-month health history shows the slide.
        """
        rng, n = self.rng, self.scale.accounts
        target = np.where(self.thriving, rng.uniform(90, 98, n), rng.uniform(76, 94, n))
        badness = rng.uniform(0.0, 0.3, (n, len(COMPONENTS)))
        badness[:, COMPONENTS.index("team")] = 0.0  # a healthy team is simply not overloaded
        for acc in range(n):
            if not self.thriving[acc]:
                weak = rng.choice(
                    [1, 3, 4], size=rng.integers(1, 3), replace=False
                )  # satisfaction, commitments, commercial
                badness[acc, weak] = rng.uniform(0.4, 1.0, len(weak))
        for k, acc in enumerate(watched):
            target[acc] = rng.uniform(53, 64)
            badness[acc] = rng.uniform(0.0, 0.25, len(COMPONENTS))
            badness[acc, [COMPONENTS.index(c) for c in WATCH_WEAKNESSES[k % len(WATCH_WEAKNESSES)]]] = rng.uniform(
                0.75, 1.0
            )
        for acc in risky:
            target[acc] = rng.uniform(30, 44)
            badness[acc] = rng.uniform(0.45, 1.0, len(COMPONENTS))
        score = np.array([_split(t, b) for t, b in zip(target, badness)])
        score[risky, COMPONENTS.index("team")] = np.minimum(score[risky, COMPONENTS.index("team")], 50.0)  # overloaded
        score[risky[0], COMPONENTS.index("relationship")] = 0.0  # nobody visited for more than 60 days
        self.target_health, self.component_score = target, score
        troubled = self.at_risk | self.watch
        self.onset = np.where(
            self.at_risk, rng.integers(150, 300, n), np.where(self.watch, rng.integers(75, 170, n), 0)
        )

        def lever(
            name: str, good_low: float, good_high: float, at_bad: float, at_good: float, worst: tuple[float, float]
        ) -> np.ndarray:
            """Metric aimed at for a component score: linear between its bad and good threshold, varied at the ends."""
            s = score[:, COMPONENTS.index(name)]
            value = at_bad + (at_good - at_bad) * s / 100
            value = np.where(s >= 99.5, rng.uniform(good_low, good_high, n), value)
            return np.where(s <= 0.5, rng.uniform(*worst, n), value)

        compliance = lever("sla", 99, 99, 80.0, 98.0, (72.0, 79.0))
        compliance += 0.07 * np.maximum(98.0 - compliance, 0)  # stuck and still-open tickets breach on top
        stressed_median = np.exp(-0.6 * np.array([NormalDist().inv_cdf(c / 100) for c in compliance]))
        self.sla_stressed = np.where(compliance >= 99, self.sla_quality, np.maximum(stressed_median, self.sla_quality))
        self.nps_target = lever("satisfaction", 52, 72, -20.0, 50.0, (-45.0, -25.0))
        self.nps_before = np.where(troubled, rng.uniform(25, 50, n), self.nps_target)
        self.contact_gap = np.round(lever("relationship", 1, 14.99, 60.0, 14.0, (62.0, 95.0))).astype(int)
        self.on_time_rate = lever("commitments", 96, 100, 60.0, 95.0, (40.0, 58.0)) / 100
        self.revenue_growth = lever("commercial", 10, 18, -10.0, 10.0, (-16.0, -11.0)) / 100
        team = score[:, COMPONENTS.index("team")]
        utilisation = np.where(team <= 0.5, rng.uniform(131, 138, n), 130.0 - 0.3 * team)
        self.team_load = np.where(team >= 90, 1.0, utilisation / 100 - 0.02)
        # Before the onset, troubled accounts looked like any other (healthy accounts never change).
        self.sla_before = np.where(troubled, self.sla_quality, self.sla_stressed)
        self.on_time_before = np.where(troubled, rng.uniform(0.9, 0.97, n), self.on_time_rate)

    def _sites(self) -> None:
        rng, n_acc = self.rng, self.scale.accounts
        weights = rng.lognormal(0, 0.6, n_acc)
        counts = 1 + rng.multinomial(self.scale.sites - n_acc, weights / weights.sum())
        self.site_account = np.repeat(np.arange(n_acc), counts)
        n = len(self.site_account)
        self.site_id = np.array([f"S{i + 1:05d}" for i in range(n)])
        city_region = np.array([c[1] for c in CITIES])
        city, btype, area = np.empty(n, int), [], np.empty(n)
        for i, acc in enumerate(self.site_account):
            home = np.flatnonzero(city_region == self.acc_region[acc])
            city[i] = rng.choice(home) if rng.random() < 0.75 else rng.integers(len(CITIES))
            types, w = zip(*INDUSTRIES[self.acc_industry[acc]][1])
            btype.append(types[rng.choice(len(types), p=np.array(w) / sum(w))])
            area[i] = round(BUILDING_PROFILES[btype[-1]][0] * rng.lognormal(0, 0.45), -1)
        self.site_city = city
        self.site_type = np.array(btype)
        self.site_area = area
        self.site_lat = (np.array([CITIES[c][2] for c in city]) + rng.uniform(-0.04, 0.04, n)).round(4)
        self.site_lon = (np.array([CITIES[c][3] for c in city]) + rng.uniform(-0.06, 0.06, n)).round(4)
        self.site_has_coords = rng.random(n) < 0.9
        self.site_name = np.array(
            [f"{BUILDING_NAMES[t]} {CITIES[c][0]} {i % 7 + 1}" for i, (t, c) in enumerate(zip(btype, city))]
        )
        self.acc_area = np.bincount(self.site_account, weights=area, minlength=n_acc)
        # One site whose meters never reported (shown as a coverage gap), at an ordinary account.
        ordinary = ~(self.at_risk | self.watch | self.thriving)[self.site_account]
        self.silent_site = int(np.flatnonzero(ordinary)[-1])

    def _contracts(self) -> None:
        """Active contracts per service line; renewals of at-risk accounts come up within 180 days."""
        rng, clock = self.rng, self.clock
        as_of = np.datetime64(clock.as_of)
        rows = []
        for acc in range(self.scale.accounts):
            size = self.acc_area[acc] / 60_000
            lines = [line for line, (share, _) in LINE_PROFILE.items() if rng.random() < share] or ["technical_fm"]
            for k, line in enumerate(lines):
                start = self.acc_since[acc] + int(rng.integers(0, 400)) * (k > 0)
                start = min(start, as_of - 30)
                value = round(LINE_PROFILE[line][1] * size * rng.lognormal(0, 0.3), -2)
                notice = int(rng.choice([90, 180, 180, 365]))
                if k == 0 and (self.at_risk[acc] or self.thriving[acc] or (self.watch[acc] and acc % 2)):
                    end, auto = as_of + notice + int(rng.integers(20, 150)), False
                elif rng.random() < 0.3:
                    end, auto = None, True
                else:
                    end, auto = as_of + int(rng.integers(200, 1600)), bool(rng.random() < 0.5)
                rows.append((acc, line, start, end, value, notice, auto))
            if rng.random() < 0.2:
                gone = next((line for line in SERVICE_LINES if line not in lines), None)
                if gone:
                    # Lost before the two years that revenue growth compares, so growth stays the story's.
                    ended = as_of - int(rng.integers(760, 1200))
                    rows.append((acc, gone, ended - 3 * 365, ended, round(300_000 * size, -2), 90, False))
        self.contracts = rows
        self.acc_lines = [
            sorted({r[1] for r in rows if r[0] == acc}, key=SERVICE_LINES.index) for acc in range(self.scale.accounts)
        ]

    def _teams(self) -> None:
        """Virtual account teams: KAM, site lead, technicians and specialists per service line."""
        rng = self.rng
        pools = {d: list(rng.permutation(np.flatnonzero((self.emp_dept == d) & self.emp_active))) for d in DEPARTMENTS}
        cursor = {d: 0 for d in DEPARTMENTS}
        reserved = {d: 0 for d in DEPARTMENTS}  # employees dedicated to the overloaded accounts

        def take(dept: str, k: int) -> list[int]:
            """The next k of the department; after the overloaded accounts, cycle over the others only."""
            pool = pools[dept]
            low = reserved[dept] if reserved[dept] + k <= len(pool) else 0
            span = len(pool) - low
            picked = [pool[low + (cursor[dept] - low + j) % span] for j in range(min(k, span))]
            cursor[dept] = low + (cursor[dept] - low + len(picked)) % span
            return picked

        team = []
        stressed = self.team_load > 1.0
        stressed_first = sorted(range(self.scale.accounts), key=lambda a: not stressed[a])
        for number, acc in enumerate(stressed_first):
            if number == int(stressed.sum()):
                reserved.update(cursor)
            n_sites = int(np.sum(self.site_account == acc))
            members = [(int(self.acc_kam[acc]), "Key Account Manager", float(rng.choice([20, 25, 30])))]
            members += [(e, "Objektleitung", float(rng.choice([50, 80, 100]))) for e in take("Objektleitung", 1)]
            members += [
                (e, "Technik", float(rng.choice([50, 60, 80, 100])))
                for e in take("Technik", int(np.clip(n_sites // 3, 2, 10)))
            ]
            members += [(e, "Vertragsmanagement", 20.0) for e in take("Vertragsmanagement", 1)]
            members += [(e, "Finanzen", 10.0) for e in take("Finanzen", 1)]
            for line, dept in LINE_DEPARTMENT.items():
                if line in self.acc_lines[acc]:
                    members += [(e, dept, float(rng.choice([40, 60, 100]))) for e in take(dept, 1)]
            seen = set()
            for emp, role, alloc in members:
                if emp not in seen:
                    seen.add(emp)
                    team.append((acc, int(emp), role, alloc))
        self.team = sorted(team)
        self.acc_technicians = [
            np.array([e for a, e, role, _ in team if a == acc and role == "Technik"])
            for acc in range(self.scale.accounts)
        ]
        # Who works overtime (load > 1) since how many days before the export: the operational team
        # of the accounts whose story overloads it.
        self.emp_load = np.ones(self.scale.employees)
        self.emp_onset = np.zeros(self.scale.employees, int)
        for acc, emp, role, _ in team:
            if stressed[acc] and role in ("Technik", "Objektleitung") and self.team_load[acc] > self.emp_load[emp]:
                self.emp_load[emp], self.emp_onset[emp] = self.team_load[acc], self.onset[acc]
        self.emp_primary = np.full(self.scale.employees, -1)
        for acc, emp, _, _ in team:
            if self.emp_primary[emp] < 0:
                self.emp_primary[emp] = acc

    def _sla(self) -> None:
        """SLA policy rows, and targets per (account, priority) used to generate ticket durations."""
        rows = []
        self.sla_hours = np.zeros((self.scale.accounts, 4, 2))
        for acc in range(self.scale.accounts):
            tier = SLA_STRICT if self.acc_industry[acc] in STRICT_INDUSTRIES else SLA_STANDARD
            for p, (prio, (resp, res, pct)) in enumerate(tier.items()):
                self.sla_hours[acc, p] = (resp, res)
                if acc != self.partial_sla_account or prio in ("P1", "P2"):
                    rows.append((acc, prio, float(resp), float(res), pct))
        self.sla_policies = rows

    def day_offset(self, day: np.datetime64) -> int:
        return int((day - np.datetime64(self.clock.start)) / np.timedelta64(1, "D"))

    def baseline_year(self) -> int:
        """First complete calendar year of history."""
        return self.clock.start.year + (0 if self.clock.start == self.clock.start.replace(month=1, day=1) else 1)
