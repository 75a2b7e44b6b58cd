"""A raid of ballistic missiles against a layered, magazine-limited defence.

The model follows the reasoning of D. A. Wilkening, "A Simple Model for
Calculating Ballistic Missile Defense Effectiveness", *Science & Global
Security* 8(2), 1999, pp. 183–215, and makes it a Monte Carlo engagement model
with finite, shared magazines.

Per engagement a shooter fires a salvo of n interceptors; each working
interceptor kills independently with probability SSPK, and each works with
probability r. A threat survives one engagement with probability

    q = (1 − r·SSPK)^n,

survives a salvo doctrine in tiers 1..m with probability ∏ q_i, and survives
shoot-look-shoot with k looks of n shots with probability (1 − r·SSPK)^(n·k),
while spending on average n·Σ_{j<k} q^j interceptors instead of n·k
(Wilkening, Sections 2–3). The probability that none of N threats leaks is
(1 − q)^N when SSPK is known.

Two levels of uncertainty (Wilkening stresses the first)
-------------------------------------------------------
1. *System parameters* — SSPK and reliability of each interceptor type, the
   sensor-to-decision delay of each tier, and the probability of recognising a
   decoy — are drawn **once per trial** and shared by all its shots. Shots are
   therefore correlated through them: averaging over trials,
   P(no leaker) = E_p[(1 − (1 − p)^n)^N], not (1 − (1 − E p)^n)^N.
2. *Shot outcomes* are drawn per shot on a fixed layout (threat × tier × shot
   slot), whether or not the shot is fired (see :func:`draw`).

Allocation (doctrine)
---------------------
Threats are taken in engagement order (time, then listing order; asset priority
first when asked). For each threat, the upper tier engages first, then the lower
tier engages survivors. In a tier, each engagement k = 0, 1, ... goes to the
shooter, among those whose window leaves room for k + 1 engagements after the
trial's sensor delay and that have a full salvo left (or any interceptor, with
partial salvos), that has the most interceptors left (ties: the first listed).
All engagements of one threat are committed before the next threat is taken.

The per-trial reference implementation is :mod:`.reference`; the two agree
exactly on the same generator.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import NDArray

from anpo.models.base import Outcomes
from anpo.models.missile_defense.impacts import impacts
from anpo.models.missile_defense.inputs import (
    DECOY_ENGAGED,
    DECOY_IGNORED,
    DECOY_UNENGAGED,
    FAILED,
    KILLED_LOWER,
    KILLED_UPPER,
    LEAK_DECOY_EXHAUSTED,
    LEAK_MAGAZINE_EMPTY,
    LEAK_MISSED,
    LEAK_NO_SHOOTER,
    LEAK_SATURATED,
    LOWER,
    UPPER,
    Draws,
    Inputs,
    draw,
    effective_sspk,
    latest_delays,
    readiness_outcomes,
)


def simulate(inputs: Inputs, rng: np.random.Generator, n_trials: int) -> Outcomes:
    """Run ``n_trials`` trials of the raid, vectorized over trials.

    Parameters
    ----------
    inputs
        The resolved raid, posture and doctrine.
    rng
        A generator made from a ``SeedSequence`` (the engine gives one per chunk).
    n_trials
        Number of trials.

    Returns
    -------
    dict
        One array per name in :data:`OUTCOMES`, trial axis first.
    """
    d = draw(inputs, rng, n_trials)
    outcomes = resolve(inputs, d)
    if d.magazine is not None:
        outcomes["magazine"] = d.magazine
    outcomes.update(readiness_outcomes(d))
    if inputs.has_geography:
        outcomes.update(impacts(inputs, outcomes["threat_fate"], rng))
    return outcomes


def resolve(inputs: Inputs, d: Draws) -> Outcomes:
    """The engagement logic on given draws (vectorized over the trial axis).

    Each tier's state is a (shooters in tier, trials) array of *keys*

        key = magazine · 2^b + (2^b − 1 − row),

    row being the shooter's place in the tier (listing order) and b the fewest bits
    that keep 2^b − 1 − row ≥ 1, so that "the capable shooter with the most
    interceptors left, ties to the first listed" is the column-wise maximum of the
    keys of the shooters in time, and the chosen shooter and its magazine are read
    back from that maximum (a shooter with interceptors has a key of at least 2^b;
    if even the largest key lacks a salvo, no shooter has one). Keys are unique
    within a trial and at least 1, so the chosen shooter is the one whose key equals
    the maximum, and a trial without a candidate has maximum 0. Keys are 8-bit
    where the largest fits (small magazines, as in the shipped scenarios), so that
    booleans multiply them as 0/1 bytes without conversion; 16-bit otherwise.

    Which shooters are in time for engagement k of a threat is known before any
    array work (see :class:`_Tier`): windows that no trial's delay meets are
    dropped, a window every trial meets costs nothing, and shooters that share a
    window and an interceptor type form one block of rows (:class:`_Look`). Every
    step on trials is plain arithmetic on arrays: NumPy's masked and ``where``
    kernels are several times slower than arithmetic on booleans.

    Warheads leaked per asset, leakers per reason and interceptors fired at decoys
    are tallied threat by threat; the magazines left give the interceptors
    expended (:func:`_assemble`). The only Python loops run over threats, tiers,
    engagements, blocks and salvo shots, never over trials.
    """
    n = d.discrimination.shape[0]
    p_eff = effective_sspk(d)  # (n, I) float32
    p_type = [np.ascontiguousarray(p_eff[:, i]) for i in range(inputs.n_interceptor_types)]
    tiers = [_Tier.start(inputs, d, tier) for tier in (UPPER, LOWER)]
    ran_dry_s = np.full((inputs.n_shooters, n), np.nan)  # (shooters, trials)
    clocks = [_Clock.start(inputs, d, g, tier, ran_dry_s) for tier, g in enumerate(tiers)]
    stripped = inputs.threat_stripped.tolist() if inputs.threat_stripped.size else None
    stripped = stripped or [False] * inputs.n_threats
    count = np.uint8 if inputs.n_threats < 2**8 else np.int64  # per-trial tallies
    fate = np.empty((n, inputs.n_threats), dtype=np.int8)
    leaked = np.zeros((inputs.n_assets, n), dtype=count)  # warheads leaked, by asset
    reasons = np.zeros((_LEAK_CODES.shape[0], n), dtype=count)  # leakers, by reason
    on_decoys = np.zeros(n, dtype=np.int16)  # interceptors fired at decoys (< 63 · 500)
    failed = np.zeros((inputs.n_assets, n), dtype=count)  # warheads whose missile failed

    for t in inputs.order().tolist():
        is_decoy = bool(inputs.threat_is_decoy[t])
        arrives = None if d.arrives is None else d.arrives[:, t]  # its missile worked
        if is_decoy:
            alive = d.decoy_u[:, t] >= d.discrimination  # unrecognised decoys draw fire
            if arrives is not None:
                alive &= arrives
            engaged = alive.copy()
        else:
            alive = np.ones(n, dtype=bool) if arrives is None else arrives.copy()
        shot_at = np.zeros(n, dtype=bool)
        killed_upper: Any = None
        could: Any = False  # some shooter had a window for this threat
        drained: Any = False  # a shooter that could engage it fired at decoys
        saturated: Any = False  # a shooter in time with a salvo left was busy

        for tier in (UPPER, LOWER):
            if tier == LOWER:
                killed_upper = ~alive  # warheads start alive; the upper tier has fired
                if stripped[t]:
                    break  # a light decoy burns up in re-entry before the terminal tier
            g = tiers[tier]
            clock = clocks[tier]
            if clock is not None:
                alive, flags = clock.engage(t, alive, is_decoy, p_type, shot_at, on_decoys)
                could = _either(could, flags[0])
                drained = _either(drained, flags[1])
                saturated = _either(saturated, flags[2])
                continue
            salvo = int(inputs.salvo_size[tier])
            need = 1 if inputs.partial_salvos else salvo
            delay = d.sensor_delay_s[:, tier]
            for k in range(g.n_looks):
                look = g.look(k, t)
                if look is None:  # no shooter in time for this engagement or later ones
                    break
                if k == 0:
                    could = _either(could, look.could)
                    if not is_decoy and g.decoy_bits is not None:
                        for cap, bits in look.windows:
                            drained = _either(drained, g.drained(bits, cap))
                best, chose = g.best(look, alive)
                fire = best >= (need << g.shift)
                if not fire.any():
                    continue
                if inputs.partial_salvos:
                    # (np.minimum is several times faster against an array than a scalar)
                    most = np.full_like(best, min(salvo, g.most))
                    shots: Any = np.minimum(best >> g.shift, most)  # 0 where no fire
                else:
                    shots = salvo  # in every trial that fires
                g.spend(look, best, fire, shots)
                _mark_dry(inputs, g, t, k, best, fire, shots, need, delay, ran_dry_s)
                slot = d.shot_u[tier][k * salvo : (k + 1) * salvo]
                if inputs.partial_salvos:
                    kill = np.zeros(n, dtype=bool)
                    for j, u in enumerate(slot):
                        kill |= (shots > j) & _hit(u[:, t], chose, p_type)
                else:
                    # a full salvo kills if its best shot does: min_j u_j < p
                    u_min = slot[0][:, t]
                    for u in slot[1:]:
                        u_min = np.minimum(u_min, u[:, t])
                    kill = fire & _hit(u_min, chose, p_type)
                shot_at |= fire
                alive ^= kill  # kills only where alive: best is 0 elsewhere, so no fire
                if is_decoy:
                    on_decoys += fire * np.int16(shots) if isinstance(shots, int) else shots
                    g.mark_decoy_fire(best, fire)

        if is_decoy:
            code = _decoy_fate(engaged, shot_at)
            fate[:, t] = code if arrives is None else np.where(arrives, code, np.int8(FAILED))
            continue
        code = _warhead_fate(alive, killed_upper, shot_at, could, drained)
        if saturated is not False:
            code = np.where(alive & ~shot_at & saturated, np.int8(LEAK_SATURATED), code)
        if arrives is not None:
            code = np.where(arrives, code, np.int8(FAILED))
            failed[int(inputs.threat_asset[t])] += _as_count(~arrives, count)
        fate[:, t] = code
        leaked[int(inputs.threat_asset[t])] += _as_count(alive, count)
        reasons += _as_count(code == _LEAK_CODES, count)

    out = _assemble(inputs, d, tiers, fate, leaked, reasons, on_decoys, failed)
    return out | _dry_outcomes(ran_dry_s)


def _mark_dry(
    inputs: Inputs,
    g: _Tier,
    t: int,
    k: int,
    best: Any,
    fire: Any,
    shots: Any,
    need: int,
    delay: NDArray[np.float64],
    ran_dry_s: NDArray[np.float64],
) -> None:
    """Record when the shooter that fired engagement k on threat t ran dry, in the trials
    where that engagement left it less than a salvo (``need`` rounds): left = best // 2^b
    − shots < need. The time is its decision, open + delay + k·engage (a tier without a
    clock never waits for a channel), the reference's float operations."""
    if isinstance(shots, int):
        dry = fire & (best < ((need + shots) << g.shift))
    else:
        dry = fire & ((best >> g.shift) - shots < need)
    idx = np.flatnonzero(dry)
    if idx.size == 0:
        return
    low_bits = (1 << g.shift) - 1
    rows = (low_bits - (best[idx] & low_bits)).astype(np.int64)
    s = np.asarray(g.shooters, dtype=np.int64)[rows]
    ran_dry_s[s, idx] = inputs.window_open_s[s, t] + delay[idx] + k * inputs.engage_time_s[s, t]


