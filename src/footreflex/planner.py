"""Choose targets and durations under a time budget, then order them on the foot.

The planning model
------------------
Time is counted in units of 15 seconds. Every candidate target becomes an *item*:

* a treatment target (acupoint or zone) is done on each foot in turn, so choosing ``d`` units
  per foot costs ``feet * d`` units; it may be left out, or take between its minimum and its
  maximum seconds per foot;
* the general warm-up (mandatory) and cool-down are single "both feet" steps, so they can grow
  in single units between twice their per-foot minimum and twice their per-foot maximum.

An item's *weight* is the sum of its relevances to the regions asked for (a target that serves
two of them counts for both); the warm-up and cool-down use their ``value_weight``.
Its *value* for ``t`` units of total time is ``weight * (min(t, default) + 0.5 * max(0, t -
default))``: time up to the target's default duration counts fully, time past it counts half
(diminishing returns), so a routine prefers several good targets to one held forever.

Selection maximises, lexicographically:

1. the warm-up, always (no routine without it);
2. the number of regions asked for that are *covered*: served by at least one chosen target
   whose relevance to that region is at least 0.5 (a weak side-edge does not count); when
   not all fit, regions named earlier win;
3. the cool-down, at its minimum or more, whenever it still fits after (1) and (2);
4. the total value.

This is solved exactly by dynamic programming over (regions covered, cool-down chosen, units
used). Values are integers (weights in thousandths), so ties are exact, and they are broken
deterministically (items are visited in id order; among equal optima the shortest routine
wins). Before the DP, candidates that cannot matter are pruned without loss: among items of
identical shape (durations, step, regions covered) only the ``capacity // min`` heaviest can be
used at once.

Ordering: the warm-up first; then the chosen treatment targets on the right foot, then the
same sequence on the left foot (the seed article starts with the right foot); the cool-down
last. The sequence on a foot is a nearest-neighbour path over the targets' diagram positions
(graph node attributes ``along``, ``across``, ``height``), starting from the target nearest the
heel, where a move between targets that share no foot surface costs 0.5 extra, so the hands
move little. Ties are broken by target id.
"""

from __future__ import annotations

import heapq
import math
import numbers
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from footreflex._text import duration, plural, relevance_words
from footreflex.errors import (
    MAX_SYMPTOM_CHARS,
    BudgetError,
    InvalidArgumentError,
    SeekCareError,
    TextTooLongError,
    UnknownSymptomError,
)
from footreflex.knowledgebase import KnowledgeBase
from footreflex.knowledgebase import knowledge as _shipped
from footreflex.models import Foot, Routine, Source, Step, StepKind, Target
from footreflex.safety import (
    Screen,
    check_answers,
    detect_conditions,
    rules,
    screen,
    triage,
    watch_for,
)
from footreflex.symptoms import resolve_many

if TYPE_CHECKING:
    from footreflex.profile import Profile

__all__ = ["Item", "Selection", "Tuning", "plan", "plan_with", "select"]

UNIT_S = 15
"""Seconds per planning unit."""
STRONG_RELEVANCE = 0.5
"""Minimum relevance for a target to count as covering a region."""
SURFACE_CHANGE_COST = 0.5
"""Extra distance charged for moving to a target on another foot surface."""
_NEG = -(1 << 62)  # "infeasible": far below any reachable value, even after additions


@dataclass(frozen=True)
class Item:
    """A selectable item of the knapsack (see the module docstring).

    Attributes:
        id: Target id.
        weight: Weight in thousandths (relevance sum, or the general massage's weight).
        lo: Minimum total units when chosen.
        default: Total units past which time counts half.
        hi: Maximum total units.
        step: Units per increment (the number of feet for treatments, 1 for general steps).
        bits: Bits set in the state when chosen (covered regions; the cool-down flag).
        mandatory: The item must be chosen (the warm-up).
    """

    id: str
    weight: int
    lo: int
    default: int
    hi: int
    step: int
    bits: int = 0
    mandatory: bool = False

    def value(self, units: int) -> int:
        """Return the value of ``units`` total units, in half-weight units."""
        if units <= 0:
            return 0
        return self.weight * (2 * min(units, self.default) + max(0, units - self.default))

    def options(self, capacity: int) -> list[tuple[int, int]]:
        """Return ``(cost, value)`` for every allowed length that fits ``capacity``."""
        return [(c, self.value(c)) for c in range(self.lo, min(self.hi, capacity) + 1, self.step)]


