"""Red-flag triage of symptom text, on the shared text layer.

The text is read once (:func:`footreflex.language.read`): normalised, corrected, split into
sentences, its concepts found and each match's context decided (negated, someone else's,
past, resolved, hypothetical). Each rule in ``redflags.toml`` then asks whether its concepts
were found together, affirmed, in one sentence (or anywhere in the text for text-scoped
patterns). Which contexts switch a match off depends on the rule:

* negated and hypothetical matches never count; someone else's count only for emergency
  rules, and only when the writer never speaks of themselves (a carer describing a parent's
  drooping face gets the emergency advice; "my dad had a stroke, my neck is stiff" does not);
* ``see_clinician`` rules also ignore the past and what has resolved;
* ``emergency`` rules ignore the remote past ("years ago") but not "it went away": a stroke
  sign that passed is still an emergency (a transient ischaemic attack);
* ``history`` rules (cancer, spinal surgery) count the past and the resolved too;
* ``settles`` rules (a cold white foot that pinked up on warming) do not count what passed.

When unsure the rules fire: a false alarm costs a minute, a miss can cost a spine or a life.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from typing import NamedTuple, TypeVar

from footreflex._models import Finding, Level, Triage, assemble
from footreflex.language import Match, Modifiers, read
from footreflex.language._context import Sentence
from footreflex.language._words import Vocabulary
from footreflex.safety._rules import SafetyRules, _CompiledRule, rules

__all__ = ["detect_conditions", "read_text", "triage"]

_RANK = {"self_care": 0, "see_clinician": 1, "emergency": 2}
OLDER_FROM = 50
"""An age at or above this is the "older" band (NICE CKS: over 50 at onset)."""
YOUNGER_THAN = 20
"""An age below this is the "younger" band (NICE CKS: under 20 at onset)."""
_AGE_RANGE = range(10, 111)
_POLICIES = ("emergency", "see_clinician", "history", "carer")
_FIRST_TRIMESTER_WEEKS = 13


def _counts(mod: Modifiers, policy: str) -> bool:
    """Does a match in this context count for a rule of this policy?"""
    if mod.negated or mod.hypothetical:
        return False
    if mod.other:
        # "carer": an emergency rule read for a text about someone else only
        return policy == "carer" and not mod.past
    if policy == "carer":
        policy = "emergency"
    if policy == "history":
        return True
    if mod.past:
        return False
    return not (mod.resolved and policy == "see_clinician")


_Where = tuple[int, int, int]  # sentence, start, end of the person's words
_T = TypeVar("_T")


class _Found(NamedTuple):
    """For one policy: per sentence, concept -> where its first counted match is."""

    by_sentence: tuple[dict[str, tuple[int, int]], ...]
    whole: dict[str, _Where]
    sentences_with: dict[str, list[int]]  # concept -> sentences where it counts


@functools.cache
def _vocabulary() -> Vocabulary:
    data = rules()
    from footreflex.language._context import _triggers

    return Vocabulary(data.concepts.words | _triggers().vocabulary_words)


def _age_band(sentence: Sentence, match_start: int, match_end: int) -> str | None:
    for token in sentence.tokens[match_start:match_end]:
        if token.norm.isdigit():
            n = int(token.norm)
            if n in _AGE_RANGE:
                if n >= OLDER_FROM:
                    return "@age_older"
                if n < YOUNGER_THAN:
                    return "@age_younger"
    return None


_AGE_WORDS = {"age_older": "@age_older", "age_younger": "@age_younger"}


_Seen = dict[str, tuple[int, int]]  # concept -> start, end of its first counted match


def _policies(mod: Modifiers) -> tuple[str, ...]:
    """The policies a match in this context counts for (:func:`_counts`, all at once)."""
    if mod.negated or mod.hypothetical:
        return ()
    if mod.other:
        return () if mod.past else ("carer",)
    if mod.past:
        return ("history",)
    if mod.resolved:
        return ("emergency", "history", "carer")
    return _POLICIES


def _seen(sentence: Sentence) -> dict[str, _Seen]:
    """Per policy: the concepts that count in one sentence (policies with none left out).

    The policies only read what this returns, so when every match counts for every policy
    (an affirmed sentence, the usual case) they share one mapping.
    """
    if all(_policies(mod) is _POLICIES for mod in sentence.context):
        shared: _Seen = {}
        for match in sentence.matches:
            for name in _names(sentence, match):
                if name not in shared:
                    shared[name] = (match.start, match.end)
        return dict.fromkeys(_POLICIES, shared) if shared else {}
    out: dict[str, _Seen] = {}
    for match, mod in zip(sentence.matches, sentence.context, strict=True):
        policies = _policies(mod)
        if not policies:
            continue
        names = _names(sentence, match)
        place = (match.start, match.end)
        for policy in policies:
            seen = out.get(policy)
            if seen is None:
                seen = out[policy] = {}
            for name in names:
                if name not in seen:
                    seen[name] = place
    return out


def _names(sentence: Sentence, match: Match) -> list[str]:
    """The names a match counts as: its concept, and an age's band."""
    concept = match.concept
    if concept == "age_number":
        band = _age_band(sentence, match.start, match.end)
        return [concept, band] if band else [concept]
    if concept in _AGE_WORDS:
        return [concept, _AGE_WORDS[concept]]
    return [concept]