def _dry_outcomes(ran_dry_s: NDArray[np.float64]) -> Outcomes:
    """``ran_dry_s`` (trials, shooters), whether each ran dry and how many did."""
    times = np.ascontiguousarray(ran_dry_s.T)
    dry = np.isfinite(times)
    return {
        "ran_dry": dry.astype(np.int64),
        "ran_dry_s": times,
        "shooters_dry": dry.sum(axis=1).astype(np.int64),
    }


class _Block(NamedTuple):
    """Rows of one tier that share an engagement window and an interceptor type.

    ``rows`` selects them in the tier's key array (a slice when they are adjacent),
    ``cap`` is their "in time" flag (True or a boolean array over trials) and
    ``kind`` their interceptor type.
    """

    rows: slice | list[int]
    cap: Any
    kind: int


class _Look(NamedTuple):
    """The shooters of a tier in time for one engagement on one threat.

    ``blocks`` group them by window and type; ``span`` is the slice of rows that
    holds them all; ``one_cap`` says that all blocks share one window ``cap``;
    ``kinds`` lists their interceptor types. For the first engagement,
    ``windows`` lists each distinct window with the bits (the keys' low bits) of
    its shooters, and ``could`` is "some shooter is in time" (True or an array).
    """

    blocks: list[_Block]
    span: slice
    one_cap: bool
    cap: Any
    kinds: list[int]
    windows: list[tuple[Any, int]]
    could: Any