@dataclass(frozen=True)
class Selection:
    """The optimum the DP found.

    Attributes:
        units: Chosen items and their total units, in item order.
        mask: State bits of the chosen set.
        value: Total value.
    """

    units: dict[str, int]
    mask: int
    value: int

    @property
    def cost(self) -> int:
        """Total units used."""
        return sum(self.units.values())


Key = tuple[int, int, int, int, int]


WEIGHT_SCALE = 100_000
"""Weights are integers: relevance x factor in units of 1/100,000 (exact ties)."""


@dataclass(frozen=True)
class Tuning:
    """Personal adjustments to planning (from a :class:`~footreflex.profile.Profile`).

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


def objective(mask: int, value: int, cost: int, region_bits: int, flag_bit: int) -> Key:
    """Return the lexicographic objective of a selection (larger is better).

    Args:
        mask: State bits of the selection (bit ``i`` = the ``i``-th region asked for).
        value: Its value.
        cost: Units it uses (fewer wins among equals).
        region_bits: Bits that stand for regions.
        flag_bit: Bit that stands for the cool-down.

    Returns:
        ``(regions covered, earlier-named regions covered first, cool-down chosen, value,
        -cost)``.
    """
    covered = mask & region_bits
    n = region_bits.bit_length()
    priority = sum(1 << (n - 1 - i) for i in range(n) if covered >> i & 1)
    return (covered.bit_count(), priority, int(bool(mask & flag_bit)), value, -cost)


def select(items: Sequence[Item], capacity: int, region_bits: int, flag_bit: int = 0
           ) -> Selection | None:
    """Choose items and their lengths to maximise :func:`objective` within ``capacity``.

    A fast path first solves the problem with the cool-down made mandatory and coverage
    ignored (one DP state instead of one per coverage pattern). If that optimum covers every
    region and holds the cool-down, it is also the lexicographic optimum (nothing can cover
    more, and it has the highest value among solutions with the cool-down), so it is
    returned; otherwise the full DP over coverage states decides.

    Args:
        items: Items in visiting order.
        capacity: Units available.
        region_bits: Bits of ``Item.bits`` that stand for regions.
        flag_bit: Bit that stands for the cool-down.

    Returns:
        The optimal selection, or ``None`` when the mandatory items do not fit.
    """
    relaxed = [Item(it.id, it.weight, it.lo, it.default, it.hi, it.step, 0,
                    it.mandatory or bool(it.bits & flag_bit)) for it in items]
    fast = _solve_split(relaxed, capacity)
    if fast is _NOT_APPLICABLE:
        fast = _solve(relaxed, capacity, 0, 0)
    if fast is not None:
        mask = 0
        for item in items:
            if item.id in fast.units:
                mask |= item.bits
        wanted = region_bits | (flag_bit if any(it.bits & flag_bit for it in items) else 0)
        if mask & wanted == wanted:
            return Selection(fast.units, mask, fast.value)
    return _solve(items, capacity, region_bits, flag_bit)


_Rows = dict[int, list[int]]


def _table(items: Sequence[Item], capacity: int) -> tuple[list[_Rows], _Rows]:
    """Forward DP: best value per (state bits, exact units used), and every layer."""
    size = capacity + 1
    best: _Rows = {0: [0] + [_NEG] * capacity}
    layers: list[_Rows] = []
    for item in items:
        layers.append(best)
        options = item.options(capacity)
        new: _Rows = {}
        if not item.mandatory:
            for mask, row in best.items():
                new[mask] = row[:]
        for mask, row in best.items():
            out_mask = mask | item.bits
            out = new.get(out_mask)
            if out is None:
                out = new[out_mask] = [_NEG] * size
            first = next((c for c, v in enumerate(row) if v > _NEG), size)  # reachable from
            reach = row[first:]
            for cost, value in options:
                # out[c] = max(out[c], row[c - cost] + value), in C (map); the table holds
                # values only, so which side wins a tie cannot matter.
                lo = first + cost
                if lo >= size:
                    break
                out[lo:] = map(max, out[lo:], map(value.__add__, reach[:size - lo]))
        best = new
    return layers, best


def _trace(items: Sequence[Item], layers: Sequence[_Rows], mask: int, cost: int,
           value: int) -> dict[str, int]:
    """Walk the layers back from (mask, cost, value) to the units of each chosen item."""
    units: dict[str, int] = {}
    for item, before in zip(reversed(items), reversed(layers), strict=True):
        found = False
        if not item.mandatory:
            same = before.get(mask)
            if same is not None and same[cost] == value:
                found = True
        if not found:
            for prev_mask, row in before.items():
                if prev_mask | item.bits != mask:
                    continue
                for c, v in item.options(cost):
                    if row[cost - c] + v == value:
                        units[item.id] = c
                        mask, cost, value = prev_mask, cost - c, value - v
                        found = True
                        break
                if found:
                    break
        if not found:  # pragma: no cover - the forward pass guarantees a predecessor
            raise AssertionError("DP reconstruction failed")
    return units


def _solve(items: Sequence[Item], capacity: int, region_bits: int, flag_bit: int
           ) -> Selection | None:
    """The exact DP over (state bits, units used); see :func:`select`."""
    layers, best = _table(items, capacity)
    chosen: tuple[Key, int, int] | None = None
    for mask, row in best.items():
        top = max(row)
        if top < 0:
            continue
        cost = row.index(top)  # the shortest among equal values
        key = objective(mask, top, cost, region_bits, flag_bit)
        if chosen is None or key > chosen[0]:
            chosen = (key, mask, cost)
    if chosen is None:
        return None
    _, mask, cost = chosen
    value = best[mask][cost]
    units = _trace(items, layers, mask, cost, value)
    ordered = {item.id: units[item.id] for item in items if item.id in units}
    return Selection(ordered, mask, value)


_NOT_APPLICABLE = Selection({}, -1, -1)


def _solve_split(items: Sequence[Item], capacity: int) -> Selection | None:
    """The relaxed problem (no state bits) solved in two halves, exactly.

    Items of step 2 (treatments on both feet) only ever use even numbers of units, so their
    DP runs on half the capacity in pairs of units (weights doubled, values unchanged); the
    step-1 items (the warm-up and cool-down) get their own small DP; the two tables are then
    combined over every split of the capacity. Same optimum and tie-break (highest value,
    then fewest units) as :func:`_solve`, for about half the work.

    Returns:
        The selection, ``None`` when infeasible, or ``_NOT_APPLICABLE`` when the items do not
        have that shape (the caller then uses :func:`_solve`).
    """
    ones = [it for it in items if it.step == 1]
    twos = [it for it in items if it.step == 2]
    if (not twos or len(ones) + len(twos) != len(items) or any(it.bits for it in items)
            or any(it.mandatory or it.lo % 2 or it.default % 2 or it.hi % 2 for it in twos)):
        return _NOT_APPLICABLE
    halves = [Item(it.id, it.weight * 2, it.lo // 2, it.default // 2, it.hi // 2, 1, it.bits,
                   it.mandatory) for it in twos]
    layers1, best1 = _table(ones, capacity)
    layers2, best2 = _table(halves, capacity // 2)
    row1, row2 = best1[0], best2[0]
    prefix: list[tuple[int, int]] = []  # best (value, cost) using at most x units
    top_value, top_cost = _NEG, -1
    for cost, value in enumerate(row1):
        if value > top_value:
            top_value, top_cost = value, cost
        prefix.append((top_value, top_cost))
    chosen: tuple[tuple[int, int], int, int] | None = None
    for pairs, value2 in enumerate(row2):
        rest = capacity - 2 * pairs
        if rest < 0:
            break
        value1, cost1 = prefix[rest]
        if value2 < 0 or value1 < 0:
            continue
        key = (value1 + value2, -(cost1 + 2 * pairs))
        if chosen is None or key > chosen[0]:
            chosen = (key, pairs, cost1)
    if chosen is None:
        return None
    (total, _), pairs, cost1 = chosen
    units = _trace(ones, layers1, 0, cost1, row1[cost1])
    units.update({tid: 2 * n for tid, n in
                  _trace(halves, layers2, 0, pairs, row2[pairs]).items()})
    ordered = {item.id: units[item.id] for item in items if item.id in units}
    return Selection(ordered, 0, total)


# ---------------------------------------------------------------------------------------------


def _check_minutes(minutes: object) -> float:
    if isinstance(minutes, bool) or not isinstance(minutes, numbers.Real):
        raise BudgetError(f"minutes must be a number, not {type(minutes).__name__}")
    try:
        value = float(minutes)
    except OverflowError:
        raise BudgetError("minutes is far too large to be a time budget") from None
    if math.isnan(value) or math.isinf(value):
        raise BudgetError(f"minutes must be a finite number, not {value}")
    if value <= 0:
        raise BudgetError(f"minutes must be greater than 0, not {minutes}")
    return value


def _distance(a: Target, b: Target) -> float:
    pa, pb = a.position, b.position
    da = pa.along - pb.along
    dc = pa.across - pb.across
    dh = pa.height - pb.height
    shared = not set(a.surfaces).isdisjoint(b.surfaces)
    return math.sqrt(da * da + dc * dc + dh * dh) + (0.0 if shared else SURFACE_CHANGE_COST)


def order_targets(ids: Sequence[str], kb: KnowledgeBase) -> list[str]:
    """Order target ids along a short path over the foot (see the module docstring).

    Args:
        ids: Target ids to visit.
        kb: Knowledge base whose targets hold the positions.

    Returns:
        The ids in visiting order.
    """
    targets = kb.targets
    remaining = sorted(ids)
    if not remaining:
        return []
    current = min(remaining, key=lambda t: (targets[t].position.along, t))
    path = [current]
    remaining.remove(current)
    while remaining:
        here = targets[current]
        current = min(remaining, key=lambda t: (_distance(here, targets[t]), t))
        path.append(current)
        remaining.remove(current)
    return path


def _why(target: Target, regions: Sequence[str], kb: KnowledgeBase) -> str:
    """One line for people: which regions it serves, in words, and its sources by name."""
    if target.kind == "general":
        return target.evidence or target.name
    parts: list[str] = []
    sources: list[str] = []
    for edge in sorted(target.serves, key=lambda e: (-e.relevance, regions.index(e.region)
                                                      if e.region in regions else 99)):
        if edge.region not in regions:
            continue
        parts.append(f"{kb.regions[edge.region].name.lower()}: "
                     f"{relevance_words(edge.relevance)}")
        sources.extend(s for s in edge.sources if s not in sources)
    names = [kb.sources[s].label if s in kb.sources else s for s in sources]
    return f"for {'; '.join(parts)} (sources: {', '.join(names)})"


def _evidence(target: Target) -> str:
    """The plain-words strength of evidence a step shows (the target's ``confidence``)."""
    return target.confidence


def _items(kb: KnowledgeBase, regions: Sequence[str], feet: int, capacity: int,
           effects: Screen, tuning: Tuning) -> tuple[list[Item], int]:
    region_bit = {r: 1 << i for i, r in enumerate(regions)}
    flag_bit = 1 << len(regions)
    weights: dict[str, float] = {}
    covers: dict[str, int] = {}
    excluded = effects.excluded | tuning.excluded
    factors = tuning.factors
    for region in regions:
        bit = region_bit[region]
        # The knowledge base's typed index: treatments with relevance > 0, by id.
        for tid, relevance in kb._treatments(region):
            if tid in excluded or (effects.areas and effects.avoids(kb.targets[tid])):
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
        for negative, tid in heapq.nsmallest(max(1, capacity // max(lo, 1)), members):
            kept.append(Item(id=tid, weight=-negative, lo=lo,
                             default=feet * default // UNIT_S, hi=feet * top // UNIT_S,
                             step=feet, bits=bits))
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


def _min_units(items: Sequence[Item], bits_needed: int) -> int | None:
    """Fewest units for the mandatory items plus a cheapest set covering ``bits_needed``."""
    best: dict[int, int] = {0: 0}
    for item in items:
        new = {} if item.mandatory else dict(best)
        for mask, cost in best.items():
            m = mask | (item.bits & bits_needed)
            c = cost + item.lo
            if c < new.get(m, c + 1):
                new[m] = c
        best = new
    return best.get(bits_needed)


def _triage_text(symptoms: object) -> str:
    if isinstance(symptoms, str):
        return symptoms
    if isinstance(symptoms, Sequence) and not isinstance(symptoms, bytes | bytearray):
        return ". ".join(item for item in symptoms if isinstance(item, str))
    return ""


def _gate(symptoms: object, answers: Mapping[str, bool] | None) -> str:
    """The checks before planning: answers, the red-flag screen, then the length cap.

    Returns:
        The joined symptom text.

    Raises:
        UnknownQuestionError: An answer's id is not a red-flag question.
        SeekCareError: A red flag in the whole text, or a "yes" to a red-flag question.
        TextTooLongError: The joined text is longer than :data:`MAX_SYMPTOM_CHARS`.
    """
    checked = check_answers(answers)
    text = _triage_text(symptoms)
    verdict = triage(text, checked)
    if verdict.level != "self_care":
        raise SeekCareError(verdict)
    if len(text) > MAX_SYMPTOM_CHARS:
        raise TextTooLongError(len(text))
    return text


def plan(
    symptoms: str | Sequence[str],
    minutes: float = 15,
    *,
    knowledge: KnowledgeBase | None = None,
    conditions: Sequence[str] | None = None,
    profile: Profile | None = None,
    answers: Mapping[str, bool] | None = None,
) -> Routine:
    """Plan a foot self-massage routine for a complaint within a time budget.

    Args:
        symptoms: Free text naming one or more regions (``"lower back"``,
            ``"stiff neck and shoulders"``) or a list of such texts.
        minutes: Time budget in minutes, a finite number greater than 0. The routine never
            runs longer, and uses at least 90 % of it unless every candidate already has its
            maximum time.
        knowledge: Knowledge base to plan from (default: the shipped one). The shipped
            safety rules apply whatever knowledge base is used.
        conditions: Declared conditions, e.g. ``["pregnant"]``, ``["wound:left"]`` (see
            :func:`footreflex.safety.parse_conditions`).
        profile: A person's :class:`~footreflex.profile.Profile`: their ratings re-weight
            targets, their exclusions, favourites, pressure and standing conditions apply.
            Declared conditions and safety rules always win over preferences. A profile with
            no ratings and no preferences plans exactly the plain routine.
        answers: Answers to the red-flag checklist (:func:`footreflex.red_flag_questions`),
            ``{question_id: True or False}``. Optional: without them the routine is still
            planned, and its ``watch_for`` says what to stop for.

    The checks run in this order: the answers are validated; the red-flag screen of the whole
    symptom text (all items joined) with the answers, so a red flag always wins; the length
    cap (:data:`~footreflex.MAX_SYMPTOM_CHARS` characters of joined text); declared
    conditions; the symptom's regions; the budget.

    Returns:
        A :class:`~footreflex.models.Routine`: the warm-up first, then each chosen target on
        the right foot, the same on the left foot, then the cool-down when it fits.

    Raises:
        SeekCareError: The text has a red flag, an answer is a "yes" to a red-flag question,
            or a declared condition stops the session; ``triage`` holds the advice. Show it
            instead of a routine.
        UnknownQuestionError: An answer is given to a question id that does not exist.
        TextTooLongError: The joined symptom text is longer than
            :data:`~footreflex.MAX_SYMPTOM_CHARS` (checked after the red-flag screen).
        UnknownConditionError: A declared condition is not understood.
        UnknownSymptomError: The text names no region (``suggestions`` holds up to three).
        BudgetError: ``minutes`` is not a finite positive number, or is too short for the
            warm-up plus one target (``minimum_minutes`` says what would work).
    """
    if profile is not None:
        from footreflex.recommend import personalised_plan

        _gate(symptoms, answers)
        return personalised_plan(symptoms, minutes, knowledge=knowledge,
                                 conditions=conditions, profile=profile, answers=answers)
    return plan_with(symptoms, minutes, knowledge=knowledge, conditions=conditions,
                     answers=answers)


def plan_with(
    symptoms: str | Sequence[str],
    minutes: float = 15,
    *,
    knowledge: KnowledgeBase | None = None,
    conditions: Sequence[str] | None = None,
    tuning: Tuning | None = None,
    answers: Mapping[str, bool] | None = None,
) -> Routine:
    """:func:`plan` with explicit :class:`Tuning` (used by profiles and programs).

    Args:
        symptoms: As :func:`plan`.
        minutes: As :func:`plan`.
        knowledge: As :func:`plan`.
        conditions: As :func:`plan`.
        tuning: Personal adjustments (default: none).
        answers: As :func:`plan`.

    Returns:
        The routine.
    """
    tuning = tuning or Tuning()
    text = _gate(symptoms, answers)
    effects = screen(conditions, from_text=detect_conditions(text))
    kb = knowledge if knowledge is not None else _shipped()
    if not isinstance(kb, KnowledgeBase):
        raise InvalidArgumentError(
            f"knowledge must be a KnowledgeBase, not {type(kb).__name__}")
    resolution = resolve_many(symptoms, kb)
    budget_s = _check_minutes(minutes)
    warnings = list(effects.warnings)
    warnings.extend(f"not understood: {words}" for words in resolution.not_covered)
    warnings.extend(f"not understood: {word}" for word in resolution.not_understood)

    regions = [r for r in resolution.regions if _usable(kb, r, effects, tuning)]
    for region in resolution.regions:
        if region not in regions:
            warnings.append(f"no usable target for {kb.regions[region].name.lower()} in "
                            "this knowledge base with the conditions and exclusions given")
    if not regions:
        raise UnknownSymptomError(str(symptoms), message=(
            "no usable target for the regions named (knowledge base and conditions)"))

    feet = len(effects.feet)
    capacity = int(budget_s * 60 // UNIT_S) if budget_s < 1e7 else 10**9
    items, flag_bit = _items(kb, regions, feet, capacity, effects, tuning)
    region_bits = flag_bit - 1
    capacity = min(capacity, sum(item.hi for item in items))
    warm = items[0]
    cool_id = kb.cooldown.id if kb.cooldown else None
    treatments = [it for it in items[1:] if it.id != cool_id]
    least = warm.lo + min(it.lo for it in treatments)
    if capacity < least:
        need = least * UNIT_S / 60
        raise BudgetError(
            f"{plural(budget_s, 'minute')} is too short: the warm-up plus one target need at "
            f"least {plural(need, 'minute')}", minimum_minutes=need)

    selection = select(items, capacity, region_bits, flag_bit)
    assert selection is not None  # capacity >= least guarantees a feasible selection

    uncovered = [r for i, r in enumerate(regions) if not selection.mask & (1 << i)]
    if uncovered:
        full = _min_units(items[:-1] if kb.cooldown else items, region_bits)
        names = ", ".join(kb.regions[r].name.lower() for r in uncovered)
        hint = (f"; every region needs at least {plural(full * UNIT_S / 60, 'minute')}"
                if full else "")
        warnings.append(f"not enough time to include {names}{hint}")

    steps = _steps(kb, regions, selection, effects, tuning)
    total = sum(step.duration_s for step in steps)
    if total < 0.9 * budget_s * 60:
        warnings.append(
            f"every suitable target already has its maximum time: the routine stops at "
            f"{duration(total)} of the {plural(budget_s, 'minute')}")
    used = [kb.targets[s.target_id] for s in steps]
    for target in used:
        for caution in target.cautions:
            if caution not in warnings:
                warnings.append(caution)
    disclaimer = rules().disclaimer
    if kb.disclaimer:
        disclaimer += " " + kb.disclaimer
    return Routine(
        regions=tuple(resolution.regions),
        minutes=budget_s,
        total_seconds=total,
        steps=tuple(steps),
        warnings=tuple(warnings),
        disclaimer=disclaimer,
        sources=tuple(_sources(kb, used, regions)),
        conditions=tuple(str(c) for c in effects.conditions),
        watch_for=tuple(watch_for(resolution.regions)),
        sides=resolution.sides,
    )


def _usable(kb: KnowledgeBase, region: str, effects: Screen, tuning: Tuning) -> bool:
    return any(t.role == "treatment" and relevance > 0 and not effects.avoids(t)
               and t.id not in tuning.excluded for t, relevance in kb.candidates(region))


def _sources(kb: KnowledgeBase, used: Sequence[Target], regions: Sequence[str]) -> list[Source]:
    ids: list[str] = []
    for target in used:
        for source in target.sources:
            if source not in ids:
                ids.append(source)
        for edge in target.serves:
            if edge.region in regions:
                ids.extend(s for s in edge.sources if s not in ids)
    return [kb.sources[i] for i in ids]


def _pressure_note(target: Target, effects: Screen, tuning: Tuning) -> str:
    wanted = tuning.pressure
    if not wanted:
        return ""
    if wanted != "light" and effects.gentle:
        return f" Your preferred {wanted} pressure does not apply: light pressure only."
    if wanted != "light" and target.gentle_only:
        reason = f": {target.cautions[0]}" if target.cautions else "."
        return f" Your preferred {wanted} pressure does not apply here{reason}"
    return f" Pressure: {wanted}, as you prefer."


_FEET: dict[str, Foot] = {"right": "right", "left": "left", "both": "both"}


def _step_kind(target: Target) -> StepKind:
    if target.role == "warmup":
        return "warmup"
    if target.role == "cooldown":
        return "cooldown"
    return "point" if target.kind == "acupoint" else "zone"


def _steps(kb: KnowledgeBase, regions: Sequence[str], selection: Selection,
           effects: Screen, tuning: Tuning) -> list[Step]:
    feet_order = effects.feet
    feet = len(feet_order)
    warm, cool = kb.warmup, kb.cooldown
    chosen = [t for t in selection.units if t not in (warm.id, cool.id if cool else None)]
    path = order_targets(chosen, kb)
    both: Foot = "both" if feet == 2 else _FEET[feet_order[0]]
    plan_: list[tuple[Target, Foot, int]] = [(warm, both, selection.units[warm.id] * UNIT_S)]
    for foot in feet_order:
        plan_.extend((kb.targets[t], _FEET[foot], selection.units[t] * UNIT_S // feet)
                     for t in path)
    if cool is not None and cool.id in selection.units:
        plan_.append((cool, both, selection.units[cool.id] * UNIT_S))
    steps: list[Step] = []
    clock = 0
    for index, (target, foot, seconds) in enumerate(plan_, start=1):
        kind = _step_kind(target)
        instructions = target.instructions
        if effects.gentle:
            instructions = (f"{rules().gentle_instructions(target.technique)} "
                            f"Where: {target.location}")
        if target.kind == "general" and feet == 2:
            instructions += f" About {duration(seconds // 2)} per foot."
        instructions += _pressure_note(target, effects, tuning)
        serves = sorted((r for r in regions if target.relevance(r) > 0),
                        key=lambda r: (-target.relevance(r), regions.index(r)))
        steps.append(Step(
            index=index, kind=kind, target_id=target.id, code=target.code,
            name=target.name, foot=foot, start_s=clock,
            duration_s=seconds, technique=target.technique, instructions=instructions,
            serves=tuple(serves), why=_why(target, regions, kb), location=target.location,
            cautions=target.cautions, evidence=_evidence(target),
            relevance=(max(target.relevance(r) for r in serves) if serves else None)))
        clock += seconds
    return steps
