"""Explorer (PRODUCT.md page 6): ad-hoc filter, group, chart and download of any registered dataset.

Datasets, measures and the SQL come from kamdata.explore (the registry; its KPI measures call the
sql/macros the marts and the review pack use); kamdata.app.explorer_controls draws the controls and keeps
their state in the URL, kamdata.app.explorer_view the result. The sidebar's global filters apply on top
and are named above the result."""

from __future__ import annotations

import streamlit as st

from kamdata.app import explorer_view
from kamdata.app.filters import FILTERS_KEY, Filters, user_scope
from kamdata.app.i18n import t

filters: Filters = st.session_state[FILTERS_KEY]

st.title(t("common.pages.explorer"))
st.caption(t("explorer.page.intro"))
explorer_view.render(filters, user_scope())
