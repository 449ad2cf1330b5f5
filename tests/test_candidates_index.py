"""The ranked index (``planning.candidates`` without personal weights) gives exactly the items
of weighing every target, on random knowledge bases, region sets and orders.

The oracle below is ``candidates`` as it was before the index (every treatment target of each
region weighed on every plan), kept verbatim as a test oracle.
"""

from __future__ import annotations

import dataclasses
import heapq
import itertools
import threading
from collections.abc import Sequence
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from footreflex import KnowledgeBase
from footreflex.planning import STRONG_RELEVANCE, UNIT_S, WEIGHT_SCALE, Item, Tuning, candidates
from footreflex.safety import Screen, screen

REGIONS = ["lumbar", "cervical", "sciatic", "upper_back"]
# relevances whose sums round differently in different orders, and near-ties
RELEVANCES = [0.0, 0.1, 0.2, 0.3, 0.49, 0.5, 0.51, 0.6, 0.7, 0.9, 1.0, 0.1 + 0.2, 0.30000001]
SHAPES = [(15, 30, 60), (30, 60, 90), (30, 60, 120), (60, 90, 180), (30, 30, 30)]
PREGNANCY_AREAS = screen(["pregnancy"]).areas


def oracle(kb: KnowledgeBase, regions: Sequence[str], feet: int, capacity: int,
           effects: Screen, tuning: Tuning) -> tuple[list[Item], int]:
    """``candidates`` before the ranked index: every target of each region weighed."""
    region_bit = {r: 1 << i for i, r in enumerate(regions)}
    flag_bit = 1 << len(regions)
    weights: dict[str, float] = {}
    covers: dict[str, int] = {}
    excluded = effects.excluded | tuning.excluded
    factors = tuning.factors
    for region in regions:
        bit = region_bit[region]
        for target, relevance in kb.candidates(region):
            tid = target.id
            if target.role != "treatment" or relevance <= 0:
                continue
            if tid in excluded or (effects.areas and effects.avoids(target)):
                continue
            weight = relevance * factors.get((tid, region), 1.0) if factors else relevance
            weights[tid] = weights.get(tid, 0.0) + weight
            if relevance >= STRONG_RELEVANCE:
                covers[tid] = covers.get(tid, 0) | bit
    groups: dict[tuple[int, int, int, int], list[tuple[int, str]]] = {}
    bonus, favourites, gentle = tuning.bonus, tuning.favourites, effects.gentle
    for tid, total in weights.items():
        s = kb.targets[tid].seconds
        if bonus or favourites:
            weight = round(WEIGHT_SCALE * total * (1.0 + bonus.get(tid, 0.0)))
            weight += 1 if tid in favourites else 0
        else:
            weight = round(WEIGHT_SCALE * total * 1.0)
        shape = (s.min, s.default, s.default if gentle else s.max, covers.get(tid, 0))
        groups.setdefault(shape, []).append((-weight, tid))
    kept: list[Item] = []
    for (low, default, top, bits), members in groups.items():
        lo = feet * low // UNIT_S
        for negative, tid in heapq.nsmallest(max(1, capacity // max(lo, 1)), members):
            kept.append(Item(id=tid, weight=-negative, lo=lo, default=feet * default // UNIT_S,
                             hi=feet * top // UNIT_S, step=feet, bits=bits))
    kept.sort(key=lambda it: it.id)

    def general(target: Any, bits: int, mandatory: bool) -> Item:
        s = target.seconds
        top = s.default if effects.gentle else s.max
        return Item(id=target.id, weight=round(WEIGHT_SCALE * (target.value_weight or 0.0)),
                    lo=feet * s.min // UNIT_S, default=feet * s.default // UNIT_S,
                    hi=feet * top // UNIT_S, step=1, bits=bits, mandatory=mandatory)

    items = [general(kb.warmup, 0, True), *kept]
    if kb.cooldown is not None:
        items.append(general(kb.cooldown, flag_bit, False))
    return items, flag_bit


def synthetic(rng: Any, n: int, general_last: bool) -> KnowledgeBase:
    """Random zones (many sharing a shape and a relevance) over the four regions."""
    general = [
        {"id": "warmup", "kind": "general", "role": "warmup", "name": "Warm-up",
         "location": "whole foot", "surfaces": ["plantar"], "position": {"along": 0.5,
         "across": 0.5}, "technique": "t", "instructions": "Rub.", "value_weight": 0.3,
         "seconds": {"min": 30, "default": 60, "max": 90}, "sources": ["s"]},
        {"id": "cooldown", "kind": "general", "role": "cooldown", "name": "Cool-down",
         "location": "whole foot", "surfaces": ["plantar"], "position": {"along": 0.5,
         "across": 0.5}, "technique": "t", "instructions": "Rub.", "value_weight": 0.1,
         "seconds": {"min": 15, "default": 30, "max": 60}, "sources": ["s"]}]
    zones: list[dict[str, Any]] = []
    for i in range(n):
        lo, default, hi = rng.choice(SHAPES)
        served = rng.sample(REGIONS, rng.randint(1, 4))
        zones.append({
            "id": f"z{rng.randrange(10 * n):05d}x{i:04d}", "kind": "zone", "name": f"Zone {i}",
            "location": "x", "surfaces": [rng.choice(["plantar", "dorsal", "medial"])],
            "position": {"along": rng.random(), "across": rng.random()},
            "technique": "t", "instructions": "Press.",
            "seconds": {"min": lo, "default": default, "max": hi},
            "serves": [{"region": r, "relevance": rng.choice(RELEVANCES), "evidence": "x",
                        "sources": ["s"]} for r in served], "sources": ["s"]})
    targets = zones + general if general_last else general + zones
    return KnowledgeBase({
        "schema_version": 1, "sources": [{"id": "s", "citation": "test"}],
        "regions": [{"id": r, "name": r} for r in REGIONS], "techniques": {"t": "rub"},
        "targets": targets})


@settings(max_examples=30, deadline=None)
@given(st.randoms(use_true_random=False), st.integers(2, 120), st.booleans(),
       st.data())
def test_ranked_index_gives_the_oracles_items(rng: Any, n: int, last: bool,
                                              data: st.DataObject) -> None:
    kb = synthetic(rng, n, last)
    ids = sorted(t for t in kb.targets if t.startswith("z"))
    for _ in range(6):
        regions = data.draw(st.permutations(REGIONS))[:data.draw(st.integers(1, 4))]
        feet = data.draw(st.sampled_from([1, 2]))
        capacity = data.draw(st.integers(1, 200))
        effects = Screen(gentle=data.draw(st.booleans()),
                         excluded=frozenset(data.draw(st.lists(st.sampled_from(ids)))),
                         areas=PREGNANCY_AREAS if data.draw(st.booleans()) else ())
        tuning = Tuning(excluded=frozenset(data.draw(st.lists(st.sampled_from(ids)))))
        got = candidates(kb, regions, feet, capacity, effects, tuning)
        assert got == oracle(kb, regions, feet, capacity, effects, tuning)
        plain = candidates(kb, regions, feet, capacity, Screen(), Tuning())
        assert plain == oracle(kb, regions, feet, capacity, Screen(), Tuning())


@settings(max_examples=20, deadline=None)
@given(st.randoms(use_true_random=False), st.integers(2, 60), st.data())
def test_personal_weights_and_duplicate_regions_give_the_oracles_items(
        rng: Any, n: int, data: st.DataObject) -> None:
    kb = synthetic(rng, n, False)
    ids = sorted(t for t in kb.targets if t.startswith("z"))
    regions = data.draw(st.lists(st.sampled_from(REGIONS), min_size=1, max_size=5))
    tuning = Tuning(
        factors={(t, r): f for t, r, f in data.draw(st.lists(st.tuples(
            st.sampled_from(ids), st.sampled_from(REGIONS), st.sampled_from([0.5, 1.5]))))},
        favourites=frozenset(data.draw(st.lists(st.sampled_from(ids)))),
        bonus={t: 0.05 for t in data.draw(st.lists(st.sampled_from(ids)))})
    capacity = data.draw(st.integers(1, 200))
    assert candidates(kb, regions, 2, capacity, Screen(), tuning) == oracle(
        kb, regions, 2, capacity, Screen(), tuning)


def test_sums_of_three_relevances_follow_the_plans_order() -> None:
    # round(1e5 * sum) of 0.1, 0.2 and 2.5e-05 is 30002 or 30003 depending on the order
    import random

    kb = synthetic(random.Random(3), 40, False)
    data = kb._file.model_dump(exclude_none=True)
    data["targets"] = list(data["targets"])
    for i, relevances in enumerate([(0.1, 0.2, 2.5e-05), (0.2, 2.5e-05, 0.1)]):
        zone = dict(data["targets"][-1], id=f"odd{i}", name=f"Odd {i}", aliases=[])
        zone["serves"] = [{"region": r, "relevance": v, "evidence": "x", "sources": ["s"]}
                          for r, v in zip(REGIONS[:3], relevances, strict=True)]
        data["targets"].append(zone)
    kb = KnowledgeBase(data)
    weights = set()
    for regions in itertools.permutations(REGIONS[:3]):
        got = candidates(kb, list(regions), 2, 80, Screen(), Tuning())
        assert got == oracle(kb, list(regions), 2, 80, Screen(), Tuning())
        weights.add(next(it.weight for it in got[0] if it.id == "odd0"))
    assert weights == {30002, 30003}


def test_the_index_is_built_once_under_concurrent_first_use() -> None:
    import random

    kb = synthetic(random.Random(5), 300, True)
    results: list[object] = []

    def plan() -> None:
        results.append(candidates(kb, ["lumbar", "cervical"], 2, 80, Screen(), Tuning()))

    threads = [threading.Thread(target=plan) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    expected = oracle(kb, ["lumbar", "cervical"], 2, 80, Screen(), Tuning())
    assert results == [expected] * 8
    index = kb._class_index()
    assert kb._class_index() is index
    assert dataclasses.is_dataclass(Screen)


def test_orders_of_the_same_regions_share_an_index_when_weights_agree() -> None:
    import random

    kb = synthetic(random.Random(11), 80, False)
    served = frozenset(REGIONS[:2])
    ab = kb._ranked(served, ("cervical", "lumbar"), WEIGHT_SCALE, STRONG_RELEVANCE)
    assert kb._ranked(served, ("lumbar", "cervical"), WEIGHT_SCALE, STRONG_RELEVANCE) is ab
    for regions in (["lumbar", "cervical"], ["cervical", "lumbar"]):
        assert candidates(kb, regions, 2, 80, Screen(), Tuning()) == oracle(
            kb, regions, 2, 80, Screen(), Tuning())
