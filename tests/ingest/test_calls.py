"""Reading call-log exports: every line is used, ignored or rejected with a reason; bad files give one clear error.

The awkward files are in tests/data/calls (see its README.md); the numbers asserted here are counted by hand.
"""

from __future__ import annotations

import dataclasses
import gzip
import math
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bemanning.ingest import ACCOUNTING_COLUMNS, CALL_COLUMNS, REJECT_COLUMNS, CallLog, parse_duration_s, read_calls
from bemanning.config import CallLogFormat
from bemanning.errors import InputError
from bemanning.ingest import interval_history

DATA = Path(__file__).resolve().parents[1] / "data" / "calls"
TZ = "Europe/Stockholm"
HEADER = "SamtalsID;Kö;Ankomsttid;Väntetid;Samtalstid;Efterarbete;Utfall"

VENDOR_B = {
    "separator": ",",
    "columns": {"group": "Queue", "arrived_date": "Date", "arrived_time": "Time", "wait_s": "Wait",
                "handle_s": "Handle time", "outcome": "Result"},
    "outcomes": {"answered": ("Answered",), "abandoned": ("Abandoned",), "ignored": ("Short abandon",)},
    "datetime_format": "%d/%m/%Y %H:%M",
}


YYMMDD = {  # date and time in two columns, as 990201 and 0800
    "columns": {"arrived_date": "Datum", "arrived_time": "Tid", "group": "Kö", "wait_s": "Väntetid",
                "handle_s": ["Samtalstid", "Efterarbete"], "outcome": "Utfall"},
    "datetime_format": "%y%m%d %H%M",
}
WHITESPACE = {  # columns lined up with blanks
    "separator": "whitespace",
    "columns": {"group": "Queue", "arrived_date": "Date", "arrived_time": "Time", "wait_s": "Wait",
                "handle_s": "Handle", "outcome": "Result"},
    "outcomes": {"answered": ("Answered",), "abandoned": ("Abandoned",)},
}


@pytest.fixture(scope="module")
def demo_format(demo_center) -> CallLogFormat:
    """The demo's columns and outcomes; the corpus files are UTF-8 with durations in seconds."""
    return dataclasses.replace(demo_center.calls, base_dir=DATA, encoding="utf-8", units={})


@pytest.fixture(scope="module")
def names(demo_center) -> dict[str, str]:
    return {name: g.id for g in demo_center.groups for name in g.log_names}


@pytest.fixture(scope="module")
def read(demo_format, names):
    def read(*files: str, **changes) -> CallLog:
        if "columns" in changes and "outcome" not in changes["columns"]:  # a partial change
            changes["columns"] = {**demo_format.columns, **changes["columns"]}
        fmt = dataclasses.replace(demo_format, **changes)
        return read_calls(fmt, files=[DATA / f for f in files], groups=names, timezone=TZ)

    return read


