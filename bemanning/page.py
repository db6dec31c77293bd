"""``index.html``: one self-contained page per plan (and per follow-up) that a manager opens — the week at a glance,
readable on a phone and printable. Figures are embedded (base64 PNG), nothing is fetched, no script runs.

    plan folder's PNGs + PlanSummary ──plan_page──▶ index.html
    FollowUp + followup.png ──────────followup_page──▶ index.html
"""

from __future__ import annotations

import base64
import html
from collections.abc import Callable, Mapping, Sequence

import pandas as pd

from .plan_tables import GroupOutcome, PlanSummary

__all__ = ["figure_html", "page_html", "plan_page", "solver_words", "table_html"]

_STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0 auto; max-width: 1100px;
       padding: 0.8rem; color: #1b1b1b; line-height: 1.4; }
h1 { font-size: 1.35rem; margin: 0.3rem 0; } h2 { font-size: 1.1rem; margin-top: 1.4rem; }
.synthetic { background: #fde2e1; color: #8b0000; padding: 0.5rem 0.7rem; border-radius: 4px; }
.wrap { overflow-x: auto; } table { border-collapse: collapse; font-size: 0.9rem; }
th, td { padding: 0.25rem 0.5rem; border-bottom: 1px solid #ddd; text-align: right; white-space: nowrap; }
th:first-child, td:first-child { text-align: left; } th { background: #f2f2f2; }
.miss { color: #b00020; font-weight: 600; } .ok { color: #1b6e20; }
figure { margin: 1rem 0; break-inside: avoid; } figure img { max-width: 100%; height: auto; border: 1px solid #eee; }
figcaption { font-size: 0.85rem; color: #555; } footer { margin-top: 2rem; font-size: 0.8rem; color: #666; }
@media print { body { max-width: none; } .wrap { overflow: visible; } h2 { break-after: avoid; } }
"""


def page_html(title: str, sections: Sequence[tuple[str, str]], *, note: str | None = None, footer: str = "") -> str:
    """A whole page: ``title``, a synthetic centre's ``note`` as a red banner, ``sections`` (heading, HTML)."""
    body = [f"<h1>{html.escape(title)}</h1>"]
    if note:
        body.append(f'<p class="synthetic">{html.escape(note)}</p>')
    for heading, content in sections:
        body.append(f"<section><h2>{html.escape(heading)}</h2>{content}</section>")
    if footer:
        body.append(f"<footer>{footer}</footer>")
    return ("<!DOCTYPE html>\n<html lang=\"sv\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{html.escape(title)}</title><style>{_STYLE}</style></head><body>\n"
            + "\n".join(body) + "\n</body></html>\n")


def table_html(frame: pd.DataFrame, formats: Mapping[str, Callable[[object], str]] | None = None,
               classes: Sequence[str] | None = None) -> str:
    """A table of ``frame`` (its column names as headers), cells by ``formats`` (column → value → text; the
    rest as text, empty for NaN), each row's ``classes`` (e.g. ``"miss"``), escaped; wrapped to scroll on a phone."""
    formats = formats or {}
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    rows = []
    for k, values in enumerate(frame.itertuples(index=False)):
        cells = []
        for column, value in zip(frame.columns, values):
            text = "" if _missing(value) else formats.get(column, str)(value)
            cells.append(f"<td>{html.escape(text)}</td>")
        css = f' class="{classes[k]}"' if classes and classes[k] else ""
        rows.append(f"<tr{css}>{''.join(cells)}</tr>")
    return f'<div class="wrap"><table><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></div>'


def _missing(value: object) -> bool:
    try:
        return value is None or bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def figure_html(png: bytes, caption: str) -> str:
    """A PNG embedded in the page, with its caption as the image's text."""
    data = base64.b64encode(png).decode("ascii")
    text = html.escape(caption)
    return f'<figure><img src="data:image/png;base64,{data}" alt="{text}"><figcaption>{text}</figcaption></figure>'


def _percent(value: object) -> str:
    return f"{100 * float(value):.1f} %"


def _hours(value: object) -> str:
    return f"{float(value):,.1f}".replace(",", " ")


def solver_words(summary: PlanSummary) -> str:
    """The roster solver's status in a planner's words: proven best, or how far from it at most."""
    s = summary.solver
    gap = "" if s.gap is None else f"{100 * s.gap:.2f} %"
    if s.status == "optimal":
        how = f"the best roster there is, to within {gap}" if gap else "the best roster there is"
    elif s.status in ("feasible", "time_limit") and s.objective is not None:
        how = (f"a roster that keeps every rule, at most {gap} from the best possible (the solver stopped at its "
               f"time limit of {s.time_limit_s:g} s)" if gap else "a roster that keeps every rule, not proven best")
    else:
        how = f"no roster ({s.status})"
    return f"{how}; solver {s.name}, {_count(s.variables)} variables ({_count(s.integer_variables)} integer)."


def _count(n: int) -> str:
    return f"{n:,}".replace(",", " ")


def _group_rows(summary: PlanSummary) -> tuple[pd.DataFrame, list[str]]:
    rows, classes = [], []
    for g in summary.groups:
        met = g.meets_target if g.simulated_meets_target is None else g.simulated_meets_target
        rows.append({"group": g.name, "channel": g.channel, "volume": _volume(g),
                     "projected": g.projected_service_level, "simulated": g.simulated_service_level,
                     "target": g.service_level_target, "required h": g.required_h, "scheduled h": g.scheduled_h,
                     "under h": g.under_coverage_h, "target met": "yes" if met else "NO"})
        classes.append("" if met else "miss")
    frame = pd.DataFrame(rows)
    return frame.drop(columns=[c for c in ("simulated", "under h") if frame[c].isna().all()]), classes


def _volume(g: GroupOutcome) -> str:
    if g.channel == "email":
        return f"{g.required_h:.0f} h of e-mail"
    unit = {"walkin": "visitors", "chat": "chats"}.get(g.channel, "calls")
    return f"{g.forecast_calls or 0:,.0f} {unit}".replace(",", " ")


def plan_page(summary: PlanSummary, days: tuple[str, str], figures: Mapping[str, bytes],
              files: Sequence[str] = ()) -> str:
    """``index.html`` of a plan folder: targets met or missed per group (and language), the solver's status in
    words, the shortfalls, and the folder's figures (``figures``: file name → PNG bytes; heatmap and Gantt first)."""
    groups, classes = _group_rows(summary)
    percent = {c: _percent for c in ("projected", "simulated", "target")}
    hours = {c: _hours for c in ("required h", "scheduled h", "under h")}
    missed = [c for c in classes if c]
    verdict = ("Every group meets its target" if not missed else
               f"{len(missed)} of {len(classes)} groups miss their target")
    spoken = [x for x in summary.languages if not x.meets_target]
    verdict += f"; {len(spoken)} of {len(summary.languages)} languages miss it." if spoken else "."
    sections = [("The week", f"<p><b>{html.escape(verdict)}</b> Roster: {html.escape(solver_words(summary))} "
                             f"{summary.staff.employees} staff, {_hours(summary.staff.paid_h)} paid hours"
                             f"{'' if summary.staff.contract_hours_kept else ' (someone outside their contract hours)'}."
                             "</p>" + table_html(groups, {**percent, **hours}, classes))]
    if summary.languages:
        frame = pd.DataFrame([{"group · language": f"{summary.group(x.group).name} · {x.name}",
                               "contacts": f"{x.contacts:.0f}", "projected": x.projected_service_level,
                               "simulated": x.simulated_service_level, "target": x.service_level_target,
                               "speaker h required": x.required_speaker_h, "scheduled": x.scheduled_speaker_h,
                               "intervals short": x.intervals_short} for x in summary.languages])
        frame = frame.drop(columns=["simulated"]) if frame["simulated"].isna().all() else frame
        marks = ["" if x.meets_target else "miss" for x in summary.languages]
        sections.append(("Languages", table_html(frame, {**percent, "speaker h required": _hours,
                                                         "scheduled": _hours}, marks)))
    short = pd.DataFrame([{"group": summary.group(s.group).name, "interval": s.interval_start[:16].replace("T", " "),
                           "required": s.required_agents, "scheduled": s.scheduled_agents, "short": s.short_agents}
                          for s in summary.shortfalls])
    if short.empty:
        sections.append(("Shortfalls", "<p>Every open interval has the agents it needs.</p>"))
    else:
        worst = short.sort_values("short", ascending=False, kind="stable").head(12)
        sections.append(("Shortfalls", f"<p>{len(short)} group-intervals below the requirement "
                                       f"({_hours(summary.under_coverage_h)} agent-hours); the worst:</p>"
                                       + table_html(worst)))
    captions = {"heatmap.png": "Scheduled minus required agents per group and interval (red: short)",
                "gantt.png": "The roster: each person's day", "coverage.png": "Required and scheduled agents",
                "forecast.png": "The forecast against the weeks before"}
    order = sorted(figures, key=lambda n: list(captions).index(n) if n in captions else len(captions))
    sections.append(("Figures", "".join(figure_html(figures[n], captions.get(n, n)) for n in order)))
    links = " · ".join(f'<a href="{html.escape(f)}">{html.escape(f)}</a>' for f in files)
    return page_html(f"{summary.center}: {summary.week} ({days[0]} – {days[1]})", sections, note=summary.note,
                     footer=f"Files in this folder: {links}" if links else "")
