"""``plan()``: the composition of the pipeline's stages, and nothing more.

::

    gate (answers, red-flag screen, length cap) → conditions → resolve → tuning
        → candidates → select → order → steps → Routine

:func:`prepare` runs everything that depends on the text, the conditions and the person (so a
red flag, an unknown condition or an unknown symptom is raised before any planning, and the
red-flag screen runs once per request however many routines are then built); :func:`build`
plans one routine for a time budget from a prepared request. :func:`footreflex.program` uses
one :func:`prepare` for all its sessions. Each stage is a function of its own module
(:mod:`footreflex.safety`, :mod:`footreflex._symptoms`, :mod:`footreflex.planning`,
:mod:`footreflex.personal`); see ``docs/planner.md`` for the planning model.
"""

from __future__ import annotations

import dataclasses
import math
import numbers
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from footreflex._knowledge import knowledge_or_shipped
from footreflex._models import Routine, assemble
from footreflex._symptoms import Resolution, resolve_many
from footreflex._text import duration, plural, region_list, region_name
from footreflex.errors import (
    MAX_SYMPTOM_CHARS,
    BudgetError,
    InvalidArgumentError,
    SeekCareError,
    TextTooLongError,
    UnknownSymptomError,
)
from footreflex.planning import (
    UNIT_S,
    Tuning,
    candidates,
    min_units,
    order,
    select,
    sources,
    steps,
    usable,
)
from footreflex.safety import (
    Screen,
    check_answers,
    detect_conditions,
    read_text,
    rules,
    screen,
    triage,
    watch_for,
)

if TYPE_CHECKING:
    from footreflex._knowledge import KnowledgeBase
    from footreflex.language._context import Sentence
    from footreflex.personal import Profile

__all__ = ["Prepared", "build", "plan", "prepare"]


@dataclass(frozen=True)
class Prepared:
    """A request checked and read, ready to plan for any budget (see :func:`prepare`).

    Attributes:
        kb: The knowledge base to plan from.
        effects: The declared (and profile's standing) conditions' effects.
        resolution: The regions (and sides) the text named.
        regions: The regions that have a usable target, in the order named.
        warnings: Warnings known before planning (conditions, words not understood, regions
            without a usable target).
        tuning: The person's tuning (all neutral without a profile).
        profile: The profile, when one was given (for the explanation of its effects).
    """

    kb: KnowledgeBase
    effects: Screen
    resolution: Resolution
    regions: tuple[str, ...]
    warnings: tuple[str, ...]
    tuning: Tuning
    profile: Profile | None = None


def _check_minutes(minutes: object) -> float:
    if isinstance(minutes, bool) or not isinstance(minutes, numbers.Real):
        raise BudgetError(f"minutes must be a number, not {type(minutes).__name__}")
    try:
        value = float(minutes)
    except OverflowError:
        raise BudgetError("minutes is far too large to be a time budget") from None
    if math.isnan(value) or math.isinf(value):
        raise BudgetError(f"minutes must be a finite number, not {value}")
    if value <= 0:
        raise BudgetError(f"minutes must be greater than 0, not {minutes}")
    return value


def _triage_text(symptoms: object) -> str:
    if isinstance(symptoms, str):
        return symptoms
    if isinstance(symptoms, Sequence) and not isinstance(symptoms, bytes | bytearray):
        return ". ".join(item for item in symptoms if isinstance(item, str))
    return ""


def _gate(symptoms: object, answers: Mapping[str, bool] | None
          ) -> tuple[str, tuple[Sentence, ...]]:
    """The checks before planning: answers, the red-flag screen, then the length cap.

    Returns:
        The joined symptom text, and its reading (shared by the red-flag screen and the
        conditions the text states).

    Raises:
        UnknownQuestionError: An answer's id is not a red-flag question.
        SeekCareError: A red flag in the whole text, or a "yes" to a red-flag question.
        TextTooLongError: The joined text is longer than :data:`MAX_SYMPTOM_CHARS`.
    """
    checked = check_answers(answers)
    text = _triage_text(symptoms)
    reading = read_text(text)
    verdict = triage(text, checked, sentences=reading)
    if verdict.level != "self_care":
        raise SeekCareError(verdict)
    if len(text) > MAX_SYMPTOM_CHARS:
        raise TextTooLongError(len(text))
    return text, reading


