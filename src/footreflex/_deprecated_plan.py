"""``footreflex.recommend.personalised_plan`` for one more release: it is ``plan(profile=)``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from footreflex._pipeline import build, prepare

if TYPE_CHECKING:
    from footreflex._knowledge import KnowledgeBase
    from footreflex._models import Routine
    from footreflex.personal import Profile

__all__ = ["personalised_plan"]


def personalised_plan(symptoms: str | Sequence[str], minutes: float = 15, *,
                      knowledge: KnowledgeBase | None = None,
                      conditions: Sequence[str] | None = None, profile: Profile,
                      bonus: dict[str, float] | None = None,
                      answers: Mapping[str, bool] | None = None) -> Routine:
    """Deprecated: :func:`footreflex.plan` with ``profile=`` (``bonus`` is a program's rotation).

    Args:
        symptoms: As :func:`footreflex.plan`.
        minutes: As :func:`footreflex.plan`.
        knowledge: As :func:`footreflex.plan`.
        conditions: As :func:`footreflex.plan`.
        profile: As :func:`footreflex.plan`.
        bonus: A small relative weight bonus per target id.
        answers: As :func:`footreflex.plan`.

    Returns:
        The routine.
    """
    prepared = prepare(symptoms, knowledge=knowledge, conditions=conditions, profile=profile,
                       answers=answers)
    return build(prepared, minutes, bonus=bonus)
