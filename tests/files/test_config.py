"""Reading a centre: the demo loads as documented; bad files give one line that says where and what."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bemanning import read_center
from bemanning.errors import InputError
from conftest import DEMO_TOML


def test_demo_centre_is_botkyrka_shaped(demo_center):
    assert [g.id for g in demo_center.groups] == ["aldre", "barn", "social", "bygg", "ovriga"]
    assert demo_center.default_group.name == "Övriga ärenden"
    assert str(demo_center.hours.weekly["mon"]) == "08:00-18:30"
    assert str(demo_center.hours.weekly["fri"]) == "08:00-14:30"
    assert "sat" not in demo_center.hours.weekly
    pcts = sorted(e.contract_pct for e in demo_center.staff)
    assert len(pcts) == 40 and pcts.count(100) == 26 and pcts.count(75) == 8 and pcts.count(50) == 6
    skills = [len(e.groups) for e in demo_center.staff]
    assert sum(n <= 2 for n in skills) == 35 and skills.count(5) == 5
    assert all(g.service_level == 0.85 and g.answer_within_s == 60 for g in demo_center.groups)
    assert "synthetic" in demo_center.name


@pytest.fixture
def demo_copy(tmp_path: Path) -> Path:
    for name in ("center.toml", "staff.csv"):
        shutil.copy(DEMO_TOML.parent / name, tmp_path / name)
    return tmp_path


def test_missing_staff_file_names_the_file(demo_copy):
    (demo_copy / "staff.csv").unlink()
    with pytest.raises(InputError, match=r"center\.toml: \[center\] staff: 'staff\.csv' not found beside the centre file"):
        read_center(demo_copy / "center.toml")


def test_bad_contract_percentage_names_row_and_column(demo_copy):
    staff = demo_copy / "staff.csv"
    lines = staff.read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].replace(",100,", ",heltid,").replace(",75,", ",heltid,").replace(",50,", ",heltid,")
    staff.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_center(demo_copy / "center.toml")
    assert str(err.value).endswith("staff.csv:3 column 'contract_pct': expected a number, found 'heltid'")


def test_unknown_group_in_staff_file(demo_copy):
    staff = demo_copy / "staff.csv"
    staff.write_text(staff.read_text(encoding="utf-8").replace("bygg;ovriga", "bygg;parkering", 1), encoding="utf-8")
    with pytest.raises(InputError, match=r"staff.csv:\d+ column 'groups': 'parkering' is not a group of the centre's \[\[groups\]\]"):
        read_center(demo_copy / "center.toml")


def test_short_break_settings_are_read(demo_copy):
    toml = demo_copy / "center.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace(
        "lunch_after_h = [3, 5]", "lunch_after_h = [3, 5]\nbreak_min = 15\nbreaks_from_h = [4, 7]\n"
                                  "break_window_h = [1, 2.5]", 1), encoding="utf-8")
    rules = read_center(toml).roster
    assert (rules.break_min, rules.breaks_from_h, rules.break_window_h) == (15, (4.0, 7.0), (1.0, 2.5))


EVENT = '[[events]]\nname = "Avgiftsbrev"\nfrom = "2026-12-07"\n{extra}\n\n[calls]'


def test_events_are_read(demo_copy):
    toml = demo_copy / "center.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace(
        "[calls]", EVENT.format(extra='to = "2026-12-09"\ngroups = ["barn"]\nmultiplier = 1.4'), 1), encoding="utf-8")
    (event,) = read_center(toml).events
    assert (event.name, event.first.isoformat(), event.last.isoformat(), event.groups, event.multiplier) == (
        "Avgiftsbrev", "2026-12-07", "2026-12-09", ("barn",), 1.4)


def test_overflow_rules_reach_the_simulation(demo_copy):
    """[overflow] as Botkyrka has it: after 30 s to any free agent with the skill; without a default group a
    timed overflow to it is refused in one line."""
    from bemanning.simulate import Routing, centre_routing

    toml = demo_copy / "center.toml"
    text = toml.read_text(encoding="utf-8")
    assert centre_routing(read_center(toml)) == Routing(default_group="ovriga")  # default: closed groups only
    toml.write_text(text.replace("[calls]", '[overflow]\nafter_s = 30\nto = "skilled"\n\n[calls]', 1), encoding="utf-8")
    assert centre_routing(read_center(toml)) == Routing(after_s=30, to="skilled", default_group="ovriga")
    toml.write_text(text.replace("[calls]", "[overflow]\nafter_s = 30\n\n[calls]", 1).replace(
        "default = true", "default = false", 1), encoding="utf-8")
    with pytest.raises(InputError, match="after_s sends waiting calls to the default group, but no group has"):
        read_center(toml)
