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
from .words import say

__all__ = ["figure_html", "is_blank", "page_html", "plan_page", "solver_words", "table_html"]

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


def page_html(title: str, sections: Sequence[tuple[str, str]], *, note: str | None = None, footer: str = "",
              language: str = "en") -> str:
    """A whole page: ``title``, a synthetic centre's ``note`` as a red banner, ``sections`` (heading, HTML)."""
    body = [f"<h1>{html.escape(title)}</h1>"]
    if note:
        body.append(f'<p class="synthetic">{html.escape(note)}</p>')
    for heading, content in sections:
        body.append(f"<section><h2>{html.escape(heading)}</h2>{content}</section>")
    if footer:
        body.append(f"<footer>{footer}</footer>")
    return (f"<!DOCTYPE html>\n<html lang=\"{language}\"><head><meta charset=\"utf-8\">"
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
            text = "" if is_blank(value) else formats.get(column, str)(value)
            cells.append(f"<td>{html.escape(text)}</td>")
        css = f' class="{classes[k]}"' if classes and classes[k] else ""
        rows.append(f"<tr{css}>{''.join(cells)}</tr>")
    return f'<div class="wrap"><table><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></div>'


def is_blank(value: object) -> bool:
    """None or a missing value (NaN, NA): an empty cell."""
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


def solver_words(summary: PlanSummary, language: str = "en") -> str:
    """The roster solver's status in a planner's words: proven best, or how far from it at most."""
    s = summary.solver
    gap = "" if s.gap is None else f"{100 * s.gap:.2f} %"
    if s.status == "optimal":
        how = say(language, "best", gap=gap) if gap else say(language, "best_exact")
    elif s.status in ("feasible", "time_limit") and s.objective is not None:
        how = say(language, "stopped", gap=gap, limit=f"{s.time_limit_s:g}") if gap else say(language, "unproven")
    else:
        how = say(language, "none", status=s.status)
    return f"{how}; " + say(language, "solver", name=s.name, variables=_count(s.variables),
                            integers=_count(s.integer_variables))


def _count(n: int) -> str:
    return f"{n:,}".replace(",", " ")


def _group_rows(summary: PlanSummary, language: str) -> tuple[pd.DataFrame, list[str]]:
    rows, classes = [], []
    for g in summary.groups:
        met = g.meets_target if g.simulated_meets_target is None else g.simulated_meets_target
        rows.append({"group": g.name, "channel": g.channel, "volume": _volume(g, language),
                     "projected": g.projected_service_level, "simulated": g.simulated_service_level,
                     "target": g.service_level_target, "required_h": g.required_h, "scheduled_h": g.scheduled_h,
                     "under_h": g.under_coverage_h, "met": say(language, "yes") if met else say(language, "no")})
        classes.append("" if met else "miss")
    frame = pd.DataFrame(rows)
    frame = frame.drop(columns=[c for c in ("simulated", "under_h") if frame[c].isna().all()])
    return frame.rename(columns=lambda c: say(language, f"col_{c}")), classes


def _volume(g: GroupOutcome, language: str) -> str:
    if g.channel == "email":
        return f"{g.required_h:.0f} {say(language, 'email_h')}"
    unit = {"walkin": "visitors", "chat": "chats"}.get(g.channel, "calls")
    return f"{g.forecast_calls or 0:,.0f} {say(language, unit)}".replace(",", " ")


def plan_page(summary: PlanSummary, days: tuple[str, str], figures: Mapping[str, bytes],
              files: Sequence[str] = (), language: str = "en") -> str:
    """``index.html`` of a plan folder, in ``language``: targets met or missed per group (and language), the
    solver's status in words, the shortfalls, and the folder's figures (``figures``: file name → PNG bytes; heatmap
    and Gantt first)."""
    w = lambda key, **values: say(language, key, **values)  # noqa: E731 (one letter, many phrases)
    groups, classes = _group_rows(summary, language)
    percent = {w(f"col_{c}"): _percent for c in ("projected", "simulated", "target")}
    hours = {w(f"col_{c}"): _hours for c in ("required_h", "scheduled_h", "under_h")}
    missed = [c for c in classes if c]
    verdict = w("all_met") if not missed else w("some_missed", missed=len(missed), groups=len(classes))
    spoken = [x for x in summary.languages if not x.meets_target]
    verdict += w("languages_missed", missed=len(spoken), languages=len(summary.languages)) if spoken else "."
    staff = w("staff_hours", staff=summary.staff.employees, hours=_hours(summary.staff.paid_h))
    outside = "" if summary.staff.contract_hours_kept else w("outside_contract")
    sections = [(w("the_week"), f"<p><b>{html.escape(verdict)}</b> {html.escape(w('roster'))} "
                                f"{html.escape(solver_words(summary, language))} {html.escape(staff + outside)}.</p>"
                                + table_html(groups, {**percent, **hours}, classes))]
    if summary.languages:
        frame = pd.DataFrame([{w("col_group_language"): f"{summary.group(x.group).name} · {x.name}",
                               w("col_contacts"): f"{x.contacts:.0f}", w("col_projected"): x.projected_service_level,
                               w("col_simulated"): x.simulated_service_level, w("col_target"): x.service_level_target,
                               w("col_speaker_h"): x.required_speaker_h, w("col_scheduled"): x.scheduled_speaker_h,
                               w("col_short_intervals"): x.intervals_short} for x in summary.languages])
        if frame[w("col_simulated")].isna().all():
            frame = frame.drop(columns=[w("col_simulated")])
        marks = ["" if x.meets_target else "miss" for x in summary.languages]
        sections.append((w("languages"), table_html(frame, {**percent, w("col_speaker_h"): _hours,
                                                            w("col_scheduled"): _hours}, marks)))
    short = pd.DataFrame([{w("col_group"): summary.group(s.group).name,
                           w("col_interval"): s.interval_start[:16].replace("T", " "),
                           w("col_required"): s.required_agents, w("col_scheduled"): s.scheduled_agents,
                           w("col_short"): s.short_agents} for s in summary.shortfalls])
    if short.empty:
        sections.append((w("shortfalls"), f"<p>{html.escape(w('covered'))}</p>"))
    else:
        worst = short.sort_values(w("col_short"), ascending=False, kind="stable").head(12)
        sections.append((w("shortfalls"), "<p>" + html.escape(w("worst", count=len(short),
                                                                  hours=_hours(summary.under_coverage_h)))
                         + "</p>" + table_html(worst)))
    captions = {name: w(f"caption_{name[:-4]}") for name in ("heatmap.png", "gantt.png", "coverage.png",
                                                             "forecast.png")}
    order = sorted(figures, key=lambda n: list(captions).index(n) if n in captions else len(captions))
    sections.append((w("figures"), "".join(figure_html(figures[n], captions.get(n, n)) for n in order)))
    links = " · ".join(f'<a href="{html.escape(f)}">{html.escape(f)}</a>' for f in files)
    return page_html(f"{summary.center}: {summary.week} ({days[0]} – {days[1]})", sections, note=summary.note,
                     footer=f"{html.escape(w('files'))} {links}" if links else "", language=language)
