"""Read per-call exports of a phone system (ACD) into one tidy, validated frame of calls.

How an export looks — files, separator, encoding, decimal mark, column names, outcome words — is configuration
(:class:`~bemanning.config.CallLogFormat`, the ``[calls]`` section of ``center.toml``); there is no code per vendor.

Every line after a file's header is accounted for: it is *used*, *ignored* (an outcome listed as ignored, such as
test calls; a short abandon; a call after the read window, see :meth:`CallLog.before`) with its reason counted in
``ignored``, or *rejected* with a short reason and its original text in ``rejects``, so
``read == used + ignored + rejected`` for every file. A row has one reason, the first of: blank line, wrong number
of fields, outcome, group, arrival time, wait, handling time, daylight-saving gap or overlap, duplicate call id, a
stray date; a rejected row whose first non-empty field reads "Summa"/"Totalt" is reported as a summary line. A
problem with a whole file (missing column, wrong encoding or separator) is one :class:`~bemanning.errors.InputError`
naming the file.

A *stray date* is a date far outside the rest of the export (all its files together), such as a call typed as 1969
in a log of 1999: see :func:`stray_days` for the rule. Such rows are rejected, not read as decades of empty days.

Parsing is vectorised: values that repeat (groups, outcomes, durations) are parsed once per distinct text.
"""

from __future__ import annotations

import codecs
import dataclasses
import datetime as dt
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..config import LANGUAGE_CODE, CallLogFormat
from ..display import Shown, accounting_lines, span_line
from ..errors import InputError
from .engine import (UTF8_NAMES, WHITESPACE, GroupNames, Parts, accounting_summary, by_unique, column_finder,
                     duration_field, empty_ignored, expand_files, group_field, localize, parse_times, read_export,
                     read_exports, window)


log = logging.getLogger("bemanning")




CALL_COLUMNS = ("call_id", "group", "arrived", "outcome", "wait_s", "handle_s", "language", "agent", "file", "line")
_COLUMN_KEYS = ("call_id", "group", "arrived", "arrived_date", "arrived_time", "wait_s", "handle_s", "outcome",
                "language", "agent")
