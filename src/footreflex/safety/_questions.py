"""The red-flag checklist: questions to ask before planning, answers, and "watch for" lines.

The questions and the per-region "watch for" lines are data (``footreflex/data/
questions.toml``), validated here and cited from the safety sources (the ``[[sources]]`` of
the safety files, shared with the red-flag rules).
:func:`triage` combines the free-text screen with the answers: a "yes" adds a finding at the
question's level; a "no" never lowers a level the text reached.
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from footreflex._data import load, prevalidated, pristine, validate
from footreflex._data import origin as data_origin
from footreflex._knowledge import KnowledgeBase
from footreflex._knowledge import knowledge as _shipped
from footreflex._models import Finding, Level, Question, Triage
from footreflex._symptoms import resolve_text
from footreflex._text import close_matches
from footreflex.errors import (
    FootreflexError,
    InvalidArgumentError,
    KnowledgeBaseError,
    UnknownQuestionError,
    UnknownSymptomError,
)
from footreflex.safety._rules import rules
from footreflex.safety._triage import triage as _screen_text

if TYPE_CHECKING:
    from footreflex.language._context import Sentence

__all__ = ["Answers", "check_answers", "parse_answer_items", "questions", "red_flag_questions",
           "triage", "watch_for"]

QUESTIONS_FILE = "questions.toml"
"""The data file of the red-flag questions and the "watch for" lines."""
GENERAL = "general"
"""The ``watch_for`` key whose lines go on every routine."""
MAX_PER_REGION = 6
"""The most questions one region may have, general ones included (under a minute to answer)."""

Answers = Mapping[str, bool]
"""Answers to red-flag questions: question id -> ``True`` for "yes", ``False`` for "no"."""

_RANK: dict[str, int] = {"self_care": 0, "see_clinician": 1, "emergency": 2}
_Id = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
_Line = Annotated[str, Field(min_length=1, max_length=200)]


# ------------------------------------------------------------------------------ data models
class _QuestionEntry(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)
    id: _Id
    text: Annotated[str, Field(min_length=1, max_length=160)]
    level: Literal["see_clinician", "emergency"]
    message: _Line = Field(max_length=300)
    reason: _Line
    regions: tuple[_Id, ...] = ()
    sources: tuple[_Id, ...] = Field(min_length=1)


class _WatchEntry(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)
    text: Annotated[str, Field(min_length=1, max_length=160)]
    sources: tuple[_Id, ...] = Field(min_length=1)


class _QuestionsFile(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)
    questions: tuple[_QuestionEntry, ...] = Field(min_length=1)
    watch_for: dict[_Id, tuple[_WatchEntry, ...]] = Field(default_factory=dict)


@dataclass(frozen=True)
class Checklist:
    """The validated questions and "watch for" lines.

    Attributes:
        questions: Every question, in file order, with its sources resolved.
        by_id: The same, by id.
        watch_for: Region id (or ``"general"``) -> its lines, in file order.
    """

    questions: tuple[Question, ...]
    by_id: dict[str, Question]
    watch_for: dict[str, tuple[str, ...]]


def questions() -> Checklist:
    """Return the shipped checklist (loaded and validated once, thread-safe).

    Returns:
        The :class:`Checklist`.

    Raises:
        KnowledgeBaseError: ``questions.toml`` is invalid (file and field named).
    """
    return load(QUESTIONS_FILE, build_checklist, cached=_from_cache)


def _from_cache() -> Checklist | None:
    """The checklist from the cached validated form of the shipped file alone, or ``None``."""
    data = prevalidated(_QuestionsFile, QUESTIONS_FILE)
    return None if data is None else _checklist(data, data_origin(QUESTIONS_FILE), True)


def build_checklist(raw: Mapping[str, Any], origin: str) -> Checklist:
    """Validate parsed questions data and resolve its sources.

    Args:
        raw: The parsed TOML.
        origin: The file name used in errors.

    Returns:
        The :class:`Checklist`.

    Raises:
        KnowledgeBaseError: A field is missing or invalid, an id is repeated, a source is
            unknown, or a region has more than :data:`MAX_PER_REGION` questions.
    """
    shipped = pristine(QUESTIONS_FILE, raw)  # else a caller's variant: always validated
    data = validate(_QuestionsFile, raw, origin, shipped=QUESTIONS_FILE if shipped else "")
    return _checklist(data, origin, shipped)


def _checklist(data: _QuestionsFile, origin: str, shipped: bool) -> Checklist:
    """Check the validated questions' references and build the checklist."""
    sources = rules().sources
    # The shipped file's entries are validated (now or when the cache entry was written) and
    # its sources come validated from the safety rules: its questions need no second
    # validation (a caller's variant is validated field by field).
    make: Callable[..., Question] = Question.model_construct if shipped else Question
    built: list[Question] = []
    by_id: dict[str, Question] = {}
    for k, entry in enumerate(data.questions):
        if entry.id in by_id:
            raise KnowledgeBaseError(origin, f"questions.{k}.id", f"{entry.id!r} is repeated")
        for sid in entry.sources:
            if sid not in sources:
                raise KnowledgeBaseError(origin, f"questions.{k}.sources",
                                         f"unknown source {sid!r}")
        question = make(id=entry.id, text=entry.text, level=entry.level,
                        message=entry.message, reason=entry.reason, regions=entry.regions,
                        sources=tuple(sources[s] for s in entry.sources))
        built.append(question)
        by_id[entry.id] = question
    general = sum(1 for q in built if not q.regions)
    per_region: dict[str, int] = {}
    for q in built:
        for region in q.regions:
            per_region[region] = per_region.get(region, 0) + 1
    for region, count in per_region.items():
        if count + general > MAX_PER_REGION:
            raise KnowledgeBaseError(origin, "questions", (
                f"region {region!r} has {count + general} questions with the general ones; "
                f"at most {MAX_PER_REGION} (a set must be answerable in under a minute)"))
    watch: dict[str, tuple[str, ...]] = {}
    for key, entries in data.watch_for.items():
        for k, line in enumerate(entries):
            for sid in line.sources:
                if sid not in sources:
                    raise KnowledgeBaseError(origin, f"watch_for.{key}.{k}.sources",
                                             f"unknown source {sid!r}")
        watch[key] = tuple(line.text for line in entries)
    return Checklist(tuple(built), by_id, watch)


