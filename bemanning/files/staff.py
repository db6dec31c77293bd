"""Reading the staff list into :class:`~bemanning.config.Employee` records.

The list is a table with one row per employee under a header row; its columns are declared once in
:data:`STAFF_SPEC`, which drives both the checks here and :func:`staff_reference_markdown` (the docs' table).

Files read:

* ``.xlsx`` / ``.xlsm`` (openpyxl): the sheet named ``staff``, ``personal`` or ``personallista`` (any case), else
  the first sheet. Cells are read as Excel shows them: a time cell is ``HH:MM`` (Excel's ``24:00`` too), a date cell
  ``YYYY-MM-DD``, a percent-formatted number is multiplied by 100 (``0.75`` shown as ``75 %`` is 75), other numbers
  as written (``75``, ``37.5``; an id ``101`` stays ``"101"``). Formulas give their last computed value.
* CSV (any other name): separated by ``,``, ``;`` or tab — given, or taken from an Excel ``sep=;`` first line, or
  else the one the header line uses most. Encoding given, or detected: a byte-order mark (UTF-8, UTF-16), else
  UTF-8 if the bytes are valid UTF-8, else cp1252 (what Swedish Excel's "CSV (semikolonavgränsad)" writes).
* ``.xls``, ``.xlsb``, ``.ods``, ``.numbers`` (and workbooks misnamed ``.csv``) are refused with one line asking for
  .xlsx or CSV.

Rows are numbered as the spreadsheet shows them (the header is row 1). Header names are compared stripped and
case-insensitively; an unknown one is refused with the nearest known name. Entirely empty rows (Excel's
``;;;;`` at the end) are skipped. A row with more fields than the header is refused (an unquoted separator inside a
cell shifts every later column), as is one that ends before a required column; shorter rows leave the optional
columns at the end empty.

List cells (``groups``, ``absent``, ``days_off``, ``wishes``) hold several values separated by any of ``;`` ``,`` ``|``: in a
``,`` file write ``aldre;ovriga`` or ``aldre|ovriga``, in a ``;`` file ``aldre,ovriga`` or ``aldre|ovriga``, in a
tab file or .xlsx any of them. The file's own separator may appear in a cell only quoted (``"aldre,ovriga"``), as
Excel writes it.

``contract_pct`` reads ``75``, ``75,0``, ``75 %`` and ``75%`` as 75. A value from 0 to 1 without ``%`` (``0.75``)
is refused as a likely fraction: write 75, or format the Excel cell as percent.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import difflib
import io
import re
import warnings
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..calendar import iso_week_dates
from ..config import LANGUAGE_CODE, Absence, Employee, Wish, parse_clock
from ..errors import InputError

__all__ = ["CSV_SEPARATORS", "LIST_SEPARATORS", "STAFF_COLUMNS", "STAFF_OPTIONAL_COLUMNS", "STAFF_SHEETS",
           "STAFF_SPEC", "StaffColumn", "check_encoding", "check_separator", "read_staff", "staff_reference_markdown"]


@dataclass(frozen=True)
class StaffColumn:
    """One declared column of the staff list."""

    name: str
    required: bool
    format: str
    meaning: str


STAFF_SPEC: tuple[StaffColumn, ...] = (
    StaffColumn("employee", True, "text", "the employee's id, unique in the list (`E07`)"),
    StaffColumn("name", True, "text", "the name shown on the roster"),
    StaffColumn("contract_pct", True, "number in (1, 100]: `75`, `75,0`, `75 %`",
                "contract as a percentage of full time; may be empty when `weekly_hours` is given"),
    StaffColumn("groups", True, "list of group ids", "the answer groups (skills) they take, preferred first"),
    StaffColumn("weekly_hours", False, "number: `30`, `37,5`",
                "contracted hours a week, used when `contract_pct` is empty (share of `full_time_h`)"),
    StaffColumn("unit", False, "text", "their team (enhet); activities may name it"),
    StaffColumn("absent", False, "list of `2026-12-01`, `2026-12-01..2026-12-04`, `2026-12-02 08:00-12:00`",
                "days (inclusive) or hours away: vacation, sick leave, a course"),
    StaffColumn("days_off", False, "list of weekdays `mon` … `sun`", "weekdays never worked"),
    StaffColumn("earliest_start", False, "`HH:MM`", "earliest start of a working day"),
    StaffColumn("latest_end", False, "`HH:MM`, or `24:00`", "latest end of a working day"),
    StaffColumn("shifts_per_week", False, "`4-5` or `5`", "fewest and most working days a week, if not the centre's"),
    StaffColumn("kind", False, "`staff` or `temp` (also `timvikarie`, `bemanningsföretag`)",
                "`temp`: an hourly temp or agency worker, never in a week's plan, called in on the day by "
                "`bemanning intraday` between `earliest_start` and `latest_end`; the contract may be empty"),
    StaffColumn("cost_per_h", False, "number", "a temp's cost per hour in the re-plan's units (default: the centre's "
                                               "`[intraday] temp_per_h`)"),
    StaffColumn("wishes", False, "list of `off 2026-12-24`, `off fri`, `from 10:00 mon`, `until 16:00`",
                "a day off, a start from or an end until a time (on a date, a weekday, or every day): granted where "
                "the roster can (`[roster.weights] wish` per wish turned down), shared fairly over a period"),
    StaffColumn("vacation_wishes", False, "list of ISO weeks `2027-W28`, best first",
                "ranked wishes for the first week of the summer vacation (`bemanning vacation`)"),
    StaffColumn("vacation_weeks", False, "whole number 0-8",
                "consecutive summer vacation weeks, if not the centre's `[capacity] vacation_weeks`"),
    StaffColumn("employed", False, "`2027-03-01..`, `..2027-08-31` or `2027-03-01..2027-08-31`",
                "first and/or last day of employment (a new hire, a leaver, a fixed term): away outside it"),
    StaffColumn("contract_changes", False, "list of `75 from 2027-03-01`",
                "the contract percentage from a day on (the roster's weekly hours and the capacity plan follow it)"),
    StaffColumn("languages", False, "list of language codes `ar;so`",
                "languages they serve contacts in besides the centre's own (a group's `languages` shares)"),
)
STAFF_COLUMNS = tuple(c.name for c in STAFF_SPEC if c.required)
STAFF_OPTIONAL_COLUMNS = tuple(c.name for c in STAFF_SPEC if not c.required)
_KNOWN = tuple(c.name for c in STAFF_SPEC)

CSV_SEPARATORS = (",", ";", "\t")
LIST_SEPARATORS = (";", ",", "|")
STAFF_SHEETS = ("staff", "personal", "personallista")
FALLBACK_ENCODING = "cp1252"
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_REFUSED_SUFFIXES = {".xls": "an old Excel workbook", ".xlsb": "a binary Excel workbook",
                     ".ods": "an OpenDocument spreadsheet", ".numbers": "a Numbers document"}
_ZIP_MAGIC, _OLE_MAGIC = b"PK\x03\x04", b"\xd0\xcf\x11\xe0"
_XLSX_SUFFIXES = (".xlsx", ".xlsm")
_SEP_LINE = re.compile(r'\s*"?sep=(.)"?\s*', re.IGNORECASE)  # Excel's separator hint on the first line
_NUMBER = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_EXCEL_DAY_0 = dt.datetime(1899, 12, 31)  # openpyxl's datetime for serial 0: a time cell of 24:00 is the day after
_XLSX_FIELD_HINT = "a cell right of the last header column holds a value; give its column a header or empty it"

Row = tuple[int, list[str]]  # (row number as the spreadsheet shows it, the row's fields as text)


class _CellError(ValueError):
    """A cell that cannot be read: its column and what was expected and found."""

    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column


def staff_reference_markdown() -> str:
    """The staff list's columns as a Markdown table (column | required | format | meaning), for the docs."""

    def cell(text: str) -> str:
        return text.replace("|", "\\|")

    lines = ["| column | required | format | meaning |", "|---|---|---|---|"]
    lines += [f"| `{c.name}` | {'yes' if c.required else 'no'} | {cell(c.format)} | {cell(c.meaning)} |"
              for c in STAFF_SPEC]
    return "\n".join(lines) + "\n"


