"""Pydantic models: the knowledge-base records and the routine a plan produces.

Knowledge models (:class:`Region`, :class:`Target` and their parts) validate the TOML data.
Output models (:class:`Routine`, :class:`Step`) are what apps store as JSON; their fields are a
contract: later versions only add fields (``schema_version`` says which shape an app holds).
"""

import re
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticUndefined

from footreflex._data import instance

if TYPE_CHECKING:
    from footreflex._knowledge import KnowledgeBase
    from footreflex.render import FootMap

__all__ = [
    "Area",
    "Channel",
    "Complaint",
    "Cue",
    "Durations",
    "Finding",
    "Position",
    "Question",
    "Region",
    "RegionEdge",
    "Routine",
    "Source",
    "Step",
    "Target",
    "Triage",
]


_VIEWS: dict[str, Callable[..., Any]] = {}
"""Renderers by name, registered by :mod:`footreflex.render` when it loads.

Models never import a renderer (data flows down): the delegate methods (``str(routine)``,
``to_markdown``, ``foot_map``, ``to_html``, ``cues``, ``_repr_html_`` …) look their renderer up
here. ``import footreflex`` registers them before any model can be reached through the public
API.
"""


def _view(name: str) -> Callable[..., Any]:
    try:
        return _VIEWS[name]
    except KeyError:
        raise RuntimeError(f"no renderer {name!r}: import footreflex.render (or use the models "
                           "through the public footreflex package)") from None


_M = TypeVar("_M", bound=BaseModel)
_LAYOUTS: dict[type[BaseModel], tuple[tuple[str, Any, bool], ...]] = {}


def _layout(cls: type[BaseModel]) -> tuple[tuple[str, Any, bool], ...]:
    """Per field, in declaration order: (name, default or default factory, is a factory)."""
    layout = _LAYOUTS.get(cls)
    if layout is None:
        made = []
        for name, field in cls.model_fields.items():
            if field.default_factory is not None:
                made.append((name, field.default_factory, True))
            else:
                made.append((name, field.default, False))  # PydanticUndefined when required
        layout = _LAYOUTS[cls] = tuple(made)
    return layout


def assemble(cls: type[_M], values: dict[str, Any], *, exact: bool = False) -> _M:
    """Make a model from values the library computed itself, without validating them.

    The planner and the red-flag screen build every :class:`Step`, :class:`Routine` and
    :class:`Triage` this way. Their values are already exactly what validation would produce
    (tuples, floats, literals, nested model instances, steps numbered and timed back to
    back), and validating them would not be faster than this, but the first validation in a
    process builds the models' validators and, with the first one, loads pydantic's plugin
    machinery (an ``importlib.metadata`` scan of the installed packages): together about
    15-20 ms, a tenth of a process that plans once. Assembled, a first plan from the
    shipped data (itself rebuilt from its pre-validated form, :mod:`footreflex._data`)
    builds no validator at all; serialising the routine (``model_dump_json``) builds its
    serializer when asked. The result is the instance validation would give, fields set
    included (the keys of ``values``): ``tests/test_assembled.py`` compares the two at every
    call site over many plans and screens. Data from outside the library (JSON, a
    knowledge base, user input) is always validated.

    Args:
        cls: The model class.
        values: Field name -> value, of the field's exact type; fields left out take their
            defaults.
        exact: ``values`` has every field, in declaration order, and the caller hands it
            over (it becomes the instance's ``__dict__``; the steps of a routine, made by
            the thousand, skip a copy).

    Returns:
        The instance.

    Raises:
        TypeError: A name is not a field, or a required field is missing (a programming
            error, never a user's).
    """
    layout = _LAYOUTS.get(cls) or _layout(cls)
    if exact and len(values) == len(layout):
        return instance(cls, values, values)
    if len(values) == len(layout):  # every field given (a step): one comprehension
        try:
            fields = {name: values[name] for name, _, _ in layout}
        except KeyError:
            raise TypeError(f"not fields of {cls.__name__}: "
                            f"{sorted(values.keys() - set(cls.model_fields))}") from None
        return instance(cls, fields, values)
    fields = {}
    for name, default, factory in layout:
        if name in values:
            fields[name] = values[name]
        elif factory:
            fields[name] = default()
        elif default is PydanticUndefined:
            raise TypeError(f"{cls.__name__}.{name} is required")
        else:
            fields[name] = default
    if not values.keys() <= fields.keys():
        raise TypeError(f"not fields of {cls.__name__}: {sorted(values.keys() - fields.keys())}")
    return instance(cls, fields, values)



