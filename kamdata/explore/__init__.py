"""The ad-hoc explorer's core (no Streamlit): registry of datasets, URL state, SQL builder, runner."""
