"""The right size (bemanning size): the contract mix, the hypothetical staff, the search over staff counts, and on the
Södertälje-like new centre (no history, volumes from its scenario file) an answer N that meets every target in
simulation while N − 1 does not — by the result's own curve and re-checked by planning and simulating again."""

from __future__ import annotations

import datetime as dt

import pytest

from bemanning import read_center
from bemanning.cli import main
from bemanning.config import Employee
from bemanning.files.outputs import note_of, read_output_csv
from bemanning.scenarios import Scenario, plan_scenario
from bemanning.schema import settings_from_center
from bemanning.simulate import simulate_plan
from bemanning.sizing import (
    SIZE_COLUMNS,
    contract_mix_of,
    hypothetical_staff,
    parse_contract_mix,
    search_staff_count,
    size_centre,
    skill_mix_of,
)

from conftest import REPO

NEW_CENTRE = REPO / "data" / "sodertalje" / "center.toml"
PROPOSAL = REPO / "data" / "sodertalje" / "scenario-volymer.toml"
WEEK = "2027-W03"  # an ordinary January week: no holiday, no eve
AS_OF = dt.date(2026, 12, 6)
RUNS, SEED, CONFIDENCE, TIME_LIMIT_S = 8, 3, 0.9, 15.0


# --------------------------------------------------------------------------------------------------------------
# the contract mix


def test_a_contract_mix_is_read_with_its_shares():
    assert parse_contract_mix("100:0.7,75:0.3") == ((100.0, 0.7), (75.0, 0.3))
    assert parse_contract_mix(" 100 : 1 ") == ((100.0, 1.0),)
    assert parse_contract_mix("100:0.5,80:0.25,50:.25") == ((100.0, 0.5), (80.0, 0.25), (50.0, 0.25))


@pytest.mark.parametrize(("text", "said"), [
    ("", "expected contract percentages and shares like 100:0.7,75:0.3, found ''"),
    ("100", "expected contract percentages and shares like 100:0.7,75:0.3, found '100'"),
    ("100:0.7;75:0.3", "expected contract percentages and shares like 100:0.7,75:0.3, found '100:0.7;75:0.3'"),
    ("100:0.7,75:0.2", "expected shares that sum to 1 like 100:0.7,75:0.3, found a sum of 0.9 in '100:0.7,75:0.2'"),
    ("150:1", "expected contract percentages > 0 and <= 100 like 100:0.7,75:0.3, found 150 in '150:1'"),
    ("100:0,75:1", "expected shares > 0 and <= 1 like 100:0.7,75:0.3, found 0 in '100:0,75:1'"),
    ("75:0.5,75:0.5", "expected each contract percentage once, found 75 twice in '75:0.5,75:0.5'"),
])
def test_a_bad_contract_mix_says_what_was_expected_and_found(text, said):
    with pytest.raises(ValueError) as caught:
        parse_contract_mix(text)
    assert str(caught.value) == said


# --------------------------------------------------------------------------------------------------------------
# the hypothetical staff of a count


STAFF = (
    Employee("A", "Åsa", 100, ("vaxel", "information")),
    Employee("B", "Björn", 100, ("vaxel",)),
    Employee("C", "Cecilia", 75, ("vaxel",)),
    Employee("D", "David", 100, ("information",)),
    Employee("T", "Timvikarie", 100, ("information",), kind="temp"),  # never planned: not in the mix
)


def test_the_mixes_are_the_staff_lists_own_without_temps():
    assert contract_mix_of(STAFF) == ((100.0, 0.75), (75.0, 0.25))
    assert skill_mix_of(STAFF) == (((("vaxel", "information"), ""), 0.25), ((("vaxel",), ""), 0.5),
                                   ((("information",), ""), 0.25))


