from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import footreflex
from footreflex import (
    KnowledgeBase,
    SeekCareError,
    Triage,
    UnknownConditionError,
    plan,
    triage,
)
from footreflex.safety import parse_conditions, rules, screen

# (text, rule that must fire, level)
FIRES = [
    # cauda equina: saddle numbness
    ("my groin is numb", "cauda_equina_saddle_numbness", "emergency"),
    ("numbness in the groin", "cauda_equina_saddle_numbness", "emergency"),
    ("Numb groin and lower back pain", "cauda_equina_saddle_numbness", "emergency"),
    ("tingling between my legs", "cauda_equina_saddle_numbness", "emergency"),
    ("I can't feel my groin", "cauda_equina_saddle_numbness", "emergency"),
    ("cant feel my bum properly", "cauda_equina_saddle_numbness", "emergency"),
    ("my buttocks went numb", "cauda_equina_saddle_numbness", "emergency"),
    ("saddle anaesthesia", "cauda_equina_saddle_numbness", "emergency"),
    ("lower back pain and pins and needles in my genitals", "cauda_equina_saddle_numbness",
     "emergency"),
    ("I don't know why my groin is numb", "cauda_equina_saddle_numbness", "emergency"),
    ("no fever but my groin is numb", "cauda_equina_saddle_numbness", "emergency"),
    # bladder / bowel
    ("no bladder control", "cauda_equina_bladder_bowel", "emergency"),
    ("lost control of my bladder", "cauda_equina_bladder_bowel", "emergency"),
    ("loss of bowel control", "cauda_equina_bladder_bowel", "emergency"),
    ("unable to pee", "cauda_equina_bladder_bowel", "emergency"),
    ("I can't pee since this morning", "cauda_equina_bladder_bowel", "emergency"),
    ("difficulty passing urine", "cauda_equina_bladder_bowel", "emergency"),
    ("trouble urinating and back pain", "cauda_equina_bladder_bowel", "emergency"),
    ("I wet myself", "cauda_equina_bladder_bowel", "emergency"),
    ("new incontinence", "cauda_equina_bladder_bowel", "emergency"),
    ("my bladder feels numb", "cauda_equina_bladder_bowel", "emergency"),
    ("can't hold my bowels", "cauda_equina_bladder_bowel", "emergency"),
    ("erectile problems since the back pain started", "cauda_equina_sexual", "emergency"),
    # weakness / foot drop / bilateral
    ("my leg is getting weaker", "leg_weakness", "emergency"),
    ("weakness in both legs", "bilateral_sciatica", "emergency"),
    ("foot drop", "leg_weakness", "emergency"),
    ("my foot is dropping when I walk", "leg_weakness", "emergency"),
    ("my knee keeps giving way", "leg_weakness", "emergency"),
    ("sciatica in both legs", "bilateral_sciatica", "emergency"),
    ("pain shooting down both legs", "bilateral_sciatica", "emergency"),
    ("sciatica down both my legs", "bilateral_sciatica", "emergency"),
    # cardiac
    ("upper back pain and chest pain", "cardiac_warning", "emergency"),
    ("tightness in my chest", "cardiac_warning", "emergency"),
    ("pain spreading to my jaw", "cardiac_warning", "emergency"),
    ("upper back ache going down my left arm", "cardiac_warning", "emergency"),
    ("shoulders hurt and I'm short of breath", "cardiac_warning", "emergency"),
    ("breathless with upper back pain", "cardiac_warning", "emergency"),
    # trauma
    ("I fell down the stairs", "trauma", "see_clinician"),
    ("back pain after a fall", "trauma", "see_clinician"),
    ("after falling off my bike", "trauma", "see_clinician"),
    ("car accident last week, neck hurts", "trauma", "see_clinician"),
    ("whiplash", "trauma", "see_clinician"),
    ("injured my back lifting", "trauma", "see_clinician"),
    ("slipped on ice and landed on my back", "trauma", "see_clinician"),
    ("I fell asleep on the sofa, then fell off it", "trauma", "see_clinician"),
    # fever / infection
    ("lower back pain with fever", "fever_infection", "see_clinician"),
    ("I have a fever", "fever_infection", "see_clinician"),
    ("chills and back ache", "fever_infection", "see_clinician"),
    ("feverish and stiff neck", "fever_infection", "see_clinician"),
    ("night sweats", "fever_infection", "see_clinician"),
    ("running a temperature", "fever_infection", "see_clinician"),
    ("hay fever and a real fever", "fever_infection", "see_clinician"),
    # history and general
    ("history of breast cancer", "cancer_history", "see_clinician"),
    ("I had chemo last year", "cancer_history", "see_clinician"),
    ("unexplained weight loss", "weight_loss", "see_clinician"),
    ("I've lost weight without trying", "weight_loss", "see_clinician"),
    ("the pain is worse at night", "night_pain", "see_clinician"),
    ("pain wakes me up", "night_pain", "see_clinician"),
    ("back aches when lying down", "night_pain", "see_clinician"),
    ("I'm immunosuppressed after a transplant", "immune_iv_drugs", "see_clinician"),
    ("I inject drugs", "immune_iv_drugs", "see_clinician"),
    ("on long-term steroids and I hurt my back bending", "steroids_osteoporosis_strain",
     "see_clinician"),
    ("osteoporosis and I strained my back", "steroids_osteoporosis_strain", "see_clinician"),
    ("sudden severe pain in my mid back", "thoracic_severe", "see_clinician"),
    # neck
    ("stiff neck and clumsy hands", "myelopathy", "see_clinician"),
    ("neck pain and I keep dropping things", "myelopathy", "see_clinician"),
    ("neck pain, my walking has changed", "myelopathy", "see_clinician"),
    ("electric shock down my spine when I bend my neck", "myelopathy", "see_clinician"),
    ("neck pain and dizziness", "neck_vascular", "see_clinician"),
    ("neck ache and I blacked out", "neck_vascular", "see_clinician"),
    ("stiff neck with a rash", "meningism", "emergency"),
    ("worst headache of my life and stiff neck", "thunderclap_headache", "emergency"),
    ("neck pain after neck surgery", "surgery", "see_clinician"),
]

