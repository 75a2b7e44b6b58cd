"""Run defaults, defined once: every interface (Python, command line, web) uses these.

A run's numbers are fixed by its inputs, seed, trial count and chunk size; these are
the values used when a user gives none. This module imports nothing, so the command
line can show them in ``--help`` without loading the engine.
"""

TRIALS = 20_000
"""Monte Carlo trials of a run."""
SEED = 1960
"""Random seed (the year of the treaty of mutual cooperation and security)."""
CHUNK_SIZE = 16_384
"""Trials per chunk: fixes the random streams, recorded with every run."""
MAX_CHUNK_SIZE = 1_000_000
"""The largest chunk a run may ask for."""

__all__ = ["CHUNK_SIZE", "MAX_CHUNK_SIZE", "SEED", "TRIALS"]
