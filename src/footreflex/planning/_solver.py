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


# ----------------------------------------------------------------------------- the search
#
# Notation: an item's options are ``(units, value)`` pairs; ``0`` units means "left out".
# For a price ``lam`` per unit (a Lagrange multiplier of the capacity), every selection ``u``
# with ``sum(u) <= capacity`` satisfies exactly
#
#     value(u) = bound - sum(loss_i(u_i)) - lam * (capacity - sum(u))
#
# where ``bound = lam * capacity + sum(M_i)``, ``M_i = max over item i's options of
# (v - lam * units)`` and ``loss_i(u_i) = M_i - (v_i(u_i) - lam * u_i) >= 0``. So a selection
# worth at least ``floor`` (any feasible selection's value) has ``loss_i(u_i) <= bound - floor``
# for every item: options losing more can be in no optimal selection and are dropped, and so
# are partial selections whose losses so far exceed it. What is left is small (usually one or
# two lengths per item, more only among items of equal weight), and the same dynamic programme
# as before runs over it with sparse rows.

_Options = list[tuple[int, int]]
_Row = dict[int, int]  # exact units used -> best value
_Table = dict[int, _Row]  # state bits -> row


def _options(items: Sequence[Item], capacity: int) -> list[_Options]:
    """Every allowed ``(units, value)`` of every item (without the "left out" option)."""
    out: list[_Options] = []
    for it in items:
        w, d = it.weight, it.default
        out.append([(c, w * (2 * c if c <= d else d + c))
                    for c in range(it.lo, min(it.hi, capacity) + 1, it.step)])
    return out


def _price(items: Sequence[Item], options: Sequence[_Options], capacity: int) -> int:
    """The unit price ``lam``: the density at which the fractional (greedy) fill runs out.

    Any price gives a valid bound; this one is the linear relaxation's optimum, the tightest
    for a single price.
    """
    room = capacity - sum(it.lo for it in items if it.mandatory)
    segments: list[tuple[int, int]] = []  # (value per unit, units)
    for it, opts in zip(items, options, strict=True):
        if not opts:
            continue
        top = opts[-1][0]
        base = it.lo if it.mandatory else 0
        full = min(it.default, top)
        if full > base:
            segments.append((2 * it.weight, full - base))
        half = max(it.default, base)
        if top > half:
            segments.append((it.weight, top - half))
    segments.sort(reverse=True)
    for density, length in segments:
        if length >= room:
            return density
        room -= length
    return 0


def _greedy(items: Sequence[Item], options: Sequence[_Options], capacity: int,
            start: Sequence[int], allowed: Sequence[bool]) -> int:
    """Value of a feasible selection: ``start`` extended densest time first (a lower bound)."""
    units = list(start)
    room = capacity - sum(units)
    segments: list[tuple[int, int, int, int]] = []  # (-density, part, item, end units)
    for i, (it, opts) in enumerate(zip(items, options, strict=True)):
        if opts and allowed[i]:
            top = opts[-1][0]
            segments.append((-2 * it.weight, 0, i, min(it.default, top)))
            segments.append((-it.weight, 1, i, top))
    segments.sort()
    for _, _, i, end in segments:
        if room <= 0:
            break
        it, now = items[i], units[i]
        reach = min(end, now + room)
        if reach < it.lo or reach <= now:
            continue
        new = reach - (reach - it.lo) % it.step
        if new > now:
            room -= new - now
            units[i] = new
    return sum(it.value(u) for it, u in zip(items, units, strict=True) if u)


class _Kept:
    """The options of every item that can be part of an optimal selection (see above)."""

    __slots__ = ("gap", "options", "out", "peaks")

    def __init__(self, items: Sequence[Item], options: Sequence[_Options],
                 allowed: Sequence[bool], lam: int, floor: int, capacity: int) -> None:
        self.peaks: list[int] = []  # M_i
        every: list[tuple[int, list[int]]] = []  # (gain of leaving out or None, gains)
        for it, opts, ok in zip(items, options, allowed, strict=True):
            gains = [v - lam * c for c, v in opts] if ok else []
            peak = max(gains, default=_NEG)
            if not it.mandatory:
                peak = max(peak, 0)
            self.peaks.append(peak if peak > _NEG else 0)
            every.append((peak, gains))
        gap = lam * capacity + sum(self.peaks) - floor
        self.gap = gap
        self.options: list[_Options] = []
        self.out: list[bool] = []  # may the item be left out?
        for it, opts, (peak, gains) in zip(items, options, every, strict=True):
            self.out.append(not it.mandatory and peak <= gap)
            self.options.append([o for o, g in zip(opts, gains) if peak - g <= gap])


    def span(self, k: int) -> tuple[int, int]:
        """Fewest and most units item ``k`` can take."""
        units = [c for c, _ in self.options[k]]
        if self.out[k]:
            units.append(0)
        return (min(units), max(units)) if units else (0, 0)


