"""The explorer's data: results and filter values through kamdata.explore.run, cached per (database
version, URL form of the state, global filters, scope), and code columns shown under their labels.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st

from kamdata import query
from kamdata.app import db
from kamdata.app import formats as fmt
from kamdata.explore import registry, run
from kamdata.explore import state as xstate
from kamdata.explore.state import State
from kamdata.settings import min_group_size

# Fields holding codes the app translates (kamdata/app/texts/labels.toml kinds): shown and downloaded
# under their labels ("Technisches FM"); the URL and the filters keep the code.
CODE_LABELS = {
    "service_line": "service_line",
    "category": "category",
    "region": "region",
    "industry": "industry",
    "department": "department",
    "channel": "channel",
    "stage": "stage",
    "initiated_by": "initiator",
}


def code_label(field: str, value, lang: str):
    """A code of `field` in the app language (unknown codes and other fields unchanged)."""
    kind = CODE_LABELS.get(field)
    return fmt.known_label(kind, value, lang) if kind else value


def labelled(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The frame with its code columns as labels (for the table, the chart and the files)."""
    codes = [c for c in frame.columns if c in CODE_LABELS]
    if not codes:
        return frame
    return frame.assign(**{c: [code_label(c, v, lang) for v in frame[c]] for c in codes})


def _frozen(params: dict) -> tuple:
    return tuple(sorted((k, tuple(v) if isinstance(v, (list, tuple)) else v) for k, v in params.items()))


def _state_key(state: State) -> tuple:
    """The state's URL form, with the settings that shape a result (page size, works-council rule)."""
    rules = (run.settings()["page_rows"], registry.per_person_allowed(), min_group_size())
    return (_frozen(xstate.to_params(state)), rules)


@st.cache_data(show_spinner=False, max_entries=300)
def _cached_result(
    version: query.DbVersion, state_key: tuple, global_key: tuple, scope: query.Scope, _state: State, _global: dict
) -> run.Result:
    return run.result(version, _state, _global, scope, int(run.settings()["page_rows"]))


@st.cache_data(show_spinner=False, max_entries=1000)
def _cached_values(
    version: query.DbVersion,
    state_key: tuple,
    field: str,
    global_key: tuple,
    scope: query.Scope,
    _state: State,
    _global: dict,
) -> pd.DataFrame:
    return run.values(version, _state, field, _global, scope)


def result(state: State, global_params: dict, scope: query.Scope) -> run.Result:
    """The state's page of results (cached; raises QueryTimeout, InvalidState)."""
    key = _state_key(state)
    return _cached_result(db.current_version(), key, _frozen(global_params), scope, state, global_params)


def top_values(state: State, field: str, global_params: dict, scope: query.Scope) -> pd.DataFrame:
    """value, rows of a category field under the other filters, most rows first (settings top_values)."""
    others = replace(state, filters=tuple(f for f in state.filters if f.field != field), page=1, sort=None)
    key = _state_key(others)
    return _cached_values(db.current_version(), key, field, _frozen(global_params), scope, others, global_params)
