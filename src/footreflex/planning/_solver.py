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

**Algorithm.** The answer is the one a dynamic programme over (state bits, units used) over
every item and every length gives, ties included (``tests/reference_solver.py`` keeps that
programme; the tests compare the two on thousands of random instances). It is found with far
less work by bounding first:

1. *Fast path.* With coverage ignored and the cool-down made mandatory, if the optimum
   covers every region and holds the cool-down, nothing can beat it (it covers the most and is
   the best with the cool-down). Otherwise the *state* is fixed first: the best reachable
   combination of covered regions and cool-down, from a small table of the cheapest way to
   reach each; then the value is maximised among selections reaching exactly that state.
2. *Bound.* For any price ``lam >= 0`` per unit, every selection ``u`` within the capacity
   has ``value(u) = bound - sum(loss_i(u_i)) - lam * (capacity - sum(u))``, where
   ``gain_i(c) = value_i(c) - lam * c``, ``M_i`` is item i's best gain, ``loss_i = M_i -
   gain_i >= 0`` and ``bound = lam * capacity + sum(M_i)`` (Lagrangian relaxation of the
   capacity). The price is where the fractional fill (densest time first) runs out; a greedy
   fill in whole lengths gives a feasible ``floor``. Every optimum is worth at least the
   floor, so in every optimum each item's loss, and the losses of every partial selection
   plus the price of time the rest cannot fill, are at most ``gap = bound - floor``. Lengths
   and partial selections losing more are dropped: they are in no optimum. The values are
   concave in the length (time past the default counts half), so the kept lengths of an item
   are a contiguous run around its best, found without listing the others.
3. *Exact search over what is kept.* The same table (best value per state and exact units)
   runs over the kept choices only, in sparse rows; items left with a single choice start the
   table as a constant. A first pass keeps only the choices losing nothing: then every
   partial selection's value follows from its length, and a row is a bit set of reachable
   lengths. If that pass finds a selection worth the bound, every optimum is among its
   choices; otherwise a second pass keeps those losing at most the greedy gap.
4. *Ties, exactly as before.* Every optimum and each of its partial selections survive the
   pruning with its exact best value, so walking the kept table back makes the full table's
   choices: from the last item to the first, leave the item out if the optimum is still
   reachable, else the first predecessor state in the order the full table created its
   states, then the fewest units. For the shape of every real plan (general steps of one
   unit, two-feet treatments of even lengths) the two kinds are solved apart and combined as
   the full programme's fast path did: the fewest treatment units among the optima, then each
   half walked back alone. Values are integers, so ties are exact.

Most items keep one length, a few of equal weight keep several (those ties are what the walk
back must break), so a plan's selection is a few hundred operations instead of a table of
items x lengths x capacity. The objective lives in this module only: change it here, in
:func:`objective` and the value in :meth:`Item.value` (and in the bound's gain, which uses the
same value), and the brute-force tests in ``tests/test_planner.py`` check it is still found.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

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


_new = object.__new__
_set = object.__setattr__


def _item(id: str, weight: int, lo: int, default: int, hi: int, step: int, bits: int = 0,
          mandatory: bool = False) -> Item:
    """``Item(...)`` without the dataclass ``__init__`` (eight frozen ``__setattr__`` calls).

    The same object (fields, equality, hash, repr) at half the cost: a plan makes one per
    candidate.
    """
    item = _new(Item)
    _set(item, "__dict__", {"id": id, "weight": weight, "lo": lo, "default": default, "hi": hi,
                            "step": step, "bits": bits, "mandatory": mandatory})
    return item


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
    bits = [it.bits for it in items]
    relaxed = [(it.weight, it.lo, it.default, it.hi, it.step, 0,
                it.mandatory or bool(b & flag_bit), it.id)
               for it, b in zip(items, bits, strict=True)]
    fast = _solve_split(relaxed, capacity)
    if fast is _NOT_APPLICABLE:
        fast = _solve(relaxed, capacity, 0, 0)
    if fast is not None:
        mask = every = 0
        chosen = fast.units
        for spec, b in zip(relaxed, bits, strict=True):
            every |= b
            if spec[7] in chosen:
                mask |= b
        wanted = region_bits | (flag_bit if every & flag_bit else 0)
        if mask & wanted == wanted:
            return Selection(chosen, mask, fast.value)
    specs = [(it.weight, it.lo, it.default, it.hi, it.step, it.bits, it.mandatory, it.id)
             for it in items]
    return _solve(specs, capacity, region_bits, flag_bit)


