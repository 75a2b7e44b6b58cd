"""The HTML report: one self-contained file whose numbers are the store's.

Runs the shipped ``nk-raid-2010`` scenario (2,000 trials) into a DuckDB store, writes
its report and checks what the report must hold: the run facts and the command that
reproduces it, each section, the headline mean leakers exactly as the store's
summary gives it, inline SVG figures, nothing fetched from outside, every ledger row,
and overrides flagged. A hand-made run of a model with other outcomes checks that the
report stays correct for models it knows nothing about.
"""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml

import anpo
from anpo.models.base import OutcomeSpec
from anpo.report import write_report
from anpo.report.html import OVERRIDE_TEXT, fmt_num
from anpo.store import RunRecord, Store

pytestmark = pytest.mark.slow  # reports of a geographic scenario: its map is drawn

SECTIONS = (
    "Run",
    "Headline numbers",
    "Figures",
    "Summary of all outcomes",
    "Assumption ledger",
    "Scenario as given",
    "Sources",
)
TRIALS = 2000


def _run(spec: str | Path, db: Path, out: Path) -> tuple[Store, str, Path, str]:
    result = anpo.run(spec, trials=TRIALS, seed=7, store=db)
    store = Store(db)
    path = write_report(store, result.run_id, out)
    return store, result.run_id, path, path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> tuple[Store, str, Path, str]:
    root = tmp_path_factory.mktemp("report")
    return _run("nk-raid-2010", root / "r.duckdb", root / "out")


@pytest.fixture(scope="module")
def variant(tmp_path_factory: pytest.TempPathFactory) -> tuple[Store, str, Path, str]:
    root = tmp_path_factory.mktemp("variant")
    text = (resources.files("anpo") / "scenarios" / "nk-raid-2010.yaml").read_text("utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    data["name"] = "nk-raid-2010-pac3-4"
    data["description"] = "PAC-3 magazines cut to <b>four</b> & see."
    data["posture"]["pac3"] = {"magazine": 4}
    path = root / "variant.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return _run(path, root / "r.duckdb", root / "out")


def _section(html: str, heading: str) -> str:
    """The text from a section's <h2> heading to the next <h2>."""
    start = html.index(f">{heading}</h2>")
    end = html.find("<h2", start)
    return html[start : end if end >= 0 else len(html)]


def test_file_named_after_scenario_and_run(base: tuple[Store, str, Path, str]) -> None:
    _, run_id, path, _ = base
    assert path.is_file()
    assert path.name == f"nk-raid-2010-{run_id[:12]}.html"


def test_run_facts_and_rerun_command(base: tuple[Store, str, Path, str]) -> None:
    store, run_id, _, html = base
    run = store.run(run_id)
    assert run_id in html
    assert f"anpo rerun {run_id}" in html
    assert run["scenario_hash"] in html
    assert "2,000" in html
    assert "Thirty Nodong missiles" in html  # the scenario's description


@pytest.mark.parametrize("heading", SECTIONS)
def test_each_section_heading(base: tuple[Store, str, Path, str], heading: str) -> None:
    assert re.search(rf"<h2[^>]*>{re.escape(heading)}</h2>", base[3])


def test_headline_mean_leakers_is_the_store_summary(base: tuple[Store, str, Path, str]) -> None:
    store, run_id, _, html = base
    summary = store.summary(run_id)
    row = summary[summary["outcome"] == "leakers"].iloc[0]
    mean, se = fmt_num(row["mean"]), fmt_num(1.96 * row["se"])
    headline = _section(html, "Headline numbers")
    assert f"{mean} ± {se}" in headline
    table = _section(html, "Summary of all outcomes")
    assert f'<td class="num">{mean}</td>' in table
    p = float(row["p_zero"])
    assert f"{100 * p:.1f}%" in headline  # P(no leaker) from the same query


def test_summary_table_lists_every_outcome_but_codes(base: tuple[Store, str, Path, str]) -> None:
    store, run_id, _, html = base
    table = _section(html, "Summary of all outcomes")
    info = store.outcome_info(run_id)
    for name, unit in zip(info["outcome"], info["unit"], strict=True):
        if unit == "code":
            assert f'<td class="mono">{name}</td>' not in table
        else:
            assert f'<td class="mono">{name}</td>' in table
    assert "Coded outcome" in table
    for fate in ("killed_upper", "leaked_missed", "decoy_ignored"):
        assert fate in table


def test_inline_svg_figures(base: tuple[Store, str, Path, str]) -> None:
    html = base[3]
    assert html.count("<svg") >= 4
    assert "<?xml" not in html
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), "element ids must be unique across figures"


def test_self_contained(base: tuple[Store, str, Path, str]) -> None:
    html = base[3]
    # links a reader may follow (<a href>, the sources) are not fetched; nothing else
    # may point outside the file
    for tag, value in re.findall(
        r'<(\w+)\b[^>]*?\b(?:src|href)\s*=\s*["\']([^"\']*)', html, flags=re.I
    ):
        if tag.lower() != "a":
            assert not value.lower().startswith(("http://", "https://", "//")), value
    assert not re.search(r"<script\b[^>]*\bsrc", html, flags=re.I)
    assert "<script" not in html.lower()
    assert "@import" not in html
    assert "url(" not in html
    assert "<link" not in html.lower()
    assert "<img" not in html.lower()


