"""KAM Cockpit data package: export contract, nightly build, marts, data access."""

__version__ = "0.2.0"
