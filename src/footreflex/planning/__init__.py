"""The planning stages, each a function that can be called and tested alone.

``candidates`` (the knowledge base's targets for the regions, tuned and pruned, as solver
items) → ``select`` (the exact choice of items and lengths within the budget) → ``order``
(warm-up first, a short path over each foot, cool-down last) → ``steps`` (the steps people
read, with their sources). :func:`footreflex.plan` composes them (``footreflex._pipeline``).

>>> from footreflex import knowledge
>>> from footreflex.planning import Tuning, candidates, select
>>> from footreflex.safety import screen
>>> items, flag = candidates(knowledge(), ["lumbar"], 2, 80, screen(None), Tuning())
>>> items[0].id, items[0].mandatory
('general_warmup', True)
>>> selection = select(items, 80, flag - 1, flag)
>>> selection.cost <= 80
True
"""

from footreflex.planning._items import (
    STRONG_RELEVANCE,
    UNIT_S,
    WEIGHT_SCALE,
    Tuning,
    candidates,
    usable,
)
from footreflex.planning._order import SURFACE_CHANGE_COST, order, order_targets
from footreflex.planning._solver import Item, Selection, min_units, objective, select
from footreflex.planning._steps import sources, steps

__all__ = [
    "STRONG_RELEVANCE",
    "SURFACE_CHANGE_COST",
    "UNIT_S",
    "WEIGHT_SCALE",
    "Item",
    "Selection",
    "Tuning",
    "candidates",
    "min_units",
    "objective",
    "order",
    "order_targets",
    "select",
    "sources",
    "steps",
    "usable",
]
