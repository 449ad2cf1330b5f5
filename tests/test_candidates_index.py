"""The ranked index (``planning.candidates``) gives exactly the items of weighing every target,
on random knowledge bases, region sets and orders, with and without personal weights.

The oracle below is ``candidates`` as it was before the index (every treatment target of each
region weighed on every plan), kept verbatim as a test oracle. With personal weights the index
is read skipping the targets that have them, which are weighed one by one (``_personal``);
``always_ranked`` forces that path even where personal weights name many targets (where
``candidates`` would weigh every target instead).
"""

from __future__ import annotations

import dataclasses
import heapq
import itertools
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any
from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st

from footreflex import KnowledgeBase
from footreflex.planning import (
    STRONG_RELEVANCE,
    UNIT_S,
    WEIGHT_SCALE,
    Item,
    Tuning,
    _items,
    candidates,
)
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
            "location": "x",
            "surfaces": [rng.choice(["plantar", "dorsal", "medial", "lateral"])],
            # about one zone in six lies behind the ankle (pregnancy's caution area)
            "position": {"along": rng.choice([0.05, rng.random()]), "across": rng.random(),
                         "height": rng.choice([0.2, 0.7, 1.5])},
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
    # weighed one by one (a factor of 1, a favourite), they are summed in the same order
    for tuning in (Tuning(factors={("odd0", "sciatic"): 1.0, ("odd1", "lumbar"): 1.0}),
                   Tuning(favourites=frozenset({"odd0", "odd1"}))):
        weights = set()
        for regions in itertools.permutations(REGIONS[:3]):
            with always_ranked(), never_weigh_all():
                got = candidates(kb, list(regions), 2, 80, Screen(), tuning)
            assert got == oracle(kb, list(regions), 2, 80, Screen(), tuning)
            weights.add(next(it.weight for it in got[0] if it.id == "odd0"))
        assert weights == ({30002, 30003} if tuning.factors else {30003, 30004})


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


# ------------------------------------------------------------------------ personal weights
@contextmanager
def always_ranked() -> Iterator[None]:
    """``candidates`` reads the index however many targets personal weights name."""
    with mock.patch.object(_items, "_PERSONAL_SHARE", 0), \
            mock.patch.object(_items, "_PERSONAL_MIN_EDGES", 0):
        yield


@contextmanager
def never_weigh_all() -> Iterator[None]:
    """Fail if ``candidates`` weighs every target (used where the index path must be taken)."""
    def fail(*args: object) -> list[Item]:
        raise AssertionError("weighed every target")

    with mock.patch.object(_items, "_weigh_all", fail):
        yield


FACTORS = [0.0, 0.25, 0.5, 0.7, 0.999999, 1.0, 1.000001, 1.3, 1.5, 2.0, 4.0]
BONUSES = [0.0, 1e-9, 0.001, 0.01, 0.02, 0.05, -0.01, 0.3]


def draw_request(data: st.DataObject, ids: list[str]
                 ) -> tuple[list[str], int, int, Screen]:
    """Regions (1-4, in any order), feet, a capacity (often small, so the cuts bite) and the
    conditions' effects (gentle pressure, a few excluded targets, pregnancy's areas)."""
    regions = data.draw(st.permutations(REGIONS))[:data.draw(st.integers(1, 4))]
    feet = data.draw(st.sampled_from([1, 2]))
    capacity = data.draw(st.one_of(st.integers(1, 16), st.integers(1, 200)))
    effects = Screen(gentle=data.draw(st.booleans()),
                     excluded=frozenset(data.draw(st.lists(st.sampled_from(ids), max_size=4))),
                     areas=PREGNANCY_AREAS if data.draw(st.booleans()) else ())
    return regions, feet, capacity, effects


def personal_tuning(data: st.DataObject, ids: list[str], extra: list[str]) -> Tuning:
    """Random factors (either side of 1, on edges the target may not serve), bonuses and
    favourites, some on ids that are no treatment target (the warm-up, unknown ids)."""
    named = st.sampled_from(ids + extra)
    return Tuning(
        factors={(t, r): f for t, r, f in data.draw(st.lists(st.tuples(
            named, st.sampled_from(REGIONS), st.sampled_from(FACTORS)), max_size=8))},
        favourites=frozenset(data.draw(st.lists(named, max_size=4))),
        bonus={t: b for t, b in data.draw(st.lists(st.tuples(
            named, st.sampled_from(BONUSES)), max_size=6))},
        excluded=frozenset(data.draw(st.lists(st.sampled_from(ids), max_size=4))))


