"""The export engine: what every reader of a phone system's export shares.

Decoding (UTF-8, Windows-1252, Latin-1, with the byte that fails named), the header search (title lines above
it), field counts per line (quotes respected), parsing the configured columns as text once per distinct value,
durations and time stamps (aware, naive in the centre's zone, daylight-saving gaps and overlaps), and the exact
row accounting: every line is used, ignored with its reason counted, or rejected with its reason and raw text
(``read == used + ignored + rejected`` per file), stray dates and the read window included. The call log
(:mod:`.calls`) and the interval export (:mod:`.interval_export`) are readers on top of it; a new export format is
another.
"""


from __future__ import annotations

import codecs
import csv
import datetime as dt
import glob
import gzip
import io
import logging
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TypeVar

import numpy as np
import pandas as pd

from ..errors import InputError


__all__ = ["ACCOUNTING_COLUMNS", "ExportLayout", "GroupNames", "IGNORED_COLUMNS", "KnowsGroups", "Parts",
           "REJECT_COLUMNS", "STRAY_FEW_ROWS", "STRAY_FEW_SHARE", "STRAY_GAP_DAYS", "STRAY_SHARE", "TimeColumns",
           "UTF8_NAMES", "WHITESPACE", "accounting_summary", "after_window_reason", "by_unique", "column_finder",
           "concat_frames", "duration_field", "empty_ignored", "empty_rejects", "expand_files", "group_field",
           "localize", "parse_duration_s", "parse_times", "read_export", "read_exports", "set_aside", "stray_days",
           "stray_reasons", "window"]

log = logging.getLogger("bemanning")


class KnowsGroups(Protocol):
    """A reader's settings that map an export's group names to group ids."""

    def group_id(self, name: str) -> str | None: ...


class TimeColumns(Protocol):
    """A file's layout as far as time stamps go: the arrival column(s) by position, and their names."""

    arrived: tuple[int, ...]

    def name(self, position: int) -> str: ...


REJECT_COLUMNS = ("file", "line", "reason", "raw")
ACCOUNTING_COLUMNS = ("file", "read", "used", "ignored", "rejected")
IGNORED_COLUMNS = ("file", "reason", "rows")  # how many rows of a file were ignored for each reason

# A stray date (see stray_days): rows beyond a gap of more than STRAY_GAP_DAYS days without rows, on the side that
# holds at most STRAY_SHARE of the export's rows, or fewer than STRAY_FEW_ROWS rows and at most STRAY_FEW_SHARE.
STRAY_GAP_DAYS = 31
STRAY_SHARE = 0.01
STRAY_FEW_ROWS = 10
STRAY_FEW_SHARE = 0.10

WHITESPACE = "whitespace"  # fields separated by runs of blanks (values themselves have none): read as tabs
_HEADER_SEARCH_LINES = 20  # title lines an export may put above its header
_SUMMARY = re.compile(r"(summa|sum|totalt?)\b", re.IGNORECASE)
UTF8_NAMES = {"utf-8", "utf-8-sig"}
def accounting_summary(accounting: pd.DataFrame, rejects: pd.DataFrame, ignored: pd.DataFrame | None = None) -> str:
    """One line per file (and a total for several files): read = used + ignored + rejected, and the first reject;
    then a line ``  ignored: N reason; …`` (over all files) when rows were ignored."""
    first = rejects.drop_duplicates("file").set_index("file")
    lines = []
    for row in accounting.itertuples(index=False):
        text = (f"{Path(row.file).name}: {row.read} read = {row.used} used + {row.ignored} ignored"
                f" + {row.rejected} rejected")
        if row.read == 0:
            text += " (nothing to read)"
        elif row.file in first.index:
            text += f" (first: line {first.at[row.file, 'line']}, {first.at[row.file, 'reason']})"
        lines.append(text)
    if len(accounting) > 1:
        tot = accounting[["read", "used", "ignored", "rejected"]].sum()
        lines.append(f"total, {len(accounting)} files: {tot['read']} read = {tot['used']} used"
                     f" + {tot['ignored']} ignored + {tot['rejected']} rejected")
    if ignored is not None and len(ignored):
        per_reason = ignored.groupby("reason", sort=False)["rows"].sum()
        lines.append("  ignored: " + "; ".join(f"{n} {why}" for why, n in per_reason.items()))
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------------------------
# reading