# ----------------------------------------------------------------------------- the search
#
# An item is left out (0 units) or takes one of its lengths ``lo, lo + step, ... <= hi``. For
# a price ``lam >= 0`` per unit (a Lagrange multiplier of the capacity), every selection
# ``u`` within the capacity satisfies exactly
#
#     value(u) = bound - sum(loss_i(u_i)) - lam * (capacity - sum(u))
#
# with ``gain_i(c) = value_i(c) - lam * c``, ``M_i`` the best gain over item i's choices,
# ``loss_i(c) = M_i - gain_i(c) >= 0`` and ``bound = lam * capacity + sum(M_i)``. So every
# selection worth at least ``floor`` (the value of any feasible selection) has each
# ``loss_i(u_i) <= gap = bound - floor``: longer or shorter lengths, and partial selections
# whose losses (plus the price of time the rest cannot fill) already exceed ``gap``, are in no
# optimal selection and are dropped. ``lam`` is where the fractional fill (densest time first)
# runs out; the floor is the greedy fill in whole lengths. The dynamic programme of the full
# problem then runs over what is kept, in sparse rows: usually one length per item, a few
# among items of equal weight (whose ties the backward walk must still break as before).

# An item as a tuple, the fastest to unpack: weight, lo, default, hi, step, bits, mandatory, id
_Spec = tuple[int, int, int, int, int, int, bool, str]
_Options = list[tuple[int, int]]
_Row = dict[int, int]  # exact units used -> best value
_Table = dict[int, _Row]  # state bits -> row
_Layer = Mapping[int, Mapping[int, int]]  # a table kept for the backward walk


def _widen(c: int, w: int, lo: int, d: int, step: int, top: int, lam: int, least: int
           ) -> tuple[int, int]:
    """The run of lengths around ``c`` whose gain ``value - lam * length`` is >= ``least``.

    The gain is linear on each side of the default ``d`` (value ``w * 2c`` up to it, ``w *
    (d + c)`` past it), so the run is contiguous: walk down from ``c`` to ``lo`` and up to
    ``top`` in ``step`` units while the gain holds.
    """
    first = end = c
    while first > lo:
        c = first - step
        if w * (2 * c if c <= d else d + c) - lam * c < least:
            break
        first = c
    while end < top:
        c = end + step
        if w * (2 * c if c <= d else d + c) - lam * c < least:
            break
        end = c
    return first, end


