"""Reports of stored runs: one self-contained HTML file per run.

>>> from anpo.store import Store
>>> from anpo.report import write_report
>>> write_report(Store("runs.duckdb"), "dc1cc051a734", "reports/")  # doctest: +SKIP
PosixPath('reports/nk-raid-today-dc1cc051a734.html')
"""

from __future__ import annotations

from anpo.report.html import render_report, write_report

__all__ = ["render_report", "write_report"]
