"""The sensor and command timeline binds where physics says it must, and only there.

A ship may decide to fire once it holds a track: from its own radar (range and horizon)
or from a remote radar whose live track reaches it under an arrangement in force (launch
on remote); an SM-3 IIA may also be guided on that remote track beyond the ship's own
radar (engage on remote). Each check pairs two runs on the same seed (common random
numbers), so a difference larger than the paired Monte Carlo error is the mechanism's.
"""

from __future__ import annotations

import datetime as dt
import math
from importlib import resources

import numpy as np

import anpo
from anpo import kb
from anpo.scenario import parse, resolve
from anpo.scenario.edit import with_values

TRIALS = 8000


def shipped(name: str) -> str:
    return resources.files("anpo.scenarios").joinpath(f"{name}.yaml").read_text()


def paired(a: object, b: object) -> tuple[float, float]:
    """Mean of b − a in leakers, and its 95 % paired Monte Carlo error."""
    d = b.outcomes["leakers"].astype(float) - a.outcomes["leakers"].astype(float)  # type: ignore[attr-defined]
    return float(d.mean()), 1.96 * float(d.std(ddof=1)) / math.sqrt(d.size)


def test_sharing_tracks_changes_the_same_raid_today() -> None:
    """Without U.S. and South Korean tracks, Japan's ships start from their own radars: the
    track forms minutes later, the second look no longer fits, some threats are never seen."""
    text = shipped("nk-same-raid-today")
    base = anpo.run(parse(text), trials=TRIALS, seed=7)
    alone = anpo.run(
        with_values(text, {"posture.sharing.us": False, "posture.sharing.rok": False}),
        trials=TRIALS,
        seed=7,
    )
    diff, err = paired(base, alone)
    assert diff > 0.2
    assert diff > 5 * err
    ledger = {e.name: e for e in resolve(parse(text)).ledger}
    assert ledger["ship.JS Kongo (DDG-173).track_s"].value == "60"  # the warning floor
    assert "AN/TPY-2 Shariki" in ledger["ship.JS Kongo (DDG-173).track_s"].note


def test_one_partner_s_tracks_alone_change_nothing_today() -> None:
    """Dropping South Korea's tracks leaves Japan's ships the U.S. TPY-2 track 68 s later;
    the ships then wait for the threats to come within reach either way (the earliest
    intercept comes after the decision), so every trial is the same."""
    text = shipped("nk-same-raid-today")
    base = anpo.run(parse(text), trials=TRIALS, seed=7)
    no_rok = anpo.run(with_values(text, {"posture.sharing.rok": False}), trials=TRIALS, seed=7)
    assert np.array_equal(base.outcomes["leakers"], no_rok.outcomes["leakers"])
    assert np.array_equal(base.outcomes["expended"], no_rok.outcomes["expended"])
    a = resolve(parse(text)).inputs
    b = resolve(with_values(text, {"posture.sharing.rok": False})).inputs
    ships = a.shooter_tier == 0
    assert (b.window_open_s[ships] >= a.window_open_s[ships]).all()
    assert (b.window_open_s[ships] > a.window_open_s[ships]).any()  # the track is later


def test_gsomia_data_open_no_window() -> None:
    """The 2016 GSOMIA passes data case by case: in 2017 the ROK lever changes no window."""
    text = shipped("guam-overflight-2017")
    ledger = {e.name: e for e in resolve(parse(text)).ledger}
    entry = ledger["sensors.radar.rok.gsomia.japan"]
    assert entry.value == "no live track"
    assert "opens no engagement window" in entry.note


IIA = {
    "assets[0].thaad_batteries": 0,  # the ships alone: Guam's THAAD battery stands down
    "posture.ships.extra": [
        {"name": "JMSDF IIA ship (what-if)", "interceptor": "sm3-iia", "magazine": 8}
    ],
    "posture.ships.stations": {"JMSDF IIA ship (what-if)": "Pacific off Tokyo"},
}


def test_engage_on_remote_reaches_a_missile_bound_for_guam() -> None:
    """An SM-3 IIA off Tokyo reaches the Guam-bound IRBM in midcourse only on the U.S. radars'
    track: the missile passes far beyond its own radar's range."""
    text = shipped("guam-overflight-2017")
    with_track = with_values(text, IIA)
    without = with_values(text, {**IIA, "posture.sharing.us": False})
    a = anpo.run(with_track, trials=TRIALS, seed=3)
    b = anpo.run(without, trials=TRIALS, seed=3)
    diff, err = paired(a, b)
    assert diff > 0.5
    assert diff > 5 * err
    assert (b.outcomes["expended_tier"][:, 0] == 0).all()
    ledger = {e.name: e for e in resolve(without).ledger}
    assert ledger["ship.JMSDF IIA ship (what-if).track_s"].value == "never"


def test_the_2016_law_binds_where_a_japanese_ship_has_the_reach() -> None:
    """The same 2017 forces (with the what-if IIA ship) under the law of 2015 and of 2017:
    collective self-defence in a survival-threatening situation lets the ship fire."""
    spec = with_values(shipped("guam-overflight-2017"), IIA)
    now = anpo.run(spec, trials=TRIALS, seed=5)
    with kb.factor_dates(law=dt.date(2015, 9, 15)):
        then = anpo.run(spec, trials=TRIALS, seed=5)
    diff, err = paired(now, then)
    assert diff > 0.5 and diff > 5 * err
    assert then.outcomes["expended_tier"][:, 0].sum() == 0  # no basis in 2015: it holds fire
    assert now.outcomes["expended_tier"][:, 0].mean() > 1


def test_the_shipped_guam_pair_differ_only_in_the_ledger() -> None:
    """With the Japanese SM-3 IA/IB ships of 2015 and 2017 the law cannot show: no SM-3 of
    theirs reaches an IRBM climbing away toward Guam (physics, not law, keeps them out)."""
    a = anpo.run(parse(shipped("guam-overflight-2015")), trials=TRIALS, seed=9)
    b = anpo.run(parse(shipped("guam-overflight-2017")), trials=TRIALS, seed=9)
    ra = resolve(parse(shipped("guam-overflight-2017")))
    japanese = [i for i, name in enumerate(ra.inputs.labels["shooter"]) if name.startswith("JS ")]
    assert japanese and np.isnan(ra.inputs.window_close_s[japanese]).all()
    ledger = {e.name: e for e in ra.ledger}
    assert ledger["law.japan.Guam"].value == "intercept_missile_aimed_elsewhere: conditional"
    la = {e.name: e for e in resolve(parse(shipped("guam-overflight-2015"))).ledger}
    assert la["law.japan.Guam"].value == "intercept_missile_aimed_elsewhere: no_basis"
    assert a.outcomes["leakers"].mean() > 0 and b.outcomes["leakers"].mean() > 0


def test_rok_tracks_bind_where_they_are_the_only_remote_track() -> None:
    """Today, without the U.S. radars' tracks, South Korea's live tracks (the 2023
    trilateral arrangement) are all that let Japan's ships launch before their own radars
    see the raid: taking them away too lets through more warheads."""
    text = shipped("nk-same-raid-today")
    no_us = anpo.run(with_values(text, {"posture.sharing.us": False}), trials=TRIALS, seed=7)
    neither = anpo.run(
        with_values(text, {"posture.sharing.us": False, "posture.sharing.rok": False}),
        trials=TRIALS,
        seed=7,
    )
    diff, err = paired(no_us, neither)
    assert diff > 0.2 and diff > 5 * err