Parts = tuple[pd.DataFrame, pd.DataFrame, tuple, pd.DataFrame]  # read_export's (rows, rejects, accounting, ignored)


def read_exports(paths: Sequence[Path], read_one: Callable[[Path], Parts], empty: pd.DataFrame, *,
                 time_column: str, encoding: str,
                 section: str = "calls") -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(rows, rejects, accounting, ignored) of the files ``paths``, each read by ``read_one`` (:func:`read_export`'s
    quadruple), in order; ``empty`` gives the rows' columns and types when none was used. Rows on a stray date
    (:func:`stray_days` of ``time_column`` over all the files) are then rejected, their lines re-read as written
    (``encoding``, ``section``: as for the files)."""
    parts = [read_one(path) for path in paths]
    rows = concat_frames([p[0] for p in parts], empty)
    rejects = concat_frames([p[1] for p in parts], empty_rejects())
    accounting = pd.DataFrame([p[2] for p in parts], columns=list(ACCOUNTING_COLUMNS)).astype(
        {c: "int64" for c in ACCOUNTING_COLUMNS[1:]})
    ignored = concat_frames([p[3] for p in parts], empty_ignored())
    reason = stray_reasons(rows[time_column])
    if reason is not None:
        rows, accounting, ignored, rejects = set_aside(
            rows, reason, accounting, ignored, rejects=rejects,
            raw=lambda file, lines: _raw_lines(Path(file), lines, encoding, section))
    return rows, rejects, accounting, ignored


# --------------------------------------------------------------------------------------------------------------
# the read window and stray dates


def after_window_reason(until: dt.date) -> str:
    """Why a row on or after ``until`` is ignored: the history holds what came before that date."""
    return f"after the read window: on or after {until}"


def window(rows: pd.DataFrame, time_column: str, until: dt.date, accounting: pd.DataFrame,
           ignored: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(rows before ``until``, accounting, ignored): the rows whose ``time_column`` (aware) is on or after local
    midnight of ``until`` move from used to ignored, with :func:`after_window_reason`."""
    times = rows[time_column]
    after = (times >= pd.Timestamp(until, tz=times.dt.tz)).to_numpy(dtype=bool)
    reason = np.where(after, after_window_reason(until), None)
    rows, accounting, ignored, _ = set_aside(rows, reason, accounting, ignored)
    return rows, accounting, ignored


def set_aside(rows: pd.DataFrame, reason: np.ndarray, accounting: pd.DataFrame, ignored: pd.DataFrame, *,
              rejects: pd.DataFrame | None = None, raw: Callable[[str, list[int]], list[str]] | None = None,
              ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame | None]:
    """Move the used ``rows`` with a ``reason`` (not None) out of them: (rows kept, accounting, ignored, rejects).

    Without ``rejects`` they become ignored (counted per file and reason in ``ignored``); with it they are
    rejected and listed there (``raw(file, line numbers)``: their lines as written), ordered by file and line.
    ``read == used + ignored + rejected`` stays exact per file."""
    out = np.array([r is not None for r in reason], dtype=bool)
    if not out.any():
        return rows, accounting, ignored, rejects
    moved = pd.DataFrame({"file": rows["file"].to_numpy()[out], "line": rows["line"].to_numpy()[out],
                          "reason": reason[out].astype(str)})
    per_file = moved["file"].value_counts()
    accounting = accounting.copy()
    taken = accounting["file"].map(per_file).fillna(0).astype("int64")
    accounting["used"] -= taken
    if rejects is None:
        accounting["ignored"] += taken
        tally = moved.groupby(["file", "reason"], sort=False).size().rename("rows").reset_index()
        ignored = concat_frames([ignored, tally], empty_ignored())
        order = {f: i for i, f in enumerate(accounting["file"])}
        ignored = ignored.sort_values("file", key=lambda f: f.map(order), kind="stable", ignore_index=True)
    else:
        accounting["rejected"] += taken
        assert raw is not None
        texts = pd.Series("", index=moved.index, dtype=object)
        for file, part in moved.groupby("file", sort=False):
            texts[part.index] = raw(str(file), part["line"].tolist())
        rejects = concat_frames([rejects, moved.assign(raw=texts.astype(str))], empty_rejects())
        order = {f: i for i, f in enumerate(accounting["file"])}
        rejects = rejects.sort_values(["file", "line"], key=lambda c: c.map(order) if c.name == "file" else c,
                                      kind="stable", ignore_index=True)
    return rows.loc[~out].reset_index(drop=True), accounting, ignored, rejects


