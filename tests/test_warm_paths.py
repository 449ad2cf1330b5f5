"""The warm plan's shortcuts give what the general code gives (issue 14, warm round 3).

Each shortcut is checked against the plain version it replaces: the solver's run over the
choices losing nothing (bit sets) against the full DP, the fast ``Item`` constructor against
the dataclass, the path over the foot against the straightforward nearest-neighbour walk,
and the red-flag screen of a one-sentence text against the per-policy views.
"""

from __future__ import annotations

import json
import math
import random
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

import footreflex
from footreflex.language import Match
from footreflex.planning import Item, order_targets, select
from footreflex.planning._solver import _item
from footreflex.safety import read_text
from footreflex.safety._rules import rules
from footreflex.safety._triage import (
    _NOTHING,
    _fires,
    _fires_one,
    _found,
    _policy,
    _possible,
    _seen,
    triage,
)
from tests.reference_solver import reference_select

DATA = Path(__file__).parent / "data"


# ------------------------------------------------------------------------------ the solver
@st.composite
def bilateral_ties(draw: st.DrawFn) -> tuple[list[Item], int, int, int]:
    """The shape of real plans (step-1 warm-up and cool-down, two-feet treatments of even
    lengths) with weights that make the price equal to a weight or twice one: the ties the
    backward walk over bit sets must break as the full table did."""
    n_regions = draw(st.integers(0, 3))
    region_bits = (1 << n_regions) - 1
    flag = 1 << n_regions
    weights = draw(st.lists(st.sampled_from([30, 35, 50, 60, 70, 80, 120, 140, 160]),
                            min_size=1, max_size=3))
    lo = draw(st.sampled_from([2, 4, 8]))
    items = [Item("warm", 30, lo, lo + draw(st.integers(0, 4)), lo + draw(st.integers(2, 8)),
                  1, 0, True)]
    for i in range(draw(st.integers(1, 10))):
        lo_ = 2 * draw(st.integers(1, 4))
        default = lo_ + 2 * draw(st.integers(0, 4))
        items.append(Item(f"t{i:02d}", draw(st.sampled_from(weights)), lo_, default,
                          default + 2 * draw(st.integers(0, 8)), 2,
                          draw(st.integers(0, region_bits))))
    if draw(st.booleans()):
        items.append(Item("zcool", 30, 2, 4, 8, 1, flag))
    return items, draw(st.integers(0, 90)), region_bits, flag


@settings(max_examples=300)
@given(bilateral_ties())
def test_the_flat_run_makes_the_full_dp_choices(case: tuple[list[Item], int, int, int]
                                                ) -> None:
    items, capacity, region_bits, flag = case
    got = select(items, capacity, region_bits, flag)
    want = reference_select(items, capacity, region_bits, flag)
    assert got == want
    if got is not None and want is not None:
        assert list(got.units) == list(want.units)  # the same order too


def test_fast_item_is_the_dataclass() -> None:
    args = ("BL60", 90_000, 4, 16, 24, 2, 3, False)
    fast, plain = _item(*args), Item(*args)
    assert fast == plain and hash(fast) == hash(plain) and repr(fast) == repr(plain)
    assert vars(fast) == vars(plain)
    assert _item("w", 1, 2, 3, 4, 1) == Item("w", 1, 2, 3, 4, 1)
    assert fast.value(20) == plain.value(20) and fast.options(30) == plain.options(30)


# ------------------------------------------------------------------------ the path
def _walk(ids: list[str], kb: footreflex.KnowledgeBase) -> list[str]:
    """The nearest-neighbour walk as first written (frozensets, a dict of points)."""
    targets = kb.targets
    remaining = sorted(ids)
    if not remaining:
        return []
    current = min(remaining, key=lambda t: (targets[t].position.along, t))
    remaining.remove(current)
    path = [current]
    while remaining:
        a, sa = targets[current].position, frozenset(targets[current].surfaces)
        best_d, best = math.inf, ""
        for t in remaining:
            b, sb = targets[t].position, frozenset(targets[t].surfaces)
            da, dc, dh = a.along - b.along, a.across - b.across, a.height - b.height
            d = math.sqrt(da * da + dc * dc + dh * dh) + (0.0 if not sa.isdisjoint(sb)
                                                          else 0.5)
            if d < best_d:
                best_d, best = d, t
        current = best
        path.append(current)
        remaining.remove(current)
    return path