ROUTINE_SCHEMA_VERSION = 2
"""Version of the :class:`Routine` JSON shape.

Version 2 (this round) only adds fields: ``watch_for``, ``sides``, ``region_names``,
``Step.cautions``, ``Step.evidence``, ``Step.relevance`` and the ``warning`` cue kind
(``CHANGELOG.md``). A version-1 document still validates (the new fields default to empty).
"""

Id = Annotated[str, Field(pattern=r"^[A-Za-z][A-Za-z0-9_]*$", max_length=64)]
Fraction = Annotated[float, Field(ge=0.0, le=1.0)]
Surface = Literal["plantar", "dorsal", "medial", "lateral", "posterior"]
StepKind = Literal["warmup", "point", "zone", "cooldown"]
Foot = Literal["left", "right", "both"]
Side = Literal["left", "right", "both"]

_SECONDS_UNIT = 15


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, defer_build=True, extra="forbid")


class Source(_Frozen):
    """A bibliographic source that facts in the knowledge base or the safety rules cite.

    The structured fields make a source checkable; ``citation`` is the full citation string
    people read (kept in JSON).

    Attributes:
        id: Short stable id used by the data (``"who2008"``, ``"nice_cks_lbp"``).
        citation: Full human-readable citation.
        authors: Authors or the issuing body, in citation order.
        title: Title of the work or page.
        year: Year of publication or last revision, or ``"n.d."``.
        publisher: Publisher, journal or site.
        identifier: ``doi:...``, ``isbn:...``, an ``https://`` URL, or ``"none"``.
        identifier_note: Why there is no identifier (when ``identifier`` is ``"none"``).
        short: A short name for the source in running text (``"WHO 2008"``); the id when
            empty.
    """

    id: Id
    citation: str = Field(min_length=1)
    authors: tuple[str, ...] = ()
    title: str = ""
    year: str = ""
    publisher: str = ""
    identifier: str = ""
    identifier_note: str = ""
    short: str = ""

    @property
    def label(self) -> str:
        """The short name for running text: ``short``, else the title, else the id."""
        return self.short or self.title or self.id


class Channel(_Frozen):
    """An acupuncture channel and the other codes in use for it (for alias resolution).

    Attributes:
        code: WHO channel code (``"LR"``).
        name: English channel name.
        aliases: Other codes or names that mean this channel (``"Liv"``, ``"Liver"``).
    """

    code: str = Field(pattern=r"^[A-Z]{2}$")
    name: str
    aliases: tuple[str, ...] = ()


class Region(_Frozen):
    """A body region a routine can serve.

    Attributes:
        id: Stable id (``"lumbar"``, ``"cervical"``, ``"sciatic"``, ``"upper_back"``).
        name: Display name.
        synonyms: Phrases people type that mean this region.
    """

    id: Id
    name: str = Field(min_length=1)
    synonyms: tuple[str, ...] = ()


class Position(_Frozen):
    """Approximate diagram position of a target on the foot.

    Coordinates are fractions: ``along`` from the back of the heel (0) to the tip of the big
    toe (1); ``across`` from the medial, big-toe edge (0) to the lateral edge (1); ``height``
    from the sole (0) to the top of the foot at the ankle crease (1), for side views; points
    on the lower leg just above the ankle (BL59) go up to 1.6, the top of the drawn leg.
    """

    along: Fraction
    across: Fraction
    height: float = Field(default=0.0, ge=0.0, le=1.6)
    approximate: bool = True


