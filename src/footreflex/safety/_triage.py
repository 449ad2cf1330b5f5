"""Red-flag triage of symptom text."""

from __future__ import annotations

from collections.abc import Sequence

from footreflex.models import Finding, Level, Triage
from footreflex.safety._match import (
    _RANK,
    _SENTENCES,
    _CompiledPattern,
    _negated,
    _tokens,
    normalise,
)
from footreflex.safety._rules import rules

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

