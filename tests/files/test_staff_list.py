"""The staff list as planners' spreadsheets save it: .xlsx, CSV with ',' or ';', UTF-8 (with or without BOM) or
cp1252 — every problem one line naming the file, row and column (issue 19)."""

import datetime as dt

import openpyxl
import pytest

from bemanning.config import END_OF_DAY, Absence, Wish
from bemanning.errors import InputError
from bemanning.files.staff import (STAFF_COLUMNS, STAFF_OPTIONAL_COLUMNS, read_staff,
                                   staff_reference_markdown)

HEADER = "employee,name,contract_pct,weekly_hours,groups,absent,days_off,earliest_start,latest_end,shifts_per_week"
COMMA_UTF8 = (f"{HEADER}\n"
              "E01,Åsa Öberg,75,,aldre;ovriga,2026-12-01..2026-12-02;2026-12-04 08:00-12:00,fri,07:30,16:00,4-5\n"
              "E02,Björn Ek,,37.5,barn,2026-12-07,,,24:00,\n"
              "E03,Märta Åberg,100,,social|bygg|ovriga,,mon;tue,,,5\n")
# What Swedish Excel writes ("CSV (semikolonavgränsad)"): ';' between fields, ',' inside cells, decimal comma.
SEMICOLON_CP1252 = (HEADER.replace(",", ";") + "\n"
                    "E01;Åsa Öberg;75;;aldre,ovriga;2026-12-01..2026-12-02,2026-12-04 08:00-12:00;fri;07:30;16:00;4-5\n"
                    "E02;Björn Ek;;37,5;barn;2026-12-07;;;24:00;\n"
                    "E03;Märta Åberg;100;;social,bygg,ovriga;;mon,tue;;;5\n"
                    ";;;;;;;;;\n;;;;;;;;;\n")