class Area(_Frozen):
    """Approximate area a reflex zone covers on one foot surface.

    Ranges use the :class:`Position` system: ``along`` always; ``across`` on the sole and the
    top of the foot (``plantar``, ``dorsal``); ``height`` on the inner and outer edges
    (``medial``, ``lateral``).
    """

    surface: Surface
    along: tuple[Fraction, Fraction]
    across: tuple[Fraction, Fraction] | None = None
    height: tuple[float, float] | None = None
    approximate: bool = True

    @model_validator(mode="after")
    def _ranges(self) -> "Area":
        side = self.surface in ("medial", "lateral", "posterior")
        needed, other = ("height", "across") if side else ("across", "height")
        if getattr(self, needed) is None or getattr(self, other) is not None:
            raise ValueError(f"a {self.surface} area needs `along` and `{needed}` "
                             f"(not `{other}`)")
        for name in ("along", needed):
            low, high = getattr(self, name)
            if low > high:
                raise ValueError(f"{name} must be [low, high]")
        return self


class Durations(_Frozen):
    """Useful seconds per foot: ``min`` <= ``default`` <= ``max``, multiples of 15."""

    min: int = Field(gt=0)
    default: int = Field(gt=0)
    max: int = Field(gt=0)

    @model_validator(mode="after")
    def _consistent(self) -> "Durations":
        for name in ("min", "default", "max"):
            if getattr(self, name) % _SECONDS_UNIT:
                raise ValueError(f"{name} must be a multiple of {_SECONDS_UNIT} seconds")
        if not self.min <= self.default <= self.max:
            raise ValueError("need min <= default <= max")
        return self


class RegionEdge(_Frozen):
    """How strongly a target serves a region, and on what evidence.

    Attributes:
        region: Region id.
        relevance: Strength in 0-1 (rubric in ``docs/knowledge-base.md``).
        evidence: One-line evidence note.
        sources: Source ids backing the edge.
    """

    region: Id
    relevance: Fraction
    evidence: str = Field(min_length=1)
    sources: tuple[Id, ...] = Field(min_length=1)


