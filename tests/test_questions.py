"""The red-flag checklist: the data, the questions asked, answers, and "watch for"."""

from __future__ import annotations

import copy
import re
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import footreflex
from footreflex import (
    MAX_SYMPTOM_CHARS,
    FootreflexError,
    KnowledgeBaseError,
    Question,
    SeekCareError,
    TextTooLongError,
    UnknownQuestionError,
    UnknownSymptomError,
    plan,
    red_flag_questions,
    triage,
)
from footreflex._data import raw
from footreflex.safety._questions import MAX_PER_REGION, build_checklist, questions

RANK = {"self_care": 0, "see_clinician": 1, "emergency": 2}
ALL_IDS = [q.id for q in questions().questions]
GENERAL = [q.id for q in questions().questions if not q.regions]
REGIONS = list(footreflex.knowledge().regions)
INTERNAL = re.compile(r"[a-z]+_[a-z]+|\bquestion:|\brule_id\b")


# ------------------------------------------------------------------------------ the data
def test_every_region_has_a_short_set_and_watch_for() -> None:
    assert GENERAL, "general questions are always asked"
    for region in REGIONS:
        asked = red_flag_questions(region)
        assert len(asked) > len(GENERAL), region
        assert len(asked) <= MAX_PER_REGION, region
        assert 3 <= len(questions().watch_for[region]) <= 5, region
    assert questions().watch_for["general"]


def test_questions_are_plain_cited_and_action_first() -> None:
    for q in questions().questions:
        assert isinstance(q, Question)
        assert q.text.endswith("?") and len(q.text) <= 120, q.id
        assert q.sources and all(s.title and s.identifier for s in q.sources), q.id
        assert q.message.split()[0] in ("Contact", "See"), q.id
        for words in (q.text, q.message, q.reason):
            assert not INTERNAL.search(words), (q.id, words)
        if q.level == "emergency":
            assert "emergency" in q.message, q.id
    for region, lines in questions().watch_for.items():
        for line in lines:
            assert line.startswith(("Stop and", "See a clinician")), (region, line)
            assert not INTERNAL.search(line), line


def test_cauda_equina_card_is_asked_for_lower_back_and_sciatica() -> None:
    for region in ("lumbar", "sciatic"):
        ids = [q.id for q in red_flag_questions(region)]
        assert ids[:4] == ["ce_saddle_numbness", "ce_bladder_bowel", "ce_sexual", "ce_legs"]
        assert all(q.level == "emergency" for q in red_flag_questions(region)[:4])
    cervical = " ".join(q.text for q in red_flag_questions("cervical")).lower()
    for words in ("face", "arm", "speech", "clumsy", "walking", "fever", "stiff neck"):
        assert words in cervical
    upper = " ".join(q.text for q in red_flag_questions("upper_back")).lower()
    for words in ("chest", "jaw", "left arm", "short of breath", "tearing"):
        assert words in upper


def _raw() -> dict[str, Any]:
    return copy.deepcopy(raw("questions.toml"))


@pytest.mark.parametrize(("change", "field"), [
    (lambda d: d["questions"][0].pop("text"), "questions.0.text"),
    (lambda d: d["questions"][1].update(level="urgent"), "questions.1.level"),
    (lambda d: d["questions"][2].update(sources=["nowhere"]), "questions.2.sources"),
    (lambda d: d["questions"][3].update(id=d["questions"][0]["id"]), "questions.3.id"),
    (lambda d: d["questions"][0].update(extra="x"), "questions.0.extra"),
    (lambda d: d["watch_for"]["lumbar"][0].update(sources=["nowhere"]),
     "watch_for.lumbar.0.sources"),
    (lambda d: d["questions"].extend(
        [{**d["questions"][0], "id": f"more_{i}"} for i in range(3)]), "questions"),
])
def test_bad_data_is_a_knowledge_base_error_naming_file_and_field(change: Any,
                                                                  field: str) -> None:
    raw = _raw()
    change(raw)
    with pytest.raises(KnowledgeBaseError) as info:
        build_checklist(raw, "questions.toml")
    assert info.value.file == "questions.toml"
    assert info.value.field == field


