from __future__ import annotations

import json
import math
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import footreflex
from footreflex import BudgetError, FootreflexError, KnowledgeBase, Routine
from footreflex.planning import Item, Tuning, candidates, objective, order_targets, select
from footreflex.safety import screen
from tests import goldens
from tests.helpers import brute_force
from tests.reference_solver import reference_select

GOLDEN = Path(__file__).parent / "golden"
SEED_CASES = {
    "lower_back_20": ("lower back", 20),
    "neck_15": ("neck", 15),
    "sciatica_20": ("sciatica", 20),
    "upper_back_15": ("upper back", 15),
}
REGION_WORDS = ["lower back", "neck", "sciatica", "upper back", "shoulders", "stiff neck",
                "back", "lumbago", "tech neck", "pain down the back of the leg"]


def target_ids(routine: Routine) -> set[str]:
    return {s.target_id for s in routine.steps}


# ------------------------------------------------------------------------- seed acceptance
def test_seed_lower_back_has_the_four_seed_items() -> None:
    r = footreflex.plan("lower back", minutes=20)
    assert {"LR3", "BL60", "heel", "heel_to_midfoot"} <= target_ids(r)


def test_seed_neck_sciatica_upper_back() -> None:
    assert "cervical_spine" in target_ids(footreflex.plan("neck", minutes=15))
    assert "sciatic_band" in target_ids(footreflex.plan("sciatica", minutes=20))
    ub = target_ids(footreflex.plan("upper back", minutes=15))
    assert {"upper_back_sole", "shoulder_strip_dorsal"} <= ub


@pytest.mark.parametrize("name", sorted(SEED_CASES))
def test_golden_seed_routines(name: str) -> None:
    text, minutes = SEED_CASES[name]
    goldens.check_routine(name, footreflex.plan(text, minutes=minutes))


def test_routine_shape() -> None:
    r = footreflex.plan("lower back", minutes=20)
    assert r.schema_version == 2
    assert list(r.regions) == ["lumbar"] and r.minutes == 20
    assert r.steps[0].kind == "warmup" and r.steps[0].foot == "both"
    assert r.steps[-1].kind == "cooldown"
    middle = r.steps[1:-1]
    half = len(middle) // 2
    assert [s.foot for s in middle] == ["right"] * half + ["left"] * half
    assert [s.target_id for s in middle[:half]] == [s.target_id for s in middle[half:]]
    for s in r.steps:
        if s.kind == "point":
            assert s.code == s.target_id
        else:
            assert s.code is None
        if s.kind in ("point", "zone"):
            assert s.serves == ("lumbar",)
            assert "lower back" in s.why and "sources:" in s.why and s.evidence
            assert s.relevance is not None and 0 < s.relevance <= 1
            assert "relevance" not in s.why and "seed" not in s.why  # words, no internals
    assert "not a diagnosis" in r.disclaimer
    assert {s.id for s in r.sources} >= {"sze2022", "who2008"}
    assert any("LR3" in w and "gently" in w for w in r.warnings)
    text = str(r)
    assert " 1. [0:00] General warm-up massage - both feet" in text
    assert r.disclaimer in text
    md = r.to_markdown()
    assert md.startswith("## ") and "| 1 | 0:00 |" in md and "### Sources" in md


def test_multi_region_serves_each_region_strongly() -> None:
    r = footreflex.plan("lower back and neck", minutes=25)
    assert list(r.regions) == ["lumbar", "cervical"]
    kb = footreflex.knowledge()
    for region in r.regions:
        assert any(kb.targets[t].relevance(region) >= 0.5 for t in target_ids(r)
                   if t not in ("warmup", "cooldown"))


def test_warnings_for_words_not_understood() -> None:
    r = footreflex.plan("my lower back is killing me and my knee", minutes=10)
    assert list(r.regions) == ["lumbar"]
    assert "not understood: knee" in r.warnings


