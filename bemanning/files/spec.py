"""The declared contract of a TOML file: every table and key with its type, unit, default, allowed range and one
line of meaning.

A file's contract is a :class:`Table` of :class:`Key` entries and sub-tables. :func:`validate` checks a parsed file
against it — an unknown table or key is refused with the nearest known name, every value's type and range is
checked — and returns the file's values with the defaults filled in. :func:`reference_markdown` writes the same
contract as the reference a planner reads (``docs/centre-file.md``), so the two cannot drift apart.

Every refusal is one :class:`~bemanning.errors.InputError` line naming the file, the table and the key, what was
expected and what was found: ``center.toml: [roster] time_limit_s: expected a number > 0, found -5``.
"""

from __future__ import annotations

import codecs
import datetime as dt
import difflib
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..config import WEEKDAYS, TimeRange, parse_clock
from ..errors import InputError

__all__ = [
    "BOOLEAN",
    "ID",
    "CLOCK",
    "DATE",
    "END_CLOCK",
    "ENCODING",
    "MONTH_DAY",
    "REQUIRED",
    "SEPARATOR",
    "TEXT",
    "TIME_RANGE",
    "WEEKDAY",
    "Key",
    "Kind",
    "Table",
    "choice",
    "either",
    "integer",
    "list_of",
    "nearest",
    "number",
    "one_or_more",
    "pair",
    "reference_markdown",
    "shown",
    "validate",
]


class _Required:
    def __repr__(self) -> str:
        return "REQUIRED"


#: The default of a key the file must give.
REQUIRED: Any = _Required()


@dataclass(frozen=True)
class Kind:
    """A value's type. ``expected`` says it in a planner's words (in messages and the reference);
    ``parse(value)`` turns the value as TOML gives it into the value as used, raising ValueError or TypeError
    when it is not of this kind."""

    expected: str
    parse: Callable[[Any], Any]


@dataclass(frozen=True)
class Key:
    """One key of a table. ``default``: :data:`REQUIRED`, ``None`` (not set) or the value used when the key is
    absent; ``default_text`` says it in the reference when the value alone would not (``"the [targets] value"``)."""

    name: str
    kind: Kind
    meaning: str
    default: Any = None
    unit: str = ""
    default_text: str | None = None


@dataclass(frozen=True)
class Table:
    """A table (``[name]``) or, with ``many``, an array of tables (``[[name]]``, each entry named in messages by
    its ``label`` key). ``optional``: absent means ``None``; otherwise an absent table is read as an empty one
    (its defaults)."""

    name: str
    entries: tuple[Key | Table, ...]
    meaning: str
    many: bool = False
    optional: bool = True
    label: str | None = None

    def entry(self, name: str) -> Key | Table:
        return next(e for e in self.entries if e.name == name)


# --- kinds -----------------------------------------------------------------------------------------------------

