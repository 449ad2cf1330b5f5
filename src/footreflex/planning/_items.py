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

import bisect
import heapq
from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from footreflex.planning._solver import Item, _item

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
_PERSONAL_SHARE = 4
"""Personal weights naming more than 1/this of a plan's candidate edges: weigh every target."""
_PERSONAL_MIN_EDGES = 128
"""Fewer candidate edges than this: weigh every target (cheaper than reading the index)."""


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
        bonus_bound: Optional: no value of ``bonus`` exceeds it (a program's
            :data:`~footreflex.ROTATION`). Then ``bonus`` is read only for the targets the
            planner reads from the ranked index, so it may be a mapping computed on demand.
    """

    factors: Mapping[tuple[str, str], float] = field(default_factory=dict)
    excluded: frozenset[str] = frozenset()
    favourites: frozenset[str] = frozenset()
    bonus: Mapping[str, float] = field(default_factory=dict)
    pressure: str | None = None
    bonus_bound: float | None = None


def candidates(kb: KnowledgeBase, regions: Sequence[str], feet: int, capacity: int,
               effects: Screen, tuning: Tuning) -> tuple[list[Item], int]:
    """The solver items for a plan: the warm-up, the treatment targets kept, the cool-down.

    The targets come from the knowledge base's ranked index (:meth:`KnowledgeBase._ranked`):
    only the heaviest ``capacity // min`` of each shape are read (skipping excluded and
    avoided ones), so the cost does not grow with the number of targets. The few targets
    with personal weights (factors, favourites, a bonus without a bound) are skipped there and
    weighed one by one, then cut with their groups. A bonus with a bound
    (``tuning.bonus_bound``, a program's rotation) names every candidate: each group is
    then read, with the bonus, only until its ``capacity // min``-th best beats every unread
    target's weight at the bound. When personal weights name many targets, or the base is
    small, every target serving a region is weighed instead. All give the same items.

    Args:
        kb: The knowledge base.
        regions: Region ids, in the plan's order (region ``i`` is bit ``1 << i``).
        feet: Feet massaged (1 or 2).
        capacity: The budget in units (:data:`UNIT_S`).
        effects: The declared conditions' effects (exclusions, caution areas, gentle).
        tuning: Personal adjustments.

    Returns:
        The items (the warm-up first, then treatments by id, then the cool-down if any) and
        the cool-down's flag bit (``1 << len(regions)``).
    """
    region_bit = {r: 1 << i for i, r in enumerate(regions)}
    personal = _personal(kb, regions, tuning)
    if personal is None or len(region_bit) < len(regions):
        kept = _weigh_all(kb, regions, region_bit, feet, capacity, effects, tuning)
    else:
        kept = _ranked(kb, regions, region_bit, feet, capacity, effects, tuning, personal)
    flag_bit = 1 << len(regions)

    def general(target: Target, bits: int, mandatory: bool) -> Item:
        s = target.seconds
        top = s.default if effects.gentle else s.max
        return _item(target.id, round(WEIGHT_SCALE * (target.value_weight or 0.0)),
                     feet * s.min // UNIT_S, feet * s.default // UNIT_S, feet * top // UNIT_S, 1,
                     bits, mandatory)

    items = [general(kb.warmup, 0, True), *kept]
    if kb.cooldown is not None:
        items.append(general(kb.cooldown, flag_bit, False))
    return items, flag_bit


def _personal(kb: KnowledgeBase, regions: Sequence[str], tuning: Tuning) -> Set[str] | None:
    """The target ids with personal weights (empty without any), None when they are many.

    A target named by no factor, bonus or favourite weighs exactly what it weighs in a plan
    without personal weights (its relevances times 1.0, its weight times ``1.0 + 0.0``, no
    favourite's unit), so only these need weighing one by one. When they outnumber a
    :data:`_PERSONAL_SHARE`-th of the candidate edges (a program's rotation bonus names every
    candidate), or on a small base (fewer than :data:`_PERSONAL_MIN_EDGES` candidate edges,
    such as the shipped one), weighing every target is cheaper.
    """
    factors, bonus, favourites = tuning.factors, tuning.bonus, tuning.favourites
    if _bound(tuning) is not None:
        bonus = {}  # bounded: read with the index (see _read_bounded), not one by one
    if not (factors or bonus or favourites or tuning.bonus):
        return frozenset()
    named = len(factors) + len(bonus) + len(favourites)
    edges = sum(len(kb._treatments(region)) for region in regions)
    if edges < max(_PERSONAL_MIN_EDGES, named * _PERSONAL_SHARE):
        return None
    return {tid for tid, _region in factors} | set(bonus) | favourites


def _bound(tuning: Tuning) -> float | None:
    """The bound of a non-empty bonus that has a usable one (0 <= bound < 1), else None."""
    bound = tuning.bonus_bound
    if bound is None or not tuning.bonus or not 0.0 <= bound < 1.0:
        return None
    return bound


def _weigh_all(kb: KnowledgeBase, regions: Sequence[str], region_bit: Mapping[str, int],
               feet: int, capacity: int, effects: Screen, tuning: Tuning) -> list[Item]:
    """Weigh every treatment target serving a region; keep the heaviest of each shape."""
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
    return _keep(groups, feet, capacity)


def _ranked(kb: KnowledgeBase, regions: Sequence[str], region_bit: Mapping[str, int],
            feet: int, capacity: int, effects: Screen, tuning: Tuning,
            personal: Set[str] = frozenset()) -> list[Item]:
    """The same items as :func:`_weigh_all`, from the ranked index and ``personal`` apart.

    A target's weight and coverage depend only on the regions asked for that it serves (its
    class, intersected with them, summed in the plan's order), so each class's ranked groups
    are read from the knowledge base and mapped onto the plan's bits; a group reads its
    members heaviest first and stops after ``capacity // min`` usable ones (skipping
    excluded and avoided targets). Groups of different classes (or, with gentle pressure,
    of different maxima) that land on the same shape are merged and cut again.

    The targets in ``personal`` (every target with a personal weight) are skipped while
    reading, so each group yields its heaviest ``capacity // min`` usable targets *without*
    personal weights, whose weights are those of a plain plan. Each personal target is then
    weighed as :func:`_weigh_all` weighs it (relevances in the plan's order, times their
    factors, then the bonus and the favourite's unit; coverage from the relevances) and joins
    its shape's group. Exact: a target of a group's heaviest ``k`` that has no personal
    weight has fewer than ``k`` heavier usable targets without one, so it was read; the cut
    in :func:`_keep` then orders the union by the same ``(-weight, id)`` keys.
    """
    excluded = effects.excluded | tuning.excluded
    areas, targets, gentle = effects.areas, kb.targets, effects.gentle
    bound = _bound(tuning)
    seen: set[frozenset[str]] = set()
    groups: dict[tuple[int, int, int, int], Sequence[tuple[int, str]]] = {}
    merged: dict[tuple[int, int, int, int], list[tuple[int, str]]] = {}
    single = len(regions) == 1  # then every class's mask is the plan's
    for region in regions:
        for served in kb._classes(region):
            if served in seen:
                continue
            seen.add(served)
            if single:
                among: tuple[str, ...] = (region,)
            else:
                among = tuple([r for r in regions if r in served])
                bits = [region_bit[r] for r in sorted(among)]  # the index's mask order
            for (low, default, high, mask), members in kb._ranked(
                    served, among, WEIGHT_SCALE, STRONG_RELEVANCE).items():
                lo = feet * low // UNIT_S
                limit = capacity // lo if lo > 1 else capacity
                if limit < 1:
                    limit = 1
                taken: Sequence[tuple[int, str]]
                if bound is not None:
                    taken = _read_bounded(kb, members, among, limit, bound, tuning.bonus,
                                          personal, excluded, effects)
                elif excluded or areas or personal:
                    kept: list[tuple[int, str]] = []
                    for member in members:
                        tid = member[1]
                        if tid in personal or tid in excluded or (
                                areas and effects.avoids(targets[tid])):
                            continue
                        kept.append(member)
                        if len(kept) == limit:
                            break
                    taken = kept
                else:
                    taken = members[:limit]  # (read only, like the index)
                if not taken:
                    continue
                if single:
                    cover = mask  # bit 0 of both
                else:
                    cover = 0
                    for i, bit in enumerate(bits):
                        if mask >> i & 1:
                            cover |= bit
                shape = (low, default, default if gentle else high, cover)
                group = groups.get(shape)
                if group is None:
                    groups[shape] = taken
                else:  # classes landing on the same shape: merged, sorted again below
                    together = merged.get(shape)
                    if together is None:
                        together = groups[shape] = merged[shape] = list(group)
                    together.extend(taken)
    for tid in personal:
        weighed = _weigh_one(kb, tid, regions, region_bit, effects, tuning, excluded)
        if weighed is None:
            continue
        shape, member = weighed
        group = groups.get(shape)
        if group is None:
            groups[shape] = merged[shape] = [member]
            continue
        together = merged.get(shape)
        if together is None:
            together = groups[shape] = merged[shape] = list(group)
        together.append(member)
    for together in merged.values():
        together.sort()
    return _keep(groups, feet, capacity)


def _read_bounded(kb: KnowledgeBase, members: Sequence[tuple[int, str]],
                  among: tuple[str, ...], limit: int, bound: float, bonus: Mapping[str, float],
                  personal: Set[str], excluded: Set[str],
                  effects: Screen) -> list[tuple[int, str]]:
    """A ranked group's ``limit`` best ``(-weight, id)`` with a bonus of at most ``bound``.

    ``members`` are ``(-base weight, id)``, sorted, where the base weight is
    ``round(WEIGHT_SCALE * total * 1.0)`` and ``total`` the relevances to ``among`` summed in
    the plan's order. Each member read (not in ``personal``, excluded or avoided) is weighed
    as :func:`_weigh_all` weighs it: ``round(WEIGHT_SCALE * total * (1.0 + bonus))``. The
    read stops before a member whose base weight ``w`` bounds every unread weight below the
    ``limit``-th best kept: ``WEIGHT_SCALE * total <= w + 0.5``, so with a bonus
    ``b <= bound`` and float rounding (relative error far below ``1e-12`` at these sizes) an
    unread weight is at most ``(w + 0.5) * (1 + bound) + 0.5 < (w + 1) * (1 + bound)``,
    below ``int((w + 1) * (1.0 + bound)) + 1``. The kept weight must be strictly greater,
    so no tie broken by id can bring an unread member in. Returns the kept, sorted.
    """
    kept: list[tuple[int, str]] = []
    grow = 1.0 + bound
    areas, targets, relevance_sum = effects.areas, kb.targets, kb._relevance_sum
    for negative, tid in members:
        if len(kept) == limit and -kept[-1][0] > int((1 - negative) * grow) + 1:
            break
        if tid in personal or tid in excluded or (areas and effects.avoids(targets[tid])):
            continue
        total = relevance_sum(tid, among)
        key = (-round(WEIGHT_SCALE * total * (1.0 + bonus.get(tid, 0.0))), tid)
        if len(kept) < limit:
            bisect.insort(kept, key)
        elif key < kept[-1]:
            bisect.insort(kept, key)
            kept.pop()
    return kept


def _weigh_one(kb: KnowledgeBase, tid: str, regions: Sequence[str],
               region_bit: Mapping[str, int], effects: Screen, tuning: Tuning,
               excluded: Set[str]) -> tuple[tuple[int, int, int, int], tuple[int, str]] | None:
    """A target's shape and ``(-weight, id)`` as :func:`_weigh_all` makes them, or None.

    None when ``tid`` is no treatment target, is excluded or avoided, or serves none of the
    regions with relevance > 0 (then :func:`_weigh_all` never sees it).
    """
    target = kb.targets.get(tid)
    if target is None or target.role != "treatment" or tid in excluded or (
            effects.areas and effects.avoids(target)):
        return None
    relevances = {edge.region: float(edge.relevance) for edge in target.serves}
    factors = tuning.factors
    total, cover, serves = 0.0, 0, False
    for region in regions:  # summed in the plan's order, from 0.0, as _weigh_all sums
        relevance = relevances.get(region)
        if relevance is None or not relevance > 0:
            continue
        serves = True
        total += relevance * factors.get((tid, region), 1.0) if factors else relevance
        if relevance >= STRONG_RELEVANCE:
            cover |= region_bit[region]
    if not serves:
        return None
    bonus, favourites = tuning.bonus, tuning.favourites
    if bonus or favourites:
        weight = round(WEIGHT_SCALE * total * (1.0 + bonus.get(tid, 0.0)))
        weight += 1 if tid in favourites else 0
    else:
        weight = round(WEIGHT_SCALE * total * 1.0)
    low, default, high = kb._shapes[tid]
    return (low, default, default if effects.gentle else high, cover), (-weight, tid)


def _keep(groups: Mapping[tuple[int, int, int, int], Sequence[tuple[int, str]]], feet: int,
          capacity: int) -> list[Item]:
    """Items for the ``capacity // min`` heaviest of each group (ties: by id), by id."""
    kept: list[tuple[str, int, int, int, int, int]] = []
    for (low, default, top, bits), members in groups.items():
        lo = feet * low // UNIT_S
        limit = max(1, capacity // max(lo, 1))
        d, hi = feet * default // UNIT_S, feet * top // UNIT_S
        for negative, tid in (members if len(members) <= limit
                              else heapq.nsmallest(limit, members)):
            kept.append((tid, -negative, lo, d, hi, bits))
    kept.sort()  # by id: a target is in one group only, so ids differ
    return [_item(tid, weight, lo, d, hi, feet, bits) for tid, weight, lo, d, hi, bits in kept]

def usable(kb: KnowledgeBase, region: str, effects: Screen, tuning: Tuning) -> bool:
    """Can a plan use ``region``: does a treatment target serve it that is not left out?

    Args:
        kb: The knowledge base.
        region: A region id.
        effects: The declared conditions' effects (exclusions, caution areas).
        tuning: Personal adjustments (exclusions).

    Returns:
        True when some treatment target with relevance > 0 to ``region`` is neither excluded
        nor in a caution area (stops at the first one).
    """
    targets, excluded = kb.targets, tuning.excluded
    treatments = kb._treatments(region)
    if not (excluded or effects.excluded or effects.areas):  # nothing is left out
        return bool(treatments)
    return any(tid not in excluded and not effects.avoids(targets[tid])
               for tid, _relevance in treatments)