# Who fired, by interceptor type: one type (its index) or, with several types among
# the candidates, a list of (mask over trials "the chosen shooter has this type", type).
_Chosen = int | list[tuple[NDArray[np.bool_], int]]


@dataclass
class _Tier:
    """The state of one tier's shooters, shooter-major: (shooters in tier, trials).

    ``caps`` holds each distinct "in time" flag of the tier's shooters (True, False
    or a boolean array over trials) and ``codes[k][t]`` the index in ``caps`` of
    each shooter's flag for engagement k on threat t; ``looks`` keeps the
    :class:`_Look` built for each distinct tuple of codes (threats mostly share
    them). ``decoy_bits`` holds, per trial, the bit 2^b − 1 − row (the key's low
    bits) of each shooter of the tier that has fired at a decoy, in an unsigned
    integer of 2^b bits (at least 8); None until one has.
    """

    shooters: list[int]
    kind: list[int]
    bit: list[int]
    shift: int  # b: the key is magazine · 2^b + (2^b − 1 − row)
    most: int  # the largest magazine in the tier
    key: NDArray[Any]  # uint8 or int16
    magazine: NDArray[np.int16]  # at the start: (shooters,) or, drawn, (shooters, n)
    caps: list[Any]
    codes: list[list[tuple[int, ...]]]
    looks: dict[tuple[int, ...], _Look | None] = field(default_factory=dict)
    decoy_bits: NDArray[np.unsignedinteger[Any]] | None = None
    drained_memo: dict[tuple[int, int], Any] = field(default_factory=dict)

    @classmethod
    def start(cls, inputs: Inputs, d: Draws, tier: int) -> _Tier:
        """Full magazines, key = magazine · 2^b + (2^b − 1 − row) in every trial, and
        the "in time" flags of every shooter, engagement and threat.

        Shooter s is in time for engagement k on threat t in the trials whose sensor
        delay is at most ``latest_delay(inputs, s, t, k)`` (:func:`latest_delays` gives them all);
        :class:`_Within` turns each distinct latest delay into one flag.
        """
        n = d.discrimination.shape[0]
        idx = np.flatnonzero(inputs.shooter_tier == tier)
        n_looks = int(inputs.max_engagements[tier]) if idx.size else 0
        magazine = inputs.shooter_magazine[idx]  # the most each can have
        shift = max(idx.size.bit_length(), 1)  # 2^b − 1 − row ≥ 1 for every row
        low = (1 << shift) - 1 - np.arange(idx.size)
        most = int(magazine.max()) if idx.size else 0
        dtype = np.uint8 if (most << shift) + (1 << shift) - 1 <= 255 else np.int16
        if d.magazine is not None:  # drawn per trial: (shooters in tier, n)
            magazine = np.ascontiguousarray(d.magazine[:, idx].T)
            key = ((magazine << shift) + low[:, None]).astype(dtype)
        else:
            key = np.repeat(((magazine << shift) + low).astype(dtype)[:, None], n, axis=1)
        latest = latest_delays(inputs, idx, n_looks)  # (K, T, shooters in tier)
        values, inverse = np.unique(latest, return_inverse=True)
        within = _Within(np.ascontiguousarray(d.sensor_delay_s[:, tier]))
        caps: list[Any] = []
        code_of: dict[int, int] = {}  # id(cap) -> index in caps
        value_code = []
        for v in values.tolist():
            cap = within(v)
            if id(cap) not in code_of:
                code_of[id(cap)] = len(caps)
                caps.append(cap)
            value_code.append(code_of[id(cap)])
        codes = np.array(value_code, dtype=np.int64)[inverse.reshape(latest.shape)]
        return cls(
            shooters=idx.tolist(),
            kind=inputs.shooter_interceptor[idx].tolist(),
            bit=[1 << b for b in low.tolist()],
            shift=shift,
            most=most,
            key=key,
            magazine=magazine.astype(np.int16),
            caps=caps,
            codes=[[tuple(row) for row in per_k] for per_k in codes.tolist()],
        )

    @property
    def n_looks(self) -> int:
        """Engagements per threat (0 for a tier without shooters)."""
        return len(self.codes)

    def flag(self, mask: Any) -> Any:
        """A boolean array as 0/1 of the key's type: a free view for 8-bit keys."""
        return mask.view(np.uint8) if self.key.dtype == np.uint8 else mask

    def look(self, k: int, t: int) -> _Look | None:
        """The shooters in time for engagement k on threat t; None if there are none."""
        codes = self.codes[k][t]
        if codes not in self.looks:
            self.looks[codes] = self._look([self.caps[c] for c in codes])
        return self.looks[codes]

    def _look(self, caps: list[Any]) -> _Look | None:
        """Group the rows in time (cap not False) by window (cap object) and type."""
        groups: dict[tuple[int, int], list[int]] = {}
        windows: dict[int, tuple[Any, int]] = {}
        for r, cap in enumerate(caps):
            if cap is not False:
                groups.setdefault((id(cap), self.kind[r]), []).append(r)
                windows[id(cap)] = (cap, windows.get(id(cap), (cap, 0))[1] | self.bit[r])
        if not groups:
            return None
        blocks = []
        for (_, kind), rows in groups.items():
            lo, hi = rows[0], rows[-1] + 1
            sel: slice | list[int] = slice(lo, hi) if hi - lo == len(rows) else rows
            blocks.append(_Block(sel, caps[rows[0]], kind))
        in_time = [r for rows in groups.values() for r in rows]
        could: Any = False
        for cap, _ in windows.values():
            could = _either(could, cap)
        return _Look(
            blocks=blocks,
            span=slice(min(in_time), max(in_time) + 1),
            one_cap=len(windows) == 1,
            cap=blocks[0].cap,
            kinds=list(dict.fromkeys(b.kind for b in blocks)),
            windows=list(windows.values()),
            could=could,
        )

    def best(self, look: _Look, alive: NDArray[np.bool_]) -> tuple[Any, _Chosen]:
        """The largest key among the candidate shooters of each trial, and its type.

        A shooter is a candidate where its block is in time and the threat is alive:

            best = max over blocks b of (max over rows r of b of key[r]) · cap_b · alive,

        0 where there is none. With one window for all blocks, cap · alive is applied
        once to the maximum. With several types, the maximum of each type is kept
        (masked by its window), and the chosen type is the one whose maximum equals
        ``best`` (keys are unique within a trial).
        """
        by_kind: dict[int, Any] = {}
        for b in look.blocks:
            m = self.key[b.rows].max(axis=0)
            if not look.one_cap and b.cap is not True:
                m *= self.flag(b.cap)
            if b.kind in by_kind:
                np.maximum(by_kind[b.kind], m, out=by_kind[b.kind])
            else:
                by_kind[b.kind] = m
        best = by_kind[look.kinds[0]]
        if len(look.kinds) > 1:
            best = np.maximum(best, by_kind[look.kinds[1]])
            for i in look.kinds[2:]:
                np.maximum(best, by_kind[i], out=best)
        best *= self.flag(look.cap & alive if look.one_cap and look.cap is not True else alive)
        if len(look.kinds) == 1:
            return best, look.kinds[0]
        return best, [(by_kind[i] == best, i) for i in look.kinds]

    def spend(self, look: _Look, best: Any, fire: Any, shots: Any) -> None:
        """Take the shots from the chosen shooter: key −= shots · 2^b where key = best.

        Only the rows of ``look.span`` can hold ``best``. ``shots`` is an array (0
        where no shooter fired) or, for full salvos, the number fired wherever
        ``fire``.
        """
        rows = self.key[look.span]
        if isinstance(shots, int):
            spent = self.flag(fire) * self.key.dtype.type(shots << self.shift)
        else:
            spent = shots << self.shift
        rows -= self.flag(rows == best) * spent

    def mark_decoy_fire(self, best: Any, fire: NDArray[np.bool_]) -> None:
        """Set the chosen shooter's bit, best mod 2^b, where it fired."""
        low = best & ((1 << self.shift) - 1)
        word = np.dtype(f"uint{max(8, 1 << self.shift)}")
        bits = fire.astype(word) << low.astype(word)
        self.decoy_bits = bits if self.decoy_bits is None else self.decoy_bits | bits
        self.drained_memo.clear()

    def drained(self, bits: int, cap: Any) -> Any:
        """Per trial: a shooter among ``bits`` is in time (cap) and has fired at a decoy.

        Kept until the next shot at a decoy, as many threats share a window (caps
        live as long as the tier, so their ids are stable).
        """
        memo = (id(cap), bits)
        if memo not in self.drained_memo:
            assert self.decoy_bits is not None
            hit = (self.decoy_bits & self.decoy_bits.dtype.type(bits)) != 0
            self.drained_memo[memo] = hit if cap is True else hit & cap
        return self.drained_memo[memo]


