"""The report's "Reproduce" line works: taken from the HTML of a run of each kind and
typed into the command line against a new, empty store, it makes the same run again,
with every stored number the same."""

from __future__ import annotations

import html
import json
import re
import shlex
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

import anpo
from anpo.cli.main import app
from anpo.report.html import render_report
from anpo.store import Store

pytestmark = pytest.mark.slow  # one run and one report of each kind

ONE_OF_EACH_KIND = (
    ("nk-raid-2010", "missile_defense"),
    ("kadena-2010", "air_base"),
    ("east-china-sea-2010", "naval"),
    ("miyako-barrier-2010", "asw"),
    ("taiwan-strait-2010", "air_superiority"),
)
_LINE = re.compile(r'<dt>Reproduce</dt><dd><code class="command">(?P<command>[^<]+)</code>')
_FILE = re.compile(r"saved as <code>(?P<file>[^<]+)</code>")


def _reproduce(page: str) -> tuple[list[str], str | None]:
    """The Reproduce command of a report (its words) and the file it asks to save."""
    found = _LINE.search(page)
    assert found is not None, "no Reproduce line"
    line = page[found.start() : page.index("</dd>", found.end())]
    saved = _FILE.search(line)
    return shlex.split(html.unescape(found["command"])), (
        html.unescape(saved["file"]) if saved else None
    )


def _scenario_as_given(page: str) -> str:
    found = re.search(r'<pre class="yaml">(?P<text>.*?)</pre>', page, re.DOTALL)
    assert found is not None
    return html.unescape(found["text"])


def _same_run(first: Store, again: Store, run_id: str) -> None:
    pd.testing.assert_frame_equal(first.summary(run_id), again.summary(run_id))
    pd.testing.assert_frame_equal(first.outcomes(run_id), again.outcomes(run_id))
    pd.testing.assert_frame_equal(first.parameters(run_id), again.parameters(run_id))


def _type(words: list[str], db: Path) -> str:
    """Run the words after ``anpo`` through the command line into ``db``; the run id."""
    assert words[:2] == ["anpo", "run"], words
    done = CliRunner().invoke(app, [*words[1:], "--db", str(db), "--json"])
    assert done.exit_code == 0, done.output
    return str(json.loads(done.stdout)["run_id"])


@pytest.mark.parametrize(("name", "kind"), ONE_OF_EACH_KIND)
def test_reproduce_line_makes_the_same_run(name: str, kind: str, tmp_path: Path) -> None:
    first = Store(tmp_path / "first.duckdb")
    result = anpo.run(name, trials=300, seed=11, store=first)
    assert result.record.kind == kind
    page, _ = render_report(first, result.run_id)
    words, file = _reproduce(page)
    assert file is None  # a shipped scenario, named
    assert words == ["anpo", "run", name, "-n", "300", "--seed", "11", "--chunk-size", "16384"]
    assert f"anpo rerun {result.run_id}" in page  # the check against a stored run
    again = Store(tmp_path / "again.duckdb")
    assert _type(words, again.path) == result.run_id
    _same_run(first, again, result.run_id)


def test_reproduce_line_of_a_scenario_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A run of a file: the line asks to save the report's "Scenario as given" under a
    name and run that; done in another folder, it makes the same run."""
    text = (Path(__file__).parents[1] / "fixtures" / "small-raid.yaml").read_text("utf-8")
    (tmp_path / "mine").mkdir()
    source = tmp_path / "mine" / "my raid.yaml"
    source.write_text(text, encoding="utf-8")
    first = Store(tmp_path / "first.duckdb")
    result = anpo.run(source, trials=300, seed=5, chunk_size=128, store=first)
    page, run = render_report(first, result.run_id)
    words, file = _reproduce(page)
    assert file is not None and words[2] == file and file.endswith(".yaml")
    assert words[3:] == ["-n", "300", "--seed", "5", "--chunk-size", "128"]
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    (elsewhere / file).write_text(_scenario_as_given(page), encoding="utf-8")
    assert _scenario_as_given(page) == run["scenario_yaml"]
    again = Store(tmp_path / "again.duckdb")
    assert _type(words, again.path) == result.run_id
    _same_run(first, again, result.run_id)
