"""The exact selection: which items, and how many units each, within a capacity.

This module knows nothing of feet, regions or text: it solves the small knapsack the
candidates stage (:mod:`footreflex.planning._items`) builds.

Every *item* may be left out (unless ``mandatory``) or take a length between ``lo`` and ``hi``
units in steps of ``step``. Its *value* for ``t`` units is ``weight * (min(t, default) + 0.5 *
max(0, t - default))``, counted in half-weight units so values stay integers: time up to the
default counts fully, time past it half (diminishing returns).

Selection maximises, lexicographically (:func:`objective`):

1. the mandatory items, always (the warm-up);
2. the number of regions *covered* (``bits`` of the chosen items); when not all fit, regions
   named earlier win;
3. the cool-down flag, whenever it still fits after (1) and (2);
4. the total value;
5. fewer units among equal values.

This is solved exactly by dynamic programming over (state bits, units used). Ties are exact
(integer values) and broken deterministically (items are visited in the order given; among
equal optima the shortest selection wins). The objective lives in this module only: change it
here, in :func:`objective` and the value in :meth:`Item.value`, and the brute-force test in
``tests/test_planner.py`` checks the DP still finds it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["Item", "Selection", "min_units", "objective", "select"]

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
    """The optimum :func:`select` found.

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


def min_units(items: Sequence[Item], bits_needed: int) -> int | None:
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