# ------------------------------------------------------------------------------ asking
def test_general_questions_always_and_region_ones_on_request() -> None:
    assert [q.id for q in red_flag_questions()] == GENERAL
    assert [q.id for q in red_flag_questions(text="my knee hurts")] == GENERAL
    assert [q.id for q in red_flag_questions(text="")] == GENERAL
    lumbar = [q.id for q in red_flag_questions("lumbar")]
    assert lumbar[-len(GENERAL):] == GENERAL
    from_text = [q.id for q in red_flag_questions(text="my lower back is killing me")]
    assert from_text == lumbar
    both = [q.id for q in red_flag_questions(["lumbar"], text="and a stiff neck")]
    assert set(both) == set(lumbar) | {q.id for q in red_flag_questions("cervical")}
    assert len(both) == len(set(both))


@given(st.text(max_size=200))
def test_text_never_raises(text: str) -> None:
    asked = red_flag_questions(text=text)
    assert [q.id for q in asked if not q.regions] == GENERAL


def test_unknown_region_is_an_error_with_suggestions() -> None:
    with pytest.raises(UnknownSymptomError) as info:
        red_flag_questions("lumbr")
    assert "lumbar" in info.value.suggestions
    with pytest.raises(FootreflexError):
        red_flag_questions(text="neck", knowledge="shipped")  # type: ignore[arg-type]


def test_a_custom_knowledge_base_uses_its_own_regions(tmp_path: Any) -> None:
    from importlib import resources

    shipped = resources.files("footreflex").joinpath("data/knowledge.toml").read_text("utf-8")
    extra = ('[[regions]]\nid = "thoracic"\nname = "Mid back"\n'
             'synonyms = ["mid back", "middle back"]\n\n')
    at = shipped.index("[[regions]]")
    path = tmp_path / "kb.toml"
    path.write_text(shipped[:at] + extra + shipped[at:], encoding="utf-8")
    kb = footreflex.KnowledgeBase.from_toml(path)
    # a region with no questions of its own: the general ones, whether named or read
    assert [q.id for q in red_flag_questions("thoracic", knowledge=kb)] == GENERAL
    assert [q.id for q in red_flag_questions(text="my mid back", knowledge=kb)] == GENERAL
    with pytest.raises(UnknownSymptomError):
        red_flag_questions("thoracic")  # not in the shipped knowledge base


# ------------------------------------------------------------------------------ answers
def test_a_yes_adds_a_finding_at_the_question_level() -> None:
    result = triage("lower back pain", {"ce_bladder_bowel": True, "major_injury": False})
    assert result.level == "emergency"
    assert [f.rule_id for f in result.findings] == ["question:ce_bladder_bowel"]
    finding = result.findings[0]
    assert finding.message.startswith("Contact emergency services")
    assert finding.sources and finding.matched
    injury = triage("sore neck", {"major_injury": True})
    assert injury.level == "see_clinician"
    assert injury.advice == footreflex.safety.rules().levels["see_clinician"]


def test_a_no_never_lowers_the_text_level() -> None:
    text = "lower back pain and I wet myself"
    alone = triage(text)
    assert alone.level == "emergency"
    answered = triage(text, dict.fromkeys(ALL_IDS, False))
    assert answered == alone


def test_no_answers_is_the_text_screen() -> None:
    for text in ("lower back", "my groin is numb", ""):
        assert triage(text, {}) == triage(text) == triage(text, None)


@given(st.dictionaries(st.sampled_from(ALL_IDS), st.booleans()),
       st.sampled_from(["stiff neck", "lower back", "no fever, just a sore back",
                        "chest pain and upper back pain", "I fell off a ladder"]))
def test_level_is_the_most_urgent_of_text_and_yes_answers(answers: dict[str, bool],
                                                          text: str) -> None:
    by_id = questions().by_id
    result = triage(text, answers)
    expected = max([RANK[triage(text).level]]
                   + [RANK[by_id[q].level] for q, yes in answers.items() if yes])
    assert RANK[result.level] == expected
    yes = {f"question:{q}" for q, v in answers.items() if v}
    assert {f.rule_id for f in result.findings if f.rule_id.startswith("question:")} == yes
    ranks = [RANK[f.level] for f in result.findings]
    assert ranks == sorted(ranks, reverse=True)