def test_the_same_count_gives_the_same_people_and_one_more_gives_one_more():
    contracts, skills = parse_contract_mix("100:0.7,75:0.3"), skill_mix_of(STAFF)
    ten = hypothetical_staff(10, contracts, skills)
    assert ten == hypothetical_staff(10, contracts, skills)
    assert hypothetical_staff(11, contracts, skills)[:10] == ten  # house-monotone: n + 1 is n and one more
    assert [e.id for e in ten[:3]] == ["H01", "H02", "H03"] and ten[6].name == "Storlek 07"
    assert sorted(e.contract_pct for e in ten) == [75.0] * 3 + [100.0] * 7  # 0.7 and 0.3 of ten, exactly
    skills_drawn = [e.groups for e in ten]
    assert skills_drawn.count(("vaxel",)) == 5 and skills_drawn.count(("vaxel", "information")) in (2, 3)
    assert all(not e.absences and not e.days_off and e.kind == "staff" for e in ten)


def test_the_centres_own_size_reproduces_its_skill_mix():
    center = read_center(NEW_CENTRE)
    six = hypothetical_staff(6, contract_mix_of(center.staff), skill_mix_of(center.staff))
    assert sorted(e.groups for e in six) == sorted(e.groups for e in center.staff)
    assert {e.contract_pct for e in six} == {100.0}


@pytest.mark.parametrize("n", [1, 2, 7, 23])
def test_any_count_follows_the_shares_within_one_person(n):
    contracts = parse_contract_mix("100:0.5,80:0.3,50:0.2")
    people = hypothetical_staff(n, contracts, skill_mix_of(STAFF))
    assert len(people) == n and len({e.id for e in people}) == n
    for pct, share in contracts:
        assert abs(sum(e.contract_pct == pct for e in people) - share * n) < 1


# --------------------------------------------------------------------------------------------------------------
# the search


class Oracle:
    """A count meets the target from ``threshold`` on (or as ``table`` says); remembers what it was asked."""

    def __init__(self, threshold: int, table: dict[int, bool] | None = None) -> None:
        self.threshold, self.table, self.asked = threshold, table or {}, []

    def __call__(self, n: int) -> bool:
        assert n >= 1 and n not in self.asked, f"asked {n} again or out of range"
        self.asked.append(n)
        return self.table.get(n, n >= self.threshold)


@pytest.mark.parametrize("threshold", [1, 2, 7, 8, 9, 12, 20, 33])
@pytest.mark.parametrize("lower", [1, 7])
def test_the_search_finds_the_threshold_and_plans_the_count_below_it(threshold, lower):
    oracle = Oracle(threshold)
    answer = search_staff_count(oracle, lower=lower, most=40)
    assert answer == threshold
    assert threshold in oracle.asked and (threshold == 1 or threshold - 1 in oracle.asked)
    assert len(oracle.asked) <= 2 * (abs(threshold - lower) + 1).bit_length() + 2  # a gallop and a bisection


def test_the_search_uses_what_is_known_and_stops_at_most():
    oracle = Oracle(8)
    assert search_staff_count(oracle, lower=7, most=40, known={6: False}) == 8
    assert oracle.asked == [7, 9, 8]  # 6 was planned already; 7 fails, the step doubles: 9 meets, then 8
    too_few = Oracle(50)
    assert search_staff_count(too_few, lower=7, most=12) is None
    assert max(too_few.asked) == 12
    above = Oracle(50)
    assert search_staff_count(above, lower=20, most=12) is None and above.asked == [12]  # the bound past the ceiling


def test_a_non_monotone_curve_walks_down_to_the_fewest_meeting_below():
    oracle = Oracle(10, table={8: True, 7: True, 6: False, 9: False})  # noise: 7 and 8 meet, 9 does not
    assert search_staff_count(oracle, lower=7, most=40) == 7
    assert 6 in oracle.asked


# --------------------------------------------------------------------------------------------------------------
# the Södertälje-like centre


@pytest.fixture(scope="module")
def sized():
    center = read_center(NEW_CENTRE)
    settings = settings_from_center(center, time_limit_s=TIME_LIMIT_S)
    result = size_centre(center, scenario=Scenario.from_toml(PROPOSAL), week=WEEK, as_of=AS_OF, runs=RUNS,
                         seed=SEED, confidence=CONFIDENCE, settings=settings)
    return center, settings, result