def check_separator(separator: str, path: Path | None = None) -> str:
    """The CSV separator ``,``, ``;`` or a tab (``"\\t"`` or ``"tab"``); anything else is an InputError."""
    value = "\t" if separator == "tab" else separator
    if value not in CSV_SEPARATORS:
        raise InputError(f"staff_separator: expected ',', ';' or a tab ('\\t' or 'tab'), found {separator!r}",
                         file=path)
    return value


def check_encoding(encoding: str, path: Path | None = None) -> str:
    """A text encoding Python knows (``utf-8``, ``utf-8-sig``, ``cp1252``, ``latin-1``, …); else an InputError."""
    try:
        codecs.lookup(encoding)
        b"\0\0\0\0".decode(encoding)  # a LookupError for a codec that is not text-to-bytes (base64)
    except UnicodeError:
        pass
    except (LookupError, TypeError):
        raise InputError(f"staff_encoding: expected a text encoding like 'utf-8' or 'cp1252', found {encoding!r}",
                         file=path) from None
    return encoding


def read_staff(path: Path, *, full_time_h: float = 40.0, separator: str | None = None,
               encoding: str | None = None, group_ids: Sequence[str] | None = None) -> tuple[Employee, ...]:
    """Read the staff list (.xlsx or CSV, see the module docstring) into employees, in the file's order.

    ``separator`` (``,`` ``;`` tab) and ``encoding`` (a codec name) fix a CSV's reading instead of detecting it;
    they are checked but ignored for .xlsx. ``full_time_h`` turns ``weekly_hours`` into a percentage;
    ``group_ids``, if given, are the centre's groups that the ``groups`` column may name. Every problem is one
    :class:`InputError` naming the file, row and column.
    """
    path = Path(path)
    separator = None if separator is None else check_separator(separator, path)
    encoding = None if encoding is None else check_encoding(encoding, path)
    data = _read_bytes(path)
    if _is_workbook(path, data):
        rows, hint = _xlsx_rows(data, path), _XLSX_FIELD_HINT
    else:
        rows, used = _csv_rows(data, path, separator, encoding)
        hint = _csv_field_hint(used)
    staff = _employees(_records(rows, path, hint), path, full_time_h, group_ids)
    if not staff:
        raise InputError("the staff list has a header but no employees: expected one row per employee under it",
                         file=path)
    return staff


