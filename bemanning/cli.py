"""The command line: ``bemanning plan`` — the nightly job — and its stages alone: ``bemanning ingest`` (the call
log into the interval history), ``bemanning forecast`` and ``bemanning backtest``; ``bemanning simulate`` runs a
planned week in simulation; ``bemanning scenario`` plans what-ifs beside the base and compares them; ``bemanning
size`` finds the fewest staff whose roster meets every target in simulation.

One strict contract for scripts and cron. Exit codes: 0 done; 3 (``plan``) the plan was written but a group misses
its target (projected, or simulated with ``--simulate``; one line on stderr names them), or (``size``) the curve
was written but no staff count up to ``--max-staff`` meets every target; 2 bad input — an argument,
an option's value, a centre or data file (one line on stderr, ``bemanning: bad input: …``, says where, what was
expected and what was found), found before any work where the command line alone shows it; 1 anything else (set
``BEMANNING_DEBUG=1`` to see the traceback of an unexpected error); 130 interrupted (Ctrl-C).

The centre is ``--center FILE``, else ``--demo`` (the bundled SYNTHETIC demo centre), else ``center.toml`` in the
current folder; with none of them a command exits 2 — a cron line that lost its ``--center`` never plans the demo.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import math
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, TypeVar

import numpy as np

from . import __version__
from .config import Center
from .files import read_center
from .errors import BemanningError, InputError, SolverError
from .schema.solve import SolveInfo

if TYPE_CHECKING:  # the stages are imported on use: `bemanning --help` stays fast
    import pandas as pd

    from .executor import Executor
    from .schema import SolverSettings
    from .ingest import Ingested

__all__ = ["EXIT_BAD_INPUT", "EXIT_ERROR", "EXIT_INTERRUPTED", "EXIT_OK", "EXIT_TARGET_MISSED", "main"]

EXIT_OK, EXIT_ERROR, EXIT_BAD_INPUT, EXIT_TARGET_MISSED, EXIT_INTERRUPTED = 0, 1, 2, 3, 130

log = logging.getLogger("bemanning")
T = TypeVar("T")


# --------------------------------------------------------------------------------------------------------------
# option values: each type= function returns the value or raises ArgumentTypeError "expected …, found …"


def _shown(text: str) -> str:
    """How a found value is quoted in a message: a number as typed, anything else in quotes."""
    return text if re.fullmatch(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?", text) else repr(text)


def _value(parse: Callable[[str], T], expected: str, ok: Callable[[T], bool] = lambda v: True) -> Callable[[str], T]:
    """A ``type=`` function: ``parse(text)`` (which may raise ValueError), kept if ``ok``."""

    def check(text: str) -> T:
        try:
            value = parse(text)
            if ok(value):
                return value
        except ValueError:
            pass
        raise argparse.ArgumentTypeError(f"expected {expected}, found {_shown(text)}")

    return check


def _date(text: str) -> dt.date:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise ValueError(text)
    return dt.date.fromisoformat(text)


def _clock(text: str) -> dt.time:
    if not re.fullmatch(r"\d{2}:\d{2}", text):
        raise ValueError(text)
    return dt.time.fromisoformat(text)


def _month(text: str) -> str:
    if not re.fullmatch(r"\d{4}-\d{2}", text):
        raise ValueError(text)
    dt.date.fromisoformat(f"{text}-01")  # raises ValueError for month 13
    return text


def _week(text: str) -> str:
    from .calendar import iso_week_dates

    iso_week_dates(text)  # raises ValueError
    return text


def _week_of(text: str) -> str:
    """An ISO week as given, or the ISO week of a date."""
    from .calendar import iso_week_name

    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return iso_week_name(dt.date.fromisoformat(text))
    return _week(text)


_DATE = _value(_date, "a date YYYY-MM-DD")
_WEEK_OR_DAY = _value(_week_of, "an ISO week like 2026-W49 or a date YYYY-MM-DD")
_SCHEDULER = _value(str, "a scheduler address like tcp://host:8786",
                    lambda v: re.fullmatch(r"(tcp|tls|inproc|ucx)://\S+", v) is not None)
_WEEKS_BACK = _value(int, "a whole number of weeks 1-52", lambda v: 1 <= v <= 52)
_WEEK = _value(_week, "an ISO week like 2026-W49")
_SECONDS = _value(float, "seconds > 0", lambda v: math.isfinite(v) and v > 0)
_AT_LEAST_1 = _value(int, "a whole number >= 1", lambda v: v >= 1)
_SEED = _value(int, "a whole number >= 0", lambda v: v >= 0)
_WEEKS_AHEAD = _value(int, "a whole number of weeks 1-8", lambda v: 1 <= v <= 8)
_SHARE = _value(float, "a share >= 0 and < 1", lambda v: 0 <= v < 1)
_AMOUNT = _value(float, "an amount >= 0", lambda v: math.isfinite(v) and v >= 0)
_FILE = _value(Path, "an existing file", Path.is_file)
_FOLDER = _value(Path, "an existing folder", Path.is_dir)
_CLOCK = _value(_clock, "a time of day HH:MM")
_MONTH = _value(_month, "a month YYYY-MM")
_YEAR = _value(int, "a year like 2027", lambda v: 1970 <= v <= 2100)
_CONFIDENCE = _value(float, "a share > 0 and <= 1", lambda v: 0 < v <= 1)


def _contract_mix(text: str) -> tuple[tuple[float, float], ...]:
    """``--contract-mix 100:0.7,75:0.3`` (:func:`bemanning.sizing.parse_contract_mix`)."""
    from .sizing import parse_contract_mix

    try:
        return parse_contract_mix(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _out_folder(text: str) -> Path:
    """An output folder that exists or can be made, and can be written — checked without making it."""
    path = Path(text).absolute()
    found = next(p for p in (path, *path.parents) if p.exists())  # the folder itself or where it would be made
    if found.is_dir() and os.access(found, os.W_OK | os.X_OK):
        return Path(text)
    if found.is_dir():
        problem = f"{str(found)!r} read-only"
    else:
        problem = f"a file {text!r}" if found == path else f"a file in its path: {str(found)!r}"
    raise argparse.ArgumentTypeError(f"expected a folder, found {problem}")


def _new_file(text: str) -> Path:
    """A file to write, in an existing folder that can be written."""
    path = Path(text)
    folder = path.absolute().parent
    if path.is_dir() or not folder.is_dir() or not os.access(folder, os.W_OK | os.X_OK):
        raise argparse.ArgumentTypeError(f"expected a file to write in an existing, writable folder, found {text!r}")
    return path


# --------------------------------------------------------------------------------------------------------------
# the parser


class _Parser(argparse.ArgumentParser):
    """argparse whose every error is one line ``bemanning: bad input: …`` and exit 2 (never a usage block)."""

    def error(self, message: str) -> NoReturn:
        line = _tidy(message)
        if ", found " not in line:  # a message that says what it found needs no pointer to the help
            line += f"; see {self.prog} --help"
        self.exit(EXIT_BAD_INPUT, f"bemanning: bad input: {line}\n")


def _tidy(message: str) -> str:
    """argparse's own messages in the contract's words: '<option>: expected …, found …'."""
    message = message.removeprefix("argument ")
    if m := re.fullmatch(r"(.+?): invalid choice: (.+) \(choose from (.+)\)", message):
        return f"{m[1]}: expected one of {m[3].replace(chr(39), '')}, found {m[2]}"
    if m := re.fullmatch(r"(.+?): expected (one|at least one) argument", message):
        return f"{m[1]}: expected {'a value' if m[2] == 'one' else 'one value or more'}, found none"
    if m := re.fullmatch(r"the following arguments are required: (.+)", message):
        return f"missing {m[1]}"
    if m := re.fullmatch(r"unrecognized arguments: (.+)", message):
        return f"unknown argument(s): {m[1]}"
    return message.replace(": not allowed with argument ", ": not allowed with ")


def _exit_codes(missed: str | None = None) -> str:
    """The epilog's table of exit codes; ``missed``: the 3 line's prefix, None for a command without it."""
    three = "" if missed is None else f"  3    {missed}written, but a group misses its target (one line on stderr)\n"
    return ("Exit codes:\n  0    done\n  1    anything else (BEMANNING_DEBUG=1 shows the traceback)\n"
            "  2    bad input: an argument, option or file (one line on stderr: where, expected, found)\n"
            f"{three}  130  interrupted (Ctrl-C)")


def _command(sub: argparse._SubParsersAction, name: str, run: Callable[[argparse.Namespace], int], summary: str,
             description: str, example: str, *, missed: str | None = None,
             many_centres: bool = False) -> argparse.ArgumentParser:
    """One subcommand with the shared options: --center/--demo, -q/-v; ``run(args)`` returns the exit code."""
    cmd = sub.add_parser(name, help=summary, description=description, allow_abbrev=False,
                         epilog=f"Example:\n  {example}\n\n{_exit_codes(missed)}",
                         formatter_class=argparse.RawDescriptionHelpFormatter)
    cmd.set_defaults(run=run, parser=cmd)
    centre = cmd.add_mutually_exclusive_group()
    if many_centres:
        centre.add_argument("--center", type=_FILE, nargs="+", metavar="FILE",
                            help="the centre's TOML file (default: center.toml in the current folder); several: "
                                 "each planned into its own folder in --out")
    else:
        centre.add_argument("--center", type=_FILE, metavar="FILE",
                            help="the centre's TOML file (default: center.toml in the current folder)")
    centre.add_argument("--demo", action="store_true", help="use the bundled SYNTHETIC demo centre")
    talk = cmd.add_mutually_exclusive_group()
    talk.add_argument("-q", "--quiet", action="store_true", help="no progress lines on stderr, only warnings")
    talk.add_argument("-v", "--verbose", action="store_true", help="debug lines on stderr too")
    return cmd


def _out(cmd: argparse.ArgumentParser, default: str | None = None) -> None:
    cmd.add_argument("--out", type=_out_folder, metavar="DIR", required=default is None, default=default,
                     help=f"output folder, made if missing (default: ./{default})" if default else
                     "output folder, made if missing")


def _solver_options(cmd: argparse.ArgumentParser, default_limit: str) -> None:
    cmd.add_argument("--solver", choices=["highs", "cbc"], help="MIP solver (default: the centre's)")
    cmd.add_argument("--time-limit", type=_SECONDS, metavar="S",
                     help=f"solver time limit in seconds (default: {default_limit})")
    cmd.add_argument("--threads", type=_AT_LEAST_1, metavar="N", help="solver threads (default: the centre's)")


def _parallel_options(cmd: argparse.ArgumentParser, what: str) -> None:
    """Where the independent tasks run: local processes (--jobs), or Dask (--scheduler, --workers)."""
    where = cmd.add_mutually_exclusive_group()
    where.add_argument("--jobs", type=_AT_LEAST_1, metavar="N",
                       help=f"{what} at once, each in its own local process (default: one per core)")
    where.add_argument("--scheduler", type=_SCHEDULER, metavar="ADDRESS",
                       help="run them on the Dask scheduler at ADDRESS (tcp://host:8786); every worker needs "
                            "bemanning installed and the centre's files at the same paths")
    where.add_argument("--workers", type=_AT_LEAST_1, metavar="N",
                       help="run them on a local Dask cluster of N worker processes")


def _executor(args: argparse.Namespace) -> Executor:
    from .executor import make_executor

    return make_executor(jobs=args.jobs, scheduler=args.scheduler, workers=args.workers)


def _parser() -> argparse.ArgumentParser:
    example = "bemanning plan --center center.toml --week 2026-W49 --out plan"
    p = _Parser(prog="bemanning", description="Contact-centre planning: forecast, staffing, roster.",
                epilog=f"Example:\n  {example}\n\n{_exit_codes('plan: the plan was ')}",
                formatter_class=argparse.RawDescriptionHelpFormatter, allow_abbrev=False)
    p.add_argument("--version", action="version", version=f"bemanning {__version__}")
    sub = p.add_subparsers(dest="command", metavar="command")
    week = {"type": _WEEK, "metavar": "YYYY-Www"}
    as_of = {"type": _DATE, "metavar": "YYYY-MM-DD",
             "help": "use history before this date, YYYY-MM-DD (default: today)"}
    runs = {"type": _AT_LEAST_1, "default": 20, "metavar": "N"}
    seed = {"type": _SEED, "default": 0, "metavar": "N", "help": "seed of the simulation's random calls (default 0)"}

    plan = _command(sub, "plan", _plan, "plan a week: forecast, staffing and the roster, written to --out",
                    "Plan one ISO week: forecast calls and handling time, size the agents each interval needs\n"
                    "and roster the named staff; write schedule, coverage, forecast, Excel, plots and summary.json\n"
                    "into --out.",
                    "bemanning plan --center center.toml --week 2026-W49 --out plan-next --simulate", missed="the plan was ",
                    many_centres=True)
    plan.add_argument("--week", **week,
                      help="ISO week to plan, e.g. 2026-W49 (default: next week); with --weeks, the period's first")
    plan.add_argument("--from", dest="week", **week, help="the same as --week (a period's first week)")
    plan.add_argument("--weeks", type=_WEEKS_AHEAD, default=1, metavar="N",
                      help="plan a period of N consecutive weeks (1-8), week by week: a plan folder per week in "
                           "--out, and the period's schedule.csv, fairness.csv, schedule.xlsx and period.json")
    plan.add_argument("--previous", type=_FOLDER, metavar="DIR",
                      help="the published plan folder of the week before: the first days keep the daily rest after "
                           "its last shifts, and unpopular shifts ([[fairness]]) are shared with the weeks it "
                           "counted (its fairness_tally.csv)")
    plan.add_argument("--base", type=_FOLDER, metavar="DIR",
                      help="a rotating base schedule (a folder written by `bemanning base-schedule`): the week keeps "
                           "to it where the calls allow; each departure costs [roster.weights] from_base")
    _out(plan, "plan")
    plan.add_argument("--as-of", **as_of)
    _solver_options(plan, "the centre's")
    plan.add_argument("--write-lp", type=_new_file, metavar="FILE", help="also write the roster model as an .lp file")
    plan.add_argument("--simulate", action="store_true",
                      help="simulate the planned week (--runs times) and report the simulated service level next "
                           "to the projected one in summary.json")
    plan.add_argument("--runs", **runs, help="simulation runs with --simulate (default 20)")
    plan.add_argument("--seed", **seed)
    _parallel_options(plan, "centres (with several --center)")
    plan.add_argument("--archive", type=_out_folder, metavar="DIR",
                      help="also keep the plan in DIR/<week> (never overwritten: a week archived already is kept), "
                           "for `bemanning report --archive DIR` to set plans against outcomes")

    rep = _command(sub, "report", _report, "follow-up: how the service really went, per month, week, day or tertial",
                   "Follow-up (uppföljning) from the centre's history: per group and period, offered, answered,\n"
                   "abandoned, the service level as the centre defines it against the target, speed of answer and\n"
                   "handling time; with --archive (the plans `bemanning plan --archive` kept) each week's plan\n"
                   "against its outcome. Write followup.csv, followup.xlsx, followup.png (and plan_vs_outcome.csv).",
                   "bemanning report --center center.toml --from 2026-01-01 --to 2026-11-30 --by month --out "
                   "uppfoljning")
    rep.add_argument("--from", dest="first", type=_DATE, required=True, metavar="YYYY-MM-DD", help="first day")
    rep.add_argument("--to", dest="last", type=_DATE, required=True, metavar="YYYY-MM-DD", help="last day (included)")
    rep.add_argument("--by", choices=["month", "week", "day", "tertial"], default="month",
                     help="the periods (default: month)")
    rep.add_argument("--archive", type=_FOLDER, metavar="DIR",
                     help="the archive of plans (one folder per ISO week, as `bemanning plan --archive` keeps it)")
    _out(rep, "uppfoljning")

    rp = _command(sub, "replay", _replay, "replay past weeks: plan each as the nightly job would have, replay its "
                  "real calls, compare with what happened",
                  "Replay past weeks through the whole chain: plan each from the history before its Monday (the\n"
                  "centre file as it is), replay the week's real calls from the export against the roster (--runs\n"
                  "times), and set the replayed service level beside what really happened and beside the agents as\n"
                  "they really worked, replayed the same way; hours side by side. Write replay.csv, replay.png,\n"
                  "index.html and each week's plan folder.",
                  "bemanning replay --center center.toml --from 2026-09-07 --weeks 8 --staff actual --out replay")
    rp.add_argument("--from", dest="first", type=_WEEK_OR_DAY, required=True, metavar="WEEK",
                    help="the first week: an ISO week (1999-W06) or a day in it, YYYY-MM-DD")
    rp.add_argument("--weeks", type=_WEEKS_BACK, default=1, metavar="N", help="consecutive weeks (1-52, default 1)")
    rp.add_argument("--staff", choices=["actual", "list"],
                    help="actual: the agents who answered calls each week, at equal or fewer hours ([calls.columns] "
                         "agent; the default where the export has it); list: the centre's staff list")
    _out(rp, "replay")
    rp.add_argument("--runs", type=_AT_LEAST_1, default=10, metavar="N", help="replays a week (default 10)")
    rp.add_argument("--seed", **seed)
    _parallel_options(rp, "weeks")
    _solver_options(rp, "the centre's")

    base = _command(sub, "base-schedule", _base_schedule,
                    "build a rotating base schedule of N weeks that repeats, for a typical week's calls",
                    "Build a rotating base schedule (rullande schema): N weeks whose lines repeat, the last week\n"
                    "followed by the first, every rule kept across that wrap, for a typical week (the median of the\n"
                    "last 13 weeks' normal days). One model over all N weeks. Writes schedule.csv, coverage.csv,\n"
                    "fairness.csv, schedule.xlsx and base.json into --out; `bemanning plan --base DIR` plans from it.",
                    "bemanning base-schedule --center center.toml --weeks 4 --week 2027-W02 --out base")
    base.add_argument("--weeks", type=_WEEKS_AHEAD, default=4, metavar="N",
                      help="weeks in the pattern (1-8, default 4)")
    base.add_argument("--week", **week, help="the ISO week the pattern's week 1 applies to (default: next week)")
    _out(base, "base")
    base.add_argument("--as-of", **as_of)
    _solver_options(base, "the centre's times the number of weeks")

    check = _command(sub, "check", _check, "read and check the centre, its staff list and history; change nothing",
                     "Read the centre file, its staff list and its history up to the week's Monday, and print what\n"
                     "bemanning understood: hours per group and day, staff and contract hours against open hours,\n"
                     "the week's activities, the history's span and every input row's fate. Writes nothing.",
                     "bemanning check --center center.toml --week 2026-W49")
    check.add_argument("--week", **week, help="ISO week to describe, e.g. 2026-W49 (default: next week)")
    check.add_argument("--no-history", action="store_true", help="do not read the call log or interval export")

    ingest = _command(sub, "ingest", _ingest, "read the call log into history.csv and rejects.csv",
                      "Read the centre's call log (or interval export) into history.csv (per group and interval)\n"
                      "and rejects.csv (every line not used, with its reason).",
                      "bemanning ingest --center center.toml --until 2026-12-01 --out history")
    ingest.add_argument("--until", type=_DATE, metavar="YYYY-MM-DD",
                        help="use calls before this date, YYYY-MM-DD (default: today)")
    _out(ingest)

    fc = _command(sub, "forecast", _forecast, "forecast calls and handling time, N weeks ahead, into forecast.csv",
                  "Forecast calls and handling time per group and interval, N weeks ahead, into forecast.csv.",
                  "bemanning forecast --center center.toml --weeks 2 --as-of 2026-11-23 --out forecast")
    fc.add_argument("--weeks", type=_WEEKS_AHEAD, default=1, metavar="N",
                    help="weeks ahead, from next Monday (1-8, default 1)")
    fc.add_argument("--week", **week, help="the first ISO week to forecast, e.g. 2026-W49 (default: the one after "
                                           "--as-of); history before its Monday (or --as-of, if earlier) is used")
    fc.add_argument("--as-of", **as_of)
    _out(fc)

    bt = _command(sub, "backtest", _backtest, "score every forecasting model on the last N weeks",
                  "Score every forecasting model per group on the last N weeks (each held out in turn)\n"
                  "into backtest.csv and backtest.png.",
                  "bemanning backtest --center center.toml --weeks 26 --out backtest")
    bt.add_argument("--weeks", type=_AT_LEAST_1, default=26, metavar="N",
                    help="weeks to hold out, one at a time (default 26)")
    bt.add_argument("--horizon", type=_WEEKS_AHEAD, default=1, metavar="N",
                    help="forecast each held-out week this many weeks ahead (1-8, default 1: from the history up to "
                         "the Sunday before it)")
    bt.add_argument("--as-of", **as_of)
    _out(bt)

    sim = _command(sub, "simulate", _simulate, "simulate a planned week (a folder `bemanning plan` wrote)",
                   "Simulate a planned week (a folder `bemanning plan` wrote) into simulated.csv,\n"
                   "simulated_days.csv and simulated.png.",
                   "bemanning simulate --center center.toml --plan plan-next --runs 20 --out simulated")
    sim.add_argument("--plan", type=_FOLDER, required=True, metavar="DIR", help="the plan folder")
    sim.add_argument("--arrivals", type=_FILE, nargs="+", metavar="LOG",
                     help="replay the real calls of these call-log files (in the centre's [calls] format) instead "
                          "of Poisson calls from the plan's forecast")
    sim.add_argument("--runs", **runs, help="simulation runs (default 20)")
    sim.add_argument("--seed", **seed)
    _out(sim)

    day = _command(sub, "intraday", _intraday, "re-plan the rest of today: absences, the calls so far, temps",
                   "Re-plan the rest of a planned day at --at: the published plan (--plan), who is absent\n"
                   "(--absent) and the calls seen so far (the centre's export, or --calls) give a reforecast and a\n"
                   "new day in which every change costs something; write schedule.csv (today), changes.csv,\n"
                   "coverage.csv and groups.csv (the rest of the day before and after) into --out.",
                   "bemanning intraday --center center.toml --plan plan-next --date 2026-12-08 --at 08:15 "
                   "--absent E03 E07@11:00:vab --out idag", missed="the new day was ")
    day.add_argument("--plan", type=_FOLDER, required=True, metavar="DIR", help="the plan folder of the week")
    day.add_argument("--date", type=_DATE, required=True, metavar="YYYY-MM-DD", help="the day to re-plan")
    day.add_argument("--at", type=_CLOCK, required=True, metavar="HH:MM", help="now: what has ended is seen")
    day.add_argument("--absent", nargs="+", default=[], metavar="WHO",
                     help="absent staff: E07 (from --at), E07@11:00 (from 11:00), E07@11:00:vab (with the "
                          "reason), or a file of them (CSV employee,from,reason or one per line)")
    day.add_argument("--calls", type=_FILE, nargs="+", metavar="LOG",
                     help="today's call-log files (in the centre's [calls] format; default: the centre's export)")
    day.add_argument("--no-calls", action="store_true", help="keep the published forecast (no reforecast)")
    day.add_argument("--time-limit", type=_SECONDS, default=20.0, metavar="S",
                     help="solver time limit in seconds (default 20)")
    day.add_argument("--simulate", action="store_true",
                     help="simulate the rest of the day as published and as re-planned (--runs times)")
    day.add_argument("--runs", **runs, help="simulation runs with --simulate (default 20)")
    day.add_argument("--seed", **seed)
    _out(day, "intraday")

    cap = _command(sub, "capacity", _capacity, "the year ahead: required vs available FTE per week and month",
                   "Forecast the months ahead by the daily regression (month, holiday, summer-hours effects;\n"
                   "events; a scenario's volumes), size every group by the plan's Erlang models (no roster), and\n"
                   "set the required FTE (with [capacity] shrinkage) against the staff list's (less holidays,\n"
                   "absences and the summer vacation); write capacity.csv, capacity.xlsx and capacity.png.",
                   "bemanning capacity --center center.toml --from 2027-01 --to 2027-12 --out capacity")
    cap.add_argument("--from", dest="first", type=_MONTH, metavar="YYYY-MM",
                     help="first month (default: the month after --as-of)")
    cap.add_argument("--to", dest="last", type=_MONTH, metavar="YYYY-MM",
                     help="last month (default: 12 months from --from)")
    cap.add_argument("--as-of", **as_of)
    cap.add_argument("--scenario", type=_FILE, metavar="FILE",
                     help="a scenario file: its changes to the centre, its volumes and scaling")
    cap.add_argument("--vacation", type=_FILE, metavar="FILE",
                     help="a vacation plan (vacation.csv of `bemanning vacation`): its weeks as absences instead of "
                          "the summer vacation spread evenly")
    _out(cap, "capacity")

    vac = _command(sub, "vacation", _vacation, "place each person's summer vacation weeks from their ranked wishes",
                   "Place each person's consecutive summer vacation weeks ([capacity] vacation_weeks, or the staff\n"
                   "list's) from their ranked vacation_wishes, so that the weekly shortfall against the capacity\n"
                   "plan is smallest and no group has more than [capacity] max_away_share of its skilled staff away;\n"
                   "an integer program. Write vacation.csv, vacation_weeks.csv, vacation.png and vacation.json.",
                   "bemanning vacation --center center.toml --year 2027 --previous vacation-2026/vacation.csv "
                   "--out vacation")
    vac.add_argument("--year", type=_YEAR, required=True, metavar="YYYY", help="the summer to plan")
    vac.add_argument("--previous", type=_FILE, metavar="FILE",
                     help="last year's vacation.csv: who got a later wish then is first in line now")
    vac.add_argument("--as-of", **as_of)
    vac.add_argument("--time-limit", type=_SECONDS, default=60.0, metavar="S",
                     help="solver time limit in seconds (default 60)")
    _out(vac, "vacation")

    sc = _command(sub, "scenario", _scenario, "plan the base and each scenario for the same week and compare them",
                  "Plan the base and each scenario (a TOML of changes) for the same week, in parallel, into\n"
                  "scenarios.csv, scenarios.png and one plan folder each.",
                  "bemanning scenario --center center.toml scenario-chatt.toml --week 2026-W49 --out scenarios")
    sc.add_argument("scenarios", type=_FILE, nargs="+", metavar="scenario.toml", help="scenario files")
    sc.add_argument("--week", **week, help="ISO week to plan, e.g. 2026-W49 (default: next week)")
    sc.add_argument("--as-of", **as_of)
    sc.add_argument("--simulate", action="store_true", help="simulate every plan (--runs times) too")
    sc.add_argument("--runs", **runs, help="simulation runs with --simulate (default 20)")
    sc.add_argument("--seed", **seed)
    _parallel_options(sc, "plans")
    sc.add_argument("--shrinkage", type=_SHARE, default=0.0, metavar="SHARE",
                    help="share of paid time lost to sickness, vab and holidays, for the FTE columns (default 0; "
                         "a scenario's [scenario] shrinkage wins)")
    sc.add_argument("--cost-per-hour", type=_AMOUNT, metavar="AMOUNT",
                    help="cost of a paid hour, for the cost column")
    sc.add_argument("--time-limit", type=_SECONDS, metavar="S",
                    help="solver time limit in seconds (default: the centre's)")
    sc.add_argument("--threads", type=_AT_LEAST_1, metavar="N", help="solver threads per plan (default: the centre's)")
    _out(sc)

    size = _command(sub, "size", _size, "the fewest staff whose roster meets every target in simulation",
                    "The right size: the fewest staff (of a contract mix and the staff list's skill mix) whose\n"
                    "roster for the week meets every group's target in at least --confidence of --runs simulated\n"
                    "weeks, found by a search over staff counts that plans as few weeks as it can (from the\n"
                    "Erlang bound up, then bisecting; the count below the answer is always planned too). Prints\n"
                    "the curve of service level against staff count; writes size.csv and size.png into --out.",
                    "bemanning size --center data/sodertalje/center.toml --scenario "
                    "data/sodertalje/scenario-volymer.toml --week 2027-W03 --out size",
                    missed="size: the curve was ")
    size.add_argument("--week", **week, help="ISO week to size, e.g. 2026-W49 (default: next week); choose the "
                                             "busiest week of the year to size for the peak")
    size.add_argument("--as-of", **as_of)
    size.add_argument("--scenario", type=_FILE, metavar="FILE",
                      help="a scenario file applied as `bemanning scenario` applies it (volumes for a centre without "
                           "history, changed hours, new groups, …)")
    size.add_argument("--contract-mix", type=_contract_mix, metavar="PCT:SHARE,…",
                      help="contract percentages and their shares of the staff, e.g. 100:0.7,75:0.3 (default: the "
                           "staff list's own mix)")
    size.add_argument("--confidence", type=_CONFIDENCE, default=0.9, metavar="SHARE",
                      help="share of simulated weeks in which every group must meet its target (default 0.9)")
    size.add_argument("--runs", **runs, help="simulated weeks per staff count (default 20)")
    size.add_argument("--seed", **seed)
    size.add_argument("--max-staff", type=_AT_LEAST_1, metavar="N",
                      help="the largest staff count tried (default: twice the Erlang bound, at least 10 more)")
    _solver_options(size, "the centre's")
    _out(size, "size")
    return p


def _center_path(args: argparse.Namespace) -> Path:
    """--center, else --demo, else center.toml in the current folder: never the demo unasked."""
    if args.demo:
        from .demo import demo_center_path

        log.info("the bundled SYNTHETIC demo centre (--demo): %s", demo_center_path())
        return demo_center_path()
    if isinstance(args.center, list):  # plan --center a.toml b.toml: several centres, one run
        if len(args.center) > 1:
            args.centres = args.center
        return args.center[0]
    if args.center is not None:
        return args.center
    here = Path.cwd() / "center.toml"
    if here.is_file():
        log.info("no --center given: using %s", here)
        return here
    raise InputError("no centre file: give --center FILE (or --demo for the bundled synthetic demo centre); "
                     f"no center.toml in {Path.cwd()}")


def _center(args: argparse.Namespace) -> Center:
    center = read_center(args.center)
    if center.synthetic_note:
        log.warning("%s", center.synthetic_note)
    return center


# --------------------------------------------------------------------------------------------------------------
# the commands


def _forecast(args: argparse.Namespace) -> int:
    from .calendar import iso_week_dates
    from .planner import forecast_ahead
    from .report import write_forecast

    center = _center(args)
    if args.week:
        monday = iso_week_dates(args.week)[0]
        as_of = min(args.as_of or dt.date.today(), monday)
    else:
        as_of = args.as_of or dt.date.today()
        monday = as_of + dt.timedelta(days=7 - as_of.weekday())
    fc = forecast_ahead(center, monday, args.weeks, as_of=as_of)
    frame = fc.frame
    written = write_forecast(frame, args.out, center.synthetic_note, excel=center.excel_csv)
    for group, part in frame.groupby("group"):
        aht_s = np.average(part["aht_s"], weights=part["calls"] + 1e-9)
        handling = f"{aht_s:.0f} s" if np.isfinite(aht_s) else "unknown (no handling times in the history)"
        print(f"{group}: {part['calls'].sum():.0f} calls, mean handling time {handling}, model "
              f"{fc.chosen[group]}")
    for note in fc.notes.values():
        print(note)
    print("wrote " + ", ".join(str(p) for p in written))
    return EXIT_OK


def _read_history(center: Center, until: dt.date | None) -> Ingested:
    """The centre's history before ``until`` (default: today); a synthetic centre's call files generated first."""
    from .demo import synthetic_files
    from .ingest import ingest

    until = until or dt.date.today()
    return ingest(center, until, files=synthetic_files(center, until))


def _backtest(args: argparse.Namespace) -> int:
    from .prognos import backtest_groups
    from .report import write_backtest

    center = _center(args)
    history = _read_history(center, args.as_of).history
    table, predictions = backtest_groups(history, weeks=center.forecast.weeks, folds=args.weeks,
                                         events=center.events, horizon_weeks=args.horizon,
                                         gate_ratio=center.forecast.gate_ratio)
    if table.empty or table["folds"].max() == 0:
        raise InputError(f"the history is too short to hold out any of the last {args.weeks} weeks "
                         f"(each needs {7 + args.horizon} weeks before it)", file=center.path)
    ahead = "" if args.horizon == 1 else f", {args.horizon} weeks ahead"
    written = write_backtest(table, predictions, args.out, center.name + ahead, center.synthetic_note,
                             excel=center.excel_csv)
    print(table.to_string(index=False, float_format=lambda v: f"{v:.4f}"))
    print("wrote " + ", ".join(str(p) for p in written))
    return EXIT_OK


def _simulate(args: argparse.Namespace) -> int:
    from .ingest import read_calls
    from .report import write_simulation
    from .plan_folder import read_plan_folder
    from .simulate import replay_calls, simulate_week

    center = _center(args)
    plan = read_plan_folder(center, args.plan)
    draw_calls = None
    if args.arrivals is not None:
        if center.calls is None:
            raise InputError("--arrivals needs the centre's [calls] section to read the call log", file=center.path)
        log = read_calls(center.calls, files=args.arrivals, groups=center.group_of_log_name,
                         timezone=center.timezone)
        slot = log.calls["arrived"].dt.floor(f"{center.interval_min}min")
        open_slots = set(zip(plan.forecast["group"], plan.forecast["interval_start"]))
        real = log.calls[[key in open_slots for key in zip(log.calls["group"], slot)]]
        print(f"arrivals: {len(log.calls)} calls read, {len(real)} in the plan's open intervals replayed, "
              f"{len(log.calls) - len(real)} outside them not; {len(log.rejects)} lines rejected")
        if real.empty:
            raise InputError("no call of the log falls in the plan's open intervals", file=args.arrivals[0])
        patience = plan.models.set_index("group")["patience_s"].to_dict()
        draw_calls = lambda rng: replay_calls(real, patience_s=patience, seed=rng)  # noqa: E731
    result = simulate_week(center, plan.forecast, plan.schedule, activities=plan.activities, models=plan.models,
                           projected=plan.coverage, runs=args.runs, seed=args.seed, draw_calls=draw_calls)
    written = write_simulation(result, args.out, center.name, center.synthetic_note, excel=center.excel_csv)
    for r in result.groups.itertuples():
        print(f"{r.group}: {r.offered:.0f} calls, service level {r.service_level:.1%} simulated (90 % of runs "
              f"{r.service_level_lo:.1%}–{r.service_level_hi:.1%}), {r.projected_service_level:.1%} projected, "
              f"target {r.service_level_target:.0%}{'' if r.meets_target else ' MISSED'}; {r.abandoned:.0f} hung up")
    print("wrote " + ", ".join(str(p) for p in written))
    return EXIT_OK


def _scenario(args: argparse.Namespace) -> int:
    from .report import write_scenarios
    from .scenarios import compare
    from .schema import settings_from_center

    center = _center(args)
    settings = settings_from_center(center, time_limit_s=args.time_limit, threads=args.threads)
    table = compare(center, args.scenarios, week=args.week, as_of=args.as_of, settings=settings,
                    shrinkage=args.shrinkage, cost_per_hour=args.cost_per_hour,
                    simulate_runs=args.runs if args.simulate else 0, seed=args.seed, out=args.out,
                    executor=_executor(args))
    written = write_scenarios(table, args.out, center.name, center.synthetic_note, excel=center.excel_csv)
    shown = ["scenario", "group", "forecast_calls", "required_fte", "scheduled_fte", "projected_service_level",
             "simulated_service_level", "under_coverage_hours", "paid_hours", "cost"]
    shown = [c for c in shown if table[c].notna().any()]
    print(table[shown].to_string(index=False, na_rep="", float_format=lambda v: f"{v:.3f}"))
    print("wrote " + ", ".join(str(p) for p in written) + f" and a plan folder per scenario in {args.out}")
    return EXIT_OK


def _capacity(args: argparse.Namespace) -> int:
    from .capacity import capacity_plan, month_range, write_capacity
    from .scenarios import Scenario
    from .vacation import read_vacation, with_vacation

    center = _center(args)
    as_of = args.as_of or dt.date.today()
    first = args.first or (as_of.replace(day=1) + dt.timedelta(days=32)).strftime("%Y-%m")
    if args.last is None:
        start = dt.date.fromisoformat(f"{first}-01")
        last = f"{start.year + (start.month + 10) // 12}-{(start.month + 10) % 12 + 1:02d}"
    else:
        last = args.last
    try:
        first_day, last_day = month_range(first, last)
    except ValueError as exc:
        raise InputError(f"--from/--to: expected --to on or after --from, found {exc}") from None
    if args.vacation is not None:
        center = with_vacation(center, read_vacation(args.vacation, center))
    scenario = None if args.scenario is None else Scenario.from_toml(args.scenario)
    plan = capacity_plan(center, first_day, last_day, as_of=as_of, scenario=scenario,
                         vacation_planned=args.vacation is not None)
    shown = plan.weeks()[["period", "calls", "chats", "emails", "required_h", "required_fte", "available_fte",
                          "gap_fte", "temps"]]
    shown = shown.loc[:, [c for c in shown.columns if c not in ("chats", "emails") or shown[c].any()]]
    print(shown.to_string(index=False, float_format=lambda v: f"{v:.1f}"))
    for line in [*(plan.lines or ["no week short"]), *plan.notes]:
        print(line)
    written = write_capacity(plan, args.out)
    print("wrote " + ", ".join(str(p) for p in written))
    return EXIT_OK


def _vacation(args: argparse.Namespace) -> int:
    from .schema import settings_from_center
    from .vacation import plan_vacation, read_vacation, write_vacation

    center = _center(args)
    previous = None if args.previous is None else read_vacation(args.previous, center)
    plan = plan_vacation(center, args.year, as_of=args.as_of or dt.date.today(), previous=previous,
                         settings=settings_from_center(center, time_limit_s=args.time_limit))
    shown = plan.assigned[["employee", "name", "first_week", "last_week", "wish", "source"]]
    print(shown.astype({"wish": object}).fillna("").to_string(index=False))
    for line in plan.lines:
        print(line)
    written = write_vacation(plan, args.out)
    print("wrote " + ", ".join(str(p) for p in written))
    return EXIT_OK


def _size(args: argparse.Namespace) -> int:
    from .planner import next_iso_week
    from .report import write_size
    from .scenarios import Scenario
    from .schema import settings_from_center
    from .sizing import size_centre

    center = _center(args)
    scenario = Scenario.from_toml(args.scenario) if args.scenario is not None else None
    settings = settings_from_center(center, solver=args.solver, time_limit_s=args.time_limit, threads=args.threads)
    result = size_centre(center, scenario=scenario, week=args.week or next_iso_week(), as_of=args.as_of,
                         contracts=args.contract_mix, confidence=args.confidence, runs=args.runs, seed=args.seed,
                         settings=settings, max_staff=args.max_staff)
    title = center.name + (f", scenario {scenario.name}" if scenario else "") + f", {result.week}"
    written = write_size(result.table(), args.out, title, center.synthetic_note, excel=center.excel_csv)
    if center.synthetic_note:
        print(center.synthetic_note)
    print(repr(result).partition("\n")[0])
    print(result.wide().to_string(index=False, na_rep="-"))
    print(result.answer_line())
    print("wrote " + ", ".join(str(p) for p in written))
    if result.answer is None:
        print(f"bemanning: curve written, but {result.answer_line()}", file=sys.stderr)
        return EXIT_TARGET_MISSED
    return EXIT_OK


def _check(args: argparse.Namespace) -> int:
    from .calendar import iso_week_dates
    from .ingest import require_calls
    from .overview import center_overview, history_lines
    from .planner import next_iso_week

    center = _center(args)
    week = args.week or next_iso_week(dt.date.today())
    for line in center_overview(center, week):
        print(line)
    if args.no_history or (center.calls is None and center.intervals is None):
        return EXIT_OK
    got = _read_history(center, iso_week_dates(week)[0])
    print(got.source.summary())
    for line in [*history_lines(got.history), *got.missing_lines]:
        print(line)
    require_calls(got, center)  # a group without calls fails the plan: check says so (exit 2)
    return EXIT_OK


def _ingest(args: argparse.Namespace) -> int:
    from .ingest import outside_hours_summary, write_ingested

    center = _center(args)
    got = _read_history(center, args.until)
    written = write_ingested(got, args.out, excel=center.excel_csv)
    print(got.source.summary())
    h = got.history
    print(f"history: {h['group'].nunique()} groups, {len(h)} group-intervals ({int(h['open'].sum())} open, "
          f"{int(h['missing'].sum())} missing) from {h['interval_start'].min():%Y-%m-%d} to "
          f"{h['interval_start'].max():%Y-%m-%d}, {int(h['offered'].sum())} calls offered")
    for line in [*got.missing_lines, *outside_hours_summary(h)]:
        print(line)
    print("wrote " + ", ".join(str(p) for p in written))
    return EXIT_OK


def _plan(args: argparse.Namespace) -> int:
    from .planner import plan_week
    from .plan_folder import write_plan
    from .report import human_summary, missed_targets
    from .schema import settings_from_center

    from .rotation import base_week_starts
    from .calendar import iso_week_dates
    from .period import read_published_schedule
    from .planner import next_iso_week
    from .schema import PeriodSoFar

    if getattr(args, "centres", None):
        return _plan_centres(args)
    parallel = next((o for o, v in (("--jobs", args.jobs), ("--scheduler", args.scheduler),
                                    ("--workers", args.workers)) if v is not None), None)
    if parallel:
        raise InputError(f"{parallel} runs several centres at once; expected two or more --center files, found one")
    center = _center(args)
    settings = settings_from_center(
        center, solver=args.solver, time_limit_s=args.time_limit, threads=args.threads, lp_file=args.write_lp
    )
    before = read_published_schedule(args.previous) if args.previous else None
    tally = _carried_tally(args.previous, center) if args.previous else None
    if args.weeks > 1:
        return _plan_period(args, center, settings, before, tally)
    week = args.week or next_iso_week()
    from_base = base_week_starts(args.base, iso_week_dates(week)) if args.base else {}
    plan = plan_week(center, week, as_of=args.as_of, settings=settings,
                     period=PeriodSoFar(before=before, tally=tally, base_starts=from_base),
                     simulate_runs=args.runs if args.simulate else 0, simulate_seed=args.seed)
    if not plan.roster.is_feasible():
        print(f"bemanning: {_no_roster(plan.roster.info)}; nothing written", file=sys.stderr)
        return EXIT_ERROR
    written = write_plan(plan, args.out)
    print(human_summary(plan))
    print("wrote " + ", ".join(str(p) for p in written))
    if args.archive is not None:
        from .followup import archive_plan

        kept, now = archive_plan(args.out, args.archive, plan.week)
        print(f"archived in {kept}" if now else f"{kept} is archived already: kept as it was (never overwritten)")
    missed = missed_targets(plan.summary)
    if missed:
        what = "group(s) or language(s)" if plan.summary.languages else "group(s)"
        print(f"bemanning: plan written, but {len(missed)} {what} miss their target: {'; '.join(missed)}",
              file=sys.stderr)
        return EXIT_TARGET_MISSED
    return EXIT_OK


def _plan_centres(args: argparse.Namespace) -> int:
    from .batch import plan_centres, worst_exit

    alone = [o for o, given in (("--weeks", args.weeks > 1), ("--previous", args.previous), ("--base", args.base),
                                ("--write-lp", args.write_lp)) if given]
    if alone:
        raise InputError(f"{alone[0]} plans one centre; expected one --center with it, found {len(args.centres)}")
    runs = plan_centres(args.centres, args.out, week=args.week, as_of=args.as_of, solver=args.solver,
                        time_limit_s=args.time_limit, threads=args.threads,
                        simulate_runs=args.runs if args.simulate else 0, seed=args.seed, archive=args.archive,
                        executor=_executor(args))
    for run in runs:
        print(run.line(), file=sys.stdout if run.code in (EXIT_OK, EXIT_TARGET_MISSED) else sys.stderr)
    worst = worst_exit(runs)
    print(f"{len(runs)} centres: " + ", ".join(f"{sum(r.code == c for r in runs)} exit {c}" for c in (0, 3, 2, 1)
                                               if any(r.code == c for r in runs)))
    return worst


def _report(args: argparse.Namespace) -> int:
    from .followup import followup, write_followup

    center = _center(args)
    got = _read_history(center, args.last + dt.timedelta(days=1))
    result = followup(center, got.history, args.first, args.last, args.by, archive=args.archive)
    if center.is_synthetic:
        print(center.synthetic_note)
    shown = result.table[["group", "period", "offered", "answered", "abandoned", "service_level",
                          "service_level_target", "asa_s", "aht_s", "missing_intervals"]]
    counts = ["offered", "answered", "abandoned"]
    shown = shown.astype({c: object for c in counts})
    shown[counts] = shown[counts].where(shown[counts].notna(), "-")  # unknown (an export of arrivals only)
    print(shown.to_string(index=False, na_rep="-", float_format=lambda v: f"{v:.3f}"))
    if result.plans is not None:
        print(result.plans.to_string(index=False, na_rep="-", float_format=lambda v: f"{v:.3f}"))
    for line in result.lines():
        print(line)
    written = write_followup(result, args.out)
    print("wrote " + ", ".join(str(p) for p in written))
    return EXIT_OK


def _replay(args: argparse.Namespace) -> int:
    from .replay import LIMITS, replay_weeks, write_replay
    from .schema import settings_from_center

    center = _center(args)
    settings = settings_from_center(center, solver=args.solver, time_limit_s=args.time_limit, threads=args.threads)
    result = replay_weeks(center, args.first, args.weeks, staff=args.staff, runs=args.runs, seed=args.seed,
                          settings=settings, out=args.out, executor=_executor(args))
    if center.is_synthetic:
        print(center.synthetic_note)
    shown = result.table[["week", "group", "offered", "actual_service_level", "replayed_service_level",
                          "as_worked_service_level", "actual_abandoned_share", "replayed_abandoned_share",
                          "actual_asa_s", "replayed_asa_s", "actual_h", "planned_h", "solver_status"]]
    print(shown.to_string(index=False, na_rep="-", float_format=lambda v: f"{v:.3f}"))
    for line in result.lines():
        print(line)
    print(LIMITS)
    written = write_replay(result, args.out)
    print("wrote " + ", ".join(str(p) for p in written) + f" and a plan folder per planned week in {args.out}")
    return EXIT_OK


def _base_schedule(args: argparse.Namespace) -> int:
    from .rotation import base_settings, plan_base, write_base

    center = _center(args)
    settings = base_settings(center, args.weeks, time_limit_s=args.time_limit, solver=args.solver, threads=args.threads)
    base = plan_base(center, args.weeks, args.week, as_of=args.as_of, settings=settings)
    if not base.roster.is_feasible():
        print(f"bemanning: {_no_roster(base.roster.info)}; nothing written", file=sys.stderr)
        return EXIT_ERROR
    if base.problems:  # a rule the model keeps, broken: a bug, never a pattern to publish
        raise SolverError(f"the base schedule breaks {len(base.problems)} rule(s), first: {base.problems[0]}; "
                          "nothing written")
    written = write_base(base, args.out)
    print(repr(base))
    print(f"wrote {', '.join(str(p) for p in written)}")
    return EXIT_OK


def _carried_tally(previous: Path, center: Center) -> pd.DataFrame | None:
    """The unpopular shifts the published week before counted (its fairness_tally.csv), for a centre with
    [[fairness]]; a line on stderr when that folder has none (the shares then count from this week on)."""
    from .plan_folder import FAIRNESS_TALLY, read_fairness_tally

    if not center.fairness:
        return None
    tally = read_fairness_tally(previous)
    if tally is None:
        print(f"bemanning: {previous} has no {FAIRNESS_TALLY}: unpopular shifts are shared from this week on",
              file=sys.stderr)
    return tally


def _plan_period(args: argparse.Namespace, center: Center, settings: SolverSettings,
                 before: pd.DataFrame | None, tally: pd.DataFrame | None) -> int:
    from .period import plan_period, write_period
    from .report import human_summary, missed_targets

    if args.simulate:
        raise InputError("--simulate plans one week; simulate a period's weeks one by one with `bemanning simulate "
                         "--plan DIR/2026-W49`")
    period = plan_period(center, args.week, args.weeks, as_of=args.as_of, settings=settings, before=before,
                         base=args.base, tally=tally)
    if period.problems:  # a rule the model keeps, broken: a bug, never a plan to publish
        raise SolverError(f"the period's roster breaks {len(period.problems)} rule(s), first: {period.problems[0]}; "
                          "nothing written")
    written = write_period(period, args.out)
    for plan in period.weeks:
        print(human_summary(plan))
    print(repr(period).partition("\n")[2])  # the period's lines, without its title
    print(f"wrote {len(written)} files into {args.out} (a folder per week, schedule.csv, fairness.csv, period.json)")
    missed = [f"{plan.week} {m}" for plan in period.weeks for m in missed_targets(plan.summary)]
    if missed:
        print(f"bemanning: plan written, but {len(missed)} week-group(s) miss their target: {'; '.join(missed)}",
              file=sys.stderr)
        return EXIT_TARGET_MISSED
    return EXIT_OK


def _intraday(args: argparse.Namespace) -> int:
    from .intraday import parse_absent, read_absent, replan_day, write_day_replan

    center = _center(args)
    at_min = args.at.hour * 60 + args.at.minute
    absent = []
    for item in args.absent:
        path = Path(item)
        absent += read_absent(path, at_min) if path.is_file() else parse_absent([item], at_min)
    result = replan_day(args.plan, center, args.date, args.at, absent=absent, calls=args.calls,
                        use_calls=not args.no_calls, time_limit_s=args.time_limit,
                        simulate_runs=args.runs if args.simulate else 0, seed=args.seed)
    if result.problems:
        raise BemanningError(f"the re-planned day breaks a rule ({result.problems[0]}); nothing written")
    written = write_day_replan(result, args.out)
    print(repr(result))
    print(result.groups.to_string(index=False))
    print("wrote " + ", ".join(str(p) for p in written))
    short = [f"{r.group} {r.service_level_after:.1%} projected for the rest of the day (target {r.target:.0%})"
             for r in result.groups.itertuples() if r.service_level_after < r.target]
    if short:
        print(f"bemanning: new day written, but {len(short)} group(s) miss their target: {'; '.join(short)}",
              file=sys.stderr)
        return EXIT_TARGET_MISSED
    return EXIT_OK


def _no_roster(info: SolveInfo) -> str:
    """Why there is no roster, in a planner's words."""
    if info.status == "time_limit":
        return (f"no roster found within the time limit of {info.time_limit_s:g} s ({info.solver} had not yet "
                f"found a week that keeps every rule); allow more time with --time-limit")
    if info.status == "infeasible":
        return ("no roster can keep every rule this week (contract hours, rest, shift lengths and opening hours "
                "contradict each other); write the model with --write-lp to see which rules bind")
    return f"the solver {info.solver} stopped without a roster (status {info.status})"