@dataclass
class _Clock:
    """The timeline of a tier whose shooters can be busy (see :class:`_Tier` for keys).

    A tier gets a clock when one of its shooters has fewer fire-control channels than
    its magazine has engagements (:meth:`Inputs.timed`); its engagements are then
    allocated by :meth:`engage` on (shooters, trials) arrays instead of by blocks of
    shooters that share a window. Per shooter of the tier and trial, ``free[:, r]``
    holds when each channel frees, in increasing order (−∞ idle, +∞ a channel the
    shooter lacks), and ``ready[r] = free[0, r]`` is when it can next start an
    engagement. Engagement k on threat t, nominally decided
    at τ = open + delay + k·engage + lag, starts at max(τ, ready); the shooter is a
    candidate only where ready ≤ close besides its window (delay + lag ≤ latest
    delay, :func:`latest_delays`). ``lag`` is what the threat's earlier engagements
    in the tier waited, so that its later ones wait with them.

    Engagements are committed threat by threat in engagement order (first come,
    first served), and a channel is held from its engagement's start until its kill
    assessment; a later commitment never takes a channel back from an earlier one.
    """

    g: _Tier
    inputs: Inputs
    d: Draws
    tier: int
    delay: NDArray[np.float64]
    low: float  # the smallest delay of the chunk
    latest: NDArray[np.float64]  # (K, T, shooters in tier)
    shooters: NDArray[np.int64]
    kind: NDArray[np.int64]
    timed: NDArray[np.bool_]
    ready: NDArray[np.float64]  # (shooters in tier, n)
    ready_max: NDArray[np.float64]  # (shooters in tier,): no trial's ready is later
    free: NDArray[np.float64]  # (channels, shooters in tier, n)
    decoy_fired: NDArray[np.bool_]  # (shooters in tier, n)
    p: NDArray[np.float32]  # (types, n): r·SSPK
    ran_dry_s: NDArray[np.float64]  # (all shooters, n): when each ran dry, else NaN

    @classmethod
    def start(
        cls, inputs: Inputs, d: Draws, g: _Tier, tier: int, ran_dry_s: NDArray[np.float64]
    ) -> _Clock | None:
        """A clock for the tier, or None when none of its shooters can be busy."""
        timed = np.array([inputs.timed(s) for s in g.shooters], dtype=bool)
        if not timed.any():
            return None
        n = d.discrimination.shape[0]
        rows = len(g.shooters)
        channels = [inputs.channels(s) if inputs.channels_bind(s) else 0 for s in g.shooters]
        free = np.full((max(channels), rows, n), -np.inf)
        for r, c in enumerate(channels):
            if c:
                free[c:, r] = np.inf  # channels it lacks never free
        delay = np.ascontiguousarray(d.sensor_delay_s[:, tier])
        shooters = np.array(g.shooters, dtype=np.int64)
        return cls(
            g=g,
            inputs=inputs,
            d=d,
            tier=tier,
            delay=delay,
            low=float(delay.min()) if delay.size else 0.0,
            latest=latest_delays(inputs, shooters, g.n_looks),
            shooters=shooters,
            kind=np.array(g.kind, dtype=np.int64),
            timed=timed,
            ready=np.full((rows, n), -np.inf),
            ready_max=np.full(rows, -np.inf),
            free=free,
            decoy_fired=np.zeros((rows, n), dtype=bool),
            p=effective_sspk(d).T.copy(),
            ran_dry_s=ran_dry_s,
        )

    def engage(
        self,
        t: int,
        alive: NDArray[np.bool_],
        is_decoy: bool,
        p_type: list[NDArray[np.float32]],
        shot_at: NDArray[np.bool_],
        on_decoys: NDArray[np.int16],
    ) -> tuple[NDArray[np.bool_], tuple[Any, Any, Any]]:
        """Every engagement of the tier on threat t; returns ``alive`` and the flags
        (could, drained, saturated). Updates ``shot_at`` and ``on_decoys`` in place."""
        g, inputs, d = self.g, self.inputs, self.d
        salvo = int(inputs.salvo_size[self.tier])
        need = 1 if inputs.partial_salvos else salvo
        threshold = need << g.shift
        low_bits = (1 << g.shift) - 1
        could: Any = False
        drained: Any = False
        saturated: Any = False
        lag: Any = 0.0
        for k in range(g.n_looks):
            latest = self.latest[k, t]
            rows = np.flatnonzero(latest >= self.low)  # some trial meets the window
            if rows.size == 0:
                break
            delay = self.delay if isinstance(lag, float) else self.delay + lag
            win = delay[None, :] <= latest[rows][:, None]  # (rows, n)
            if k == 0:
                could = _either(could, win.any(axis=0))
                if not is_decoy:
                    drained = _either(drained, (win & self.decoy_fired[rows]).any(axis=0))
            ok = win & alive[None, :]
            key = g.key[rows]
            close = inputs.window_close_s[self.shooters[rows], t]
            maybe = self.ready_max[rows] > close  # busy in some trial (the rest never are)
            if maybe.any():
                sub = np.flatnonzero(maybe)
                idle = self.ready[rows[sub]] <= close[sub][:, None]
                busy = ok[sub] & ~idle & (key[sub] >= threshold)
                saturated = _either(saturated, busy.any(axis=0))
                ok[sub] &= idle
            best = (key * g.flag(ok)).max(axis=0)
            fire = best >= threshold
            idx = np.flatnonzero(fire)
            if idx.size == 0:
                continue
            chosen = best[idx]
            row = (low_bits - (chosen & low_bits)).astype(np.int64)  # the key's low bits
            if inputs.partial_salvos:
                shots: Any = np.minimum(chosen >> g.shift, min(salvo, g.most)).astype(np.int64)
            else:
                shots = salvo
            lag, start = self._commit(row, idx, t, k, lag)
            left = (chosen >> g.shift).astype(np.int64) - shots
            dry = left < need
            if dry.any():
                self.ran_dry_s[self.shooters[row[dry]], idx[dry]] = start[dry]
            flat = row * fire.shape[0] + idx
            keys = g.key.reshape(-1)
            keys[flat] -= (
                (shots << g.shift)
                if isinstance(shots, int)
                else (shots << g.shift).astype(g.key.dtype)
            )
            p = self.p[self.kind[row], idx]
            kill = np.zeros(idx.size, dtype=bool)
            for j, u in enumerate(d.shot_u[self.tier][k * salvo : (k + 1) * salvo]):
                hit = u[idx, t] < p
                kill |= hit if isinstance(shots, int) else hit & (shots > j)
            shot_at[idx] = True
            alive = alive.copy()
            alive[idx[kill]] = False
            if is_decoy:
                self.decoy_fired.reshape(-1)[flat] = True
                on_decoys[idx] += shots
        return alive, (could, drained, saturated)

    def _commit(
        self,
        row: NDArray[np.int64],
        idx: NDArray[np.intp],
        t: int,
        k: int,
        lag: Any,
    ) -> tuple[Any, NDArray[np.float64]]:
        """Shooter ``row[i]`` engages threat t (look k) in trial ``idx[i]``: the decision
        waits until the shooter has a free channel, which it then holds until the kill
        assessment. Returns the threat's new lag and each engagement's decision time,
        max(τ, ready) (τ for a shooter whose channels never bind: it is never busy).

        Element by element the same float operations as the reference.
        """
        inputs = self.inputs
        n = self.delay.shape[0]
        s_all = self.shooters[row]
        lag_all = lag[idx] if isinstance(lag, np.ndarray) else lag
        tau_all = (
            inputs.window_open_s[s_all, t]
            + self.delay[idx]
            + k * inputs.engage_time_s[s_all, t]
            + lag_all
        )
        start_all = np.maximum(tau_all, self.ready.reshape(-1)[row * n + idx])
        timed = self.timed[row]
        if not timed.any():
            return lag, start_all
        row, idx = row[timed], idx[timed]
        flat = row * n + idx  # (row, trial) in the flattened (rows, n) arrays
        s = self.shooters[row]
        engage = inputs.engage_time_s[s, t]
        tau = tau_all[timed]
        start = start_all[timed]
        free = self.free.reshape(self.free.shape[0], -1)
        cols = free[:, flat]
        cols[0] = start + engage
        for c in range(1, cols.shape[0]):  # the channel just taken goes to its place
            lo = np.minimum(cols[c - 1], cols[c])
            np.maximum(cols[c - 1], cols[c], out=cols[c])
            cols[c - 1] = lo
        free[:, flat] = cols
        self.ready.reshape(-1)[flat] = cols[0]
        used = np.zeros(self.ready_max.shape[0], dtype=bool)
        used[row] = True  # a bound for each row that engaged: exact, as it only skips work
        self.ready_max[used] = np.maximum(self.ready_max[used], cols[0].max())
        wait = np.zeros(self.delay.shape[0])
        wait[idx] = start - tau
        return lag + wait, start_all


