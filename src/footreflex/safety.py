"""Red-flag triage of symptom text, and declared conditions.

Both are driven by ``footreflex/data/safety.toml``, which ships with the library and applies
to every plan whatever knowledge base is used: a custom knowledge base cannot switch it off.

Triage
------
:func:`triage` never raises. The text is folded to lower case, contractions are expanded
(``can't`` -> ``cannot``, ``isn't`` -> ``is not``) and split into sentences. Each rule has
patterns; a pattern is a list of groups of terms, and fires when every group has a term in the
same sentence, in any order ("my groin is numb" = "numbness in the groin"). A term's trailing
``*`` matches any ending, so inflections match ("numb*": numb, numbness; "fall", "fell").
A pattern is switched off by plain negation ("no", "not", "without", "never", "denies",
"free of", ...) up to three words before its first group's term, within the same clause (a
comma or "but"/"and"/"although" ends a clause), unless the pattern is marked
``negatable = false`` because the negation is the symptom ("cannot feel my groin", "no bladder
control", "unable to pee"). Each rule's ``unless`` phrases are removed first, so look-alikes
("fell asleep", "hay fever") do not fire. When unsure the rules fire: a false alarm costs less
than a missed one.

Conditions
----------
:func:`parse_conditions` reads declared conditions such as ``"pregnant"``, ``"dvt"`` or
``"wound:left"``. The optional ``:left`` / ``:right`` / ``:both`` suffix names the foot of a
foot-level condition (fracture, wound, gout, foot infection); a foot-level condition with no
foot named means both feet. :func:`screen` turns them into effects: stop the session
(:class:`~footreflex.errors.SeekCareError`), leave a foot out, exclude targets, or soften the
technique (gentle wording from the data, and no step held past its default duration).
"""

from __future__ import annotations

import difflib
import functools
import re
import threading
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from footreflex._text import fold
from footreflex.errors import KnowledgeBaseError, SeekCareError, UnknownConditionError
from footreflex.models import Finding, Level, Source, Triage

__all__ = [
    "SafetyRules",
    "Screen",
    "detect_conditions",
    "parse_conditions",
    "rules",
    "screen",
    "triage",
]

NEGATORS = frozenset({"no", "not", "without", "never", "denies", "deny", "denied", "nor",
                      "neither", "none", "free", "absent", "negative"})
CLAUSE_BREAKS = frozenset({",", "but", "and", "although", "though", "however", "yet",
                           "except", "whereas", "while"})
NEGATION_WINDOW = 4  # the negator may stand up to three words before the term
_RANK: dict[str, int] = {"self_care": 0, "see_clinician": 1, "emergency": 2}
FEET = ("left", "right", "both")


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


# ------------------------------------------------------------------------------ text handling
_CONTRACTIONS = [
    (re.compile(r"\b(can ?not|can'?t|cant)\b"), "cannot"),
    (re.compile(r"\bwon'?t\b"), "will not"),
    (re.compile(r"\bshan'?t\b"), "shall not"),
    (re.compile(r"\b(do|does|did|is|are|was|were|could|would|should|have|has|had|must|need|"
                r"might)n'?t\b"), r"\1 not"),
    (re.compile(r"\b(\w+)n't\b"), r"\1 not"),
    (re.compile(r"\bi'?m\b"), "i am"),
    (re.compile(r"\b(i|you|we|they)'ve\b"), r"\1 have"),
    (re.compile(r"\b(it|that|there)'s\b"), r"\1 is"),
]
_SENTENCES = re.compile(r"[.!?;\n]+")
_TOKENS = re.compile(r"[a-z0-9]+|,")


_CONTRACTION_HINT = re.compile(r"'|\b(?:can|cant|wont|shant|im|\w+nt)\b")


def normalise(text: str) -> str:
    """Fold case and accents and expand contractions (``"Can't"`` -> ``"cannot"``)."""
    out = fold(text).replace("-", " ").replace("/", " ")
    if _CONTRACTION_HINT.search(out):
        for pattern, repl in _CONTRACTIONS:
            out = pattern.sub(repl, out)
    return out.replace("'", "")


