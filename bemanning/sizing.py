"""The right size (``bemanning size``): the fewest staff whose roster for a week meets every group's target.

"Hard to find the right size" (Södertälje's proposal). For a staff count ``n`` bemanning draws ``n`` hypothetical
people from a contract mix and the skill mix of the centre's staff list (:func:`hypothetical_staff`), plans the
week for them with the planner's own roster (:func:`bemanning.planner.plan_week`, through
:func:`bemanning.scenarios.plan_scenario` so that a scenario file's volumes and changes apply) and simulates it
(:func:`bemanning.simulate.simulate_plan`, ``runs`` weeks with seed ``seed``: the same calls for every ``n``, so
that the counts are compared on common random numbers). ``n`` **meets every target** when the solver found a
roster and every phone and chat group's simulated service level meets its target in at least ``confidence`` of
the simulated weeks (an e-mail group: the roster's share of work done on time meets its target). A roster the
solver did not find does not meet it, and its status is kept.

The search (:func:`search_staff_count`) plans as few weeks as it can: the first plan (at the staff list's own
size) gives the week's Erlang requirement, and with it a lower bound — the required agent-hours over the most
hours one person may be paid in a week (:func:`erlang_lower_bound`); from there it steps up, doubling the step,
until a count meets every target, bisects between the last count that did not and the first that did, and then
checks the count below the answer, going on down while that one meets too (meeting the target is nearly, not
exactly, monotone in ``n``). The answer ``N`` is only given when ``N`` was planned and meets every target and
``N − 1`` was planned and does not (or ``N = 1``); if no count up to ``max_staff`` meets them, there is no answer.

How ``n`` people are drawn (:func:`hypothetical_staff`): person ``i`` (1, 2, …) takes the contract percentage and
the skill profile (the groups a person answers, preferred first, and their unit) that the Sainte-Laguë divisor
rule gives next — each category in turn to the one with the largest ``share / (people so far + 0.5)``, ties to the
first listed — so the ``n + 1`` people are the ``n`` and one more, and any ``n`` follows the shares as closely as
whole people can. Contracts and skill profiles are drawn independently (each in its own order). The people are
``H01 Storlek 01`` …: hypothetical, no absences, wishes or days off of their own.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import math
import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .config import Center, Employee
from .display import Shown
from .errors import InputError
from .planner import PlanResult, plan_week
from .scenarios import Scenario, plan_scenario
from .schema import SolverSettings

__all__ = ["SIZE_COLUMNS", "ContractMix", "GroupAtSize", "SizePoint", "SizeResult", "SkillMix", "contract_mix_of",
           "erlang_lower_bound", "hypothetical_staff", "parse_contract_mix", "search_staff_count", "size_centre",
           "size_point", "skill_mix_of"]

log = logging.getLogger("bemanning")

#: (contract percentage, share of the people), the shares summing to 1.
ContractMix = tuple[tuple[float, float], ...]
#: ((groups preferred first, unit), share of the people), the shares summing to 1.
SkillMix = tuple[tuple[tuple[tuple[str, ...], str], float], ...]

_MIX_EXAMPLE = "100:0.7,75:0.3"
_SUM_TOLERANCE = 1e-6


# --------------------------------------------------------------------------------------------------------------
# the people of a staff count


def parse_contract_mix(text: str) -> ContractMix:
    """``"100:0.7,75:0.3"`` → ``((100.0, 0.7), (75.0, 0.3))``: contract percentages in (0, 100], each once, with
    shares > 0 summing to 1. A mistake is a ValueError ``expected …, found …``."""
    pairs = [p.strip() for p in text.split(",")]
    number = r"\d+(?:\.\d*)?|\.\d+"
    if not pairs or not all(re.fullmatch(rf"({number})\s*:\s*({number})", p) for p in pairs):
        raise ValueError(f"expected contract percentages and shares like {_MIX_EXAMPLE}, found {text!r}")
    mix = [tuple(float(x) for x in p.split(":")) for p in pairs]
    for pct, share in mix:
        if not 0 < pct <= 100:
            raise ValueError(f"expected contract percentages > 0 and <= 100 like {_MIX_EXAMPLE}, found {pct:g} "
                             f"in {text!r}")
        if not 0 < share <= 1:
            raise ValueError(f"expected shares > 0 and <= 1 like {_MIX_EXAMPLE}, found {share:g} in {text!r}")
    seen = [pct for pct, _ in mix]
    twice = next((pct for pct in seen if seen.count(pct) > 1), None)
    if twice is not None:
        raise ValueError(f"expected each contract percentage once, found {twice:g} twice in {text!r}")
    total = sum(share for _, share in mix)
    if abs(total - 1) > _SUM_TOLERANCE:
        raise ValueError(f"expected shares that sum to 1 like {_MIX_EXAMPLE}, found a sum of {total:g} in {text!r}")
    return tuple((pct, share) for pct, share in mix)


def _planned(staff: Iterable[Employee]) -> list[Employee]:
    """The people a week's plan rosters (temps are called in on the day, never planned)."""
    return [e for e in staff if e.kind != "temp"]