QUIET = [
    "lower back", "stiff neck", "sciatica", "upper back", "shoulders", "neck", "back",
    "lumbago", "tech neck", "sore shoulders from slouching over my phone",
    "my lower back is killing me", "pain down the back of my leg", "sciatica, shoulders",
    "lower back pain, no fever", "neck ache without fever", "no fever or chills",
    "I have no numbness", "without numbness in the groin", "no numbness or tingling",
    "not after a fall", "I didn't fall", "no injury", "there was no accident",
    "I fell asleep at my desk and woke with a stiff neck", "hay fever and a stiff neck",
    "back pain, no bladder problems", "no history of cancer", "lower back pain on both sides",
    "I'm not pregnant", "upper back pain from the desk", "pain between the shoulder blades",
    "sciatica in my left leg", "back ache after gardening", "sore neck from sleeping",
    "stiff back in the morning", "shoulder tension", "I slept wrong last night",
    "falling asleep is hard because of stress", "neck pain, I do yoga to chill out",
    "", "   ", "lower back, no weight loss, no night pain",
]


@pytest.mark.parametrize(("text", "rule", "level"), FIRES)
def test_red_flags_fire(text: str, rule: str, level: str) -> None:
    result = triage(text)
    fired = {f.rule_id: f for f in result.findings}
    assert rule in fired, (text, result.findings)
    assert fired[rule].level == level
    for finding in result.findings:
        assert finding.matched and finding.sources and finding.message
    assert result.level in ("see_clinician", "emergency")
    if level == "emergency":
        assert result.level == "emergency"


@pytest.mark.parametrize("text", QUIET)
def test_ordinary_phrasings_stay_self_care(text: str) -> None:
    result = triage(text)
    assert result.level == "self_care", result.findings
    assert result.findings == ()


