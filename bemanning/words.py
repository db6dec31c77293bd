"""The words of what people read — figures and the plan's page — in the centre's language (``[center] language``:
``"sv"`` or ``"en"``). Machine files (CSV column names, summary.json keys) stay English whatever the language.

``say(language, key, **values)`` gives one phrase, formatted; ``day_label`` a date as a day on an axis.
"""

from __future__ import annotations

import datetime as dt

__all__ = ["PHRASES", "day_label", "say"]

PHRASES: dict[str, dict[str, str]] = {
    "en": {
        "required": "required", "scheduled": "scheduled",
        "coverage_title": "{centre}, {week}: agents required vs scheduled (open intervals)",
        "history_same_weekday": "history, same weekday", "band": "80 % band", "forecast": "forecast",
        "forecast_title": "{centre}, {week}: calls per interval, forecast vs the last {weeks} weeks",
        "forecast_title_assumed": "{centre}, {week}: calls per interval, forecast (no history: assumed volumes)",
        "heatmap_title": "{centre}, {week}: scheduled − required agents per group and interval (open intervals)",
        "short_3": "3+ short", "short_2": "2 short", "short_1": "1 short", "as_required": "as required",
        "over_1": "1–2 over", "over_3": "3+ over",
        "gantt_title": "{centre}, {week}: roster per employee ({first} to {last} each day)",
        "lunch": "lunch", "break": "break", "backoffice": "other work",
        "the_week": "The week", "languages": "Languages", "shortfalls": "Shortfalls", "figures": "Figures",
        "all_met": "Every group meets its target", "some_missed": "{missed} of {groups} groups miss their target",
        "languages_missed": "; {missed} of {languages} languages miss it.",
        "roster": "Roster:", "staff_hours": "{staff} staff, {hours} paid hours",
        "outside_contract": " (someone outside their contract hours)",
        "covered": "Every open interval has the agents it needs.",
        "worst": "{count} group-intervals below the requirement ({hours} agent-hours); the worst:",
        "files": "Files in this folder:",
        "best": "the best roster there is, to within {gap}", "best_exact": "the best roster there is",
        "stopped": "a roster that keeps every rule, at most {gap} from the best possible (the solver stopped at its "
                   "time limit of {limit} s)",
        "unproven": "a roster that keeps every rule, not proven best", "none": "no roster ({status})",
        "solver": "solver {name}, {variables} variables ({integers} integer).",
        "caption_heatmap": "Scheduled minus required agents per group and interval (red: short)",
        "caption_gantt": "The roster: each person's day", "caption_coverage": "Required and scheduled agents",
        "caption_forecast": "The forecast against the weeks before",
        "col_group": "group", "col_channel": "channel", "col_volume": "volume", "col_projected": "projected",
        "col_simulated": "simulated", "col_target": "target", "col_required_h": "required h",
        "col_scheduled_h": "scheduled h", "col_under_h": "under h", "col_met": "target met", "yes": "yes",
        "no": "NO", "col_group_language": "group · language", "col_contacts": "contacts",
        "col_speaker_h": "speaker h required", "col_scheduled": "scheduled", "col_short_intervals": "intervals short",
        "col_interval": "interval", "col_required": "required", "col_short": "short",
        "calls": "calls", "chats": "chats", "visitors": "visitors", "email_h": "h of e-mail",
    },
    "sv": {
        "required": "krävs", "scheduled": "schemalagda",
        "coverage_title": "{centre}, {week}: krävda och schemalagda agenter (öppna intervall)",
        "history_same_weekday": "historik, samma veckodag", "band": "80 %-intervall", "forecast": "prognos",
        "forecast_title": "{centre}, {week}: samtal per intervall, prognos mot de senaste {weeks} veckorna",
        "forecast_title_assumed": "{centre}, {week}: samtal per intervall, prognos (ingen historik: antagna volymer)",
        "heatmap_title": "{centre}, {week}: schemalagda − krävda agenter per grupp och intervall (öppna intervall)",
        "short_3": "3+ saknas", "short_2": "2 saknas", "short_1": "1 saknas", "as_required": "som krävs",
        "over_1": "1–2 över", "over_3": "3+ över",
        "gantt_title": "{centre}, {week}: schema per anställd ({first}–{last} varje dag)",
        "lunch": "lunch", "break": "paus", "backoffice": "övrigt arbete",
        "the_week": "Veckan", "languages": "Språk", "shortfalls": "Underbemanning", "figures": "Diagram",
        "all_met": "Alla grupper når sitt mål", "some_missed": "{missed} av {groups} grupper når inte sitt mål",
        "languages_missed": "; {missed} av {languages} språk når det inte.",
        "roster": "Schemat:", "staff_hours": "{staff} anställda, {hours} betalda timmar",
        "outside_contract": " (någon utanför sina avtalstimmar)",
        "covered": "Varje öppet intervall har de agenter det behöver.",
        "worst": "{count} grupp-intervall under behovet ({hours} agenttimmar); de största:",
        "files": "Filer i mappen:",
        "best": "det bästa schema som finns, inom {gap}", "best_exact": "det bästa schema som finns",
        "stopped": "ett schema som håller alla regler, högst {gap} från det bästa möjliga (lösaren stannade vid sin "
                   "tidsgräns på {limit} s)",
        "unproven": "ett schema som håller alla regler, inte bevisat bäst", "none": "inget schema ({status})",
        "solver": "lösare {name}, {variables} variabler ({integers} heltal).",
        "caption_heatmap": "Schemalagda minus krävda agenter per grupp och intervall (rött: saknas)",
        "caption_gantt": "Schemat: varje persons dag", "caption_coverage": "Krävda och schemalagda agenter",
        "caption_forecast": "Prognosen mot veckorna före",
        "col_group": "grupp", "col_channel": "kanal", "col_volume": "volym", "col_projected": "beräknad",
        "col_simulated": "simulerad", "col_target": "mål", "col_required_h": "krävs h",
        "col_scheduled_h": "schemalagt h", "col_under_h": "saknas h", "col_met": "målet nås", "yes": "ja",
        "no": "NEJ", "col_group_language": "grupp · språk", "col_contacts": "kontakter",
        "col_speaker_h": "talare krävs h", "col_scheduled": "schemalagt", "col_short_intervals": "intervall utan",
        "col_interval": "intervall", "col_required": "krävs", "col_short": "saknas",
        "calls": "samtal", "chats": "chattar", "visitors": "besökare", "email_h": "h e-post",
    },
}

_WEEKDAYS = {"sv": ("mån", "tis", "ons", "tor", "fre", "lör", "sön"), "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat",
                                                                           "Sun")}
_MONTHS = {"sv": ("jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"),
           "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")}


def say(language: str, key: str, **values: object) -> str:
    """The phrase ``key`` in ``language`` (English for a language without it), with ``values`` filled in."""
    phrase = PHRASES.get(language, PHRASES["en"]).get(key, PHRASES["en"][key])
    return phrase.format(**values) if values else phrase


def day_label(day: dt.date, language: str) -> str:
    """A day on an axis: "Mon 30 Nov", "mån 30 nov"."""
    lang = language if language in _WEEKDAYS else "en"
    return f"{_WEEKDAYS[lang][day.weekday()]} {day.day:02d} {_MONTHS[lang][day.month - 1]}"