def test_the_path_is_the_nearest_neighbour_walk() -> None:
    kb = footreflex.knowledge()
    ids = sorted(kb.targets)
    rnd = random.Random(14)
    for _ in range(400):
        chosen = rnd.sample(ids, rnd.randint(0, len(ids)))
        assert order_targets(chosen, kb) == _walk(chosen, kb)


# ------------------------------------------------------------------------ the screen
def _texts() -> list[str]:
    out = []
    for name in ("triage_corpus.jsonl", "triage_corpus_independent.jsonl"):
        for line in (DATA / name).read_text(encoding="utf-8").splitlines():
            if line.strip():
                text = json.loads(line).get("text")
                if isinstance(text, str):
                    out.append(text)
    return out


def test_one_sentence_rules_fire_as_with_the_per_policy_views() -> None:
    data = rules()
    checked = 0
    for text in _texts():
        sentences = read_text(text)
        if len(sentences) != 1:
            continue
        seen = [_seen(sentences[0])]
        about_someone_else = not sentences[0].speaks_of_self
        for compiled in data.compiled:
            policy = _policy(compiled)
            if policy == "emergency" and about_someone_else:
                policy = "carer"
            assert _fires_one(compiled, seen[0].get(policy, _NOTHING), sentences[0]) == \
                _fires(compiled, _found(seen, policy), sentences)
        checked += 1
    assert checked > 200


def test_rules_passed_over_could_not_fire() -> None:
    data = rules()
    skipped = 0
    for text in _texts():
        sentences = read_text(text)
        seen = [_seen(sentence) for sentence in sentences]
        present = {name for per in seen for counted in per.values() for name in counted}
        for compiled in data.compiled:
            if _possible(compiled, present):
                continue
            skipped += 1
            for policy in ("emergency", "see_clinician", "history", "carer"):
                assert _fires(compiled, _found(seen, policy), sentences) is None
    assert skipped > 1000


def test_text_scoped_words_come_from_the_one_sentence() -> None:
    verdict = triage("I have a stiff neck and a fever")
    assert verdict.level == "emergency"
    assert any(f.rule_id == "meningism" for f in verdict.findings)
    words = read_text("I have a stiff neck and a fever")[0].words(Match("", 3, 5))
    assert words == "stiff neck"


# ------------------------------------------------------------------------ the reader
def test_the_last_reader_is_the_knowledge_bases_own() -> None:
    shipped = footreflex.knowledge()
    small = footreflex.KnowledgeBase({
        "schema_version": 1, "disclaimer": "Not medical advice.",
        "sources": [{"id": "s", "citation": "test"}],
        "regions": [{"id": "knee", "name": "Knee", "synonyms": ["kneecap"]}],
        "techniques": {"general": "rub"},
        "targets": [
            {"id": "warmup", "kind": "general", "role": "warmup", "name": "Warm-up",
             "location": "whole foot", "surfaces": ["plantar"],
             "position": {"along": 0.5, "across": 0.5}, "technique": "general",
             "instructions": "Rub.", "seconds": {"min": 30, "default": 60, "max": 90},
             "value_weight": 0.3, "sources": ["s"]},
            {"id": "z", "kind": "zone", "name": "Zone", "location": "somewhere",
             "surfaces": ["plantar"], "position": {"along": 0.2, "across": 0.4},
             "technique": "general", "instructions": "Press.",
             "seconds": {"min": 30, "default": 60, "max": 90},
             "serves": [{"region": "knee", "relevance": 0.8, "evidence": "t",
                         "sources": ["s"]}], "sources": ["s"]}]})
    for _ in range(2):  # each knowledge base in turn: never the other's reader
        assert footreflex.resolve("kneecap", knowledge=small) == ["knee"]
        assert footreflex.resolve("neck", knowledge=shipped) == ["cervical"]
