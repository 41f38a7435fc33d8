"""Values shared by every session of the server process, read without Streamlit's per-read costs.

`st.cache_data` hashes its arguments and unpickles a fresh copy of the value on every read: about
2 ms a read, and a page reads 20 to 60 query results per run (a tenth of a warm page's server time).
`memoize` keeps the value itself under its exact, hashable key (a database version, a query name,
frozen parameters, a scope, a language: whatever the function takes), so a read is a dict look-up.

- One computation per key, even when 50 sessions ask at once: a lock per key, the others wait for
  the first one's value. An exception is not kept (the next call tries again).
- At most `max_entries` values; the least recently read one is dropped first.
- The value is shared, not copied: a caller that changes it must copy it first (kamdata.app.db
  hands out copies of query results).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

R = TypeVar("R")


class Memo(Generic[R]):
    """`function` memoized by its positional arguments (see the module docstring)."""

    def __init__(self, function: Callable[..., R], max_entries: int) -> None:
        self.function = function
        self.max_entries = max_entries
        self._values: OrderedDict[Hashable, R] = OrderedDict()
        self._lock = threading.Lock()  # guards _values and _computing
        self._computing: dict[Hashable, threading.Lock] = {}

    def __call__(self, *args: Hashable, **kwargs: object) -> R:
        if kwargs:
            raise TypeError(f"{self.function.__qualname__}: memoized functions take positional arguments only")
        key: Hashable = args
        with self._lock:
            if key in self._values:
                self._values.move_to_end(key)
                return self._values[key]
            computing = self._computing.setdefault(key, threading.Lock())
        with computing:  # the first caller computes; the others wait here and then read its value
            with self._lock:
                if key in self._values:
                    self._values.move_to_end(key)
                    return self._values[key]
            try:
                value = self.function(*args)
            except BaseException:
                with self._lock:
                    self._computing.pop(key, None)
                raise
            with self._lock:
                self._values[key] = value
                self._computing.pop(key, None)
                while len(self._values) > self.max_entries:
                    self._values.popitem(last=False)
            return value

    def clear(self) -> None:
        """Forget every value (tests)."""
        with self._lock:
            self._values.clear()

    def __len__(self) -> int:
        return len(self._values)


def memoize(max_entries: int) -> Callable[[Callable[..., R]], Memo[R]]:
    """Decorator: `@memoize(max_entries=1000)` over a function of hashable positional arguments."""

    def decorate(function: Callable[..., R]) -> Memo[R]:
        return Memo(function, max_entries)

    return decorate
