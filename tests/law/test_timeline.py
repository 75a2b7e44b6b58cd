"""The timeline: at least 40 dated, sourced events; filters; the SVG plot; the CLI."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from anpo.cli.law_cmds import law_app, timeline_cmd
from anpo.errors import UsageError
from anpo.kb.law import EVENT_KINDS, load_law
from anpo.law import plot_timeline, timeline

ESSAY_EVENTS = {
    "ev.1951-security-treaty": dt.date(1951, 9, 8),
    "ev.1960-treaty-signed": dt.date(1960, 1, 19),
    "ev.1981-clb": dt.date(1981, 5, 29),
    "ev.1991-gulf-war": dt.date(1991, 1, 17),
    "ev.1993-korean-crisis": dt.date(1993, 3, 12),
    "ev.1995-okinawa-incident": dt.date(1995, 9, 4),
    "ev.1996-taiwan-strait": dt.date(1996, 3, 8),
    "ev.1997-guidelines": dt.date(1997, 9, 23),
    "ev.1998-taepodong": dt.date(1998, 8, 31),
    "ev.2001-refuelling-begins": dt.date(2001, 12, 2),
    "ev.2004-samawah": dt.date(2004, 1, 19),
    "ev.2005-scc-february": dt.date(2005, 2, 19),
    "ev.2006-roadmap": dt.date(2006, 5, 1),
    "ev.2009-dpj-victory": dt.date(2009, 8, 30),
    "ev.2009-somalia-dispatch": dt.date(2009, 3, 14),
    "ev.2016-legislation-in-force": dt.date(2016, 3, 29),
    "ev.2016-kwangmyongsong4": dt.date(2016, 2, 7),
    "ev.2017-overflight-august": dt.date(2017, 8, 29),
    "ev.2017-overflight-september": dt.date(2017, 9, 15),
    "ev.2022-strategy-documents": dt.date(2022, 12, 16),
    "ev.2023-trilateral-sharing": dt.date(2023, 12, 19),
}


def test_at_least_forty_sourced_events_in_date_order() -> None:
    base = load_law()
    events = timeline()
    assert len(events) == 69
    assert len(events) >= 40
    assert [e.date for e in events] == sorted(e.date for e in events)
    ids = {e.id for e in events}
    for e in events:
        assert e.sources and all(base.cite_source(s) for s in e.sources), e.id
        assert e.kind in EVENT_KINDS
        for rid in e.records:
            base.get(rid)
    assert len(ids) == len(events)
    dates = {e.id: e.date for e in events}
    for eid, day in ESSAY_EVENTS.items():
        assert dates[eid] == day, eid


def test_filters() -> None:
    missiles = timeline(kinds=["missile"])
    assert {e.kind for e in missiles} == {"missile"}
    assert [e.date.year for e in missiles] == [1993, 1998, 2006, 2009, 2012, 2016, 2017, 2017, 2022]
    window = timeline("2009", "2010")
    assert window[0].id == "ev.2009-somalia-dispatch"
    assert all(dt.date(2009, 1, 1) <= e.date <= dt.date(2010, 12, 31) for e in window)
    assert timeline("2001-11-02", "2001-11-02")[0].id == "ev.2001-atsml"
    with pytest.raises(UsageError, match="unknown event kind"):
        timeline(kinds=["war"])
    with pytest.raises(UsageError, match="before it starts"):
        timeline("2010", "2000")
    with pytest.raises(UsageError, match="not a date"):
        timeline("20x0")


def test_plot_is_an_svg_with_text_as_paths(tmp_path: Path) -> None:
    out = plot_timeline(timeline(), tmp_path / "timeline.svg")
    text = out.read_text(encoding="utf-8")
    assert text.lstrip().startswith("<?xml") and "<svg" in text
    assert "<text" not in text  # svg.fonttype = path
    with pytest.raises(UsageError, match="no events"):
        plot_timeline([], tmp_path / "empty.svg")


@pytest.mark.parametrize(
    ("start", "end"), [("1951", "2025"), ("1995", "2025"), ("2016", "2017"), ("2009", "2009")]
)
@pytest.mark.parametrize("dpi", [72, 100, 150])
def test_plot_labels_never_overlap(start: str, end: str, dpi: int) -> None:
    """Every event has one label; no two labels' boxes (as the renderer draws the text)
    overlap, and each lies inside the plot, at any span and resolution."""
    import matplotlib.pyplot as plt

    from anpo.law.timeline import KIND_TITLES, timeline_figure

    events = timeline(start, end)
    fig = timeline_figure(events)
    fig.set_dpi(dpi)
    renderer = fig.canvas.get_renderer()
    ax = fig.axes[0]
    frame = ax.get_window_extent(renderer)
    labels = [t for t in ax.texts if t.get_gid()]
    assert sorted(t.get_gid() for t in labels) == sorted(e.id for e in events)
    boxes = [(t.get_gid(), t.get_window_extent(renderer)) for t in labels]
    for i, (a, box) in enumerate(boxes):
        assert frame.x0 <= box.x0 and box.x1 <= frame.x1, a
        assert frame.y0 <= box.y0 and box.y1 <= frame.y1, a
        for b, other in boxes[i + 1 :]:
            apart = (
                box.x1 <= other.x0 or other.x1 <= box.x0 or box.y1 <= other.y0 or other.y1 <= box.y0
            )
            assert apart, (a, b)
    # grouped by kind of event, in the kinds' order, one band each
    shown = [t.get_text() for t in ax.get_yticklabels()]
    kinds = [k for k in EVENT_KINDS if any(e.kind == k for e in events)]
    assert shown == [KIND_TITLES[k] for k in kinds]
    plt.close(fig)


def test_cli_timeline(tmp_path: Path) -> None:
    app = typer.Typer()
    app.add_typer(law_app, name="law")
    app.command("timeline")(timeline_cmd)
    runner = CliRunner()
    svg = tmp_path / "t.svg"
    res = runner.invoke(
        app, ["timeline", "--from", "2016", "--kind", "missile", "--json", "--plot", str(svg)]
    )
    assert res.exit_code == 0, res.output
    payload = json.loads(res.output)
    assert payload["ok"] and payload["command"] == "timeline"
    assert [e["date"] for e in payload["events"]] == [
        "2016-02-07",
        "2017-08-29",
        "2017-09-15",
        "2022-10-04",
    ]
    assert all(e["sources"] for e in payload["events"])
    assert svg.exists()
    bad = runner.invoke(app, ["timeline", "--kind", "war"])
    assert bad.exit_code == 2 and "unknown event kind" in bad.output