# --------------------------------------------------------------------------------- budget
def test_minimum_budget() -> None:
    with pytest.raises(BudgetError) as info:
        footreflex.plan("lower back", minutes=2)
    assert info.value.minimum_minutes == 3
    assert "3 minutes" in str(info.value)
    r = footreflex.plan("lower back", minutes=info.value.minimum_minutes)
    assert r.total_seconds == 180 and len(r.steps) == 3


def test_short_budget_for_two_regions_warns() -> None:
    # In the shipped data BL60 serves every region strongly, so use two single-region zones.
    kb = KnowledgeBase({
        "schema_version": 1, "disclaimer": "d", "sources": [{"id": "s", "citation": "c"}],
        "regions": [{"id": "lumbar", "name": "Lower back"}, {"id": "cervical", "name": "Neck"}],
        "techniques": {"g": "g"},
        "targets": [
            {"id": "warmup", "kind": "general", "role": "warmup", "name": "W", "location": "l",
             "surfaces": ["plantar"], "position": {"along": 0.5, "across": 0.5},
             "technique": "g", "instructions": "i", "value_weight": 0.3, "sources": ["s"],
             "seconds": {"min": 30, "default": 30, "max": 60}},
            *({"id": f"z_{r}", "kind": "zone", "name": r, "location": "l",
               "surfaces": ["plantar"], "position": {"along": 0.5, "across": 0.5},
               "technique": "g", "instructions": "i", "sources": ["s"],
               "seconds": {"min": 60, "default": 60, "max": 120},
               "serves": [{"region": r, "relevance": 0.8, "evidence": "e", "sources": ["s"]}]}
              for r in ("lumbar", "cervical")),
        ]})
    r = footreflex.plan("lower back and neck", minutes=3, knowledge=kb)
    assert {s.target_id for s in r.steps} == {"warmup", "z_lumbar"}
    assert "not enough time to include neck; every region needs at least 5 minutes" in r.warnings
    full = footreflex.plan("lower back and neck", minutes=5, knowledge=kb)
    assert {s.target_id for s in full.steps} == {"warmup", "z_lumbar", "z_cervical"}


@pytest.mark.parametrize("bad", [0, -1, -0.5, math.nan, math.inf, -math.inf, True, False, None,
                                 "10", [10], 1j, object()])
def test_invalid_minutes(bad: Any) -> None:
    with pytest.raises(BudgetError) as info:
        footreflex.plan("neck", minutes=bad)
    assert info.value.minimum_minutes is None


def test_other_real_numbers_are_accepted() -> None:
    assert footreflex.plan("neck", minutes=Fraction(31, 2)).minutes == 15.5  # type: ignore[arg-type]


def test_huge_budget_stops_at_maximum_and_says_so() -> None:
    r = footreflex.plan("neck", minutes=1e12)
    assert r.total_seconds < 3600
    assert any("maximum time" in w for w in r.warnings)


def test_checks_are_ordered_symptom_first() -> None:
    with pytest.raises(footreflex.UnknownSymptomError):
        footreflex.plan("kneee", minutes=-1)


def test_bad_knowledge_argument() -> None:
    with pytest.raises(FootreflexError):
        footreflex.plan("neck", knowledge="shipped")  # type: ignore[arg-type]


# --------------------------------------------------------------------------- properties
symptom_texts = st.one_of(
    st.sampled_from(REGION_WORDS),
    st.lists(st.sampled_from(REGION_WORDS), min_size=1, max_size=3).map(" and ".join),
)
budgets = st.floats(min_value=3, max_value=90, allow_nan=False)