class Target(_Frozen):
    """Something to massage: an acupoint, a reflex zone, or the general warm-up / cool-down.

    Attributes:
        id: Stable id: the WHO code for acupoints (``"BL60"``), snake_case for zones.
        kind: ``"acupoint"``, ``"zone"`` or ``"general"``.
        role: ``"treatment"``, or ``"warmup"`` / ``"cooldown"`` for the general massages.
        code: WHO code for acupoints, ``None`` otherwise.
        name: Display name.
        english: English names (acupoints).
        pinyin: Pinyin with tone marks (acupoints).
        characters: Chinese characters, simplified; traditional (acupoints).
        who_page: Page of the WHO 2008 location standard (acupoints).
        aliases: Other names that resolve to this target.
        location: Where it is, in plain words.
        surfaces: Foot surfaces it covers.
        position: Approximate diagram position (centre; acupoints are drawn here).
        areas: Approximate areas a zone covers, one per surface (drawn shaded).
        technique: Technique id (a key of the knowledge base's ``techniques``).
        instructions: How to press, in plain words.
        seconds: Useful seconds per foot.
        serves: Region edges.
        cautions: Cautions that apply whenever the target is used.
        gentle_only: Press gently whatever pressure the person prefers (e.g. an artery lies
            beneath).
        value_weight: Planning weight of a general massage (``general`` targets only).
        confidence: Overall confidence in the target's use for back complaints.
        evidence: Evidence note for general targets.
        sources: Source ids for the target's location and use.
    """

    id: Id
    kind: Literal["acupoint", "zone", "general"]
    role: Literal["treatment", "warmup", "cooldown"] = "treatment"
    code: str | None = Field(default=None, pattern=r"^[A-Z]{2}[0-9]{1,2}$")
    name: str = Field(min_length=1)
    english: tuple[str, ...] = ()
    pinyin: str | None = None
    characters: str | None = None
    who_page: int | None = Field(default=None, gt=0)
    aliases: tuple[str, ...] = ()
    location: str = Field(min_length=1)
    surfaces: tuple[Surface, ...] = Field(min_length=1)
    position: Position
    areas: tuple[Area, ...] = ()
    technique: str = Field(min_length=1)
    instructions: str = Field(min_length=1)
    seconds: Durations
    serves: tuple[RegionEdge, ...] = ()
    cautions: tuple[str, ...] = ()
    gentle_only: bool = False
    value_weight: Fraction | None = None
    confidence: str = ""
    evidence: str = ""
    sources: tuple[Id, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _kind_rules(self) -> "Target":
        if self.kind == "acupoint":
            if self.code is None or self.code != self.id:
                raise ValueError("an acupoint's id must be its WHO code, given as `code`")
            if not self.pinyin or not self.characters or self.who_page is None:
                raise ValueError("an acupoint needs pinyin, characters and who_page")
        elif self.code is not None:
            raise ValueError("only acupoints have a WHO code")
        if self.kind == "general":
            if self.role == "treatment":
                raise ValueError("a general target is the warmup or the cooldown")
            if self.value_weight is None:
                raise ValueError("a general target needs value_weight")
        elif self.role != "treatment":
            raise ValueError("only general targets can be the warmup or cooldown")
        regions = [edge.region for edge in self.serves]
        if len(set(regions)) != len(regions):
            raise ValueError("a region is listed twice in serves")
        return self

    def relevance(self, region: str) -> float:
        """Return the relevance of this target to ``region`` (0 when it does not serve it).

        Args:
            region: A region id.

        Returns:
            The edge's relevance in 0-1.
        """
        for edge in self.serves:
            if edge.region == region:
                return edge.relevance
        return 0.0


class Step(BaseModel):
    """One timed step of a routine.

    Attributes:
        index: Position in the routine, counting from 1.
        kind: ``"warmup"``, ``"point"``, ``"zone"`` or ``"cooldown"``.
        target_id: Id of the target in the knowledge base.
        code: WHO code for acupoints (``"BL60"``), ``None`` otherwise.
        name: Display name.
        foot: ``"right"``, ``"left"`` or ``"both"``.
        start_s: Seconds from the start of the session.
        duration_s: Length of the step in seconds.
        technique: Technique id.
        instructions: How to do it.
        serves: Region ids (of those asked for) that it serves, strongest first.
        why: One line: which region it serves, how strongly, from which source.
        location: Where the target is, in plain words (added in 0.2; empty in older JSON).
        cautions: Cautions to show again when this step starts (e.g. "press LR3 gently");
            added in schema 2.
        evidence: How strong the evidence for this step is, in plain words; added in
            schema 2.
        relevance: The strongest relevance (0-1) of the target to the regions asked for
            (``None`` for the warm-up and cool-down); added in schema 2.
    """

    model_config = ConfigDict(frozen=True, defer_build=True, extra="ignore")

    index: int = Field(ge=1)
    kind: StepKind
    target_id: str
    code: str | None = None
    name: str
    foot: Foot
    start_s: int = Field(ge=0)
    duration_s: int = Field(gt=0)
    technique: str
    instructions: str
    serves: tuple[str, ...] = ()
    why: str = ""
    location: str = ""
    cautions: tuple[str, ...] = ()
    evidence: str = ""
    relevance: float | None = None

    @property
    def end_s(self) -> int:
        """Seconds from the start of the session when this step ends."""
        return self.start_s + self.duration_s


class Routine(BaseModel):
    """An ordered, timed foot self-massage routine.

    Attributes:
        schema_version: Version of this JSON shape (additive changes keep old fields).
        regions: Region ids the routine is for, in the order they were asked for.
        minutes: The time budget asked for.
        total_seconds: Length of the routine (never more than ``minutes * 60``).
        steps: The steps, warm-up first.
        warnings: Things the reader should know first (words not understood, budget notes,
            cautions).
        disclaimer: Self-care disclaimer; every routine carries it.
        sources: Citations for the facts the steps rely on.
        conditions: Declared conditions the routine respects, as ``id`` or ``id:foot``
            (added in 0.2; older JSON without it reads as no conditions).
        watch_for: The short "stop and seek care if ..." list for the routine's regions;
            every surface shows it (added in schema 2).
        sides: Region id -> ``"left"``, ``"right"`` or ``"both"``, only for regions whose
            side the text states (both feet are still treated; added in schema 2).
        region_names: Region id -> display name, from the knowledge base the routine was
            planned with, so renderers never need the shipped one (added in schema 2).
    """

    model_config = ConfigDict(frozen=True, defer_build=True, extra="ignore")

    schema_version: int = ROUTINE_SCHEMA_VERSION
    regions: tuple[str, ...]
    minutes: float
    total_seconds: int = Field(ge=0)
    steps: tuple[Step, ...]
    warnings: tuple[str, ...] = ()
    disclaimer: str
    sources: tuple[Source, ...] = ()
    conditions: tuple[str, ...] = ()
    watch_for: tuple[str, ...] = ()
    sides: dict[str, Side] = Field(default_factory=dict)
    region_names: dict[str, str] = Field(default_factory=dict)

    @field_validator("steps")
    @classmethod
    def _steps_consistent(cls, steps: tuple[Step, ...]) -> tuple[Step, ...]:
        clock = 0
        for number, step in enumerate(steps, start=1):
            if step.index != number:
                raise ValueError("step indexes must count 1, 2, 3, ...")
            if step.start_s != clock:
                raise ValueError(f"step {number} must start at {clock} s")
            clock = step.end_s
        return steps

    @model_validator(mode="after")
    def _total(self) -> "Routine":
        if self.total_seconds != sum(step.duration_s for step in self.steps):
            raise ValueError("total_seconds must equal the sum of step durations")
        return self

    def __str__(self) -> str:
        """Readable text: numbered steps, foot, minutes, how to press."""
        out: str = _view("routine_text")(self)
        return out

    def to_markdown(self) -> str:
        """Return the routine as Markdown (a heading, a table of steps, instructions, sources).

        Returns:
            A Markdown document.
        """
        out: str = _view("routine_markdown")(self)
        return out

    def foot_map(self, knowledge: "KnowledgeBase | None" = None) -> "FootMap":
        """Draw the routine on the feet.

        Args:
            knowledge: Knowledge base it was planned from (default: the shipped one).

        Returns:
            A :class:`~footreflex.FootMap` (``to_svg()``, ``save(path)``, displays
            itself in Jupyter).
        """
        out: FootMap = _view("routine_map")(self, knowledge)
        return out

    def to_html(self, knowledge: "KnowledgeBase | None" = None) -> str:
        """Return a printable, self-contained HTML page: map, steps, warnings, disclaimer.

        Args:
            knowledge: Knowledge base it was planned from (default: the shipped one).

        Returns:
            A complete HTML document (no network access needed).
        """
        out: str = _view("routine_html")(self, knowledge)
        return out

    def cues(self, from_s: float = 0) -> "Iterator[Cue]":
        """Yield the timeline of spoken/visual cues an app can drive its own timer with.

        Cues come in time order: session start, each step's start (what, where, which foot,
        how long, how to press), "switch to the left foot", halfway through a long step,
        "one more minute", each step's end, session end. The library never sleeps or starts
        threads: the app decides when to show each cue (see ``docs/guide.md``).

        Args:
            from_s: Only cues at or after this second (to resume after an interruption).

        Yields:
            :class:`Cue` objects.

        Raises:
            TimelineError: ``from_s`` is not a finite number >= 0.
        """
        yield from _view("cues")(self, from_s)

    def step_at(self, at_s: float) -> Step | None:
        """Return the step running at second ``at_s`` (``None`` once the routine is over).

        Args:
            at_s: Seconds since the start of the session.

        Returns:
            The step whose ``[start_s, end_s)`` holds ``at_s``, or ``None`` past the end.

        Raises:
            TimelineError: ``at_s`` is not a finite number >= 0.
        """
        out: Step | None = _view("step_at")(self, at_s)
        return out

    def remaining(self, at_s: float) -> int:
        """Return the whole seconds left in the session at second ``at_s`` (0 past the end).

        Args:
            at_s: Seconds since the start of the session.

        Returns:
            ``total_seconds - at_s``, rounded up, never below 0.

        Raises:
            TimelineError: ``at_s`` is not a finite number >= 0.
        """
        out: int = _view("remaining")(self, at_s)
        return out

    def _repr_html_(self) -> str:
        return (f'<div class="footreflex-routine">{self.foot_map().to_svg()}'
                f"{_view('steps_table_html')(self)}<p><em>{self.disclaimer}</em></p></div>")

    def _repr_mimebundle_(self, include: object = None, exclude: object = None
                          ) -> dict[str, str]:
        return {"text/html": self._repr_html_(), "text/plain": str(self)}




Level = Literal["self_care", "see_clinician", "emergency"]


class Finding(BaseModel):
    """One red-flag rule (or declared condition) that fired.

    Attributes:
        rule_id: Stable id of the rule (``"cauda_equina_bladder_bowel"``), or
            ``"condition:<id>"`` for a declared condition that stops the session.
        level: ``"see_clinician"`` or ``"emergency"``.
        matched: The words in the text that matched, one entry per matched phrase.
        message: What to do, action first.
        reason: Why it matters.
        sources: Citations for the rule.
    """

    model_config = ConfigDict(frozen=True, defer_build=True)

    rule_id: str
    level: Level
    matched: tuple[str, ...] = ()
    message: str
    reason: str
    sources: tuple[Source, ...] = ()


class Triage(BaseModel):
    """The outcome of screening a symptom text for red flags.

    Attributes:
        level: ``"self_care"`` (no red flag recognised), ``"see_clinician"`` (urgent or
            same-day care) or ``"emergency"``.
        advice: The action to take, first; for ``self_care`` a reminder that this is not a
            medical assessment (it never reads as clearance).
        findings: The rules that fired, most urgent first.
        ruleset_version: Version of the shipped rule set, for logging.
    """

    model_config = ConfigDict(frozen=True, defer_build=True)

    schema_version: int = 1
    level: Level
    advice: str
    findings: tuple[Finding, ...] = ()
    ruleset_version: str

    def to_html(self) -> str:
        """Return a self-contained HTML page with the advice, to show instead of a routine.

        Returns:
            A complete HTML document.
        """
        out: str = _view("triage_html")(self)
        return out

    def __str__(self) -> str:
        """Readable advice: the action first, then each finding with its reason and source.

        The action is said once: a finding whose message opens with the advice's own action
        (``"Contact emergency services ... now: ..."`` under the same advice) shows only what
        follows it. An answered question is quoted as such, and words already in the reason
        are not repeated.
        """
        lines = [self.advice]
        for f in self.findings:
            message, words, answered = finding_parts(f, self.advice)
            lines.append(f"- {message}")
            detail = f"  Why: {f.reason}"
            if words:
                quoted = ", ".join(f'"{m}"' for m in words)
                detail += f" (matched: {quoted})"
            lines.append(detail)
            lines.extend(f"  You answered yes to: {q}" for q in answered)
            lines.extend(f"  Source: {s.citation}" for s in f.sources)
        return "\n".join(lines)


_ANSWERED = "answered yes: "
"""How a finding's ``matched`` marks a red-flag question answered yes."""


def finding_parts(finding: Finding, advice: str) -> tuple[str, list[str], list[str]]:
    """Split a finding for display under the advice, so nothing is said twice.

    Args:
        finding: A finding of a triage.
        advice: The triage's advice, shown above the findings.

    Returns:
        The message (without its leading action when the advice already says it), the
        matched words not already in the reason, and the questions answered yes.
    """
    answered = [m.removeprefix(_ANSWERED) for m in finding.matched if m.startswith(_ANSWERED)]
    words = [m for m in finding.matched if not m.startswith(_ANSWERED)
             and not re.search(rf"\b{re.escape(m)}\b", finding.reason, re.IGNORECASE)]
    return _without_action(finding.message, advice), words, answered


def _without_action(message: str, advice: str) -> str:
    """Drop a message's leading action when the advice already says it (said once)."""
    action, sep, rest = message.partition(": ")
    first = advice.split(". ")[0].rstrip(".").strip().lower()
    if sep and rest and first.startswith(action.strip().lower()):
        return rest[0].upper() + rest[1:]
    return message


CueKind = Literal["session_start", "warning", "step_start", "switch_foot", "halfway",
                  "one_minute_left", "step_end", "session_end"]


class Cue(BaseModel):
    """One moment in a routine's timeline, for an app's own timer.

    Attributes:
        schema_version: Version of this JSON shape.
        at_s: Seconds from the start of the session.
        kind: ``session_start``, ``warning`` (a routine warning or "watch for" item before
            the first step, or a step's caution when it starts; added in schema 2),
            ``step_start``, ``switch_foot``, ``halfway``, ``one_minute_left``, ``step_end``
            or ``session_end``.
        text: What to say or show.
        step_index: The step it belongs to (``None`` for the session start and end).
    """

    model_config = ConfigDict(frozen=True, defer_build=True)

    schema_version: int = 2
    at_s: int = Field(ge=0)
    kind: CueKind
    text: str
    step_index: int | None = None


class Question(BaseModel):
    """A red-flag question to ask the person before planning (a structured checklist).

    Attributes:
        id: Stable id (``"ce_bladder"``); answers are keyed by it.
        text: The question, in plain words, answerable with yes or no.
        level: The level a "yes" leads to: ``"see_clinician"`` or ``"emergency"``.
        message: What to do after a "yes", action first.
        reason: Why it matters.
        regions: Region ids it belongs to (empty: a general question, always asked).
        sources: Citations.
    """

    model_config = ConfigDict(frozen=True, defer_build=True)

    schema_version: int = 1
    id: str
    text: str
    level: Literal["see_clinician", "emergency"]
    message: str
    reason: str
    regions: tuple[str, ...] = ()
    sources: tuple[Source, ...] = ()


class Complaint(BaseModel):
    """What a symptom text says, as :func:`footreflex.understand` reads it.

    Attributes:
        regions: Region ids named (and not excluded), in order of first mention.
        sides: Region id -> ``"left"``, ``"right"`` or ``"both"`` where the text says.
        not_understood: The person's own words that look like a complaint but were not
            placed (with a "did you mean" hint for real near-misses of covered words).
        not_covered: Body parts named that footreflex has no routine for (``"knee"``).
        excluded: Region ids the text explicitly rules out ("not my neck").
    """

    model_config = ConfigDict(frozen=True, defer_build=True)

    schema_version: int = 1
    regions: tuple[str, ...] = ()
    sides: dict[str, Side] = Field(default_factory=dict)
    not_understood: tuple[str, ...] = ()
    not_covered: tuple[str, ...] = ()
    excluded: tuple[str, ...] = ()
