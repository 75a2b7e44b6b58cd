"""The legal-authority engine: who may do what, on a date, and which provisions decide it.

Every answer is computed from the rules that the law records carry
(:class:`anpo.kb.law.Rule`); no date appears in this module. For one party x action x
situation on a day ``d``:

1. Collect the rules in effect on ``d`` (instrument in force, rule window open) that
   cover the cell. A rule *takes effect* on ``max(in_force, starts)``.
2. **Constitutional layer** (effects ``prohibit``, ``allow``, ``allow_if``; the
   Constitution and the government's interpretations of it): the rule that took effect
   last decides (a later interpretation replaces an earlier one); on a tie the more
   restrictive wins (``prohibit`` > ``allow_if`` > ``allow``).
3. **Authority layer** (effects ``grant``, ``condition``, ``withdraw``; statutes,
   treaties, arrangements): likewise the rule that took effect last decides, ties going
   to the more restrictive (``withdraw`` > ``condition`` > ``grant``). Earlier grants in
   effect that agree with a deciding grant are cited as concurring.
4. Combine: a constitutional ``prohibit`` beats any grant (``prohibited``); with no
   authority, or one withdrawn, the answer is ``no_basis``; otherwise ``permitted``, or
   ``conditional`` when the deciding authority or the constitutional limit
   (``allow_if``) attaches a condition (the conditions are joined with "; and ").

Sources: the precedence restates how the Japanese government has described its own
system (Defense of Japan 2015, Part II, Ch. 1; Defense of Japan 2016, Part II, Ch. 3):
the Cabinet's interpretation of Article 9 bounds what the SDF Law and special measures
laws may authorise, and a later law or interpretation replaces an earlier one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from anpo.errors import KnowledgeBaseError, UsageError
from anpo.kb import KB_AS_OF
from anpo.kb.law import (
    ACTIONS,
    LAW_COVERS_FROM,
    PARTIES,
    SHARE_ACTIONS,
    SITUATION_ALIASES,
    SITUATIONS,
    Instrument,
    LawBase,
    Rule,
    load_law,
)

Status = Literal["permitted", "prohibited", "conditional", "no_basis"]

_LIMIT_RANK = {"prohibit": 0, "allow_if": 1, "allow": 2}
_AUTH_RANK = {"withdraw": 0, "condition": 1, "grant": 2}


@dataclass(frozen=True)
class Answer:
    """Whether ``party`` may take ``action`` in ``situation``, and the provisions that decide it."""

    situation: str
    action: str
    party: str
    status: Status
    condition: str | None = None
    citations: list[str] = field(default_factory=list)
    records: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "situation": self.situation,
            "action": self.action,
            "party": self.party,
            "status": self.status,
            "condition": self.condition,
            "citations": list(self.citations),
            "records": list(self.records),
        }


@dataclass(frozen=True)
class Change:
    """How one answer differs between two dates, and the records that caused it."""

    situation: str
    action: str
    party: str
    before: Answer
    after: Answer
    records: list[str]
    reason: str

    @property
    def status_changed(self) -> bool:
        return self.before.status != self.after.status

    def as_dict(self) -> dict[str, Any]:
        return {
            "situation": self.situation,
            "action": self.action,
            "party": self.party,
            "before": self.before.status,
            "after": self.after.status,
            "status_changed": self.status_changed,
            "condition_before": self.before.condition,
            "condition_after": self.after.condition,
            "records": list(self.records),
            "citations_after": list(self.after.citations),
            "reason": self.reason,
        }


def parse_date(value: dt.date | str) -> dt.date:
    """A date from ``YYYY-MM-DD``, ``today`` (the kb's as-of date) or a :class:`datetime.date`."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if text == "today":
        return KB_AS_OF
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"date {text!r} is not a date: use YYYY-MM-DD or 'today'") from None


def check_law_date(day: dt.date) -> None:
    """Raise a clear error for a date the law records cannot answer for."""
    if day < LAW_COVERS_FROM:
        raise KnowledgeBaseError(
            f"date {day} is before the law records' coverage, which starts on {LAW_COVERS_FROM}"
            " (the Constitution of Japan in force)"
        )
    if day > KB_AS_OF:
        raise KnowledgeBaseError(
            f"date {day} is after the knowledge base's as-of date {KB_AS_OF}; "
            "use 'today' for the latest the sources describe"
        )


def _choice(kind: str, value: str | None, allowed: Sequence[str]) -> str | None:
    if value is None:
        return None
    value = SITUATION_ALIASES.get(value, value) if kind == "situation" else value
    if value not in allowed:
        raise UsageError(f"unknown {kind} {value!r}; allowed: {', '.join(allowed)}")
    return value


