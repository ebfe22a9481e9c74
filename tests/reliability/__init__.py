"""Reliability tests: transport faults, model round-trips, bad caller input, load and leaks, secrets."""