FILES = [
    # file, format changes, (read, used, ignored, rejected), {line: reason}
    ("clean.csv", {}, (5, 4, 1, 0), {}),
    ("bom_crlf.csv", {}, (3, 3, 0, 0), {}),
    ("cp1252.csv", {"encoding": "cp1252"}, (3, 3, 0, 0), {}),
    ("tab_decimal_comma.tsv", {"separator": "\t"}, (4, 3, 0, 1),
     {5: "unparseable duration '12.5' in column Väntetid"}),
    ("durations.csv", {}, (6, 3, 0, 3), {
        5: "unparseable duration '1:75:00' in column Väntetid",
        6: "missing value in columns Samtalstid, Efterarbete",
        7: "missing value in column Väntetid",
    }),
    ("summary_line.csv", {}, (4, 3, 0, 1), {5: "summary line 'Summa'"}),
    ("field_count.csv", {}, (5, 2, 0, 3), {
        3: "expected 7 fields, found 5",
        4: "expected 7 fields, found 8",
        5: "blank line",
    }),
    ("bad_values.csv", {}, (9, 2, 1, 6), {
        3: "unparseable time '2025-11-12 25:00:00' in column Ankomsttid",
        4: "negative duration -5 in column Väntetid",
        5: "unknown outcome 'Vidarekopplat'",
        6: "unknown group 'Ekonomi'",
        7: "missing value in column Utfall",
        8: "negative duration -10 in column Samtalstid",
    }),
    ("duplicates.csv", {}, (6, 3, 1, 2), {4: "duplicate call id 2", 6: "duplicate call id 1"}),
    ("header_only.csv", {}, (0, 0, 0, 0), {}),
    ("empty.csv", {}, (0, 0, 0, 0), {}),
    ("dst_autumn.csv", {}, (4, 3, 0, 1), {3: "ambiguous local time (DST change)"}),
    ("dst_spring.csv", {}, (3, 2, 0, 1), {3: "non-existent local time (DST change)"}),
    ("fixed_group.csv", {"columns": {"group": "Bygg, gata, park, miljö"}}, (3, 3, 0, 0), {}),
    ("vendor_b.csv", VENDOR_B, (4, 3, 1, 0), {}),
    ("quotes.csv", {}, (3, 1, 0, 2), {3: "unknown group 'Bygg; gata'", 4: "unbalanced quote"}),
    ("calls.csv.gz", {}, (3, 3, 0, 0), {}),
    ("minutes_decimal.csv", {"units": {"handle_s": "min"}}, (3, 2, 0, 1),
     {4: "unparseable duration '4.5' in column Samtalstid"}),
    ("latin1.csv", {"encoding": "latin-1"}, (2, 2, 0, 0), {}),
    ("yymmdd.csv", YYMMDD, (3, 2, 0, 1), {4: "unparseable time '251341 0830' in columns Datum, Tid"}),
    ("out_of_order.csv", {}, (5, 5, 0, 0), {}),
    ("group_midway_1.csv", {}, (2, 2, 0, 0), {}),
    ("group_midway_2.csv", {}, (3, 3, 0, 0), {}),
    ("title_lines.csv", {}, (6, 2, 0, 4), {
        1: "line above the header (line 4)",
        2: "line above the header (line 4)",
        3: "blank line",
        7: "summary line 'Totalt'",
    }),
    ("totalt_crlf.csv", {}, (3, 2, 0, 1), {4: "summary line 'Totalt'"}),
    ("short_abandons.csv", {"short_abandon_s": 5}, (4, 2, 2, 0), {}),
    ("iso_offsets.csv", {}, (3, 3, 0, 0), {}),
    ("utf16_excel.txt", {"encoding": "utf-16", "separator": "tab"}, (2, 2, 0, 0), {}),
    ("mixed_dates.csv", {}, (3, 1, 0, 2), {
        3: "unparseable time '03/11/2025 14:05' in column Ankomsttid",
        4: "no time of day in '2025-11-03' in column Ankomsttid",
    }),
    ("whitespace.txt", WHITESPACE, (4, 3, 0, 1), {5: "expected 6 fields, found 7"}),
]


@pytest.mark.parametrize(("name", "changes", "counts", "reasons"), FILES, ids=[f[0] for f in FILES])
def test_every_line_is_accounted_for(read, name, changes, counts, reasons):
    log = read(name, **changes)
    acc = log.accounting.iloc[0]
    assert (acc["read"], acc["used"], acc["ignored"], acc["rejected"]) == counts
    assert acc["read"] == acc["used"] + acc["ignored"] + acc["rejected"]
    assert dict(zip(log.rejects["line"], log.rejects["reason"], strict=True)) == reasons
    assert len(log.calls) == acc["used"]
    assert acc["file"] == str(DATA / name)