def stray_days(rows_per_day: pd.Series) -> pd.DatetimeIndex:
    """The days (index: dates, values: rows) that lie far outside the rest of the export.

    The rule: sort the days that carry rows; wherever two consecutive ones are more than ``STRAY_GAP_DAYS`` apart,
    the rows on either side of that gap are a *minority* when they are at most ``STRAY_SHARE`` (1 %) of all rows,
    or fewer than ``STRAY_FEW_ROWS`` and at most ``STRAY_FEW_SHARE`` (10 %) of them; a minority's days are stray.
    A mistyped year (a call of 1969 in a log of 1999) is stray; an export of two real periods far apart, each a
    large share of the rows, has none: its long gap is missing days (:mod:`bemanning.gaps`).
    """
    per_day = rows_per_day[rows_per_day > 0].sort_index()
    days = pd.DatetimeIndex(per_day.index)
    counts = per_day.to_numpy(dtype="int64")
    total, upto = int(counts.sum()), np.cumsum(counts)
    stray = np.zeros(len(days), dtype=bool)
    apart = np.diff(days.to_numpy().astype("datetime64[D]")).astype("int64")  # days from one to the next
    for gap in np.flatnonzero(apart > STRAY_GAP_DAYS):  # between days[gap] and days[gap + 1]
        if _minority(int(upto[gap]), total):
            stray[:gap + 1] = True
        if _minority(total - int(upto[gap]), total):
            stray[gap + 1:] = True
    return days[stray]


def _minority(rows: int, total: int) -> bool:
    """Whether ``rows`` of ``total`` are few enough to be stray beyond a long gap (see :func:`stray_days`)."""
    return rows <= STRAY_SHARE * total or (rows < STRAY_FEW_ROWS and rows <= STRAY_FEW_SHARE * total)


def stray_reasons(times: pd.Series) -> np.ndarray | None:
    """Per row (aware ``times``), why its date is stray (:func:`stray_days`), else None; None when no row is.

    E.g. "date 1969-12-31 is 10,624 days before the rest of the export (1999-02-01 … 1999-02-28)"."""
    if times.empty:
        return None
    day = times.dt.tz_localize(None).dt.normalize()
    stray = stray_days(day.value_counts())
    if stray.empty:
        return None
    rest = day[~day.isin(stray)]
    first, last = rest.min(), rest.max()
    why = {d: (f"date {d:%Y-%m-%d} is {(first - d).days:,} days before" if d < first else
               f"date {d:%Y-%m-%d} is {(d - last).days:,} days after")
           + f" the rest of the export ({first:%Y-%m-%d} … {last:%Y-%m-%d})" for d in stray}
    return day.map(why).to_numpy(dtype=object, na_value=None)


def _raw_lines(path: Path, lines: list[int], encoding: str, section: str) -> list[str]:
    """Lines ``lines`` (1-based) of a file, as written."""
    text = _read_text(path, encoding, section).split("\n")
    return [text[i - 1] for i in lines]