def test_the_answer_meets_every_target_and_one_fewer_does_not(sized):
    _, _, result = sized
    n = result.answer
    assert n is not None and n > 1
    assert result.point(n).meets_every_target and not result.point(n - 1).meets_every_target
    assert all(p.roster_found for p in result.points) and result.monotone
    for g in result.point(n).groups:
        assert g.share_of_weeks_met >= CONFIDENCE and g.met
    assert result.lower_bound <= n + 1  # the Erlang bound is near the answer, and the search started there
    assert len(result.points) <= 6  # few weeks planned
    table = result.table()
    assert list(table.columns) == SIZE_COLUMNS
    assert table.loc[table["answer"], "staff"].unique().tolist() == [n]
    assert f"{n} staff: the fewest" in result.answer_line() and f"{n - 1} do not" in result.answer_line()
    assert "SYNTHETIC" in repr(result)
    assert result.employed_fte() == pytest.approx(n / 0.85, abs=0.01)  # the scenario's shrinkage, all at 100 %
    assert f"that is {result.employed_fte():g} FTE to employ" in result.answer_line()


def test_the_answer_holds_when_planned_and_simulated_again(sized):
    """Independently of the search: plan N and N − 1 afresh through the scenario and simulate them; the shares of
    simulated weeks that met each group's target are counted here from the per-run weeks."""
    center, settings, result = sized
    scenario = Scenario.from_toml(PROPOSAL)
    contracts, skills = contract_mix_of(center.staff), skill_mix_of(center.staff)
    verdicts = {}
    for n in (result.answer - 1, result.answer):
        plan = plan_scenario(center, scenario, WEEK, as_of=AS_OF, settings=settings,
                             staff=hypothetical_staff(n, contracts, skills))
        assert plan.roster.is_feasible() and len(plan.center.staff) == n
        assert set(plan.schedule["employee"]) <= {e.id for e in plan.center.staff}
        sim = simulate_plan(plan, runs=RUNS, seed=SEED)
        assert len(sim.weeks) == RUNS * len(center.groups)
        mean = sim.weeks.groupby("group")["service_level"].mean()
        assert mean.round(6).to_dict() == sim.groups.set_index("group")["service_level"].round(6).to_dict()
        shares = {g: float((rows["service_level"] >= rows["service_level_target"]).mean())
                  for g, rows in sim.weeks.groupby("group")}
        verdicts[n] = all(share >= CONFIDENCE for share in shares.values())
        point = result.point(n)
        assert {g.group: g.share_of_weeks_met for g in point.groups} == pytest.approx(shares)
    assert verdicts == {result.answer - 1: False, result.answer: True}


def test_size_on_the_command_line_writes_the_curve(tmp_path, capsys):
    out = tmp_path / "size"
    code = main(["size", "--center", str(NEW_CENTRE), "--scenario", str(PROPOSAL), "--week", WEEK,
                 "--as-of", str(AS_OF), "--runs", "5", "--time-limit", "15", "--contract-mix", "100:0.7,75:0.3",
                 "--out", str(out), "-q"])
    assert code == 0
    printed = capsys.readouterr().out
    assert printed.startswith("SYNTHETIC:") and "staff: the fewest" in printed and "every target" in printed
    assert sorted(p.name for p in out.iterdir()) == ["size.csv", "size.png"]
    assert note_of(out / "size.csv").startswith("SYNTHETIC")
    table = read_output_csv(out / "size.csv")
    assert list(table.columns) == SIZE_COLUMNS and table["answer"].sum() == 3  # two groups and all, at N
    n = int(table.loc[table["answer"], "staff"].iloc[0])
    every = table[table["group"] == "all"].set_index("staff")["meets_target"]
    assert every[n] and not every[n - 1]


def test_no_count_up_to_max_staff_exits_3_and_still_writes_the_curve(tmp_path, capsys):
    out = tmp_path / "size"
    code = main(["size", "--center", str(NEW_CENTRE), "--scenario", str(PROPOSAL), "--week", WEEK,
                 "--as-of", str(AS_OF), "--runs", "3", "--time-limit", "15", "--max-staff", "5", "--out", str(out),
                 "-q"])
    assert code == 3
    captured = capsys.readouterr()
    assert "no staff count up to 5 meets every target" in captured.err and captured.err.count("\n") == 1
    table = read_output_csv(out / "size.csv")
    assert table["staff"].unique().tolist() == [5] and not table["answer"].any()
