"""Order: the chosen targets along a short path over the foot, feet in turn.

The warm-up first; then the chosen treatment targets on the right foot, then the same sequence
on the left foot (the seed article starts with the right foot); the cool-down last. The
sequence on a foot is a nearest-neighbour path over the targets' diagram positions
(``along``, ``across``, ``height``), starting from the target nearest the heel, where a move
between targets that share no foot surface costs :data:`SURFACE_CHANGE_COST` extra, so the
hands move little. Ties are broken by target id.
"""

from __future__ import annotations

import math
import threading
import weakref
from collections.abc import Sequence
from typing import TYPE_CHECKING

from footreflex.planning._items import UNIT_S

if TYPE_CHECKING:
    from footreflex._knowledge import KnowledgeBase
    from footreflex._models import Foot, Target
    from footreflex.planning._solver import Selection

__all__ = ["SURFACE_CHANGE_COST", "order", "order_targets"]

SURFACE_CHANGE_COST = 0.5
"""Extra distance charged for moving to a target on another foot surface."""


def order_targets(ids: Sequence[str], kb: KnowledgeBase) -> list[str]:
    """Order target ids along a short path over the foot (see the module docstring).

    Args:
        ids: Target ids to visit.
        kb: Knowledge base whose targets hold the positions.

    Returns:
        The ids in visiting order.
    """
    if not ids:
        return []
    points = _points.get(kb)
    if points is None:
        with _lock:
            points = _points.setdefault(kb, {})
    # (id, along, across, height, surfaces as bits), by id; the distance: Euclidean, plus the
    # surface change
    remaining = []
    for t in sorted(ids):
        point = points.get(t)
        if point is None:
            point = points[t] = _point(kb.targets[t])
        remaining.append((t, *point))
    first = 0
    for k in range(1, len(remaining)):  # nearest the heel; a tie keeps the smallest id
        if remaining[k][1] < remaining[first][1]:
            first = k
    _, a1, a2, a3, sa = current = remaining.pop(first)
    path = [current[0]]
    sqrt, extra = math.sqrt, SURFACE_CHANGE_COST
    while remaining:
        best_d = math.inf
        best = 0
        # ``remaining`` is sorted and a tie keeps the first: the smallest id wins a tie
        for k, (_, b1, b2, b3, sb) in enumerate(remaining):
            da, dc, dh = a1 - b1, a2 - b2, a3 - b3
            d = sqrt(da * da + dc * dc + dh * dh) + (0.0 if sa & sb else extra)
            if d < best_d:
                best_d, best = d, k
        _, a1, a2, a3, sa = current = remaining.pop(best)
        path.append(current[0])
    return path


_Point = tuple[float, float, float, int]
_points: weakref.WeakKeyDictionary[KnowledgeBase, dict[str, _Point]] = (
    weakref.WeakKeyDictionary())
"""Per knowledge base, each target's position and surfaces as read by the path (per target,
filled as targets are first ordered)."""
_surfaces: dict[str, int] = {}  # surface name -> its bit
_lock = threading.Lock()


def _point(target: Target) -> _Point:
    """A target's position, and its foot surfaces as bits (sharing one = a common bit)."""
    bits = 0
    for surface in target.surfaces:
        bit = _surfaces.get(surface)
        if bit is None:
            with _lock:
                bit = _surfaces.setdefault(surface, 1 << len(_surfaces))
        bits |= bit
    p = target.position
    return p.along, p.across, p.height, bits


def order(selection: Selection, kb: KnowledgeBase, feet: Sequence[str]
          ) -> list[tuple[Target, Foot, int]]:
    """Arrange a selection as ``(target, foot, seconds)`` in the order they are done.

    Args:
        selection: The solver's selection (units per target, both feet together).
        kb: The knowledge base the selection was made from.
        feet: The feet to treat, in order (``("right", "left")``, or one foot).

    Returns:
        The warm-up (both feet), each treatment target on the first foot along a short path,
        the same on the next foot, then the cool-down when chosen.
    """
    count = len(feet)
    warm, cool = kb.warmup, kb.cooldown
    chosen = [t for t in selection.units if t not in (warm.id, cool.id if cool else None)]
    path = order_targets(chosen, kb)
    both: Foot = "both" if count == 2 else _FEET[feet[0]]
    out: list[tuple[Target, Foot, int]] = [(warm, both, selection.units[warm.id] * UNIT_S)]
    targets, units = kb.targets, selection.units
    rows = [(targets[t], units[t] * UNIT_S // count) for t in path]  # the same on each foot
    for foot in feet:
        side = _FEET[foot]
        out.extend([(target, side, seconds) for target, seconds in rows])
    if cool is not None and cool.id in selection.units:
        out.append((cool, both, selection.units[cool.id] * UNIT_S))
    return out


_FEET: dict[str, Foot] = {"right": "right", "left": "left", "both": "both"}
