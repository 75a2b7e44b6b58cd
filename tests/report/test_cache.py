"""Drawings kept by content: a report drawn from the cache is the report drawn afresh."""

from __future__ import annotations

from pathlib import Path

import pytest

import anpo
from anpo.report import cache, figures
from anpo.report.html import render_report
from anpo.store import Store


def test_report_from_cache_is_identical(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(cache.ENV, str(tmp_path / "cache"))
    store = Store(tmp_path / "c.duckdb")
    run_id = anpo.run("kadena-2010", trials=200, seed=3, store=store).run_id
    first, _ = render_report(store, run_id)
    kept = {p.parent.name for p in (tmp_path / "cache").rglob("*.txt")}
    assert kept == {"figure", "geometry", "map"}
    drawn = []
    monkeypatch.setattr(figures, "_figure", lambda *a: drawn.append(a) or None)  # never called
    second, _ = render_report(store, run_id)
    assert second == first
    assert drawn == []
    monkeypatch.undo()
    monkeypatch.setenv(cache.ENV, "off")
    assert cache.directory() is None
    fresh, _ = render_report(store, run_id)
    assert fresh == first


def test_key_follows_content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(cache.ENV, str(tmp_path))
    a = figures.horizontal_bars(["x"], [1.0], title="t", xlabel="x", prefix="p")
    b = figures.horizontal_bars(["x"], [2.0], title="t", xlabel="x", prefix="p")
    c = figures.horizontal_bars(["x"], [1.0], title="t", xlabel="x", prefix="q")
    assert a != b and 'id="q-' in c and 'id="p-' not in c
    assert len(list((tmp_path / "figure").glob("*.txt"))) == 3
    assert figures.horizontal_bars(["x"], [1.0], title="t", xlabel="x", prefix="p") == a
    assert cache.key("figure", "1") != cache.key("figure", "2")


def test_unwritable_cache_is_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(cache.ENV, str(blocker))
    assert cache.kept("figure", "k", lambda: "drawn") == "drawn"
    assert cache.get("figure", "k") is None


def test_oldest_entries_dropped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(cache.ENV, str(tmp_path))
    monkeypatch.setattr(cache, "KEEP", 3)
    for i in range(5):
        cache.put("figure", f"k{i}", str(i))
    assert sorted(p.stem for p in (tmp_path / "figure").glob("*.txt")) == ["k2", "k3", "k4"]


def test_report_opens_the_store_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = Store(tmp_path / "o.duckdb")
    run_id = anpo.run("kadena-2010", trials=100, seed=1, store=store).run_id
    opened = []
    real = Store._open

    def counting(self: Store, path: Path, write: bool) -> object:
        opened.append(write)
        return real(self, path, write)

    monkeypatch.setattr(Store, "_open", counting)
    render_report(store, run_id)
    assert opened == [False]
    store.summary(run_id)  # outside the block, each read opens the file again
    assert len(opened) > 1 and not any(opened)


def test_map_geometry_kept_on_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The scenario's map is kept under $ANPO_CACHE_DIR by content: the next process
    reads it back exactly instead of flying the footprints again; off keeps nothing."""
    from anpo import scenario
    from anpo.scenario import geography, presentation

    geo = Path(__file__).parents[1] / "fixtures" / "geo-raid.yaml"
    sc = scenario.parse(geo.read_text(encoding="utf-8"), str(geo))
    monkeypatch.setenv("ANPO_CACHE_DIR", str(tmp_path))
    presentation.forget()
    drawn = presentation.geometry(sc)
    assert drawn is not None
    (entry,) = tmp_path.glob("map-*.json")

    def refuse(*_args: object) -> None:
        raise AssertionError("the map was drawn again")

    presentation.forget()  # as a new process: nothing in memory
    monkeypatch.setattr(geography, "raid_picture", refuse)
    assert presentation.geometry(sc) == drawn
    monkeypatch.undo()
    entry.write_text("{damaged", encoding="utf-8")
    presentation.forget()
    monkeypatch.setenv("ANPO_CACHE_DIR", str(tmp_path))
    assert presentation.geometry(sc) == drawn  # a damaged entry is drawn again
    monkeypatch.setenv("ANPO_CACHE_DIR", "off")
    presentation.forget()
    entry.unlink()
    assert presentation.geometry(sc) == drawn
    assert list(tmp_path.glob("map-*.json")) == []
