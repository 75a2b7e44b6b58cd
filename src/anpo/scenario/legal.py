"""The law in force on the scenario's date, applied to a missile-defence scenario.

Resolution asks the legal-authority engine (:mod:`anpo.law`) three things and
writes every answer, with its citations, into the assumption ledger:

1. **May Japanese units engage?** Each defended asset puts an attack on it into a
   legal situation (an armed attack on Japan, an attack on U.S. forces in Japan, a
   missile over Japan bound for Guam or Hawaii ...). For each, the engine says
   whether Japan may take the matching action on the date. Where the answer is
   ``prohibited`` or ``no_basis``, Japanese ships and fire units get no engagement
   window against the threats aimed there (unless the scenario overrides the law,
   which is flagged). ``conditional`` is read as the conditions being met, and
   the conditions are recorded. U.S. units act under U.S. authority and are not
   limited here.
2. **Which allied sensor data cue the upper tier?** Only arrangements in force on
   the date (:func:`anpo.law.sharing_in_force`) shorten the upper tier's
   detection-to-decision delay, each by the ``sensor_cueing`` record the
   knowledge base holds for it (analyst assumptions).
3. **Where are the forces?** The realignment in force (Futenma's replacement,
   Marines on Guam), for the ledger.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from anpo import kb, law
from anpo.errors import KnowledgeBaseError
from anpo.kb import places as kb_places
from anpo.kb.law import SITUATIONS, load_law
from anpo.models.distributions import Dist
from anpo.scenario.common import LedgerBuilder

ACTION_FOR: dict[str, str] = {
    "armed_attack_on_japan": "use_force_defence_of_japan",
    "attack_on_us_forces_in_japan": "use_force_defence_of_japan",
    "attack_on_us_ships_defending_japan": "defend_us_ships",
    "missile_over_japan_to_guam_or_hawaii": "intercept_missile_aimed_elsewhere",
    "attack_on_ally_threatening_survival": "intercept_missile_aimed_elsewhere",
}
"""The action a Japanese interceptor takes when it engages a threat in each situation."""

ALLOWED = ("permitted", "conditional")
PARTNERS = ("us", "rok", "australia")


def situations(assets: Sequence[Any], day: dt.date, b: LedgerBuilder) -> list[str]:
    """The legal situation an attack on each asset creates.

    Given in the scenario, or read from the asset's place: Japanese territory is an
    armed attack on Japan (on U.S. forces in Japan where a U.S. service operates the
    place); U.S. territory outside Japan (Guam) is a missile over Japan bound for
    Guam or Hawaii; an asset with no place is taken to be in Japan.
    """
    out = []
    for i, asset in enumerate(assets):
        if asset.situation is not None:
            if asset.situation not in SITUATIONS:
                b.problem(
                    f"assets[{i}].situation",
                    asset.situation,
                    "not a legal situation; known: " + ", ".join(SITUATIONS),
                )
            out.append(asset.situation)
            continue
        situation, why = "armed_attack_on_japan", "no place given: taken to be in Japan"
        if asset.place is not None:
            try:
                data = kb_places.place(asset.place, day).data
            except KnowledgeBaseError:
                data = {}
            operator = str(data.get("operator", ""))
            if data.get("country") == "JP":
                if operator.startswith("U.S."):
                    situation, why = "attack_on_us_forces_in_japan", f"{operator} in Japan"
                else:
                    situation, why = "armed_attack_on_japan", "Japanese territory"
            elif data.get("country"):
                situation = "missile_over_japan_to_guam_or_hawaii"
                why = f"territory of {data.get('country')} outside Japan"
        b.assume(f"law.situation.{asset.name}", situation, "", why, source="anpo default")
        out.append(situation)
    return out


def japanese_may_engage(
    day: dt.date,
    asset_names: Sequence[str],
    asset_situations: Sequence[str],
    override: bool,
    b: LedgerBuilder,
) -> list[bool]:
    """Per asset: may Japanese units engage threats aimed at it on ``day``?

    On the law's date where a then-and-now study sets one (:func:`anpo.kb.factor_dates`).
    """
    day = kb.factor_day("law", day)
    out = []
    for name, situation in zip(asset_names, asset_situations, strict=True):
        action = ACTION_FOR.get(situation, "use_force_defence_of_japan")
        answer = law.may_engage(day, "japan", action, situation)
        allowed = answer.status in ALLOWED
        note = "; ".join(answer.citations) or "no provision gives Japan this authority"
        if answer.condition:
            note = f"on condition that {answer.condition} (assumed met). {note}"
        b.cited(
            f"law.japan.{name}",
            f"{action}: {answer.status}",
            note,
            source="; ".join(answer.citations) or "anpo.law",
            as_of=str(day),
            url=law_url(answer.citations),
        )
        if not allowed and override:
            b.assume(
                f"law.override.{name}",
                "Japanese units engage anyway",
                "",
                "LEGAL OVERRIDE: the scenario lets Japanese units engage where the law in "
                f"force on {day} does not permit it ({answer.status})",
                override=True,
            )
            allowed = True
        out.append(allowed)
    return out


def cued_delay(
    own: Dist, spec: Any, day: dt.date, base: kb.KnowledgeBase, b: LedgerBuilder
) -> Dist:
    """The upper tier's delay: own sensors, less the cueing of arrangements in force.

    delay = own − Σ reduction(arrangement), over the arrangements by which a partner
    passes sensor data to Japan on ``day`` (or as the scenario overrides), each
    reduction taken at its nominal value (the spread of the own-sensor delay stands
    for the uncertainty of both); every value is floored at 5 s.
    """
    cueing = {
        r.data["arrangement"]: r for r in base.at(day, "sensor_cueing") if r.data["tier"] == "upper"
    }
    used: dict[str, kb.Record] = {}
    for partner in PARTNERS:
        in_force = [
            a
            for a in law.sharing_in_force(kb.factor_day("law", day), partner, "japan")
            if a in cueing
        ]
        forced = getattr(spec, partner)
        if forced is None:
            chosen = in_force
        elif forced:
            # the arrangements this partner has by the knowledge base's as-of date
            latest = law.sharing_in_force(kb.KB_AS_OF, partner, "japan")
            chosen = [a for a in latest if a in cueing]
            if not in_force:
                b.assume(
                    f"sharing.{partner}",
                    "used",
                    "",
                    f"sensor data from {partner} used though no arrangement is in force on {day}",
                    override=True,
                )
        else:
            chosen = []
            if in_force:
                b.assume(
                    f"sharing.{partner}",
                    "not used",
                    "",
                    f"sensor data from {partner} left out though {', '.join(in_force)} is in force",
                    override=True,
                )
        for arrangement in chosen:
            used.setdefault(arrangement, cueing[arrangement])
    total = 0.0
    for arrangement, record in used.items():
        reduction = record.range("reduction_s")
        total += reduction.nominal
        b.fact(
            f"sharing.{arrangement}",
            f"-{reduction.nominal:g} s (range {reduction.low:g}-{reduction.high:g})",
            "s",
            record,
            base,
        )
    if not used:
        b.assume(
            "sharing",
            "none",
            "",
            f"no allied sensor data cue the upper tier on {day}",
            source="anpo.law",
        )
    if own.family == "fixed":
        return Dist.fixed(max(MIN_DELAY_S, own.params[0] - total))
    low, mode, high = (
        own.params[:3]
        if own.family == "triangular"
        else (*own.support[:1], own.mean(), own.support[1])
    )
    low, mode, high = (max(MIN_DELAY_S, x - total) for x in (low, mode, high))
    if high <= low:
        return Dist.fixed(low)
    return Dist("triangular", (low, mode, high))


MIN_DELAY_S = 5.0


def law_url(citations: Sequence[str]) -> str | None:
    """The address of the first citation's document, where it has one (the ledger's link)."""
    return load_law().url_of(citations[0]) if citations else None


def basing(day: dt.date, b: LedgerBuilder) -> None:
    """The realignment in force: where Futenma's replacement and the Marines are."""
    day = kb.factor_day("law", day)
    r = law.realignment(day)
    source = "; ".join(r.get("citations", [])) or "anpo.law"
    b.cited(
        "basing.futenma_replacement",
        f"{r.get('futenma_replacement_site')}: "
        + ("open" if r.get("futenma_replacement_open") else "not open"),
        f"realignment plan in force: {r.get('plan_title')}",
        source=source,
        as_of=str(day),
        url=law_url(r.get("citations", [])),
    )
    b.cited(
        "basing.marines_on_guam",
        f"{r.get('marines_relocated_to_guam')} of {r.get('marines_to_guam_planned')} "
        "Marines planned",
        f"realignment plan in force: {r.get('plan_title')}",
        source=source,
        as_of=str(day),
        url=law_url(r.get("citations", [])),
    )
