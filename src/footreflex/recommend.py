"""Personalised planning from a profile's feedback, and multi-session programs.

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

Programs
--------
:func:`program` plans ``sessions`` dated sessions, daily by default (the self-care studies ran
daily for 4-6 weeks). Progression: the first week ramps the session length up from 60 % of
``minutes`` on day 1 to 100 % on day 7 (never below the minimum budget), then stays at
``minutes``. Rotation: each session gives near-equal alternatives a small rotating bonus (up
to :data:`ROTATION` = 2 % of their weight, shifted by one place per session), so targets whose
weights differ by less than that take turns and consecutive sessions need not be identical.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta

from pydantic import BaseModel, ConfigDict, Field

from footreflex.errors import BudgetError, InvalidArgumentError, SeekCareError
from footreflex.knowledgebase import KnowledgeBase, knowledge_or_shipped
from footreflex.models import Routine, Step
from footreflex.planner import Tuning, _triage_text, plan_with
from footreflex.profile import Profile
from footreflex.safety import check_answers, parse_conditions, triage

__all__ = ["PRIOR_STRENGTH", "ROTATION", "Program", "ProgramSession", "factor",
           "personalised_plan", "program", "tuning_for"]

PRIOR_STRENGTH = 4.0
"""Strength of the Beta prior (pseudo-ratings), centred on 0.5."""
ROTATION = 0.02
"""Largest relative weight bonus used to rotate near-equal alternatives in a program."""
RAMP_START = 0.6
RAMP_DAYS = 7


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
    """Turn a profile into planner :class:`~footreflex.planner.Tuning`.

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


def _merged_conditions(conditions: Sequence[str] | None, profile: Profile) -> list[str]:
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


def personalised_plan(symptoms: str | Sequence[str], minutes: float = 15, *,
                      knowledge: KnowledgeBase | None = None,
                      conditions: Sequence[str] | None = None,
                      profile: Profile, bonus: dict[str, float] | None = None,
                      answers: Mapping[str, bool] | None = None) -> Routine:
    """Plan with a profile, and explain what the feedback changed (see the module docstring).

    Args:
        symptoms: As :func:`footreflex.plan`.
        minutes: As :func:`footreflex.plan`.
        knowledge: As :func:`footreflex.plan`.
        conditions: As :func:`footreflex.plan`; the profile's standing conditions are added.
        profile: The person's profile.
        bonus: Rotation bonus per target (programs).
        answers: As :func:`footreflex.plan`: answers to the red-flag questions.

    Returns:
        The routine. Steps whose time feedback changed say so in ``why``; targets left out
        because of feedback or at the person's request are named in ``warnings``.
    """
    verdict = triage(_triage_text(symptoms), check_answers(answers))  # red flags first
    if verdict.level != "self_care":
        raise SeekCareError(verdict)
    if not isinstance(profile, Profile):
        raise InvalidArgumentError(f"profile must be a Profile, not {type(profile).__name__}")
    merged = _merged_conditions(conditions, profile)
    tuning = tuning_for(profile, bonus)
    routine = plan_with(symptoms, minutes, knowledge=knowledge, conditions=merged,
                        tuning=tuning)
    if not tuning.factors and not tuning.excluded:
        return routine
    kb = knowledge_or_shipped(knowledge)
    plain = plan_with(symptoms, minutes, knowledge=kb, conditions=merged,
                      tuning=Tuning(excluded=tuning.excluded, favourites=tuning.favourites,
                                    bonus=tuning.bonus, pressure=tuning.pressure))
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
    for tid in tuning.excluded:
        target = kb.targets.get(tid)
        if target is not None and any(e.region in requested for e in target.serves):
            warnings.append(f"Left out at your request: {target.code or target.name}.")
    return routine.model_copy(update={"steps": tuple(steps), "warnings": tuple(warnings)})


class ProgramSession(BaseModel):
    """One dated session of a program.

    Attributes:
        number: 1, 2, 3, ...
        date: The day.
        minutes: The budget used that day (ramped in the first week).
        routine: The routine.
    """

    model_config = ConfigDict(frozen=True)

    number: int = Field(ge=1)
    date: date
    minutes: float
    routine: Routine


