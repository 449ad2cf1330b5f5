"""Render a routine as plain text or Markdown."""

from __future__ import annotations

import re
from collections.abc import Mapping

from footreflex._models import Routine, Step
from footreflex._text import (
    WATCH_FOR_HEADING,
    clock,
    duration,
    foot_phrase,
    plural,
    region_name,
)

__all__ = ["names_of", "region_names", "routine_markdown", "routine_text", "technique_label"]


def names_of(routine: Routine) -> Mapping[str, str]:
    """Region id -> display name for a routine: its own ``region_names``.

    Every routine planned since schema 2 carries the names of the knowledge base it was
    planned with, and renderers use only those. Routine JSON saved before (no
    ``region_names`` at all) falls back to the shipped knowledge base's names, the only names
    such a routine can have had, rather than showing bare ids.
    """
    if routine.region_names or not routine.regions:
        return routine.region_names
    from footreflex._knowledge import knowledge

    known = knowledge().regions
    return {r: known[r].name for r in routine.regions if r in known}


def region_names(routine: Routine) -> str:
    """Return the routine's regions as display names, with the side where one was stated.

    Names come from :func:`names_of`: ``"lower back (left side), neck"``.
    """
    names: list[str] = []
    own = names_of(routine)
    for r in routine.regions:
        name = region_name(r, own)
        side = routine.sides.get(r)
        if side is not None:
            name += " (both sides)" if side == "both" else f" ({side} side)"
        names.append(name)
    return ", ".join(names) or "-"


SIDES_NOTE = ("Both feet are still treated, whatever the side: the spine's reflex zones run "
              "along the inner edge of both feet, the points used come in pairs (one on each "
              "foot), and the sources work both.")
"""Shown with a routine whose text states a side (docs/understanding.md, "Sides")."""


def _title(routine: Routine, regions: str) -> str:
    return (f"Foot self-massage for {regions}: {plural(len(routine.steps), 'step')}, "
            f"{duration(routine.total_seconds)} (budget {routine.minutes:g} min)")


def technique_label(technique: str) -> str:
    """Return a technique in words for a table: the start of its description in the data.

    ``"press_hold"`` reads ``"Steady thumb pressure on the point"`` (the description up to its
    first colon or comma); a technique the shipped knowledge base does not describe reads as
    its id in words.
    """
    from footreflex._knowledge import knowledge

    text = knowledge().techniques.get(technique)
    if not text:
        return technique.replace("_", " ")
    return re.split(r"[:,.]", text, maxsplit=1)[0].strip()


def _label(step: Step) -> str:
    return f"{step.code} {step.name}" if step.code and step.code not in step.name else step.name


def routine_text(routine: Routine) -> str:
    """Return readable text: warnings and what to stop for first, then the numbered steps.

    Args:
        routine: The routine.

    Returns:
        Multi-line text.
    """
    lines = [_title(routine, region_names(routine))]
    if routine.sides:
        lines.append(SIDES_NOTE)
    if routine.warnings:
        lines.append("")
        lines.extend(f"! {w}" for w in routine.warnings)
    if routine.watch_for:
        lines.append("")
        lines.append(f"{WATCH_FOR_HEADING}:")
        lines.extend(f"  - {w}" for w in routine.watch_for)
    lines.append("")
    for step in routine.steps:
        lines.append(f"{step.index:>2}. [{clock(step.start_s)}] {_label(step)} - "
                     f"{foot_phrase(step.foot)}, {duration(step.duration_s)}")
        lines.append(f"    {step.instructions}")
        lines.extend(f"    Careful: {c}" for c in step.cautions)
        if step.why and step.kind not in ("warmup", "cooldown"):
            lines.append(f"    Why: {step.why}")
        if step.evidence:
            lines.append(f"    Evidence: {step.evidence}")
    lines.append("")
    lines.append(routine.disclaimer)
    if routine.sources:
        lines.append("Sources:")
        lines.extend(f"  - {s.citation}" for s in routine.sources)
    return "\n".join(lines)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def routine_markdown(routine: Routine) -> str:
    """Return the routine as a Markdown document.

    Args:
        routine: The routine.

    Returns:
        Markdown: a heading, warnings, what to stop for, a table of steps, instructions
        (with each step's cautions) and sources.
    """
    out = [f"## {_cell(_title(routine, region_names(routine)))}", ""]
    if routine.sides:
        out.extend([SIDES_NOTE, ""])
    if routine.warnings:
        out.extend(f"> **Note:** {_cell(w)}" + "  " for w in routine.warnings)
        out.append("")
    if routine.watch_for:
        out.append(f"### {WATCH_FOR_HEADING}")
        out.append("")
        out.extend(f"- {_cell(w)}" for w in routine.watch_for)
        out.append("")
    out.append("| # | start | target | foot | time | technique |")
    out.append("|---|---|---|---|---|---|")
    for step in routine.steps:
        out.append(f"| {step.index} | {clock(step.start_s)} | {_cell(_label(step))} | "
                   f"{step.foot} | {duration(step.duration_s)} | "
                   f"{_cell(technique_label(step.technique))} |")
    out.append("")
    out.append("### How to press")
    out.append("")
    for step in routine.steps:
        why = f" *Why: {_cell(step.why)}*" if step.why else ""
        if step.evidence:
            why += f" *Evidence: {_cell(step.evidence)}.*"
        careful = "".join(f" **Careful:** {_cell(c)}" for c in step.cautions)
        out.append(f"{step.index}. **{_cell(_label(step))}** ({step.foot}): "
                   f"{_cell(step.instructions)}{careful}{why}")
    out.append("")
    out.append(f"*{_cell(routine.disclaimer)}*")
    if routine.sources:
        out.append("")
        out.append("### Sources")
        out.append("")
        out.extend(f"- {_cell(s.citation)}" for s in routine.sources)
    return "\n".join(out) + "\n"
