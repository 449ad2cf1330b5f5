"""A program's rotation bonus: computed on demand, read by the planner only as far as needed.

Each session's bonus is a read-only mapping worked out from ranks computed once per program
(``_program._Rotation``) and carries its bound (``ROTATION``), so the candidates stage reads
the ranked index only until nothing unread can enter (``planning._items._read_bounded``).
Programs must come out exactly as when every target is weighed with a dict of every bonus.
"""

from __future__ import annotations

import random
from datetime import date
from typing import Any
from unittest import mock

import pytest

import footreflex
from footreflex import KnowledgeBase, Profile
from footreflex._program import ROTATION, _Ids, _rotation, _rotation_order
from footreflex.planning import _items


def old_rotation(candidates: list[str], number: int) -> dict[str, float]:
    """The rotation as a dict of every candidate (before the on-demand mapping)."""
    n = len(candidates)
    if n < 2:
        return {}
    return {tid: ROTATION * ((rank + number) % n) / (n - 1)
            for rank, tid in enumerate(candidates)}


@pytest.mark.parametrize("n", [0, 1, 2, 3, 7, 50])
def test_the_rotation_mapping_is_the_old_dict(n: int) -> None:
    order = [f"t{i:03d}" for i in range(n)]
    for number in (1, 2, 7, n, n + 1, 366):
        old = old_rotation(order, number)
        new = _rotation(order, number)
        assert dict(new) == old and list(new) == list(old) and len(new) == len(old)
        for tid, value in old.items():
            assert new[tid] == value and new.get(tid) == value
            assert 0.0 <= value <= ROTATION
        assert new.get("nowhere", 0.0) == 0.0 and "nowhere" not in new
        if n >= 2:
            with pytest.raises(KeyError):
                new["nowhere"]


def synthetic(n_targets: int, seed: int, zero: bool = False) -> KnowledgeBase:
    """Random zones over the shipped regions (as ``benchmarks/bench_plan.py`` makes them);
    ``zero``: some edges of relevance 0 (in the rotation's order, never weighed)."""
    rng = random.Random(seed)
    shipped = footreflex.knowledge()
    targets: list[dict[str, Any]] = [
        t.model_dump(exclude_none=True) for t in (shipped.warmup, shipped.cooldown) if t]
    source = next(iter(shipped.sources))
    regions = sorted(shipped.regions)
    for i in range(n_targets):
        lo, default, hi = rng.choice([(15, 30, 60), (30, 60, 90), (30, 60, 120), (60, 90, 180)])
        targets.append({
            "id": f"zone_{i}", "kind": "zone", "name": f"Zone {i}", "location": "synthetic",
            "surfaces": [rng.choice(["plantar", "dorsal", "medial", "lateral"])],
            "position": {"along": rng.choice([0.05, rng.random()]), "across": rng.random(),
                         "height": rng.choice([0.2, 0.7, 1.5])},
            "technique": "press_hold", "instructions": "Press.",
            "seconds": {"min": lo, "default": default, "max": hi},
            "serves": [{"region": r, "relevance": rng.choice(
                [0.5, 0.6, 0.9, 1.0, 0.98, 0.0 if zero else 0.7, round(rng.uniform(0.1, 1), 2)]),
                        "evidence": "synthetic", "sources": [source]}
                       for r in rng.sample(regions, rng.randint(1, 2))],
            "sources": [source]})
    return KnowledgeBase({
        "schema_version": 1, "disclaimer": shipped.disclaimer,
        "sources": [s.model_dump() for s in shipped.sources.values()],
        "regions": [r.model_dump() for r in shipped.regions.values()],
        "techniques": dict(shipped.techniques), "targets": targets},
        origin=f"<synthetic {n_targets}>")


def profiles(kb: KnowledgeBase) -> list[Profile | None]:
    routine = footreflex.plan("lower back and neck", 20, knowledge=kb)
    tids = list(dict.fromkeys(s.target_id for s in routine.steps
                              if s.kind in ("point", "zone")))[:8]
    rated = Profile().record(routine, symptoms="lower back").rate(
        {t: ("helped", "did_not_help", "neutral")[i % 3] for i, t in enumerate(tids)},
        knowledge=kb)
    prefs = Profile().prefer(favourites=tids[-3:], exclude=tids[:1], pressure="light",
                             knowledge=kb)
    return [None, rated, prefs,
            rated.model_copy(update={"preferences": prefs.preferences})]


@pytest.mark.parametrize("n_targets, zero", [(0, False), (1500, False), (1500, True)])
def test_programs_are_the_same_as_weighing_every_target(n_targets: int, zero: bool) -> None:
    kb = footreflex.knowledge() if n_targets == 0 else synthetic(n_targets, 3, zero)
    for person in profiles(kb):
        for text, minutes, sessions in (("lower back", 20, 9), (["neck pain", "sciatica"], 10, 4),
                                        ("stiff neck and lower back pain", 45, 3)):
            for conditions in (None, ["pregnancy"]):
                args = (text, minutes, sessions, person)
                options: dict[str, Any] = {"knowledge": kb, "start": date(2026, 1, 1),
                                           "conditions": conditions}
                with mock.patch.object(_items, "_read_bounded",
                                       wraps=_items._read_bounded) as bounded:
                    got = footreflex.program(*args, **options)
                assert bounded.called == (n_targets > 0)  # the bounded read on a large base
                with mock.patch.object(_items, "_bound", lambda tuning: None):
                    # the bound ignored: every target weighed with every bonus, as before
                    assert footreflex.program(*args, **options) == got


@pytest.mark.parametrize("n_targets, zero", [(0, False), (300, False), (300, True)])
def test_the_rotation_order_is_every_treatment_target_by_id(n_targets: int, zero: bool) -> None:
    kb = footreflex.knowledge() if n_targets == 0 else synthetic(n_targets, 5, zero)
    regions = sorted(kb.regions)
    for size in range(1, len(regions) + 1):
        for chosen in (regions[:size], regions[-size:][::-1], regions[:size] + regions[:1]):
            old = sorted({t.id for r in chosen for t, _ in kb.candidates(r)
                          if t.role == "treatment"})
            order = _rotation_order(kb, chosen)
            assert isinstance(order, _Ids) == (len(set(chosen)) == 1 and not zero)
            assert list(order) == old and len(order) == len(old)
            assert [order[i] for i in range(len(old))] == old and list(order[1:3]) == old[1:3]
            for number in (1, 4):
                bonus = _rotation(order, number)
                assert dict(bonus) == old_rotation(old, number)
                assert all(tid in bonus for tid in old) and "nowhere" not in bonus