def _shares(keys: Sequence[object]) -> tuple[tuple[object, float], ...]:
    """Each distinct key (in order of first appearance) with its share of ``keys``."""
    counts = dict.fromkeys(keys, 0)
    for k in keys:
        counts[k] += 1
    return tuple((k, c / len(keys)) for k, c in counts.items())


def contract_mix_of(staff: Iterable[Employee]) -> ContractMix:
    """The staff list's own contract mix (temps left out), in order of first appearance."""
    return _shares([e.contract_pct for e in _planned(staff)])  # type: ignore[return-value]


def skill_mix_of(staff: Iterable[Employee]) -> SkillMix:
    """The staff list's skill profiles — the groups each person answers, preferred first, and their unit — with
    their shares (temps left out), in order of first appearance."""
    return _shares([(e.groups, e.unit) for e in _planned(staff)])  # type: ignore[return-value]


def _divisor_order(shares: Sequence[float], n: int) -> list[int]:
    """The category of each of ``n`` people in turn by the Sainte-Laguë rule: the next person goes to the category
    with the largest ``share / (people so far + 0.5)`` (ties: the first). House-monotone: n + 1 extends n."""
    given = [0] * len(shares)
    order = []
    for _ in range(n):
        best = max(range(len(shares)), key=lambda c: (shares[c] / (given[c] + 0.5), -c))
        given[best] += 1
        order.append(best)
    return order


def hypothetical_staff(n: int, contracts: ContractMix, skills: SkillMix) -> tuple[Employee, ...]:
    """``n`` hypothetical people ``H01 Storlek 01`` … drawn from the mixes (see the module's docstring): the same
    ``n`` gives the same people, and ``n + 1`` the same and one more."""
    if n < 0:
        raise ValueError(f"n == {n}, must be >= 0")
    if not contracts or not skills:
        raise ValueError("a staff count needs a contract mix and a skill mix (the staff list has nobody planned)")
    pcts = [contracts[c][0] for c in _divisor_order([s for _, s in contracts], n)]
    profiles = [skills[c][0] for c in _divisor_order([s for _, s in skills], n)]
    return tuple(Employee(id=f"H{i:02d}", name=f"Storlek {i:02d}", contract_pct=pct, groups=groups, unit=unit)
                 for i, (pct, (groups, unit)) in enumerate(zip(pcts, profiles), start=1))


# --------------------------------------------------------------------------------------------------------------
# one staff count, planned and simulated


@dataclass(frozen=True)
class GroupAtSize:
    """One group's week at a staff count. Levels are shares; None where there is no roster (or no simulation)."""

    group: str
    channel: str
    service_level_target: float
    projected_service_level: float | None
    simulated_service_level: float | None  # mean over the simulated weeks
    share_of_weeks_met: float | None  # share of simulated weeks whose service level met the target
    required_h: float
    scheduled_h: float | None
    met: bool  # phone, chat: share_of_weeks_met >= confidence; e-mail: the roster's share on time meets the target


@dataclass(frozen=True)
class SizePoint:
    """A staff count planned and simulated: the curve's point."""

    staff: int
    roster_found: bool
    solver_status: str
    solver_gap: float | None
    paid_h: float | None
    groups: tuple[GroupAtSize, ...]
    seconds: float  # wall-clock: plan and simulation
    order: int = 0  # planned as the order-th (1: first)

    @property
    def meets_every_target(self) -> bool:
        return self.roster_found and all(g.met for g in self.groups)


