"""Context: which concept matches are negated, someone else's, past, or hypothetical.

The algorithm is ConText (Harkema et al., 2009; the NegEx family), the design medspaCy's
ConText follows, without spaCy: triggers are phrases in ``data/language.toml``, each of a
kind (``negated``, ``other``, ``past``, ``resolved``, ``hypothetical``) and a direction
(``forward``: it modifies what follows; ``backward``: what precedes). A trigger's scope ends
at the end of the clause: the sentence end, a termination term ("but", "although", "which"),
or a comma or "and" that opens a new clause ("..., my groin is numb"). Pseudo-triggers
("no longer", "not sure") are not triggers.

A backward trigger reaches back :data:`BACKWARD_WINDOW` words and never across a comma
("upper back's tight, neck's fine" rules out only the neck).

Negation reaches only :data:`NEGATION_WINDOW` words from its trigger, then runs on through a
list ("no numbness, tingling or weakness"): a list of negated symptoms is several negated
findings. A trigger never modifies a concept match that contains it, so a negation that is
the symptom ("can't feel", "no control") stays affirmed. ``other`` (someone else) runs to the
end of the clause or until the person speaks of themselves again ("I", "my").

Look-alike phrases (``lookalikes``: "chest press", "fell asleep", "Bladder 60") are masked
before concepts are found, so their words match nothing.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field

from footreflex._data import load
from footreflex.language._concepts import ConceptIndex, Match
from footreflex.language._normalise import Token, normalise, sentences
from footreflex.language._schema import LANGUAGE
from footreflex.language._words import Vocabulary, stem

__all__ = ["Modifiers", "Reading", "Sentence", "read"]

NEGATION_WINDOW = 4
"""A forward negation reaches concept matches starting this many words after it."""
BACKWARD_WINDOW = 5
"""A backward trigger ("... are fine") reaches matches ending this many words before it."""
MAX_SENTENCE_WORDS = 120
"""A longer run of words with no full stop is read in pieces of this size (bounds the cost)."""
CACHE_SIZE = 4096
"""Sentences read are remembered per concept index (people repeat themselves; so do apps)."""
SHIELD_REACH = 12
"""The longest concept term or pseudo-trigger, in words, that can shield a trigger."""
PAST_WINDOW = 8
"""A backward past or resolved marker ("... 7 years ago", "... long gone") reaches further."""
KINDS = ("negated", "other", "past", "resolved", "hypothetical")
_MASK = "\u2205"


@dataclass(frozen=True)
class Modifiers:
    """The context of one concept match."""

    negated: bool = False
    other: bool = False
    past: bool = False
    resolved: bool = False
    hypothetical: bool = False

    @property
    def affirmed(self) -> bool:
        """Stated of the person, now, as a fact."""
        return not (self.negated or self.other or self.past or self.resolved
                    or self.hypothetical)


@dataclass(frozen=True)
class Sentence:
    """One sentence, read: its tokens, concept matches and their context."""

    tokens: tuple[Token, ...]
    matches: tuple[Match, ...]
    context: tuple[Modifiers, ...]
    clauses: tuple[int, ...]  # clause number of each token
    speaks_of_self: bool = True  # a first-person word outside "my mum", "my friend", ...

    def affirmed(self, concept: str) -> list[Match]:
        """Matches of ``concept`` that are affirmed."""
        return [m for m, c in zip(self.matches, self.context, strict=True)
                if m.concept == concept and c.affirmed]

    def words(self, match: Match) -> str:
        """The person's words for a match."""
        words: list[str] = []
        for token in self.tokens[match.start:match.end]:
            if not words or words[-1] != token.text:  # "lowerback" read as two tokens
                words.append(token.text)
        return " ".join(words)


