"""anpo: an open, reproducible model of the U.S.-Japan alliance as a system.

The top-level API is imported lazily, so that ``import anpo`` (and a worker
process that runs one model) loads neither the store nor the interfaces:

- :func:`load_scenario` — read and check a scenario (YAML path or shipped name);
- :func:`run` — resolve it, run it under uncertainty, optionally store the run;
- :func:`rerun` — run a stored run again and compare every number;
- :func:`show` — the resolved inputs and their sources, without running.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.5.0"

_API = ("load_scenario", "run", "rerun", "show", "open_store", "RunResult")

if TYPE_CHECKING:
    from anpo.api import RunResult, load_scenario, open_store, rerun, run, show


def __getattr__(name: str) -> Any:
    if name in _API:
        from anpo import api

        return getattr(api, name)
    raise AttributeError(f"module 'anpo' has no attribute {name!r}")


__all__ = ["RunResult", "__version__", "load_scenario", "open_store", "rerun", "run", "show"]
