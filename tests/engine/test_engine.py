"""The engine: chunk streams, executors and progress give the same numbers every way."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from anpo.engine import (
    InProcessExecutor,
    LocalProcessExecutor,
    plan,
    run_trials,
)
from anpo.scenario import load_scenario, resolve

MODEL = "anpo.models.missile_defense"


@pytest.fixture(scope="module")
def inputs() -> object:
    return resolve(load_scenario(Path(__file__).parents[1] / "fixtures" / "small-raid.yaml")).inputs


def test_plan_cuts_trials_into_fixed_chunks(inputs: object) -> None:
    tasks = plan(MODEL, inputs, 10, 5, 4)
    assert [(t.index, t.n_trials) for t in tasks] == [(0, 4), (1, 4), (2, 2)]
    with pytest.raises(ValueError, match="n_trials must be at least 1"):
        plan(MODEL, inputs, 0, 5, 4)


def test_chunk_generator_is_the_spawned_child(inputs: object) -> None:
    tasks = plan(MODEL, inputs, 30, 123, 10)
    children = np.random.SeedSequence(123).spawn(3)
    for task, child in zip(tasks, children, strict=True):
        ours = task.generator().random(5)
        theirs = np.random.default_rng(child).random(5)
        assert np.array_equal(ours, theirs)


def test_results_do_not_depend_on_workers(inputs: object) -> None:
    one = run_trials(MODEL, inputs, 3000, 11, 700, InProcessExecutor())
    two = run_trials(MODEL, inputs, 3000, 11, 700, LocalProcessExecutor(2))
    assert one.keys() == two.keys()
    for name in one:
        assert np.array_equal(one[name], two[name], equal_nan=one[name].dtype.kind == "f"), name
    assert one["leakers"].shape == (3000,)


def test_more_trials_extend_and_never_change_earlier_chunks(inputs: object) -> None:
    short = run_trials(MODEL, inputs, 1000, 3, 500)
    long = run_trials(MODEL, inputs, 2500, 3, 500)
    assert np.array_equal(long["threat_fate"][:1000], short["threat_fate"])


def test_progress_is_reported_per_chunk(inputs: object) -> None:
    seen: list[tuple[int, int]] = []
    run_trials(MODEL, inputs, 50, 1, 20, progress=lambda d, t: seen.append((d, t)))
    assert seen == [(0, 3), (1, 3), (2, 3), (3, 3)]


def test_a_worker_loads_only_the_model() -> None:
    code = (
        "import sys, numpy as np\n"
        "from anpo.engine.chunks import ChunkTask, run_chunk\n"
        "from anpo.models.missile_defense import Inputs\n"
        "from anpo.models.distributions import Dist\n"
        "i = Inputs(threat_asset=[0], threat_is_decoy=[False], threat_time_s=[0.0],"
        " asset_priority=[1], shooter_tier=[0], shooter_interceptor=[0], shooter_magazine=[4],"
        " window_open_s=[[0.0]], window_close_s=[[100.0]], engage_time_s=[[50.0]],"
        " salvo_size=[1, 1], max_engagements=[1, 1], partial_salvos=False, use_priorities=False,"
        " sspk=(Dist.fixed(0.5),), reliability=(Dist.fixed(1.0),),"
        " sensor_delay_s=(Dist.fixed(0.0), Dist.fixed(0.0)), discrimination=Dist.fixed(0.0))\n"
        "out = run_chunk(ChunkTask('anpo.models.missile_defense', i, 1, 0, 10))\n"
        "bad = [m for m in ('anpo.store', 'anpo.scenario', 'anpo.kb', 'anpo.cli', 'anpo.report',"
        " 'anpo.api', 'duckdb', 'yaml', 'pydantic', 'typer', 'pandas', 'matplotlib')"
        " if m in sys.modules]\n"
        "print(out['leakers'].shape, bad)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "(10,) []"


def test_import_anpo_is_lazy() -> None:
    code = (
        "import sys, anpo\n"
        "print(sorted(m for m in ('anpo.api', 'anpo.store', 'anpo.engine', 'anpo.scenario',"
        " 'duckdb', 'numpy') if m in sys.modules))\n"
        "anpo.load_scenario\n"
        "print('anpo.api' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split("\n")[:2] == ["[]", "True"]


def test_a_first_chunk_checked_in_this_process_gives_the_same_numbers(inputs: object) -> None:
    seen: list[tuple[int, int, bool]] = []

    def first(outcomes: dict[str, np.ndarray], working: float | None, task: object) -> None:
        n = outcomes["leakers"].shape[0]
        seen.append((getattr(task, "index", -1), n, working is None or working >= 0))

    plain = run_trials(MODEL, inputs, 1700, 4, 500, InProcessExecutor())
    checked = run_trials(MODEL, inputs, 1700, 4, 500, LocalProcessExecutor(2), first=first)
    assert seen == [(0, 500, True)]
    for name in plain:
        assert np.array_equal(
            plain[name], checked[name], equal_nan=plain[name].dtype.kind == "f"
        ), name


def test_a_first_chunk_that_refuses_stops_the_run(inputs: object) -> None:
    ran: list[int] = []

    def first(outcomes: object, working: object, task: object) -> None:
        raise RuntimeError("refused")

    with pytest.raises(RuntimeError, match="refused"):
        run_trials(MODEL, inputs, 1500, 4, 500, first=first, progress=lambda d, t: ran.append(d))
    assert ran == [0]  # no chunk counted done


def test_chunks_of_different_integer_types_assemble_as_concatenated() -> None:
    from anpo.engine.chunks import Assembly, ChunkTask, concatenate

    parts = [
        {"a": np.array([1, 2], np.int8), "b": np.array([[0.5], [1.5]])},
        {"a": np.array([300, -4], np.int16), "b": np.array([[2.5], [np.nan]])},
        {"a": np.array([70000], np.int32), "b": np.array([[3.0]])},
    ]
    assembly = Assembly(5, 2)
    for index in (2, 0, 1):  # in any order
        n = parts[index]["a"].shape[0]
        assembly.add(ChunkTask(MODEL, None, 0, index, n), parts[index])
    got, want = assembly.result(), concatenate(parts)
    for name in want:
        assert got[name].dtype == want[name].dtype
        assert np.array_equal(got[name], want[name], equal_nan=True)
    assert got["a"].tolist() == [1, 2, 300, -4, 70000]