def prepare(
    symptoms: str | Sequence[str],
    *,
    knowledge: KnowledgeBase | None = None,
    conditions: Sequence[str] | None = None,
    profile: Profile | None = None,
    answers: Mapping[str, bool] | None = None,
    tuning: Tuning | None = None,
) -> Prepared:
    """Check and read a request: everything :func:`plan` does before the budget matters.

    Args:
        symptoms: As :func:`plan`.
        knowledge: As :func:`plan`.
        conditions: As :func:`plan`.
        profile: As :func:`plan`; its ratings and preferences become the tuning, its standing
            conditions join ``conditions``.
        answers: As :func:`plan`.
        tuning: Explicit tuning (instead of the profile's), e.g. for tests and experiments.

    Returns:
        The prepared request.

    Raises:
        The errors of :func:`plan` except :class:`~footreflex.BudgetError`, in its order.
    """
    text, reading = _gate(symptoms, answers)
    if profile is not None:
        # personal/ loads only for a profile: a plain plan never builds the profile models
        from footreflex.personal import Profile, merged_conditions, tuning_for

        if not isinstance(profile, Profile):
            raise InvalidArgumentError(
                f"profile must be a Profile, not {type(profile).__name__}")
        conditions = merged_conditions(conditions, profile)
        tuning = tuning or tuning_for(profile)
    tuning = tuning or Tuning()
    effects = screen(conditions, from_text=detect_conditions(text, sentences=reading))
    kb = knowledge_or_shipped(knowledge)
    resolution = resolve_many(symptoms, kb)
    warnings = list(effects.warnings)
    warnings.extend(f"not understood: {words}" for words in resolution.not_covered)
    warnings.extend(f"not understood: {word}" for word in resolution.not_understood)
    regions = [r for r in resolution.regions if usable(kb, r, effects, tuning)]
    for region in resolution.regions:
        if region not in regions:
            name = region_name(region, {region: kb.regions[region].name})
            warnings.append(f"no usable target for {name} in "
                            "this knowledge base with the conditions and exclusions given")
    if not regions:
        raise UnknownSymptomError(str(symptoms), message=(
            "no usable target for the regions named (knowledge base and conditions)"))
    return Prepared(kb=kb, effects=effects, resolution=resolution, regions=tuple(regions),
                    warnings=tuple(warnings), tuning=tuning, profile=profile)


def build(prepared: Prepared, minutes: float = 15, *,
          bonus: Mapping[str, float] | None = None,
          bonus_bound: float | None = None) -> Routine:
    """Plan one routine for a time budget from a prepared request.

    Args:
        prepared: From :func:`prepare`.
        minutes: As :func:`plan`.
        bonus: A small relative weight bonus per target id (a program's rotation).
        bonus_bound: Optional: no value of ``bonus`` exceeds it. Then ``bonus`` is used as
            given (not copied; it may compute its values on demand) and read only for the
            targets the planner reads from its ranked index.

    Returns:
        The routine; with a profile whose ratings or exclusions changed it, the steps and
        warnings say what changed (:func:`footreflex.personal.explain`).

    Raises:
        BudgetError: As :func:`plan`.
    """
    tuning = prepared.tuning
    if bonus:
        tuning = dataclasses.replace(tuning, bonus=dict(bonus) if bonus_bound is None else bonus,
                                     bonus_bound=bonus_bound)
    routine = _routine(prepared, minutes, tuning)
    if prepared.profile is None or not (tuning.factors or tuning.excluded):
        return routine
    from footreflex.personal import explain

    plain = _routine(prepared, minutes, dataclasses.replace(tuning, factors={}))
    return explain(routine, plain, prepared.profile, prepared.kb, tuning)


