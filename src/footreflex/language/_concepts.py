"""Concepts: vocabularies of terms, found in one pass over a sentence's tokens.

A term is one or more words. Each word is stemmed when the index is built, so inflections
match ("numbness" = "numb"). Special words: a trailing ``*`` matches any word starting with
the stem before it (``"tingl*"``); ``#`` matches any number; ``~`` lets up to two other words
stand there ("can not ~ feel" = "can not really feel"). The index keys terms by their first
word, so finding every concept in a sentence is linear in its length.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from footreflex.language._words import stem

__all__ = ["ConceptIndex", "Match"]

GAP = 2
ROOT_MEMO_SIZE = 1 << 16
"""Distinct tokens whose first trie step is remembered (a bounded memo)."""
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
    if word.startswith("="):
        return word  # this exact word, not its stem ("=legs" is plural only)
    return stem(word)


def compile_term(term: str) -> tuple[str, ...]:
    """Split a term into compiled words (stems, ``prefix*``, ``#``, ``~``)."""
    from footreflex.language._normalise import normalise, sentences

    marked = (term.replace("*", "qqstarqq").replace("#", "qqhashqq").replace("~", "qqgapqq")
            .replace("=", "qqexactqq"))
    words: list[str] = []
    for sentence in sentences(normalise(marked)):
        for _, word in sentence:
            if word == ",":
                continue
            word = (word.replace("qqstarqq", "*").replace("qqhashqq", "#")
                    .replace("qqexactqq", "="))
            words.append(_compile_word(word.replace("qqgapqq", "~")))
    return tuple(words)


class _Node:
    """A node of the term trie: edges by stem, exact word, prefix, number or gap."""

    __slots__ = ("ends", "exact", "gap", "number", "prefix", "prefix_lengths", "surface")

    def __init__(self) -> None:
        self.exact: dict[str, _Node] = {}
        self.surface: dict[str, _Node] = {}
        self.prefix: dict[str, _Node] = {}
        self.prefix_lengths: tuple[int, ...] = ()
        self.number: _Node | None = None
        self.gap: _Node | None = None
        self.ends: list[str] = []

    def child(self, word: str) -> _Node:
        if word == "~":
            self.gap = self.gap or _Node()
            return self.gap
        if word == "#":
            self.number = self.number or _Node()
            return self.number
        if word.endswith("*"):
            node = self.prefix.setdefault(word[:-1], _Node())
            self.prefix_lengths = tuple(sorted({len(p) for p in self.prefix}))
            return node
        if word.startswith("="):
            return self.surface.setdefault(word[1:], _Node())
        return self.exact.setdefault(word, _Node())

    def step(self, stem: str, word: str) -> list[_Node]:
        """The children one token leads to."""
        if stem == ",":
            return []
        out: list[_Node] = []
        if (node := self.exact.get(stem)) is not None:
            out.append(node)
        if (node := self.surface.get(word)) is not None:
            out.append(node)
        for size in self.prefix_lengths:
            if size > len(word) and size > len(stem):
                break
            node = self.prefix.get(word[:size]) if size <= len(word) else None
            if node is None and size <= len(stem):
                node = self.prefix.get(stem[:size])
            if node is not None:
                out.append(node)
        if self.number is not None and stem.isdigit():
            out.append(self.number)
        return out


class ConceptIndex:
    """Every term of every concept, in one trie walked once from each token.

    Args:
        concepts: Concept name -> terms.
    """

    def __init__(self, concepts: Mapping[str, Iterable[str]]) -> None:
        self._root = _Node()
        self._root_memo: dict[tuple[str, str], list[_Node]] = {}
        self.cache: dict[object, object] = {}  # sentence readings (language._context.read)
        self.words: set[str] = set()
        self.concepts = tuple(concepts)
        for name, terms in concepts.items():
            for term in terms:
                compiled = compile_term(term)
                if not compiled or compiled[0] == "~":
                    continue
                self.words.update(w.strip("*=") for w in term.lower().replace("-", " ").split()
                                  if w.strip("*=").isalpha())
                node = self._root
                for word in compiled:
                    node = node.child(word)
                if name not in node.ends:
                    node.ends.append(name)

    def _root_step(self, stem: str, word: str) -> list[_Node]:
        """The root's children for a token, remembered per distinct token."""
        key = (stem, word)
        hit = self._root_memo.get(key)
        if hit is None:
            hit = self._root.step(stem, word)
            if len(self._root_memo) >= ROOT_MEMO_SIZE:
                self._root_memo.clear()
            self._root_memo[key] = hit
        return hit

    def find(self, stems: Sequence[str], words: Sequence[str] | None = None) -> list[Match]:
        """Return every concept match in a sentence (the longest per concept and start).

        Args:
            stems: The sentence's token stems (commas as ``","``).
            words: The same tokens unstemmed (prefix terms match them; default: the stems).

        Returns:
            Matches sorted by start, then concept.
        """
        words = stems if words is None else words
        n = len(stems)
        best: dict[tuple[str, int], int] = {}
        root_step = self._root_step
        for i in range(n):
            stack = [(child, i + 1) for child in root_step(stems[i], words[i])]
            while stack:
                node, pos = stack.pop()
                for name in node.ends:
                    if pos > best.get((name, i), -1):
                        best[(name, i)] = pos
                gap = node.gap
                if gap is not None:
                    for name in gap.ends:
                        if pos > best.get((name, i), -1):
                            best[(name, i)] = pos
                    for skip in range(GAP + 1):
                        at = pos + skip
                        if at >= n:
                            break
                        stack.extend((c, at + 1) for c in gap.step(stems[at], words[at]))
                if pos < n:
                    stack.extend((c, pos + 1) for c in node.step(stems[pos], words[pos]))
        return sorted((Match(name, start, end) for (name, start), end in best.items()),
                      key=lambda m: (m.start, m.concept))
