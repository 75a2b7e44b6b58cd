"""Reports of stored runs: one self-contained HTML file per run.

>>> from anpo.store import Store
>>> from anpo.report import write_report
>>> write_report(Store("runs.duckdb"), "dc1cc051a734", "reports/")  # doctest: +SKIP
PosixPath('reports/nk-raid-today-dc1cc051a734.html')

The HTML writer (pandas, Jinja, matplotlib) is imported on first use, so
:mod:`anpo.report.narrative` costs ``anpo run`` nothing more.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from anpo.report.html import render_report, write_report

__all__ = ["render_report", "write_report"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from anpo.report import html

        return getattr(html, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