@dataclass(frozen=True)
class Reading:
    """A text read for one concept index."""

    sentences: tuple[Sentence, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class _Triggers:
    index: ConceptIndex  # concept names are "<kind>:<direction>", "pseudo", "terminate", ...
    opens: frozenset[str]
    joins: frozenset[str]  # a comma or "and": with an opener after it, a new clause
    first_person: frozenset[str]
    lookalikes: ConceptIndex
    vocabulary_words: frozenset[str]
    reporting: frozenset[str]


@functools.cache
def _triggers() -> _Triggers:
    data = load("language.toml", LANGUAGE)["context"]
    groups: dict[str, list[str]] = {}
    for kind in KINDS:
        for direction in ("forward", "backward"):
            terms = data.get(kind, {}).get(direction, [])
            if terms:
                groups[f"{kind}:{direction}"] = list(terms)
    groups["pseudo"] = list(data["pseudo"])
    groups["terminate"] = list(data["terminate"])
    index = ConceptIndex(groups)
    return _Triggers(index=index,
                     opens=frozenset(stem(w) for w in data["clause_openers"]),
                     joins=frozenset(data["clause_joins"]),
                     first_person=frozenset(stem(w) for w in data["first_person"]),
                     lookalikes=ConceptIndex({"lookalike": data["lookalikes"]}),
                     vocabulary_words=frozenset(index.words),
                     reporting=frozenset(stem(w) for w in data.get("reporting", [])))


def _clauses(stems: Sequence[str], terminators: Sequence[Match], opens: frozenset[str],
             joins: frozenset[str]) -> list[int]:
    """Clause number per token.

    A new clause starts at a termination term, or at a comma or "and" followed by a clause
    opener.
    """
    starts = {m.start for m in terminators}
    out: list[int] = []
    clause = 0
    for i, s in enumerate(stems):
        new_term = i in starts and i > 0
        new_opener = s in joins and i + 1 < len(stems) and stems[i + 1] in opens
        if new_term or new_opener:
            clause += 1
        out.append(clause)
    return out


def read(text: str, index: ConceptIndex, vocabulary: Vocabulary | None = None, *,
         mask_lookalikes: bool = True) -> Reading:
    """Read ``text``: normalise, correct, find ``index``'s concepts, and their context.

    Args:
        text: What the person wrote.
        index: The concepts to look for.
        vocabulary: Words typos are corrected towards and compounds split into (default:
            the index's own words).
        mask_lookalikes: Mask the shared look-alike phrases first (the red-flag screen does;
            a reader with look-alikes of its own in ``index`` may not want "pain in the
            neck" hidden).

    Returns:
        The :class:`Reading`.
    """
    trig = _triggers()
    vocab = vocabulary or Vocabulary(index.words | trig.vocabulary_words)
    cache = index.cache
    out: list[Sentence] = []
    for raw in sentences(normalise(text)):
        for start in range(0, max(len(raw), 1), MAX_SENTENCE_WORDS):
            piece = tuple(raw[start:start + MAX_SENTENCE_WORDS])
            key = (id(vocab), mask_lookalikes, piece)
            cached = cache.get(key)
            sentence = cached if isinstance(cached, Sentence) else None
            if sentence is None:
                sentence = _read_sentence(piece, index, vocab, trig, mask_lookalikes)
                if len(cache) >= CACHE_SIZE:
                    cache.clear()
                cache[key] = sentence
            out.append(sentence)
    return Reading(tuple(out))


def _read_sentence(raw: Sequence[tuple[str, str]], index: ConceptIndex, vocab: Vocabulary,
                   trig: _Triggers, mask_lookalikes: bool = True) -> Sentence:
    tokens: list[Token] = []
    for surface, word in raw:
        if word == ",":
            tokens.append(Token(",", ",", ","))
            continue
        for part in vocab.read(word):
            tokens.append(Token(surface, part, stem(part)))
    stems = [t.stem for t in tokens]
    words = [t.norm for t in tokens]
    lookalikes = trig.lookalikes.find(stems, words) if mask_lookalikes else []
    for m in lookalikes:
        for k in range(m.start, m.end):
            stems[k] = words[k] = _MASK
    # masked look-alikes stay visible as the concept "lookalike", so a rule can say
    # "unless a look-alike is in the sentence" ("chest is sore after chest press day")
    matches = sorted([*index.find(stems, words), *lookalikes],
                     key=lambda m: (m.start, m.concept))
    found = trig.index.find(stems, words)
    others = [m for m in found if m.concept.startswith("other:")]
    inside_other = {k for m in others for k in range(m.start, m.end)}
    speaks_of_self = any(
        k not in inside_other and (s in _SELF or (s == "i" and k + 1 < len(stems)
                                                  and stems[k + 1] in _SELF_AFTER_I))
        for k, s in enumerate(stems))
    if not matches:
        return Sentence(tuple(tokens), (), (), tuple(0 for _ in tokens), speaks_of_self)
    # a trigger inside a pseudo-trigger or strictly inside a concept match (a negation that
    # is the symptom: "can't feel", "no control") is no trigger
    shields = [m for m in found if m.concept == "pseudo"] + list(matches)
    covering = _Coverage(shields)
    triggers = [m for m in found if m.concept not in ("pseudo", "terminate")
                and not covering.covers(m)
                and not (m.concept.startswith("other:") and _reported(stems, m, trig))]
    triggers += _years(words)
    clauses = _clauses(stems, [m for m in found if m.concept == "terminate"], trig.opens,
                       trig.joins)
    context = _context(stems, matches, triggers, clauses, trig.first_person)
    return Sentence(tuple(tokens), tuple(matches), tuple(context), tuple(clauses),
                    speaks_of_self)


class _Coverage:
    """Which spans are strictly inside a longer shield span (by start position)."""

    def __init__(self, shields: Sequence[Match]) -> None:
        self._spans: dict[int, list[tuple[int, int]]] = {}
        for m in shields:
            self._spans.setdefault(m.start, []).append((m.start, m.end))

    def covers(self, m: Match) -> bool:
        """Is ``m`` strictly inside a longer shield?"""
        length = m.end - m.start
        for start in range(max(0, m.start - SHIELD_REACH), m.start + 1):
            for s, e in self._spans.get(start, ()):
                if s <= m.start and m.end <= e and e - s > length:
                    return True
        return False


def _reported(stems: Sequence[str], m: Match, trig: _Triggers) -> bool:
    """Is this "someone else" only reporting on the person?

    "My wife noticed my face drooping", "I told my husband it was ripping".
    """
    before = stems[m.start - 1] if m.start > 0 else ""
    after = stems[m.end] if m.end < len(stems) else ""
    return before in trig.reporting or after in trig.reporting


_YEAR_FIRST, _YEAR_LAST = 1900, 2099
_SELF = frozenset({"my", "me", "mine", "myself", "am"})
_SELF_AFTER_I = frozenset({"have", "has", "got", "feel", "felt", "get", "just", "only", "also",
                           "hurt", "ach", "keep", "suffer", "too"})
"""Words by which writers speak of themselves ("my back", "hurts me", "I am fine"); "I"
alone can be a carer acting ("when I press a glass on them")."""


def _years(words: Sequence[str]) -> list[Match]:
    """Mark "in 2016" (a year after "in") as the remote past, both ways, within its clause."""
    out: list[Match] = []
    for i in range(1, len(words)):
        w = words[i]
        if words[i - 1] == "in" and len(w) == 4 and w.isdigit() \
                and _YEAR_FIRST <= int(w) <= _YEAR_LAST:
            out += [Match("past:forward", i - 1, i + 1), Match("past:backward", i - 1, i + 1)]
    return out


def _context(stems: Sequence[str], matches: Sequence[Match], triggers: Sequence[Match],
             clauses: Sequence[int], first_person: frozenset[str]) -> list[Modifiers]:
    flags: list[dict[str, bool]] = [{} for _ in matches]
    for trig in triggers:
        kind, direction = trig.concept.split(":")
        clause = clauses[trig.start]
        for j, m in enumerate(matches):
            if direction == "forward":
                if m.start < trig.end or clauses[m.start] != clause:
                    continue
                if kind == "negated" and (
                        _words_between(stems, trig.end, m.start) >= NEGATION_WINDOW
                        or "," in stems[trig.end:m.start]):
                    continue  # a list runs on through _spread_negation
                if kind == "other" and any(s in first_person
                                           for s in stems[trig.end:m.start]):
                    continue
            else:
                if m.end > trig.start or clauses[max(m.end - 1, 0)] != clause:
                    continue
                window = PAST_WINDOW if kind in ("past", "resolved") else BACKWARD_WINDOW
                if _words_between(stems, m.end, trig.start) >= window:
                    continue
                if "," in stems[m.end:trig.start]:  # "upper back's tight, neck's fine"
                    continue
            flags[j][kind] = True
    _spread_negation(stems, matches, flags, clauses)
    return [Modifiers(**f) for f in flags]


def _words_between(stems: Sequence[str], start: int, end: int) -> int:
    return sum(1 for s in stems[start:end] if s != ",")


_LIST_GLUE = frozenset({",", "or", "nor", "and", "no", "ani", "any", "either", "neither"})


def _spread_negation(stems: Sequence[str], matches: Sequence[Match],
                     flags: list[dict[str, bool]], clauses: Sequence[int]) -> None:
    """Carry negation along a list: "no numbness, tingling or weakness"."""
    ordered = sorted(range(len(matches)), key=lambda j: matches[j].start)
    for a, b in itertools.pairwise(ordered):
        first, second = matches[a], matches[b]
        if not flags[a].get("negated") or clauses[second.start] != clauses[first.start]:
            continue
        gap = stems[first.end:second.start]
        if len(gap) <= 2 and all(s in _LIST_GLUE for s in gap):
            flags[b]["negated"] = True
