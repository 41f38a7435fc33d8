"""Altair charts the pages share (band colours, locale) and one module of charts per page."""
