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
    targets = kb.targets
    remaining = sorted(ids)
    if not remaining:
        return []
    # positions and surfaces read once; the distance: Euclidean, plus the surface change
    where = {t: (targets[t].position, frozenset(targets[t].surfaces)) for t in remaining}
    current = min(remaining, key=lambda t: (where[t][0].along, t))
    remaining.remove(current)
    path = [current]
    points = {t: (p.along, p.across, p.height, sides) for t, (p, sides) in where.items()}
    sqrt, extra = math.sqrt, SURFACE_CHANGE_COST
    while remaining:
        a1, a2, a3, sa = points[current]
        best_d = math.inf
        best = ""
        # ``remaining`` is sorted and a tie keeps the first: the smallest id wins a tie
        for t in remaining:
            b1, b2, b3, sb = points[t]
            da, dc, dh = a1 - b1, a2 - b2, a3 - b3
            d = sqrt(da * da + dc * dc + dh * dh) + (0.0 if not sa.isdisjoint(sb) else extra)
            if d < best_d:
                best_d, best = d, t
        current = best
        path.append(current)
        remaining.remove(current)
    return path


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
    for foot in feet:
        out.extend((kb.targets[t], _FEET[foot], selection.units[t] * UNIT_S // count)
                   for t in path)
    if cool is not None and cool.id in selection.units:
        out.append((cool, both, selection.units[cool.id] * UNIT_S))
    return out


_FEET: dict[str, Foot] = {"right": "right", "left": "left", "both": "both"}
