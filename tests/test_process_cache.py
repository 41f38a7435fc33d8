"""The process-wide cache (kamdata/app/process_cache.py) and the query results the app keeps in it
(kamdata/app/db.py): one computation per key, keys that hold the scope, copies handed out."""

from __future__ import annotations

import threading
import time

import pytest
import streamlit as st

from kamdata import query
from kamdata.app import db, process_cache


def test_a_value_is_computed_once_per_key_and_read_back():
    calls: list[tuple] = []

    @process_cache.memoize(max_entries=10)
    def double(x: int, scope: tuple | None) -> int:
        calls.append((x, scope))
        return 2 * x

    assert [double(1, None), double(1, None), double(1, ("A1",)), double(2, None)] == [2, 2, 2, 4]
    assert calls == [(1, None), (1, ("A1",)), (2, None)]  # another scope is another key


def test_sessions_asking_at_once_wait_for_one_computation():
    calls: list[int] = []

    @process_cache.memoize(max_entries=10)
    def slow(x: int) -> int:
        calls.append(x)
        time.sleep(0.2)
        return x + 1

    results: list[int] = []
    threads = [threading.Thread(target=lambda: results.append(slow(7))) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [8] * 8 and calls == [7]


def test_the_least_recently_read_value_is_dropped_and_a_failure_is_not_kept():
    calls: list[int] = []

    @process_cache.memoize(max_entries=2)
    def value(x: int) -> int:
        calls.append(x)
        if x < 0:
            raise ValueError("no")
        return x

    value(1), value(2), value(1), value(3)  # 2 is the least recently read when 3 comes in
    assert len(value) == 2
    value(1)
    value(2)
    assert calls == [1, 2, 3, 2]
    for _ in range(2):
        with pytest.raises(ValueError):
            value(-1)
    assert calls[-2:] == [-1, -1]


def test_query_results_are_kept_per_scope_and_handed_out_as_copies(app_db, monkeypatch):
    monkeypatch.setenv("KAM_DB", str(app_db))
    st.session_state.pop(db.PINNED_KEY, None)
    db._cached.clear()
    ran: list[query.Scope] = []
    real = query.run
    monkeypatch.setattr(query, "run", lambda v, name, params, scope: ran.append(scope) or real(v, name, params, scope))
    everyone = db.query("filters_accounts", {}, None)
    one = sorted(everyone["account_id"])[0]
    scoped = db.query("filters_accounts", {}, (one,))
    assert list(scoped["account_id"]) == [one] and len(everyone) > 1  # the scope is part of the key
    everyone["account_id"] = "changed"  # a page changing its frame changes nobody else's
    again = db.query("filters_accounts", {}, None)
    assert "changed" not in set(again["account_id"]) and len(again) == len(everyone)
    assert ran == [None, (one,)]  # the third read came from the cache
