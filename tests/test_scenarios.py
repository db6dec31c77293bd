"""What-if scenarios: the TOML, how a scenario changes a centre and its volumes, and compare()."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from bemanning import read_center
from bemanning.calendar import iso_week_dates, open_intervals
from bemanning.cli import main
from bemanning.prognos import DEFAULT_WEEKDAY_FACTORS
from bemanning.errors import InputError
from bemanning.planner import NO_HISTORY, plan_week
from bemanning.prognos import Forecast
from bemanning.scenarios import BASE, COLUMNS, Scenario, assumed_volume, compare, scenario_forecast
from bemanning.files.outputs import read_output_csv

from conftest import DEMO_TOML, REPO

NEW_CENTRE = REPO / "data" / "sodertalje" / "center.toml"
PROPOSAL = REPO / "data" / "sodertalje" / "scenario-volymer.toml"
PROPOSAL_PLUS_3 = REPO / "data" / "sodertalje" / "scenario-volymer-fler.toml"
CHAT = REPO / "data" / "demo" / "scenario-chatt.toml"
W49 = iso_week_dates("2026-W49")  # 30 Nov – 6 Dec 2026, no holiday


def scenario(**raw):
    return Scenario.from_dict(raw, name="test")


# ---------------------------------------------------------------------------------------------------------------
# the file


@pytest.mark.parametrize(("raw", "message"), [
    ({"groups": [{"id": "chatt", "share": 0.1}]}, "needs aht_s"),
    ({"groups": [{"id": "chatt", "share": 0.1, "calls_per_day": 5, "aht_s": 60}]}, "not both"),
    ({"groups": [{"id": "chatt", "share": -0.1, "aht_s": 60}]}, "[[groups]] chatt share: expected a share > 0, found -0.1"),
    ({"groups": [{"id": "chatt", "colour": "red"}]}, "[[groups]] chatt colour: unknown key"),
    ({"groups": [{"id": "chatt", "share": 1.5, "moves": True, "aht_s": 60}]}, "no more than all calls"),
    ({"groups": [{"id": "chatt", "calls_per_day": 9, "moves": True, "aht_s": 60}]}, "moves needs share"),
    ({"groups": [{"id": "chatt", "share": 0.1, "moves": "ja", "aht_s": 60}]}, 'moves: expected true or false (without quotes), found "ja"'),
    ({"scale": [{"groups": ["social"]}]}, "needs calls or aht"),
    ({"scale": [{"calls": 1.3, "from": "1 december"}]}, '[[scale]] #1 from: expected a date like 2026-12-07, found "1 december"'),
    ({"add_staff": [{"count": 0, "groups": ["ovriga"]}]}, "[[add_staff]] #1 count: expected a whole number >= 1, found 0"),
    ({"targets": {"service_level": 85}}, "[targets] service_level: expected a share > 0 and < 1, found 85"),
    ({"hours": {"thu": "18:00-08:00"}}, '[hours] thu: expected a range like "08:00-16:30"'),
    ({"staff": []}, "staff: unknown key; did you mean add_staff?"),
])
def test_a_wrong_scenario_says_what_was_expected(raw, message):
    with pytest.raises(ValueError) as err:
        Scenario.from_dict(raw)
    assert message in str(err.value)


def test_a_wrong_scenario_file_is_bad_input_naming_the_file(tmp_path):
    path = tmp_path / "fel.toml"
    path.write_text('[[groups]]\nid = "chatt"\nshare = 0.1\n', encoding="utf-8")
    with pytest.raises(InputError, match="fel.toml.*needs aht_s"):
        Scenario.from_toml(path)


def test_the_bundled_scenarios_read():
    chat = Scenario.from_toml(CHAT)
    assert chat.name == "chatt" and chat.groups[0].share == 0.12 and chat.add_staff[0].count == 2
    assert Scenario.from_toml(PROPOSAL).shrinkage == 0.15


# ---------------------------------------------------------------------------------------------------------------
# how a scenario changes the centre


def test_a_chat_channel_is_a_new_group_taken_by_the_staff_it_names():
    demo = read_center(DEMO_TOML)
    changed = Scenario.from_toml(CHAT).apply(demo)
    chat = changed.group("chatt")
    assert (chat.channel, chat.concurrency, chat.service_level, chat.answer_within_s) == ("chat", 2, 0.80, 120.0)
    assert chat.hours.weekly["fri"].end == dt.time(14, 30)
    before = {e.id: e.groups for e in demo.staff}
    for e in changed.staff:
        if e.id in before:
            skilled = bool({"ovriga", "aldre"} & set(before[e.id]))
            assert e.groups == ((*before[e.id], "chatt") if skilled else before[e.id])
    new = [e for e in changed.staff if e.id not in before]
    assert [(e.id, e.contract_pct, e.groups) for e in new] == [("ny1", 100, ("chatt", "ovriga")),
                                                                ("ny2", 100, ("chatt", "ovriga"))]
    assert demo.group_ids == ("aldre", "barn", "social", "bygg", "ovriga")  # the base is untouched


def test_targets_hours_and_group_settings_change_the_centre():
    demo = read_center(DEMO_TOML)
    changed = scenario(targets={"service_level": 0.8, "answer_within_s": 30},
                       hours={"thu": "08:00-18:00"},
                       groups=[{"id": "social", "service_level": 0.9}]).apply(demo)
    assert {g.id: (g.service_level, g.answer_within_s) for g in changed.groups} == {
        "aldre": (0.8, 30), "barn": (0.8, 30), "social": (0.9, 30), "bygg": (0.8, 30), "ovriga": (0.8, 30)}
    assert str(changed.hours.weekly["thu"]) == "08:00-18:00" and str(changed.hours.weekly["mon"]) == "08:00-18:30"
    assert str(changed.roster.work_hours["thu"]) == "07:30-18:00"  # staff may work while the centre is open
    thursday = open_intervals(changed, W49[3], W49[3])
    assert thursday["interval_start"].dt.tz_convert("Europe/Stockholm").max().strftime("%H:%M") == "17:30"


@pytest.mark.parametrize(("raw", "message"), [
    ({"groups": [{"id": "chatt", "channel": "chat"}]}, "give its volume"),
    ({"groups": [{"id": "social", "channel": "chat"}]}, "can only be set on a new group"),
    ({"groups": [{"id": "social", "channel": "phone"}]}, "can only be set on a new group"),  # even the default
    ({"groups": [{"id": "chatt", "share": 0.1, "aht_s": 60, "staffed_by": ["kundtjanst"]}]}, "staffed_by"),
    ({"groups": [{"id": "chatt", "share": 0.1, "aht_s": 60, "share_of": ["okand"]}]}, "share_of"),
    ({"scale": [{"groups": ["okand"], "calls": 2}]}, "okand"),
    ({"add_staff": [{"count": 1, "groups": ["okand"]}]}, "groups: 'okand' is not a group of the centre or the scenario"),
    ({"groups": [{"id": "chatt", "share": 0.1, "aht_s": 60, "default": True}]}, "at most one group"),
])
def test_a_scenario_that_does_not_fit_the_centre_is_bad_input(raw, message):
    with pytest.raises(InputError, match=f"does not fit.*{message}"):
        scenario(**raw).apply(read_center(DEMO_TOML))


# ---------------------------------------------------------------------------------------------------------------
# volumes


def test_assumed_volume_gives_the_days_calls_in_the_demo_shape():
    centre = read_center(NEW_CENTRE)
    change = Scenario.from_toml(PROPOSAL).groups[0]  # växel, 700 calls a day
    target = open_intervals(centre, W49[0], W49[-1])
    target = target[target["group"] == "vaxel"]
    calls = pd.Series(assumed_volume(centre, change, target), index=target.index)
    per_day = calls.groupby(target["date"]).sum()
    mean = np.mean([DEFAULT_WEEKDAY_FACTORS[d] for d in ("mon", "tue", "wed", "thu", "fri")])
    for day, total in per_day.items():
        assert total == pytest.approx(700 * DEFAULT_WEEKDAY_FACTORS[day.strftime("%a").lower()] / mean)
    assert per_day.sum() == pytest.approx(3500)  # a mean of 700 over five ordinary days
    monday = calls[target["date"] == W49[0]].to_numpy()
    assert monday.argmax() in (3, 4)  # the morning peak, 09:30-10:30


def test_an_eve_loses_the_calls_of_the_hours_it_is_closed():
    centre = read_center(NEW_CENTRE)
    change = Scenario.from_toml(PROPOSAL).groups[0]
    eve, ordinary = dt.date(2026, 12, 23), dt.date(2026, 12, 16)  # Wednesdays: the eve of Christmas Eve closes 14:00
    target = open_intervals(centre, eve, eve)
    short = assumed_volume(centre, change, target[target["group"] == "vaxel"]).sum()
    target = open_intervals(centre, ordinary, ordinary)
    full = assumed_volume(centre, change, target[target["group"] == "vaxel"]).sum()
    assert 0.6 * full < short < 0.9 * full


def test_a_share_and_a_scale_change_the_forecast():
    centre = read_center(NEW_CENTRE)
    groups = [{"id": "vaxel", "calls_per_day": 700, "aht_s": 50},
              {"id": "information", "calls_per_day": 200, "aht_s": 300},
              {"id": "chatt", "channel": "chat", "share": 0.1, "share_of": ["information"], "aht_s": 600}]
    scaled = scenario(groups=groups, scale=[{"groups": ["vaxel"], "from": "2026-12-03", "calls": 2.0, "aht": 1.5}])
    changed = scaled.apply(centre)
    target = open_intervals(changed, W49[0], W49[-1])
    result = scenario_forecast(scaled, changed, NO_HISTORY, target)
    fc, plain = result.frame, scenario_forecast(scenario(groups=groups), changed, NO_HISTORY, target).frame
    wide = fc.pivot(index="interval_start", columns="group", values="calls")
    assert np.allclose(wide["chatt"], 0.1 * wide["information"])
    day = fc["interval_start"].dt.tz_convert("Europe/Stockholm").dt.date
    before, after = (fc["group"] == "vaxel") & (day < W49[3]), (fc["group"] == "vaxel") & (day >= W49[3])
    assert fc.loc[before, "aht_s"].eq(50).all() and fc.loc[after, "aht_s"].eq(75).all()
    assert np.allclose(fc.loc[after, "calls"], 2 * plain.loc[after, "calls"])
    assert np.allclose(fc.loc[~after, "calls"], plain.loc[~after, "calls"])
    assert result.chosen == {"vaxel": "assumed: 700 calls a day", "information": "assumed: 200 calls a day",
                             "chatt": "assumed: 10% of the calls of information"}
    assert result.notes == {} and result.backtest == {}


def test_a_share_that_moves_takes_its_calls_from_the_phones_while_it_is_open():
    centre = read_center(NEW_CENTRE)
    chat = {"id": "chatt", "channel": "chat", "share": 0.2, "share_of": ["information"], "aht_s": 600,
            "hours": {d: "10:00-15:00" for d in ("mon", "tue", "wed", "thu", "fri")}}
    groups = [{"id": "vaxel", "calls_per_day": 700, "aht_s": 50}, {"id": "information", "calls_per_day": 200,
                                                                     "aht_s": 300}]
    on_top, moved = scenario(groups=[*groups, chat]), scenario(groups=[*groups, {**chat, "moves": True}])
    changed = on_top.apply(centre)
    target = open_intervals(changed, W49[0], W49[-1])
    a, b = (scenario_forecast(s, changed, NO_HISTORY, target).frame.set_index(["group", "interval_start"])["calls"]
            for s in (on_top, moved))
    assert np.allclose(a["chatt"], b["chatt"])  # the same chats either way
    info_a, info_b = a["information"], b["information"]
    chat_open = info_a.index.isin(a["chatt"].index)
    assert np.allclose(info_b[chat_open], 0.8 * info_a[chat_open])  # 20 % of the callers chat instead
    assert np.allclose(info_b[~chat_open], info_a[~chat_open])  # outside the chat's hours nothing moves
    assert info_b.sum() + b["chatt"].sum() == pytest.approx(info_a.sum())  # no contact lost or made
    assert np.allclose(a["vaxel"], b["vaxel"])


def test_a_centre_without_history_cannot_be_planned_without_assumed_volumes():
    with pytest.raises(InputError, match="neither \\[calls\\] nor \\[intervals\\].*assumed volumes"):
        plan_week(read_center(NEW_CENTRE), "2026-W49", as_of=dt.date(2026, 11, 23))


def test_a_forecast_hook_may_return_a_plain_frame():
    """A user's forecast step that returns a DataFrame (not a Forecast) still plans; no model is claimed per group."""
    centre = read_center(NEW_CENTRE)
    proposal = Scenario.from_toml(PROPOSAL)
    changed = proposal.apply(centre)
    plan = plan_week(changed, "2026-W49", as_of=dt.date(2026, 11, 23), history_center=centre,
                     forecast_step=lambda c, h, t: scenario_forecast(proposal, c, h, t).frame)
    assert isinstance(plan.forecast, Forecast) and plan.forecast.chosen == {}
    assert plan.summary.forecast_models == {} and plan.summary.forecast_notes == {}
    assert plan.forecast.groups == sorted(g.id for g in changed.groups)