@settings(max_examples=60, deadline=None)
@given(st.randoms(use_true_random=False), st.integers(2, 150), st.booleans(), st.data())
def test_personal_weights_on_the_index_give_the_oracles_items(
        rng: Any, n: int, last: bool, data: st.DataObject) -> None:
    kb = synthetic(rng, n, last)
    ids = sorted(t for t in kb.targets if t.startswith("z"))
    for _ in range(5):
        regions, feet, capacity, effects = draw_request(data, ids)
        tuning = personal_tuning(data, ids, ["warmup", "cooldown", "nowhere"])
        expected = oracle(kb, regions, feet, capacity, effects, tuning)
        assert candidates(kb, regions, feet, capacity, effects, tuning) == expected
        with always_ranked():
            assert candidates(kb, regions, feet, capacity, effects, tuning) == expected


def tied_base(n: int) -> KnowledgeBase:
    """Zones of one shape and one relevance: every weight ties, ids break the ties."""
    import random

    kb = synthetic(random.Random(1), 2, False)
    data = kb._file.model_dump(exclude_none=True)
    template = next(t for t in data["targets"] if t["id"].startswith("z"))
    data["targets"] = [t for t in data["targets"] if not t["id"].startswith("z")]
    for i in range(n):
        zone = dict(template, id=f"t{i:03d}", name=f"Tied {i}", aliases=[],
                    seconds={"min": 30, "default": 60, "max": 90})
        zone["serves"] = [{"region": r, "relevance": 0.6, "evidence": "x", "sources": ["s"]}
                          for r in REGIONS[:2]]
        data["targets"].append(zone)
    return KnowledgeBase(data)


def test_personal_targets_that_tie_with_plain_ones_keep_the_id_order() -> None:
    kb = tied_base(60)
    regions = ["lumbar", "cervical"]
    # capacity 8, min 30 s on both feet = 4 units: the heaviest 2 of the group are kept
    cases = [
        Tuning(factors={("t010", "lumbar"): 1.0}),  # a factor of 1: ties, loses to t000, t001
        Tuning(factors={("t000", "lumbar"): 1.0, ("t001", "lumbar"): 0.5}),  # t002 moves up
        Tuning(factors={("t001", "cervical"): 0.9999}),  # one unit lighter: t002 in
        Tuning(factors={("t001", "cervical"): 0.999999}),  # rounds back to a tie: t001 stays
        Tuning(factors={("t059", "cervical"): 1.0001}),  # one unit heavier: the last id in
        Tuning(factors={("t059", "cervical"): 1.000001}),  # rounds back to a tie: out
        Tuning(favourites=frozenset({"t030"})),  # one unit more
        Tuning(bonus={"t040": 0.0, "t000": 0.0}),  # a zero bonus changes nothing
        Tuning(bonus={"t040": 1e-9}),  # too small to round up: ties
        Tuning(bonus={"t040": 1e-5}, favourites=frozenset({"t041"})),  # 1.2 and 1 unit up
        Tuning(factors={("t000", "lumbar"): 0.0}, excluded=frozenset({"t001"})),
        Tuning(bonus={"t000": -0.01, "t001": -0.01}),  # both pushed below the rest
        Tuning(favourites=frozenset({"t000", "t001", "t002"}), excluded=frozenset({"t000"})),
    ]
    chosen = set()
    for tuning in cases:
        for regions_ in (regions, regions[::-1], regions[:1]):
            for effects in (Screen(), Screen(gentle=True, excluded=frozenset({"t002"}))):
                expected = oracle(kb, regions_, 2, 8, effects, tuning)
                with always_ranked(), never_weigh_all():
                    assert candidates(kb, regions_, 2, 8, effects, tuning) == expected
                chosen.add(tuple(it.id for it in expected[0][1:-1]))
    # the cases do move the cut: tie-breaks by id, pushed in and out by a unit
    assert {("t000", "t001"), ("t000", "t002"), ("t000", "t059"), ("t000", "t030"),
            ("t040", "t041"), ("t002", "t003"), ("t001", "t003")} <= chosen