# ------------------------------------------------------------------------------ public API
def red_flag_questions(regions: str | Sequence[str] | None = None, *, text: str | None = None,
                       knowledge: KnowledgeBase | None = None) -> list[Question]:
    """Return the red-flag questions to ask before planning.

    The general questions are always included; region questions are added for the regions
    given and for those the text names (as :func:`footreflex.resolve` reads it). A text that
    names no region just gives the general questions: the text never makes this raise.

    Args:
        regions: Region ids (``"lumbar"``, ``["cervical", "upper_back"]``), or ``None``.
        text: A symptom text whose regions to add (``"my lower back and neck"``).
        knowledge: Knowledge base whose regions and synonyms to use (default: the shipped
            one).

    Returns:
        The questions in checklist order (the most urgent first), each once.

    Raises:
        UnknownSymptomError: A region id given is not in the knowledge base (with up to three
            close ids in ``suggestions``).
    """
    kb = _kb(knowledge)
    wanted: list[str] = []
    if regions is not None:
        if isinstance(regions, str):
            given = [regions]
        elif isinstance(regions, Iterable) and not isinstance(regions, bytes | Mapping):
            given = list(regions)
        else:
            raise InvalidArgumentError(
                f"regions must be a region id or a list of them, not {type(regions).__name__}")
        for region in given:
            if not isinstance(region, str) or region not in kb.regions:
                name = region if isinstance(region, str) else repr(region)
                close = close_matches(name, kb.regions, cutoff=0.5)
                raise UnknownSymptomError(name, close, message=(
                    f"unknown region {name!r}; the regions are {', '.join(kb.regions)}"))
            if region not in wanted:
                wanted.append(region)
    if isinstance(text, str) and text.strip():
        try:
            found = resolve_text(text, kb).regions
        except FootreflexError:
            found = []
        wanted.extend(r for r in found if r not in wanted)
    chosen = set(wanted)
    return [q for q in questions().questions
            if not q.regions or chosen.intersection(q.regions)]


def watch_for(regions: Sequence[str]) -> list[str]:
    """Return the "stop and seek care if ..." lines for ``regions``, then the general ones.

    Args:
        regions: Region ids (ids without lines of their own add nothing).

    Returns:
        The lines, each once, in region order.
    """
    table = questions().watch_for
    out: list[str] = []
    for key in (*regions, GENERAL):
        out.extend(line for line in table.get(key, ()) if line not in out)
    return out


_ANSWER_WORDS = {"yes": True, "y": True, "true": True, "no": False, "n": False, "false": False}