def test_every_ledger_row(base: tuple[Store, str, Path, str]) -> None:
    store, run_id, _, html = base
    ledger = _section(html, "Assumption ledger")
    params = store.parameters(run_id)
    assert len(params) > 0
    for name in params["name"]:
        assert f">{_escape(str(name))}" in ledger, name
    counts = params["kind"].value_counts()
    for kind, count in counts.items():
        assert re.search(rf'class="badge {kind}">{kind}</span> {count}<', ledger)


def test_ledger_links_its_sources(base: tuple[Store, str, Path, str]) -> None:
    """Each ledger row whose source has an address links it; the run's sources follow."""
    store, run_id, _, html = base
    ledger = _section(html, "Assumption ledger")
    params = store.parameters(run_id)
    linked = params[params["url"].notna()]
    # nk-raid-2010 cites 30 inputs to documents with an address (knowledge base and law)
    assert len(linked) >= 20
    for row in linked.to_dict("records"):
        anchor = f'<a href="{_escape(row["url"])}" rel="noopener noreferrer">'
        assert anchor + _escape(row["source"]) + "</a>" in ledger, row["name"]
    for source in params[params["url"].isna()]["source"]:
        assert f">{_escape(source)}</td>" in ledger  # no address: plain text

    sources = _section(html, "Sources")
    items = re.findall(r"<li>(.*?)</li>", sources)
    texts = [re.sub(r"\. <a href.*", "", item) for item in items]
    assert len(texts) == len(set(texts)) >= 15, "each document once"
    assert texts == sorted(texts, key=str.casefold)
    assert any("Wilkening" in t for t in texts)
    for url in set(linked["url"]):
        assert f'href="{_escape(url)}"' in sources, url


def test_bibliography_documents() -> None:
    """Sections are dropped, documents listed once, law citations only with an address."""
    import pandas as pd

    from anpo.report.html import bibliography

    params = pd.DataFrame(
        {
            "source": [
                'MDA, "Test A" (2008-11-19), para. 2',
                'MDA, "Test A" (2008-11-19), para. 3; the count was not re-checked',
                'CRS, "Report (annual)" (2010); MDA, "Test A" (2008-11-19)',
                "Treaty (1960), Art. V; Another law, Art. 1",
                "Statute (1954), Art. 76",
                "anpo default",
                "analyst assumption (no public source)",
            ],
            "url": [
                *("https://a.example/", None, "https://crs.example/", "https://t.example/"),
                *(None, None, None),
            ],
        }
    )
    assert bibliography(params) == [
        {"text": 'CRS, "Report (annual)" (2010)', "url": "https://crs.example/"},
        {"text": 'MDA, "Test A" (2008-11-19)', "url": "https://a.example/"},
        {"text": "Treaty (1960), Art. V", "url": "https://t.example/"},
    ]


def test_override_flagged(variant: tuple[Store, str, Path, str]) -> None:
    store, run_id, path, html = variant
    assert path.name.startswith("nk-raid-2010-pac3-4-")
    ledger = _section(html, "Assumption ledger")
    params = store.parameters(run_id)
    overridden = params[params["override"]]
    assert any(name.endswith(".magazine") for name in overridden["name"])
    assert OVERRIDE_TEXT in ledger
    assert ledger.count('<tr class="override">') == len(overridden)
    for name in overridden["name"]:
        assert _escape(str(name)) in ledger


def test_data_is_escaped(variant: tuple[Store, str, Path, str]) -> None:
    html = variant[3]
    assert "<b>four</b>" not in html
    assert "&lt;b&gt;four&lt;/b&gt; &amp; see." in html


def test_generic_model(tmp_path: Path) -> None:
    """A model without missile-defence outcomes still gets a correct report."""
    store = Store(":memory:")
    n = 500
    rng = np.random.default_rng(3)
    record = RunRecord(
        run_id="abcdef0123456789",
        name="other <model>",
        kind="other",
        model="anpo.models.other",
        scenario_date="2020-01-01",
        scenario_origin="test",
        scenario_yaml="kind: other\nname: other\n",
        inputs_json="{}",
        scenario_hash="0" * 64,
        seed=1,
        n_trials=n,
        chunk_size=100,
        anpo_version="0",
        versions_json="{}",
        created_at="2020-01-01 00:00:00",
        wall_s=0.1,
    )
    outcomes = {
        "damage": rng.poisson(3.0, n).astype(float),
        "state": rng.integers(0, 3, (n, 2)).astype(float),
    }
    specs = {
        "damage": OutcomeSpec((), "count", "Damage done"),
        "state": OutcomeSpec(("unit",), "code", "State of each unit"),
    }
    ledger = [
        {
            "name": "x",
            "value": "1",
            "unit": "",
            "kind": "fact",
            "source": "a book",
            "as_of": None,
            "note": "",
            "override": False,
        }
    ]
    store.save(record, ledger, outcomes, specs, {"unit": ("a", "b")})
    path = write_report(store, record.run_id, tmp_path)
    html = path.read_text(encoding="utf-8")
    assert path.name == "other-model-abcdef012345.html"
    assert "<svg" in html
    row = store.summary(record.run_id).query("outcome == 'damage'").iloc[0]
    assert f"{fmt_num(row['mean'])} ± {fmt_num(1.96 * row['se'])}" in html
    assert "Coded outcome" in html
    assert "other &lt;model&gt;" in html
    assert "P(no leaker)" not in html


def _escape(text: str) -> str:
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&#34;")
        .replace("'", "&#39;")
    )