@given(symptom_texts, budgets)
def test_plan_properties(text: str, minutes: float) -> None:
    r = footreflex.plan(text, minutes=minutes)
    assert r.total_seconds <= minutes * 60
    assert r.steps[0].kind == "warmup"
    assert all(s.kind != "warmup" for s in r.steps[1:])
    assert all(s.kind != "cooldown" for s in r.steps[:-1])
    clock = 0
    for i, s in enumerate(r.steps, start=1):
        assert s.index == i and s.start_s == clock
        clock += s.duration_s
    assert clock == r.total_seconds
    feet = [s.foot for s in r.steps if s.kind in ("point", "zone")]
    assert feet == sorted(feet, key=lambda f: f != "right")  # right foot, then left
    if r.total_seconds < 0.9 * minutes * 60:
        assert any("maximum time" in w for w in r.warnings)
        # and the claim is true: nothing more could be added at any budget
        assert r.total_seconds == footreflex.plan(text, minutes=10**6).total_seconds
    # determinism and JSON round trip
    again = footreflex.plan(text, minutes=minutes)
    assert again.model_dump_json() == r.model_dump_json()
    back = Routine.model_validate_json(r.model_dump_json())
    assert back == r and back.model_dump_json() == r.model_dump_json()
    assert json.loads(r.model_dump_json())["schema_version"] == 2


@given(symptom_texts, budgets)
def test_every_region_covered_when_time_allows(text: str, minutes: float) -> None:
    r = footreflex.plan(text, minutes=minutes)
    kb = footreflex.knowledge()
    covered = [reg for reg in r.regions
               if any(kb.targets[s.target_id].relevance(reg) >= 0.5 for s in r.steps)]
    if covered != list(r.regions):
        assert any("not enough time" in w for w in r.warnings)
    if minutes >= 3 * len(r.regions) + 2:
        assert covered == list(r.regions)


@given(st.one_of(st.text(max_size=40), st.lists(st.text(max_size=20), max_size=3),
                 st.integers(), st.none(), st.binary(max_size=10)),
       st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-10**6, 10**6),
                 st.text(max_size=5), st.none(), st.booleans()))
def test_arbitrary_input_only_raises_footreflex_errors(symptoms: Any, minutes: Any) -> None:
    try:
        r = footreflex.plan(symptoms, minutes=minutes)
    except FootreflexError:
        return
    assert r.total_seconds <= float(minutes) * 60


# ------------------------------------------------------------------ exactness vs brute force
@st.composite
def item_sets(draw: st.DrawFn) -> tuple[list[Item], int, int, int]:
    n_regions = draw(st.integers(1, 2))
    region_bits = (1 << n_regions) - 1
    flag = 1 << n_regions
    items: list[Item] = []
    lo = draw(st.integers(1, 3))
    items.append(Item("warm", draw(st.integers(0, 500)), lo, lo + draw(st.integers(0, 2)),
                      lo + draw(st.integers(2, 4)), 1, 0, True))
    for i in range(draw(st.integers(1, 4))):
        step = draw(st.sampled_from([1, 2]))
        lo_ = step * draw(st.integers(1, 3))
        default = lo_ + step * draw(st.integers(0, 2))
        hi = default + step * draw(st.integers(0, 2))
        bits = draw(st.integers(0, region_bits))
        items.append(Item(f"t{i}", draw(st.integers(1, 1000)), lo_, default, hi, step, bits))
    if draw(st.booleans()):
        items.append(Item("cool", draw(st.integers(0, 500)), 1, 2, 3, 1, flag))
    return items, draw(st.integers(0, 24)), region_bits, flag


@given(item_sets())
def test_selection_is_exact_against_brute_force(case: tuple[list[Item], int, int, int]) -> None:
    items, capacity, region_bits, flag = case
    expected = brute_force(items, capacity, region_bits, flag)
    got = select(items, capacity, region_bits, flag)
    if expected is None:
        assert got is None
        return
    assert got is not None
    by_id = {it.id: it for it in items}
    mask = 0
    value = 0
    for tid, units in got.units.items():
        item = by_id[tid]
        assert units in [c for c, _ in item.options(capacity)]
        mask |= item.bits
        value += item.value(units)
    assert all(it.id in got.units for it in items if it.mandatory)
    assert got.cost <= capacity and mask == got.mask and value == got.value
    assert objective(mask, value, got.cost, region_bits, flag) == expected