def size_point(plan: PlanResult, staff: int, *, confidence: float, seconds: float = 0.0, order: int = 0
               ) -> SizePoint:
    """A planned (and, for a found roster, simulated) week as a point of the curve, judged at ``confidence``."""
    found = plan.roster.is_feasible()
    shares = plan.simulation.share_of_runs_meeting_target() if found and plan.simulation is not None else None
    groups = []
    for g in plan.summary.groups:
        live = g.channel != "email"
        share = None if shares is None or g.group not in shares.index else float(shares[g.group])
        if not found:
            met = False
        elif live:
            met = share is not None and share >= confidence
        else:
            met = g.meets_target
        groups.append(GroupAtSize(
            group=g.group, channel=g.channel, service_level_target=g.service_level_target,
            projected_service_level=g.projected_service_level if found else None,
            simulated_service_level=g.simulated_service_level if found else None,
            share_of_weeks_met=share, required_h=g.required_h, scheduled_h=g.scheduled_h if found else None, met=met))
    info = plan.roster.info
    return SizePoint(staff=staff, roster_found=found, solver_status=info.status, solver_gap=info.gap,
                     paid_h=round(float(plan.roster.hours["paid_h"].sum()), 1) if found else None,
                     groups=tuple(groups), seconds=seconds, order=order)


def erlang_lower_bound(required_h: float, center: Center, contracts: ContractMix) -> int:
    """The fewest people whose most paid hours (largest contract of the mix: its share of the full-time week plus
    the tolerance) hold the agent-hours the targets need by Erlang: a lower bound for the roster, a starting
    point for the simulation (which may meet a week's target with a little less)."""
    most_h = max(pct for pct, _ in contracts) / 100 * center.roster.full_time_h + center.roster.hours_tolerance_h
    return max(1, math.ceil(required_h / most_h - 1e-9))


# --------------------------------------------------------------------------------------------------------------
# the search


def search_staff_count(meets: Callable[[int], bool], *, lower: int, most: int,
                       known: dict[int, bool] | None = None) -> int | None:
    """The fewest ``n`` in 1 … ``most`` with ``meets(n)``, ``meets(n − 1)`` false (or n = 1), asking ``meets`` as
    few times as it can and never twice for one ``n``. ``lower``: a count believed not to be exceeded by the
    answer from below (counts under it are taken as not meeting until the end, where the count below the answer
    is always asked); ``known``: counts already asked. Steps up from the largest count known not to meet,
    doubling the step, until one meets; bisects; then asks the count below the answer and goes on down while it
    meets. None: no count up to ``most`` meets."""
    asked = dict(known or {})

    def ok(n: int) -> bool:
        if n not in asked:
            asked[n] = bool(meets(n))
        return asked[n]

    met = [n for n, v in asked.items() if v and n <= most]
    hi = min(met) if met else None
    failed = [n for n, v in asked.items() if not v and (hi is None or n < hi)]
    lo = max([min(lower, most) - 1, 0, *failed])
    if hi is not None:
        lo = min(lo, hi - 1)
    step = 1
    while hi is None:
        if lo >= most:
            return None
        m = min(lo + step, most)
        if ok(m):
            hi = m
        else:
            lo, step = m, step * 2
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if ok(mid):
            hi = mid
        else:
            lo = mid
    while hi > 1 and ok(hi - 1):
        hi -= 1
    return hi


# --------------------------------------------------------------------------------------------------------------
# the result


#: The columns of :meth:`SizeResult.table` (``size.csv``): one row per staff count and group, and an ``all`` row.
SIZE_COLUMNS = ["staff", "group", "channel", "service_level_target", "projected_service_level",
                "simulated_service_level", "share_of_weeks_met", "confidence", "meets_target", "required_hours",
                "scheduled_hours", "paid_hours", "solver_status", "solver_gap", "plan_seconds", "planned_as",
                "answer"]


