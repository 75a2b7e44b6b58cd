"""A seeded fuzz of scenarios: mutate the shipped ones, and every case must either be
refused with a precise error (a field path, exit code 2, nothing stored) or run to
finite outcomes within their bounds.

The mutations are drawn by a seeded generator (so a failure names a case that can be
replayed): a leaf of the scenario replaced by a hostile value (NaN, infinities, 1e308,
2**63, booleans, negatives, zero, tiny steps, wrong types, long text), a key removed or
added, and text-level damage (aliases, duplicate keys, bytes that are not UTF-8, a date
that is no calendar date, truncation). Values the issue lists as nonsense (non-finite,
absurd, booleans as numbers, integers beyond int64) put in a numeric field must be
refused: one accepted is "accepted nonsense".

Run as a script for the figures with a larger corpus::

    .venv/bin/python tests/hardening/test_fuzz.py 600
"""

from __future__ import annotations

import copy
import math
import random
import signal
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml

from anpo import api, scenario
from anpo.errors import AnpoError, ScenarioError
from anpo.kinds.registry import model as get_model
from anpo.store import Store

SEED = 20261207
CASES = 80  # the test's corpus (about 10 s of CPU here); the script takes any size
TRIALS = 32
CASE_LIMIT_S = 60  # a case still running after this is counted as a hang

NONSENSE: list[Any] = [math.nan, math.inf, -math.inf, 1e308, -1e308, 2**63, 2**64, True, False]
"""Values no numeric field may accept (the issue's list)."""
OTHER: list[Any] = [
    -1,
    0,
    0.0,
    1e-9,
    -0.5,
    7,
    1e6,
    None,
    "",
    "x",
    "2010-13-01",
    [],
    {},
    [1, 2],
    {"a": 1},
    "y" * 5000,
]


@dataclass
class Case:
    """One mutated scenario: its text (or bytes) and what was done to it."""

    base: str
    what: str
    text: str | bytes
    nonsense_in_number: bool = False


@dataclass
class Tally:
    cases: int = 0
    refused: int = 0
    ran: int = 0
    tracebacks: list[str] = field(default_factory=list)
    hangs: list[str] = field(default_factory=list)
    accepted_nonsense: list[str] = field(default_factory=list)
    imprecise: list[str] = field(default_factory=list)
    not_finite: list[str] = field(default_factory=list)


