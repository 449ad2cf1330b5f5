"""Personalisation as an input to planning: a profile's feedback becomes a :class:`Tuning`.

The model
---------
For every ``(target, region)`` a person has rated, the target's relevance to that region is
multiplied by

    factor = posterior mean of "it helps" / 0.5

with a Beta prior centred on 0.5 of strength :data:`PRIOR_STRENGTH` (``Beta(2, 2)``):
``helped`` counts as one success, ``did_not_help`` as one failure, ``neutral`` as half of each,
``skip`` not at all. So no ratings gives a factor of exactly 1, a few ratings move it a little
(one "helped": 1.2), many consistent ones a lot (20 of 20 "helped": 1.83; 2 of 20: 0.33).
A rating counts for the regions the target served in that session.

The factor changes a target's weight in the planner's knapsack (so how much time it gets and
whether it makes the cut), not whether the knowledge base counts it as covering a region.
Excluded targets never appear; favourites win ties (one weight unit more); standing conditions
apply as if passed to ``plan``; declared conditions and the safety rules always win.

This module never plans: :func:`footreflex.plan` takes the tuning as one of its inputs and,
when feedback changed the routine, hands both routines to :func:`explain`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from footreflex.personal._profile import Profile
from footreflex.planning import Tuning
from footreflex.safety import parse_conditions

if TYPE_CHECKING:
    from footreflex._knowledge import KnowledgeBase
    from footreflex._models import Routine, Step

__all__ = ["PRIOR_STRENGTH", "explain", "factor", "merged_conditions", "tuning_for"]

PRIOR_STRENGTH = 4.0
"""Strength of the Beta prior (pseudo-ratings), centred on 0.5."""


def factor(successes: float, ratings: float) -> float:
    """Return the relevance multiplier for ``successes`` out of ``ratings``.

    Args:
        successes: ``helped`` + half of ``neutral``.
        ratings: Number of ratings counted (``skip`` excluded).

    Returns:
        ``(PRIOR_STRENGTH / 2 + successes) / (PRIOR_STRENGTH + ratings) / 0.5``.
    """
    return (PRIOR_STRENGTH / 2 + successes) / (PRIOR_STRENGTH + ratings) / 0.5


def tuning_for(profile: Profile, bonus: dict[str, float] | None = None) -> Tuning:
    """Turn a profile into planner :class:`~footreflex.planning.Tuning`.

    Args:
        profile: The profile.
        bonus: Optional rotation bonus per target.

    Returns:
        The tuning.
    """
    factors = {key: factor(s, n) for key, (s, _f, n) in profile.counts().items() if n > 0}
    prefs = profile.preferences
    return Tuning(factors=factors, excluded=frozenset(prefs.excluded),
                  favourites=frozenset(prefs.favourites), bonus=bonus or {},
                  pressure=prefs.pressure)


def merged_conditions(conditions: Sequence[str] | None, profile: Profile) -> list[str]:
    """The declared conditions plus the profile's standing ones, each once, declared first."""
    merged = [str(c) for c in parse_conditions(conditions)]
    for extra in profile.preferences.conditions:
        if extra not in merged:
            merged.append(extra)
    return merged


def _per_target(profile: Profile) -> dict[str, tuple[int, int]]:
    """Target id -> (times rated helped, times rated, skips not counted)."""
    out: dict[str, tuple[int, int]] = {}
    for session in profile.sessions:
        if session.feedback is None:
            continue
        for tid, rating in session.feedback.ratings.items():
            if rating == "skip":
                continue
            helped, total = out.get(tid, (0, 0))
            out[tid] = (helped + (rating == "helped"), total + 1)
    return out


def _seconds_by_target(routine: Routine) -> dict[str, int]:
    out: dict[str, int] = {}
    for step in routine.steps:
        out[step.target_id] = out.get(step.target_id, 0) + step.duration_s
    return out


def explain(routine: Routine, plain: Routine, profile: Profile, kb: KnowledgeBase,
            tuning: Tuning) -> Routine:
    """Say in a routine what a person's feedback and exclusions changed.

    Args:
        routine: The routine planned with the person's tuning.
        plain: The same request planned without their ratings (exclusions kept).
        profile: The person's profile (their ratings).
        kb: The knowledge base both were planned from.
        tuning: The tuning ``routine`` was planned with.

    Returns:
        ``routine`` with a note in ``why`` on each step whose time feedback changed, and a
        warning for each target left out after feedback or at the person's request.
    """
    mine, base = _seconds_by_target(routine), _seconds_by_target(plain)
    rated = _per_target(profile)
    steps: list[Step] = []
    for step in routine.steps:
        note = ""
        if step.target_id in rated and mine[step.target_id] != base.get(step.target_id):
            helped, total = rated[step.target_id]
            code = step.code or step.name
            if step.target_id not in base:
                change = "added, not in the plain routine"
            elif mine[step.target_id] > base[step.target_id]:
                change = "more time than the plain routine"
            else:
                change = "less time than the plain routine"
            note = f"; you rated {code} helpful {helped} of {total} times: {change}"
        steps.append(step.model_copy(update={"why": step.why + note}) if note else step)
    warnings = list(routine.warnings)
    for tid in base:
        if tid not in mine and tid in rated:
            helped, total = rated[tid]
            name = kb.targets[tid].code or kb.targets[tid].name
            warnings.append(f"Left out after your feedback: {name} (rated helpful {helped} "
                            f"of {total} times).")
    requested = set(routine.regions)
    # in the order the person excluded them (a frozenset's order changes between processes)
    declared = [t for t in profile.preferences.excluded if t in tuning.excluded]
    for tid in declared + sorted(tuning.excluded.difference(declared)):
        target = kb.targets.get(tid)
        if target is not None and any(e.region in requested for e in target.serves):
            warnings.append(f"Left out at your request: {target.code or target.name}.")
    return routine.model_copy(update={"steps": tuple(steps), "warnings": tuple(warnings)})
