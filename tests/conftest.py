"""Shared fixtures: the fixture scenarios (the tests never rely on shipped ones)."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def small_raid() -> Path:
    return FIXTURES / "small-raid.yaml"


@pytest.fixture
def broken() -> Path:
    return FIXTURES / "broken.yaml"


@pytest.fixture
def small_text(small_raid: Path) -> str:
    return small_raid.read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def _private_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never touch the user's own results store from a test."""
    monkeypatch.setenv("ANPO_DB", str(tmp_path / "default.duckdb"))