def _table(items: Sequence[Item], options: Sequence[_Options], out: Sequence[bool],
           peaks: Sequence[int], spans: Sequence[tuple[int, int]], capacity: int, lam: int,
           gap: int, others: tuple[int, int] = (0, 0)) -> tuple[list[_Table], _Table]:
    """Forward DP over the kept options: best value per (state bits, exact units used).

    Partial selections that cannot end within ``gap`` of the bound are dropped: those whose
    losses so far, plus the price of the units the rest cannot fill, exceed it, and those the
    rest cannot complete within the capacity. ``others`` is the fewest and most units that
    items solved apart (the other half of a split) add. Each layer is the table before an
    item, for the backward walk.
    """
    n = len(items)
    least = [others[0]] * (n + 1)
    most = [others[1]] * (n + 1)
    for k in range(n - 1, -1, -1):
        least[k] = least[k + 1] + spans[k][0]
        most[k] = most[k + 1] + spans[k][1]
    table: _Table = {0: {0: 0}}
    layers: list[_Table] = []
    spent = 0  # the sum of M_i so far
    for k, item in enumerate(items):
        layers.append(table)
        spent += peaks[k]
        grow = options[k]
        if not grow and out[k]:  # left out of every selection worth keeping
            continue
        cap = capacity - least[k + 1]
        fill = capacity - most[k + 1]
        # keep (units c, value v) iff spent - v + lam * max(c, fill) <= gap
        new: _Table = {}
        if out[k]:
            for mask, row in table.items():
                new[mask] = {c: v for c, v in row.items()
                             if c <= cap and spent - v + lam * (c if c >= fill else fill) <= gap}
        bits = item.bits
        for mask, row in table.items():
            dst = new.get(mask | bits)
            if dst is None:
                dst = new[mask | bits] = {}
            for c0, v0 in row.items():
                for cost, value in grow:
                    c = c0 + cost
                    if c > cap:
                        break
                    v = v0 + value
                    if spent - v + lam * (c if c >= fill else fill) > gap:
                        continue
                    if dst.get(c, -1) < v:
                        dst[c] = v
        table = new
    return layers, table


def _trace(items: Sequence[Item], options: Sequence[_Options], out: Sequence[bool],
           layers: Sequence[_Table], orders: Sequence[Sequence[int]] | None, mask: int,
           cost: int, value: int) -> dict[str, int]:
    """Walk the layers back from (mask, cost, value) to the units of each chosen item.

    The walk makes the choices the full table's walk made: from the last item to the first,
    leave the item out if that still reaches the optimum, else take the first predecessor
    state in ``orders`` (the order the full table created its states in) and, for it, the
    fewest units. Every option and partial selection of an optimal selection was kept, so
    the choices are the same.
    """
    units: dict[str, int] = {}
    for k in range(len(items) - 1, -1, -1):
        item, before = items[k], layers[k]
        if out[k]:
            same = before.get(mask)
            if same is not None and same.get(cost) == value:
                continue
        found = False
        for prev in (orders[k] if orders is not None else (0,)):
            if prev | item.bits != mask:
                continue
            row = before.get(prev)
            if not row:
                continue
            for c, v in options[k]:
                if c > cost:
                    break
                if row.get(cost - c, _NEG) + v == value:
                    units[item.id] = c
                    mask, cost, value = prev, cost - c, value - v
                    found = True
                    break
            if found:
                break
        if not found:  # pragma: no cover - the forward pass guarantees a predecessor
            raise AssertionError("DP reconstruction failed")
    return units


def _mask_orders(items: Sequence[Item]) -> list[list[int]]:
    """The order in which the full table (every item, every length) creates its states.

    It depends on the items' bits only: a layer copies the previous states (unless the item
    is mandatory), then adds ``state | bits`` for each in turn when new.
    """
    orders: list[list[int]] = []
    order = [0]
    for item in items:
        orders.append(order)
        new = [] if item.mandatory else list(order)
        seen = set(new)
        for m in order:
            out = m | item.bits
            if out not in seen:
                seen.add(out)
                new.append(out)
        order = new
    return orders


def _cheapest_states(items: Sequence[Item], options: Sequence[_Options], capacity: int
                     ) -> dict[int, tuple[int, tuple[int, ...]]]:
    """Every reachable state: its fewest units (each chosen item at its minimum) and items."""
    best: dict[int, tuple[int, tuple[int, ...]]] = {0: (0, ())}
    for k, (item, opts) in enumerate(zip(items, options, strict=True)):
        new = {} if item.mandatory else dict(best)
        if opts:
            lo = opts[0][0]
            for mask, (cost, chosen) in best.items():
                c = cost + lo
                out = mask | item.bits
                if c <= capacity and (out not in new or c < new[out][0]):
                    new[out] = (c, (*chosen, k))
        best = new
    return best