@dataclass(frozen=True)
class GroupNames:
    """Names under which an export may report our groups: matched with blanks stripped, then without regard to
    case."""

    exact: Mapping[str, str]  # stripped name → group id
    folded: Mapping[str, str]  # casefolded name → group id

    @classmethod
    def of(cls, groups: Mapping[str, str]) -> GroupNames:
        return cls({str(k).strip(): v for k, v in groups.items()},
                   {str(k).strip().casefold(): v for k, v in groups.items()})

    def id(self, name: str) -> str | None:
        name = name.strip()
        return self.exact.get(name) or self.folded.get(name.casefold())


def column_finder(header: Sequence[str]) -> Callable[[str], int | None]:
    """Position of a column in ``header`` by name: the first exact match (blanks stripped), else the first
    without regard to case; None when absent."""
    exact: dict[str, int] = {}
    folded: dict[str, int] = {}
    for pos, name in reversed(list(enumerate(header))):  # the first of equal names wins
        exact[name.strip()] = pos
        folded[name.strip().casefold()] = pos

    def find(name: str) -> int | None:
        name = str(name).strip()
        return exact.get(name, folded.get(name.casefold()))

    return find


def expand_files(patterns: Sequence[str], base_dir: Path, what: str = "call-log") -> list[Path]:
    """Glob ``patterns`` relative to ``base_dir``: sorted per pattern, each file once; a pattern that matches
    nothing is an InputError (``what``: the kind of file, for the message)."""
    paths: dict[Path, None] = {}
    for pattern in patterns:
        found = sorted(glob.glob(str(Path(base_dir) / pattern), recursive=True))
        if not found:
            raise InputError(f"no {what} file matches {pattern!r} (relative to {base_dir})",
                             file=Path(base_dir) / pattern)
        paths.update((Path(p), None) for p in found)
    return list(paths)


def _read_text(path: Path, encoding: str, section: str = "calls") -> str:
    """The decoded text of a (possibly gzipped) file, without a byte-order mark, with ``\\n`` line ends."""
    try:
        data = path.read_bytes()
        if path.suffix == ".gz" or data[:2] == b"\x1f\x8b":
            data = gzip.decompress(data)
    except FileNotFoundError:
        raise InputError("call-log file not found", file=path) from None
    except (OSError, EOFError) as exc:
        raise InputError(f"cannot read the file: {exc}", file=path) from None
    if data.startswith(b"PK\x03\x04"):
        raise InputError("the file is a zip archive (an .xlsx workbook?), not text: save the export as CSV", file=path)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and not encoding.startswith("utf-16"):
        raise InputError(f"the file starts with a UTF-16 byte-order mark (Excel's 'Unicode text') but [{section}] "
                         f"encoding is {encoding!r}; set encoding = 'utf-16'", file=path)
    if data.startswith(codecs.BOM_UTF8):
        if encoding not in UTF8_NAMES:
            raise InputError(f"the file starts with a UTF-8 byte-order mark but [{section}] encoding is {encoding!r};"
                             " set encoding = 'utf-8'", file=path)
        data = data[len(codecs.BOM_UTF8):]
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        other = "cp1252" if encoding in UTF8_NAMES else "utf-8"
        raise InputError(
            f"byte 0x{data[exc.start]:02x} cannot be decoded as {encoding!r}; the file is probably {other!r}"
            f" (set [{section}] encoding = '{other}')", file=path, row=line) from None
    text = text.removeprefix("\ufeff")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def _header_line(lines: list[str], candidates: list[int], sep: str, wanted: Sequence[str]) -> int:
    """The first of the ``candidates`` (line indices) that holds every name in ``wanted``: exports may put a
    title or a date range above the header. Without one, the candidate with the most fields, the first of those
    (the header most likely; its columns are then reported)."""
    fields = {}
    for i in candidates:
        names = [h.strip().casefold() for h in next(csv.reader([lines[i]], delimiter=sep))]
        if all(str(w).strip().casefold() in names for w in wanted):
            return i
        fields[i] = len(names)
    return max(candidates, key=lambda i: (fields[i], -i))


