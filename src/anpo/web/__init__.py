"""The local web application: ``anpo serve`` (a FastAPI app and an offline page).

>>> from anpo.web import create_app
>>> app = create_app("runs.duckdb")  # doctest: +SKIP

See ``docs/web.md``. The page (``anpo/web/static``) loads nothing from outside the app:
scripts, styles and map outlines ship in the package.
"""

from __future__ import annotations

from anpo.web.app import create_app

__all__ = ["create_app"]