def _routine(prepared: Prepared, minutes: float, tuning: Tuning) -> Routine:
    """Candidates → select → order → steps → Routine, for one budget and tuning."""
    kb, effects, regions = prepared.kb, prepared.effects, list(prepared.regions)
    budget_s = _check_minutes(minutes)
    warnings = list(prepared.warnings)
    feet = len(effects.feet)
    capacity = int(budget_s * 60 // UNIT_S) if budget_s < 1e7 else 10**9
    items, flag_bit = candidates(kb, regions, feet, capacity, effects, tuning)
    region_bits = flag_bit - 1
    capacity = min(capacity, sum(item.hi for item in items))
    warm = items[0]
    cool_id = kb.cooldown.id if kb.cooldown else None
    treatments = [it for it in items[1:] if it.id != cool_id]
    least = warm.lo + min(it.lo for it in treatments)
    if capacity < least:
        need = least * UNIT_S / 60
        raise BudgetError(
            f"{plural(budget_s, 'minute')} is too short: the warm-up plus one target need at "
            f"least {plural(need, 'minute')}", minimum_minutes=need)

    selection = select(items, capacity, region_bits, flag_bit)
    assert selection is not None  # capacity >= least guarantees a feasible selection

    uncovered = [r for i, r in enumerate(regions) if not selection.mask & (1 << i)]
    if uncovered:
        full = min_units(items[:-1] if kb.cooldown else items, region_bits)
        names = region_list(uncovered, {r: kb.regions[r].name for r in uncovered})
        hint = (f"; every region needs at least {plural(full * UNIT_S / 60, 'minute')}"
                if full else "")
        warnings.append(f"not enough time to include {names}{hint}")

    done = steps(kb, regions, order(selection, kb, effects.feet), effects, tuning)
    total = sum(step.duration_s for step in done)
    if total < 0.9 * budget_s * 60:
        warnings.append(
            f"every suitable target already has its maximum time: the routine stops at "
            f"{duration(total)} of the {plural(budget_s, 'minute')}")
    used = [kb.targets[s.target_id] for s in done]
    for target in used:
        for caution in target.cautions:
            if caution not in warnings:
                warnings.append(caution)
    disclaimer = rules().disclaimer
    if kb.disclaimer:
        disclaimer += " " + kb.disclaimer
    resolution = prepared.resolution
    # values of the exact field types (steps numbered, timed and summed above): assembled
    return assemble(Routine, {
        "regions": tuple(resolution.regions),
        "minutes": float(budget_s),
        "total_seconds": total,
        "steps": tuple(done),
        "warnings": tuple(warnings),
        "disclaimer": disclaimer,
        "sources": tuple(sources(kb, used, regions)),
        "conditions": tuple(str(c) for c in effects.conditions),
        "watch_for": tuple(watch_for(resolution.regions)),
        "sides": dict(resolution.sides),
        "region_names": {r: kb.regions[r].name for r in resolution.regions},
    })


def plan(
    symptoms: str | Sequence[str],
    minutes: float = 15,
    *,
    knowledge: KnowledgeBase | None = None,
    conditions: Sequence[str] | None = None,
    profile: Profile | None = None,
    answers: Mapping[str, bool] | None = None,
) -> Routine:
    """Plan a foot self-massage routine for a complaint within a time budget.

    Args:
        symptoms: Free text naming one or more regions (``"lower back"``,
            ``"stiff neck and shoulders"``) or a list of such texts.
        minutes: Time budget in minutes, a finite number greater than 0. The routine never
            runs longer, and uses at least 90 % of it unless every candidate already has its
            maximum time.
        knowledge: Knowledge base to plan from (default: the shipped one). The shipped
            safety rules apply whatever knowledge base is used.
        conditions: Declared conditions, e.g. ``["pregnant"]``, ``["wound:left"]`` (see
            :func:`footreflex.safety.parse_conditions`).
        profile: A person's :class:`~footreflex.Profile`: their ratings re-weight
            targets, their exclusions, favourites, pressure and standing conditions apply.
            Declared conditions and safety rules always win over preferences. A profile with
            no ratings and no preferences plans exactly the plain routine.
        answers: Answers to the red-flag checklist (:func:`footreflex.red_flag_questions`),
            ``{question_id: True or False}``. Optional: without them the routine is still
            planned, and its ``watch_for`` says what to stop for.

    The checks run in this order: the answers are validated; the red-flag screen of the whole
    symptom text (all items joined) with the answers, so a red flag always wins; the length
    cap (:data:`~footreflex.MAX_SYMPTOM_CHARS` characters of joined text); declared
    conditions; the symptom's regions; the budget.

    Returns:
        A :class:`~footreflex.Routine`: the warm-up first, then each chosen target on
        the right foot, the same on the left foot, then the cool-down when it fits.

    Raises:
        SeekCareError: The text has a red flag, an answer is a "yes" to a red-flag question,
            or a declared condition stops the session; ``triage`` holds the advice. Show it
            instead of a routine.
        UnknownQuestionError: An answer is given to a question id that does not exist.
        TextTooLongError: The joined symptom text is longer than
            :data:`~footreflex.MAX_SYMPTOM_CHARS` (checked after the red-flag screen).
        UnknownConditionError: A declared condition is not understood.
        UnknownSymptomError: The text names no region (``suggestions`` holds up to three).
        BudgetError: ``minutes`` is not a finite positive number, or is too short for the
            warm-up plus one target (``minimum_minutes`` says what would work).
    """
    return build(prepare(symptoms, knowledge=knowledge, conditions=conditions,
                         profile=profile, answers=answers), minutes)