def test_triage_shape_and_wording() -> None:
    result = triage("lower back pain and I can't control my bladder, also a fever")
    assert result.level == "emergency"
    assert result.findings[0].level == "emergency"  # most urgent first
    assert [f.rule_id for f in result.findings] == ["cauda_equina_bladder_bowel",
                                                    "fever_infection"]
    assert result.ruleset_version == rules().ruleset_version
    assert result.advice.startswith("Contact emergency services")
    for finding in result.findings:
        assert finding.sources[0].citation
    text = str(result)
    assert text.splitlines()[0] == result.advice and "Why:" in text and "Source:" in text
    assert Triage.model_validate_json(result.model_dump_json()) == result


def test_wording_is_action_first_region_neutral_and_never_clearance() -> None:
    data = rules()
    for compiled in data.compiled:
        message = compiled.rule.message
        assert message.split()[0] in ("Get", "Contact", "See", "Call"), message
        for number in ("911", "999", "112", "000"):
            assert number not in message
    quiet = triage("lower back")
    assert "not a medical assessment" in quiet.advice
    for word in ("safe", "cleared", "fine to", "no need"):
        assert word not in quiet.advice.lower()


@given(st.text(max_size=200))
def test_triage_never_raises(text: str) -> None:
    result = triage(text)
    assert result.level in ("self_care", "see_clinician", "emergency")
    assert (result.level == "self_care") == (not result.findings)


@pytest.mark.parametrize("bad", [None, 42, b"groin numb", ["fever"]])
def test_triage_non_text(bad: Any) -> None:
    assert triage(bad).level == "self_care"


# ------------------------------------------------------------------------------ plan + triage
def test_plan_refuses_red_flags_before_anything_else() -> None:
    with pytest.raises(SeekCareError) as info:
        plan("my groin is numb", minutes=-5, conditions=["not a condition"])
    assert info.value.triage.level == "emergency"
    assert info.value.level == "emergency"
    assert isinstance(info.value, footreflex.FootreflexError)
    with pytest.raises(SeekCareError):
        plan(["neck", "I had a fall"], minutes=10)


def test_negated_complaint_plans_normally() -> None:
    r = plan("lower back pain, no fever", minutes=20)
    assert list(r.regions) == ["lumbar"]
    assert {"LR3", "BL60", "heel", "heel_to_midfoot"} <= {s.target_id for s in r.steps}


# ------------------------------------------------------------------------------ conditions
def ids(routine: footreflex.Routine) -> set[str]:
    return {s.target_id for s in routine.steps}


@pytest.mark.parametrize(("given_", "expected"), [
    ("pregnant", "pregnancy"), ("Pregnancy", "pregnancy"), ("might be pregnant", "pregnancy"),
    ("first trimester", "pregnancy_first_trimester"), ("DVT", "dvt"),
    ("blood clot", "dvt"), ("blood thinners", "bleeding"), ("warfarin", "bleeding"),
    ("diabetic", "diabetes"), ("neuropathy", "diabetes"), ("athlete's foot", "foot_infection"),
    ("verruca", "foot_infection"), ("broken ankle", "fracture"), ("sprained ankle", "fracture"),
    ("gout flare", "gout"), ("open wound", "wound"), ("oedema", "oedema"),
    ("edema", "oedema"), ("varicose veins", "varicose_veins"), ("osteoporosis", "osteoporosis"),
    ("fever", "fever"),
])
def test_condition_vocabulary(given_: str, expected: str) -> None:
    assert parse_conditions([given_])[0].id == expected


def test_condition_feet_syntax() -> None:
    assert [str(c) for c in parse_conditions(["wound:left", "gout:R", "fracture"])] == [
        "wound:left", "gout:right", "fracture:both"]
    with pytest.raises(UnknownConditionError, match="unknown foot"):
        parse_conditions(["wound:middle"])
    with pytest.raises(UnknownConditionError, match="not a foot-level"):
        parse_conditions(["pregnant:left"])