def _split_header(line: str, sep: str, path: Path, row: int, section: str = "calls") -> list[str]:
    header = [h.strip() for h in next(csv.reader([line], delimiter=sep))]
    if len(header) == 1:
        counts = {s: line.count(s) for s in (";", ",", "\t", "|") if s != sep}
        guess = max(counts, key=counts.get) if any(counts.values()) else None  # type: ignore[arg-type]
        hint = f"; it looks {guess!r}-separated: set [{section}] separator = {guess!r}" if guess else ""
        raise InputError(f"the header splits into 1 column with separator {sep!r}{hint}", file=path, row=row)
    return header


def _field_counts(lines: list[str], sep: str, quoted: bool) -> np.ndarray:
    """Number of fields of each line; with ``quoted``, lines with quotes are split as CSV (-1: unbalanced quote)."""
    counts = np.array([line.count(sep) + 1 for line in lines], dtype=np.int64)
    if quoted:
        for i, line in enumerate(lines):
            if '"' in line:
                counts[i] = len(next(csv.reader([line], delimiter=sep))) if line.count('"') % 2 == 0 else -1
    return counts


class ExportLayout(Protocol):
    """Where one file's configured columns are: its header, and the positions to parse."""

    header: tuple[str, ...]

    @property
    def usecols(self) -> list[int]: ...


L = TypeVar("L", bound=ExportLayout)


def read_export(
    path: Path, encoding: str, separator: str, wanted: Sequence[str], make_layout: Callable[[list[str], int], L],
    check: Callable[[pd.DataFrame, L], tuple[np.ndarray, np.ndarray, pd.DataFrame]], empty: pd.DataFrame,
    section: str = "calls",
) -> Parts:
    """Read one delimited export and account for every line: (used rows, rejects, accounting row, ignored).

    The header is the first of the first non-blank lines that names every column in ``wanted`` (lines above it
    are read and rejected); ``make_layout(header, header line number)`` finds the columns (raising InputError);
    lines with the header's number of fields are parsed as text (columns labelled by header position) and
    ``check(fields, layout)`` returns per row a kind (``"ignored"`` or anything else), a reason (to reject, or
    for an ignored row why it is ignored) or None, and the parsed frame. Every other line is rejected with its
    reason; a rejected line that starts with "Summa"/"Totalt" is reported as a summary line. ``ignored`` counts
    the ignored rows per reason. ``section`` names the settings' TOML table in messages.
    """
    text = _read_text(path, encoding, section)
    sep = separator
    if sep == WHITESPACE:
        text = "\n".join("\t".join(line.split()) for line in text.split("\n"))
        sep = "\t"
    lines = text.split("\n")
    while lines and not lines[-1].strip():
        lines.pop()  # blank lines at the end are not read
    filled = [i for i, line in enumerate(lines) if line.strip()]
    if not filled:
        log.warning("%s: empty file, nothing to read", path)
        return empty, empty_rejects(), (str(path), 0, 0, 0, 0), empty_ignored()
    head = _header_line(lines, filled[:_HEADER_SEARCH_LINES], sep, wanted)
    header = _split_header(lines[head], sep, path, head + 1, section)
    layout = make_layout(header, head + 1)
    first = filled[0]  # title lines above the header are read, and rejected
    body = lines[first:head] + lines[head + 1:]
    line_no = np.concatenate([np.arange(first + 1, head + 1), np.arange(head + 2, len(lines) + 1)])
    n = len(body)

    reason = np.full(n, None, dtype=object)
    above = head - first
    counts = _field_counts(body, sep, quoted='"' in text)
    del text
    counts[:above] = 0  # never a row
    fits = counts == len(header)
    blank = np.array([not body[i].strip() for i in np.flatnonzero(~fits)], dtype=bool)
    reason[np.flatnonzero(~fits)[blank]] = "blank line"
    for i in np.flatnonzero(~fits)[~blank]:
        found = counts[i]
        reason[i] = "unbalanced quote" if found < 0 else f"expected {len(header)} fields, found {found}"
    reason[:above] = [f"line above the header (line {head + 1})" if body[i].strip() else "blank line"
                      for i in range(above)]

    good = np.flatnonzero(fits)
    fields = _parse_fields(body, good, sep, layout.usecols, len(header))
    kind, ok_reason, parsed = check(fields, layout)
    is_ignored = np.asarray(kind == "ignored", dtype=bool)
    why_ignored = [r if r is not None else "ignored" for r in ok_reason[is_ignored]]
    ok_reason = np.where(is_ignored, None, ok_reason)
    reason[good] = ok_reason
    ignored = np.zeros(n, dtype=bool)
    ignored[good] = is_ignored
    rejected = np.array([r is not None for r in reason], dtype=bool)
    for i in np.flatnonzero(rejected[above:]) + above:
        if _is_summary(body[i], sep):
            reason[i] = f"summary line {_first_field(body[i], sep)!r}"

    used_good = (kind != "ignored") & np.array([r is None for r in ok_reason], dtype=bool)
    used = parsed.loc[used_good].assign(file=str(path), line=line_no[good][used_good]).reset_index(drop=True)
    rej = np.flatnonzero(rejected)
    rejects = pd.DataFrame({
        "file": pd.Series([str(path)] * len(rej), dtype="str"),
        "line": line_no[rej].astype("int64"),
        "reason": pd.Series(reason[rej].tolist(), dtype="str"),
        "raw": pd.Series([body[i] for i in rej], dtype="str"),
    })
    acc = (str(path), n, int(used_good.sum()), int(ignored.sum()), int(rejected.sum()))
    if rej.size:
        log.warning("%s: %d of %d rows rejected (first: line %d, %s)", path, rej.size, n, line_no[rej[0]],
                    reason[rej[0]])
    log.debug("%s: %d read, %d used, %d ignored, %d rejected", path, *acc[1:])
    tally = pd.Series(why_ignored, dtype=object).value_counts(sort=False)
    ignored_rows = pd.DataFrame({"file": str(path), "reason": tally.index.astype(str), "rows": tally.to_numpy()})
    return used, rejects, acc, ignored_rows.astype(empty_ignored().dtypes.to_dict())