def _hit(u: NDArray[np.float32], chose: _Chosen, p_type: list[NDArray[np.float32]]) -> Any:
    """Per trial: the shot with uniform ``u`` kills, u < r·SSPK of the chosen type."""
    if isinstance(chose, int):
        return u < p_type[chose]
    hit = None
    for mask, i in chose:
        h = mask & (u < p_type[i])
        hit = h if hit is None else hit | h
    return hit


def _either(a: Any, b: Any) -> Any:
    """a | b for flags that are each a Python bool or a boolean array over trials.

    (NumPy's ``|`` between a Python bool and an array is many times slower than
    between two arrays.)
    """
    if a is False or b is True:
        return b
    if b is False or a is True:
        return a
    return a | b


def _i8(x: Any) -> Any:
    """A boolean array as 0/1 int8 (a view), a Python bool as 0/1."""
    return x.view(np.int8) if isinstance(x, np.ndarray) else int(x)


def _warhead_fate(alive: Any, killed_upper: Any, shot_at: Any, could: Any, drained: Any) -> Any:
    """Fate code of a warhead in each trial (int8), from 0/1 indicators.

    The reference's decision chain (killed by the upper tier, by the lower tier,
    else why it leaked: shot at and missed, no shooter had a window, a capable
    shooter fired at decoys, magazines empty) written as a sum of products of
    indicators, as ``drained`` implies ``could`` and (killed_upper, killed_lower,
    alive) partition the trials:

        rest   = NO_SHOOTER + could·(MAGAZINE_EMPTY − NO_SHOOTER)
                 + drained·(DECOY_EXHAUSTED − MAGAZINE_EMPTY)
        reason = rest + shot_at·(MISSED − rest)
        fate   = alive·reason + killed_upper·KILLED_UPPER + killed_lower·KILLED_LOWER.
    """
    rest = (
        LEAK_NO_SHOOTER
        + _i8(could) * (LEAK_MAGAZINE_EMPTY - LEAK_NO_SHOOTER)
        + _i8(drained) * (LEAK_DECOY_EXHAUSTED - LEAK_MAGAZINE_EMPTY)
    )
    reason = rest + _i8(shot_at) * (LEAK_MISSED - rest)
    killed_lower = ~alive ^ killed_upper
    return (
        _i8(alive) * reason
        + _i8(killed_upper) * np.int8(KILLED_UPPER)
        + _i8(killed_lower) * np.int8(KILLED_LOWER)
    )