def test_unknown_condition_suggests() -> None:
    with pytest.raises(UnknownConditionError) as info:
        plan("neck", conditions=["pregnnt"])
    assert "pregnant" in info.value.suggestions and len(info.value.suggestions) <= 3
    with pytest.raises(UnknownConditionError):
        plan("neck", conditions=[3])  # type: ignore[list-item]
    with pytest.raises(UnknownConditionError):
        plan("neck", conditions=5)  # type: ignore[arg-type]


def test_pregnancy_excludes_points_and_softens() -> None:
    r = plan("lower back", minutes=20, conditions=["pregnant"])
    assert not ids(r) & {"SP6", "BL60", "BL67"}
    assert list(r.conditions) == ["pregnancy"]
    assert any("behind either ankle bone" in w and "precaution" in w for w in r.warnings)
    kb = footreflex.knowledge()
    for step in r.steps:
        assert "firm" not in step.instructions.lower()
        assert "light pressure" in step.instructions.lower()
        if step.kind in ("point", "zone"):
            assert step.duration_s <= kb.targets[step.target_id].seconds.default
    # the plain routine does use BL60 and firm wording
    plain = plan("lower back", minutes=20)
    assert "BL60" in ids(plain)
    assert any("firm" in s.instructions for s in plain.steps)


@pytest.mark.parametrize("cond", ["dvt", "fever", "oedema", "first trimester"])
def test_stopping_conditions(cond: str) -> None:
    with pytest.raises(SeekCareError) as info:
        plan("neck", minutes=10, conditions=[cond])
    assert info.value.triage.level == "see_clinician"
    assert info.value.triage.findings[0].rule_id.startswith("condition:")


def test_one_foot_conditions() -> None:
    r = plan("lower back", minutes=20, conditions=["wound:left"])
    assert {s.foot for s in r.steps} == {"right"}
    assert list(r.conditions) == ["wound:left"]
    r = plan("lower back", minutes=20, conditions=["gout:right"])
    assert {s.foot for s in r.steps} == {"left"}
    with pytest.raises(SeekCareError):
        plan("lower back", minutes=20, conditions=["wound"])  # no foot named = both
    with pytest.raises(SeekCareError):
        plan("lower back", minutes=20, conditions=["wound:left", "gout:right"])


def test_gentle_conditions_cap_durations() -> None:
    for cond in ("blood thinners", "diabetes", "osteoporosis", "varicose veins"):
        r = plan("sciatica", minutes=40, conditions=[cond])
        kb = footreflex.knowledge()
        for step in r.steps:
            target = kb.targets[step.target_id]
            per_foot = step.duration_s // (2 if step.foot == "both" else 1)
            assert per_foot <= target.seconds.default
            assert "firm" not in step.instructions.lower()


def test_custom_knowledge_cannot_switch_safety_off(tmp_path: Path) -> None:
    from importlib import resources

    text = resources.files("footreflex").joinpath("data/knowledge.toml").read_text("utf-8")
    path = tmp_path / "kb.toml"
    path.write_text(text, encoding="utf-8")
    kb = KnowledgeBase.from_toml(path)
    with pytest.raises(SeekCareError):
        plan("numb groin", knowledge=kb)
    r = plan("lower back", 20, knowledge=kb, conditions=["pregnant"])
    assert "BL60" not in ids(r)
    assert r.disclaimer.startswith(rules().disclaimer)


def test_every_routine_carries_disclaimer_and_cautions() -> None:
    r = plan("lower back", minutes=20)
    assert "not a diagnosis" in r.disclaimer and "Stop if pain increases" in r.disclaimer
    assert "clinician" in r.disclaimer
    assert any("LR3" in w and "gently" in w for w in r.warnings)


# ------------------------------------------------------------------------------ property
CONDITIONS = [c for c in rules().condition_names] + [
    f"{c}:{foot}" for c in ("wound", "gout", "fracture", "foot infection")
    for foot in ("left", "right", "both")]
