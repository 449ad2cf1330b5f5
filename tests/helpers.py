"""Shared test helpers."""

from __future__ import annotations

import itertools

from footreflex.planner import Item, objective


def brute_force(items: list[Item], capacity: int, region_bits: int, flag: int
                ) -> tuple[int, ...] | None:
    choices = []
    for item in items:
        opts = [(c, v) for c, v in item.options(capacity)]
        choices.append(opts if item.mandatory else [(0, 0), *opts])
    best = None
    for combo in itertools.product(*choices):
        cost = sum(c for c, _ in combo)
        if cost > capacity:
            continue
        mask = 0
        for item, (c, _) in zip(items, combo, strict=True):
            if c:
                mask |= item.bits
        key = objective(mask, sum(v for _, v in combo), cost, region_bits, flag)
        best = key if best is None or key > best else best
    return best
