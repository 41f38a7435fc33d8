"""Charts drawn from a cached Vega-Lite spec: Altair builds and converts a chart once per content.

Building an Altair chart and converting it (layers copied, data hashed, the spec validated against
the Vega-Lite schema) costs more than everything else in a warm page run. A chart is a pure function
of its data and arguments, so its spec is cached under an exact digest of them (every cell of every
frame, never Streamlit's sampled DataFrame hash) and drawn with `st.vega_lite_chart`; a page run that
shows the same figures again only hashes its frames. Specs are made without schema validation (the
charts are fixed code, checked by the tests, not user input) and carry their data as Arrow, as
st.altair_chart sends it (timestamps stay timestamps, not JSON text).
"""

from __future__ import annotations

import hashlib
import pickle
import threading
from collections.abc import Callable
from typing import Any

import altair as alt
import pandas as pd
import pyarrow as pa
import streamlit as st

# Altair's data transformer and theme are process-wide settings: switched only under this lock.
_ALTAIR_GLOBALS = threading.Lock()


def _feed(digest, value: Any) -> None:
    """Add `value` to the digest exactly: frames by every cell (with index, columns and dtypes)."""
    if isinstance(value, pd.DataFrame):
        digest.update(repr((list(value.columns), [str(t) for t in value.dtypes])).encode())
        try:
            digest.update(pd.util.hash_pandas_object(value, index=True).to_numpy().tobytes())
        except TypeError:  # unhashable cells (lists): their pickled form
            digest.update(pickle.dumps(value))
    elif isinstance(value, dict):
        for key in sorted(value, key=repr):
            digest.update(repr(key).encode())
            _feed(digest, value[key])
    elif isinstance(value, (list, tuple)):
        digest.update(f"{type(value).__name__}{len(value)}".encode())
        for item in value:
            _feed(digest, item)
    else:
        digest.update(repr(value).encode())
    digest.update(b"\x00")


def content_key(build: Callable, args: tuple, kwargs: dict) -> str:
    """The chart's identity: the building function and an exact digest of its arguments."""
    digest = hashlib.blake2b(digest_size=20)
    digest.update(f"{build.__module__}.{build.__qualname__}".encode())
    _feed(digest, args)
    _feed(digest, kwargs)
    return digest.hexdigest()


def arrow_bytes(frame: pd.DataFrame) -> bytes:
    """A chart's frame as an Arrow IPC stream (what Streamlit's frontend reads for a named dataset)."""
    try:
        table = pa.Table.from_pandas(frame, preserve_index=False)
    except (pa.ArrowTypeError, pa.ArrowInvalid):  # mixed object columns: as text
        mixed = frame.select_dtypes("object").columns
        table = pa.Table.from_pandas(frame.astype(dict.fromkeys(mixed, "string")), preserve_index=False)
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue().to_pybytes()


def _to_named_arrow(data: Any, datasets: dict) -> dict:
    """Altair data transformer: each frame becomes a named Arrow dataset (name = content digest)."""
    payload = arrow_bytes(data) if isinstance(data, pd.DataFrame) else pickle.dumps(data)
    name = "kam-" + hashlib.blake2b(payload, digest_size=12).hexdigest()
    datasets[name] = payload if isinstance(data, pd.DataFrame) else data
    return {"name": name}


alt.data_transformers.register("kam_named_arrow", _to_named_arrow)


def to_spec(chart: alt.TopLevelMixin) -> dict:
    """The chart as a Vega-Lite dict with its data as named Arrow datasets, no theme defaults, not validated."""
    datasets: dict = {}
    with _ALTAIR_GLOBALS, alt.theme.enable("none"), alt.data_transformers.enable("kam_named_arrow", datasets=datasets):
        spec = chart.to_dict(validate=False)
    spec["datasets"] = {**spec.get("datasets", {}), **datasets}
    return spec


@st.cache_data(show_spinner=False, max_entries=2000)
def _cached_spec(key: str, _build: Callable, _args: tuple, _kwargs: dict) -> dict:
    return to_spec(_build(*_args, **_kwargs))


def chart(build: Callable[..., alt.TopLevelMixin], *args, st_kwargs: dict | None = None, **kwargs):
    """Draw `build(*args, **kwargs)` (an Altair chart) from the spec cache; `st_kwargs` go to
    st.vega_lite_chart (width, on_select, key, ...). Returns what st.vega_lite_chart returns."""
    spec = _cached_spec(content_key(build, args, kwargs), build, args, kwargs)
    return st.vega_lite_chart(spec=spec, **(st_kwargs or {}))
