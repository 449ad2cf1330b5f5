"""The solver as it was before the bounded search (commit 4db01a3), kept as a test oracle.

``footreflex.planning.select`` must return exactly what this returns (the same units, mask and
value: the same tie-breaks), so every routine stays byte-identical. It is the plain dynamic
programme over (state bits, units used) for every item and every length; slow, but obviously
exact. Tests only: nothing in ``src`` imports it.
"""

from __future__ import annotations

from collections.abc import Sequence

from footreflex.planning import Item, Selection, objective

__all__ = ["reference_select"]

_NEG = -(1 << 62)
Key = tuple[int, int, int, int, int]


def reference_select(items: Sequence[Item], capacity: int, region_bits: int,
                     flag_bit: int = 0) -> Selection | None:
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