def write(tmp_path, text, name="staff.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return path


def error_of(path, **kwargs):
    with pytest.raises(InputError) as err:
        read_staff(path, **kwargs)
    return str(err.value).splitlines()[0]


def write_xlsx(path, rows, *, title="Blad1", formats=None, before=()):
    """A real .xlsx: ``rows`` on a sheet named ``title`` (after sheets named in ``before``); ``formats`` maps a cell
    like "C2" to its number format."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for other in before:
        book.create_sheet(other)["A1"] = "not the staff"
    sheet = book.create_sheet(title)
    for row in rows:
        sheet.append(list(row))
    for ref, number_format in (formats or {}).items():
        sheet[ref].number_format = number_format
    book.save(path)
    return path


def test_the_declared_columns_drive_the_reference_table():
    assert STAFF_COLUMNS == ("employee", "name", "contract_pct", "groups")
    assert STAFF_OPTIONAL_COLUMNS == ("weekly_hours", "unit", "absent", "days_off", "earliest_start", "latest_end",
                                      "shifts_per_week", "kind", "cost_per_h", "wishes", "vacation_wishes", "vacation_weeks",
                                      "employed", "contract_changes", "languages")
    lines = staff_reference_markdown().splitlines()
    assert lines[:2] == ["| column | required | format | meaning |", "|---|---|---|---|"]
    assert len(lines) == 2 + 19
    assert lines[3] == ("| `name` | yes | text | the name shown on the roster |")
    assert lines[-9] == ("| `shifts_per_week` | no | `4-5` or `5` | fewest and most working days a week, if not "
                         "the centre's |")


def test_the_same_list_saved_four_ways_gives_the_same_employees(tmp_path):
    comma = read_staff(write(tmp_path, COMMA_UTF8, "komma.csv"))
    a, b, c = comma
    assert (a.id, a.name, a.contract_pct, a.groups, a.days_off, a.earliest_start, a.latest_end,
            a.shifts_per_week) == ("E01", "Åsa Öberg", 75, ("aldre", "ovriga"), {"fri"}, dt.time(7, 30),
                                   dt.time(16), (4, 5))
    assert a.absences == (Absence.parse("2026-12-01..2026-12-02"), Absence.parse("2026-12-04 08:00-12:00"))
    assert (b.contract_pct, b.absences, b.latest_end) == (93.75, (Absence.parse("2026-12-07"),), END_OF_DAY)
    assert (c.groups, c.days_off, c.shifts_per_week) == (("social", "bygg", "ovriga"), {"mon", "tue"}, (5, 5))

    semicolon = write(tmp_path, SEMICOLON_CP1252, "semikolon.csv", encoding="cp1252")
    assert "Åsa Öberg".encode("cp1252") in semicolon.read_bytes()  # really cp1252, not UTF-8
    bom = write(tmp_path, COMMA_UTF8, "bom.csv", encoding="utf-8-sig")
    xlsx = write_xlsx(tmp_path / "personal.xlsx", [
        HEADER.split(","),
        ["E01", "Åsa Öberg", 0.75, None, "aldre;ovriga", "2026-12-01..2026-12-02;2026-12-04 08:00-12:00", "fri",
         dt.time(7, 30), dt.time(16, 0), "4-5"],
        ["E02", "Björn Ek", None, 37.5, "barn", dt.datetime(2026, 12, 7), None, None, 1, None],
        ["E03", "Märta Åberg", 100, None, "social, bygg, ovriga", None, "mon|tue", None, None, 5],
    ], formats={"C2": "0%", "I3": "h:mm"})  # 75 % as Excel stores it; 24:00 typed into a time cell
    assert read_staff(semicolon) == comma
    assert read_staff(bom) == comma
    assert read_staff(xlsx) == comma
    utf16_tab = write(tmp_path, COMMA_UTF8.replace(",", "\t"), "unicode.txt", encoding="utf-16")
    assert read_staff(utf16_tab) == comma  # Excel's "Unicode text"


def test_separator_and_encoding_may_be_given_and_are_checked(tmp_path):
    path = write(tmp_path, SEMICOLON_CP1252, encoding="cp1252")
    assert [e.name for e in read_staff(path, separator=";", encoding="cp1252")] == ["Åsa Öberg", "Björn Ek",
                                                                                  "Märta Åberg"]
    assert [e.name for e in read_staff(path, encoding="latin-1")][0] == "Åsa Öberg"
    assert error_of(path, separator="|") == (
        f"{path}: staff_separator: expected ',', ';' or a tab ('\\t' or 'tab'), found '|'")
    assert error_of(path, encoding="svenska") == (
        f"{path}: staff_encoding: expected a text encoding like 'utf-8' or 'cp1252', found 'svenska'")
    assert error_of(path, encoding="base64").endswith("found 'base64'")
    assert error_of(path, encoding="utf-8") == (
        f"{path}:2: expected utf-8 text, found the byte 0xc5: give the file's own encoding, or leave staff_encoding "
        "out (staff_encoding)")
    assert error_of(path, separator=",") == (
        f"{path}:1 column '{HEADER.replace(',', ';')}': a column name holds ';': expected one name per column; a "
        "CSV separated by ';'? (staff_separator)")
    tabs = write(tmp_path, COMMA_UTF8.replace(",", "\t"), "tabs.csv")
    assert len(read_staff(tabs, separator="tab")) == 3


def test_bytes_neither_utf8_nor_cp1252_are_named(tmp_path):
    path = tmp_path / "staff.csv"
    path.write_bytes(b"employee,name,contract_pct,groups\nE01,\x81sa,100,tel\n")
    assert error_of(path) == (f"{path}:2: expected UTF-8 or cp1252 text, found the byte 0x81: save the list as "
                              "'CSV UTF-8', or give its encoding (staff_encoding)")


def test_list_cells_split_on_a_separator_that_does_not_clash_with_the_file(tmp_path):
    comma = write(tmp_path, 'employee,name,contract_pct,groups,days_off\nA,Åsa,100,tel;chat,mon|fri\n'
                            'B,Björn,100,"chat,tel",sat\n', "komma.csv")
    semicolon = write(tmp_path, "employee;name;contract_pct;groups;days_off\nA;Åsa;100;tel,chat;mon,fri\n"
                                'B;Björn;100;chat|tel;"sat"\n', "semikolon.csv")
    for path in (comma, semicolon):
        a, b = read_staff(path)
        assert (a.groups, a.days_off, b.groups, b.days_off) == (("tel", "chat"), {"mon", "fri"}, ("chat", "tel"),
                                                                 {"sat"})


def test_wishes_are_read_as_a_list(tmp_path):
    path = write(tmp_path, "employee;name;contract_pct;groups;wishes\n"
                           "A;Åsa;100;tel;off 2026-12-24, until 16:00 fri\nB;Björn;100;tel;from 09:30\nC;Cia;50;tel;\n",
                 "wishes.csv")
    a, b, c = read_staff(path)
    assert a.wishes == (Wish("off", dt.date(2026, 12, 24)), Wish("until", "fri", dt.time(16)))
    assert b.wishes == (Wish("from", None, dt.time(9, 30)),) and c.wishes == ()
    assert [str(w) for w in a.wishes + b.wishes] == ["off 2026-12-24", "until 16:00 fri", "from 09:30"]


def test_an_unquoted_comma_in_a_comma_file_is_refused_not_a_skill_lost(tmp_path):
    path = write(tmp_path, "employee,name,contract_pct,groups\nE01,Anna,100,barn\nE02,Erik,50,aldre,ovriga\n")
    assert error_of(path) == (f"{path}:3: expected 4 fields as in the header, found 5: quote a cell that holds ',', "
                              "or separate the groups with ';' or '|'")
    semicolon = write(tmp_path, "employee;name;contract_pct;groups\nE01;Anna;100;barn;ovriga\n", "s.csv")
    assert error_of(semicolon) == (f"{semicolon}:2: expected 4 fields as in the header, found 5: quote a cell that "
                                   "holds ';', or separate the groups with ',' or '|'")


def test_a_row_that_ends_before_a_required_column_is_refused(tmp_path):
    path = write(tmp_path, "employee,name,contract_pct,groups,unit\nE01,Anna,100,barn,Stöd\nE02,Erik,50\n"
                           "E03,Eva,75,tel\n")
    assert error_of(path) == (f"{path}:3 column 'groups': expected 4 fields to reach the required columns, "
                              "found 3: the row ends before this column")
    path.write_text("employee,name,contract_pct,groups,unit\nE01,Anna,100,barn\n", encoding="utf-8")
    assert read_staff(path)[0].unit == ""  # only the optional columns at the end left out


def test_a_blank_employee_id_is_refused(tmp_path):
    path = write(tmp_path, "employee;name;contract_pct;groups\nE01;Anna;100;barn\n  ;Erik;50;aldre\n")
    assert error_of(path) == f"{path}:3 column 'employee': expected an employee id, found an empty cell"


def test_a_repeated_employee_id_names_the_id_and_both_rows(tmp_path):
    path = write(tmp_path, "employee,name,contract_pct,groups\nE01,Anna,100,barn\nE02,Erik,50,aldre\n"
                           "E01 ,Eva,75,barn\n")
    assert error_of(path) == (f"{path}:4 column 'employee': employee id 'E01' is given in rows 2 and 4; "
                              "each id once")


def test_empty_rows_are_skipped_and_rows_keep_their_numbers(tmp_path):
    path = write(tmp_path, "employee;name;contract_pct;groups\nE01;Anna;100;barn\n;;;\n\nE02;Erik;50;aldre\n"
                           ";;;\n;;;;;;\n")
    assert [e.id for e in read_staff(path)] == ["E01", "E02"]
    path.write_text("employee;name;contract_pct;groups\n;;;\nE01;Anna;heltid;barn\n", encoding="utf-8")
    assert error_of(path) == f"{path}:3 column 'contract_pct': expected a number, found 'heltid'"


def test_an_unknown_column_is_refused_with_the_nearest_known_name(tmp_path):
    path = write(tmp_path, "employee,name,contract,groups\nE01,Anna,100,barn\n")
    assert error_of(path) == (f"{path}:1 column 'contract': unknown column; did you mean 'contract_pct'? (known: "
                              "employee, name, contract_pct, groups, weekly_hours, unit, absent, days_off, "
                              "earliest_start, latest_end, shifts_per_week, kind, cost_per_h, wishes, vacation_wishes, vacation_weeks, employed, contract_changes, languages)")
    path.write_text("employee,name,contract_pct,groups,lön\nE01,Anna,100,barn,30000\n", encoding="utf-8")
    assert error_of(path).startswith(f"{path}:1 column 'lön': unknown column (known: employee, ")
    path.write_text(" Employee ;Name ; Contract_PCT;groups \nE01;Anna;100;barn\n", encoding="utf-8")
    assert read_staff(path)[0].contract_pct == 100  # Excel's stray spaces and capitals are fine
    path.write_text("employee,name,contract_pct,groups,Groups\nE01,Anna,100,barn,tel\n", encoding="utf-8")
    assert error_of(path) == f"{path}:1 column 'groups': column given twice, as fields 4 and 5"
    path.write_text("employee,name,groups\nE01,Anna,barn\n", encoding="utf-8")
    assert error_of(path) == (f"{path}:1: staff file needs columns ['employee', 'name', 'contract_pct', 'groups']; "
                              "missing ['contract_pct'], found ['employee', 'name', 'groups']")


def test_contract_percentages_as_spreadsheets_write_them(tmp_path):
    rows = ["A,a,75,t", 'B,b,"75,0",t', "C,c,75 %,t", "D,d,75%,t", "E,e,75\u00a0%,t", "F,f,37.5,t"]
    path = write(tmp_path, "employee,name,contract_pct,groups\n" + "\n".join(rows) + "\n")
    assert [e.contract_pct for e in read_staff(path)] == [75, 75, 75, 75, 75, 37.5]
    path.write_text("employee;name;contract_pct;groups\nA;a;0,75;t\n", encoding="utf-8")
    assert error_of(path) == (f"{path}:2 column 'contract_pct': expected a percentage of full time like 75, found "
                              "'0,75': a fraction? write 75 for 75 %, or format the Excel cell as percent")
    path.write_text("employee;name;contract_pct;groups\nA;a;150;t\n", encoding="utf-8")
    assert error_of(path) == f"{path}:2 column 'contract_pct': expected a percentage of full time > 0 and <= 100, found '150'"
    path.write_text("employee;name;contract_pct;groups\nA;a;;t\n", encoding="utf-8")
    assert error_of(path) == (f"{path}:2 column 'contract_pct': expected a number (or weekly_hours), found an "
                              "empty cell")


def test_a_folder_is_refused(tmp_path):
    (tmp_path / "staff.csv").mkdir()
    assert error_of(tmp_path / "staff.csv") == (f"{tmp_path / 'staff.csv'}: staff file is a folder, expected a CSV "
                                                "or .xlsx file")


@pytest.mark.parametrize(("name", "what"), [("staff.xls", "an old Excel workbook (.xls)"),
                                            ("staff.ods", "an OpenDocument spreadsheet (.ods)"),
                                            ("Staff.XLSB", "a binary Excel workbook (.xlsb)")])
def test_spreadsheet_formats_that_cannot_be_read_say_what_to_save_as(tmp_path, name, what):
    path = tmp_path / name
    path.write_bytes(b"\xd0\xcf\x11\xe0 whatever")
    assert error_of(path) == f"{path}: staff file is {what}, which cannot be read; save it as .xlsx or CSV"


def test_a_workbook_under_a_csv_name_is_refused(tmp_path):
    path = tmp_path / "staff.csv"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100))
    assert error_of(path) == (f"{path}: staff file is an old Excel workbook (.xls) under another name, which cannot "
                              "be read; save it as .xlsx or CSV")
    write_xlsx(path, [STAFF_COLUMNS])
    assert error_of(path) == (f"{path}: staff file is a zip archive (an .xlsx or .ods workbook?), not CSV text; give "
                              "an .xlsx workbook the suffix .xlsx, or save it as CSV")
    broken = write(tmp_path, "employee,name\n", "broken.xlsx")
    assert error_of(broken).startswith(f"{broken}: not a readable .xlsx workbook (")


def test_a_missing_file_is_named(tmp_path):
    assert error_of(tmp_path / "personal.xlsx") == f"{tmp_path / 'personal.xlsx'}: staff file not found"
    assert error_of(tmp_path / "staff.csv") == f"{tmp_path / 'staff.csv'}: staff file not found"


def test_xlsx_takes_the_staff_sheet_and_names_excel_rows(tmp_path):
    path = write_xlsx(tmp_path / "lista.xlsx", [
        [None], list(STAFF_COLUMNS) + ["shifts_per_week"], ["E01", "Anna", 1, "barn", "4-5"],
        [None, None, None], ["E02", "Erik", 0.5, "aldre", dt.datetime(2026, 5, 4)],
    ], title=" Personal ", before=["Info"], formats={"C3": "0%", "C5": "0%"})
    with pytest.raises(InputError) as err:
        read_staff(path)
    assert str(err.value) == (f"{path}:5 column 'shifts_per_week': expected working days like '4-5' or '5', found "
                              "'2026-05-04' (Excel turned '4-5' into a date? format the column as text)")
    book = openpyxl.load_workbook(path)
    book.worksheets[1]["E5"] = "5"
    book.worksheets[1]["F4"] = "anteckning"  # a note right of the header
    book.save(path)
    assert error_of(path) == (f"{path}:4: expected 5 fields as in the header, found 6: a cell right of the last "
                              "header column holds a value; give its column a header or empty it")
    book.worksheets[1]["F4"] = None
    book.save(path)
    assert [(e.id, e.contract_pct, e.shifts_per_week) for e in read_staff(path)] == [("E01", 100, (4, 5)),
                                                                                     ("E02", 50, (5, 5))]


def test_excels_sep_line_sets_the_separator(tmp_path):
    path = write(tmp_path, "sep=;\nemployee;name;contract_pct;groups\nE01;Anna, från Kiruna;100;barn\n;Erik;50;aldre\n")
    assert error_of(path) == f"{path}:4 column 'employee': expected an employee id, found an empty cell"
    path.write_text("sep=;\nemployee;name;contract_pct;groups\nE01;Anna, från Kiruna;100;barn\n", encoding="utf-8")
    assert read_staff(path)[0].name == "Anna, från Kiruna"


def test_temps_are_read_with_their_window_and_cost(tmp_path):
    """kind = temp (or timvikarie): the contract may be empty, the window is earliest_start–latest_end."""
    path = write(tmp_path, "employee;name;contract_pct;groups;earliest_start;latest_end;kind;cost_per_h\n"
                           "E01;Anna;100;barn;;;;\n"
                           "T1;Sara Ek;;barn,ovriga;09:00;17:00;timvikarie;350\n"
                           "T2;Ali Nur;;barn;10:00;16:00;temp;\n")
    staff = read_staff(path)
    assert [(e.id, e.kind, e.cost_per_h) for e in staff] == [("E01", "staff", None), ("T1", "temp", 350.0),
                                                            ("T2", "temp", None)]
    assert staff[1].earliest_start == dt.time(9) and staff[1].latest_end == dt.time(17)


def test_a_kind_that_is_not_staff_or_temp_names_its_cell(tmp_path):
    path = write(tmp_path, "employee,name,contract_pct,groups,kind\nE01,Anna,100,barn,konsult\n")
    assert error_of(path) == f"{path}:2 column 'kind': expected 'staff' or 'temp', found 'konsult'"


def test_a_regular_row_still_needs_its_contract(tmp_path):
    path = write(tmp_path, "employee,name,contract_pct,groups,kind\nE01,Anna,,barn,staff\n")
    assert "column 'contract_pct'" in error_of(path)
