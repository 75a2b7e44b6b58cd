"""Benchmark: the vectorized missile-defence model against its reference implementation.

Times ``simulate()`` alone, in one process, on a 20-missile raid (two tiers,
shoot-look-shoot, decoys, uncertain kill probabilities and delays), for the
vectorized model and for the per-trial reference implementation, in alternation
(best of four calls each, :func:`timing.rates`), in the same
run; then times a whole ``anpo run`` of a shipped scenario (resolve, engine,
store). Prints trials per second and the ratio; the last line is JSON.

Run with ``make bench``.
"""

from __future__ import annotations

import json
import platform
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from anpo.models.distributions import Dist
from anpo.models.missile_defense import Inputs, simulate, simulate_reference
from timing import rates


def raid_20() -> Inputs:
    """Twenty missiles and four decoys on two assets; six ships and four fire units."""
    n_missiles, n_decoys = 20, 4
    t = n_missiles + n_decoys
    tiers = np.array([0] * 6 + [1] * 4)
    s = tiers.size
    asset = np.array([i % 2 for i in range(n_missiles)] + [0] * n_decoys)
    lower_asset = np.array([-1] * 6 + [0, 0, 1, 1])
    reach = (lower_asset[:, None] < 0) | (lower_asset[:, None] == asset[None, :])
    close = np.where(tiers[:, None] == 0, 420.0, 60.0) * np.ones((s, t))
    return Inputs(
        threat_asset=asset,
        threat_is_decoy=np.arange(t) >= n_missiles,
        threat_time_s=np.concatenate([np.arange(n_missiles) * 15.0, np.arange(n_decoys) * 30.0]),
        asset_priority=np.array([1, 2]),
        shooter_tier=tiers,
        shooter_interceptor=np.array([0, 0, 0, 1, 1, 1, 2, 2, 2, 2]),
        shooter_magazine=np.array([8, 8, 8, 6, 6, 6, 16, 16, 16, 16]),
        window_open_s=np.where(reach, 0.0, np.nan),
        window_close_s=np.where(reach, close, np.nan),
        engage_time_s=np.where(tiers[:, None] == 0, 180.0, 25.0) * np.ones((s, t)),
        salvo_size=np.array([2, 2]),
        max_engagements=np.array([2, 1]),
        partial_salvos=False,
        use_priorities=False,
        sspk=(
            Dist("triangular", (0.6, 0.8, 0.9)),
            Dist("triangular", (0.65, 0.85, 0.92)),
            Dist("triangular", (0.6, 0.8, 0.9)),
        ),
        reliability=(
            Dist("triangular", (0.85, 0.92, 0.97)),
            Dist("triangular", (0.85, 0.93, 0.97)),
            Dist("triangular", (0.85, 0.93, 0.97)),
        ),
        sensor_delay_s=(Dist("triangular", (60, 120, 300)), Dist("triangular", (10, 30, 60))),
        discrimination=Dist("triangular", (0.2, 0.5, 0.8)),
    )


def main() -> None:
    inputs = raid_20()
    check_rng = np.random.SeedSequence(1)
    a = simulate(inputs, np.random.default_rng(check_rng), 500)
    b = simulate_reference(inputs, np.random.default_rng(check_rng), 500)
    assert all(np.array_equal(a[k], b[k], equal_nan=a[k].dtype.kind == "f") for k in a), (
        "vectorized and reference disagree"
    )

    vec, ref = rates(simulate, simulate_reference, inputs, (65_536, 2_000), 4)
    print(
        f"20-missile raid, simulate() in one process ({platform.python_version()}, "
        f"NumPy {np.__version__})"
    )
    print(f"  vectorized: {vec:12,.0f} trials/s")
    print(f"  reference:  {ref:12,.0f} trials/s")
    print(f"  ratio:      {vec / ref:12,.1f}x")

    import anpo

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.duckdb"
        trials = 100_000
        start = time.perf_counter()
        result = anpo.run("nk-raid-2010", trials=trials, seed=1, store=db)
        whole = time.perf_counter() - start
    print(
        f"whole 'anpo run nk-raid-2010' ({trials:,} trials, resolve + engine + store): "
        f"{whole:.2f} s, {trials / whole:,.0f} trials/s (engine alone "
        f"{result.record.wall_s:.2f} s)"
    )
    sys.stdout.write(
        json.dumps(
            {
                "vectorized_trials_per_s": round(vec),
                "reference_trials_per_s": round(ref),
                "ratio": round(vec / ref, 1),
                "run_trials": trials,
                "run_wall_s": round(whole, 3),
                "run_engine_s": round(result.record.wall_s, 3),
            }
        )
        + "\n"
    )


if __name__ == "__main__":
    main()