def _parse_fields(body: list[str], good: np.ndarray, sep: str, usecols: list[int], n_columns: int) -> pd.DataFrame:
    """The columns ``usecols`` of the well-formed lines, as text (column labels are header positions)."""
    if good.size == 0:
        return pd.DataFrame({p: pd.Series([], dtype=object) for p in usecols})
    text = "\n".join(body if good.size == len(body) else [body[i] for i in good.tolist()])
    frame = pd.read_csv(io.StringIO(text), sep=sep, header=None, names=range(n_columns), usecols=usecols,
                        dtype=object, keep_default_na=False, na_filter=False, skip_blank_lines=False, engine="c")
    if len(frame) != good.size:  # cannot happen: every line was checked to have the header's number of fields
        raise AssertionError(f"parsed {len(frame)} rows from {good.size} lines")
    return frame


def by_unique(values: pd.Series, parse: Callable[[str], tuple[Any, str | None]]) -> tuple[np.ndarray, np.ndarray]:
    """Apply ``parse`` (text → (value, reason or None)) once per distinct text; arrays aligned with ``values``."""
    codes, uniques = pd.factorize(values.to_numpy(dtype=object))
    results = [parse(u) for u in uniques]
    value = np.array([r[0] for r in results] + [None], dtype=object)[:-1]
    why = np.array([r[1] for r in results] + [None], dtype=object)[:-1]
    if value.size and all(isinstance(v, float) for v in value):
        value = value.astype("float64")
    return value[codes], why[codes]


def group_field(text: str, spec: KnowsGroups, column: str) -> tuple[str | None, str | None]:
    if not text.strip():
        return None, f"missing value in column {column}"
    gid = spec.group_id(text)
    return (gid, None) if gid else (None, f"unknown group {text.strip()!r}")


