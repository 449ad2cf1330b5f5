"""A routine's timeline: cues for apps, and where a session stands at any second.

Cue rules (all times in whole seconds from the session start):

* ``session_start`` at 0, then a ``warning`` cue for each of the routine's warnings and
  each "watch for" line (at 0, before the first step; ``step_index`` is ``None``);
* for every step ``step_start`` at its start, followed by a ``warning`` cue for each of the
  step's cautions ("press it gently"; ``step_index`` is the step's);
* ``switch_foot`` at the start of the first step on a foot after steps on the other foot
  ("Switch to the left foot"), placed before that step's ``step_start``;
* ``halfway`` at the middle of a step of at least 2 minutes, unless that falls within 15 s of
  its "one more minute" cue;
* ``one_minute_left`` one minute before the end of a step of at least 2 minutes 30 s;
* ``step_end`` at its end, then ``session_end`` after the last step.

At the same second the order is: ``session_start`` and the routine's warnings, ``step_end`` of
the step that finishes, ``switch_foot``, ``step_start`` of the next step and its cautions (and
``session_end`` last).
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterator
from typing import TYPE_CHECKING

from footreflex._models import Cue, CueKind
from footreflex._text import duration, foot_phrase, plural
from footreflex.errors import TimelineError

if TYPE_CHECKING:
    from footreflex._models import Routine, Step

__all__ = ["LONG_STEP_S", "ONE_MINUTE_STEP_S", "cues", "remaining", "step_at"]

LONG_STEP_S = 120
"""Steps at least this long get a ``halfway`` cue."""
ONE_MINUTE_STEP_S = 150
"""Steps at least this long get a ``one_minute_left`` cue."""

_ORDER: dict[str, int] = {"session_start": 0, "warning": 0, "step_end": 1, "switch_foot": 2,
                          "step_start": 3, "halfway": 4, "one_minute_left": 5, "session_end": 6}
_CAUTION_ORDER = 3  # a step's cautions: right after its step_start (same rank, added after)


def _seconds(value: object, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TimelineError(f"{name} must be a number of seconds, not {type(value).__name__}")
    try:
        number = float(value)
    except OverflowError:
        number = math.inf
    if math.isnan(number) or math.isinf(number) or number < 0:
        raise TimelineError(f"{name} must be a finite number of seconds >= 0, not "
                            f"{number if math.isinf(number) else value}")
    return number



def _foot(step: Step) -> str:
    phrase = foot_phrase(step.foot)
    return phrase if step.foot == "both" else f"your {phrase}"


def _all(routine: Routine) -> list[Cue]:
    out: list[tuple[int, int, int, CueKind, str, int | None]] = []
    steps = routine.steps
    total = len(steps)

    def add(at: int, kind: CueKind, text: str, index: int | None,
            order: int | None = None) -> None:
        out.append((at, _ORDER[kind] if order is None else order, len(out), kind, text, index))

    minutes = duration(routine.total_seconds)
    add(0, "session_start", f"Starting a {minutes} routine of {plural(total, 'step')}. Sit "
        "comfortably with the foot within reach; stop if anything hurts.", None)
    for warning in routine.warnings:
        add(0, "warning", warning, None)
    for line in routine.watch_for:
        add(0, "warning", line, None)
    last_foot: str | None = None
    for step in steps:
        if step.foot in ("left", "right"):
            if last_foot is not None and last_foot != step.foot:
                add(step.start_s, "switch_foot", f"Switch to {_foot(step)}.", step.index)
            last_foot = step.foot
        where = f" Where: {step.location}" if step.location and "Where:" not in \
            step.instructions else ""
        add(step.start_s, "step_start",
            f"Step {step.index} of {total}: {step.name}, {_foot(step)}, "
            f"{duration(step.duration_s)}.{where} {step.instructions}", step.index)
        for caution in step.cautions:
            add(step.start_s, "warning", f"Careful: {caution}", step.index, _CAUTION_ORDER)
        minute_mark = step.end_s - 60 if step.duration_s >= ONE_MINUTE_STEP_S else None
        if step.duration_s >= LONG_STEP_S:
            half = step.start_s + step.duration_s // 2
            if minute_mark is None or abs(half - minute_mark) > 15:
                add(half, "halfway", f"Halfway through {step.name}.", step.index)
        if minute_mark is not None:
            add(minute_mark, "one_minute_left", f"One more minute on {step.name}.", step.index)
        add(step.end_s, "step_end", f"Step {step.index} done.", step.index)
    add(routine.total_seconds, "session_end", "Session complete. Rest your feet for a moment; "
        "stop and see a clinician if pain is worse.", None)
    out.sort(key=lambda c: (c[0], c[1], c[2]))
    return [Cue(at_s=at, kind=kind, text=text.strip(), step_index=index)
            for at, _, _, kind, text, index in out]


def cues(routine: Routine, from_s: float = 0) -> Iterator[Cue]:
    """Yield the routine's cues at or after ``from_s`` (see the module docstring).

    Args:
        routine: The routine.
        from_s: First second of interest.

    Yields:
        :class:`~footreflex.Cue` objects in time order.

    Raises:
        TimelineError: ``from_s`` is not a finite number >= 0.
    """
    start = _seconds(from_s, "from_s")
    return (cue for cue in _all(routine) if cue.at_s >= start)


def step_at(routine: Routine, at_s: float) -> Step | None:
    """Return the step running at ``at_s``, or ``None`` past the end.

    Args:
        routine: The routine.
        at_s: Seconds since the start.

    Returns:
        The step whose ``[start_s, end_s)`` holds ``at_s``.

    Raises:
        TimelineError: ``at_s`` is not a finite number >= 0.
    """
    at = _seconds(at_s, "at_s")
    for step in routine.steps:
        if step.start_s <= at < step.end_s:
            return step
    return None


def remaining(routine: Routine, at_s: float) -> int:
    """Return whole seconds left in the session at ``at_s`` (never below 0).

    Args:
        routine: The routine.
        at_s: Seconds since the start.

    Returns:
        Seconds left, rounded up.

    Raises:
        TimelineError: ``at_s`` is not a finite number >= 0.
    """
    at = _seconds(at_s, "at_s")
    return max(0, math.ceil(routine.total_seconds - at))