def _tokens(text: str) -> list[str]:
    return _TOKENS.findall(text)


def _term_words(text: str) -> tuple[str, ...]:
    """Split a term into normalised words; a trailing ``*`` marks a prefix word."""
    words: list[str] = []
    for chunk in normalise(text).split():
        parts = _tokens(chunk)
        if parts and chunk.endswith("*"):
            parts[-1] += "*"
        words.extend(p for p in parts if p != ",")
    return tuple(words)


def _word_matches(word: str, token: str) -> bool:
    return token.startswith(word[:-1]) if word.endswith("*") else token == word


class _Index:
    """Every term of every group, indexed by its first word, for one pass over the tokens."""

    def __init__(self) -> None:
        self.exact: dict[str, list[tuple[int, tuple[str, ...]]]] = {}
        self.prefix: dict[str, list[tuple[int, tuple[str, ...]]]] = {}
        self.lengths: tuple[int, ...] = ()
        self.size = 0

    def add_group(self, terms: Iterable[str]) -> int:
        gid = self.size
        self.size += 1
        for term in terms:
            words = _term_words(term)
            if not words:
                continue
            first = words[0]
            if first.endswith("*"):
                self.prefix.setdefault(first[:-1], []).append((gid, words))
            else:
                self.exact.setdefault(first, []).append((gid, words))
        self.lengths = tuple(sorted({len(p) for p in self.prefix}))
        return gid

    def hits(self, tokens: Sequence[str]) -> dict[int, list[tuple[int, int]]]:
        """Return, per group id, ``(start, length)`` of its longest term at each position."""
        found: dict[int, dict[int, int]] = {}
        for i, token in enumerate(tokens):
            candidates = list(self.exact.get(token, ()))
            for size in self.lengths:
                if size > len(token):
                    break
                candidates.extend(self.prefix.get(token[:size], ()))
            for gid, words in candidates:
                n = len(words)
                if i + n > len(tokens) or not all(
                        _word_matches(w, tokens[i + k]) for k, w in enumerate(words[1:], 1)):
                    continue
                at = found.setdefault(gid, {})
                if n > at.get(i, 0):
                    at[i] = n
        return {gid: sorted(at.items()) for gid, at in found.items()}


@dataclass(frozen=True)
class _CompiledPattern:
    groups: tuple[int, ...]  # group ids in the index; the first is the head
    negatable: bool


@dataclass(frozen=True)
class _CompiledRule:
    rule: _Rule
    unless: re.Pattern[str] | None
    patterns: tuple[_CompiledPattern, ...]


def _negated(tokens: Sequence[str], start: int) -> bool:
    """Is there a negator up to three words before ``start``, within the same clause?"""
    for token in reversed(tokens[max(0, start - NEGATION_WINDOW):start]):
        if token in CLAUSE_BREAKS:
            return False
        if token in NEGATORS:
            return True
    return False


# ------------------------------------------------------------------------------ rules object
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
    raw = resources.files("footreflex").joinpath("data/safety.toml").read_bytes()
    try:
        data = _SafetyFile.model_validate(tomllib.loads(raw.decode("utf-8")))
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


# ------------------------------------------------------------------------------ triage
_Sentence = tuple[list[str], dict[int, list[tuple[int, int]]]]


def _match_rule(patterns: Sequence[_CompiledPattern], sentences: Sequence[_Sentence]
                ) -> list[str] | None:
    for tokens, hits in sentences:
        for pattern in patterns:
            heads = hits.get(pattern.groups[0], [])
            if pattern.negatable:
                heads = [h for h in heads if not _negated(tokens, h[0])]
            if not heads:
                continue
            others = [hits.get(g) for g in pattern.groups[1:]]
            if all(others):
                chosen = [heads[0], *(o[0] for o in others if o)]
                return [" ".join(tokens[i:i + n]) for i, n in chosen]
    return None