@dataclass(frozen=True, repr=False)
class SizeResult(Shown):
    """The curve of service level against staff count, and the answer: the fewest staff that meet every target."""

    center: str
    week: str
    scenario: str | None
    note: str | None  # a synthetic centre's line
    contracts: ContractMix
    skills: SkillMix
    confidence: float
    runs: int
    seed: int
    lower_bound: int  # the Erlang bound (erlang_lower_bound)
    most: int  # the search's max staff
    points: tuple[SizePoint, ...]  # in the order planned
    answer: int | None  # None: no count up to ``most`` meets every target
    seconds: float = 0.0
    requirement_h: float = 0.0  # agent-hours the targets need by Erlang (e-mail: hours of work)
    shrinkage: float | None = None  # the scenario's share of paid time lost to sickness, vab and holidays

    def employed_fte(self) -> float | None:
        """The answer's contracts as full-time equivalents to employ when ``shrinkage`` of paid time is lost to
        sickness, vab and holidays (the simulated week has everyone at work): ``Σ contract % / 100 / (1 −
        shrinkage)``; None without an answer or a shrinkage."""
        if self.answer is None or self.shrinkage is None:
            return None
        people = hypothetical_staff(self.answer, self.contracts, self.skills)
        return round(sum(e.contract_pct for e in people) / 100 / (1 - self.shrinkage), 2)

    @property
    def curve(self) -> tuple[SizePoint, ...]:
        """The points by staff count."""
        return tuple(sorted(self.points, key=lambda p: p.staff))

    def point(self, staff: int) -> SizePoint:
        return next(p for p in self.points if p.staff == staff)

    @property
    def monotone(self) -> bool:
        """True when no planned count meets every target while a larger one does not."""
        met = [p.meets_every_target for p in self.curve]
        return all(b or not a for a, b in zip(met, met[1:]))

    def answer_line(self) -> str:
        """The answer in one sentence."""
        judged = (f"every group's target met in at least {self.confidence:.0%} of {self.runs} simulated weeks "
                  f"(seed {self.seed})")
        if self.answer is None:
            return (f"no staff count up to {self.most} meets every target ({judged}); raise --max-staff or look at "
                    "the groups that miss")
        below = f"{self.answer - 1} do not" if self.answer > 1 else "nobody is fewer"
        fte = self.employed_fte()
        employ = "" if fte is None else (f"; they are all at work in the simulated week, so with {self.shrinkage:.0%}"
                                         f" of paid time lost to sickness, vab and holidays that is {fte:g} FTE "
                                         "to employ")
        return (f"{self.answer} staff: the fewest whose roster for {self.week} meets every target ({judged}); "
                f"{below}{employ}")

    def table(self) -> pd.DataFrame:
        """:data:`SIZE_COLUMNS`: per staff count (ascending) a row per group and an ``all`` row (paid hours,
        every target met, the solver)."""
        rows = []
        for p in self.curve:
            common = {"staff": p.staff, "confidence": self.confidence, "solver_status": p.solver_status,
                      "solver_gap": None if p.solver_gap is None else round(p.solver_gap, 6), "plan_seconds": round(p.seconds, 1), "planned_as": p.order,
                      "answer": p.staff == self.answer}
            for g in p.groups:
                rows.append({**common, "group": g.group, "channel": g.channel,
                             "service_level_target": g.service_level_target,
                             "projected_service_level": g.projected_service_level,
                             "simulated_service_level": g.simulated_service_level,
                             "share_of_weeks_met": g.share_of_weeks_met, "meets_target": g.met,
                             "required_hours": g.required_h, "scheduled_hours": g.scheduled_h})
            rows.append({**common, "group": "all", "channel": "", "meets_target": p.meets_every_target,
                         "required_hours": round(sum(g.required_h for g in p.groups), 1),
                         "scheduled_hours": None if not p.roster_found else
                         round(sum(g.scheduled_h or 0.0 for g in p.groups), 1),
                         "paid_hours": p.paid_h})
        return pd.DataFrame(rows, columns=SIZE_COLUMNS)

    def wide(self) -> pd.DataFrame:
        """The curve for people: a row per staff count, per group projected / simulated service level and the
        share of simulated weeks that met its target (percent), paid hours, every target met, the solver."""
        rows = []
        for p in self.curve:
            row: dict[str, object] = {"staff": p.staff, "paid h": p.paid_h}
            for g in p.groups:
                row[f"{g.group} proj %"] = _pct(g.projected_service_level)
                row[f"{g.group} sim %"] = _pct(g.simulated_service_level)
                row[f"{g.group} weeks met %"] = _pct(g.share_of_weeks_met, 0)
            row["every target"] = "met" if p.meets_every_target else "no"
            row["solver"] = p.solver_status
            row["s"] = round(p.seconds, 1)
            rows.append(row)
        return pd.DataFrame(rows)

    def _overview(self) -> tuple[str, list[str], list[tuple[str, pd.DataFrame]]]:
        lines = [self.answer_line(),
                 f"the Erlang bound: {self.lower_bound} staff ({self.requirement_h:,.1f} agent-h the targets need); "
                 f"{len(self.points)} weeks planned in {self.seconds:.0f} s",
                 "contract mix: " + ", ".join(f"{pct:g} %: {share:.2f}" for pct, share in self.contracts)]
        if not self.monotone:
            lines.append("not monotone: a count below another meets every target while the larger does not "
                         "(simulation noise or the solver's gap); the answer is the fewest with the count below "
                         "it planned and failing")
        if self.note:
            lines.insert(0, "SYNTHETIC: invented calls, staff or volumes")
        scenario = f", scenario {self.scenario}" if self.scenario else ""
        return f"SizeResult: {self.center}, {self.week}{scenario}", lines, [("the curve", self.wide())]