def parse_duration_s(text: str, decimal: str = ".", seconds_per_unit: float = 1.0) -> float | None:
    """Seconds in ``text``: ``"75"``, ``"12,5"`` (with ``decimal=","``), ``"1:02:03"`` or ``"02:03"``.

    A plain number counts ``seconds_per_unit`` seconds per unit (60 for decimal minutes: ``"1,5"`` is 90 s); clock
    notation is hours, minutes and seconds whatever the unit. Returns ``None`` for text that is none of these
    (including empty text); a leading ``-`` gives a negative number, which the caller rejects.
    """
    text = text.strip()
    sign = -1.0 if text.startswith("-") else 1.0
    body = text.lstrip("+-").strip()
    if ":" in body:
        parts = body.split(":")
        if len(parts) not in (2, 3) or not all(p.isdecimal() for p in parts[:-1]):
            return None
        last = _number(parts[-1], decimal)
        if last is None or last >= 60 or (len(parts) == 3 and int(parts[1]) >= 60):
            return None
        whole = [int(p) for p in parts[:-1]]
        hours, minutes = (whole if len(whole) == 2 else [0, *whole])
        return sign * (hours * 3600 + minutes * 60 + last)
    value = _number(body, decimal)
    return None if value is None else sign * value * seconds_per_unit


def _number(text: str, decimal: str) -> float | None:
    if not text or not text.replace(decimal, "", 1).isdecimal():
        return None
    return float(text.replace(decimal, ".", 1))


def duration_field(text: str, decimal: str, column: str, seconds_per_unit: float = 1.0) -> tuple[float, str | None]:
    if not text.strip():
        return np.nan, f"missing value in column {column}"
    value = parse_duration_s(text, decimal, seconds_per_unit)
    if value is None:
        return np.nan, f"unparseable duration {text.strip()!r} in column {column}"
    if value < 0:
        return np.nan, f"negative duration {text.strip()} in column {column}"
    return value, None


def parse_times(
    fields: pd.DataFrame, layout: TimeColumns, datetime_format: str | None
) -> tuple[pd.DatetimeIndex, pd.DatetimeIndex, np.ndarray]:
    """(naive wall-clock times, UTC times of stamps with an offset, reasons); NaT where not that kind."""
    if len(layout.arrived) == 1:
        text = fields[layout.arrived[0]].to_numpy(dtype=object)
        column = f"column {layout.name(layout.arrived[0])}"
    else:
        pairs = zip(fields[layout.arrived[0]].tolist(), fields[layout.arrived[1]].tolist(), strict=True)
        text = np.array([f"{d.strip()} {t.strip()}" for d, t in pairs] + [""], dtype=object)[:-1]
        column = f"columns {layout.name(layout.arrived[0])}, {layout.name(layout.arrived[1])}"
    naive, utc = _to_datetime(text, datetime_format)
    bad = np.flatnonzero(naive.isna() & utc.isna())
    if bad.size:  # retry without surrounding blanks, which some exports pad with
        stripped = np.array([t.strip() for t in text[bad]] + [""], dtype=object)[:-1]
        naive2, utc2 = _to_datetime(stripped, datetime_format)
        naive_us, utc_us = naive.to_numpy().copy(), utc.tz_localize(None).to_numpy().copy()
        naive_us[bad], utc_us[bad] = naive2.to_numpy(), utc2.tz_localize(None).to_numpy()
        naive, utc = pd.DatetimeIndex(naive_us), pd.DatetimeIndex(utc_us).tz_localize("UTC")
    reason = np.full(len(text), None, dtype=object)
    if datetime_format is None:  # ISO 8601 also reads a bare date, as midnight: not an arrival time
        no_clock = np.array([":" not in t for t in text.tolist()], dtype=bool)
        dateonly = np.flatnonzero(no_clock & (naive.notna() | utc.notna()))
        reason[dateonly] = [f"no time of day in {text[i].strip()!r} in {column}" for i in dateonly]
        naive_us, utc_us = naive.to_numpy().copy(), utc.tz_localize(None).to_numpy().copy()
        naive_us[dateonly], utc_us[dateonly] = np.datetime64("NaT"), np.datetime64("NaT")
        naive, utc = pd.DatetimeIndex(naive_us), pd.DatetimeIndex(utc_us).tz_localize("UTC")
    for i in np.flatnonzero(naive.isna() & utc.isna() & np.equal(reason, None)):
        value = text[i].strip()
        reason[i] = f"unparseable time {value!r} in {column}" if value else f"missing value in {column}"
    return naive, utc, reason