def main(argv: list[str] | None = None) -> int:
    """Run one command line (default: ``sys.argv[1:]``); returns the exit code (--help and --version: 0)."""
    parser = _parser()
    try:
        args, extra = parser.parse_known_args(argv)
        if args.command is None:
            parser.error("expected a command: plan, report, replay, base-schedule, check, ingest, forecast, backtest, "
                         "simulate, intraday, capacity, vacation, scenario or size")
        if extra:
            args.parser.error(f"unrecognized arguments: {' '.join(extra)}")
    except SystemExit as exc:  # argparse: --help, --version, or one bad-input line already printed
        return int(exc.code or 0)
    logging.basicConfig(
        level=logging.WARNING if args.quiet else logging.INFO, format="%(asctime)s %(message)s", datefmt="%H:%M:%S"
    )
    log.setLevel(logging.DEBUG if args.verbose else logging.NOTSET)  # -v: bemanning's debug lines, no library's
    log.debug("bemanning %s on Python %s: %s", __version__, sys.version.split()[0],
              " ".join(sys.argv[1:] if argv is None else argv))
    try:
        args.center = _center_path(args)
        return args.run(args)
    except InputError as exc:
        print(f"bemanning: bad input: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BemanningError as exc:
        print(f"bemanning: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("bemanning: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as exc:  # the nightly job must end with one line, not a traceback
        if os.environ.get("BEMANNING_DEBUG"):
            raise
        print(f"bemanning: unexpected error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