def _solve(items: Sequence[Item], capacity: int, region_bits: int, flag_bit: int
           ) -> Selection | None:
    """The exact optimum over (state bits, units used), with the full table's tie-breaks.

    The best reachable state comes first (a small table of the cheapest way to reach each);
    then the value is maximised among selections reaching exactly that state, over the
    options the price bound keeps.
    """
    options = _options(items, capacity)
    reach = _cheapest_states(items, options, capacity)
    if not reach:
        return None
    target = max(reach, key=lambda m: objective(m, 0, 0, region_bits, flag_bit))
    allowed = [item.bits & ~target == 0 for item in items]
    start = [0] * len(items)
    for k in reach[target][1]:
        start[k] = items[k].lo
    lam = _price([it for it, ok in zip(items, allowed, strict=True) if ok],
                 [o for o, ok in zip(options, allowed, strict=True) if ok], capacity)
    kept = _Kept(items, options, allowed, lam,
                 _greedy(items, options, capacity, start, allowed), capacity)
    spans = [kept.span(k) for k in range(len(items))]
    layers, best = _table(items, kept.options, kept.out, kept.peaks, spans, capacity, lam,
                          kept.gap)
    row = best.get(target)
    if not row:  # pragma: no cover - the greedy selection reaches it
        raise AssertionError("bounded search lost the optimum")
    value = max(row.values())
    cost = min(c for c, v in row.items() if v == value)
    orders = _mask_orders(items) if any(it.bits for it in items) else None
    units = _trace(items, kept.options, kept.out, layers, orders, target, cost, value)
    ordered = {item.id: units[item.id] for item in items if item.id in units}
    return Selection(ordered, target, value)


_NOT_APPLICABLE = Selection({}, -1, -1)


def _solve_split(items: Sequence[Item], capacity: int) -> Selection | None:
    """The relaxed problem (no state bits) solved in two halves, exactly.

    When the items are single-unit general steps and two-feet treatments of even lengths
    (the shape of every real plan), the treatments and the others are solved apart and
    combined over every split of the capacity: the fewest treatment units among the optima,
    then, in each half, the first item from the end left out or shortest. This is the
    tie-break the plans have always had (the goldens), kept here exactly.

    Returns:
        The selection, ``None`` when infeasible, or ``_NOT_APPLICABLE`` when the items do not
        have that shape (the caller then uses :func:`_solve`).
    """
    ones = [it for it in items if it.step == 1]
    twos = [it for it in items if it.step == 2]
    if (not twos or len(ones) + len(twos) != len(items) or any(it.bits for it in items)
            or any(it.mandatory or it.lo % 2 or it.default % 2 or it.hi % 2 for it in twos)):
        return _NOT_APPLICABLE
    options = _options(items, capacity)
    if (sum(it.lo for it in ones if it.mandatory) > capacity
            or any(it.mandatory and not opts for it, opts in zip(items, options, strict=True))):
        return None
    allowed = [True] * len(items)
    lam = _price(items, options, capacity)
    start = [it.lo if it.mandatory else 0 for it in items]
    kept = _Kept(items, options, allowed, lam,
                 _greedy(items, options, capacity, start, allowed), capacity)
    spans = [kept.span(k) for k in range(len(items))]
    parts = [[k for k, it in enumerate(items) if it.step == step] for step in (1, 2)]
    sums = [(sum(spans[k][0] for k in part), sum(spans[k][1] for k in part)) for part in parts]
    solved = []
    for part, others in zip(parts, (sums[1], sums[0]), strict=True):
        args = ([items[k] for k in part], [kept.options[k] for k in part],
                [kept.out[k] for k in part])
        layers, best = _table(*args, [kept.peaks[k] for k in part], [spans[k] for k in part],
                              capacity, lam, kept.gap, others)
        solved.append((args, layers, best.get(0, {})))
    (args1, layers1, row1), (args2, layers2, row2) = solved
    prefix: list[tuple[int, int, int]] = []  # (units, best value within them, its fewest units)
    top_value, top_cost = _NEG, -1
    for cost in sorted(row1):
        if row1[cost] > top_value:
            top_value, top_cost = row1[cost], cost
        prefix.append((cost, top_value, top_cost))
    chosen: tuple[tuple[int, int], int, int, int] | None = None
    j = -1
    for units2 in sorted(row2):  # the fewest treatment units first, as the full table did
        rest = capacity - units2
        if rest < 0:
            break
        while j + 1 < len(prefix) and prefix[j + 1][0] <= rest:
            j += 1
        while j >= 0 and prefix[j][0] > rest:
            j -= 1
        if j < 0:
            continue
        _, value1, cost1 = prefix[j]
        key = (value1 + row2[units2], -(cost1 + units2))
        if chosen is None or key > chosen[0]:
            chosen = (key, units2, cost1, value1)
    if chosen is None:  # pragma: no cover - the greedy selection is feasible
        return None
    (total, _), units2, cost1, value1 = chosen
    units = _trace(*args1, layers1, None, 0, cost1, value1)
    units.update(_trace(*args2, layers2, None, 0, units2, row2[units2]))
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
