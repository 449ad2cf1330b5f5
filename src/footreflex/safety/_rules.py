"""The shipped safety data (safety.toml, redflags.toml, conditions.toml), loaded once."""

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple

from pydantic import BaseModel, ConfigDict, Field

from footreflex._data import Shape, Term, load, prevalidated, pristine, raw, validate
from footreflex._data import origin as data_origin
from footreflex._models import Foot, Source
from footreflex.errors import KnowledgeBaseError
from footreflex.language import ConceptIndex

SAFETY_FILES = ("safety.toml", "redflags.toml", "conditions.toml")
"""The safety data files, loaded and validated together."""

# ------------------------------------------------------------------------------ data models
class _When(BaseModel):
    """One way a rule fires: concepts found together."""

    model_config = ConfigDict(frozen=True, defer_build=True, extra="forbid")
    all: tuple[str, ...] = Field(min_length=1)  # each "a|b" = a or b
    unless: tuple[str, ...] = ()
    scope: Literal["sentence", "text"] = "sentence"


class _Rule(BaseModel):
    model_config = ConfigDict(frozen=True, defer_build=True, extra="forbid")
    id: str
    level: Literal["see_clinician", "emergency"]
    message: str
    reason: str
    sources: tuple[str, ...] = Field(min_length=1)
    history: bool = False
    settles: bool = False
    when: tuple[_When, ...] = Field(min_length=1)


class _Box(BaseModel):
    """One box of a caution area, on one foot surface (side views: ``along`` x ``height``)."""

    model_config = ConfigDict(frozen=True, defer_build=True, extra="forbid")
    surface: Literal["plantar", "dorsal", "medial", "lateral", "posterior"]
    along: tuple[float, float] = (0.0, 1.0)
    across: tuple[float, float] | None = None
    height: tuple[float, float] | None = None


class CautionArea(BaseModel):
    """A part of the foot or leg that a condition keeps away from (conditions.toml ``areas``).

    Attributes:
        id: Stable id (``"behind_ankle"``).
        name: The area in plain words, as warnings say it.
        boxes: Boxes in the knowledge base's coordinates, one or more per surface.
    """

    model_config = ConfigDict(frozen=True, defer_build=True, extra="forbid")
    id: str
    name: str
    boxes: tuple[_Box, ...] = Field(min_length=1)


class _Condition(BaseModel):
    model_config = ConfigDict(frozen=True, defer_build=True, extra="forbid")
    id: str
    name: str
    synonyms: tuple[str, ...] = ()
    effect: Literal["stop", "foot", "adjust"]
    message: str = ""
    exclude: tuple[str, ...] = ()
    exclude_areas: tuple[str, ...] = ()
    stage_synonyms: tuple[str, ...] = ()
    unstaged_warning: str = ""
    gentle: bool = False
    warnings: tuple[str, ...] = ()
    text_phrases: tuple[str, ...] = ()
    sources: tuple[str, ...] = Field(min_length=1)


class _SafetyFile(BaseModel):
    model_config = ConfigDict(frozen=True, defer_build=True, extra="forbid")
    ruleset_version: str
    disclaimer: str
    self_care_advice: str
    sources: tuple[Source, ...]
    levels: dict[str, str]
    rules: tuple[_Rule, ...]
    gentle: dict[str, str]
    conditions: tuple[_Condition, ...]
    areas: tuple[CautionArea, ...] = ()
    foot_aliases: dict[str, Foot] = Field(default_factory=dict)


# ------------------------------------------------------------------------------ rules object
class _CompiledWhen(NamedTuple):
    all: tuple[frozenset[str], ...]
    unless: frozenset[str]
    scope: str


class _CompiledRule(NamedTuple):
    rule: _Rule
    when: tuple[_CompiledWhen, ...]


@dataclass(frozen=True)
class SafetyRules:
    """The shipped safety data, validated and compiled.

    Attributes:
        ruleset_version: Version of the rule set.
        disclaimer: The disclaimer every routine carries.
        sources: Sources by id.
    """

    ruleset_version: str
    disclaimer: str
    self_care_advice: str
    sources: dict[str, Source]
    levels: dict[str, str]
    compiled: tuple[_CompiledRule, ...]
    gentle: dict[str, str]
    conditions: dict[str, _Condition]
    areas: dict[str, CautionArea] = field(default_factory=dict)
    foot_aliases: dict[str, Foot] = field(default_factory=dict)
    concepts: ConceptIndex = field(default_factory=lambda: ConceptIndex({}))
    by_concept: dict[str, tuple[int, ...]] = field(default_factory=dict)
    """Concept -> positions in ``compiled`` of the rules that may fire when it is found: a
    rule is listed under each concept of the first group of each of its ``when`` patterns
    (every pattern needs one of those), so a screen only tries the rules a text can fire."""

    @functools.cached_property
    def condition_names(self) -> dict[str, str]:
        """Condition phrase key -> condition id, for the id, name and synonyms of each one.

        Worked out on first use: a plan without declared conditions never needs it.
        """
        names: dict[str, str] = {}
        for cond in self.conditions.values():
            for phrase in (cond.id.replace("_", " "), cond.name, *cond.synonyms,
                           *cond.stage_synonyms):
                names.setdefault(_condition_key(phrase), cond.id)
        return names

    def cite(self, ids: Iterable[str]) -> tuple[Source, ...]:
        """Return the sources for ``ids``."""
        return tuple(self.sources[i] for i in ids)

    def gentle_instructions(self, technique: str) -> str:
        """Return the gentle wording for a technique (the default for unknown ones)."""
        return self.gentle.get(technique, self.gentle["default"])