def test_a_few_personal_weights_read_the_index_on_a_large_base() -> None:
    import random

    kb = synthetic(random.Random(21), 1500, True)
    ids = sorted(t for t in kb.targets if t.startswith("z"))
    rng = random.Random(4)
    for _ in range(40):
        regions = rng.sample(REGIONS, rng.randint(1, 4))
        tuning = Tuning(
            factors={(rng.choice(ids), rng.choice(REGIONS)): rng.choice(FACTORS)
                     for _ in range(rng.randint(0, 12))},
            favourites=frozenset(rng.sample(ids, rng.randint(0, 3))),
            bonus={t: rng.choice(BONUSES) for t in rng.sample(ids, rng.randint(0, 5))},
            excluded=frozenset(rng.sample(ids, rng.randint(0, 3))))
        effects = Screen(gentle=rng.random() < 0.3,
                         areas=PREGNANCY_AREAS if rng.random() < 0.3 else ())
        capacity = rng.randint(1, 240)
        expected = oracle(kb, regions, 2, capacity, effects, tuning)
        with never_weigh_all():
            assert candidates(kb, regions, 2, capacity, effects, tuning) == expected


def test_a_bonus_on_every_candidate_weighs_every_target() -> None:
    # a program's rotation names every candidate: reading the index would skip them all
    import random

    kb = synthetic(random.Random(8), 200, False)
    ids = sorted(t for t in kb.targets if t.startswith("z"))
    tuning = Tuning(bonus={t: 0.02 * i / len(ids) for i, t in enumerate(ids)})
    assert _items._personal(kb, ["lumbar"], tuning) is None
    assert _items._personal(kb, ["lumbar"], Tuning()) == frozenset()
    expected = oracle(kb, ["lumbar", "sciatic"], 2, 80, Screen(), tuning)
    assert candidates(kb, ["lumbar", "sciatic"], 2, 80, Screen(), tuning) == expected
    with always_ranked():
        assert candidates(kb, ["lumbar", "sciatic"], 2, 80, Screen(), tuning) == expected


# ----------------------------------------------------------------- bounded bonus (programs)
BOUNDS = [0.0, 1e-5, 3e-5, 0.02, 0.05]


def bounded_bonus(data: st.DataObject, ids: list[str], bound: float) -> dict[str, float]:
    """A bonus on (nearly) every id in ``[0, bound]``: ties, 0 and ``bound`` exactly, and
    values that put ``WEIGHT_SCALE * total * (1 + b)`` on a half unit (1e-5 on 0.5)."""
    values = [0.0, bound, bound / 2, bound * (1 - 1e-12), 1e-5, 2e-5, 1e-9]
    values = [v for v in values if 0.0 <= v <= bound]
    chosen = data.draw(st.lists(st.sampled_from(values), min_size=len(ids),
                                max_size=len(ids)))
    every = data.draw(st.booleans())
    return {t: b for t, b in zip(ids, chosen, strict=True) if every or b}


@settings(max_examples=60, deadline=None)
@given(st.randoms(use_true_random=False), st.integers(2, 150), st.booleans(), st.data())
def test_a_bounded_bonus_on_the_index_gives_the_oracles_items(
        rng: Any, n: int, last: bool, data: st.DataObject) -> None:
    kb = synthetic(rng, n, last)
    ids = sorted(t for t in kb.targets if t.startswith("z"))
    for _ in range(5):
        regions, feet, capacity, effects = draw_request(data, ids)
        bound = data.draw(st.sampled_from(BOUNDS))
        personal = personal_tuning(data, ids, ["warmup", "cooldown", "nowhere"])
        tuning = dataclasses.replace(personal, bonus=bounded_bonus(data, ids, bound),
                                     bonus_bound=bound)
        expected = oracle(kb, regions, feet, capacity, effects, tuning)
        assert candidates(kb, regions, feet, capacity, effects, tuning) == expected
        with always_ranked():
            assert candidates(kb, regions, feet, capacity, effects, tuning) == expected


