"""Campaign kinds: each one registration carrying its schema, resolver, model and views.

See :mod:`anpo.kinds.base` for what a kind declares and :mod:`anpo.kinds.registry`
for how it is found. The report, command line, web page and store reach a kind only
through :func:`get`.
"""

from anpo.kinds.registry import get, known, names, register, unregister

__all__ = ["get", "known", "names", "register", "unregister"]