def _pct(share: float | None, digits: int = 1) -> float | None:
    return None if share is None or (isinstance(share, float) and np.isnan(share)) else round(100 * share, digits)


# --------------------------------------------------------------------------------------------------------------
# the whole question


def size_centre(
    center: Center,
    *,
    scenario: Scenario | None = None,
    week: str,
    as_of: dt.date | None = None,
    contracts: ContractMix | None = None,
    confidence: float = 0.9,
    runs: int = 20,
    seed: int = 0,
    settings: SolverSettings | None = None,
    max_staff: int | None = None,
) -> SizeResult:
    """The fewest staff of the contract mix (default: the staff list's own) and the skill mix of the centre's
    staff list (as ``scenario`` leaves it: its ``[[add_staff]]`` people count in the mix) whose roster for
    ``week`` meets every target in simulation (see the module's docstring). ``max_staff``: the search's ceiling
    (default: twice the Erlang bound, at least 10 more than it and at least the staff list's size)."""
    if not 0 < confidence <= 1:
        raise ValueError(f"confidence == {confidence!r}, must be in (0, 1]")
    started = time.perf_counter()
    listed = scenario.apply(center).staff if scenario is not None else center.staff
    skills = skill_mix_of(listed)
    contracts = contracts or contract_mix_of(listed)
    if not skills:
        raise InputError("the staff list has nobody planned (only temps) to take the skill mix from",
                         file=center.path)
    as_of = as_of or dt.date.today()
    points: dict[int, SizePoint] = {}
    first: list[PlanResult] = []

    def evaluate(n: int) -> bool:
        people = hypothetical_staff(n, contracts, skills)
        t0 = time.perf_counter()
        if not first:  # the scenario's forecast once; every later count reuses it and the history read
            plan = plan_scenario(center, scenario, week, as_of=as_of, settings=settings, simulate_runs=runs,
                                 simulate_seed=seed, staff=people)
            first.append(plan)
        else:
            f = first[0]
            plan = plan_week(dataclasses.replace(f.center, staff=people), f.week, as_of=f.as_of, settings=settings,
                             forecast_step=lambda *_: f.forecast, loaded=(f.calls, f.history), simulate_runs=runs,
                             simulate_seed=seed)
        points[n] = size_point(plan, n, confidence=confidence, seconds=time.perf_counter() - t0,
                               order=len(points) + 1)
        p = points[n]
        log.info("size %3d: %s, %s (%s, %.1f s)", n, "meets every target" if p.meets_every_target else "misses",
                 ", ".join(f"{g.group} {_share_text(g)}" for g in p.groups), p.solver_status, p.seconds)
        return p.meets_every_target

    start = max(1, min(len(_planned(listed)), max_staff or len(listed)))  # the staff list's own size first
    evaluate(start)
    required_h = sum(g.required_h for g in points[start].groups)
    lower = erlang_lower_bound(required_h, first[0].center, contracts)
    most = max_staff if max_staff is not None else max(2 * lower, lower + 10, start)
    answer = search_staff_count(evaluate, lower=lower, most=most,
                                known={start: points[start].meets_every_target})
    plan0 = first[0]
    return SizeResult(center=center.name, week=plan0.week, scenario=scenario.name if scenario else None,
                      note=center.synthetic_note, contracts=contracts, skills=skills, confidence=confidence,
                      runs=runs, seed=seed, lower_bound=lower, most=most, points=tuple(points.values()),
                      answer=answer, seconds=time.perf_counter() - started, requirement_h=round(required_h, 1),
                      shrinkage=scenario.shrinkage if scenario is not None else None)


def _share_text(g: GroupAtSize) -> str:
    if g.projected_service_level is None:
        return "no roster"
    if g.simulated_service_level is None or g.share_of_weeks_met is None:
        return f"{g.projected_service_level:.1%} projected"
    return f"{g.simulated_service_level:.1%} simulated, {g.share_of_weeks_met:.0%} of weeks met"
