"""Explorer (PRODUCT.md page 6): ad-hoc filter, group, chart and download of any registered dataset.

Datasets, measures and the SQL come from kamdata.explore (one registry with the downloads and the review
pack); the controls, the URL state and the result are drawn by kamdata.app.explorer_view. The sidebar's
global filters apply on top and are named above the result."""

from __future__ import annotations

import streamlit as st

from kamdata.app import explorer_view
from kamdata.app.filters import FILTERS_KEY, Filters, user_scope
from kamdata.app.i18n import t

filters: Filters = st.session_state[FILTERS_KEY]

st.title(t("common.pages.explorer"))
st.caption(t("explorer.page.intro"))
explorer_view.render(filters, user_scope())