def shown(value: Any) -> str:
    """A value as the TOML file writes it: text in double quotes, true/false, lists in brackets, a table as such."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, Mapping):  # inline, as the file may write it; a long one by its size
        inner = ", ".join(f"{k} = {shown(v)}" for k, v in value.items())
        return "{" + inner + "}" if len(inner) <= 60 else f"a table of {len(value)} keys"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(shown(v) for v in value) + "]"
    if isinstance(value, dt.datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def _real(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError
    return float(value)


def _bounds_text(lo: float | None, hi: float | None, lo_open: bool, hi_open: bool) -> str:
    def fmt(v: float) -> str:
        return f"{v:g}"

    if lo is not None and hi is not None:
        if not lo_open and not hi_open:
            return f" {fmt(lo)}-{fmt(hi)}"
        return f" {'>' if lo_open else '>='} {fmt(lo)} and {'<' if hi_open else '<='} {fmt(hi)}"
    if lo is not None:
        return f" {'>' if lo_open else '>='} {fmt(lo)}"
    if hi is not None:
        return f" {'<' if hi_open else '<='} {fmt(hi)}"
    return ""


def number(lo: float | None = None, hi: float | None = None, *, lo_open: bool = False, hi_open: bool = False,
           what: str = "a number") -> Kind:
    """A finite number (integer or decimal) within the bounds; a float."""

    def parse(value: Any) -> float:
        v = _real(value)
        if not math.isfinite(v) or (lo is not None and (v <= lo if lo_open else v < lo)) or (
                hi is not None and (v >= hi if hi_open else v > hi)):
            raise ValueError
        return v

    return Kind(what + _bounds_text(lo, hi, lo_open, hi_open), parse)


def integer(lo: int | None = None, hi: int | None = None, *, what: str = "a whole number") -> Kind:
    """A whole number within the bounds (``30.5`` and ``true`` are not)."""

    def parse(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError
        if (lo is not None and value < lo) or (hi is not None and value > hi):
            raise ValueError
        return value

    return Kind(what + _bounds_text(lo, hi, False, False), parse)


def choice(*options: str) -> Kind:
    """One of the given words (case as written)."""

    def parse(value: Any) -> str:
        if not isinstance(value, str):
            raise TypeError
        if value not in options:
            raise ValueError
        return value

    return Kind("one of " + ", ".join(shown(o) for o in options), parse)


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError
    if not value.strip():
        raise ValueError
    return value


def _id(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError
    if not re.fullmatch(r"[^\s,;|]+", value):
        raise ValueError
    return value


def _boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise TypeError
    return value


def _clock(value: Any, *, end: bool = False) -> dt.time:
    if isinstance(value, dt.time):
        return value.replace(tzinfo=None)
    if not isinstance(value, str):
        raise TypeError
    return parse_clock(value, end=end)


def _time_range(value: Any) -> TimeRange:
    if not isinstance(value, str):
        raise TypeError
    return TimeRange.parse(value)


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        raise TypeError
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d\d-\d\d", value.strip()):
        raise TypeError
    return dt.date.fromisoformat(value.strip())


def _month_day(value: Any) -> tuple[int, int]:
    if not isinstance(value, str) or not re.fullmatch(r"\d\d-\d\d", value.strip()):
        raise TypeError
    month, day = (int(p) for p in value.split("-"))
    dt.date(2024, month, day)  # a leap year: 02-29 is a day
    return month, day


def _weekday(value: Any) -> str:
    """``"tue"``, ``"Tue"`` or ``"tuesday"`` → ``"tue"``."""
    if not isinstance(value, str):
        raise TypeError
    word = value.strip().lower()
    full = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
    if word in WEEKDAYS:
        return word
    if word in full:
        return WEEKDAYS[full.index(word)]
    raise ValueError


def _encoding(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError
    try:
        codecs.lookup(value)
    except LookupError:
        raise ValueError from None
    return value


def _separator(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError
    if value in ("tab", "whitespace") or len(value) == 1:
        return value
    raise ValueError


TEXT = Kind("text", _text)
ID = Kind('a short id without spaces, commas, semicolons or "|", like "aldre"', _id)
BOOLEAN = Kind("true or false (without quotes)", _boolean)
CLOCK = Kind('a time like "08:00"', _clock)
END_CLOCK = Kind('a time like "16:30" (or "24:00")', lambda v: _clock(v, end=True))
TIME_RANGE = Kind('a range like "08:00-16:30" (ending at "24:00" at the latest)', _time_range)
DATE = Kind('a date like 2026-12-07', _date)
MONTH_DAY = Kind('a day of the year like "06-15" (MM-DD)', _month_day)
WEEKDAY = Kind('a weekday like "tue"', _weekday)
ENCODING = Kind('an encoding like "utf-8" or "cp1252"', _encoding)
SEPARATOR = Kind('one character like ";" or ",", or "tab" or "whitespace"', _separator)


def list_of(kind: Kind, what: str, *, min_len: int = 0) -> Kind:
    """A list of values of ``kind`` (``what`` says it: ``'a list of dates like [2026-12-26]'``); a tuple."""

    def parse(value: Any) -> tuple:
        if not isinstance(value, list):
            raise TypeError
        if len(value) < min_len:
            raise ValueError
        return tuple(kind.parse(v) for v in value)

    at_least = f" (at least {min_len})" if min_len > 1 else (" (at least one)" if min_len == 1 else "")
    return Kind(f"{what}{at_least}", parse)


def pair(kind: Kind, what: str) -> Kind:
    """``[low, high]`` of ``kind`` with low <= high (``what`` says it: ``'[earliest, latest] hours like [3, 5]'``);
    a tuple."""

    def parse(value: Any) -> tuple:
        if not isinstance(value, list):
            raise TypeError
        if len(value) != 2:
            raise ValueError
        lo, hi = kind.parse(value[0]), kind.parse(value[1])
        if hi < lo:
            raise ValueError
        return lo, hi

    return Kind(what, parse)


def one_or_more(kind: Kind) -> Kind:
    """One value of ``kind`` or a list of them (at least one); a tuple."""

    def parse(value: Any) -> tuple:
        values = value if isinstance(value, list) else [value]
        if not values:
            raise ValueError
        return tuple(kind.parse(v) for v in values)

    return Kind(f"{kind.expected} or a list of them", parse)


def either(*kinds: Kind) -> Kind:
    """The first of ``kinds`` that takes the value."""

    def parse(value: Any) -> Any:
        for kind in kinds:
            try:
                return kind.parse(value)
            except (ValueError, TypeError):
                continue
        raise ValueError

    return Kind(", or ".join(k.expected for k in kinds), parse)


# --- validation ------------------------------------------------------------------------------------------------

def nearest(word: str, known: Sequence[str]) -> str | None:
    """The known name closest to a misspelt one, if any is close (``"centre"`` → ``"center"``)."""
    lowered = {k.lower(): k for k in known}
    if word.lower() in lowered:
        return lowered[word.lower()]
    match = difflib.get_close_matches(word.lower(), list(lowered), n=1, cutoff=0.6)
    return lowered[match[0]] if match else None


def _at(where: str, key: str) -> str:
    """How a message names a key: ``[roster] threads``, ``[[groups]] aldre hours.mon``."""
    if not where:
        return key
    return f"{where}{key}" if where.endswith(".") else f"{where} {key}"


def _path(prefix: str, name: str) -> str:
    return f"{prefix}.{name}" if prefix else name


def _unknown(name: str, value: Any, table: Table, prefix: str, where: str) -> str:
    known = [e.name for e in table.entries]
    guess = nearest(name, known)
    is_table = isinstance(value, Mapping) or (isinstance(value, list) and value and isinstance(value[0], Mapping))
    if is_table and not where.startswith("[["):
        what = f"[{_path(prefix, name)}]: unknown table"
        hint = f"; did you mean [{_path(prefix, guess)}]?" if guess else ""
    else:
        what = f"{_at(where, name)}: unknown {'table' if is_table else 'key'}"
        hint = f"; did you mean {guess}?" if guess else ""
    return f"{what}{hint} (known: {', '.join(known)})"


def validate(raw: Mapping[str, Any], table: Table, file: Path | None, prefix: str = "", where: str | None = None
             ) -> dict[str, Any]:
    """The values of ``raw`` (one table of a parsed TOML file) checked against ``table``, with defaults filled
    in: every key of the table is in the result (absent optional keys as ``None``, absent optional sub-tables as
    ``None``, arrays of tables as lists). ``prefix``: the table's dotted name in messages (``"roster"``);
    ``where``: how messages name it, if not ``[prefix]`` (``"[[groups]] aldre"``)."""
    where = where if where is not None else (f"[{prefix}]" if prefix else "")
    for name, value in raw.items():
        if not any(e.name == name for e in table.entries):
            raise InputError(_unknown(name, value, table, prefix, where), file=file)
    out: dict[str, Any] = {}
    for entry in table.entries:
        value = raw.get(entry.name)
        if isinstance(entry, Table):
            out[entry.name] = _sub_table(value, entry, file, _path(prefix, entry.name), where)
            continue
        if value is None:
            if entry.default is REQUIRED:
                raise InputError(f"{_at(where, entry.name)}: missing; expected "
                                 f"{entry.kind.expected}: {entry.meaning}", file=file)
            out[entry.name] = entry.default
            continue
        try:
            out[entry.name] = entry.kind.parse(value)
        except (ValueError, TypeError):
            raise InputError(f"{_at(where, entry.name)}: expected {entry.kind.expected}, "
                             f"found {shown(value)}", file=file) from None
    return out


def _sub_table(value: Any, table: Table, file: Path | None, prefix: str, parent: str) -> Any:
    if table.many:
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, Mapping) for v in value):
            raise InputError(f"[[{prefix}]]: expected a list of tables, each headed [[{prefix}]], found "
                             f"{shown(value)}", file=file)
        entries = []
        for n, item in enumerate(value, start=1):
            label = item.get(table.label) if table.label else None
            name = f"[[{prefix}]] {label}" if isinstance(label, str) and label.strip() else f"[[{prefix}]] #{n}"
            entries.append(validate(item, table, file, prefix, name))
        return entries
    if value is None:
        return None if table.optional else validate({}, table, file, prefix)
    if not isinstance(value, Mapping):
        raise InputError(f"{parent + ' ' if parent else ''}{table.name}: expected a table [{prefix}], found "
                         f"{shown(value)}", file=file)
    where = f"{parent} {table.name}." if parent.startswith("[[") else None
    return validate(value, table, file, prefix, where)


# --- reference -------------------------------------------------------------------------------------------------

def _default_text(key: Key) -> str:
    if key.default_text is not None:
        return key.default_text
    if key.default is REQUIRED:
        return "**required**"
    if key.default is None:
        return "not set"
    if isinstance(key.default, float) and math.isinf(key.default):
        return "never"
    return f"`{shown(list(key.default) if isinstance(key.default, tuple) else key.default)}`"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def reference_markdown(table: Table, *, level: int = 3, prefix: str = "") -> str:
    """The contract of ``table`` and its sub-tables as Markdown: a heading per table, its meaning, and a row per
    key (key, type, unit, default, meaning)."""
    parts = []
    keys = [e for e in table.entries if isinstance(e, Key)]
    if prefix:
        head = f"[[{prefix}]]" if table.many else f"[{prefix}]"
        need = "" if table.optional or table.many else " (always read; every key has a default)"
        parts.append(f"{'#' * level} `{head}`\n\n{table.meaning}{need}\n")
    if keys:
        rows = ["| key | type | unit | default | meaning |", "|---|---|---|---|---|"]
        rows += [f"| `{k.name}` | {_cell(k.kind.expected)} | {k.unit} | {_cell(_default_text(k))} | "
                 f"{_cell(k.meaning)} |" for k in keys]
        parts.append("\n".join(rows) + "\n")
    for sub in (e for e in table.entries if isinstance(e, Table)):
        parts.append(reference_markdown(sub, level=level, prefix=_path(prefix, sub.name)))
    return "\n".join(parts)
