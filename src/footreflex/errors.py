"""Exceptions raised by footreflex.

Every error the library raises for bad input or bad data derives from
:class:`FootreflexError`, so an application can catch one class. Each subclass carries the
structured details an app needs (suggestions, the minimum budget, the file and field).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from footreflex._models import Triage


def did_you_mean(suggestions: Sequence[str]) -> str:
    """Offer close matches: ``["neck"]`` -> ``"did you mean 'neck'?"`` (``""`` for none)."""
    if not suggestions:
        return ""
    return "did you mean " + " or ".join(repr(s) for s in suggestions) + "?"


def _offer(message: str, suggestions: Sequence[str]) -> str:
    """``message``, then "did you mean ...?" when there are suggestions (one sentence for all)."""
    return f"{message}; {did_you_mean(suggestions)}" if suggestions else message

__all__ = [
    "BudgetError",
    "FileWriteError",
    "FootreflexError",
    "InvalidArgumentError",
    "KnowledgeBaseError",
    "MissingExtraError",
    "NotCoveredError",
    "ProfileError",
    "SeekCareError",
    "ServiceError",
    "TextTooLongError",
    "TimelineError",
    "UnknownConditionError",
    "UnknownQuestionError",
    "UnknownSymptomError",
    "UnknownTargetError",
]

MAX_SYMPTOM_CHARS = 2000
"""The most characters of symptom text :func:`footreflex.plan` accepts (all symptoms joined).

The red-flag screen reads the whole text first, with no cap, so a red flag always wins; a
longer text is then a :class:`TextTooLongError`, never a slow request. A complaint longer
than a few paragraphs is not one a foot routine should be planned from.
"""


class FootreflexError(Exception):
    """Base class of every error footreflex raises on purpose.

    footreflex never raises this class itself, only one of its subclasses, so a handler can
    tell the cases apart and an application can still catch them all with one ``except``.
    """


class InvalidArgumentError(FootreflexError, ValueError):
    """An argument has the wrong type or an unusable value.

    For example ``knowledge=1``, a pain score of 11, a port of 0, ``--speed 0`` or a
    malformed ``--answer``.
    """


class FileWriteError(FootreflexError):
    """A file could not be written (an SVG, an HTML card, an iCalendar file).

    Attributes:
        path: The file concerned.
    """

    def __init__(self, message: str, path: str = "") -> None:
        self.path = path
        super().__init__(message)

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (str(self), self.path))


class ServiceError(FootreflexError):
    """The HTTP service cannot start: the address cannot be bound (the port is taken).

    ``footreflex serve`` exits with status 1 for it (not 2: the command was right, the
    machine was not ready).
    """


class ProfileError(FootreflexError):
    """A profile or profile store is unusable, or a profile change is invalid.

    The file is corrupt, foreign, newer than this version or unreadable (and left untouched),
    or the input to a change (a rating, a preference, a session id) is invalid.

    Attributes:
        path: The file concerned (empty for input errors).
    """

    def __init__(self, message: str, path: str = "") -> None:
        self.path = path
        super().__init__(message)

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (str(self), self.path))


class UnknownSymptomError(FootreflexError, ValueError):
    """A symptom text names no body region footreflex knows.

    Attributes:
        text: The text that could not be resolved.
        suggestions: Up to three close matches ("did you mean"), best first.
    """

    def __init__(
        self, text: str, suggestions: Sequence[str] = (), message: str | None = None
    ) -> None:
        self.text = text
        self.suggestions: list[str] = list(suggestions)[:3]
        self._message = message
        if message is not None:
            super().__init__(message)
            return
        message = f"no body region recognised in {text!r}"
        super().__init__(_offer(message, self.suggestions) if self.suggestions else
                         message + "; try e.g. 'lower back', 'neck', 'sciatica' or 'upper back'")


def _symptom_reduce(self: UnknownSymptomError) -> tuple[object, ...]:
    return (type(self), (self.text, self.suggestions, self._message))


UnknownSymptomError.__reduce__ = _symptom_reduce  # type: ignore[assignment,method-assign]


class UnknownTargetError(FootreflexError, KeyError):
    """A target name or alias is not in the knowledge base.

    Attributes:
        name: The name that was looked up.
        suggestions: Up to three close target names or aliases.
    """

    def __init__(self, name: str, suggestions: Sequence[str] = ()) -> None:
        self.name = name
        self.suggestions: list[str] = list(suggestions)[:3]
        super().__init__(_offer(f"no target called {name!r}", self.suggestions))

    def __str__(self) -> str:  # KeyError would quote the message again
        return str(self.args[0])

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.name, self.suggestions))


class BudgetError(FootreflexError, ValueError):
    """The time budget is not a usable number of minutes, or too short for any routine.

    Attributes:
        minimum_minutes: The shortest budget that gives a routine (warm-up plus one target),
            or ``None`` when the value was not a number at all.
    """

    def __init__(self, message: str, minimum_minutes: float | None = None) -> None:
        self.minimum_minutes = minimum_minutes
        super().__init__(message)

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (str(self), self.minimum_minutes))


class KnowledgeBaseError(FootreflexError, ValueError):
    """A knowledge-base file is missing, unreadable or fails validation.

    Attributes:
        file: The file that was being read.
        field: Dotted path of the offending field (empty when the whole file is at fault).
        reason: What is wrong with it.
    """

    def __init__(self, file: str, field: str, reason: str) -> None:
        self.file = file
        self.field = field
        self.reason = reason
        where = f"{file}: {field}" if field else file
        super().__init__(f"invalid knowledge base {where}: {reason}")

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.file, self.field, self.reason))


class UnknownConditionError(FootreflexError, ValueError):
    """A declared condition is not in the safety vocabulary, or its foot is malformed.

    Attributes:
        condition: The condition as given.
        suggestions: Up to three close condition names.
    """

    def __init__(self, condition: str, suggestions: Sequence[str] = (),
                 message: str | None = None) -> None:
        self.condition = condition
        self.suggestions: list[str] = list(suggestions)[:3]
        self._message = message
        if message is None:
            message = _offer(f"unknown condition {condition!r}", self.suggestions)
        super().__init__(message)


def _condition_reduce(self: UnknownConditionError) -> tuple[object, ...]:
    return (type(self), (self.condition, self.suggestions, self._message))


UnknownConditionError.__reduce__ = _condition_reduce  # type: ignore[assignment,method-assign]


class SeekCareError(FootreflexError):
    """Self-massage is the wrong answer: a red flag, or a condition that stops the session.

    This is an outcome, not a malfunction: show ``triage.advice`` and the findings to the
    person instead of a routine.

    Attributes:
        triage: The :class:`~footreflex.Triage` with the level, the advice and the
            findings (rule ids, matched words, messages, reasons, sources).
    """

    def __init__(self, triage: Triage) -> None:
        self.triage = triage
        first = triage.findings[0].message if triage.findings else ""
        super().__init__(f"{triage.advice} {first}".strip())

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.triage,))

    @property
    def level(self) -> str:
        """The triage level: ``"see_clinician"`` or ``"emergency"``."""
        return self.triage.level


class TimelineError(FootreflexError, ValueError):
    """A time given to a routine's timeline is not a finite number of seconds >= 0."""


