"""Candidates: the knowledge base's targets for the regions asked for, as solver items.

Each candidate target becomes an :class:`~footreflex.planning.Item`:

* a treatment target (acupoint or zone) is done on each foot in turn, so choosing ``d`` units
  per foot costs ``feet * d`` units; it may be left out, or take between its minimum and its
  maximum seconds per foot (its default when pressure must be gentle);
* the general warm-up (mandatory) and cool-down are single "both feet" steps, so they can grow
  in single units between twice their per-foot minimum and twice their per-foot maximum.

An item's *weight* is the sum of its relevances to the regions asked for (a target that serves
two of them counts for both), each multiplied by the person's :class:`Tuning` factor; the
warm-up and cool-down use their ``value_weight``. A region is *covered* by a target whose
relevance to it is at least :data:`STRONG_RELEVANCE` (a weak side-edge does not count).

Before the solver, candidates that cannot matter are pruned without loss: among items of
identical shape (durations, step, regions covered) only the ``capacity // min`` heaviest can
be used at once.
"""

from __future__ import annotations

import heapq
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from footreflex.planning._solver import Item

if TYPE_CHECKING:
    from footreflex._knowledge import KnowledgeBase
    from footreflex._models import Target
    from footreflex.safety import Screen

__all__ = ["STRONG_RELEVANCE", "UNIT_S", "WEIGHT_SCALE", "Tuning", "candidates", "usable"]

UNIT_S = 15
"""Seconds per planning unit."""
STRONG_RELEVANCE = 0.5
"""Minimum relevance for a target to count as covering a region."""


WEIGHT_SCALE = 100_000
"""Weights are integers: relevance x factor in units of 1/100,000 (exact ties)."""


@dataclass(frozen=True)
class Tuning:
    """Personal adjustments to planning (from a :class:`~footreflex.Profile`).

    Attributes:
        factors: ``(target id, region id)`` -> multiplier of that edge's relevance in the
            weight (1 when absent). Coverage still uses the knowledge base's relevance.
        excluded: Target ids never to use ("never again").
        favourites: Target ids that win ties (one weight unit more).
        bonus: Target id -> small relative weight bonus (rotation between near-equal
            alternatives in a program).
        pressure: Preferred pressure shown in the instructions (never over a caution).
    """

    factors: Mapping[tuple[str, str], float] = field(default_factory=dict)
    excluded: frozenset[str] = frozenset()
    favourites: frozenset[str] = frozenset()
    bonus: Mapping[str, float] = field(default_factory=dict)
    pressure: str | None = None


def candidates(kb: KnowledgeBase, regions: Sequence[str], feet: int, capacity: int,
           effects: Screen, tuning: Tuning) -> tuple[list[Item], int]:
    region_bit = {r: 1 << i for i, r in enumerate(regions)}
    flag_bit = 1 << len(regions)
    weights: dict[str, float] = {}
    covers: dict[str, int] = {}
    excluded = effects.excluded | tuning.excluded
    factors = tuning.factors
    areas, targets = effects.areas, kb.targets
    for region in regions:
        bit = region_bit[region]
        # The knowledge base's typed index: treatments with relevance > 0, by id.
        for tid, relevance in kb._treatments(region):
            if tid in excluded or (areas and effects.avoids(targets[tid])):
                continue
            weight = relevance * factors.get((tid, region), 1.0) if factors else relevance
            weights[tid] = weights.get(tid, 0.0) + weight
            if relevance >= STRONG_RELEVANCE:
                covers[tid] = covers.get(tid, 0) | bit
    # Lossless pruning: among targets of identical shape (durations, step, regions covered)
    # only the capacity // min heaviest can ever be used at once; Items are built only for them.
    groups: dict[tuple[int, int, int, int], list[tuple[int, str]]] = {}
    shapes = kb._shapes
    bonus, favourites, gentle = tuning.bonus, tuning.favourites, effects.gentle
    for tid, total in weights.items():
        low, default, high = shapes[tid]
        if bonus or favourites:
            weight = round(WEIGHT_SCALE * total * (1.0 + bonus.get(tid, 0.0)))
            weight += 1 if tid in favourites else 0
        else:
            weight = round(WEIGHT_SCALE * total * 1.0)
        shape = (low, default, default if gentle else high, covers.get(tid, 0))
        groups.setdefault(shape, []).append((-weight, tid))
    kept: list[Item] = []
    for (low, default, top, bits), members in groups.items():
        lo = feet * low // UNIT_S
        limit = max(1, capacity // max(lo, 1))
        d, hi = feet * default // UNIT_S, feet * top // UNIT_S
        for negative, tid in (members if len(members) <= limit
                              else heapq.nsmallest(limit, members)):
            kept.append(Item(tid, -negative, lo, d, hi, feet, bits))
    kept.sort(key=lambda it: it.id)

    def general(target: Target, bits: int, mandatory: bool) -> Item:
        s = target.seconds
        top = s.default if effects.gentle else s.max
        return Item(id=target.id, weight=round(WEIGHT_SCALE * (target.value_weight or 0.0)),
                    lo=feet * s.min // UNIT_S, default=feet * s.default // UNIT_S,
                    hi=feet * top // UNIT_S, step=1, bits=bits, mandatory=mandatory)

    items = [general(kb.warmup, 0, True), *kept]
    if kb.cooldown is not None:
        items.append(general(kb.cooldown, flag_bit, False))
    return items, flag_bit


def usable(kb: KnowledgeBase, region: str, effects: Screen, tuning: Tuning) -> bool:
    return any(t.role == "treatment" and relevance > 0 and not effects.avoids(t)
               and t.id not in tuning.excluded for t, relevance in kb.candidates(region))