# ---------------------------------------------------------------------------------------------------------------
# compare


@pytest.fixture(scope="module")
def new_centre_sized():
    return compare(read_center(NEW_CENTRE), [PROPOSAL, PROPOSAL_PLUS_3], week="2026-W49",
                   as_of=dt.date(2026, 11, 23), jobs=1)


@pytest.mark.slow
def test_a_new_centre_is_sized_from_assumed_volumes(new_centre_sized):
    table = new_centre_sized
    assert list(table.columns) == COLUMNS
    assert BASE not in set(table["scenario"])  # no history: no base to plan
    assert list(table["scenario"].unique()) == ["förslaget", "förslaget+3"]
    g = table.set_index(["scenario", "group"])
    for name in ("förslaget", "förslaget+3"):
        assert g.loc[(name, "vaxel"), "forecast_calls"] == pytest.approx(3500, abs=0.1)
        assert g.loc[(name, "information"), "forecast_calls"] == pytest.approx(1100, abs=0.1)
        total = g.loc[(name, "all")]
        assert total["required_fte"] == pytest.approx(total["required_hours"] / 40 / 0.85, abs=0.01)
        assert total["cost"] == pytest.approx(total["paid_hours"] * 420, abs=1)
        assert total["solver_status"] == "optimal"
    # the same volumes need the same staff; three more people cover them better
    assert g.loc[("förslaget", "all"), "required_fte"] == g.loc[("förslaget+3", "all"), "required_fte"]
    assert g.loc[("förslaget", "all"), "employees"] == 6 and g.loc[("förslaget+3", "all"), "employees"] == 9
    for group in ("vaxel", "information"):
        assert (g.loc[("förslaget+3", group), "projected_service_level"]
                > g.loc[("förslaget", group), "projected_service_level"])
    assert g.loc[("förslaget", "all"), "required_fte"] > 6  # six staff are too few: the proposal is undersized
    assert not g.loc[("förslaget", "all"), "meets_target"] and g.loc[("förslaget+3", "all"), "meets_target"]