def test_frames_have_the_documented_columns_and_types(read):
    log = read("clean.csv")
    assert tuple(log.calls.columns) == CALL_COLUMNS
    assert tuple(log.rejects.columns) == REJECT_COLUMNS
    assert tuple(log.accounting.columns) == ACCOUNTING_COLUMNS
    assert str(log.calls["arrived"].dt.tz) == TZ
    assert log.calls["wait_s"].dtype == "float64" and log.calls["handle_s"].dtype == "float64"
    assert log.calls["line"].dtype == "int64"
    empty = read("header_only.csv", "empty.csv")
    assert tuple(empty.calls.columns) == CALL_COLUMNS and empty.calls.empty
    text = repr(log)  # short: the calls' span and groups, the accounting, never the frames
    assert text.startswith(f"CallLog: {len(log.calls)} calls") and len(text.splitlines()) <= 6 and len(text) < 500
    assert "used +" in text and "aldre" in text and "line" not in text.split("\n")[0]
    assert repr(empty).startswith("CallLog: 0 calls") and "empty" in repr(empty)
    assert log._repr_html_().startswith("<div><strong>CallLog") and "<table" in log._repr_html_()
    assert empty.calls["arrived"].dtype == log.calls["arrived"].dtype


def test_clean_file_values(read):
    calls = read("clean.csv").calls
    assert calls["call_id"].tolist() == ["1", "2", "3", "5"]
    assert calls["group"].tolist() == ["aldre", "aldre", "ovriga", "bygg"]  # "bygg" is the group's id
    assert calls["outcome"].tolist() == ["answered", "answered", "abandoned", "answered"]
    assert calls["arrived"].iloc[0] == pd.Timestamp("2025-11-03 08:29:59", tz=TZ)
    assert calls["wait_s"].tolist() == [60.0, 61.0, 95.0, 12.5]  # decimal comma
    assert calls["handle_s"].iloc[0] == 345.5  # Samtalstid + Efterarbete, "45,5"
    assert math.isnan(calls["handle_s"].iloc[2])  # abandoned
    assert calls["line"].tolist() == [2, 3, 4, 6]


def test_bom_crlf_and_cp1252_read_like_plain_utf8(read):
    log = read("bom_crlf.csv")
    assert log.calls["call_id"].tolist() == ["101", "102", "103"]  # the BOM did not hide the first column
    assert log.calls["outcome"].tolist() == ["answered", "abandoned", "answered"]  # no "\r" left on the last field
    assert read("cp1252.csv", encoding="cp1252").calls["group"].tolist() == ["aldre", "ovriga", "social"]


def test_tab_separator_padding_and_decimal_comma(read):
    log = read("tab_decimal_comma.tsv", separator="\t")
    assert log.calls["wait_s"].tolist() == [12.5, 0.5, 60.0]
    assert log.calls["handle_s"].iloc[0] == 210.25
    assert log.calls["group"].iloc[2] == "ovriga"  # " Övriga ärenden " padded with blanks
    assert log.calls["call_id"].iloc[2] == "303"
    assert log.rejects["raw"].iloc[0].startswith("304\tÄldre")


def test_durations_in_clock_notation(read):
    calls = read("durations.csv").calls
    assert calls["wait_s"].tolist() == [65.0, 65.0, 45.0]  # 0:01:05, 1:05, 00:45
    assert calls["handle_s"].iloc[0] == 330 + 30  # 05:30 + 0:00:30
    assert calls["handle_s"].iloc[1] == 3600  # 1:00:00 + empty after-call work
    assert math.isnan(calls["handle_s"].iloc[2])


def test_summary_line_keeps_its_raw_text(read):
    rejects = read("summary_line.csv").rejects
    assert rejects["raw"].tolist() == ["Summa;;;81;250;50;"]


def test_rows_that_need_no_data_are_not_rejected(read):
    calls = read("bad_values.csv").calls
    assert calls["call_id"].tolist() == ["701", "708"]  # 708: abandoned, its talk time "x" is not needed
    assert math.isnan(calls["handle_s"].iloc[1])  # (709, a test call with time "igår", is ignored)


def test_duplicate_ids_across_files(read):
    log = read("duplicates.csv", "clean.csv")
    assert log.accounting[["read", "used", "ignored", "rejected"]].values.tolist() == [[6, 3, 1, 2], [5, 1, 1, 3]]
    clean = log.rejects[log.rejects["file"] == str(DATA / "clean.csv")]
    assert clean["reason"].tolist() == ["duplicate call id 1", "duplicate call id 2", "duplicate call id 3"]


