"""Renderers: a routine (or a refusal) as text, Markdown, a foot map, an HTML card, cues, ICS.

Every renderer is a function of the routine it is given (and, for pictures, the knowledge
base it was planned from; region names come from ``routine.region_names``). The renderer
modules load on first call, so importing this package costs next to nothing; it registers
the functions behind the models' delegate methods (``str(routine)``, ``routine.to_html()``,
``routine.foot_map()``, ``routine.cues()`` …), which never import a renderer themselves.

To add a renderer: a private module here with one public function of a ``Routine``, its
wrapper below (and in ``_VIEWS`` if a model method should delegate to it), and a flag in
``footreflex/cli/_main.py``.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import TYPE_CHECKING

from footreflex._models import _VIEWS

if TYPE_CHECKING:
    from footreflex._knowledge import KnowledgeBase
    from footreflex._models import Cue, Routine, Step, Triage
    from footreflex.render._footmap import FootMap, chart

__all__ = ["FootMap", "chart", "cues", "foot_map", "html", "ics", "markdown", "remaining",
           "step_at", "steps_table_html", "text", "triage_html"]


def text(routine: Routine) -> str:
    """The routine as plain text (what ``str(routine)`` prints).

    Args:
        routine: The routine.

    Returns:
        Numbered steps with foot, time and how to press, warnings, sources, disclaimer.
    """
    from footreflex.render._plain import routine_text

    return routine_text(routine)


def markdown(routine: Routine) -> str:
    """The routine as Markdown (``routine.to_markdown()``).

    Args:
        routine: The routine.

    Returns:
        A Markdown document: heading, table of steps, instructions, sources.
    """
    from footreflex.render._plain import routine_markdown

    return routine_markdown(routine)


def foot_map(routine: Routine, knowledge: KnowledgeBase | None = None) -> FootMap:
    """The routine drawn on the feet (``routine.foot_map()``).

    Args:
        routine: The routine.
        knowledge: The knowledge base it was planned from (default: the shipped one).

    Returns:
        A :class:`~footreflex.FootMap`.
    """
    from footreflex.render._footmap import routine_map

    return routine_map(routine, knowledge)


def html(routine: Routine, knowledge: KnowledgeBase | None = None) -> str:
    """The printable one-page card (``routine.to_html()``).

    Args:
        routine: The routine.
        knowledge: The knowledge base it was planned from (default: the shipped one).

    Returns:
        A self-contained HTML document.
    """
    from footreflex.render._card import routine_html

    return routine_html(routine, knowledge)


def steps_table_html(routine: Routine, knowledge: KnowledgeBase | None = None) -> str:
    """The routine's steps as an HTML table (the notebook display uses it).

    Args:
        routine: The routine.
        knowledge: The knowledge base it was planned from (default: the shipped one).

    Returns:
        An HTML fragment.
    """
    from footreflex.render._card import steps_table_html as table

    return table(routine, knowledge)


def triage_html(triage: Triage) -> str:
    """The advice page shown instead of a routine (``triage.to_html()``).

    Args:
        triage: The triage verdict.

    Returns:
        A self-contained HTML document.
    """
    from footreflex.render._card import triage_html as page

    return page(triage)


def cues(routine: Routine, from_s: float = 0) -> Iterator[Cue]:
    """The routine's timeline of cues (``routine.cues()``).

    Args:
        routine: The routine.
        from_s: Only cues at or after this second.

    Returns:
        The cues in time order.
    """
    from footreflex.render._timeline import cues as timeline

    return timeline(routine, from_s)


def step_at(routine: Routine, at_s: float) -> Step | None:
    """The step running at second ``at_s`` (``routine.step_at()``).

    Args:
        routine: The routine.
        at_s: Seconds since the start.

    Returns:
        The step, or ``None`` past the end.
    """
    from footreflex.render._timeline import step_at as at

    return at(routine, at_s)


def remaining(routine: Routine, at_s: float) -> int:
    """Whole seconds left at second ``at_s`` (``routine.remaining()``).

    Args:
        routine: The routine.
        at_s: Seconds since the start.

    Returns:
        The seconds left, never below 0.
    """
    from footreflex.render._timeline import remaining as left

    return left(routine, at_s)


def ics(routine: Routine, start: str | datetime, sessions: int = 1) -> bytes:
    """The routine as calendar events (iCalendar), one per daily session.

    Args:
        routine: The routine.
        start: Date and time of the first session.
        sessions: Number of daily sessions.

    Returns:
        The ``.ics`` file's bytes.
    """
    from footreflex.render._ics import routine_ics

    return routine_ics(routine, start, sessions)


def __getattr__(name: str) -> object:
    if name in ("FootMap", "chart"):
        from footreflex.render import _footmap

        return getattr(_footmap, name)
    raise AttributeError(f"module 'footreflex.render' has no attribute {name!r}")


_VIEWS.update(routine_text=text, routine_markdown=markdown, routine_map=foot_map,
              routine_html=html, steps_table_html=steps_table_html, triage_html=triage_html,
              cues=cues, step_at=step_at, remaining=remaining)