@dataclass(frozen=True)
class _Hit:
    inst: Instrument
    rule: Rule

    @property
    def start(self) -> dt.date:
        return self.inst.rule_start(self.rule)

    @property
    def citation(self) -> str:
        return self.inst.cite(self.rule)


def _decider(hits: list[_Hit], rank: dict[str, int]) -> _Hit | None:
    """The rule that took effect last; on a tie the most restrictive, then file order."""
    if not hits:
        return None
    return max(hits, key=lambda h: (h.start, -rank[h.rule.effect]))


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


class LawEngine:
    """Answers questions of legal authority from a :class:`~anpo.kb.law.LawBase`."""

    def __init__(self, base: LawBase | None = None) -> None:
        self.base = base if base is not None else load_law()

    # ----------------------------------------------------------------- one cell
    def _hits(self, day: dt.date, party: str, action: str, situation: str) -> list[_Hit]:
        return [
            _Hit(inst, rule)
            for inst in self.base.instruments
            for rule in inst.rules
            if rule.covers(party, action, situation) and inst.rule_holds_on(rule, day)
        ]

    def decide(self, day: dt.date, party: str, action: str, situation: str) -> Answer:
        """The answer for one party x action x situation on ``day`` (arguments checked)."""
        hits = self._hits(day, party, action, situation)
        limit = _decider([h for h in hits if h.rule.layer == "limit"], _LIMIT_RANK)
        auths = [h for h in hits if h.rule.layer == "authority"]
        auth = _decider(auths, _AUTH_RANK)
        cell = {"situation": situation, "action": action, "party": party}
        if limit is not None and limit.rule.effect == "prohibit":
            return Answer(
                **cell,
                status="prohibited",
                citations=[limit.citation],
                records=[limit.inst.id],
            )
        deciding: list[_Hit] = []
        if auth is None or auth.rule.effect == "withdraw":
            deciding = [h for h in (auth, limit) if h is not None]
            return Answer(
                **cell,
                status="no_basis",
                citations=_unique(h.citation for h in deciding),
                records=_unique(h.inst.id for h in deciding),
            )
        deciding = [auth]
        if auth.rule.effect == "grant":
            deciding += sorted(
                (h for h in auths if h is not auth and h.rule.effect == "grant"),
                key=lambda h: h.start,
                reverse=True,
            )
        conditions = [auth.rule.condition] if auth.rule.condition else []
        if limit is not None:
            deciding.append(limit)
            if limit.rule.condition:
                conditions.append(limit.rule.condition)
        return Answer(
            **cell,
            status="conditional" if conditions else "permitted",
            condition="; and ".join(" ".join(c.split()) for c in conditions) or None,
            citations=_unique(h.citation for h in deciding),
            records=_unique(h.inst.id for h in deciding),
        )

    # -------------------------------------------------------------- public API
    def authority(
        self,
        date: dt.date | str,
        situation: str | None = None,
        party: str | None = None,
        action: str | None = None,
    ) -> list[Answer]:
        """Every answer on ``date``, optionally for one situation, party or action.

        Ordered situation, then action, then party, as in :data:`anpo.kb.law.SITUATIONS`,
        :data:`~anpo.kb.law.ACTIONS` and :data:`~anpo.kb.law.PARTIES`.
        """
        day = parse_date(date)
        check_law_date(day)
        s = _choice("situation", situation, SITUATIONS)
        a = _choice("action", action, ACTIONS)
        p = _choice("party", party, PARTIES)
        return [
            self.decide(day, pp, aa, ss)
            for ss in ([s] if s else SITUATIONS)
            for aa in ([a] if a else ACTIONS)
            for pp in ([p] if p else PARTIES)
        ]

    def may_engage(self, date: dt.date | str, party: str, action: str, situation: str) -> Answer:
        """The one answer the scenario layer needs: may ``party`` take ``action`` there."""
        return self.authority(date, situation=situation, party=party, action=action)[0]

    def diff(self, d1: dt.date | str, d2: dt.date | str) -> list[Change]:
        """Answers that differ between ``d1`` and ``d2`` (status, condition or deciding records)."""
        first, second = parse_date(d1), parse_date(d2)
        changes: list[Change] = []
        for before, after in zip(self.authority(first), self.authority(second), strict=True):
            same = (before.status, before.condition, before.records) == (
                after.status,
                after.condition,
                after.records,
            )
            if same:
                continue
            added = [r for r in after.records if r not in before.records]
            removed = [r for r in before.records if r not in after.records]
            changes.append(
                Change(
                    situation=after.situation,
                    action=after.action,
                    party=after.party,
                    before=before,
                    after=after,
                    records=_unique([*added, *removed]),
                    reason=self._reason(before, after, added, removed, second),
                )
            )
        return changes

    def _reason(
        self,
        before: Answer,
        after: Answer,
        added: list[str],
        removed: list[str],
        day: dt.date,
    ) -> str:
        parts = []
        for rid in added:
            inst = self.base.get(rid)
            parts.append(f"{inst.short} in force from {inst.in_force}")
        for rid in removed:
            inst = self.base.get(rid)
            if inst.holds_on(day):
                parts.append(f"{inst.short} no longer decides (overridden by a later record)")
            else:
                parts.append(f"{inst.short} ended {inst.ended}")
        head = f"{before.status} -> {after.status}"
        return f"{head}: " + "; ".join(parts) if parts else f"{head}: condition changed"

    def sharing_in_force(self, date: dt.date | str, party_from: str, party_to: str) -> list[str]:
        """Ids of the records that let ``party_from`` pass sensor data to ``party_to`` on ``date``.

        These are the authority records (GSOMIAs, forward radars, trilateral links) behind a
        ``permitted`` or ``conditional`` answer for ``share_sensor_data_<party_to>`` in any
        situation; oldest first.
        """
        p_from = _choice("party", party_from, PARTIES)
        p_to = _choice("party", party_to, PARTIES)
        if p_from is None or p_to is None or p_from == p_to:
            raise UsageError("sharing needs two different parties")
        found: set[str] = set()
        for answer in self.authority(date, party=p_from, action=SHARE_ACTIONS[p_to]):
            if answer.status in ("permitted", "conditional"):
                found.update(r for r in answer.records if self._is_authority(r))
        return sorted(found, key=lambda r: (self.base.get(r).in_force, r))

    def _is_authority(self, record_id: str) -> bool:
        return any(r.layer == "authority" for r in self.base.get(record_id).rules)

    def realignment(self, date: dt.date | str) -> dict[str, Any]:
        """Futenma's replacement and the Marines' move to Guam as of ``date``, with citations.

        The plan is the latest record in force with ``data.realignment``; relocations
        are the sum of ``marines_relocated_to_guam`` over events up to ``date``; the
        replacement is open once an event with ``frf_opened: true`` has occurred.
        """
        day = parse_date(date)
        check_law_date(day)
        plans = [i for i in self.base.in_force(day) if "realignment" in i.data]
        plan = max(plans, key=lambda i: i.in_force) if plans else None
        past = [e for e in self.base.events if e.date <= day]
        moves = [e for e in past if "marines_relocated_to_guam" in e.data]
        opened = [e for e in past if e.data.get("frf_opened")]
        relocated = sum(int(e.data["marines_relocated_to_guam"]) for e in moves)
        data = plan.data["realignment"] if plan else {}
        citations = [self.base.cite_source(s) for s in plan.sources] if plan else []
        for ev in [*moves, *opened]:
            citations += [self.base.cite_source(s) for s in ev.sources]
        return {
            "date": day.isoformat(),
            "plan": plan.id if plan else None,
            "plan_title": plan.short if plan else None,
            "futenma_replacement_site": data.get("futenma_replacement_site"),
            "futenma_replacement_target_year": data.get("target_year"),
            "futenma_replacement_open": bool(opened),
            "marines_to_guam_planned": data.get("marines_to_guam_planned", 0),
            "marines_relocated_to_guam": relocated,
            "records": _unique([*([plan.id] if plan else []), *(e.id for e in moves + opened)]),
            "citations": _unique(citations),
        }


_default: LawEngine | None = None


def _engine() -> LawEngine:
    global _default
    if _default is None:
        _default = LawEngine()
    return _default


def authority(
    date: dt.date | str,
    situation: str | None = None,
    party: str | None = None,
    action: str | None = None,
) -> list[Answer]:
    """:meth:`LawEngine.authority` on the shipped law records."""
    return _engine().authority(date, situation=situation, party=party, action=action)


def diff(d1: dt.date | str, d2: dt.date | str) -> list[Change]:
    """:meth:`LawEngine.diff` on the shipped law records."""
    return _engine().diff(d1, d2)


def may_engage(date: dt.date | str, party: str, action: str, situation: str) -> Answer:
    """:meth:`LawEngine.may_engage` on the shipped law records."""
    return _engine().may_engage(date, party, action, situation)


def sharing_in_force(date: dt.date | str, party_from: str, party_to: str) -> list[str]:
    """:meth:`LawEngine.sharing_in_force` on the shipped law records."""
    return _engine().sharing_in_force(date, party_from, party_to)


def realignment(date: dt.date | str) -> dict[str, Any]:
    """:meth:`LawEngine.realignment` on the shipped law records."""
    return _engine().realignment(date)