def test_dst_days(read):
    autumn = read("dst_autumn.csv").calls["arrived"]
    assert autumn.tolist() == [
        pd.Timestamp("2025-10-26 01:30:00+02:00"),
        pd.Timestamp("2025-10-26 02:30:00+01:00"),  # the stamp said which 02:30
        pd.Timestamp("2025-10-26 03:30:00+01:00"),
    ]
    spring = read("dst_spring.csv").calls["arrived"]
    assert [t.utcoffset().seconds // 3600 for t in spring] == [1, 2]


def test_fixed_group_without_a_queue_column(read):
    calls = read("fixed_group.csv", columns={"group": "Bygg, gata, park, miljö"}).calls
    assert set(calls["group"]) == {"bygg"}


def test_fixed_group_must_be_a_known_group(read):
    with pytest.raises(InputError, match=r"missing \['Kö'\].*a group's name") as exc:
        read("fixed_group.csv")
    assert exc.value.file == str(DATA / "fixed_group.csv") and exc.value.row == 1


def test_another_vendor_by_configuration_only(read):
    calls = read("vendor_b.csv", **VENDOR_B).calls
    assert calls["group"].tolist() == ["barn", "bygg", "ovriga"]  # quoted "Barn, skola, vuxenutbildning"
    assert calls["arrived"].iloc[0] == pd.Timestamp("2025-11-03 08:00", tz=TZ)  # 03/11/2025 is day/month
    assert calls["wait_s"].tolist() == [20.0, 130.0, 40.0]
    assert calls["handle_s"].iloc[0] == 300.0
    assert calls["call_id"].isna().all()
    assert calls["outcome"].iloc[2] == "answered"  # "ANSWERED": case does not matter


def test_decimal_minutes_and_clock_notation(read):
    calls = read("minutes_decimal.csv", units={"handle_s": "min"}).calls
    assert calls["handle_s"].tolist() == [300.0, 90.0]  # 4,5 + 0,5 min; 1:30 is clock notation whatever the unit
    assert calls["wait_s"].tolist() == [10.0, 20.0]  # wait stays in seconds


def test_stamps_with_offsets_mixed_with_wall_clock(read):
    calls = read("iso_offsets.csv").calls
    assert [t.strftime("%H:%M %z") for t in calls["arrived"]] == ["08:00 +0100", "08:00 +0100", "08:10 +0100"]


def test_whitespace_columns(read):
    calls = read("whitespace.txt", **WHITESPACE).calls
    assert calls["group"].tolist() == ["aldre", "bygg", "aldre"] and calls["handle_s"].iloc[1] == 95.0


def test_utf16_read_as_utf8_says_so(read):
    with pytest.raises(InputError, match=r"utf16_excel\.txt: the file starts with a UTF-16 byte-order mark .*"
                                         r"set encoding = 'utf-16'$"):
        read("utf16_excel.txt", separator="tab")


def test_short_abandons_are_ignored_not_offered(read):
    log = read("short_abandons.csv", short_abandon_s=5)
    # waits 2 and 0 s: hung up at once (ignored); 5 s is not less than 5: offered and abandoned
    assert log.calls["outcome"].tolist() == ["abandoned", "answered"]
    assert log.calls["wait_s"].tolist() == [5.0, 1.0]
    assert read("short_abandons.csv").accounting.loc[0, ["used", "ignored"]].tolist() == [4, 0]  # default: none


def test_order_of_lines_does_not_matter(read):
    shuffled = read("out_of_order.csv").calls
    history = interval_history(shuffled, interval_min=30, target_s=60)
    ordered = interval_history(shuffled.sort_values("arrived"), interval_min=30, target_s=60)
    pd.testing.assert_frame_equal(history, ordered)
    # 08:00 holds 08:10 and 08:15 (abandoned); 08:30 the 70-s wait; then 09:05 and 09:40
    assert history["offered"].tolist() == [2, 1, 1, 1]
    assert history["abandoned"].tolist() == [1, 0, 0, 0]
    assert history["answered_in_target"].tolist() == [1, 0, 1, 1]


def test_a_group_that_appears_mid_history(read):
    log = read("group_midway_1.csv", "group_midway_2.csv")
    assert log.accounting[["read", "used"]].values.tolist() == [[2, 2], [3, 3]]
    first = log.calls.groupby("group")["arrived"].min()
    assert first["bygg"] > log.calls["arrived"].min() and first["aldre"] == log.calls["arrived"].min()


def test_files_none_expands_globs_sorted_once(demo_format, names):
    fmt = dataclasses.replace(demo_format, files=("d*.csv", "dst_*.csv"))
    log = read_calls(fmt, groups=names, timezone=TZ)
    assert [Path(f).name for f in log.accounting["file"]] == [
        "dst_autumn.csv", "dst_spring.csv", "duplicates.csv", "durations.csv"]
    gz = read_calls(dataclasses.replace(demo_format, files=("*.gz",)), groups=names, timezone=TZ)
    assert gz.accounting["used"].tolist() == [3]


def test_no_file_matches_the_pattern(demo_format, names):
    with pytest.raises(InputError, match=r"no call-log file matches 'calls/\*\.csv\.gz'"):
        read_calls(dataclasses.replace(demo_format, files=("calls/*.csv.gz",)), groups=names, timezone=TZ)


def test_missing_file(read):
    with pytest.raises(InputError, match="not found") as exc:
        read("no_such_file.csv")
    assert exc.value.file.endswith("no_such_file.csv")


def test_missing_columns_are_named(read):
    with pytest.raises(InputError) as exc:
        read("missing_column.csv")
    msg = str(exc.value)
    assert msg.startswith(f"{DATA / 'missing_column.csv'}:1: the call log needs columns ['SamtalsID', 'Kö',")
    assert "found ['SamtalsID', 'Kö', 'Ankomsttid', 'Väntetid', 'Samtalstid']" in msg
    assert msg.endswith("missing ['Efterarbete', 'Utfall']")


def test_wrong_separator(read):
    with pytest.raises(InputError, match=r"1 column with separator ';'; it looks ','-separated") as exc:
        read("comma_separated.csv")
    assert exc.value.row == 1


def test_wrong_encoding_names_it_and_suggests_another(read):
    with pytest.raises(InputError, match=r"cannot be decoded as 'utf-8'.*'cp1252'") as exc:
        read("cp1252.csv")
    assert exc.value.file == str(DATA / "cp1252.csv") and exc.value.row == 1  # "Kö" in the header
    with pytest.raises(InputError, match=r"byte-order mark but \[calls\] encoding is 'cp1252'"):
        read("bom_crlf.csv", encoding="cp1252")
    with pytest.raises(InputError, match=r"looks like UTF-8 read as 'cp1252'"):
        read("clean.csv", encoding="cp1252")


@pytest.mark.parametrize(("changes", "message"), [
    ({"separator": ";;"}, "must be one character"),
    ({"decimal": ""}, "must be one character"),
    ({"encoding": "klingon"}, "not a known encoding"),
    ({"columns": {"queue": "Kö"}}, "unknown keys \\['queue'\\]"),
    ({"columns": {"group": "Kö", "wait_s": "Väntetid"}}, "needs keys"),
    ({"outcomes": {"answered": ("Besvarat",), "abandoned": ("Besvarat",)}}, "both answered and abandoned"),
    ({"outcomes": {"answered": ("Besvarat",)}}, "needs the words for 'abandoned'"),
])
def test_bad_format_settings(demo_format, names, changes, message):
    fmt = dataclasses.replace(demo_format, **changes)
    with pytest.raises(InputError, match=message):
        read_calls(fmt, files=[DATA / "clean.csv"], groups=names, timezone=TZ)


def test_summary_is_one_line_per_file_and_a_total(read):
    text = read("clean.csv", "bad_values.csv", "empty.csv").summary().splitlines()
    assert text == [
        "clean.csv: 5 read = 4 used + 1 ignored + 0 rejected",
        "bad_values.csv: 9 read = 2 used + 1 ignored + 6 rejected"
        " (first: line 3, unparseable time '2025-11-12 25:00:00' in column Ankomsttid)",
        "empty.csv: 0 read = 0 used + 0 ignored + 0 rejected (nothing to read)",
        "total, 3 files: 14 read = 6 used + 2 ignored + 6 rejected",
        "  ignored: 2 outcome 'Test' (listed as ignored)",
    ]


@pytest.mark.parametrize(("text", "decimal", "seconds"), [
    ("75", ".", 75.0), ("12,5", ",", 12.5), ("12.5", ".", 12.5), ("12.5", ",", None), (" 7 ", ".", 7.0),
    ("1:02:03", ".", 3723.0), ("02:03", ".", 123.0), ("75:10", ".", 4510.0), ("0:00:01,5", ",", 1.5),
    ("-5", ".", -5.0), ("1:60:00", ".", None), ("1:2:3:4", ".", None), ("", ".", None), ("abc", ".", None),
    ("nan", ".", None), ("inf", ".", None), ("1e3", ".", None),
])
def test_parse_duration(text, decimal, seconds):
    assert parse_duration_s(text, decimal) == seconds


@given(st.integers(0, 99), st.integers(0, 59), st.integers(0, 59))
def test_clock_durations_round_trip(h, m, s):
    assert parse_duration_s(f"{h}:{m:02d}:{s:02d}") == h * 3600 + m * 60 + s
    assert parse_duration_s(f"{m:02d}:{s:02d}") == m * 60 + s


ROW_KINDS = {
    # kind: (row template, outcome of the row)
    "answered": ("{i};Äldre och funktionshindrade;2025-11-03 08:{m:02d}:00;5;120;30;Besvarat", "used"),
    "abandoned": ("{i};Övriga ärenden;2025-11-03 09:{m:02d}:00;50;;;Avbrutet", "used"),
    "test": ("{i};Övriga ärenden;2025-11-03 09:{m:02d}:00;0;5;0;Test", "ignored"),
    "short": ("{i};Övriga ärenden;2025-11-03 09:{m:02d}:00", "rejected"),
    "bad_time": ("{i};Övriga ärenden;2025-11-03 9.{m:02d};5;120;30;Besvarat", "rejected"),
    "bad_group": ("{i};Växeln;2025-11-03 09:{m:02d}:00;5;120;30;Besvarat", "rejected"),
    "blank": ("", "rejected"),
    "dst": ("{i};Övriga ärenden;2025-10-26 02:{m:02d}:00;5;120;30;Besvarat", "rejected"),
    "dst_test": ("{i};Övriga ärenden;2025-10-26 02:{m:02d}:00;0;5;0;Test", "ignored"),
}


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(sorted(ROW_KINDS)), max_size=30), st.booleans(), st.booleans())
def test_accounting_is_exact_for_any_mix_of_rows(demo_format, names, kinds, crlf, gzipped):
    lines = [HEADER] + [ROW_KINDS[k][0].format(i=i, m=i % 60) for i, k in enumerate(kinds)]
    text = ("\r\n" if crlf else "\n").join(lines) + "\n"
    expected = {o: sum(ROW_KINDS[k][1] == o for k in kinds) for o in ("used", "ignored", "rejected")}
    while kinds and kinds[-1] == "blank":  # blank lines at the end are not read
        kinds = kinds[:-1]
        expected["rejected"] -= 1
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / ("calls.csv.gz" if gzipped else "calls.csv")
        data = text.encode("utf-8")
        path.write_bytes(gzip.compress(data) if gzipped else data)
        log = read_calls(demo_format, files=[path], groups=names, timezone=TZ)
    acc = log.accounting.iloc[0]
    assert acc["read"] == len(kinds)
    assert {o: acc[o] for o in expected} == expected
    assert log.rejects["line"].tolist() == [i + 2 for i, k in enumerate(kinds) if ROW_KINDS[k][1] == "rejected"]