class _Bound:
    """The price, the bound and the options worth keeping, for items within a capacity.

    Args:
        specs: The items.
        capacity: Units available.
        allowed: Which items may be chosen (the others are left out).
        start: Units of a feasible selection to extend greedily into the floor (every
            mandatory item at its minimum at least).
    """

    __slots__ = ("bound", "floor", "lam", "peaks", "specs", "stars", "tops", "zero")

    def __init__(self, specs: Sequence[_Spec], capacity: int, allowed: Sequence[bool],
                 start: Sequence[int]) -> None:
        self.specs = specs
        tops: list[int] = []  # the longest allowed length, -1 when none
        # (-value per unit, part, item) densest first, each as one int that sorts the same:
        # -value per unit << (shift + 1) | part << shift | item
        shift = len(specs).bit_length()
        parts: list[int] = []
        room = capacity  # less the mandatory minimums
        for i, (w, lo, _, hi, step, _, mandatory, _) in enumerate(specs):
            if mandatory:
                room -= lo
            top = hi if hi < capacity else capacity
            if top >= lo and allowed[i]:
                tops.append(top - (top - lo) % step)
                parts.append((-2 * w << shift + 1) | i)  # time up to the default
                parts.append((-w << shift + 1) | 1 << shift | i)  # time past it
            else:
                tops.append(-1)
        parts.sort()
        self.tops = tops
        # In one pass along that order: the price, where the fractional fill (mandatory
        # minimums first) runs out; and the floor, the start extended in whole allowed lengths.
        lam = -1  # not found yet
        units = list(start)
        left = capacity - sum(units)  # the floor's room
        filling = left > 0
        mask = (1 << shift) - 1
        for key in parts:
            i, part, density = key & mask, key >> shift & 1, key >> shift + 1
            _, lo, d, _, step, _, mandatory, _ = specs[i]
            top = tops[i]
            if lam < 0:
                base = lo if mandatory else 0
                length = ((d if d < top else top) - base if part == 0
                          else top - (d if d > base else base))
                if length > 0:
                    if length >= room:
                        lam = -density
                    else:
                        room -= length
            if filling:
                now = units[i]
                reach = (d if d < top else top) if part == 0 else top
                if reach > now + left:
                    reach = now + left
                if reach >= lo and reach > now:
                    reach -= (reach - lo) % step
                    left -= reach - now
                    units[i] = reach
                    filling = left > 0
            elif lam >= 0:
                break
        if lam < 0:
            lam = 0
        self.lam = lam
        # M_i, the best gain of each item, and the length index giving it (gain is concave);
        # with them the floor's value and the choices losing nothing (``kept(0)``)
        floor = 0
        peaks: list[int] = []
        stars: list[int] = []
        options: list[_Options] = []
        out: list[bool] = []
        spans: list[tuple[int, int]] = []
        for (w, lo, d, _, step, _, mandatory, _), top, u in zip(specs, tops, units,
                                                                  strict=True):
            if u:
                floor += w * (2 * u if u <= d else d + u)
            if top < 0:
                peaks.append(0)
                stars.append(-1)
                out.append(not mandatory)
                options.append([])
                spans.append((0, 0))
                continue
            if 2 * w < lam and lo > 0 and not mandatory:  # every length loses: left out
                peaks.append(0)
                stars.append(0)
                out.append(True)
                options.append([])
                spans.append((0, 0))
                continue
            last = (top - lo) // step
            if lo > d:
                star = last if w > lam else 0
            elif 2 * w <= lam:
                star = 0
            elif w >= lam:
                star = last
            else:  # rising up to the default, falling past it
                star = min(last, (d - lo) // step)
                if star < last:
                    c = lo + star * step
                    if w * (d + c + step) - lam * (c + step) > w * 2 * c - lam * c:
                        star += 1
            c = lo + star * step
            best = w * (2 * c if c <= d else d + c) - lam * c
            peak = best if mandatory or best > 0 else 0
            peaks.append(peak)
            stars.append(star)
            free = not mandatory and peak <= 0
            out.append(free)
            if best < peak:  # left out of every selection losing nothing
                options.append([])
                spans.append((0, 0))
                continue
            # the lengths as good as the best: ties on either side of c
            # c is a best length and the gain is linear on each side of the default, so a
            # neighbour can tie only on a flat side or across the default
            if lam != 2 * w and lam != w and not (c - step < d < c + step and d != c):
                options.append([(c, w * (2 * c if c <= d else d + c))])
                spans.append((0 if free else c, c))
                continue
            first, end = _widen(c, w, lo, d, step, top, lam, best)
            options.append([(first, w * (2 * first if first <= d else d + first))]
                           if first == end else
                           [(c, w * (2 * c if c <= d else d + c))
                            for c in range(first, end + 1, step)])
            spans.append((0 if free else first, end))
        self.floor = floor
        self.peaks = peaks
        self.stars = stars
        self.bound = lam * capacity + sum(peaks)
        self.zero = (options, out, spans)

    def kept(self, gap: int) -> tuple[list[_Options], list[bool], list[tuple[int, int]]]:
        """Return the choices losing at most ``gap``.

        Returns:
            Per item: its lengths losing at most ``gap`` with their values, whether leaving it
            out loses at most ``gap``, and the fewest and most units it may then take.
        """
        if gap == 0:
            return self.zero
        options: list[_Options] = []
        out: list[bool] = []
        spans: list[tuple[int, int]] = []
        lam = self.lam
        for (w, lo, d, _, step, _, mandatory, _), top, peak, star in zip(
                self.specs, self.tops, self.peaks, self.stars, strict=True):
            free = not mandatory and peak <= gap
            out.append(free)
            if top < 0:
                options.append([])
                spans.append((0, 0))
                continue
            least = peak - gap
            c = lo + star * step
            if w * (2 * c if c <= d else d + c) - lam * c < least:
                options.append([])
                spans.append((0, 0))
                continue
            first, end = _widen(c, w, lo, d, step, top, lam, least)
            options.append([(c, w * (2 * c if c <= d else d + c))
                            for c in range(first, end + 1, step)])
            spans.append((0 if free else first, end))
        return options, out, spans


class _Flat(Mapping[int, int]):
    """A row of a table where every kept choice loses nothing (``gap == 0``).

    Then every choice of item ``i`` gains exactly ``M_i``, so a partial selection's value is
    ``base + lam * units``: the same for all selections of the same length, and the row is
    just which lengths are reachable (a bit set).
    """

    __slots__ = ("base", "bits", "lam")

    def __init__(self, bits: int, base: int, lam: int) -> None:
        self.bits, self.base, self.lam = bits, base, lam

    def get(self, units: int, default: Any = None) -> Any:
        if units >= 0 and self.bits >> units & 1:
            return self.base + self.lam * units
        return default

    def __getitem__(self, units: int) -> int:
        value = self.get(units)
        if value is None:
            raise KeyError(units)
        return int(value)

    def __iter__(self) -> Iterator[int]:
        return iter(_lengths(self.bits))

    def __len__(self) -> int:
        return self.bits.bit_count()

    def __bool__(self) -> bool:
        return bool(self.bits)


def _lengths(bits: int) -> list[int]:
    """The positions of the set bits, smallest first."""
    out = []
    while bits:
        low = bits & -bits
        out.append(low.bit_length() - 1)
        bits ^= low
    return out


def _flat_table(bits: Sequence[int], options: Sequence[_Options], out: Sequence[bool],
                peaks: Sequence[int], visit: Sequence[int], least: Sequence[int],
                most: Sequence[int], capacity: int, lam: int, spent: int, start: _Row
                ) -> tuple[list[_Layer], _Table]:
    """:func:`_table` when ``gap == 0``: the reachable lengths per state, as bit sets.

    Keeping ``(units c, value v)`` needs ``v - lam * max(c, fill) >= spent``, and here
    ``v == spent + lam * c``: so (with a price) exactly ``fill <= c``, and ``c <= cap``.
    """
    table: dict[int, int] = {0: sum(1 << c for c in start)}
    layers: list[_Layer] = []
    for i, k in enumerate(visit):
        layers.append({mask: _Flat(b, spent, lam) for mask, b in table.items()})
        spent += peaks[k]
        cap = capacity - least[i + 1]
        fill = capacity - most[i + 1] if lam else 0
        window = ((1 << (cap + 1)) - (1 << fill) if fill > 0 else (1 << (cap + 1)) - 1
                  ) if cap >= 0 and cap >= fill else 0
        new: dict[int, int] = {}
        if out[k]:
            for mask, b in table.items():
                new[mask] = b & window
        add = bits[k]
        for mask, b in table.items():
            reach = 0
            for c, _ in options[k]:
                reach |= b << c
            new[mask | add] = new.get(mask | add, 0) | (reach & window)
        table = new
    final: _Table = {}
    for mask, b in table.items():
        final[mask] = {c: spent + lam * c for c in _lengths(b)}
    return layers, final


def _table(bits: Sequence[int], options: Sequence[_Options], out: Sequence[bool],
           peaks: Sequence[int], spans: Sequence[tuple[int, int]], capacity: int, lam: int,
           gap: int, others: tuple[int, int] = (0, 0), fold: bool = False
           ) -> tuple[list[int], list[_Layer], _Table]:
    """Forward DP over the kept options: best value per (state bits, exact units used).

    Partial selections that cannot end within ``gap`` of the bound are dropped: those whose
    losses so far, plus the price of the units the rest cannot fill, exceed it, and those the
    rest cannot complete within the capacity. ``others`` is the fewest and most units that
    items solved apart (the other half of a split) add.

    With ``fold`` (only without state bits), items with a single kept choice start the table
    as a constant and are not visited: they are the same in every kept selection, so the
    backward walk makes the same choices for the others.

    Returns:
        The items visited (indexes, in order), the table before each of them (for the
        backward walk) and the final table.
    """
    visit = list(range(len(bits)))
    start_units = start_value = spent = 0  # spent: the sum of M_i so far
    if fold:
        visit = []
        for k, opts in enumerate(options):
            if out[k] and not opts:  # left out of every selection worth keeping
                spent += peaks[k]
            elif len(opts) == 1 and not out[k]:  # the same length in every one
                start_units += opts[0][0]
                start_value += opts[0][1]
                spent += peaks[k]
            else:
                visit.append(k)
    n = len(visit)
    least = [others[0]] * (n + 1)
    most = [others[1]] * (n + 1)
    for i in range(n - 1, -1, -1):
        least[i] = least[i + 1] + spans[visit[i]][0]
        most[i] = most[i + 1] + spans[visit[i]][1]
    fill = capacity - most[0]
    table: _Table = {0: {start_units: start_value} if start_units <= capacity - least[0] and (
        start_value - lam * (start_units if start_units >= fill else fill) >= spent - gap)
        else {}}
    if gap == 0:
        return visit, *_flat_table(bits, options, out, peaks, visit, least, most, capacity,
                                   lam, spent, table[0])
    layers: list[_Layer] = []
    for i, k in enumerate(visit):
        layers.append(table)
        spent += peaks[k]
        grow = options[k]
        if not grow and out[k]:  # left out of every selection worth keeping
            continue
        cap = capacity - least[i + 1]
        fill = capacity - most[i + 1]
        need = spent - gap  # keep (units c, value v) iff v - lam * max(c, fill) >= need
        new: _Table = {}
        if out[k]:
            for mask, row in table.items():
                new[mask] = {c: v for c, v in row.items()
                             if c <= cap and v - lam * (c if c >= fill else fill) >= need}
        add = bits[k]
        for mask, row in table.items():
            dst = new.get(mask | add)
            if dst is None:
                dst = new[mask | add] = {}
            for c0, v0 in row.items():
                for cost, value in grow:
                    c = c0 + cost
                    if c > cap:
                        break
                    v = v0 + value
                    if v - lam * (c if c >= fill else fill) >= need and dst.get(c, -1) < v:
                        dst[c] = v
        table = new
    return visit, layers, table


def _trace(specs: Sequence[_Spec], options: Sequence[_Options], out: Sequence[bool],
           visit: Sequence[int], layers: Sequence[_Layer],
           orders: Sequence[Sequence[int]] | None, mask: int, cost: int, value: int
           ) -> dict[str, int]:
    """Walk the layers back from (mask, cost, value) to the units of each chosen item.

    The walk makes the choices the full table's walk made: from the last item to the first,
    leave the item out if that still reaches the optimum, else take the first predecessor
    state in ``orders`` (the order the full table created its states in) and, for it, the
    fewest units. Every option and partial selection of an optimal selection was kept, so
    the choices are the same. Items :func:`_table` folded take their single length.
    """
    units: dict[str, int] = {}
    seen = set(visit)
    for k, opts in enumerate(options):
        if k not in seen and opts and not out[k]:
            units[specs[k][7]] = opts[0][0]
    for i in range(len(visit) - 1, -1, -1):
        k = visit[i]
        bits, tid, before = specs[k][5], specs[k][7], layers[i]
        if out[k]:
            same = before.get(mask)
            if same is not None and same.get(cost) == value:
                continue
        found = False
        for prev in (orders[k] if orders is not None else (0,)):
            if prev | bits != mask:
                continue
            row = before.get(prev)
            if not row:
                continue
            for c, v in options[k]:
                if c > cost:
                    break
                if row.get(cost - c, _NEG) + v == value:
                    units[tid] = c
                    mask, cost, value = prev, cost - c, value - v
                    found = True
                    break
            if found:
                break
        if not found:  # pragma: no cover - the forward pass guarantees a predecessor
            raise AssertionError("DP reconstruction failed")
    return units


def _mask_orders(specs: Sequence[_Spec]) -> list[list[int]]:
    """The order in which the full table (every item, every length) creates its states.

    It depends on the items' bits only: a layer copies the previous states (unless the item
    is mandatory), then adds ``state | bits`` for each in turn when new.
    """
    orders: list[list[int]] = []
    order = [0]
    for spec in specs:
        orders.append(order)
        new = [] if spec[6] else list(order)
        seen = set(new)
        for m in order:
            m |= spec[5]
            if m not in seen:
                seen.add(m)
                new.append(m)
        order = new
    return orders


def _cheapest_states(specs: Sequence[_Spec], capacity: int
                     ) -> dict[int, tuple[int, tuple[int, ...]]]:
    """Every reachable state: its fewest units (each chosen item at its minimum) and items."""
    best: dict[int, tuple[int, tuple[int, ...]]] = {0: (0, ())}
    for k, (_, lo, _, hi, _, bits, mandatory, _) in enumerate(specs):
        new = {} if mandatory else dict(best)
        if lo <= hi and lo <= capacity:
            for mask, (cost, chosen) in best.items():
                c = cost + lo
                m = mask | bits
                if c <= capacity and (m not in new or c < new[m][0]):
                    new[m] = (c, (*chosen, k))
        best = new
    return best


def _bounded(bound: _Bound, run: Callable[[list[_Options], list[bool],
                                           list[tuple[int, int]], int], Selection | None]
             ) -> Selection | None:
    """Run ``run`` over the choices losing nothing, then if needed over those the floor allows.

    The first run is enough when it finds a selection worth the bound: every optimum is then
    among the choices losing nothing. Otherwise the second run keeps the choices losing at
    most the greedy selection's gap, which holds every optimum.
    """
    gap = bound.bound - bound.floor
    if gap > 0:
        found = run(*bound.kept(0), 0)
        if found is not None and found.value >= bound.bound:
            return found
    return run(*bound.kept(gap), gap)


def _solve(specs: Sequence[_Spec], capacity: int, region_bits: int, flag_bit: int
           ) -> Selection | None:
    """The exact optimum over (state bits, units used), with the full table's tie-breaks.

    The best reachable state comes first (a small table of the cheapest way to reach each);
    then the value is maximised among selections reaching exactly that state, over the
    options the bound keeps.
    """
    reach = _cheapest_states(specs, capacity)
    if not reach:
        return None
    target = max(reach, key=lambda m: objective(m, 0, 0, region_bits, flag_bit))
    allowed = [spec[5] & ~target == 0 for spec in specs]
    start = [0] * len(specs)
    for k in reach[target][1]:
        start[k] = specs[k][1]
    bound = _Bound(specs, capacity, allowed, start)
    bits = [spec[5] for spec in specs]
    orders = _mask_orders(specs) if any(bits) else None

    def run(options: list[_Options], out: list[bool], spans: list[tuple[int, int]], gap: int
            ) -> Selection | None:
        visit, layers, best = _table(bits, options, out, bound.peaks, spans, capacity,
                                     bound.lam, gap, fold=orders is None)
        row = best.get(target)
        if not row:
            return None
        value = max(row.values())
        cost = min(c for c, v in row.items() if v == value)
        units = _trace(specs, options, out, visit, layers, orders, target, cost, value)
        return Selection({spec[7]: units[spec[7]] for spec in specs if spec[7] in units},
                         target, value)

    return _bounded(bound, run)


_NOT_APPLICABLE = Selection({}, -1, -1)


def _solve_split(specs: Sequence[_Spec], capacity: int) -> Selection | None:
    """The relaxed problem (no state bits) solved in two halves, exactly as before.

    When the items are single-unit steps and optional two-unit steps of even lengths (the
    shape of every real plan: general steps and treatments on both feet), the two kinds are
    solved apart and combined over every split of the capacity. Among the optima this takes
    the fewest two-unit-step units, then in each half the first item from the end left out
    or shortest: the tie-break the plans have always had (the goldens), kept exactly.

    Returns:
        The selection, ``None`` when infeasible, or ``_NOT_APPLICABLE`` when the items do not
        have that shape (the caller then uses :func:`_solve`).
    """
    parts: tuple[list[int], list[int]] = ([], [])
    start: list[int] = []  # every mandatory item at its minimum
    need = 0
    fits = True
    ones, twos = parts
    for k, (_, lo, d, hi, step, bits, mandatory, _) in enumerate(specs):
        if bits:
            return _NOT_APPLICABLE
        if step == 2:
            if mandatory or (lo | d | hi) & 1:
                return _NOT_APPLICABLE
            twos.append(k)
            start.append(0)
            continue
        if step != 1:
            return _NOT_APPLICABLE
        ones.append(k)
        if mandatory:
            start.append(lo)
            need += lo
            if lo > hi or lo > capacity:
                fits = False
        else:
            start.append(0)
    if not parts[1]:
        return _NOT_APPLICABLE
    if not fits or need > capacity:
        return None
    bound = _Bound(specs, capacity, [True] * len(specs), start)
    # _bounded's first run, on bit sets: enough when it is worth the bound (or the greedy
    # floor already is)
    flat = _split_flat(specs, parts, capacity, bound.lam, bound.peaks, *bound.zero)
    if bound.floor == bound.bound or (flat is not None and flat.value >= bound.bound):
        return flat

    def run(options: list[_Options], out: list[bool], spans: list[tuple[int, int]], gap: int
            ) -> Selection | None:
        if gap == 0:
            return flat
        halves = [[specs[k] for k in part] for part in parts]
        peaks = [[bound.peaks[k] for k in part] for part in parts]
        zeros = [[0] * len(part) for part in parts]
        split = [[spans[k] for k in part] for part in parts]
        sums = [(sum(lo for lo, _ in part), sum(hi for _, hi in part)) for part in split]
        solved = []
        for h, part in enumerate(parts):
            kept = ([options[k] for k in part], [out[k] for k in part])
            visit, layers, best = _table(zeros[h], *kept, peaks[h], split[h], capacity,
                                         bound.lam, gap, sums[1 - h], fold=True)
            solved.append((kept, visit, layers, best.get(0, {})))
        (kept1, visit1, layers1, row1), (kept2, visit2, layers2, row2) = solved
        prefix: list[tuple[int, int, int]] = []  # (units, best value within, its fewest units)
        top_value, top_cost = _NEG, -1
        for cost in sorted(row1):
            if row1[cost] > top_value:
                top_value, top_cost = row1[cost], cost
            prefix.append((cost, top_value, top_cost))
        chosen: tuple[tuple[int, int], int, int, int] | None = None
        j = -1
        for units2 in sorted(row2):  # the fewest two-unit-step units first, as before
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
        if chosen is None:
            return None
        (total, _), units2, cost1, value1 = chosen
        units = _trace(halves[0], *kept1, visit1, layers1, None, 0, cost1, value1)
        units.update(_trace(halves[1], *kept2, visit2, layers2, None, 0, units2, row2[units2]))
        return Selection({spec[7]: units[spec[7]] for spec in specs if spec[7] in units},
                         0, total)

    return _bounded(bound, run)


def _split_flat(specs: Sequence[_Spec], parts: tuple[list[int], list[int]], capacity: int,
                lam: int, peaks: Sequence[int], options: Sequence[_Options],
                out: Sequence[bool], spans: Sequence[tuple[int, int]]) -> Selection | None:
    """:func:`_solve_split`'s run over the choices losing nothing (``gap == 0``), on bit sets.

    The same steps as :func:`_table` (folding, then :func:`_flat_table`), the combination of
    the halves and :func:`_trace`, without their general tables: every kept choice gains
    exactly its item's ``M_i``, so a partial selection's value follows from its length and a
    row is a bit set of reachable lengths. Walking back, an item left out keeps the length
    (its ``M_i`` is 0) and a chosen one takes its fewest units that leave a reachable length.
    """
    units: dict[str, int] = {}
    folded: list[tuple[list[int], int, int, int]] = []  # per half: visit, start units, value, spent
    sums: list[tuple[int, int]] = []  # per half: fewest and most units
    for part in parts:
        start_units = start_value = spent = low = high = 0
        visit: list[int] = []
        for k in part:
            a, b = spans[k]
            low += a
            high += b
            opts = options[k]
            if out[k]:
                if opts:
                    visit.append(k)
                else:  # left out of every selection worth keeping
                    spent += peaks[k]
            elif len(opts) == 1:  # the same length in every one
                c, v = opts[0]
                start_units += c
                start_value += v
                spent += peaks[k]
                units[specs[k][7]] = c
            else:
                visit.append(k)
        folded.append((visit, start_units, start_value, spent))
        sums.append((low, high))
    solved: list[tuple[list[int], list[tuple[int, int]], int, int]] = []
    for h, (visit, start_units, start_value, spent) in enumerate(folded):
        other_low, other_high = sums[1 - h]
        n = len(visit)
        least = [other_low] * (n + 1)
        most = [other_high] * (n + 1)
        for i in range(n - 1, -1, -1):
            a, b = spans[visit[i]]
            least[i] = least[i + 1] + a
            most[i] = most[i + 1] + b
        fill = capacity - most[0]
        reachable = 1 << start_units if start_units <= capacity - least[0] and (
            start_value - lam * (start_units if start_units >= fill else fill) >= spent) else 0
        layers: list[tuple[int, int]] = []  # (reachable lengths, sum of M_i) before each
        for i, k in enumerate(visit):
            layers.append((reachable, spent))
            spent += peaks[k]
            cap = capacity - least[i + 1]
            fill = capacity - most[i + 1] if lam else 0
            window = ((1 << (cap + 1)) - (1 << fill) if fill > 0 else (1 << (cap + 1)) - 1
                      ) if cap >= 0 and cap >= fill else 0
            reach = 0
            for c, _ in options[k]:
                reach |= reachable << c
            reachable = ((reachable if out[k] else 0) | reach) & window
        solved.append((visit, layers, reachable, spent))
    (_, _, reach1, spent1), (_, _, reach2, spent2) = solved
    # the combination of :func:`_solve_split`: row values are ``spent + lam * units``
    lengths1 = _lengths(reach1)
    chosen: tuple[tuple[int, int], int, int] | None = None
    j = -1
    for units2 in _lengths(reach2):  # the fewest two-unit-step units first, as before
        rest = capacity - units2
        if rest < 0:
            break
        while j + 1 < len(lengths1) and lengths1[j + 1] <= rest:
            j += 1
        while j >= 0 and lengths1[j] > rest:
            j -= 1
        if j < 0:
            continue
        cost1 = lengths1[j] if lam else lengths1[0]
        key = (spent1 + spent2 + lam * (cost1 + units2), -(cost1 + units2))
        if chosen is None or key > chosen[0]:
            chosen = (key, units2, cost1)
    if chosen is None:
        return None
    (total, _), units2, cost1 = chosen
    for (visit, layers, _, _), cost in zip(solved, (cost1, units2), strict=True):
        for i in range(len(visit) - 1, -1, -1):
            k = visit[i]
            before = layers[i][0]
            if out[k] and before >> cost & 1:
                continue
            for c, _ in options[k]:
                if c > cost:
                    raise AssertionError("DP reconstruction failed")  # pragma: no cover
                if before >> (cost - c) & 1:
                    units[specs[k][7]] = c
                    cost -= c
                    break
            else:  # pragma: no cover - the forward pass guarantees a predecessor
                raise AssertionError("DP reconstruction failed")
    return Selection({spec[7]: units[spec[7]] for spec in specs if spec[7] in units}, 0, total)


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