_OFFSET = re.compile(r"(?:Z|[+-]\d\d(?::?\d\d)?)\s*$")


def _to_datetime(text: np.ndarray, datetime_format: str | None) -> tuple[pd.DatetimeIndex, pd.DatetimeIndex]:
    """(naive wall-clock times, UTC times of the stamps that carry a UTC offset), NaT where not that kind."""
    fmt = datetime_format or "ISO8601"
    try:
        return _split_aware(pd.to_datetime(text, format=fmt, errors="coerce"))
    except ValueError:  # naive stamps and stamps with an offset mixed, or several offsets
        pass
    has_offset = np.array([bool(_OFFSET.search(t)) for t in text.tolist()], dtype=bool)
    try:
        naive, _ = _split_aware(pd.to_datetime(np.where(has_offset, "", text), format=fmt, errors="coerce"))
    except ValueError:
        naive, has_offset = _nat(len(text)), np.ones(len(text), dtype=bool)
    utc = pd.to_datetime(np.where(has_offset, text, ""), format=fmt, errors="coerce", utc=True)
    return naive, utc.as_unit("us")


def _split_aware(times: pd.DatetimeIndex) -> tuple[pd.DatetimeIndex, pd.DatetimeIndex]:
    if times.tz is None:
        return times.as_unit("us"), _nat(len(times)).tz_localize("UTC")
    return _nat(len(times)), times.tz_convert("UTC").as_unit("us")


def _nat(n: int) -> pd.DatetimeIndex:
    return pd.DatetimeIndex(np.full(n, np.datetime64("NaT", "us")))


def localize(
    naive: pd.DatetimeIndex, utc: pd.DatetimeIndex, timezone: str, note: Callable[[np.ndarray, Any], None]
) -> pd.Series:
    """Aware local times; naive wall-clock times that occur twice or never on a daylight-saving day are rejected."""
    aware = naive.tz_localize(timezone, ambiguous="NaT", nonexistent="NaT")
    lost = np.flatnonzero(naive.notna() & aware.isna())
    if lost.size:
        as_dst = naive[lost].tz_localize(timezone, ambiguous=np.ones(lost.size, dtype=bool), nonexistent="NaT")
        messages = np.full(len(naive), None, dtype=object)
        messages[lost] = np.where(as_dst.isna(), "non-existent local time (DST change)",
                                  "ambiguous local time (DST change)")
        note(messages != None, messages)  # noqa: E711
    epoch_us = np.where(utc.isna(), aware.as_unit("us").asi8, utc.asi8)
    return pd.Series(pd.DatetimeIndex(epoch_us.view("datetime64[us]")).tz_localize("UTC").tz_convert(timezone))


def _is_summary(line: str, sep: str) -> bool:
    return bool(_SUMMARY.match(_first_field(line, sep)))


def _first_field(line: str, sep: str) -> str:
    return next((f.strip().strip('"') for f in line.split(sep) if f.strip().strip('"')), "")


def empty_ignored() -> pd.DataFrame:
    return pd.DataFrame({"file": pd.Series([], dtype="str"), "reason": pd.Series([], dtype="str"),
                         "rows": pd.Series([], dtype="int64")})


def empty_rejects() -> pd.DataFrame:
    return pd.DataFrame({"file": pd.Series([], dtype="str"), "line": pd.Series([], dtype="int64"),
                         "reason": pd.Series([], dtype="str"), "raw": pd.Series([], dtype="str")})


def concat_frames(frames: list[pd.DataFrame], empty: pd.DataFrame) -> pd.DataFrame:
    frames = [f for f in frames if len(f)]
    if not frames:
        return empty
    out = pd.concat(frames, ignore_index=True)
    return out.astype(empty.dtypes.to_dict())
