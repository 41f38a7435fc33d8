"""The Streamlit side: database access through the cache, filters, formats, widgets, charts, texts."""
