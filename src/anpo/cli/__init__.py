"""The ``anpo`` command line (see :mod:`anpo.cli.main`)."""