SYMPTOMS = ["lower back", "neck", "sciatica", "upper back", "shoulders and neck",
            "lower back and sciatica", "back pain, no fever"]


@given(st.sampled_from(SYMPTOMS), st.lists(st.sampled_from(CONDITIONS), max_size=3),
       st.floats(min_value=3, max_value=60))
def test_conditions_always_hold(symptom: str, conditions: list[str], minutes: float) -> None:
    data = rules()
    declared = parse_conditions(conditions)
    should_stop = any(data.conditions[c.id].effect == "stop" for c in declared)
    excluded = {t for c in declared for t in data.conditions[c.id].exclude}
    gentle = any(data.conditions[c.id].gentle for c in declared)
    banned_feet = {c.foot for c in declared if c.foot}
    if "both" in banned_feet or {"left", "right"} <= banned_feet:
        should_stop = True
    try:
        r = plan(symptom, minutes=minutes, conditions=conditions)
    except SeekCareError:
        assert should_stop
        return
    except footreflex.BudgetError as exc:  # exclusions can raise the minimum (no BL60)
        assert exc.minimum_minutes is not None and exc.minimum_minutes > minutes
        return
    assert not should_stop
    assert not ids(r) & excluded
    feet = {s.foot for s in r.steps}
    for foot in banned_feet:
        assert foot not in feet and "both" not in feet
    if gentle:
        assert all("firm" not in s.instructions.lower() for s in r.steps)
    assert screen(conditions).excluded == frozenset(excluded)


# ------------------------------------------------------------------------------ text conditions
@pytest.mark.parametrize(("text", "expected"), [
    ("back pain while pregnant", ["pregnancy"]),
    ("I'm pregnant and my lower back aches", ["pregnancy"]),
    ("I am not pregnant, lower back", []),
    ("lower back, on warfarin", ["bleeding"]),
    ("stiff neck, I take blood thinners", ["bleeding"]),
    ("diabetic with a sore lower back", ["diabetes"]),
    ("lower back", []),
    ("no diabetes, lower back", []),
])
def test_conditions_found_in_text(text: str, expected: list[str]) -> None:
    from footreflex.safety import detect_conditions

    assert detect_conditions(text) == expected


def test_text_conditions_apply_to_plans() -> None:
    r = plan("back pain while pregnant", minutes=20)
    assert list(r.conditions) == ["pregnancy"] and "BL60" not in ids(r)
    assert r.warnings[0].startswith("Applied from the symptom text: pregnancy")
    with pytest.raises(SeekCareError):
        plan("neck pain, first trimester", minutes=10)
    # declared and detected are not doubled
    r = plan("back pain while pregnant", minutes=20, conditions=["pregnant"])
    assert list(r.conditions) == ["pregnancy"]
    assert not any(w.startswith("Applied from") for w in r.warnings)


TEXT_SUFFIXES = ["", ", while pregnant", ", on warfarin", ", not pregnant", ", diabetic"]


@given(st.sampled_from(SYMPTOMS), st.sampled_from(TEXT_SUFFIXES),
       st.lists(st.sampled_from(CONDITIONS), max_size=2), st.floats(min_value=3, max_value=60))
def test_text_and_declared_conditions_always_hold(symptom: str, suffix: str,
                                                  conditions: list[str], minutes: float) -> None:
    from footreflex.safety import detect_conditions

    text = symptom + suffix
    data = rules()
    declared = parse_conditions(conditions)
    all_ids = {c.id for c in declared} | set(detect_conditions(text))
    excluded = {t for c in all_ids for t in data.conditions[c].exclude}
    try:
        r = plan(text, minutes=minutes, conditions=conditions)
    except (SeekCareError, footreflex.BudgetError):
        return
    assert not ids(r) & excluded
    assert set(r.conditions) >= {str(c) for c in declared}
    if any(data.conditions[c].gentle for c in all_ids):
        assert all("firm" not in s.instructions.lower() for s in r.steps)
