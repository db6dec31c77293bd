"""Languages as a second skill (issue 25): each group's contacts carry a share per language, staff list the
languages they speak, the speakers a language needs are sized by the group's own model, the roster keeps them on the
group's lines, the simulation routes a contact to a speaker first and to an interpreter after a wait, and the plan
reports each language's week."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pandas as pd
import pytest
from conftest import REPO, WEEK, flat_requirement, small_center

from bemanning import read_center
from bemanning.config import Employee, Group, LanguageSettings
from bemanning.erlang import language_service_level, speakers_for_target, staffing_requirement
from bemanning.schema import solve_week
from bemanning.schema.blocks import normalise
from bemanning.schema.model import LANGUAGE_MARK, build_roster_model
from bemanning.schema.week import roster_input
from bemanning.simulate import Routing, simulate_calls, with_languages
from bemanning.staffing import group_models, language_staffing

OREBRO = REPO / "data" / "orebro"
TZ = "Europe/Stockholm"


# --- the centre file and the staff list -------------------------------------------------------------------------

def test_orebro_serves_eighteen_languages():
    c = read_center(OREBRO / "center.toml")
    assert len(c.language_codes) == 17  # and Swedish, the centre's own
    assert c.group("telefon").languages["ar"] == 0.05 and c.group("besok").languages["so"] == 0.06
    assert c.languages.name("ti") == "tigrinja" and c.languages.name("xx") == "xx"
    assert (c.languages.interpreter_after_s, c.languages.interpreter_aht_factor) == (10.0, 1.6)
    speakers = {code: [e.id for e in c.staff if code in e.languages] for code in c.language_codes}
    assert speakers["ar"] == ["O02", "O05", "O11", "O18"] and all(speakers.values())  # every language has someone


@pytest.mark.parametrize(("languages", "message"), [
    ({"AR": 0.05}, r"languages has 'AR', expected a language code"),
    ({"ar": 0.0}, r"languages ar == 0.0, must be a share > 0 and < 1"),
    ({"ar": 0.6, "so": 0.4}, r"the shares add up to 1.00, must be < 1"),
])
def test_bad_language_shares_are_refused(languages, message):
    with pytest.raises(ValueError, match=message):
        Group("tel", "Telefon", languages=languages)


def test_an_email_group_cannot_need_a_speaker():
    with pytest.raises(ValueError, match="an e-mail group has no agents on its lines"):
        Group("mail", "E-post", channel="email", languages={"ar": 0.1})


def test_language_settings_and_staff_codes_are_checked():
    with pytest.raises(ValueError, match="interpreter_aht_factor == 0.5, must be >= 1"):
        LanguageSettings(interpreter_aht_factor=0.5)
    with pytest.raises(ValueError, match="languages has 'Arabic'"):
        Employee("A", "Åsa", 100, ("tel",), languages=("Arabic",))


def test_the_staff_list_reads_languages_in_any_case(tmp_path):
    from bemanning.files import read_staff

    path = tmp_path / "staff.csv"
    path.write_text("employee,name,contract_pct,groups,languages\nA,Åsa,100,tel,AR; so\nB,Björn,100,tel,\n",
                    encoding="utf-8")
    a, b = read_staff(path)
    assert a.languages == ("ar", "so") and b.languages == ()


# --- the formulas -------------------------------------------------------------------------------------------------

def test_a_contact_waits_for_the_first_of_the_busy_speakers():
    # two speakers, each busy half the time; handling 120 s: a contact waits past 60 s only when both are busy and
    # neither frees within 60 s: 0.5² · e^(−2·60/120)
    level = language_service_level(speakers=[2.0], occupancy=[0.5], aht_s=[120.0], target_s=[60.0],
                                   interpreter_after_s=math.inf, group_late_after=[1.0])
    assert level[0] == pytest.approx(1 - 0.25 * math.exp(-1.0), abs=1e-12)
    # after 30 s anyone may answer with an interpreter: late only if the group, too, leaves it waiting (20 %)
    level = language_service_level(speakers=[2.0], occupancy=[0.5], aht_s=[120.0], target_s=[60.0],
                                   interpreter_after_s=30.0, group_late_after=[0.2])
    assert level[0] == pytest.approx(1 - 0.25 * math.exp(-0.5) * 0.2, abs=1e-12)
    # no speaker and the interpreter only after the target: nobody answers it in time
    none = language_service_level(speakers=[0.0], occupancy=[0.3], aht_s=[300.0], target_s=[60.0],
                                  interpreter_after_s=60.0, group_late_after=[0.0])
    assert none[0] == 0.0


def test_the_fewest_speakers_for_the_target():
    # busy 80 % of the time, handling 300 s, 80 % within 60 s, no interpreter: 0.8ⁿ · e^(−n/5) ≤ 0.2 first at n = 4
    model = dict(occupancy=np.array([0.8, 0.8]), aht_s=np.array([300.0, 300.0]), target_s=np.array([60.0, 60.0]),
                 interpreter_after_s=math.inf, group_late_after=np.array([1.0, 1.0]))
    got = speakers_for_target(service_level_target=np.array([0.8, 0.8]), most=np.array([10, 3]), **model)
    assert got.tolist() == [4, -1]  # the second may have at most 3 (its group's requirement): none reaches it
    assert 0.8 ** 3 * math.exp(-3 / 5) > 0.2 >= 0.8 ** 4 * math.exp(-4 / 5)


# --- the requirement -------------------------------------------------------------------------------------------

def language_centre(shares: dict[str, float], speakers: tuple[str, ...] = ("C", "D")):
    c = small_center()
    groups = (dataclasses.replace(c.groups[0], languages=shares), c.groups[1])
    staff = tuple(dataclasses.replace(e, languages=("ar",)) if e.id in speakers else e for e in c.staff)
    return dataclasses.replace(c, groups=groups, staff=staff)


def flat_forecast(center, calls: float) -> pd.DataFrame:
    req = flat_requirement(center, {"tel": 0, "chat": 0})
    return req[["group", "interval_start"]].assign(calls=calls, aht_s=300.0)


def test_speakers_are_sized_on_the_languages_share():
    center = language_centre({"ar": 0.10, "so": 0.02})
    forecast = flat_forecast(center, 20.0)
    need = language_staffing(center, forecast, group_models(center))
    assert set(need["group"]) == {"tel"} and set(need["language"]) == {"ar", "so"}
    ar, so = need[need["language"] == "ar"], need[need["language"] == "so"]
    assert np.allclose(ar["calls"], 2.0) and np.allclose(so["calls"], 0.4)
    assert (so["speakers"] == 0).all()  # 0.4 contacts per interval, below min_contacts 1: an interpreter's
    own = staffing_requirement(ar.assign(target_s=60.0, service_level_target=0.85), target_s=60.0,
                               service_level_target=0.85)["agents"]
    group = staffing_requirement(forecast[forecast["group"] == "tel"], target_s=60.0,
                                 service_level_target=0.85)["agents"].iloc[0]
    assert (ar["speakers"].to_numpy() >= own.to_numpy()).all() and (ar["speakers"] <= group).all()
    assert (ar["speakers"] > own.to_numpy()).all()  # one speaker, busy with the other calls, is not enough
    fewer = dataclasses.replace(center, languages=LanguageSettings(min_contacts=3.0))
    assert (language_staffing(fewer, forecast, group_models(fewer))["speakers"] == 0).all()


# --- the roster: speakers on the lines -------------------------------------------------------------------------

def speaker_requirement(center) -> pd.DataFrame:
    """One Arabic speaker on tel 09:00–15:00 Monday to Wednesday."""
    req = flat_requirement(center, {"tel": 1, "chat": 1})
    tel = req[req["group"] == "tel"]
    local = tel["interval_start"].dt.tz_convert(TZ)
    wanted = (local.dt.hour >= 9) & (local.dt.hour < 15) & (local.dt.day_of_week < 3)
    return tel.assign(language="ar", calls=2.0, aht_s=300.0, speakers=wanted.astype(int)).drop(columns="agents")


def intervals_without_a_speaker(schedule: pd.DataFrame, need: pd.DataFrame, speakers: set[str]) -> int:
    s = normalise(schedule)
    s = s[(s["activity"] == "tel") & s["employee"].isin(speakers)]
    missing = 0
    for t in need.loc[need["speakers"] > 0, "interval_start"].dt.tz_convert(TZ):
        minute = t.hour * 60 + t.minute
        on = s[(s["date"] == t.date()) & (s["start_min"] <= minute) & (s["end_min"] >= minute + 30)]
        missing += on.empty
    return missing


def test_a_speaker_is_on_the_lines_whenever_the_language_needs_one():
    center = language_centre({"ar": 0.1})
    need = speaker_requirement(center)
    req = flat_requirement(center, {"tel": 1, "chat": 1})
    roster = solve_week(center, req, WEEK, languages=need)
    assert roster.info.status == "optimal"
    assert intervals_without_a_speaker(roster.schedule, need, {"C", "D"}) == 0
    # the same week without the rule: C (chat first) answers chat, and many of those hours have no speaker on tel
    plain = solve_week(center, req, WEEK)
    assert intervals_without_a_speaker(plain.schedule, need, {"C", "D"}) >= 10


def test_speakers_form_classes_of_their_own():
    center = language_centre({"ar": 0.1})
    m = build_roster_model(roster_input(center, flat_requirement(center, {"tel": 1, "chat": 1}), WEEK,
                                        languages=speaker_requirement(center)))
    marked = {key: [e.id for e in cls] for key, cls in m.classes.items() if LANGUAGE_MARK + "ar" in key}
    assert sorted(e for ids in marked.values() for e in ids) == ["C", "D"]
    assert len(m.speakers_short) == 36  # 12 intervals a day, three days
    plain = build_roster_model(roster_input(center, flat_requirement(center, {"tel": 1, "chat": 1}), WEEK))
    assert not plain.speakers_short and not any(LANGUAGE_MARK + "ar" in k for k in plain.classes)


# --- the simulation: a speaker first, an interpreter after a wait ------------------------------------------------

ROUTING = Routing(interpreter_after_s=30.0, interpreter_factor=1.5)


def test_a_contact_goes_to_an_idle_speaker_before_anyone_idle_longer():
    calls = pd.DataFrame({"group": ["g"], "arrival_s": [100.0], "handle_s": [60.0], "patience_s": [math.inf],
                          "language": ["ar"]})
    segments = pd.DataFrame({"agent": ["X", "Y"], "group": ["g", "g"], "start_s": [0.0, 50.0],
                             "end_s": [1000.0, 1000.0]})
    out, _ = simulate_calls(calls, segments, routing=ROUTING, speaks={"Y": {"ar"}})
    assert out.loc[0, "agent"] == "Y" and out.loc[0, "wait_s"] == 0 and not out.loc[0, "interpreted"]


def test_without_a_free_speaker_anyone_answers_after_the_wait_with_an_interpreter():
    calls = pd.DataFrame({"group": ["g", "g"], "arrival_s": [50.0, 100.0], "handle_s": [150.0, 60.0],
                          "patience_s": [math.inf, math.inf], "language": ["", "ar"]})
    segments = pd.DataFrame({"agent": ["Y", "X"], "group": ["g", "g"], "start_s": [0.0, 60.0],
                             "end_s": [1000.0, 1000.0]})
    out, work = simulate_calls(calls, segments, routing=ROUTING, speaks={"Y": {"ar"}})
    contact = out.set_index("language").loc["ar"]
    assert contact["agent"] == "X" and contact["wait_s"] == pytest.approx(30.0) and contact["interpreted"]
    assert work.set_index("agent").loc["X", "end_s"] == pytest.approx(130.0 + 1.5 * 60.0)  # with an interpreter
    # without the interpreter wait the contact waits for Y, free at 200
    out, _ = simulate_calls(calls, segments, routing=Routing(), speaks={"Y": {"ar"}})
    contact = out.set_index("language").loc["ar"]
    assert contact["agent"] == "Y" and contact["wait_s"] == pytest.approx(100.0) and not contact["interpreted"]


def test_a_free_speaker_takes_a_waiting_contact_of_their_language_first():
    calls = pd.DataFrame({"group": ["g", "g", "g"], "arrival_s": [0.0, 150.0, 160.0], "handle_s": [200.0, 60.0, 60.0],
                          "patience_s": [math.inf] * 3, "language": ["", "", "ar"]})
    segments = pd.DataFrame({"agent": ["Y"], "group": ["g"], "start_s": [0.0], "end_s": [1000.0]})
    out, _ = simulate_calls(calls, segments, routing=Routing(), speaks={"Y": {"ar"}})
    by_arrival = out.set_index("arrival_s")
    assert by_arrival.loc[160.0, "wait_s"] == pytest.approx(40.0)  # taken at 200, before the call waiting since 150
    assert by_arrival.loc[150.0, "wait_s"] == pytest.approx(110.0)


def test_languages_are_drawn_with_their_shares():
    calls = pd.DataFrame({"group": ["g"] * 20_000 + ["h"] * 100, "arrival_s": np.arange(20_100.0)})
    out = with_languages(calls, {"g": {"ar": 0.1, "so": 0.05}}, np.random.default_rng(7))
    shares = out[out["group"] == "g"]["language"].value_counts(normalize=True)
    assert shares["ar"] == pytest.approx(0.1, abs=0.01) and shares["so"] == pytest.approx(0.05, abs=0.01)
    assert (out[out["group"] == "h"]["language"] == "").all()


# --- learnt from the call log's language column ---------------------------------------------------------------

def test_shares_are_learnt_from_the_logs_language_column(tmp_path):
    from bemanning.config import CallLogFormat
    from bemanning.ingest import read_calls
    from bemanning.staffing import language_shares

    rows = ["Id;Kö;Ankomst;Språk"]
    words = ["", "Svenska", "ar", "Arabiska", "so", "", "", "", "", "ar"]  # 10 calls: 3 Arabic, 1 Somali
    rows += [f"{k};Telefon;2026-11-{2 + k % 5:02d} 09:{k:02d};{w}" for k, w in enumerate(words)]
    rows.append("99;Telefon;2026-11-06 10:00;Klingon")  # neither a code nor a name: a reject, with its reason
    (tmp_path / "log.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    fmt = CallLogFormat(files=("log.csv",), base_dir=tmp_path, separator=";",
                        columns={"call_id": "Id", "group": "Kö", "arrived": "Ankomst", "language": "Språk"})
    settings = LanguageSettings(names={"ar": "arabiska", "so": "somaliska"})
    log = read_calls(fmt, groups={"Telefon": "tel"}, timezone=TZ, languages=settings.words())
    assert log.calls["language"].tolist() == ["", "", "ar", "ar", "so", "", "", "", "", "ar"]
    assert log.rejects["reason"].tolist() == ["unknown language 'Klingon' in column Språk: expected a code like ar, a "
                                              "name in [languages.names] or one of [languages] own"]
    assert int(log.accounting["read"].sum()) == 11 == int(log.accounting["used"].sum()) + len(log.rejects)
    center = dataclasses.replace(small_center(), languages=settings)
    assert language_shares(center, log.calls) == {"tel": {"ar": 0.3, "so": 0.1}}
    # a group's own shares in the centre file win over the log's
    configured = dataclasses.replace(center, groups=(dataclasses.replace(center.groups[0], languages={"ar": 0.05}),
                                                     center.groups[1]))
    assert language_shares(configured, log.calls) == {"tel": {"ar": 0.05}}
