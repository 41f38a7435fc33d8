"""KAM Cockpit data package: export contract, nightly build, marts, data access."""

__version__ = "0.1.0"