def _leaves(data: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    if isinstance(data, dict):
        for k, v in data.items():
            yield from _leaves(v, (*path, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from _leaves(v, (*path, i))
    else:
        yield path, data


def _containers(
    data: Any, path: tuple[Any, ...] = ()
) -> Iterator[tuple[tuple[Any, ...], dict[Any, Any]]]:
    if isinstance(data, dict):
        yield path, data
        for k, v in data.items():
            yield from _containers(v, (*path, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from _containers(v, (*path, i))


def _get(data: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        data = data[part]
    return data


def _dump(data: Any) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def cases(n: int, seed: int = SEED) -> Iterator[Case]:
    """``n`` mutated scenarios, the same for the same seed."""
    rng = random.Random(seed)
    shipped = scenario.shipped()
    names = sorted(shipped)
    for _ in range(n):
        name = rng.choice(names)
        text = shipped[name]
        data = yaml.safe_load(text)
        roll = rng.random()
        if roll < 0.65:  # replace a leaf
            leaves = list(_leaves(data))
            path, old = rng.choice(leaves)
            pool = NONSENSE if _is_number(old) and rng.random() < 0.6 else NONSENSE + OTHER
            new = copy.deepcopy(rng.choice(pool))
            parent = _get(data, path[:-1])
            parent[path[-1]] = new
            yield Case(
                name,
                f"{'.'.join(map(str, path))} = {new!r:.40}",
                _dump(data),
                nonsense_in_number=_is_number(old) and any(new is v for v in NONSENSE),
            )
        elif roll < 0.82:  # nudge a number within reason (exercises runs that succeed)
            numbers = [(p, v) for p, v in _leaves(data) if _is_number(v)]
            path, old = rng.choice(numbers)
            factor = rng.uniform(0.5, 1.5)
            new = max(0, round(old * factor)) if isinstance(old, int) else old * factor
            _get(data, path[:-1])[path[-1]] = new
            yield Case(name, f"{'.'.join(map(str, path))} = {new!r:.40} (nudged)", _dump(data))
        elif roll < 0.90:  # remove or add a key
            path, mapping = rng.choice(list(_containers(data)))
            if mapping and rng.random() < 0.5:
                key = rng.choice(list(mapping))
                del mapping[key]
                yield Case(name, f"delete {'.'.join(map(str, (*path, key)))}", _dump(data))
            else:
                mapping["surplus_key"] = 1
                yield Case(name, f"add {'.'.join(map(str, path))}.surplus_key", _dump(data))
        else:  # text-level damage
            kind = rng.choice(["alias", "bomb", "duplicate", "bytes", "date", "truncate"])
            if kind == "alias":
                yield Case(
                    name, "alias", text.replace("date:", "x_anchor: &a [1, 2]\nx_use: *a\ndate:", 1)
                )
            elif kind == "bomb":
                lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
                lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 9)]
                yield Case(name, "alias bomb", "\n".join(lines) + "\n" + text)
            elif kind == "duplicate":
                yield Case(name, "duplicate date", text + "\ndate: 2011-01-01\n")
            elif kind == "bytes":
                raw = text.encode("utf-8")
                at = rng.randrange(len(raw))
                yield Case(name, f"byte 0xff at {at}", raw[:at] + b"\xff\xfe" + raw[at:])
            elif kind == "date":
                lines = text.splitlines()
                lines = [("date: 2010-13-01" if ln.startswith("date:") else ln) for ln in lines]
                yield Case(name, "date 2010-13-01", "\n".join(lines) + "\n")
            else:
                yield Case(name, "truncated", text[: rng.randrange(1, len(text))])


class _Hang(Exception):
    pass


def _alarm(signum: int, frame: Any) -> None:
    raise _Hang()


def _finite_within_bounds(kind: str, outcomes: dict[str, np.ndarray]) -> str | None:
    specs = get_model(kind).OUTCOMES
    for name, array in outcomes.items():
        values = np.asarray(array, dtype=np.float64)
        if np.isinf(values).any():
            return f"{name} holds an infinity"
        if np.isnan(values).any() and not name.startswith("impact_") and name != "ran_dry_s":
            return f"{name} holds NaN"  # only impact points and ran-dry times are missing by design
        shown = values[~np.isnan(values)]
        unit = specs[name].unit
        if unit == "probability" and ((shown < 0) | (shown > 1)).any():
            return f"{name} is a probability outside [0, 1]"
        if unit in ("count", "aircraft", "missiles") and (shown < 0).any():
            return f"{name} is a negative count"
    return None


def _stored(store: Store) -> int:
    return len(store.runs()) if Path(store.path).exists() else 0


def check(case: Case, store: Store, tally: Tally) -> None:
    """Run one case through reading, checking, resolving and (if valid) a small run."""
    tally.cases += 1
    label = f"{case.base}: {case.what}"
    before = _stored(store)
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(CASE_LIMIT_S)
    try:
        if isinstance(case.text, bytes):
            path = Path(store.path).parent / "case.yaml"
            path.write_bytes(case.text)
            sc = scenario.load_scenario(path)
        else:
            sc = scenario.parse(case.text, "<fuzz>")
        result = api.run(sc, trials=TRIALS, seed=1, store=store)
    except ScenarioError as exc:
        tally.refused += 1
        unnamed = [p for p in exc.problems if not p.path and "YAML mapping" not in p.message]
        if exc.exit_code != 2 or not exc.problems or unnamed:
            tally.imprecise.append(label)
        if _stored(store) != before:
            tally.imprecise.append(f"{label} (stored a run)")
        return
    except AnpoError as exc:  # a usage or knowledge-base error: named, exit 2
        tally.refused += 1
        if exc.exit_code != 2:
            tally.imprecise.append(f"{label}: {type(exc).__name__} exit {exc.exit_code}")
        return
    except _Hang:
        tally.hangs.append(label)
        return
    except Exception as exc:
        tally.tracebacks.append(f"{label}: {type(exc).__name__}: {str(exc)[:200]}")
        return
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    tally.ran += 1
    if case.nonsense_in_number:
        tally.accepted_nonsense.append(label)
    problem = _finite_within_bounds(result.record.kind, result.outcomes)
    if problem:
        tally.not_finite.append(f"{label}: {problem}")


def fuzz(n: int, tmp: Path, seed: int = SEED) -> Tally:
    store = Store(tmp / "fuzz.duckdb")
    tally = Tally()
    for case in cases(n, seed):
        check(case, store, tally)
    return tally


@pytest.mark.skipif(not hasattr(signal, "SIGALRM"), reason="needs SIGALRM for the hang guard")
def test_fuzzed_scenarios_are_refused_precisely_or_run_finite(tmp_path: Path) -> None:
    tally = fuzz(CASES, tmp_path)
    assert tally.cases == CASES
    assert tally.tracebacks == []
    assert tally.hangs == []
    assert tally.accepted_nonsense == []
    assert tally.imprecise == []
    assert tally.not_finite == []
    # the corpus exercises both outcomes, not only one
    assert tally.refused > CASES // 3 and tally.ran > 0


def test_the_generator_is_seeded() -> None:
    first = [(c.base, c.what) for c in cases(20)]
    assert first == [(c.base, c.what) for c in cases(20)]
    assert len({w for _, w in first}) > 10


if __name__ == "__main__":  # the figures for the issue
    import tempfile

    size = int(sys.argv[1]) if len(sys.argv) > 1 else 600
    with tempfile.TemporaryDirectory() as tmp:
        t = fuzz(size, Path(tmp))
    print(
        f"corpus {t.cases}: refused {t.refused}, ran {t.ran}; tracebacks {len(t.tracebacks)}, "
        f"hangs {len(t.hangs)}, accepted nonsense {len(t.accepted_nonsense)}, "
        f"imprecise {len(t.imprecise)}, not finite {len(t.not_finite)}"
    )
    for line in t.tracebacks + t.hangs + t.accepted_nonsense + t.imprecise + t.not_finite:
        print("  ", line)