# --------------------------------------------------------------- random knowledge bases
@st.composite
def random_kbs(draw: st.DrawFn) -> KnowledgeBase:
    regions = ["lumbar", "cervical"]
    targets: list[dict[str, Any]] = [
        {"id": "warmup", "kind": "general", "role": "warmup", "name": "Warm-up",
         "location": "whole foot", "surfaces": ["plantar"],
         "position": {"along": 0.5, "across": 0.5}, "technique": "general",
         "instructions": "Rub.", "seconds": {"min": 30, "default": 60, "max": 90},
         "value_weight": 0.3, "sources": ["s"]},
    ]
    for i in range(draw(st.integers(1, 5))):
        mins = draw(st.sampled_from([15, 30, 60]))
        default = mins + 15 * draw(st.integers(0, 4))
        serves = [{"region": r, "relevance": draw(st.sampled_from([0.3, 0.5, 0.7, 0.9])),
                   "evidence": "test", "sources": ["s"]}
                  for r in regions if draw(st.booleans())] or [
                      {"region": "lumbar", "relevance": 0.6, "evidence": "t", "sources": ["s"]}]
        targets.append({
            "id": f"z{i}", "kind": "zone", "name": f"Zone {i}", "location": "somewhere",
            "surfaces": [draw(st.sampled_from(["plantar", "dorsal", "medial", "lateral"]))],
            "position": {"along": draw(st.floats(0, 1)), "across": draw(st.floats(0, 1))},
            "technique": "general", "instructions": "Press.",
            "seconds": {"min": mins, "default": default,
                        "max": default + 15 * draw(st.integers(0, 4))},
            "serves": serves, "sources": ["s"]})
    return KnowledgeBase({
        "schema_version": 1, "disclaimer": "Not medical advice.",
        "sources": [{"id": "s", "citation": "test"}],
        "regions": [{"id": r, "name": r.title()} for r in regions],
        "techniques": {"general": "rub"}, "targets": targets})


@given(random_kbs(), st.floats(min_value=1, max_value=30))
def test_plan_on_random_knowledge_bases(kb: KnowledgeBase, minutes: float) -> None:
    try:
        r = footreflex.plan("lower back and neck", minutes=minutes, knowledge=kb)
    except BudgetError as exc:
        assert exc.minimum_minutes is not None and exc.minimum_minutes > minutes
        return
    except footreflex.UnknownSymptomError:
        return
    assert r.total_seconds <= minutes * 60 and r.steps[0].kind == "warmup"
    if r.total_seconds < 0.9 * minutes * 60:
        assert any("maximum time" in w for w in r.warnings)
    assert r.disclaimer.endswith(" Not medical advice.")  # the shipped one comes first
    assert r.disclaimer.startswith(footreflex.plan("neck").disclaimer)


def test_order_follows_positions() -> None:
    kb = footreflex.knowledge()
    path = order_targets(["LR3", "heel", "BL60", "heel_to_midfoot"], kb)
    assert path[0] in ("heel", "BL60")
    assert path[-1] == "LR3"
    assert order_targets([], kb) == []




@st.composite
def bilateral_item_sets(draw: st.DrawFn) -> tuple[list[Item], int]:
    """The shape of real plans: step-1 warm-up and cool-down, step-2 treatments."""
    lo = draw(st.integers(1, 3))
    items = [Item("warm", draw(st.integers(0, 500)), lo, lo + draw(st.integers(0, 2)),
                  lo + draw(st.integers(2, 4)), 1, 0, True)]
    for i in range(draw(st.integers(1, 4))):
        lo_ = 2 * draw(st.integers(1, 3))
        default = lo_ + 2 * draw(st.integers(0, 2))
        items.append(Item(f"t{i}", draw(st.integers(1, 1000)), lo_, default,
                          default + 2 * draw(st.integers(0, 2)), 2))
    if draw(st.booleans()):
        items.append(Item("cool", draw(st.integers(0, 500)), 1, 2, 3, 1, 0, True))
    return items, draw(st.integers(0, 26))