def _decoy_fate(engaged: NDArray[np.bool_], shot_at: NDArray[np.bool_]) -> Any:
    """Fate code of a decoy in each trial (int8); ``shot_at`` implies ``engaged``:

    fate = IGNORED + engaged·(UNENGAGED − IGNORED) + shot_at·(ENGAGED − UNENGAGED).
    """
    return (
        _i8(engaged) * np.int8(DECOY_UNENGAGED - DECOY_IGNORED)
        + _i8(shot_at) * np.int8(DECOY_ENGAGED - DECOY_UNENGAGED)
        + np.int8(DECOY_IGNORED)
    )


def _assemble(
    inputs: Inputs,
    d: Draws,
    tiers: list[_Tier],
    fate: NDArray[np.int8],
    leaked: NDArray[Any],
    reasons: NDArray[Any],
    on_decoys: NDArray[Any],
    failed: NDArray[Any],
) -> Outcomes:
    """The outcome arrays from the running tallies (the arrays :func:`_outcomes` gives).

    Interceptors expended = start magazine − key // 2^b; warheads intercepted per
    asset = warheads aimed at it − leaked; leakers = Σ over assets of leaked. The
    tallies are kept (entries, trials); each becomes an int64 (trials, entries)
    array, written column by column where there are few columns (NumPy transposes
    such arrays slowly).
    """
    n = fate.shape[0]
    spent = np.zeros((inputs.n_shooters, n), dtype=np.int16)
    by_tier = np.zeros((2, n), dtype=np.int16)  # at most 63 · 500 < 2^15
    for tier, g in enumerate(tiers):
        if g.shooters:
            start = g.magazine if g.magazine.ndim == 2 else g.magazine[:, None]
            s = start - (g.key >> g.shift)
            spent[g.shooters] = s
            by_tier[tier] = s.sum(axis=0, dtype=np.int16)
    aimed = np.bincount(inputs.threat_asset[~inputs.threat_is_decoy], minlength=inputs.n_assets)
    out: Outcomes = {}
    if d.attacker_reliability is not None:
        out["failed"] = _columns(failed)
        out["attacker_reliability"] = d.attacker_reliability
    return out | {
        "leakers": leaked.sum(axis=0, dtype=np.int64),
        "intercepted": _columns(aimed[:, None] - leaked - failed),
        "leaked": _columns(leaked),
        "expended": np.ascontiguousarray(spent.T, dtype=np.int64),
        "expended_tier": _columns(by_tier),
        "expended_on_decoys": on_decoys.astype(np.int64),
        "leak_reason": _columns(reasons),
        "threat_fate": fate,
        "sspk": d.sspk,
        "reliability": d.reliability,
        "sensor_delay_s": d.sensor_delay_s,
        "discrimination": d.discrimination,
    }