_NOTHING: _Seen = {}


def _found(per_sentence: Sequence[dict[str, _Seen]], policy: str) -> _Found:
    """What counts for one policy, per sentence and in the whole text."""
    per = tuple(seen_all.get(policy, _NOTHING) for seen_all in per_sentence)
    whole: dict[str, _Where] = {}
    where: dict[str, list[int]] = {}
    for k, seen in enumerate(per):
        for name, (a, b) in seen.items():
            if name not in whole:
                whole[name] = (k, a, b)
                where[name] = [k]
            else:
                where[name].append(k)
    return _Found(per, whole, where)


def _policy(compiled: _CompiledRule) -> str:
    if compiled.rule.history:
        return "history"
    if compiled.rule.settles:  # a sign that has passed no longer counts
        return "see_clinician"
    return compiled.rule.level


def _first(seen: Mapping[str, _T], group: Iterable[str]) -> _T | None:
    for name in sorted(group):
        if name in seen:
            return seen[name]
    return None


def _fires(compiled: _CompiledRule, found: _Found, sentences: Sequence[Sentence]
           ) -> list[str] | None:
    for when in compiled.when:
        if when.scope == "text":
            seen = found.whole
            if any(u in seen for u in when.unless):
                continue
            spots = [_first(seen, group) for group in when.all]
            if all(spot is not None for spot in spots):
                words = (sentences[k].words(Match("", a, b))
                         for k, a, b in (spot for spot in spots if spot is not None))
                return list(dict.fromkeys(words))
            continue
        # a sentence-scoped condition can only hold in a sentence that has every group
        candidates: set[int] | None = None
        for group in when.all:
            has = {k for name in group for k in found.sentences_with.get(name, ())}
            candidates = has if candidates is None else candidates & has
            if not candidates:
                break
        for k in sorted(candidates or ()):
            in_k = found.by_sentence[k]
            if any(u in in_k for u in when.unless):
                continue
            places = [_first(in_k, group) for group in when.all]
            if all(place is not None for place in places):
                sentence = sentences[k]
                return list(dict.fromkeys(
                    sentence.words(Match("", a, b))
                    for a, b in (place for place in places if place is not None)))
    return None


def _read(text: str, data: SafetyRules, needs: str | None = None) -> tuple[Sentence, ...]:
    return read(text, data.concepts, _vocabulary(), needs=needs).sentences


def read_text(text: object) -> tuple[Sentence, ...]:
    """Read a symptom text once for both :func:`triage` and :func:`detect_conditions`.

    A pipeline that needs both passes the result as their ``sentences`` (one reading
    instead of two: the same concepts, vocabulary and context).

    Args:
        text: What the person wrote (non-text reads as empty).

    Returns:
        The sentences, every concept of the red-flag screen found and its context decided.
    """
    return _read(text if isinstance(text, str) else "", rules())


