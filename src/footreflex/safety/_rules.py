"""The shipped safety data (safety.toml, redflags.toml, conditions.toml), loaded once."""

from __future__ import annotations

import functools
import re
import threading
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from footreflex.errors import KnowledgeBaseError
from footreflex.models import Source
from footreflex.safety._match import (
    _CompiledPattern,
    _Index,
    normalise,
)

SAFETY_FILES = ("safety.toml", "redflags.toml", "conditions.toml")
"""The safety data files, loaded and validated together."""

# ------------------------------------------------------------------------------ data models
class _Pattern(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    groups: tuple[tuple[str, ...], ...] = Field(min_length=1)
    negatable: bool = True


class _Rule(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    id: str
    level: Literal["see_clinician", "emergency"]
    message: str
    reason: str
    sources: tuple[str, ...] = Field(min_length=1)
    unless: tuple[str, ...] = ()
    patterns: tuple[_Pattern, ...] = Field(min_length=1)


class _Condition(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    id: str
    name: str
    synonyms: tuple[str, ...] = ()
    effect: Literal["stop", "foot", "adjust"]
    message: str = ""
    exclude: tuple[str, ...] = ()
    gentle: bool = False
    warnings: tuple[str, ...] = ()
    text_phrases: tuple[str, ...] = ()
    sources: tuple[str, ...] = Field(min_length=1)


class _SafetyFile(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    ruleset_version: str
    disclaimer: str
    self_care_advice: str
    sources: tuple[Source, ...]
    levels: dict[str, str]
    rules: tuple[_Rule, ...]
    gentle: dict[str, str]
    conditions: tuple[_Condition, ...]


# ------------------------------------------------------------------------------ rules object
@dataclass(frozen=True)
class _CompiledRule:
    rule: _Rule
    unless: re.Pattern[str] | None
    patterns: tuple[_CompiledPattern, ...]


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
    condition_names: dict[str, str] = field(default_factory=dict)
    condition_patterns: tuple[tuple[str, _CompiledPattern], ...] = ()
    index: _Index = field(default_factory=_Index)

    def cite(self, ids: Iterable[str]) -> list[Source]:
        """Return the sources for ``ids``."""
        return [self.sources[i] for i in ids]

    def gentle_instructions(self, technique: str) -> str:
        """Return the gentle wording for a technique (the default for unknown ones)."""
        return self.gentle.get(technique, self.gentle["default"])


_rules_lock = threading.Lock()


def rules() -> SafetyRules:
    """Return the shipped safety rules (loaded once, thread-safe).

    Returns:
        The compiled :class:`SafetyRules`.
    """
    with _rules_lock:
        return _load_rules()


@functools.cache
def _load_rules() -> SafetyRules:
    """Return the shipped safety rules (loaded once).

    Returns:
        The compiled :class:`SafetyRules`.

    Raises:
        KnowledgeBaseError: The shipped safety file is invalid (a packaging error).
    """
    origin = "<footreflex>/data/safety.toml"
    merged: dict[str, Any] = {}
    for name in SAFETY_FILES:
        origin = f"<footreflex>/data/{name}"
        raw = resources.files("footreflex").joinpath(f"data/{name}").read_bytes()
        part = tomllib.loads(raw.decode("utf-8"))
        for key, value in part.items():
            if key == "sources" and key in merged:
                merged[key] = [*merged[key], *value]
            elif key in merged:
                raise KnowledgeBaseError(origin, key, "defined in two safety files")
            else:
                merged[key] = value
    origin = "<footreflex>/data/" + "+".join(SAFETY_FILES)
    try:
        data = _SafetyFile.model_validate(merged)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise KnowledgeBaseError(origin, ".".join(map(str, first["loc"])), first["msg"]) from None
    sources = {s.id: s for s in data.sources}
    compiled = []
    index = _Index()
    for rule in data.rules:
        for sid in rule.sources:
            if sid not in sources:
                raise KnowledgeBaseError(origin, f"rules.{rule.id}.sources", f"unknown {sid!r}")
        unless = None
        if rule.unless:
            alternatives = "|".join(re.escape(normalise(u)) for u in rule.unless)
            unless = re.compile(rf"\b(?:{alternatives})\b")
        patterns = tuple(
            _CompiledPattern(tuple(index.add_group(g) for g in p.groups), p.negatable)
            for p in rule.patterns)
        compiled.append(_CompiledRule(rule, unless, patterns))
    if "default" not in data.gentle:
        raise KnowledgeBaseError(origin, "gentle.default", "a default gentle wording is needed")
    names: dict[str, str] = {}
    for cond in data.conditions:
        for sid in cond.sources:
            if sid not in sources:
                raise KnowledgeBaseError(origin, f"conditions.{cond.id}.sources",
                                         f"unknown {sid!r}")
        for phrase in (cond.id.replace("_", " "), cond.name, *cond.synonyms):
            names.setdefault(_condition_key(phrase), cond.id)
        if cond.text_phrases and cond.effect == "foot":
            raise KnowledgeBaseError(origin, f"conditions.{cond.id}.text_phrases",
                                     "foot-level conditions cannot be detected from text")
    detectors = tuple(
        (c.id, _CompiledPattern((index.add_group(c.text_phrases),), True))
        for c in data.conditions if c.text_phrases)
    return SafetyRules(
        ruleset_version=data.ruleset_version, disclaimer=data.disclaimer,
        self_care_advice=data.self_care_advice, sources=sources, levels=dict(data.levels),
        compiled=tuple(compiled), gentle=dict(data.gentle),
        conditions={c.id: c for c in data.conditions}, condition_names=names,
        condition_patterns=detectors, index=index)



def _condition_key(text: str) -> str:
    from footreflex.safety._match import _tokens

    return " ".join(_tokens(normalise(text).replace(",", " ")))