def _as_count(mask: NDArray[np.bool_], count: Any) -> Any:
    """A boolean array to add to tallies of type ``count`` (a free view for bytes)."""
    return mask.view(np.uint8) if count is np.uint8 else mask


def _columns(rows: NDArray[Any]) -> NDArray[np.int64]:
    """``rows.T`` as a C-ordered int64 array, one column written per row."""
    out = np.empty(rows.shape[::-1], dtype=np.int64)
    for j, row in enumerate(rows):
        out[:, j] = row
    return out


class _Within:
    """``delay <= x`` for every trial of a chunk, as True, False or a boolean array.

    Computed once per distinct x (shooters often share a window), and as a plain
    True or False when x lies above or below every trial's delay.
    """

    def __init__(self, delay: NDArray[np.float64]) -> None:
        self.delay = delay
        self.low = float(delay.min()) if delay.size else 0.0
        self.high = float(delay.max()) if delay.size else 0.0
        self.cache: dict[float, Any] = {}

    def __call__(self, x: float) -> Any:
        if x not in self.cache:
            if x >= self.high:
                self.cache[x] = True
            elif not x >= self.low:  # also NaN
                self.cache[x] = False
            else:
                self.cache[x] = self.delay <= x
        return self.cache[x]


# leak-reason codes in the column order of ``leak_reason``, as a column against fate codes
_LEAK_CODES = np.array(
    [LEAK_MISSED, LEAK_NO_SHOOTER, LEAK_MAGAZINE_EMPTY, LEAK_DECOY_EXHAUSTED, LEAK_SATURATED],
    dtype=np.int8,
)[:, None]