class Program(BaseModel):
    """A series of dated sessions.

    Attributes:
        schema_version: Version of this JSON shape.
        symptoms: The symptom texts.
        minutes: The full session length.
        sessions: The sessions, in order.
        rule: The progression rule, in words.
    """

    model_config = ConfigDict(frozen=True)

    schema_version: int = 1
    symptoms: list[str]
    minutes: float
    sessions: list[ProgramSession]
    rule: str


def _ramp(minutes: float, number: int) -> float:
    if number > RAMP_DAYS:
        return minutes
    fraction = RAMP_START + (1 - RAMP_START) * (number - 1) / (RAMP_DAYS - 1)
    return round(minutes * fraction * 2) / 2  # half minutes


def _rotation(kb: KnowledgeBase, regions: Sequence[str], number: int) -> dict[str, float]:
    candidates = sorted({t.id for r in regions for t, _ in kb.candidates(r)
                         if t.role == "treatment"})
    n = len(candidates)
    if n < 2:
        return {}
    return {tid: ROTATION * ((rank + number) % n) / (n - 1)
            for rank, tid in enumerate(candidates)}


def program(symptoms: str | Sequence[str], minutes: float | None = 15, sessions: int = 28,
            profile: Profile | None = None, *, start: date | None = None,
            every_days: int = 1, knowledge: KnowledgeBase | None = None,
            conditions: Sequence[str] | None = None,
            answers: Mapping[str, bool] | None = None) -> Program:
    """Plan a program of dated sessions (see the module docstring for the progression rule).

    Args:
        symptoms: As :func:`footreflex.plan`.
        minutes: Full session length; ``None`` uses the profile's preferred minutes (or 15).
        sessions: Number of sessions (1-366).
        profile: Optional profile (ratings, exclusions, conditions apply to every session).
        start: Date of the first session (default: today).
        every_days: Days between sessions (default 1: daily).
        knowledge: As :func:`footreflex.plan`.
        conditions: As :func:`footreflex.plan`.
        answers: As :func:`footreflex.plan`: a "yes" to a red-flag question refuses the
            whole program before anything is planned.

    Returns:
        The :class:`Program`.

    Raises:
        InvalidArgumentError: Invalid counts; or the errors of :func:`footreflex.plan` (a red flag
            raises :class:`~footreflex.errors.SeekCareError` before anything is planned).
    """
    from footreflex.symptoms import resolve_many

    for name, value, top in (("sessions", sessions, 366), ("every_days", every_days, 30)):
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= top:
            raise InvalidArgumentError(f"{name} must be a whole number from 1 to {top}")
    person = profile or Profile()
    if minutes is None:
        minutes = person.preferences.minutes or 15
    kb = knowledge_or_shipped(knowledge)
    first_day = start or date.today()
    # validate once (triage, conditions, symptoms, minutes) before planning every session
    full = personalised_plan(symptoms, minutes, knowledge=kb, conditions=conditions,
                             profile=person, answers=answers)
    regions = resolve_many(symptoms, kb).regions
    planned: list[ProgramSession] = []
    for number in range(1, sessions + 1):
        budget = max(_ramp(float(minutes), number), 0.5)
        bonus = _rotation(kb, regions, number)
        try:
            routine = personalised_plan(symptoms, budget, knowledge=kb, conditions=conditions,
                                        profile=person, bonus=bonus)
        except BudgetError as exc:
            budget = exc.minimum_minutes or float(minutes)
            routine = personalised_plan(symptoms, budget, knowledge=kb,
                                        conditions=conditions, profile=person, bonus=bonus)
        planned.append(ProgramSession(number=number,
                                      date=first_day + timedelta(days=(number - 1) * every_days),
                                      minutes=budget, routine=routine))
    texts = [symptoms] if isinstance(symptoms, str) else list(symptoms)
    every = "every day" if every_days == 1 else f"every {every_days} days"
    rule = (f"Sessions {every}. Week 1 ramps from {RAMP_START:.0%} to 100 % "
            f"of {full.minutes:g} minutes; near-equal alternatives (within {ROTATION:.0%}) take "
            "turns from one session to the next.")
    return Program(symptoms=texts, minutes=float(minutes), sessions=planned, rule=rule)