@pytest.mark.slow
def test_the_scenario_command_writes_the_table_the_plot_and_a_plan_per_scenario(tmp_path, capsys):
    out = tmp_path / "out"
    code = main(["scenario", "--center", str(NEW_CENTRE), str(PROPOSAL), str(PROPOSAL_PLUS_3), "--week", "2026-W49",
                 "--as-of", "2026-11-23", "--jobs", "2", "--simulate", "--runs", "3", "--out", str(out), "-q"])
    assert code == 0
    table = read_output_csv(out / "scenarios.csv")
    assert len(table) == 6 and table.loc[table["group"] != "all", "simulated_service_level"].between(0, 1).all()
    assert (out / "scenarios.png").stat().st_size > 10_000
    for folder in ("förslaget", "förslaget-3"):
        assert (out / folder / "schedule.csv").exists() and (out / folder / "summary.json").exists()
    assert "förslaget+3" in capsys.readouterr().out


def test_the_scenario_command_says_which_file_is_wrong(tmp_path, capsys):
    bad = tmp_path / "fel.toml"
    bad.write_text("[[scale]]\ncalls = 1.3\nfrom = 'i morgon'\n", encoding="utf-8")
    code = main(["scenario", "--center", str(NEW_CENTRE), str(bad), "--out", str(tmp_path / "out"), "-q"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1 and err[0].endswith(f"{bad}: [[scale]] #1 from: expected a date like 2026-12-07, found \"i morgon\"")
    assert not (tmp_path / "out").exists()


@pytest.mark.slow
def test_a_chat_channel_on_the_demo_shows_the_added_fte_and_both_channels_service_level():
    table = compare(read_center(DEMO_TOML), [CHAT], week="2026-W49", as_of=dt.date(2026, 11, 23),
                    simulate_runs=5, jobs=2)
    g = table.set_index(["scenario", "group"])
    assert set(table["scenario"]) == {BASE, "chatt"}
    chat = g.loc[("chatt", "chatt")]
    assert chat["channel"] == "chat" and chat["required_fte"] > 1
    base_calls = g.loc[(BASE, "all"), "forecast_calls"]
    assert chat["forecast_calls"] == pytest.approx(0.12 * base_calls, rel=0.05)  # 12 % of calls in chat hours
    added = g.loc[("chatt", "all"), "required_fte"] - g.loc[(BASE, "all"), "required_fte"]
    assert added == pytest.approx(chat["required_fte"], abs=0.3)  # the chat's own need, the phones' unchanged
    assert g.loc[("chatt", "all"), "employees"] == g.loc[(BASE, "all"), "employees"] + 2
    for name in (BASE, "chatt"):  # every channel keeps its target, projected and in simulation
        rows = table[(table["scenario"] == name) & (table["group"] != "all")]
        assert (rows["projected_service_level"] >= rows["service_level_target"]).all()
        assert (rows["simulated_service_level"] >= rows["service_level_target"] - 0.03).all()


@pytest.mark.slow
def test_an_email_channel_is_sized_as_work_answered_within_24_hours():
    email = Scenario.from_dict({
        "scenario": {"name": "e-post"},
        "groups": [{"id": "vaxel", "calls_per_day": 700, "aht_s": 50},
                   {"id": "information", "calls_per_day": 220, "aht_s": 300},
                   {"id": "epost", "name": "E-post", "channel": "email", "share": 0.25, "share_of": ["information"],
                    "aht_s": 600, "staffed_by": ["information"]}],
        "add_staff": [{"count": 3, "groups": ["information", "vaxel"]}]})
    table = compare(read_center(NEW_CENTRE), [email], week="2026-W49", as_of=dt.date(2026, 11, 23), jobs=1)
    row = table.set_index("group").loc["epost"]
    assert row["channel"] == "email" and row["service_level_target"] == 0.85
    assert row["forecast_calls"] == pytest.approx(0.25 * 1100, abs=0.1)  # e-mails arriving in the week
    # 25 % of 1 100 information calls, 10 minutes each: 45.8 hours of e-mail arrive in the week
    assert row["required_hours"] == pytest.approx(0.25 * 1100 * 600 / 3600, abs=0.1)
    assert 0 < row["scheduled_hours"] <= row["required_hours"] + 0.1
    assert 0 <= row["projected_service_level"] <= 1


def test_a_new_centre_needs_a_volume_for_every_group(tmp_path, capsys):
    half = tmp_path / "halv.toml"
    half.write_text('[[groups]]\nid = "vaxel"\ncalls_per_day = 500\naht_s = 50\n', encoding="utf-8")
    code = main(["scenario", "--center", str(NEW_CENTRE), str(half), "--week", "2026-W49", "--jobs", "1",
                 "--out", str(tmp_path / "out"), "-q"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1 and "center.toml" in err[0] and "assumed volumes" in err[0]
    assert not (tmp_path / "out" / "scenarios.csv").exists()
