"""Multi-session programs: one request prepared once, planned for every session.

:func:`program` plans ``sessions`` dated sessions, daily by default (the self-care studies ran
daily for 4-6 weeks). Progression: the first week ramps the session length up from 60 % of
``minutes`` on day 1 to 100 % on day 7 (never below the minimum budget), then stays at
``minutes``. Rotation: each session gives near-equal alternatives a small rotating bonus (up
to :data:`ROTATION` = 2 % of their weight, shifted by one place per session), so targets whose
weights differ by less than that take turns and consecutive sessions need not be identical.

A program is a composition of plans, so it sits beside :mod:`footreflex._pipeline`, above the
planning stages, and not in :mod:`footreflex.personal` (which planning itself uses).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator, Mapping, Sequence
from datetime import date, timedelta
from operator import itemgetter
from typing import Any, overload

from pydantic import BaseModel, ConfigDict, Field

from footreflex._knowledge import KnowledgeBase, knowledge_or_shipped
from footreflex._models import Routine
from footreflex._pipeline import build, prepare
from footreflex.errors import BudgetError, InvalidArgumentError
from footreflex.personal import Profile

__all__ = ["ROTATION", "Program", "ProgramSession", "program"]

ROTATION = 0.02
"""Largest relative weight bonus used to rotate near-equal alternatives in a program."""
RAMP_START = 0.6
RAMP_DAYS = 7


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


def _rotation_order(kb: KnowledgeBase, regions: Sequence[str]) -> Sequence[str]:
    """The treatment targets of the regions, by id: the order the rotation turns through.

    Every treatment target serving one of the regions, even with relevance 0. Read from the
    planner's index (treatments with relevance > 0, by id) when a region has no other
    treatment edge (its edges are those plus the warm-up's and cool-down's): one region's
    order is then that index itself, read in place (see :class:`_Ids`).
    """
    general = [t for t in (kb.warmup, kb.cooldown) if t is not None]
    indexed: list[tuple[tuple[str, float], ...]] = []
    for region in dict.fromkeys(regions):
        pairs = kb._treatments(region)
        others = sum(1 for t in general for edge in t.serves if edge.region == region)
        if len(kb._candidates.get(region, ())) != len(pairs) + others:
            indexed = []  # a treatment edge of relevance 0: read every target's role
            break
        indexed.append(pairs)
    else:
        if len(indexed) == 1:
            return _Ids(indexed[0])
        return sorted({tid for pairs in indexed for tid, _relevance in pairs})
    return sorted({t.id for r in regions for t, _ in kb.candidates(r) if t.role == "treatment"})


class _Ids(Sequence[str]):
    """The ids of a sorted ``(id, relevance)`` index, read in place (no copy)."""

    __slots__ = ("_pairs",)

    def __init__(self, pairs: Sequence[tuple[str, float]]) -> None:
        self._pairs = pairs

    def __len__(self) -> int:
        return len(self._pairs)

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[str]: ...
    def __getitem__(self, index: int | slice) -> str | Sequence[str]:
        if isinstance(index, slice):
            return [tid for tid, _relevance in self._pairs[index]]
        return self._pairs[index][0]

    def __iter__(self) -> Iterator[str]:
        return (tid for tid, _relevance in self._pairs)


class _Rotation(Mapping[str, float]):
    """Session ``number``'s bonus per target: each takes its turn at the top (``ROTATION``).

    ``ROTATION * ((rank + number) % n) / (n - 1)`` for the target of rank ``rank`` among the
    ``n`` of the rotation's order (sorted by id once per program), computed when asked (the
    planner asks only for the targets it reads): the rank is found by bisection; read-only.
    """

    __slots__ = ("_key", "_keys", "_n", "_number", "_order")

    def __init__(self, order: Sequence[str], number: int) -> None:
        self._order, self._number, self._n = order, number, len(order)
        # bisect the index in place when the order reads one (the key is C code)
        self._keys: Sequence[Any] = order._pairs if isinstance(order, _Ids) else order
        self._key = itemgetter(0) if isinstance(order, _Ids) else None

    def _rank(self, tid: str) -> int:
        """``tid``'s place in the order, or -1 when it is not in it."""
        keys, key = self._keys, self._key
        rank = bisect.bisect_left(keys, tid) if key is None else bisect.bisect_left(
            keys, tid, key=key)
        if rank == self._n:
            return -1
        found = keys[rank] if key is None else keys[rank][0]
        return rank if found == tid else -1

    def __getitem__(self, tid: str) -> float:
        rank = self._rank(tid)
        if rank < 0:
            raise KeyError(tid)
        n = self._n
        return ROTATION * ((rank + self._number) % n) / (n - 1)

    def __contains__(self, tid: object) -> bool:
        return isinstance(tid, str) and self._rank(tid) >= 0

    def __iter__(self) -> Iterator[str]:
        return iter(self._order)

    def __len__(self) -> int:
        return self._n


def _rotation(candidates: Sequence[str], number: int) -> Mapping[str, float]:
    """Session ``number``'s bonus per target (empty under two targets): see :class:`_Rotation`.

    ``candidates`` is the rotation's order, sorted by id (:func:`_rotation_order`).
    """
    if len(candidates) < 2:
        return {}
    return _Rotation(candidates, number)


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
    for name, value, top in (("sessions", sessions, 366), ("every_days", every_days, 30)):
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= top:
            raise InvalidArgumentError(f"{name} must be a whole number from 1 to {top}")
    person = profile or Profile()
    if minutes is None:
        minutes = person.preferences.minutes or 15
    kb = knowledge_or_shipped(knowledge)
    first_day = start or date.today()
    # one request: the red-flag screen, conditions and symptoms are read once for every session
    prepared = prepare(symptoms, knowledge=kb, conditions=conditions, profile=person,
                       answers=answers)
    full = build(prepared, minutes)  # checks the budget before planning every session
    regions = prepared.resolution.regions
    planned: list[ProgramSession] = []
    rotation = _rotation_order(kb, regions)  # sorted once: the same for every session
    for number in range(1, sessions + 1):
        budget = max(_ramp(float(minutes), number), 0.5)
        bonus = _rotation(rotation, number)  # on demand: no dict of every target
        try:
            routine = build(prepared, budget, bonus=bonus, bonus_bound=ROTATION)
        except BudgetError as exc:
            budget = exc.minimum_minutes or float(minutes)
            routine = build(prepared, budget, bonus=bonus, bonus_bound=ROTATION)
        planned.append(ProgramSession(number=number,
                                      date=first_day + timedelta(days=(number - 1) * every_days),
                                      minutes=budget, routine=routine))
    texts = [symptoms] if isinstance(symptoms, str) else list(symptoms)
    every = "every day" if every_days == 1 else f"every {every_days} days"
    rule = (f"Sessions {every}. Week 1 ramps from {RAMP_START:.0%} to 100 % "
            f"of {full.minutes:g} minutes; near-equal alternatives (within {ROTATION:.0%}) take "
            "turns from one session to the next.")
    return Program(symptoms=texts, minutes=float(minutes), sessions=planned, rule=rule)
