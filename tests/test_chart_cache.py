"""Charts from cached specs (kamdata/app/chart_cache.py): keyed by every cell, data kept as Arrow."""

from __future__ import annotations

import altair as alt
import pandas as pd
import pyarrow as pa

from kamdata.app import chart_cache


def bars(data: pd.DataFrame, title: str) -> alt.Chart:
    return alt.Chart(data).mark_bar().encode(x="month:T", y="value:Q").properties(title=title)


FRAME = pd.DataFrame({"month": pd.to_datetime(["2026-10-01", "2026-11-01"]), "value": [1.5, 2.0]})


def test_the_key_changes_with_any_cell_argument_or_function():
    key = chart_cache.content_key(bars, (FRAME, "A"), {})
    assert key == chart_cache.content_key(bars, (FRAME.copy(), "A"), {})
    changed = FRAME.copy()
    changed.loc[1, "value"] = 2.0000001
    assert chart_cache.content_key(bars, (changed, "A"), {}) != key
    big = pd.DataFrame({"value": range(100_000)})  # Streamlit's own hash samples frames this big
    bigger = big.copy()
    bigger.loc[54_321, "value"] = -1
    assert chart_cache.content_key(bars, (big,), {}) != chart_cache.content_key(bars, (bigger,), {})
    assert chart_cache.content_key(bars, (FRAME, "B"), {}) != key
    assert chart_cache.content_key(bars, (FRAME,), {"title": "A"}) != key
    lists = pd.DataFrame({"points": [[1, 2], [3]]})  # unhashable cells still key exactly
    assert chart_cache.content_key(bars, (lists,), {}) != chart_cache.content_key(
        bars, (pd.DataFrame({"points": [[1, 2], [4]]}),), {}
    )


def test_the_spec_carries_the_data_as_arrow_with_its_types():
    spec = chart_cache.to_spec(bars(FRAME, "A"))
    (name,) = spec["datasets"]
    assert spec["data"] == {"name": name}
    table = pa.ipc.open_stream(spec["datasets"][name]).read_all()
    assert pa.types.is_timestamp(table.schema.field("month").type)
    assert table.column("value").to_pylist() == [1.5, 2.0]
    assert "config" not in spec or "view" not in spec.get("config", {})  # no Altair theme sizes


def test_a_spec_is_built_once_per_content(monkeypatch):
    calls = []

    def counted(data: pd.DataFrame, title: str) -> alt.Chart:
        calls.append(title)
        return bars(data, title)

    drawn = []
    monkeypatch.setattr(chart_cache.st, "vega_lite_chart", lambda spec, **kw: drawn.append((spec, kw)))
    chart_cache._cached_spec.clear()
    chart_cache.chart(counted, FRAME, "A", st_kwargs={"width": "stretch"})
    chart_cache.chart(counted, FRAME.copy(), "A", st_kwargs={"width": "stretch"})
    chart_cache.chart(counted, FRAME, "B")
    assert calls == ["A", "B"]
    assert drawn[0][0] == drawn[1][0] and drawn[0][1] == {"width": "stretch"}
