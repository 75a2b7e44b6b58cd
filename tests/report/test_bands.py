"""Every declared figure of every shipped kind is drawn with its band.

One small run of a scenario of each kind goes into a store; each figure its kind
declares is drawn through :func:`anpo.report.views.figure` with the drawing functions
watched. Per-entry and per-step figures must carry the 5th–95th percentile of trials
from the store's summary (bars with whiskers, lines with bands, distributions with the
span shaded); code counts carry their Monte Carlo interval.
"""

from __future__ import annotations

import math
from typing import Any

import pytest

import anpo
from anpo.kinds import registry
from anpo.report import figures, views
from anpo.store import Store

SCENARIOS = {
    "missile_defense": "nk-raid-2010",
    "air_base": "kadena-2010",
    "naval": "east-china-sea-2010",
    "asw": "miyako-barrier-2010",
    "air_superiority": "taiwan-strait-2010",
}
TRIALS = 150


def test_every_kind_is_checked() -> None:
    assert set(SCENARIOS) == set(registry.BUILTIN)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> tuple[Store, dict[str, str]]:
    db = tmp_path_factory.mktemp("bands") / "b.duckdb"
    ids = {
        kind: anpo.run(name, trials=TRIALS, seed=5, store=db).run_id
        for kind, name in SCENARIOS.items()
    }
    return Store(db), ids


def _watch(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, dict[str, Any], tuple[Any, ...]]]:
    calls: list[tuple[str, dict[str, Any], tuple[Any, ...]]] = []
    for name in (
        "distribution",
        "histograms",
        "horizontal_bars",
        "means_with_spread",
        "lines_with_bands",
    ):

        def spy(*args: Any, _name: str = name, **kwargs: Any) -> str:
            calls.append((_name, kwargs, args))
            return "<svg></svg>"

        monkeypatch.setattr(figures, name, spy)
    return calls


@pytest.mark.parametrize("kind", sorted(SCENARIOS))
def test_declared_figures_have_bands(
    kind: str, store: tuple[Store, dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    st, ids = store
    run_id = ids[kind]
    summary, info = st.summary(run_id), st.outcome_info(run_id)
    calls = _watch(monkeypatch)
    declared = registry.views(kind).figures
    assert declared
    for i, view in enumerate(declared):
        before = len(calls)
        fig = views.figure(st, run_id, view, summary, info, TRIALS, prefix=f"f{i}")
        assert fig is not None, view.outcome
        assert len(calls) == before + 1
        name, kw, args = calls[-1]
        rows = views.entries(summary, view.outcome)
        k = view.scale
        if name == "lines_with_bands":
            series = args[0]
            for _, mean, lo, hi in series:
                assert len(mean) == len(lo) == len(hi) > 0
                assert all(
                    a <= b for a, b in zip(lo, hi, strict=True)
                )  # (a skewed mean may lie outside)
            flat_lo = sorted(v for s in series for v in s[2])
            assert flat_lo == sorted(float(v) * k for v in rows["p05"])
        elif name == "means_with_spread":
            assert list(args[2]) == [float(v) * k for v in rows["p05"]]
            assert list(args[3]) == [float(v) * k for v in rows["p95"]]
        elif name == "distribution":
            row = rows.iloc[0]
            assert kw["band"] == (float(row["p05"]) * k, float(row["p95"]) * k)
        elif name == "histograms":
            assert kw["bands"] == [
                (float(a) * k, float(b) * k) for a, b in zip(rows["p05"], rows["p95"], strict=True)
            ]
        else:  # horizontal bars: per entry, or per code
            assert kw["lows"] is not None and kw["highs"] is not None
            values = list(args[1])
            assert all(lo <= hi for lo, hi in zip(kw["lows"], kw["highs"], strict=True))
            if view.chart == "entries":
                order = (
                    rows.sort_values(["mean", "idx"], ascending=[False, True])
                    if view.sort
                    else rows
                )
                assert list(kw["lows"]) == [float(v) * k for v in order["p05"]]
                assert list(kw["highs"]) == [float(v) * k for v in order["p95"]]
                assert fig.caption.endswith(views.ENTRY_WHISKERS)
            else:
                assert view.chart == "codes"
                assert "Monte Carlo" in kw["whisker"]
                assert fig.caption.endswith(views.CODE_WHISKERS)
                assert all(
                    lo <= v <= hi for lo, v, hi in zip(kw["lows"], values, kw["highs"], strict=True)
                )
                assert any(hi > lo for lo, hi in zip(kw["lows"], kw["highs"], strict=True))


def test_code_error_of_one_entry_is_binomial(store: tuple[Store, dict[str, str]]) -> None:
    """With one entry per trial (which side fired first), the error is the binomial one."""
    st, ids = store
    counts = views.code_counts(st, ids["naval"], "first_to_fire")
    errors = views.code_errors(st, ids["naval"], "first_to_fire", TRIALS)
    assert int(counts["n"].sum()) == TRIALS
    for value, n in zip(counts["value"], counts["n"], strict=True):
        p = n / TRIALS
        assert errors[float(value)] == pytest.approx(1.96 * math.sqrt(p * (1 - p) / TRIALS))


def test_bands_drawn_in_svg() -> None:
    """Whiskers and shaded spans are drawn: the SVG grows by their paths."""
    svg = figures.horizontal_bars(
        ["a", "b"], [1.0, 2.0], title="t", xlabel="x", prefix="hb", lows=[0.5, 1.0],
        highs=[2.0, 3.5],
    )  # fmt: skip
    plain = figures.horizontal_bars(["a", "b"], [1.0, 2.0], title="t", xlabel="x", prefix="hb")
    assert svg.startswith("<svg") and len(svg) > len(plain)
    shaded = figures.distribution([0, 1, 2], [0.2, 0.5, 0.3], title="t", xlabel="x", prefix="d",
                                  mean=1.1, band=(0.0, 2.0))  # fmt: skip
    bare = figures.distribution([0, 1, 2], [0.2, 0.5, 0.3], title="t", xlabel="x", prefix="d",
                                mean=1.1)  # fmt: skip
    assert len(shaded) > len(bare)