@given(bilateral_item_sets())
def test_split_solver_is_exact(case: tuple[list[Item], int]) -> None:
    items, capacity = case  # bilateral items without state bits: select's split fast path
    split = select(items, capacity, 0, 0)
    expected = brute_force(items, capacity, 0, 0)
    if expected is None:
        assert split is None
        return
    assert split is not None
    assert (split.value, -split.cost) == expected[3:]
    by_id = {it.id: it for it in items}
    assert sum(by_id[t].value(u) for t, u in split.units.items()) == split.value
    assert all(u in [c for c, _ in by_id[t].options(capacity)] for t, u in split.units.items())


# ------------------------------------------- the same selections as the full DP (tie-breaks)
@st.composite
def rich_item_sets(draw: st.DrawFn) -> tuple[list[Item], int, int, int]:
    """Many items sharing a few weights and shapes (ties everywhere), one foot (every step 1)
    or two (treatments in steps of 2, lengths sometimes odd), gentle pressure (no time past
    the default), mandatory treatments now and then, the cool-down present or absent."""
    n_regions = draw(st.integers(0, 3))
    region_bits = (1 << n_regions) - 1
    flag = 1 << n_regions
    feet = draw(st.sampled_from([1, 2]))
    weights = draw(st.lists(st.sampled_from([0, 30, 50, 60, 70, 80, 140, 250]), min_size=1,
                            max_size=3))
    gentle = draw(st.booleans())
    lo = draw(st.integers(0, 4))
    items = [Item("warm", draw(st.sampled_from([0, 30, *weights])), lo,
                  lo + draw(st.integers(0, 4)), lo + draw(st.integers(0, 8)), 1, 0, True)]
    odd = st.sampled_from([0, 0, 0, 1])
    for i in range(draw(st.integers(0, 12))):
        lo_ = feet * draw(st.integers(0, 4)) + draw(odd)
        default = lo_ + feet * draw(st.integers(0, 4)) + draw(odd)
        hi = default if gentle else default + feet * draw(st.integers(0, 6)) - draw(odd)
        items.append(Item(f"t{i:02d}", draw(st.sampled_from(weights)), lo_, default, hi, feet,
                          draw(st.integers(0, region_bits)),
                          draw(st.sampled_from([False] * 9 + [True]))))
    if draw(st.booleans()):
        c = draw(st.integers(0, 4))
        items.append(Item("zcool", draw(st.sampled_from([0, 30, *weights])), c,
                          c + draw(st.integers(0, 4)), c + draw(st.integers(0, 8)), 1, flag))
    return items, draw(st.integers(0, 70)), region_bits, flag


@settings(max_examples=400)
@given(rich_item_sets())
def test_selection_matches_the_full_dp(case: tuple[list[Item], int, int, int]) -> None:
    """The bounded search returns exactly the full DP's selection (units, mask, value)."""
    items, capacity, region_bits, flag = case
    assert select(items, capacity, region_bits, flag) == reference_select(
        items, capacity, region_bits, flag)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["lumbar", "cervical", "sciatic", "upper_back"]), min_size=1,
                max_size=4, unique=True),
       st.integers(8, 240),
       st.sampled_from([[], ["wound:left"], ["diabetes"], ["pregnancy"], ["osteoporosis"]]))
def test_selection_matches_the_full_dp_on_shipped_candidates(
        regions: list[str], capacity: int, conditions: list[str]) -> None:
    kb = footreflex.knowledge()
    effects = screen(conditions)
    items, flag = candidates(kb, regions, len(effects.feet), capacity, effects, Tuning())
    capacity = min(capacity, sum(it.hi for it in items))
    assert select(items, capacity, flag - 1, flag) == reference_select(
        items, capacity, flag - 1, flag)