def test_a_bounded_bonus_keeps_the_id_order_of_ties() -> None:
    kb = tied_base(60)
    ids = sorted(t for t in kb.targets if t.startswith("t"))
    cases = [
        ({}, 0.02),  # bonus 0 everywhere (every weight ties): ids decide
        ({t: 0.02 for t in ids}, 0.02),  # all at the bound: ties again
        ({"t059": 0.02, "t058": 0.02}, 0.02),  # the last ids move up
        ({"t059": 1e-9}, 0.02),  # too small to round up: no change
        ({"t050": 1e-5 / 1.2, "t051": 1e-5}, 1e-5),  # rounds up by one unit, at the bound
        ({t: 0.02 * i / 59 for i, t in enumerate(ids)}, 0.02),  # a rotation: t059 leads
        ({t: 0.02 * ((i + 7) % 60) / 59 for i, t in enumerate(ids)}, 0.02),
    ]
    chosen = set()
    for bonus, bound in cases:
        for extra in (Tuning(), Tuning(favourites=frozenset({"t030"})),
                      Tuning(factors={("t001", "lumbar"): 1.5}, excluded=frozenset({"t059"}))):
            tuning = dataclasses.replace(extra, bonus={"t000": 0.0, **bonus}, bonus_bound=bound)
            for regions in (["lumbar", "cervical"], ["cervical", "lumbar"], ["lumbar"]):
                for effects in (Screen(), Screen(gentle=True, excluded=frozenset({"t002"}))):
                    for capacity in (4, 8, 13, 40):
                        expected = oracle(kb, regions, 2, capacity, effects, tuning)
                        with always_ranked(), never_weigh_all():
                            got = candidates(kb, regions, 2, capacity, effects, tuning)
                        assert got == expected
                        chosen.add(tuple(it.id for it in expected[0][1:-1]))
    assert {("t000", "t001"), ("t058", "t059"), ("t050", "t051"), ("t051", "t052")} <= chosen


class Counting(dict[str, float]):
    """A bonus that counts the targets it is asked about."""

    asked = 0

    def get(self, key: str, default: Any = None) -> Any:
        Counting.asked += 1
        return super().get(key, default)


def test_a_bounded_bonus_reads_the_index_only_as_far_as_needed() -> None:
    import random

    kb = synthetic(random.Random(22), 3000, True)
    ids = sorted(t for t in kb.targets if t.startswith("z"))
    rng = random.Random(5)
    asked = named = 0
    for _ in range(30):
        regions = rng.sample(REGIONS, rng.randint(1, 4))
        bonus = Counting({t: 0.02 * rng.randrange(50) / 49 for t in ids})
        tuning = Tuning(bonus=bonus, bonus_bound=0.02,
                        favourites=frozenset(rng.sample(ids, rng.randint(0, 3))),
                        factors={(rng.choice(ids), rng.choice(REGIONS)): rng.choice(FACTORS)
                                 for _ in range(rng.randint(0, 6))},
                        excluded=frozenset(rng.sample(ids, rng.randint(0, 3))))
        effects = Screen(gentle=rng.random() < 0.3,
                         areas=PREGNANCY_AREAS if rng.random() < 0.3 else ())
        capacity = rng.randint(1, 16)
        expected = oracle(kb, regions, 2, capacity, effects, tuning)
        Counting.asked = 0
        with never_weigh_all():
            assert candidates(kb, regions, 2, capacity, effects, tuning) == expected
        asked += Counting.asked
        named += len({tid for r in regions for tid, _ in kb._treatments(r)})
    assert asked < named // 2  # the bonus is asked about a part of the candidates only
    # without a bound the bonus names every candidate: every target is weighed
    unbounded = Tuning(bonus=dict.fromkeys(ids, 0.01))
    assert _items._personal(kb, ["lumbar"], unbounded) is None
    assert _items._personal(kb, ["lumbar"], dataclasses.replace(
        unbounded, bonus_bound=0.02)) == frozenset()
