"""Shared kernels of campaign models: equations any model may import.

Each module states its equation and cites its source; all functions work on
NumPy arrays and broadcast over a leading trial axis.

* :mod:`.salvo` — Hughes's salvo equations (deterministic) and a stochastic form
  after Armstrong.
* :mod:`.search` — Koopman's random-search law, area and barrier search.
* :mod:`.lanchester` — Lanchester's square law, deterministic and stochastic, and
  Engel's (1954) estimate of its coefficients.
"""
