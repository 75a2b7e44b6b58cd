"""The knowledge base's parsed YAML kept by content: the same data, or none kept."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from anpo import kb
from anpo.kb import yaml_cache

TEXT = "a: 1\nb: [2010-01-31, 1.5, true, null, text]\nc: {d: -3}\n"


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(yaml_cache.ENV, str(tmp_path))
    return tmp_path


def test_a_cached_file_reads_back_the_same_data(folder: Path) -> None:
    first = yaml_cache.load(TEXT, kb.SAFE_LOADER)
    assert len(list(folder.glob("*.json"))) == 1
    second = yaml_cache.load(TEXT, kb.SAFE_LOADER)
    assert second == first == yaml.load(TEXT, Loader=kb.SAFE_LOADER)
    assert second["b"][0] == dt.date(2010, 1, 31) and second["b"][2] is True


def test_a_changed_text_or_loader_is_a_new_entry(folder: Path) -> None:
    yaml_cache.load(TEXT, kb.SAFE_LOADER)
    yaml_cache.load(TEXT + "e: 2\n", kb.SAFE_LOADER)
    yaml_cache.load(TEXT, kb.DATA_LOADER)
    assert len(list(folder.glob("*.json"))) == 3


def test_a_damaged_entry_is_parsed_again(folder: Path) -> None:
    yaml_cache.load(TEXT, kb.SAFE_LOADER)
    (entry,) = folder.glob("*.json")
    entry.write_text("{not json", encoding="utf-8")
    assert yaml_cache.load(TEXT, kb.SAFE_LOADER)["c"] == {"d": -3}


def test_data_json_would_change_are_not_kept(folder: Path) -> None:
    text = "1: one\n2010-01-01: day\n"
    assert yaml_cache.load(text, kb.SAFE_LOADER) == {1: "one", dt.date(2010, 1, 1): "day"}
    assert not list(folder.glob("*.json"))


def test_the_cache_can_be_turned_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(yaml_cache.ENV, "off")
    assert yaml_cache.folder() is None
    assert yaml_cache.load(TEXT, kb.SAFE_LOADER)["a"] == 1