def _outcomes(
    inputs: Inputs,
    d: Draws,
    fate: NDArray[np.int8],
    leaked: NDArray[np.int64],
    intercepted: NDArray[np.int64],
    expended: NDArray[np.int64],
    on_decoys: NDArray[np.int64],
    failed: NDArray[np.int64],
) -> Outcomes:
    """Assemble the outcome arrays from per-trial, per-entry counts (the reference
    path; :func:`_assemble` gives the same arrays from the vectorized tallies)."""
    tiers = np.stack(
        [expended[:, inputs.shooter_tier == tier].sum(axis=1) for tier in (UPPER, LOWER)],
        axis=1,
    )
    reasons = np.stack(
        [
            (fate == code).sum(axis=1)
            for code in (
                LEAK_MISSED,
                LEAK_NO_SHOOTER,
                LEAK_MAGAZINE_EMPTY,
                LEAK_DECOY_EXHAUSTED,
                LEAK_SATURATED,
            )
        ],
        axis=1,
    )
    out: Outcomes = {}
    if d.attacker_reliability is not None:
        out["failed"] = failed
        out["attacker_reliability"] = d.attacker_reliability
    return out | {
        "leakers": leaked.sum(axis=1),
        "intercepted": intercepted,
        "leaked": leaked,
        "expended": expended,
        "expended_tier": tiers,
        "expended_on_decoys": on_decoys.sum(axis=1),
        "leak_reason": reasons,
        "threat_fate": fate,
        "sspk": d.sspk,
        "reliability": d.reliability,
        "sensor_delay_s": d.sensor_delay_s,
        "discrimination": d.discrimination,
    }
