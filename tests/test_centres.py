"""The bundled centres (all SYNTHETIC): each loads as described, its call generator is deterministic, and the
per-group ``[groups.synthetic]`` overrides of the generator do what the centre file says. No plans here (fast)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
from pathlib import Path

import pytest

from bemanning import read_center
from bemanning import demo
from bemanning.config import Center, Group
from bemanning.errors import InputError
from conftest import REPO

DATA = REPO / "data"

# centre folder → (group ids in file order, staff, default group, contracted hours in a full week)
EXPECTED = {
    "demo": (("aldre", "barn", "social", "bygg", "ovriga"), 40, "ovriga", 1400.0),
    "jonkoping": (("vaxel", "vagledning"), 15, "vagledning", 590.0),
    "stockholm": (("aldre", "overformyndare", "forskola", "parkering", "esupport", "direkt"), 66, "direkt", 2390.0),
    "large": (("aldre", "funktion", "forskola", "skola", "social", "bygg", "trafik", "kc"), 150, "kc", 5460.0),
}


# centres with no call history, sized from a scenario's assumed volumes (tests/test_scenarios.py)
NEW_CENTRES = {"sodertalje": (("vaxel", "information"), 6, "vaxel", 240.0)}

# a centre with a walk-in desk and a shorter synthetic history (tests/test_walkin.py plans it)
WALKIN_CENTRES = {"orebro": (("telefon", "chatt", "besok"), 20, "telefon", 764.0)}


def _centre(name: str) -> Center:
    return read_center(DATA / name / "center.toml")


def test_every_centre_folder_is_known():
    assert sorted(p.parent.name for p in DATA.glob("*/center.toml")) == sorted(
        {**EXPECTED, **NEW_CENTRES, **WALKIN_CENTRES})


def test_a_new_centre_has_no_history():
    groups, staff, default, hours = NEW_CENTRES["sodertalje"]
    c = _centre("sodertalje")
    assert (c.group_ids, len(c.staff), c.default_group.id) == (groups, staff, default)
    assert sum(e.contract_pct / 100 * c.roster.full_time_h for e in c.staff) == pytest.approx(hours)
    assert c.calls is None and c.intervals is None and "synthetic" in c.name.lower()
    assert [e.name for e in c.staff][:1] == ["Åsa Öberg"]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_centre_loads(name):
    groups, staff, default, hours = EXPECTED[name]
    c = _centre(name)
    assert c.group_ids == groups
    assert len(c.staff) == staff
    assert c.default_group is not None and c.default_group.id == default
    assert sum(e.contract_pct / 100 * c.roster.full_time_h for e in c.staff) == pytest.approx(hours)
    assert "synthetic" in c.name.lower()
    assert c.calls is not None and c.calls.is_synthetic
    # every group is staffed, and the first day of the history is about 2.5 years before 2026-11-23
    assert {g for e in c.staff for g in e.groups} == set(groups)
    assert 2.3 < (dt.date(2026, 11, 23) - c.calls.synthetic_first_day).days / 365.25 < 2.7
    assert c.roster.solver == "highs" and c.roster.threads == 2


def test_each_centre_has_its_own_seed():
    seeds = [_centre(name).calls.synthetic_seed for name in {**EXPECTED, **WALKIN_CENTRES}]
    assert len(set(seeds)) == len(seeds)


def test_centre_specifics():
    jon = _centre("jonkoping")
    pcts = sorted(e.contract_pct for e in jon.staff)
    assert pcts.count(75) == 1 and pcts.count(100) == 14
    assert sum(e.groups[0] == "vaxel" for e in jon.staff) == 6 and sum(e.groups[0] == "vagledning" for e in jon.staff) == 9

    sto = _centre("stockholm")
    assert {e.contract_pct for e in sto.staff} == {100, 75, 50}
    assert sum(len(e.groups) <= 2 for e in sto.staff) >= 60
    aldre = sto.group("aldre")
    assert aldre.name == "Äldre direkt" and aldre.hours is not None
    assert [str(aldre.hours.weekly[d]) for d in ("mon", "tue", "wed", "thu", "fri")] == [
        "08:00-16:30", "08:00-18:00", "08:00-16:30", "08:00-18:00", "08:00-16:00"]
    assert str(aldre.hours.on(dt.date(2026, 6, 2))) == "08:00-17:00"  # summer Tuesday (1 May - 31 Aug)
    assert sto.roster.work_hours["tue"].end >= dt.time(18, 0)

    large = _centre("large")
    assert len(large.groups) == 8 and {e.contract_pct for e in large.staff} == {100, 75, 50}


@pytest.mark.parametrize("name", ["jonkoping", "stockholm"])
def test_overrides_are_read_and_used(name):
    c = _centre(name)
    for g in c.groups:
        assert g.synthetic and set(g.synthetic) == set(Group.SYNTHETIC_KEYS)
        world = demo.world_of(g)
        assert (world.calls, world.aht_s, world.acw_share, world.patience_s) == tuple(
            g.synthetic[k] for k in ("calls", "aht_s", "acw_share", "patience_s"))


def test_demo_has_no_overrides():
    c = _centre("demo")
    assert all(g.synthetic is None for g in c.groups)
    assert all(demo.world_of(g) is demo.GROUP_WORLDS[g.id] for g in c.groups)


@pytest.mark.parametrize("name", ["jonkoping", "stockholm", "large"])
def test_generator_is_deterministic(name):
    c = _centre(name)
    day = dt.date(2026, 11, 20)  # a Friday
    once = demo.generate_day(c, day)
    assert len(once) > 0 and set(once["Kö"]) == {g.name for g in c.groups}
    assert once.equals(demo.generate_day(c, day))
    assert not once.equals(demo.generate_day(c, day, rng_seed=c.calls.synthetic_seed + 1))


def test_overrides_change_volumes_and_handling_as_configured():
    base = _centre("jonkoping")
    groups = (
        Group("one", "Ett", synthetic={"calls": 60, "aht_s": 200}),
        Group("two", "Två", synthetic={"calls": 120, "aht_s": 200}),
        Group("long", "Lång", synthetic={"calls": 60, "aht_s": 600, "acw_share": 0}),
    )
    c = dataclasses.replace(base, groups=groups, staff=())
    frame = demo.generate_calls(c, dt.date(2026, 10, 5), dt.date(2026, 10, 23))  # three ordinary weeks
    real = frame[frame["Utfall"] != "Test"]
    counts = real["Kö"].value_counts()
    assert 1.8 < counts["Två"] / counts["Ett"] < 2.2
    assert 0.85 < counts["Lång"] / counts["Ett"] < 1.15
    answered = real[real["Utfall"] == "Besvarat"]
    handle = (answered["Samtalstid"] + answered["Efterarbete"]).groupby(answered["Kö"]).mean()
    assert 2.5 < handle["Lång"] / handle["Ett"] < 3.5
    assert (answered.loc[answered["Kö"] == "Lång", "Efterarbete"] == 0).all()
    assert (answered.loc[answered["Kö"] == "Ett", "Efterarbete"] > 0).mean() > 0.9


@pytest.fixture
def jonkoping_copy(tmp_path: Path) -> Path:
    for name in ("center.toml", "staff.csv"):
        shutil.copy(DATA / "jonkoping" / name, tmp_path / name)
    return tmp_path / "center.toml"


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("patience_s = 150", "patiense_s = 150",
         r"\[\[groups\]\] vaxel synthetic\.patiense_s: unknown key; did you mean patience_s\? "
         r"\(known: calls, aht_s, acw_share, patience_s\)"),
        ("acw_share = 0.05", "acw_share = 1.0",
         r"\[\[groups\]\] vaxel synthetic\.acw_share: expected a share >= 0 and < 1, found 1\.0"),
        ("calls = 1150", "calls = -3", r"\[\[groups\]\] vaxel synthetic\.calls: expected a number > 0, found -3"),
        ("aht_s = 80", "aht_s = 0",
         r"\[\[groups\]\] vaxel synthetic\.aht_s: expected a number of seconds > 0, found 0"),
        ("calls = 1150", 'calls = "many"',
         r'\[\[groups\]\] vaxel synthetic\.calls: expected a number > 0, found "many"'),
    ],
)
def test_bad_synthetic_table_is_rejected(jonkoping_copy, old, new, message):
    text = jonkoping_copy.read_text(encoding="utf-8")
    assert old in text
    jonkoping_copy.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(InputError, match=message) as err:
        read_center(jonkoping_copy)
    assert "\n" not in str(err.value) and str(jonkoping_copy) in str(err.value)


def test_group_validates_synthetic_directly():
    with pytest.raises(ValueError, match=r"group g: .*unknown keys \['seed'\]"):
        Group("g", "G", synthetic={"seed": 1})
    assert Group("g", "G", synthetic={"calls": 10, "acw_share": 0}).synthetic == {"calls": 10.0, "acw_share": 0.0}
