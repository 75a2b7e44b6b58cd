"""Every Python example in the README and docs runs (SimPy-style executed docs)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
BLOCK = re.compile(r"```python\n(.*?)```", re.S)


def examples() -> list[tuple[str, str]]:
    out = []
    for doc in DOCS:
        for i, code in enumerate(BLOCK.findall(doc.read_text(encoding="utf-8"))):
            out.append((f"{doc.name}#{i}", code))
    return out


@pytest.mark.parametrize(("where", "code"), examples(), ids=[w for w, _ in examples()])
def test_example_runs(where: str, code: str, capsys: pytest.CaptureFixture[str]) -> None:
    exec(compile(code, where, "exec"), {"__name__": "__docs__"})
    printed = capsys.readouterr().out
    if "print(" in code:
        assert printed.strip(), where


def test_readme_names_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make demo" in readme and "make test" in readme
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in ci


def test_shipped_scenario_example_in_readme_is_valid(tmp_path: Path) -> None:
    from anpo.scenario import parse, resolve

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    (yaml_block,) = re.findall(r"```yaml\n(.*?)```", readme, re.S)
    resolved = resolve(parse(yaml_block, "README.md"))
    assert resolved.inputs.n_threats == 16
    assert resolved.inputs.has_geography


TUTORIALS = sorted((ROOT / "docs" / "tutorials").glob("[0-9][0-9]-*.md"))
STEP = re.compile(r"```python\n(.*?)```(?:\n\n```text\n(.*?)```)?", re.S)


def test_tutorials_are_numbered() -> None:
    assert [p.name[:2] for p in TUTORIALS] == ["01", "02", "03"]
    index = (ROOT / "docs" / "tutorials" / "README.md").read_text(encoding="utf-8")
    for page in TUTORIALS:
        assert f"({page.name})" in index, page.name


@pytest.mark.parametrize("page", TUTORIALS, ids=[p.stem for p in TUTORIALS])
def test_tutorial_prints_what_it_shows(page: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Each tutorial's blocks run in order, in one namespace, and each prints exactly the
    output shown under it (runs are seeded, so the numbers are reproducible)."""
    namespace: dict[str, object] = {"__name__": "__docs__"}
    steps = STEP.findall(page.read_text(encoding="utf-8"))
    assert steps and all(expected for _, expected in steps), "every block shows its output"
    for i, (code, expected) in enumerate(steps):
        exec(compile(code, f"{page.name}#{i}", "exec"), namespace)
        assert capsys.readouterr().out == expected, f"{page.name}#{i}"


def test_readme_today_against_2010_figures() -> None:
    """The README's "what changes with today's forces?" table is what the runs give."""
    import anpo
    from anpo import defaults

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = re.findall(
        r"^\| `(nk-same-raid-[a-z0-9]+)` \| ([\d.]+) ± ([\d.]+) \| (\d+)–(\d+) "
        r"\| ([\d.]+) \| (\d+) \|$",
        readme,
        re.M,
    )
    assert [r[0] for r in rows] == ["nk-same-raid-2010", "nk-same-raid-today"]
    for name, mean, err, p05, p95, p_zero, sm3 in rows:
        result = anpo.run(name, trials=defaults.TRIALS, seed=defaults.SEED)
        summary = result.summary()
        row = summary.query("outcome == 'leakers'").iloc[0]
        assert f"{row['mean']:.3f}" == mean, name
        assert f"{1.96 * row['se']:.3f}" == err, name
        assert (f"{row['p05']:.0f}", f"{row['p95']:.0f}") == (p05, p95), name
        assert f"{row['p_zero']:.3f}" == p_zero, name
        upper = summary.query("outcome == 'expended_tier' and label == 'upper'").iloc[0]
        assert f"{upper['mean']:.0f}" == sm3, name