def triage(text: str, *, sentences: Sequence[Sentence] | None = None) -> Triage:
    """Screen a symptom text for red flags. Never raises.

    Args:
        text: What the person wrote (anything; non-text is treated as empty). There is no
            length cap: the cost is linear in the text.
        sentences: ``text`` already read (:func:`read_text`), to skip reading it again.

    Returns:
        A :class:`~footreflex.Triage`: ``emergency``, ``see_clinician`` or
        ``self_care``, with the findings (rule id, the person's matched words, action-first
        message, reason, sources), most urgent first, and the rule-set version.
    """
    data = rules()
    if sentences is None:
        sentences = _read(text if isinstance(text, str) else "", data)
    seen = [_seen(sentence) for sentence in sentences]
    # only the rules whose first concepts were found can fire (SafetyRules.by_concept)
    present = {name for per in seen for policy in per.values() for name in policy}
    candidates = sorted({k for name in present for k in data.by_concept.get(name, ())})
    about_someone_else = not any(s.speaks_of_self for s in sentences)
    findings: list[Finding] = []
    found: dict[str, _Found] = {}
    for k in candidates:
        compiled = data.compiled[k]
        policy = _policy(compiled)
        if policy == "emergency" and about_someone_else:
            policy = "carer"
        if policy not in found:
            found[policy] = _found(seen, policy)
        matched = _fires(compiled, found[policy], sentences)
        if matched is None:
            continue
        rule = compiled.rule
        findings.append(Finding(rule_id=rule.id, level=rule.level, matched=tuple(matched),
                                message=rule.message, reason=rule.reason,
                                sources=data.cite(rule.sources)))
    return _result(findings)


def detect_conditions(text: str, *, sentences: Sequence[Sentence] | None = None
                      ) -> list[str]:
    """Return ids of conditions the symptom text states ("back pain while pregnant").

    Conditions are read with the same text layer as the red flags: a condition's words
    (``condition:<id>`` concepts and the condition's ``text_phrases``), medicine names that
    imply it included, count when stated of the person now — not negated, not someone
    else's ("my sister is pregnant"), not hypothetical, not past. Pregnancy with a stated
    number of weeks under 13 (or months under 3) is also the first trimester. Foot-level
    conditions are never detected from text, because the foot is unknown.

    Args:
        text: The symptom text (non-text gives no conditions).
        sentences: ``text`` already read in full (:func:`read_text`), to skip reading it
            again (the same conditions: a full reading only adds matches of other kinds).

    Returns:
        Condition ids in the order of the safety file.
    """
    if not isinstance(text, str):
        return []
    data = rules()
    if sentences is None:
        sentences = _read(text, data, needs="condition:")
    # the "condition:" concepts that count for a see_clinician rule (what _seen and _found
    # would give for that policy, without working out every policy of every match)
    ids = {m.concept.split(":", 1)[1] for sentence in sentences
           for m, mod in zip(sentence.matches, sentence.context, strict=True)
           if m.concept.startswith("condition:") and _counts(mod, "see_clinician")}
    if "pregnancy" in ids and _early_pregnancy(sentences):
        ids.add("pregnancy_first_trimester")
    return [cid for cid in data.conditions if cid in ids]


def _early_pregnancy(sentences: Sequence[Sentence]) -> bool:
    """Is a number of weeks under 13 (or months under 3) stated next to the pregnancy?"""
    for sentence in sentences:
        if not any(m.concept == "condition:pregnancy" and _counts(c, "see_clinician")
                   for m, c in zip(sentence.matches, sentence.context, strict=True)):
            continue
        tokens = sentence.tokens
        for i, token in enumerate(tokens[:-1]):
            if not token.norm.isdigit():
                continue
            unit = tokens[i + 1].stem
            n = int(token.norm)
            if unit in ("week", "wk", "wks", "w") and n < _FIRST_TRIMESTER_WEEKS:
                return True
            if unit in ("month", "mth", "mo") and n < 3:
                return True
    return False


def _result(findings: list[Finding]) -> Triage:
    data = rules()
    findings = sorted(findings, key=lambda f: -_RANK[f.level])  # stable: file order within
    level: Level = findings[0].level if findings else "self_care"
    advice = data.levels[level] if findings else data.self_care_advice
    return assemble(Triage, {"level": level, "advice": advice,
                                  "findings": tuple(findings),
                                  "ruleset_version": data.ruleset_version})
