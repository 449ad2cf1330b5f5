"""Steps: the arranged selection as steps people read, with their sources.

Each step says what to do (the target's instructions, rewritten for gentle pressure when a
condition asks for it, with the person's preferred pressure where it may apply), why (the
regions it serves in words, and its sources by name) and how strong the evidence is.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from footreflex._models import Step, assemble
from footreflex._text import duration, relevance_words
from footreflex.safety import rules

if TYPE_CHECKING:
    from footreflex._knowledge import KnowledgeBase
    from footreflex._models import Foot, RegionEdge, Source, StepKind, Target
    from footreflex.planning._items import Tuning
    from footreflex.safety import Screen

__all__ = ["sources", "steps"]


def _why(target: Target, edges: Sequence[RegionEdge], names: dict[str, str], kb: KnowledgeBase
         ) -> str:
    """One line for people: which regions it serves, in words, and its sources by name.

    ``edges`` are the target's edges to the regions asked for, strongest first (ties in the
    order the regions were named); ``names`` gives each region's name in lower case.
    """
    if target.kind == "general":
        return target.evidence or target.name
    parts: list[str] = []
    sources: dict[str, None] = {}  # insertion-ordered set
    for edge in edges:
        parts.append(f"{names[edge.region]}: {relevance_words(edge.relevance)}")
        for source in edge.sources:
            sources.setdefault(source)
    known = kb.sources
    labels = [known[s].label if s in known else s for s in sources]
    return f"for {'; '.join(parts)} (sources: {', '.join(labels)})"


def _evidence(target: Target) -> str:
    """The plain-words strength of evidence a step shows (the target's ``confidence``)."""
    return target.confidence


def sources(kb: KnowledgeBase, used: Sequence[Target], regions: Sequence[str]) -> list[Source]:
    """The sources of the targets used and of their edges to the regions asked for, once each.

    Args:
        kb: The knowledge base.
        used: The targets of the routine's steps.
        regions: The regions asked for.

    Returns:
        The sources in first-use order.
    """
    seen: dict[str, None] = {}  # insertion-ordered set
    for target in {t.id: t for t in used}.values():  # a target's second foot adds nothing
        for source in target.sources:
            seen.setdefault(source)
        for edge in target.serves:
            if edge.region in regions:
                for source in edge.sources:
                    seen.setdefault(source)
    return [kb.sources[i] for i in seen]


def _pressure_note(target: Target, effects: Screen, tuning: Tuning) -> str:
    wanted = tuning.pressure
    if not wanted:
        return ""
    if wanted != "light" and effects.gentle:
        return f" Your preferred {wanted} pressure does not apply: light pressure only."
    if wanted != "light" and target.gentle_only:
        reason = f": {target.cautions[0]}" if target.cautions else "."
        return f" Your preferred {wanted} pressure does not apply here{reason}"
    return f" Pressure: {wanted}, as you prefer."



def _step_kind(target: Target) -> StepKind:
    if target.role == "warmup":
        return "warmup"
    if target.role == "cooldown":
        return "cooldown"
    return "point" if target.kind == "acupoint" else "zone"


def _fields(target: Target, seconds: int, kb: KnowledgeBase, rank: dict[str, int],
            names: dict[str, str], effects: Screen, tuning: Tuning, feet: int
            ) -> dict[str, Any]:
    """Every field of a step, its number, foot and start to be filled in (the same on both feet)."""
    instructions = target.instructions
    if effects.gentle:
        instructions = (f"{rules().gentle_instructions(target.technique)} "
                        f"Where: {target.location}")
    if target.kind == "general" and feet == 2:
        instructions += f" About {duration(seconds // 2)} per foot."
    if tuning.pressure:
        instructions += _pressure_note(target, effects, tuning)
    # the edges to the regions asked for, strongest first, ties in the order named (sorted
    # is stable: a region's first edge wins, as in a dict keyed by region)
    edges = sorted((e for e in target.serves if e.region in rank),
                   key=lambda e: (-e.relevance, rank[e.region]))
    strength: dict[str, float] = {}
    for edge in edges:
        if edge.relevance > 0:
            strength.setdefault(edge.region, edge.relevance)
    serves = tuple(strength)
    # every Step field in declaration order: a step is this dict with its number, foot and
    # start filled in (assembled without a copy)
    return {"index": 0, "kind": _step_kind(target), "target_id": target.id,
            "code": target.code, "name": target.name, "foot": "both", "start_s": 0,
            "duration_s": seconds, "technique": target.technique,
            "instructions": instructions, "serves": serves,
            "why": _why(target, edges, names, kb), "location": target.location,
            "cautions": target.cautions, "evidence": _evidence(target),
            "relevance": strength[serves[0]] if serves else None}


def steps(kb: KnowledgeBase, regions: Sequence[str],
          arranged: Sequence[tuple[Target, Foot, int]], effects: Screen,
          tuning: Tuning) -> list[Step]:
    """Turn an arranged selection into :class:`~footreflex.Step` models with their prose.

    Args:
        kb: The knowledge base the targets come from (region names, source labels).
        regions: The regions asked for, in the order named.
        arranged: ``(target, foot, seconds)`` in doing order (:func:`~footreflex.planning.order`).
        effects: The conditions' effects (gentle pressure rewrites the instructions).
        tuning: The person's tuning (their preferred pressure).

    Returns:
        The steps, numbered from 1, each starting where the previous one ends.
    """
    feet = len(effects.feet)
    rank: dict[str, int] = {}
    for i, region in enumerate(regions):
        rank.setdefault(region, i)  # regions.index(region): the first position
    names = {r: kb.regions[r].name.lower() for r in rank if r in kb.regions}
    out: list[Step] = []
    done: dict[str, dict[str, Any]] = {}  # a target's fields: its other foot reuses them
    clock = 0
    for index, (target, foot, seconds) in enumerate(arranged, start=1):
        common = done.get(target.id)
        if common is None or common["duration_s"] != seconds or target.kind == "general":
            common = _fields(target, seconds, kb, rank, names, effects, tuning, feet)
            done.setdefault(target.id, common)
        # values of the exact field types, numbered and timed here: assembled, not validated
        values = common.copy()
        values["index"], values["foot"], values["start_s"] = index, foot, clock
        out.append(assemble(Step, values, exact=True))
        clock += seconds
    return out