# --- the file -------------------------------------------------------------------------------------------------------

def _read_bytes(path: Path) -> bytes:
    if path.is_dir():
        raise InputError("staff file is a folder, expected a CSV or .xlsx file", file=path)
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError("staff file not found", file=path) from None
    except OSError as exc:
        raise InputError(f"staff file cannot be read: {exc.strerror or exc}", file=path) from None


def _is_workbook(path: Path, data: bytes) -> bool:
    """True for an .xlsx workbook; raises for spreadsheet formats that cannot be read, by name or by content."""
    suffix = path.suffix.lower()
    if suffix in _REFUSED_SUFFIXES:
        raise InputError(f"staff file is {_REFUSED_SUFFIXES[suffix]} ({suffix}), which cannot be read; "
                         "save it as .xlsx or CSV", file=path)
    if suffix in _XLSX_SUFFIXES:
        return True
    if data.startswith(_OLE_MAGIC):
        raise InputError("staff file is an old Excel workbook (.xls) under another name, which cannot be read; "
                         "save it as .xlsx or CSV", file=path)
    if data.startswith(_ZIP_MAGIC):
        raise InputError("staff file is a zip archive (an .xlsx or .ods workbook?), not CSV text; "
                         "give an .xlsx workbook the suffix .xlsx, or save it as CSV", file=path)
    return False


# --- CSV -------------------------------------------------------------------------------------------------------------

def _decode(data: bytes, path: Path, encoding: str | None) -> str:
    """The file's text: in ``encoding`` if given (a UTF-8 BOM dropped), else by BOM, else UTF-8, else cp1252."""
    if encoding is not None:
        codec = "utf-8-sig" if codecs.lookup(encoding).name == "utf-8" else encoding
        expected, advice = f"{encoding} text", "give the file's own encoding, or leave staff_encoding out"
    else:
        codec = next((c for bom, c in _BOMS if data.startswith(bom)), None)
        if codec is None:
            try:
                return data.decode("utf-8")
            except UnicodeDecodeError:
                codec = FALLBACK_ENCODING
        expected, advice = "UTF-8 or cp1252 text", "save the list as 'CSV UTF-8', or give its encoding"
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        found = data[exc.start:exc.start + 1]
        raise InputError(f"expected {expected}, found the byte 0x{found.hex()}: {advice} (staff_encoding)",
                         file=path, row=data.count(b"\n", 0, exc.start) + 1) from None


