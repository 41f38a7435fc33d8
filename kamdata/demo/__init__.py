"""The demo export set: a coherent German FM portfolio with stories, seasonality and injected faults."""