_OUTCOME_KINDS = ("answered", "abandoned", "ignored")
_SEPARATOR_NAMES = {"tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";"}
_UNKNOWN = "offered"  # a call's kind without an outcome column: offered, answered or abandoned unknown


# --------------------------------------------------------------------------------------------------------------
# the result


@dataclass(frozen=True, repr=False)
class CallLog(Shown):
    """The calls of one or more exports, with every line accounted for.

    ``calls``: ``call_id`` (text, NA without a call-id column), ``group`` (our group id), ``arrived`` (aware local
    time), ``outcome`` ("answered"/"abandoned"; NA without an outcome column: the call was offered, no more is
    known), ``wait_s`` [s] (NaN without a wait column), ``handle_s`` [s] (talk + after-call work, NaN when
    abandoned or without handling-time columns), ``language`` (the code of the language the call needed, empty for
    the centre's own or without a language column), ``agent`` (who answered it, as the export names them; empty
    for an unanswered call, a word of ``[calls] no_agent``, or without an agent column), ``file``, ``line`` (1-based line of the file; the header is
    line 1).
    ``rejects``: ``file, line, reason, raw`` (raw = the line as written).
    ``accounting``: per file ``file, read, used, ignored, rejected``, with read = used + ignored + rejected.
    ``ignored``: ``file, reason, rows``: how many rows of each file were ignored for each reason.
    """

    calls: pd.DataFrame
    rejects: pd.DataFrame
    accounting: pd.DataFrame
    ignored: pd.DataFrame = dataclasses.field(default_factory=lambda: empty_ignored())

    def _overview(self) -> tuple[str, list[str], list[tuple[str, pd.DataFrame]]]:
        """A title, the calls' span and groups, the accounting; the accounting per file as a table (the reprs)."""
        outcomes = self.calls["outcome"].value_counts()
        lines = [span_line(self.calls["arrived"], self.calls["group"]),
                 ", ".join(f"{n:,} {kind}" for kind, n in outcomes.items()) or "outcomes unknown (no outcome column)",
                 *accounting_lines(self.accounting, self.rejects)]
        return f"CallLog: {len(self.calls):,} calls", lines, [("per file", self.accounting)]

    def summary(self) -> str:
        """One line per file (and a total for several files): read = used + ignored + rejected, first reject;
        then how many were ignored for each reason."""
        return accounting_summary(self.accounting, self.rejects, self.ignored)

    def before(self, until: dt.date) -> CallLog:
        """The log with the calls on or after ``until`` (local date) moved from used to ignored ("after the read
        window"): the history uses the calls before ``until``."""
        calls, accounting, ignored = window(self.calls, "arrived", until, self.accounting, self.ignored)
        return dataclasses.replace(self, calls=calls, accounting=accounting, ignored=ignored)


def read_calls(
    fmt: CallLogFormat,
    *,
    files: Sequence[Path] | None = None,
    groups: Mapping[str, str],
    timezone: str,
    languages: Mapping[str, str] | None = None,
) -> CallLog:
    """Read call-log exports as ``fmt`` describes them.

    ``files``: the files to read; ``None`` expands ``fmt.files`` (glob patterns relative to ``fmt.base_dir``).
    ``.gz`` files are decompressed on the fly. ``groups``: name in the log's group column → our group id
    (matched after stripping blanks, then without regard to case). ``timezone``: the IANA zone of the local
    times in the log. ``languages``: a word of the language column (case-folded) → its code, ``""`` for the
    centre's own language (:meth:`bemanning.config.LanguageSettings.words`); another word that is a language code is
    read as such, any other is a reject. Files are read in the order given; call ids must be unique across all of
    them.
    Raises :class:`InputError` for a setting or a file that cannot be read as configured.
    """
    spec = dataclasses.replace(_Spec.from_format(fmt, groups), languages=dict(languages or {}))
    paths = expand_files(fmt.files, fmt.base_dir) if files is None else [Path(f) for f in files]
    seen_ids: set[str] = set()
    calls, rejects, accounting, ignored = read_exports(
        paths, lambda path: _read_file(path, spec, timezone, seen_ids), _empty_calls(timezone),
        time_column="arrived", encoding=spec.encoding)
    return CallLog(calls=calls, rejects=rejects, accounting=accounting, ignored=ignored)


@dataclass(frozen=True)
class _Spec:
    """The validated parts of a CallLogFormat that every file needs."""

    separator: str
    encoding: str
    decimal: str
    datetime_format: str | None
    columns: Mapping[str, Any]
    outcome_of: Mapping[str, str]  # casefolded word → answered/abandoned/ignored
    groups: GroupNames
    seconds_per: Mapping[str, float]  # wait_s / handle_s → seconds per unit of a plain number
    short_abandon_s: float
    languages: Mapping[str, str] = dataclasses.field(default_factory=dict)  # word → code ("" the centre's own)
    no_agent: frozenset[str] = frozenset()  # casefolded words of the agent column that name no agent

    @classmethod
    def from_format(cls, fmt: CallLogFormat, groups: Mapping[str, str]) -> _Spec:
        sep = _SEPARATOR_NAMES.get(fmt.separator, fmt.separator)
        if len(sep) != 1 and sep != WHITESPACE:
            raise InputError(f"[calls] separator == {fmt.separator!r}, must be one character, 'tab' or 'whitespace'")
        if len(fmt.decimal) != 1:
            raise InputError(f"[calls] decimal == {fmt.decimal!r}, must be one character ('.' or ',')")
        try:
            encoding = codecs.lookup(fmt.encoding).name
        except LookupError:
            raise InputError(
                f"[calls] encoding == {fmt.encoding!r} is not a known encoding; try 'utf-8' or 'cp1252'") from None
        cols = dict(fmt.columns)
        unknown = sorted(set(cols) - set(_COLUMN_KEYS))
        if unknown:
            raise InputError(f"[calls.columns] has unknown keys {unknown}; known: {list(_COLUMN_KEYS)}")
        needed = ["group"]
        needed += ["arrived"] if "arrived" in cols or "arrived_date" not in cols else ["arrived_date", "arrived_time"]
        missing = [k for k in needed if not cols.get(k)]
        if missing:
            raise InputError(f"[calls.columns] needs keys {needed} (wait_s, handle_s, outcome if the log has them); "
                             f"missing {missing}")
        handle = cols.get("handle_s") or []
        cols["handle_s"] = [handle] if isinstance(handle, str) else list(handle)
        outcome_of: dict[str, str] = {}
        for kind, words in fmt.outcomes.items():
            if kind not in _OUTCOME_KINDS:
                raise InputError(f"[calls.outcomes] has unknown key {kind!r}; known: {list(_OUTCOME_KINDS)}")
            for word in words:
                key = str(word).strip().casefold()
                if outcome_of.get(key, kind) != kind:
                    raise InputError(f"[calls.outcomes] {word!r} is listed as both {outcome_of[key]} and {kind}")
                outcome_of[key] = kind
        if not cols.get("outcome"):  # every call offered, answered or abandoned unknown
            if outcome_of:
                raise InputError("[calls.outcomes] is given but [calls.columns] names no outcome column; add outcome "
                                 "= the column's header, or drop [calls.outcomes]")
        else:
            for kind in ("answered", "abandoned"):
                if kind not in outcome_of.values():
                    raise InputError(f"[calls.outcomes] needs the words for {kind!r} calls")
        return cls(
            separator=sep,
            encoding=encoding,
            decimal=fmt.decimal,
            datetime_format=fmt.datetime_format,
            columns=cols,
            outcome_of=outcome_of,
            groups=GroupNames.of(groups),
            seconds_per={k: 60.0 if fmt.units.get(k) == "min" else 1.0 for k in ("wait_s", "handle_s")},
            short_abandon_s=float(fmt.short_abandon_s),
            no_agent=frozenset(w.strip().casefold() for w in fmt.no_agent),
        )

    def group_id(self, name: str) -> str | None:
        return self.groups.id(name)


@dataclass(frozen=True)
class _Layout:
    """Where the configured columns are in one file's header (positions), and their names for messages."""

    call_id: int | None
    group: int | None  # None: the file has no group column ...
    fixed_group: str | None  # ... and this group id holds for every row
    arrived: tuple[int, ...]  # one column, or date and time
    wait: int | None  # None: the log has no wait column
    handle: tuple[int, ...]  # empty: no handling-time column
    outcome: int | None  # None: no outcome column (every call offered, answered or abandoned unknown)
    header: tuple[str, ...]
    language: int | None = None  # None: no language column
    agent: int | None = None  # None: no agent column

    def name(self, pos: int) -> str:
        return self.header[pos]

    @property
    def usecols(self) -> list[int]:
        return sorted({p for p in (self.call_id, self.group, self.wait, self.outcome, self.language, self.agent,
                                   *self.arrived,
                                   *self.handle) if p is not None})


def _layout(header: list[str], spec: _Spec, path: Path, row: int) -> _Layout:
    """Find the configured columns in ``header``; one InputError listing every column that is missing."""
    find = column_finder(header)

    cols = spec.columns
    arrived_names = [cols["arrived"]] if "arrived" in cols else [cols["arrived_date"], cols["arrived_time"]]
    wanted = [cols["call_id"]] if cols.get("call_id") else []
    wanted += [*arrived_names, *(cols[k] for k in ("wait_s",) if cols.get(k)), *cols["handle_s"],
               *(cols[k] for k in ("outcome", "language", "agent") if cols.get(k))]
    group_name = cols["group"]
    fixed = None
    if find(group_name) is None:
        fixed = spec.group_id(group_name)
    if fixed is None:
        wanted.insert(1 if cols.get("call_id") else 0, group_name)
    missing = [n for n in wanted if find(n) is None]
    if missing:
        hint = ""
        if "Ã" in "".join(header) and spec.encoding not in UTF8_NAMES:
            hint = f"; the header looks like UTF-8 read as {spec.encoding!r}: set [calls] encoding = 'utf-8'"
        elif group_name in missing:
            example = next(iter(spec.groups.exact), "a group name")
            hint = f" (a file without a group column needs [calls.columns] group = a group's name, e.g. {example!r})"
        raise InputError(f"the call log needs columns {wanted}; found {header}; missing {missing}{hint}",
                         file=path, row=row)
    return _Layout(
        call_id=find(cols["call_id"]) if cols.get("call_id") else None,
        group=None if fixed else find(group_name),
        fixed_group=fixed,
        arrived=tuple(find(n) for n in arrived_names),
        wait=find(cols["wait_s"]) if cols.get("wait_s") else None,
        handle=tuple(find(n) for n in cols["handle_s"]),
        outcome=find(cols["outcome"]) if cols.get("outcome") else None,
        header=tuple(header),
        language=find(cols["language"]) if cols.get("language") else None,
        agent=find(cols["agent"]) if cols.get("agent") else None,
    )  # type: ignore[arg-type]


def _read_file(path: Path, spec: _Spec, timezone: str, seen_ids: set[str]) -> Parts:
    """(calls, rejects, accounting row, ignored) of one call-log file."""
    wanted = [spec.columns[k] for k in ("arrived", "arrived_date", "arrived_time", "wait_s", "outcome")
              if spec.columns.get(k)]
    return read_export(path, spec.encoding, spec.separator, [*wanted, *spec.columns["handle_s"]],
                       lambda header, row: _layout(header, spec, path, row),
                       lambda fields, layout: _check_rows(fields, layout, spec, timezone, seen_ids),
                       _empty_calls(timezone))


def _check_rows(
    fields: pd.DataFrame, layout: _Layout, spec: _Spec, timezone: str, seen_ids: set[str]
) -> tuple[np.ndarray, np.ndarray, pd.DataFrame]:
    """(outcome kind, reason or None, parsed calls) of well-formed rows; the first failing check gives the reason."""
    n = len(fields)
    reason = np.full(n, None, dtype=object)
    checked = np.ones(n, dtype=bool)  # rows still checked: not ignored

    def note(mask: np.ndarray, messages: np.ndarray | str) -> None:
        sel = mask & checked & np.equal(reason, None)
        reason[sel] = messages if isinstance(messages, str) else messages[sel]

    name = layout.name
    if layout.outcome is None:  # offered; whether answered or abandoned is unknown
        kind = np.full(n, _UNKNOWN, dtype=object)
    else:
        kind, why = by_unique(fields[layout.outcome], lambda t: _outcome(t, spec, name(layout.outcome)))
        note(why != None, why)  # noqa: E711 (elementwise)
    listed = kind == "ignored"  # an outcome listed as ignored (its reason is set at the end)
    checked &= ~listed  # an ignored row needs no valid data; it is never rejected

    if layout.group is None:
        group = np.full(n, layout.fixed_group, dtype=object)
    else:
        group, why = by_unique(fields[layout.group], lambda t: group_field(t, spec, name(layout.group)))
        note(why != None, why)  # noqa: E711

    naive, utc, why = parse_times(fields, layout, spec.datetime_format)
    note(why != None, why)  # noqa: E711

    if layout.wait is None:
        wait_s = np.full(n, np.nan)
    else:
        wait_s, why = by_unique(fields[layout.wait], lambda t: duration_field(t, spec.decimal, name(layout.wait),
                                                                          spec.seconds_per["wait_s"]))
        note(why != None, why)  # noqa: E711
    if spec.short_abandon_s > 0:  # hung up at once: counted as ignored, not offered
        short = (kind == "abandoned") & (np.asarray(wait_s, dtype="float64") < spec.short_abandon_s) & np.equal(
            reason, None)
        kind = np.where(short, "ignored", kind)
        checked &= ~short
        reason[short] = f"short abandon: waited less than {spec.short_abandon_s:g} s"

    answered = kind == "answered"
    if layout.handle:
        handle_s, why = _handle_times(fields, layout, spec.decimal, spec.seconds_per["handle_s"])
        # outcome unknown: a handling time given is used (and must be valid), an empty one is no reason to reject
        given = (kind == _UNKNOWN) & ~np.array([str(r).startswith("missing value") for r in why], dtype=bool)
        note((answered | given) & (why != None), why)  # noqa: E711
        handle_s = np.where(answered | given, handle_s, np.nan)
    else:
        handle_s = np.full(n, np.nan)

    arrived = localize(naive, utc, timezone, note)

    if layout.call_id is not None:
        call_id = np.array([t.strip() for t in fields[layout.call_id].tolist()] + [""], dtype=object)[:-1]
        candidate = checked & np.equal(reason, None) & (call_id != "")
        ids = call_id[candidate].tolist()
        dup = pd.Series(ids, dtype=object).duplicated().to_numpy()
        if seen_ids:  # ids of earlier files
            dup = dup | np.array([i in seen_ids for i in ids], dtype=bool)
        messages = np.full(n, None, dtype=object)
        messages[np.flatnonzero(candidate)[dup]] = [f"duplicate call id {i}" for i in np.asarray(ids, object)[dup]]
        note(messages != None, messages)  # noqa: E711
        seen_ids.update(ids)
        call_id = np.where(call_id == "", None, call_id)
    else:
        call_id = np.full(n, None, dtype=object)
    if layout.language is None:
        language = np.full(n, "", dtype=object)
    else:
        language, why = by_unique(fields[layout.language], lambda t: _language(t, spec, name(layout.language)))
        note(why != None, why)  # noqa: E711
    agent = np.full(n, "", dtype=object)
    if layout.agent is not None:
        names, _ = by_unique(fields[layout.agent], lambda t: ("" if t.strip().casefold() in spec.no_agent
                                                              else t.strip(), None))
        agent = np.where(answered | (kind == _UNKNOWN), names, "")  # who answered
    if listed.any():
        words, _ = by_unique(fields[layout.outcome][listed],
                              lambda t: (f"outcome {t.strip()!r} (listed as ignored)", None))
        reason[listed] = words

    parsed = pd.DataFrame({
        "call_id": pd.Series(call_id, dtype="str"),
        "group": pd.Series(group, dtype="str"),
        "arrived": arrived,
        "outcome": pd.Series(np.where(kind == _UNKNOWN, None, kind), dtype="str"),
        "wait_s": wait_s.astype("float64"),
        "handle_s": handle_s.astype("float64"),
        "language": pd.Series(language, dtype="str"),
        "agent": pd.Series(agent, dtype="str"),
    })
    return kind, reason, parsed


def _language(text: str, spec: _Spec, column: str) -> tuple[str | None, str | None]:
    """The code of the language a call needed ("" for the centre's own, or an empty cell), or a reject reason."""
    word = text.strip().casefold()
    if not word:
        return "", None
    if word in spec.languages:
        return spec.languages[word], None
    if LANGUAGE_CODE.fullmatch(word):
        return word, None
    return None, (f"unknown language {text.strip()!r} in column {column}: expected a code like ar, a name in "
                  "[languages.names] or one of [languages] own")


def _outcome(text: str, spec: _Spec, column: str) -> tuple[str | None, str | None]:
    word = text.strip()
    if not word:
        return None, f"missing value in column {column}"
    kind = spec.outcome_of.get(word.casefold())
    return (kind, None) if kind else (None, f"unknown outcome {word!r}")


def _handle_times(fields: pd.DataFrame, layout: _Layout, decimal: str,
                  seconds_per_unit: float) -> tuple[np.ndarray, np.ndarray]:
    """Sum of the handling-time columns; an empty part counts as 0 unless every part is empty."""
    n = len(fields)
    total = np.zeros(n)
    reason = np.full(n, None, dtype=object)
    empty = np.ones(n, dtype=bool)
    for pos in layout.handle:
        col = layout.name(pos)
        value, why = by_unique(fields[pos], lambda t, c=col: (0.0, "") if not t.strip()
                                else duration_field(t, decimal, c, seconds_per_unit))
        empty &= why == ""
        why[why == ""] = None
        sel = np.equal(reason, None) & (why != None)  # noqa: E711
        reason[sel] = why[sel]
        total += np.asarray(value, dtype="float64")
    names = ", ".join(layout.name(p) for p in layout.handle)
    reason[empty & np.equal(reason, None)] = f"missing value in column{'s' if len(layout.handle) > 1 else ''} {names}"
    return total, reason


def _empty_calls(timezone: str) -> pd.DataFrame:
    return pd.DataFrame({
        "call_id": pd.Series([], dtype="str"),
        "group": pd.Series([], dtype="str"),
        "arrived": pd.Series([], dtype=f"datetime64[us, {timezone}]"),
        "outcome": pd.Series([], dtype="str"),
        "wait_s": pd.Series([], dtype="float64"),
        "handle_s": pd.Series([], dtype="float64"),
        "language": pd.Series([], dtype="str"),
        "agent": pd.Series([], dtype="str"),
        "file": pd.Series([], dtype="str"),
        "line": pd.Series([], dtype="int64"),
    })