def _detect_separator(text: str) -> str:
    """The separator the header (the first non-blank line) uses most; ``,`` if it uses none."""
    header = next((line for line in text.splitlines() if line.strip()), "")
    best = max(CSV_SEPARATORS, key=header.count)
    return best if header.count(best) else ","


def _csv_rows(data: bytes, path: Path, separator: str | None, encoding: str | None) -> tuple[list[Row], str]:
    """The CSV's rows as text fields, and the separator used."""
    text = _decode(data, path, encoding)
    first, newline, rest = text.partition("\n")
    skipped = 0
    if (hint := _SEP_LINE.fullmatch(first)) and newline:
        text, skipped = rest, 1
        separator = separator or check_separator(hint.group(1), path)
    separator = separator or _detect_separator(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    rows: list[Row] = []
    try:
        for row_no, fields in enumerate(reader, start=1 + skipped):
            rows.append((row_no, fields))
    except csv.Error as exc:
        raise InputError(f"not readable as CSV: {exc}", file=path, row=len(rows) + 1 + skipped) from None
    return rows, separator


def _csv_field_hint(separator: str) -> str:
    if separator == "\t":
        return "a cell holds a tab; quote it, or remove the tab"
    other = ";" if separator == "," else ","
    return f"quote a cell that holds {separator!r}, or separate the groups with {other!r} or '|'"


# --- xlsx ------------------------------------------------------------------------------------------------------------

def _xlsx_rows(data: bytes, path: Path) -> list[Row]:
    """The chosen sheet's rows as text fields (trailing empty cells dropped), numbered as Excel shows them."""
    import openpyxl

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "no default style", unsupported extensions: harmless here
            book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise InputError(f"not a readable .xlsx workbook ({exc}); save it again as .xlsx, or as CSV",
                         file=path) from None
    sheet = _staff_sheet(book.worksheets)
    rows = []
    for row_no, cells in enumerate(sheet.iter_rows(), start=1):
        fields = [_cell_text(c.value, c.number_format or "") for c in cells]
        while fields and not fields[-1].strip():
            fields.pop()
        rows.append((row_no, fields))
    book.close()
    return rows


def _staff_sheet(sheets: list[Any]) -> Any:
    """The sheet named like :data:`STAFF_SHEETS`, else the first."""
    return next((s for s in sheets if s.title.strip().casefold() in STAFF_SHEETS), sheets[0])


def _clock_text(span: dt.timedelta) -> str:
    hours, rest = divmod(round(span.total_seconds()), 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours:02d}:{minutes:02d}" + (f":{seconds:02d}" if seconds else "")


def _number_text(value: float) -> str:
    if isinstance(value, int) or value.is_integer():
        return str(int(value))
    return f"{value:.10g}"


def _cell_text(value: Any, number_format: str) -> str:
    """A cell's value as the text a CSV export would hold (ISO dates, HH:MM, a percent cell ×100)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, dt.datetime):
        if value < _EXCEL_DAY_0 + dt.timedelta(days=2):  # a time of day past 24 h (Excel's 24:00), not a date
            return _clock_text(value - _EXCEL_DAY_0)
        return value.date().isoformat() if value.time() == dt.time() else f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return _clock_text(dt.timedelta(hours=value.hour, minutes=value.minute, seconds=value.second))
    if isinstance(value, dt.timedelta):
        return _clock_text(value)
    if isinstance(value, (int, float)):
        return _number_text(value * 100 if "%" in number_format else value)
    return str(value)


# --- the table -------------------------------------------------------------------------------------------------------

def _header_names(fields: list[str], row_no: int, path: Path) -> list[str]:
    """The header's column names, stripped and lower-cased ("" for a blank header cell), checked."""
    names = [f.strip().lower() for f in fields]
    for raw, name in zip(fields, names):
        if not name:
            continue
        if clash := next((s for s in CSV_SEPARATORS if s in name), None):
            raise InputError(f"a column name holds {clash!r}: expected one name per column; a CSV separated by "
                             f"{clash!r}? (staff_separator)", file=path, row=row_no, column=raw.strip())
        if name not in _KNOWN:
            close = [_HEADER_WORDS[name]] if name in _HEADER_WORDS else difflib.get_close_matches(name, _KNOWN, n=1,
                                                                                                   cutoff=0.6)
            guess = f"; did you mean {close[0]!r}?" if close else ""
            raise InputError(f"unknown column{guess} (known: {', '.join(_KNOWN)})", file=path, row=row_no,
                             column=raw.strip())
        if names.count(name) > 1:
            first, second = [i + 1 for i, n in enumerate(names) if n == name][:2]
            raise InputError(f"column given twice, as fields {first} and {second}", file=path, row=row_no,
                             column=name)
    missing = [c for c in STAFF_COLUMNS if c not in names]
    if missing:
        raise InputError(f"staff file needs columns {list(STAFF_COLUMNS)}; missing {missing}, found "
                         f"{[n for n in names if n]}", file=path, row=row_no)
    return names


# headers planners write for a column of another name (a spelling guess would name the wrong one: "id" → "kind")
_HEADER_WORDS = {"id": "employee", "anstalld": "employee", "anställd": "employee", "namn": "name",
                 "skills": "groups", "grupper": "groups", "kompetens": "groups", "typ": "kind"}


def _check_fields(fields: list[str], names: list[str], row_no: int, path: Path, hint: str) -> None:
    """A data row fits the header: no more fields than it, none short of a required column, none under no name."""
    if len(fields) > len(names):
        raise InputError(f"expected {len(names)} fields as in the header, found {len(fields)}: {hint}",
                         file=path, row=row_no)
    short = [c for c in STAFF_COLUMNS if names.index(c) >= len(fields)]
    if short:
        needed = max(names.index(c) for c in STAFF_COLUMNS) + 1
        raise InputError(f"expected {needed} fields to reach the required columns, found {len(fields)}: the row "
                         "ends before this column", file=path, row=row_no, column=short[0])
    stray = next((i for i, (n, f) in enumerate(zip(names, fields)) if not n and f.strip()), None)
    if stray is not None:
        raise InputError(f"field {stray + 1} holds {fields[stray]!r} under a blank header cell: give the column "
                         "a name or empty it", file=path, row=row_no)


def _records(rows: Iterable[Row], path: Path, hint: str) -> list[tuple[int, dict[str, str]]]:
    """The data rows as {column: text}, with their row numbers; blank rows skipped."""
    filled = [(n, fields) for n, fields in rows if any(f.strip() for f in fields)]
    if not filled:
        raise InputError(f"the staff list is empty: expected a header row {', '.join(STAFF_COLUMNS)}, …", file=path)
    (header_no, header), *data = filled
    names = _header_names(header, header_no, path)
    records = []
    for row_no, fields in data:
        _check_fields(fields, names, row_no, path, hint)
        records.append((row_no, {n: f for n, f in zip(names, fields) if n}))
    return records


# --- the cells -------------------------------------------------------------------------------------------------------

def _split(cell: str) -> list[str]:
    """A list cell's values: split on any of :data:`LIST_SEPARATORS`, stripped, blanks dropped."""
    return [p.strip() for p in re.split(r"[;,|]", cell) if p.strip()]


def _number(text: str) -> float:
    """``37.5`` or ``37,5``; anything else a ValueError naming what was found."""
    if not _NUMBER.fullmatch(text.strip()):
        raise ValueError(f"expected a number, found {text!r}")
    return float(text.strip().replace(",", "."))


def _percent(text: str) -> float:
    """``75``, ``75,0``, ``75 %``, ``75%`` → 75; a bare 0–1 (a fraction, ``0.75``) is refused."""
    stripped = text.strip()
    bare = stripped.removesuffix("%").strip()  # str.strip takes Excel's no-break space before % too
    if not _NUMBER.fullmatch(bare):
        raise ValueError(f"expected a number, found {text!r}")
    value = float(bare.replace(",", "."))
    if 0 < value <= 1 and not stripped.endswith("%"):
        raise ValueError(f"expected a percentage of full time like 75, found {text!r}: a fraction? write 75 for "
                         "75 %, or format the Excel cell as percent")
    return value


def _clock(text: str, *, end: bool = False) -> dt.time | None:
    return parse_clock(text, end=end) if text.strip() else None


_WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _weekdays(text: str) -> frozenset[str]:
    days = set()
    for word in _split(text):
        day = word.strip().lower()
        if day not in _WEEKDAY_NAMES and day not in (d[:3] for d in _WEEKDAY_NAMES):
            raise ValueError(f"expected weekdays like 'mon' or 'friday', found {word.strip()!r}")
        days.add(day[:3])
    return frozenset(days)


def _count_range(text: str) -> tuple[int, int] | None:
    """``4-5`` → (4, 5), ``5`` → (5, 5), empty → None."""
    text = text.strip()
    if not text:
        return None
    try:
        lo, _, hi = text.replace("–", "-").partition("-")
        return int(lo), int(hi or lo)
    except ValueError:
        excel = " (Excel turned '4-5' into a date? format the column as text)" if _ISO_DATE.match(text) else ""
        raise ValueError(f"expected working days like '4-5' or '5', found {text!r}{excel}") from None


def _absences(text: str) -> tuple[Absence, ...]:
    return tuple(Absence.parse(p) for p in _split(text))


def _cell(row: Mapping[str, str], column: str, parse: Callable[[str], Any]) -> Any:
    """``parse`` of the row's ``column`` (empty if absent); a ValueError becomes a :class:`_CellError`."""
    try:
        return parse(row.get(column, ""))
    except ValueError as exc:
        raise _CellError(column, str(exc)) from None


_TEMP_WORDS = {"staff": "staff", "personal": "staff", "ordinarie": "staff", "temp": "temp", "timvikarie": "temp",
               "vikarie": "temp", "bemanningsföretag": "temp", "agency": "temp"}


def _kind(text: str) -> str:
    word = text.strip().lower()
    if not word:
        return "staff"
    if word not in _TEMP_WORDS:
        raise ValueError(f"expected 'staff' or 'temp', found {text.strip()!r}")
    return _TEMP_WORDS[word]


def _employee(row: Mapping[str, str], full_time_h: float) -> Employee:
    """One data row as an Employee; a :class:`_CellError` names the column at fault, a ValueError from Employee's
    own checks starts with the field's name."""
    employee_id = row["employee"].strip()
    if not employee_id:
        raise _CellError("employee", "expected an employee id, found an empty cell")
    kind = _cell(row, "kind", _kind)
    if kind == "temp" and not row["contract_pct"].strip() and not row.get("weekly_hours", "").strip():
        contract_pct = 100.0  # a temp has no contract of weekly hours: the call-in window limits them
    elif row.get("weekly_hours", "").strip() and not row["contract_pct"].strip():
        contract_pct = 100 * _cell(row, "weekly_hours", _number) / full_time_h
    elif not row["contract_pct"].strip():
        raise _CellError("contract_pct", "expected a number (or weekly_hours), found an empty cell")
    else:
        contract_pct = _cell(row, "contract_pct", _percent)
    if not 0 < contract_pct <= 100:
        column = "contract_pct" if row["contract_pct"].strip() else "weekly_hours"
        raise _CellError(column, f"expected {'a percentage of full time' if column == 'contract_pct' else 'hours'} "
                                 f"> 0 and <= {'100' if column == 'contract_pct' else f'{full_time_h:g}'}, found "
                                 f"{row[column].strip()!r}")
    return Employee(
        id=employee_id,
        name=row["name"].strip(),
        contract_pct=contract_pct,
        groups=tuple(_split(row["groups"])),
        unit=row.get("unit", "").strip(),
        absences=_cell(row, "absent", _absences),
        days_off=_cell(row, "days_off", _weekdays),
        earliest_start=_cell(row, "earliest_start", _clock),
        latest_end=_cell(row, "latest_end", lambda c: _clock(c, end=True)),  # 24:00: until midnight
        shifts_per_week=_cell(row, "shifts_per_week", _count_range),
        kind=kind,
        cost_per_h=_cell(row, "cost_per_h", lambda c: _number(c) if c.strip() else None),
        wishes=_cell(row, "wishes", lambda c: tuple(Wish.parse(p) for p in _split(c))),
        vacation_wishes=_cell(row, "vacation_wishes", _iso_weeks),
        vacation_weeks=_cell(row, "vacation_weeks", _vacation_weeks),
        employed=_cell(row, "employed", _employed),
        contract_changes=_cell(row, "contract_changes", _contract_changes),
        languages=_cell(row, "languages", _languages),
    )


def _employed(cell: str) -> tuple[dt.date | None, dt.date | None]:
    """``2027-03-01..``, ``..2027-08-31`` or ``2027-03-01..2027-08-31`` (an empty cell: always)."""
    text = cell.strip()
    if not text:
        return None, None
    first, sep, last = text.partition("..")
    try:
        if not sep or not (first.strip() or last.strip()):
            raise ValueError
        days = tuple(dt.date.fromisoformat(p.strip()) if p.strip() else None for p in (first, last))
    except ValueError:
        raise ValueError(f"expected an employment like 2027-03-01.., ..2027-08-31 or 2027-03-01..2027-08-31, "
                         f"found {text!r}") from None
    if days[0] is not None and days[1] is not None and days[1] < days[0]:
        raise ValueError(f"expected the last day on or after the first, found {text!r}")
    return days[0], days[1]


def _contract_changes(cell: str) -> tuple[tuple[dt.date, float], ...]:
    """``75 from 2027-03-01; 100 from 2027-09-01`` → ((day, 75.0), (day, 100.0)), in date order."""
    changes = []
    for part in _split(cell):
        match = re.fullmatch(r"(\d+(?:[.,]\d+)?)\s*%?\s+from\s+(\d{4}-\d{2}-\d{2})", part, re.IGNORECASE)
        try:
            if match is None:
                raise ValueError
            pct, day = float(match.group(1).replace(",", ".")), dt.date.fromisoformat(match.group(2))
        except ValueError:
            raise ValueError(f"expected contract changes like '75 from 2027-03-01', found {part!r}") from None
        if not 0 < pct <= 100:
            raise ValueError(f"expected a contract percentage in (0, 100], found {part!r}")
        changes.append((day, pct))
    if len({d for d, _ in changes}) != len(changes):
        raise ValueError(f"expected one change a day, found {cell.strip()!r}")
    return tuple(sorted(changes))


def _languages(cell: str) -> tuple[str, ...]:
    codes = [code.strip().lower() for code in _split(cell)]
    bad = [code for code in codes if not LANGUAGE_CODE.fullmatch(code)]
    if bad:
        raise ValueError(f"expected language codes like ar;so, found {bad[0]!r}")
    return tuple(dict.fromkeys(codes))


def _iso_weeks(cell: str) -> tuple[str, ...]:
    """``2027-W28; 2027-W27`` → the weeks, ranked; each checked to be a real ISO week, none twice."""
    weeks = tuple(p.upper() for p in _split(cell))
    for week in weeks:
        try:
            iso_week_dates(week)
        except ValueError:
            raise ValueError(f"expected ISO weeks like 2027-W28, found {week!r}") from None
    if len(set(weeks)) != len(weeks):
        raise ValueError(f"expected each week once, found {', '.join(weeks)}")
    return weeks


def _vacation_weeks(cell: str) -> int | None:
    if not cell.strip():
        return None
    if not re.fullmatch(r"\s*[0-8]\s*", cell):
        raise ValueError(f"expected a whole number of weeks 0-8, found {cell.strip()!r}")
    return int(cell)


def _employees(records: list[tuple[int, dict[str, str]]], path: Path, full_time_h: float,
               group_ids: Sequence[str] | None = None) -> tuple[Employee, ...]:
    """The employees of the data rows; a bad cell, a group not in ``group_ids`` or a repeated id is an InputError
    naming the row(s)."""
    staff: list[Employee] = []
    first_row: dict[str, int] = {}
    for row_no, row in records:
        try:
            employee = _employee(row, full_time_h)
        except _CellError as exc:
            raise InputError(str(exc), file=path, row=row_no, column=exc.column) from None
        except ValueError as exc:  # Employee's checks: "contract_pct == 0, …", "groups is empty, …"
            field = str(exc).split(" ", 1)[0]
            raise InputError(str(exc), file=path, row=row_no, column=field if field in _KNOWN else None) from None
        if employee.id in first_row:
            raise InputError(f"employee id {employee.id!r} is given in rows {first_row[employee.id]} and {row_no}; "
                             "each id once", file=path, row=row_no, column="employee")
        first_row[employee.id] = row_no
        for gid in employee.groups if group_ids is not None else ():
            if gid not in group_ids:
                guess = difflib.get_close_matches(gid, list(group_ids), n=1)
                raise InputError(f"{gid!r} is not a group of the centre's [[groups]]"
                                 f"{f'; did you mean {guess[0]!r}?' if guess else ''} (known: {', '.join(group_ids)})",
                                 file=path, row=row_no, column="groups")
        staff.append(employee)
    return tuple(staff)
