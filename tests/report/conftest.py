"""The report tests keep drawings in a cache folder of their own (never the user's)."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from anpo.report import cache


@pytest.fixture(scope="session", autouse=True)
def _own_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    before = os.environ.get(cache.ENV)
    os.environ[cache.ENV] = str(tmp_path_factory.mktemp("drawings"))
    yield
    if before is None:
        os.environ.pop(cache.ENV, None)
    else:
        os.environ[cache.ENV] = before