def _sentences(text: str) -> list[_Sentence]:
    index = rules().index
    out: list[_Sentence] = []
    for part in _SENTENCES.split(text):
        tokens = _tokens(part)
        if tokens:
            out.append((tokens, index.hits(tokens)))
    return out


def triage(text: str) -> Triage:
    """Screen a symptom text for red flags. Never raises.

    Args:
        text: What the person wrote (anything; non-text is treated as empty).

    Returns:
        A :class:`~footreflex.models.Triage`: ``emergency``, ``see_clinician`` or
        ``self_care``, with the findings (rule id, matched words, action-first message,
        reason, sources), most urgent first, and the rule-set version.
    """
    data = rules()
    if not isinstance(text, str):
        text = ""
    base = normalise(text)
    findings: list[Finding] = []
    plain = _sentences(base)
    for compiled in data.compiled:
        sentences = plain
        if compiled.unless is not None and compiled.unless.search(base):
            sentences = _sentences(compiled.unless.sub(" ", base))
        matched = _match_rule(compiled.patterns, sentences)
        if matched is None:
            continue
        rule = compiled.rule
        findings.append(Finding(rule_id=rule.id, level=rule.level, matched=matched,
                                message=rule.message, reason=rule.reason,
                                sources=data.cite(rule.sources)))
    return _result(findings)


def detect_conditions(text: str) -> list[str]:
    """Return ids of conditions the symptom text states ("back pain while pregnant").

    Only a condition's distinctive ``text_phrases`` count, and plain negation ("I'm not
    pregnant") switches them off, as in :func:`triage`. Foot-level conditions are never
    detected from text, because the foot is unknown.

    Args:
        text: The symptom text (non-text gives no conditions).

    Returns:
        Condition ids in the order of the safety file.
    """
    if not isinstance(text, str):
        return []
    sentences = _sentences(normalise(text))
    return [cid for cid, pattern in rules().condition_patterns
            if _match_rule([pattern], sentences) is not None]


def _result(findings: list[Finding]) -> Triage:
    data = rules()
    findings = sorted(findings, key=lambda f: -_RANK[f.level])  # stable: file order within
    level: Level = findings[0].level if findings else "self_care"
    advice = data.levels[level] if findings else data.self_care_advice
    return Triage(level=level, advice=advice, findings=findings,
                  ruleset_version=data.ruleset_version)


# ------------------------------------------------------------------------------ conditions
def _condition_key(text: str) -> str:
    return " ".join(_tokens(normalise(text).replace(",", " ")))


@dataclass(frozen=True)
class Declared:
    """A declared condition: its id and, for foot-level conditions, the foot."""

    id: str
    foot: str | None = None

    def __str__(self) -> str:
        return f"{self.id}:{self.foot}" if self.foot else self.id


def parse_conditions(conditions: Iterable[str] | str | None) -> list[Declared]:
    """Read declared conditions (``"pregnant"``, ``"blood thinners"``, ``"wound:left"``).

    Args:
        conditions: Condition names or synonyms, each optionally followed by ``:left``,
            ``:right`` or ``:both`` (foot-level conditions only; none named means both).

    Returns:
        Canonical conditions, without duplicates, in the order given.

    Raises:
        UnknownConditionError: A name is not in the vocabulary (with suggestions), a foot is
            not ``left``/``right``/``both``, or a foot is given for a whole-body condition.
    """
    if conditions is None:
        return []
    if isinstance(conditions, str):
        conditions = [conditions]
    if not isinstance(conditions, Iterable):
        raise UnknownConditionError(repr(conditions), message=(
            f"conditions must be a list of texts, not {type(conditions).__name__}"))
    data = rules()
    out: list[Declared] = []
    for raw in conditions:
        if not isinstance(raw, str):
            raise UnknownConditionError(repr(raw), message=(
                f"a condition must be text, not {type(raw).__name__}"))
        name, _, foot_text = raw.partition(":")
        key = _condition_key(name)
        cid = data.condition_names.get(key)
        if cid is None:
            choices = list(data.condition_names)
            close = difflib.get_close_matches(key, choices, n=3, cutoff=0.6)
            raise UnknownConditionError(raw, close)
        cond = data.conditions[cid]
        foot: str | None = None
        if cond.effect == "foot":
            foot = _condition_key(foot_text) or "both"
            foot = {"l": "left", "r": "right", "left foot": "left", "right foot": "right",
                    "both feet": "both"}.get(foot, foot)
            if foot not in FEET:
                raise UnknownConditionError(raw, message=(
                    f"unknown foot {foot_text!r} in {raw!r}; use :left, :right or :both"))
        elif foot_text.strip():
            raise UnknownConditionError(raw, message=(
                f"{cond.name} is not a foot-level condition: give it without ':{foot_text}'"))
        item = Declared(cid, foot)
        if item not in out:
            out.append(item)
    return out