def parse_answer_items(items: Sequence[str], option: str = "answer") -> dict[str, bool]:
    """Parse ``ID=yes|no`` strings (a command line's or a query string's) into answers.

    The ids are not checked here (:func:`check_answers` does that).

    Args:
        items: ``["ce_legs=no", "neck_stroke=yes"]``; ``y``/``n`` and ``true``/``false``
            are accepted too, in any case.
        option: How the caller names the option, for the message (``"--answer"``).

    Returns:
        ``{question_id: True or False}``, in the order given.

    Raises:
        InvalidArgumentError: An item is not ``ID=yes`` or ``ID=no``.
    """
    answers: dict[str, bool] = {}
    for item in items:
        qid, sep, value = item.partition("=")
        answer = _ANSWER_WORDS.get(value.strip().lower())
        if not sep or not qid.strip() or answer is None:
            raise InvalidArgumentError(f"expected {option} ID=yes or ID=no, not {item!r}")
        answers[qid.strip()] = answer
    return answers


def check_answers(answers: object) -> dict[str, bool]:
    """Validate answers to red-flag questions.

    Args:
        answers: ``{question_id: bool}`` (``True`` = "yes"), or ``None`` for no answers.

    Returns:
        The answers as a plain dict, in the order given.

    Raises:
        UnknownQuestionError: An id is not a question (with close ids in ``suggestions``).
        InvalidArgumentError: ``answers`` is not a mapping, or an answer is not ``True`` or
            ``False``.
    """
    if answers is None:
        return {}
    if not isinstance(answers, Mapping):
        raise InvalidArgumentError("answers must be a mapping of question id to True or False, "
                              f"not {type(answers).__name__}")
    known = questions().by_id
    out: dict[str, bool] = {}
    for qid, value in answers.items():
        if not isinstance(qid, str) or qid not in known:
            name = qid if isinstance(qid, str) else repr(qid)
            raise UnknownQuestionError(name, close_matches(name, known))
        if not isinstance(value, bool):
            raise InvalidArgumentError(f"the answer to {qid!r} must be True (yes) or False (no), "
                                  f"not {value!r}")
        out[qid] = value
    return out


def answer_findings(answers: Mapping[str, bool]) -> list[Finding]:
    """Return one finding per "yes", in checklist order (answers must be checked first).

    Args:
        answers: Checked answers (:func:`check_answers`).

    Returns:
        Findings with ``rule_id = "question:<id>"`` at each question's level.
    """
    return [Finding(rule_id=f"question:{q.id}", level=q.level,
                    matched=(f"answered yes: {q.text}",), message=q.message, reason=q.reason,
                    sources=q.sources)
            for q in questions().questions if answers.get(q.id) is True]


def triage(text: str, answers: Answers | None = None, *,
           sentences: "Sequence[Sentence] | None" = None) -> Triage:
    """Screen a symptom text for red flags, together with answers to the checklist.

    The text screen never raises, whatever the text; only answers are validated. A "yes"
    adds a finding (``rule_id = "question:<id>"``) at the question's level; a "no" never
    lowers the level the text reached.

    Args:
        text: What the person wrote (anything; non-text is treated as empty).
        answers: Answers to :func:`red_flag_questions` (``{question_id: bool}``), optional.
        sentences: ``text`` already read (:func:`footreflex.safety.read_text`), to skip
            reading it again.

    Returns:
        A :class:`~footreflex.Triage`: ``emergency``, ``see_clinician`` or
        ``self_care``, with the findings (text findings first within a level), most urgent
        first, and the rule-set version.

    Raises:
        UnknownQuestionError: An answer's id is not a question.
        InvalidArgumentError: ``answers`` is not a mapping of ids to ``True`` / ``False``.
    """
    checked = check_answers(answers)
    screened = _screen_text(text, sentences=sentences)
    extra = answer_findings(checked)
    if not extra:
        return screened
    findings = sorted([*screened.findings, *extra], key=lambda f: -_RANK[f.level])
    level: Level = findings[0].level
    if _RANK[screened.level] > _RANK[level]:  # pragma: no cover - findings carry the level
        level = screened.level
    return Triage(level=level, advice=rules().levels[level], findings=tuple(findings),
                  ruleset_version=screened.ruleset_version)


def _kb(knowledge: KnowledgeBase | None) -> KnowledgeBase:
    if knowledge is None:
        return _shipped()
    if not isinstance(knowledge, KnowledgeBase):
        raise InvalidArgumentError(
            f"knowledge must be a KnowledgeBase, not {type(knowledge).__name__}")
    return knowledge
