"""Concepts: vocabularies of terms, found in one pass over a sentence's tokens.

A term is one or more words. Each word is stemmed when the index is built, so inflections
match ("numbness" = "numb"). Special words: a trailing ``*`` matches any word starting with
the stem before it (``"tingl*"``); ``#`` matches any number; letters followed by ``#`` match
those letters followed by a number written as one word (``"l#"`` matches "l4" and "l5", the
way vertebral levels are written); ``~`` lets up to two other words stand there
("can not ~ feel" = "can not really feel"). The index keys terms by their first
word, so finding every concept in a sentence is linear in its length.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from footreflex.language._words import stem

__all__ = ["ConceptIndex", "Match"]

GAP = 2
"""How many words ``~`` may skip."""


@dataclass(frozen=True)
class Match:
    """One occurrence of a concept: tokens ``start`` to ``end`` (exclusive) of a sentence."""

    concept: str
    start: int
    end: int


def _compile_word(word: str) -> str:
    if word in ("#", "~"):
        return word
    if word.endswith("*"):
        return word  # a prefix of stems, as written
    return stem(word)


def compile_term(term: str) -> tuple[str, ...]:
    """Split a term into compiled words (stems, ``prefix*``, ``#``, ``~``)."""
    from footreflex.language._normalise import normalise, sentences

    marked = term.replace("*", "qqstarqq").replace("#", "qqhashqq").replace("~", "qqgapqq")
    words: list[str] = []
    for sentence in sentences(normalise(marked)):
        for _, word in sentence:
            if word == ",":
                continue
            word = word.replace("qqstarqq", "*").replace("qqhashqq", "#")
            words.append(_compile_word(word.replace("qqgapqq", "~")))
    return tuple(words)


class ConceptIndex:
    """Every term of every concept, indexed by its first word.

    Args:
        concepts: Concept name -> terms.
    """

    def __init__(self, concepts: Mapping[str, Iterable[str]]) -> None:
        self.exact: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
        # terms whose first two words are plain stems, keyed by both (many terms start with
        # the same word: "back ...", "right ..."; a token tries only those its next word fits)
        self.pairs: dict[tuple[str, str], list[tuple[str, tuple[str, ...]]]] = {}
        self.prefix: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
        self.numbers: list[tuple[str, tuple[str, ...]]] = []
        self.words: set[str] = set()
        self.concepts = tuple(concepts)
        for name, terms in concepts.items():
            for term in terms:
                compiled = compile_term(term)
                if not compiled or compiled[0] == "~":
                    continue
                self.words.update(w.strip("*") for w in term.lower().replace("-", " ").split()
                                  if w.strip("*").isalpha())
                first = compiled[0]
                if first == "#":
                    self.numbers.append((name, compiled))
                elif first.endswith(("*", "#")):
                    self.prefix.setdefault(first[:-1], []).append((name, compiled))
                elif len(compiled) > 1 and _plain(compiled[1]):
                    self.pairs.setdefault((first, compiled[1]), []).append((name, compiled))
                else:
                    self.exact.setdefault(first, []).append((name, compiled))
        self._prefix_lengths = tuple(sorted({len(p) for p in self.prefix}))

    def find(self, stems: Sequence[str], words: Sequence[str] | None = None) -> list[Match]:
        """Return every concept match in a sentence (the longest per concept and start).

        Args:
            stems: The sentence's token stems (commas as ``","``).
            words: The same tokens unstemmed (prefix terms match them; default: the stems).

        Returns:
            Matches sorted by start, then concept.
        """
        words = stems if words is None else words
        best: dict[tuple[str, int], int] = {}
        for i, token in enumerate(stems):
            candidates = list(self.exact.get(token, ()))
            if i + 1 < len(stems):
                candidates.extend(self.pairs.get((token, stems[i + 1]), ()))
            full = words[i]
            for size in self._prefix_lengths:
                if size > len(full):
                    break
                candidates.extend(self.prefix.get(full[:size], ()))
            if token.isdigit():
                candidates.extend(self.numbers)
            for name, pattern in candidates:
                end = _match_at(pattern, stems, words, i)
                if end is not None and end > best.get((name, i), -1):
                    best[(name, i)] = end
        return sorted((Match(name, start, end) for (name, start), end in best.items()),
                      key=lambda m: (m.start, m.concept))


def _plain(word: str) -> bool:
    """Is a compiled term word a plain stem (no ``*``, ``#`` or ``~``)?"""
    return not word.endswith(("*", "#", "~"))


def _word_ok(pattern: str, stem: str, word: str) -> bool:
    if stem == ",":
        return False
    if pattern == "#":
        return stem.isdigit()
    if pattern.endswith("*"):
        return word.startswith(pattern[:-1]) or stem.startswith(pattern[:-1])
    if pattern.endswith("#"):  # letters then a number: "l#" = "l4"
        head = pattern[:-1]
        return word.startswith(head) and word[len(head):].isdigit()
    return stem == pattern


def _match_at(pattern: Sequence[str], stems: Sequence[str], words: Sequence[str], i: int
              ) -> int | None:
    """End of the match of ``pattern`` starting at token ``i``, or ``None``."""
    pos = i
    k = 0
    while k < len(pattern):
        w = pattern[k]
        if w == "~":
            nxt = pattern[k + 1] if k + 1 < len(pattern) else None
            if nxt is None:
                return pos
            for skip in range(GAP + 1):
                if pos + skip < len(stems) and _word_ok(nxt, stems[pos + skip],
                                                        words[pos + skip]):
                    pos += skip
                    break
            else:
                return None
            k += 1
            continue
        if pos >= len(stems) or not _word_ok(w, stems[pos], words[pos]):
            return None
        pos += 1
        k += 1
    return pos