@dataclass(frozen=True)
class Screen:
    """Effects of the declared conditions on a plan.

    Attributes:
        conditions: The canonical conditions.
        feet: Feet that may be massaged, right first.
        excluded: Target ids that must not appear.
        gentle: Light pressure only: gentle wording, no step past its default duration.
        warnings: Warnings to show before the steps.
    """

    conditions: tuple[Declared, ...] = ()
    feet: tuple[str, ...] = ("right", "left")
    excluded: frozenset[str] = frozenset()
    gentle: bool = False
    warnings: tuple[str, ...] = ()


def screen(conditions: Iterable[str] | str | None, from_text: Sequence[str] = ()) -> Screen:
    """Turn declared conditions into plan effects, or stop the session.

    Args:
        conditions: Declared conditions (see :func:`parse_conditions`).
        from_text: Ids of conditions found in the symptom text (:func:`detect_conditions`);
            they apply as if declared, and a warning says so.

    Returns:
        The :class:`Screen` of effects.

    Raises:
        UnknownConditionError: A condition is not understood.
        SeekCareError: A condition stops the session (DVT, fever, pitting oedema, first
            trimester of pregnancy, or foot-level conditions on both feet).
    """
    data = rules()
    declared = parse_conditions(conditions)
    noted = [cid for cid in from_text if all(d.id != cid for d in declared)]
    declared.extend(Declared(cid) for cid in noted)
    stops: list[Finding] = []
    feet = ["right", "left"]
    excluded: set[str] = set()
    gentle = False
    warnings: list[str] = []
    for item in declared:
        cond = data.conditions[item.id]
        if cond.effect == "stop":
            stops.append(Finding(rule_id=f"condition:{cond.id}", level="see_clinician",
                                 matched=[cond.name], message=cond.message,
                                 reason=f"Declared condition: {cond.name}.",
                                 sources=data.cite(cond.sources)))
            continue
        if cond.effect == "foot":
            gone = ["right", "left"] if item.foot == "both" else [item.foot or "both"]
            feet = [f for f in feet if f not in gone]
            warnings.append(f"{cond.message} Leaving out: {item.foot} "
                            f"{'feet' if item.foot == 'both' else 'foot'}.")
            if not feet:
                stops.append(Finding(
                    rule_id=f"condition:{cond.id}", level="see_clinician", matched=[str(item)],
                    message=f"No foot massage today: {cond.message[0].lower()}"
                            f"{cond.message[1:]} It applies to both feet; see a clinician.",
                    reason=f"Declared condition on both feet: {cond.name}.",
                    sources=data.cite(cond.sources)))
        excluded.update(cond.exclude)
        gentle = gentle or cond.gentle
        warnings.extend(w for w in cond.warnings if w not in warnings)
    if stops:
        raise SeekCareError(_result(stops))
    if noted:
        names = ", ".join(data.conditions[cid].name for cid in noted)
        warnings.insert(0, f"Applied from the symptom text: {names}. Declare conditions "
                        "explicitly to be sure they are taken into account.")
    if gentle:
        warnings.append("Light pressure only for the conditions declared; no step is held "
                        "longer than its usual time.")
    return Screen(tuple(declared), tuple(feet), frozenset(excluded), gentle, tuple(warnings))
