"""``anpo credibility``: the essay's test, capability × willingness, for a date.

Also the body of ``anpo then-and-now --credibility`` ("relic or cornerstone?": 2010
against today). Every figure is printed with its interval and the words "if these
assumptions hold"; every default assumption is listed with its label.
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from anpo import defaults
from anpo.cli.common import JsonOpt, emit, out, progress_bar, user_errors

if TYPE_CHECKING:
    from anpo.studies.credibility import Assumption, Credibility, Entry

THEN_AND_NOW_TRIALS = 200
"""Trials per run of ``then-and-now --credibility`` unless ``--trials`` is given."""

TrialsOpt = Annotated[
    int, typer.Option("--trials", "-n", help="Trials per run (small: seconds per portfolio).")
]


def _pct(x: float | None) -> str:
    return "n/a" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{100 * x:.1f}%"


def _ci(ci: Any) -> str:
    if not ci or any(c is None or (isinstance(c, float) and math.isnan(c)) for c in ci):
        return ""
    return f" [{100 * ci[0]:.1f}-{100 * ci[1]:.1f}]"


def _num(x: float | None) -> str:
    return "n/a" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:+.2f}"


def _date(text: str, what: str) -> dt.date:
    from anpo import kb
    from anpo.errors import UsageError

    if text == "today":
        return kb.KB_AS_OF
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"{what} takes a date YYYY-MM-DD or 'today' (got {text!r})") from None
    kb.check_date(day)
    return day


def parse_portfolio(items: list[str] | None, day: dt.date) -> list[Entry] | None:
    """``--weight NAME=W`` items as a portfolio (None: the kb's default)."""
    from anpo.errors import UsageError
    from anpo.studies.credibility import Entry

    if not items:
        return None
    entries = []
    for item in items:
        name, sep, value = item.partition("=")
        try:
            weight = float(value)
        except ValueError:
            weight = math.nan
        if not sep or not name.strip() or not math.isfinite(weight) or weight < 0:
            raise UsageError(f"--weight takes SCENARIO=WEIGHT, a weight >= 0 (got {item!r})")
        entries.append(Entry(name.strip(), weight, label="set by the user"))
    return entries


def parse_overrides(items: list[str] | None, day: dt.date) -> dict[str, Assumption]:
    """``--set KEY=VALUE`` (one value) or ``KEY=LOW:NOMINAL:HIGH`` replacing a default."""
    import dataclasses

    from anpo.errors import UsageError
    from anpo.studies.credibility import assumptions

    known = assumptions(day)
    out_: dict[str, Assumption] = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        key = key.strip()
        if key not in known:
            raise UsageError(f"--set: no assumption {key!r}; known: {', '.join(sorted(known))}")
        try:
            parts = [float(v) for v in value.split(":")]
        except ValueError:
            parts = []
        if len(parts) == 1:
            parts = parts * 3
        if not sep or len(parts) != 3 or not parts[0] <= parts[1] <= parts[2]:
            raise UsageError(f"--set takes KEY=VALUE or KEY=LOW:NOMINAL:HIGH (got {item!r})")
        if known[key].unit == "probability" and not (parts[0] >= 0 and parts[2] <= 1):
            raise UsageError(f"--set {key}: a probability is between 0 and 1 (got {value})")
        out_[key] = dataclasses.replace(
            known[key], low=parts[0], nominal=parts[1], high=parts[2], label="set by the user"
        )
    return out_


def parse_gates(closes: list[str] | None, opens: list[str] | None) -> dict[tuple[str, str], bool]:
    """``--close SCENARIO:PARTY`` / ``--open SCENARIO:PARTY`` as forced gates."""
    from anpo.errors import UsageError
    from anpo.kb.law import PARTIES

    out_: dict[tuple[str, str], bool] = {}
    for items, value, flag in ((closes, False, "--close"), (opens, True, "--open")):
        for item in items or []:
            name, sep, party = item.partition(":")
            if not sep or party not in PARTIES or not name:
                raise UsageError(
                    f"{flag} takes SCENARIO:PARTY, a party one of {', '.join(PARTIES)} "
                    f"(got {item!r})"
                )
            out_[(name, party)] = value
    return out_


def print_assumptions(params: dict[str, Assumption]) -> None:
    """One line per default: key, label, range (low / nominal / high), unit, kb record."""
    out.print("Defaults and what they are (each an analyst assumption unless set by the user):")
    for a in params.values():
        out.print(
            f"  {escape(a.key)}  [{escape(a.label)}]  {a.low:g} / {a.nominal:g} / {a.high:g} "
            f"{escape(a.unit)}  ({escape(a.record)})",
            soft_wrap=True,
        )


def print_indicators(rows: list[dict[str, Any]]) -> None:
    grid = Table("party", "year", "indicator (fact, shown, never computed with)", "value", "source")
    for r in rows:
        value = r["value"]
        shown = f"{value:g} {r['unit']}" if isinstance(value, int | float) else str(value)
        grid.add_row(
            r["party"], str(r["year"]), escape(r["what"]), escape(shown), escape(r["source"])
        )
    out.print(grid)


def print_credibility(c: Credibility, heading: str = "") -> None:
    out.print(
        f"[bold]{escape(heading or 'Credibility')}[/bold] on {c.date}: {c.trials:,} trials per "
        f"run, {c.draws:,} Monte Carlo draws, seed {c.seed}, [italic]{c.caveat}[/italic]"
    )
    grid = Table("scenario (form)", "objective", "capability", "credibility", "margin", "P(deters)")
    for s in c.scenarios:
        if s.refused:
            grid.add_row(escape(s.scenario), "not resolved", escape(s.refused[:120]), "", "", "")
            continue
        assert s.objective is not None
        grid.add_row(
            escape(f"{s.scenario} ({s.form}), w={s.weight:g}"),
            escape(s.objective.title),
            _pct(s.capability) + _ci(s.capability_ci),
            _pct(s.credibility) + _ci(s.credibility_ci),
            f"{s.margin:+.2f} [{s.margin_ci[0]:+.2f} {s.margin_ci[1]:+.2f}]",
            _pct(s.p_deters),
        )
    o = c.overall
    if "capability" in o:
        grid.add_row(
            "[bold]overall (weighted)[/bold]", "",
            _pct(o["capability"]) + _ci(o["capability_ci95"]),
            _pct(o["credibility"]) + _ci(o["credibility_ci95"]),
            f"{o['margin']:+.2f} [{o['margin_ci95'][0]:+.2f} {o['margin_ci95'][1]:+.2f}]",
            _pct(o["p_deters"]),
        )  # fmt: skip
    out.print(grid)
    parties = Table(
        "scenario", "party", "legal gate", "contribution", "willingness", "capability × willingness"
    )
    for s in c.scenarios:
        if s.refused:
            continue
        for p in s.parties:
            gate = p.gate.status + (" (forced " + ("open" if p.gate.open else "closed") + ")"
                                    if p.gate.forced else "")  # fmt: skip
            if not p.gate.open:
                contribution = "removed (gate closed)"
            elif not p.modelled:
                contribution = "not modelled"
            elif p.contribution is None:
                contribution = ""
            else:
                se = 196 * (p.contribution_se or 0.0)
                contribution = f"{100 * p.contribution:+.1f} ± {se:.1f} pts"
            parties.add_row(
                escape(s.scenario), p.party, escape(gate), escape(contribution),
                _pct(p.willingness) + _ci(p.willingness_ci),
                _pct(p.credibility) + _ci(p.credibility_ci),
            )  # fmt: skip
    out.print(parties)
    by = Table("party", "willingness", "capability where it takes part", "credibility")
    for party, v in c.parties.items():
        by.add_row(
            party,
            _pct(v["willingness"]) + _ci(v["willingness_ci95"]),
            _pct(v.get("capability")),
            _pct(v.get("credibility")) + _ci(v.get("credibility_ci95")),
        )
    out.print(by)
    out.print(
        "capability: share of trials meeting the objective (Wilson 95% interval); "
        "credibility: capability × willingness per party, and for the alliance the "
        "capability expected over which parties turn out willing; margin: the "
        "adversary's (1−C)·gain − C·cost − response·credibility, negative deters. "
        "Intervals: 2.5th-97.5th percentiles of the Monte Carlo draws."
    )


def credibility_cmd(
    date: Annotated[
        str, typer.Option("--date", "-d", help="YYYY-MM-DD or 'today' (the kb's as-of date).")
    ] = "today",
    trials: TrialsOpt = 400,
    seed: Annotated[int, typer.Option("--seed", "-s")] = defaults.SEED,
    draws: Annotated[int, typer.Option("--draws", help="Monte Carlo draws.")] = 4000,
    weight: Annotated[
        list[str] | None,
        typer.Option("--weight", "-w", help="SCENARIO=WEIGHT (repeatable): your portfolio."),
    ] = None,
    set_: Annotated[
        list[str] | None,
        typer.Option("--set", help="KEY=VALUE or KEY=LOW:NOMINAL:HIGH replacing a default."),
    ] = None,
    close: Annotated[
        list[str] | None, typer.Option("--close", help="SCENARIO:PARTY: force a legal gate shut.")
    ] = None,
    open_: Annotated[
        list[str] | None, typer.Option("--open", help="SCENARIO:PARTY: force a legal gate open.")
    ] = None,
    levers: Annotated[
        bool, typer.Option("--levers", help="Also the essay's levers as counterfactuals.")
    ] = False,
    list_: Annotated[
        bool,
        typer.Option("--assumptions", help="Only list every default and indicator; run nothing."),
    ] = False,
    report: Annotated[
        Path | None, typer.Option("--report", help="Also write the HTML dashboard here.")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Is the alliance credible? Capability × willingness for a portfolio of scenarios.

    Capability is each scenario's objective measure, run with the forces of every party
    whose legal gate is open on the date; willingness is drawn from stated, labelled
    ranges; the adversary's deterrence margin weighs both. Every figure holds only if
    the listed assumptions hold.
    """
    from anpo.studies import credibility as cred

    with user_errors(as_json):
        day = _date(date, "--date")
        overrides = parse_overrides(set_, day)
        if list_:
            params = {**cred.assumptions(day), **overrides}
            rows = cred.indicators(day)
            if as_json:
                emit(
                    {
                        "ok": True,
                        "command": "credibility",
                        "date": str(day),
                        "assumptions": [a.as_dict() for a in params.values()],
                        "indicators": rows,
                    }
                )
                return
            print_assumptions(params)
            print_indicators(rows)
            return
        portfolio = parse_portfolio(weight, day)
        gates = parse_gates(close, open_)
        with progress_bar(not as_json, "credibility", "scenarios") as progress:
            result = cred.credibility(
                day, portfolio, trials, seed, draws, gates=gates, overrides=overrides,
                progress=progress,
            )  # fmt: skip
        counter: list[Any] = []
        items: list[dict[str, Any]] = []
        if levers or report is not None:
            with progress_bar(not as_json, "levers", "levers") as progress:
                counter, items = cred.counterfactuals(day, trials=trials, seed=seed,
                                                      draws=draws, progress=progress)  # fmt: skip
        path = None
        if report is not None:
            from anpo.report.credibility import write_credibility_report

            path = write_credibility_report(result, counter, items, report)
        if as_json:
            payload: dict[str, Any] = {"ok": True, "command": "credibility", **result.as_dict()}
            if levers or report is not None:
                payload["levers"] = [c.as_dict() for c in counter]
                payload["not_modelled"] = items
            if path is not None:
                payload["report"] = str(path)
            emit(payload)
            return
        print_credibility(result)
        if counter:
            print_levers(counter, items)
        print_assumptions(result.assumptions)
        out.print("Public indicators beside them (facts; anpo never turns them into numbers):")
        print_indicators(result.indicators)
        if path is not None:
            out.print(f"dashboard: {escape(str(path))}")


def print_levers(counter: list[Any], items: list[dict[str, Any]]) -> None:
    grid = Table("lever (counterfactual)", "on", "capability", "effect", "credibility effect")
    for c in counter:
        if c.refused:
            grid.add_row(escape(c.lever.title), escape(c.lever.scenario), "not resolved",
                         escape(c.refused[:80]), "")  # fmt: skip
            continue
        grid.add_row(
            escape(c.lever.title),
            escape(f"{c.base.form} ({c.base.objective.title})"),
            f"{_pct(c.base.capability)} → {_pct(c.variant.capability)}",
            f"{100 * c.capability_effect:+.1f} ± {100 * c.capability_effect_ci95:.1f} pts",
            f"{100 * c.credibility_effect:+.1f} pts",
        )
    for i in items:
        grid.add_row(escape(i["title"]), "no model", escape(i["law"][:80]), "not modelled", "")
    out.print(grid)


def then_and_now_credibility_cmd(
    scenario: str | None, then: str, trials: int, seed: int, as_json: bool
) -> None:
    """``anpo then-and-now --credibility``: the portfolio (or one scenario) in 2010 and today."""
    from anpo import kb
    from anpo.studies import credibility as cred

    if trials == defaults.TRIALS:  # then-and-now's own default: far more than needed here
        trials = THEN_AND_NOW_TRIALS
    with user_errors(as_json):
        day = _date(then, "--then")
        portfolio = [cred.Entry(scenario, 1.0)] if scenario else None
        with progress_bar(not as_json, "then and now: credibility", "steps") as progress:
            result = cred.then_and_now_credibility(
                portfolio, then=day, now=kb.KB_AS_OF, trials=trials, seed=seed,
                progress=progress,
            )  # fmt: skip
        if as_json:
            emit({"ok": True, "command": "then-and-now", "credibility": True, **result.as_dict()})
            return
        out.print("[bold]Relic or cornerstone?[/bold] The essay's test on its date and today.")
        print_credibility(result.then, "Then")
        print_credibility(result.now, "Now")
        grid = Table("scenario (form)", "then", "now", "change", "threat", "forces", "law")
        for r in result.attribution:
            if "refused" in r:
                grid.add_row(escape(f"{r['scenario']} ({r['form']})"), "no attribution",
                             escape(str(r["refused"])[:90]), "", "", "", "")  # fmt: skip
                continue
            grid.add_row(
                escape(f"{r['scenario']} ({r['form']})"),
                _pct(r["then"]),
                _pct(r["now"]),
                f"{100 * r['change']:+.1f} ± {100 * r['change_ci95']:.1f}",
                *(f"{100 * r[f]:+.1f} ± {100 * r[f + '_ci95']:.1f}" for f in kb.FACTORS),
            )
        out.print("Capability change of the same scenario then and now, in points, split into ")
        out.print("threat, forces and law (Shapley shares, paired 95% intervals):")
        out.print(grid)
        o1, o2 = result.then.overall, result.now.overall
        if "credibility" in o1 and "credibility" in o2:
            out.print(
                f"Overall credibility {_pct(o1['credibility'])}{_ci(o1['credibility_ci95'])} "
                f"then, {_pct(o2['credibility'])}{_ci(o2['credibility_ci95'])} now, "
                f"[italic]{cred.IF}[/italic]."
            )


__all__ = ["credibility_cmd", "then_and_now_credibility_cmd"]
