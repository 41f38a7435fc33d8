"""The nightly build: export contract, readers, validation, staging, marts, publishing, build log and report."""