def rules() -> SafetyRules:
    """Return the shipped safety rules (loaded once, through the data loader; thread-safe).

    Returns:
        The compiled :class:`SafetyRules`.

    Raises:
        KnowledgeBaseError: A shipped safety file is invalid (a packaging error).
    """
    return load(SAFETY_FILES[0], _compile, cached=_from_cache, files=SAFETY_FILES)


def _from_cache() -> SafetyRules | None:
    """The rules from the cached validated form of the shipped files alone, or ``None``.

    The files need not be parsed and merged: the entry was written after the same merge and
    validation passed on the same files (:func:`footreflex._data.prevalidated`).
    """
    name = "+".join(SAFETY_FILES)
    data = prevalidated(_SafetyFile, name)
    return None if data is None else _compiled(data, data_origin(name))


def _compile(first: Mapping[str, Any], origin: str) -> SafetyRules:
    """Merge the safety files (``first`` is safety.toml), validate and compile them."""
    merged: dict[str, Any] = {}
    for name in SAFETY_FILES:
        origin = data_origin(name)
        part = first if name == SAFETY_FILES[0] else raw(name)
        for key, value in part.items():
            if key == "sources" and key in merged:
                merged[key] = [*merged[key], *value]
            elif key in merged:
                raise KnowledgeBaseError(origin, key, "defined in two safety files")
            else:
                merged[key] = value
    origin = data_origin("+".join(SAFETY_FILES))
    shipped = all(pristine(name, first if name == SAFETY_FILES[0] else raw(name))
                  for name in SAFETY_FILES)  # else a variant: always validated
    data = validate(_SafetyFile, merged, origin, shipped="+".join(SAFETY_FILES) if shipped else "")
    return _compiled(data, origin)


def _compiled(data: _SafetyFile, origin: str) -> SafetyRules:
    """Check the validated safety files' references and compile them."""
    sources: dict[str, Source] = {}
    for src in data.sources:
        if src.id in sources:
            raise KnowledgeBaseError(origin, f"sources.{src.id}", "defined twice")
        sources[src.id] = src
    concepts = _concepts(data)
    known = set(concepts) | set(VIRTUAL_CONCEPTS)
    compiled = []
    for rule in data.rules:
        for sid in rule.sources:
            if sid not in sources:
                raise KnowledgeBaseError(origin, f"rules.{rule.id}.sources", f"unknown {sid!r}")
        whens = []
        for k, when in enumerate(rule.when):
            groups = tuple(frozenset(when_part.split("|")) for when_part in when.all)
            unless = frozenset(c for u in when.unless for c in u.split("|"))
            for name in set().union(*groups, unless):
                if name not in known:
                    raise KnowledgeBaseError(origin, f"rules.{rule.id}.when.{k}",
                                             f"unknown concept {name!r}")
            whens.append(_CompiledWhen(groups, unless, when.scope))
        compiled.append(_CompiledRule(rule, tuple(whens)))
    if "default" not in data.gentle:
        raise KnowledgeBaseError(origin, "gentle.default", "a default gentle wording is needed")
    for cond in data.conditions:
        for sid in cond.sources:
            if sid not in sources:
                raise KnowledgeBaseError(origin, f"conditions.{cond.id}.sources",
                                         f"unknown {sid!r}")
        for name in cond.exclude_areas:
            if name not in {a.id for a in data.areas}:
                raise KnowledgeBaseError(origin, f"conditions.{cond.id}.exclude_areas",
                                         f"unknown area {name!r}")
        if cond.text_phrases and cond.effect == "foot":
            raise KnowledgeBaseError(origin, f"conditions.{cond.id}.text_phrases",
                                     "foot-level conditions cannot be detected from text")
    by_concept: dict[str, list[int]] = {}
    for k, compiled_rule in enumerate(compiled):
        for compiled_when in compiled_rule.when:
            for name in compiled_when.all[0]:
                positions = by_concept.setdefault(name, [])
                if k not in positions:
                    positions.append(k)
    return SafetyRules(
        ruleset_version=data.ruleset_version, disclaimer=data.disclaimer,
        self_care_advice=data.self_care_advice, sources=sources, levels=dict(data.levels),
        compiled=tuple(compiled), gentle=dict(data.gentle),
        conditions={c.id: c for c in data.conditions},
        areas={a.id: a for a in data.areas},
        foot_aliases={_condition_key(k): v for k, v in data.foot_aliases.items()},
        concepts=ConceptIndex(concepts),
        by_concept={name: tuple(ks) for name, ks in by_concept.items()})


VIRTUAL_CONCEPTS = ("@age_older", "@age_younger", "lookalike")
"""Concepts the screen derives: the age band read from the text, and masked look-alikes."""


_CONCEPTS: Shape = {"concepts": {str: [Term]}}
"""The shape of concepts.toml: concept name -> its terms."""


def _concepts(data: _SafetyFile) -> dict[str, list[str]]:
    """The concept vocabularies (concepts.toml) plus each condition's text phrases."""
    table = load("concepts.toml", _CONCEPTS)["concepts"]
    out: dict[str, list[str]] = {name: list(terms) for name, terms in table.items()}
    for cond in data.conditions:
        if cond.text_phrases:
            key = f"condition:{cond.id}"
            out[key] = [*out.get(key, []), *cond.text_phrases]
    return out


def _condition_key(text: str) -> str:
    from footreflex.safety._match import _tokens, normalise

    return " ".join(_tokens(normalise(text).replace(",", " ")))
