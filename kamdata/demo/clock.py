"""Time axis of a demo export set: three full calendar years plus the current year to date, in Europe/Berlin time.

Event times are held as UTC instants (numpy datetime64[s]) so durations are
elapsed time. Exports write them as naive Berlin local time, so the generator
never produces an instant inside the autumn fall-back hour: its naive local
text would be ambiguous and a reader could put a response before its ticket.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import numpy as np

BERLIN = ZoneInfo("Europe/Berlin")
HOUR = np.timedelta64(3600, "s")


def _last_sunday(year: int, month: int) -> date:
    last = date(year, month + 1, 1) - timedelta(days=1)
    return last - timedelta(days=(last.weekday() + 1) % 7)


def _transitions(first_year: int, last_year: int) -> tuple[np.ndarray, np.ndarray]:
    """EU summer time: starts last Sunday of March and ends last Sunday of October, 01:00 UTC."""
    years = range(first_year, last_year + 1)
    start = np.array([np.datetime64(f"{_last_sunday(y, 3)}T01:00:00") for y in years])
    end = np.array([np.datetime64(f"{_last_sunday(y, 10)}T01:00:00") for y in years])
    return start, end


@dataclass(frozen=True)
class Clock:
    """The window [start, as_of]: events happen before `cutoff` (the export at 02:00 on as_of)."""

    as_of: date

    @property
    def start(self) -> date:
        """First day of history: 1 January three years before the as-of year (so every earlier year is complete)."""
        return date(self.as_of.year - 3, 1, 1)

    @property
    def exported_at(self) -> datetime:
        return datetime.combine(self.as_of, time(2, 0), tzinfo=BERLIN)

    @property
    def cutoff(self) -> np.datetime64:
        """The export moment as a UTC instant; nothing happens at or after it."""
        utc = self.exported_at.astimezone(ZoneInfo("UTC")).replace(tzinfo=None)
        return np.datetime64(utc, "s")

    @property
    def days(self) -> np.ndarray:
        """Every complete day of history: start .. as_of - 1 (datetime64[D])."""
        return np.arange(np.datetime64(self.start), np.datetime64(self.as_of), dtype="datetime64[D]")

    @property
    def months(self) -> np.ndarray:
        """First days of every month from the start month up to and including the as-of month."""
        return np.arange(np.datetime64(self.start, "M"), np.datetime64(self.as_of, "M") + 1).astype("datetime64[D]")

    def _dst(self, instants: np.ndarray) -> np.ndarray:
        start, end = _transitions(self.start.year - 1, self.as_of.year + 1)
        year_index = instants.astype("datetime64[Y]").astype(int) + 1970 - (self.start.year - 1)
        year_index = np.clip(year_index, 0, len(start) - 1)
        return (instants >= start[year_index]) & (instants < end[year_index])

    def local_to_instant(self, days: np.ndarray, minutes: np.ndarray) -> np.ndarray:
        """Berlin wall-clock (day, minute of day) -> UTC instant; spring-gap times move to the valid hour."""
        naive = days.astype("datetime64[s]") + minutes.astype("timedelta64[m]").astype("timedelta64[s]")
        guess = naive - HOUR
        return np.where(self._dst(guess), naive - 2 * HOUR, guess)

    def unambiguous(self, instants: np.ndarray) -> np.ndarray:
        """Move instants out of the fall-back hour (local 02:00-03:00 happens twice) by two hours."""
        _, end = _transitions(self.start.year - 1, self.as_of.year + 1)
        year_index = np.clip(
            instants.astype("datetime64[Y]").astype(int) + 1970 - (self.start.year - 1), 0, len(end) - 1
        )
        switch = end[year_index]
        ambiguous = (instants >= switch - HOUR) & (instants < switch + HOUR)
        return np.where(ambiguous, instants + 2 * HOUR, instants)

    def local_date(self, instants: np.ndarray) -> np.ndarray:
        """Berlin calendar date of UTC instants."""
        offset = np.where(self._dst(instants), 2 * HOUR, HOUR)
        return (instants + offset).astype("datetime64[D]")


def day_of_year(days: np.ndarray) -> np.ndarray:
    return (days - days.astype("datetime64[Y]")).astype(int)


def weekday(days: np.ndarray) -> np.ndarray:
    """Monday = 0 .. Sunday = 6 (1970-01-01 was a Thursday)."""
    return (days.astype("datetime64[D]").astype(int) + 3) % 7


def outdoor_temperature(days: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A German daily mean temperature (°C): about 0 °C in late January, 19 °C in late July."""
    seasonal = 9.5 - 9.5 * np.cos(2 * np.pi * (day_of_year(days) - 20) / 365.25)
    weather = np.convolve(rng.normal(0, 3.0, len(days) + 6), np.ones(7) / 7**0.5, mode="valid")
    return seasonal + weather[: len(days)]
