"""The first-release phrase matcher: normalise, tokens, an index of terms, negation."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from footreflex._text import fold

NEGATORS = frozenset({"no", "not", "without", "never", "denies", "deny", "denied", "nor",
                      "neither", "none", "free", "absent", "negative"})
CLAUSE_BREAKS = frozenset({",", "but", "and", "although", "though", "however", "yet",
                           "except", "whereas", "while"})
NEGATION_WINDOW = 4  # the negator may stand up to three words before the term
_RANK: dict[str, int] = {"self_care": 0, "see_clinician": 1, "emergency": 2}
FEET = ("left", "right", "both")

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


def _negated(tokens: Sequence[str], start: int) -> bool:
    """Is there a negator up to three words before ``start``, within the same clause?"""
    for token in reversed(tokens[max(0, start - NEGATION_WINDOW):start]):
        if token in CLAUSE_BREAKS:
            return False
        if token in NEGATORS:
            return True
    return False