def test_unknown_question_id_is_an_error_with_did_you_mean() -> None:
    with pytest.raises(UnknownQuestionError) as info:
        triage("lower back", {"ce_bladder": True})
    assert info.value.question_id == "ce_bladder"
    assert "ce_bladder_bowel" in info.value.suggestions
    assert "did you mean" in str(info.value)
    with pytest.raises(FootreflexError):
        triage("lower back", {"ce_legs": "yes"})  # type: ignore[dict-item]
    with pytest.raises(FootreflexError):
        triage("lower back", ["ce_legs"])  # type: ignore[arg-type]


# ------------------------------------------------------------------------------ plan()
def test_plan_refuses_after_a_yes_and_plans_after_no() -> None:
    with pytest.raises(SeekCareError) as info:
        plan("lower back", minutes=20, answers={"ce_saddle_numbness": True})
    assert info.value.triage.findings[0].rule_id == "question:ce_saddle_numbness"
    routine = plan("lower back", minutes=20, answers={q.id: False for q in
                                                      red_flag_questions("lumbar")})
    assert routine == plan("lower back", minutes=20)


def test_plan_validates_answers_before_anything_else() -> None:
    with pytest.raises(UnknownQuestionError):
        plan("lower back, I wet myself", minutes=-1, answers={"nope": True})
    with pytest.raises(UnknownQuestionError):
        plan("x" * 5000, answers={"nope": False})


def test_plan_triages_the_whole_text_before_the_length_cap() -> None:
    padding = "my lower back aches after sitting. " * 80
    assert len(padding) > MAX_SYMPTOM_CHARS
    with pytest.raises(SeekCareError):
        plan(padding + "I wet myself")
    with pytest.raises(SeekCareError):
        plan([padding, "and I cannot feel my groin"])
    with pytest.raises(TextTooLongError) as info:
        plan(padding)
    assert info.value.limit == MAX_SYMPTOM_CHARS and info.value.length == len(padding)
    with pytest.raises(TextTooLongError):
        plan(["lower back"] * 400)
    plan("lower back " + "a" * (MAX_SYMPTOM_CHARS - 11))  # exactly at the cap is fine


def test_plan_with_a_profile_takes_answers(tmp_path: Any) -> None:
    person = footreflex.Profile()
    with pytest.raises(SeekCareError):
        plan("neck", profile=person, answers={"neck_stroke": True})
    with pytest.raises(UnknownQuestionError):
        plan("neck", profile=person, answers={"stroke": True})
    assert plan("neck", profile=person, answers={"neck_stroke": False}).watch_for


def test_program_takes_answers() -> None:
    with pytest.raises(SeekCareError) as info:
        footreflex.program("lower back", 10, sessions=3,
                           answers={"ce_saddle_numbness": True})
    assert info.value.triage.findings[0].rule_id == "question:ce_saddle_numbness"
    with pytest.raises(UnknownQuestionError):
        footreflex.program("lower back", 10, sessions=3, answers={"nope": False})
    calm = footreflex.program("lower back", 10, sessions=3,
                              answers={"ce_saddle_numbness": False})
    assert calm == footreflex.program("lower back", 10, sessions=3)


# ------------------------------------------------------------------------------ watch_for
@given(st.lists(st.sampled_from(["lower back", "neck", "sciatica", "upper back",
                                 "shoulders"]), min_size=1, max_size=3),
       st.integers(min_value=3, max_value=40))
def test_every_routine_carries_watch_for_its_regions(texts: list[str], minutes: int) -> None:
    routine = plan(" and ".join(texts), minutes=minutes)
    table = questions().watch_for
    expected: list[str] = []
    for key in (*routine.regions, "general"):
        expected.extend(line for line in table[key] if line not in expected)
    assert list(routine.watch_for) == expected


def test_steps_carry_their_targets_cautions() -> None:
    kb = footreflex.knowledge()
    routine = plan("lower back", minutes=20)
    assert any(step.cautions for step in routine.steps)
    for step in routine.steps:
        assert step.cautions == kb.targets[step.target_id].cautions