class NotCoveredError(UnknownSymptomError):
    """The complaint was understood, but footreflex has no routine for it (head, knee, ...).

    Attributes:
        text: The text.
        parts: The body parts it names, in the person's words ("knee").
        covered: The names of the regions footreflex does cover.
    """

    def __init__(self, text: str, parts: Sequence[str] = (), covered: Sequence[str] = ()
                 ) -> None:
        self.parts: list[str] = list(parts)
        self.covered: list[str] = list(covered)
        what = ", ".join(self.parts) if self.parts else "this complaint"
        message = f"footreflex has no routine for {what}"
        if self.covered:
            message += "; it covers " + ", ".join(self.covered)
        super().__init__(text, (), message)
        self._init = (text, tuple(self.parts), tuple(self.covered))

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), self._init)


class UnknownQuestionError(FootreflexError, KeyError):
    """An answer was given to a red-flag question id that does not exist.

    Attributes:
        question_id: The unknown id.
        suggestions: Up to three close question ids.
    """

    def __init__(self, question_id: str, suggestions: Sequence[str] = ()) -> None:
        self.question_id = question_id
        self.suggestions: list[str] = list(suggestions)[:3]
        super().__init__(_offer(f"no red-flag question with id {question_id!r}",
                                self.suggestions))

    def __str__(self) -> str:  # KeyError would quote the message again
        return str(self.args[0])

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.question_id, self.suggestions))


class TextTooLongError(FootreflexError, ValueError):
    """The symptom text given to :func:`footreflex.plan` is longer than the cap.

    Attributes:
        length: Characters given.
        limit: The cap (:data:`MAX_SYMPTOM_CHARS`).
    """

    def __init__(self, length: int, limit: int = MAX_SYMPTOM_CHARS) -> None:
        self.length = length
        self.limit = limit
        super().__init__(f"the symptom text is {length:,} characters long; footreflex plans "
                         f"from at most {limit:,} — describe the complaint in a few sentences")

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.length, self.limit))


class MissingExtraError(FootreflexError, ImportError):
    """An optional feature was used without its extra installed.

    The message says how to install it from where the user is (see
    :func:`footreflex._extras.missing_extra`).

    Attributes:
        extra: The extra's name (``"server"``, ``"calendar"``, ``"plot"``).
    """

    def __init__(self, message: str, extra: str) -> None:
        super().__init__(message)
        self.extra = extra
