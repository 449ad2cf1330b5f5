"""Word-level tools: stems, ordinary-English check, compound splitting, typo correction.

``snowballstemmer`` (the Snowball English stemmer; small, pure Python, maintained) gives
stems. ``pyspellchecker`` supplies an English word-frequency list that decides whether a
token is an ordinary word (and so must never be "corrected"): it costs about 0.3 s to load,
so it is loaded only the first time a token is a near-miss of a vocabulary word or splits
into vocabulary words. ``rapidfuzz`` computes Damerau-Levenshtein distances (imported on the
first near-miss check). Every per-word result is memoised, so a long text costs linear time.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterable
from typing import Any

__all__ = ["Vocabulary", "correct", "is_ordinary_word", "split_compound", "stem"]

MIN_CORRECTABLE = 5
"""Only vocabulary words of at least this many letters are typo-correction targets."""
ORDINARY_COUNT = 100
"""A word seen at least this often in pyspellchecker's English list is an ordinary word."""
_CACHE = 1 << 16

_stemmer_lock = threading.Lock()


@functools.cache
def _stemmer() -> Any:
    from snowballstemmer.english_stemmer import EnglishStemmer

    return EnglishStemmer()


@functools.lru_cache(maxsize=_CACHE)
def stem(word: str) -> str:
    """Return the Snowball English stem of a lower-case word (numbers unchanged).

    Args:
        word: A lower-case word.

    Returns:
        Its stem (``"numbness"`` -> ``"numb"``).
    """
    if not word.isalpha():
        return word
    known = _stems()
    hit = known.get(word)
    if not isinstance(hit, str):
        with _stemmer_lock:  # the Snowball stemmer object keeps state while it works
            hit = str(_stemmer().stemWord(word))
        if len(known) < _CACHE:  # bounded: a server reading endless new words stays flat
            known[word] = hit
    return hit


@functools.cache
def _stems() -> dict[str, Any]:
    """Stems kept in the shipped-data cache (so Snowball loads only for a new word)."""
    from footreflex import _cache

    return _cache.section("stems")


@functools.cache
def _frequencies() -> Any:
    from spellchecker import SpellChecker

    return SpellChecker(language="en", distance=1).word_frequency


@functools.lru_cache(maxsize=_CACHE)
def is_ordinary_word(word: str) -> bool:
    """Is ``word`` an ordinary English word (frequent enough in the English list)?

    Args:
        word: A lower-case word.

    Returns:
        ``True`` for words such as "towel" or "ladder"; ``False`` for typos and rare words.
    """
    frequencies = _frequencies()

    def known(w: str) -> bool:
        return w in frequencies and int(frequencies[w]) >= ORDINARY_COUNT

    if known(word):
        return True
    # an inflection of an ordinary word is ordinary ("bingeing" = "binge" + "ing"), even
    # when the list lacks that form
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            base = word[: -len(suffix)]
            if known(base) or known(base + "e") or (
                    len(base) > 3 and base[-1] == base[-2] and known(base[:-1])):
                return True
    return False


_SUFFIXES = ("ing", "ed", "es", "s", "er", "est", "ly")


class Vocabulary:
    """The words a reader knows: targets for typo correction and compound splitting.

    Args:
        words: Every word of every term (surface forms, lower case).
    """

    def __init__(self, words: Iterable[str]) -> None:
        self.words = frozenset(filter(str.isalpha, words))
        self._by_length_memo: dict[int, tuple[str, ...]] | None = None
        self._deletes: dict[str, set[str]] | None = None
        self._lock = threading.Lock()
        self._memo: dict[str, tuple[str, ...]] = {}

    @functools.cached_property
    def stems(self) -> frozenset[str]:
        """The words' stems (worked out the first time a word is not itself vocabulary)."""
        known = _stems()  # most words: a plain look-up in the shipped-data cache
        hits: set[Any] = set(map(known.get, self.words))
        return frozenset(hits) if set(map(type, hits)) <= {str} else frozenset(
            hit if isinstance(hit := known.get(w), str) else stem(w) for w in self.words)

    def knows(self, word: str) -> bool:
        """Is ``word`` (or its stem) a vocabulary word?"""
        return word in self.words or stem(word) in self.stems

    def read(self, word: str) -> tuple[str, ...]:
        """Return the word as the reader should see it: itself, its parts, or a correction.

        Args:
            word: A normalised lower-case word.

        Returns:
            ``(word,)`` when known, a number, short or ordinary English; the vocabulary
            parts of a run-together word (``"lowerback"`` -> ``("lower", "back")``); or the
            vocabulary word it is a near-miss of (``"sholder"`` -> ``("shoulder",)``).
        """
        memo = self._memo.get(word)
        if memo is not None:
            return memo
        result = self._read(word)
        with self._lock:
            if len(self._memo) > _CACHE:
                self._memo.clear()
            self._memo[word] = result
        return result

    def _read(self, word: str) -> tuple[str, ...]:
        if len(word) < 4 or not word.isalpha() or self.knows(word):
            return (word,)
        parts = split_compound(word, self)
        if parts and not is_ordinary_word(word):
            return parts
        fixed = correct(word, self)
        if fixed and not is_ordinary_word(word):
            return (fixed,)
        return (word,)

    @property
    def _by_length(self) -> dict[int, tuple[str, ...]]:
        """Correction targets by length (worked out the first time a word needs them)."""
        memo = self._by_length_memo
        if memo is None:
            by_length: dict[int, list[str]] = {}
            for w in sorted(self.words):
                if len(w) >= MIN_CORRECTABLE:
                    by_length.setdefault(len(w), []).append(w)
            memo = self._by_length_memo = {k: tuple(v) for k, v in by_length.items()}
        return memo

    def candidates(self, length: int) -> tuple[str, ...]:
        """Vocabulary words of exactly ``length`` letters that are correction targets."""
        return self._by_length.get(length, ())

    def near(self, word: str, edits: int) -> set[str]:
        """Correction targets that may be within ``edits`` edits of ``word`` (a superset).

        Two words within ``d`` edits (insertions, deletions, substitutions, adjacent
        transpositions) become equal after deleting at most ``d`` letters from each
        (symmetric deletion, as in SymSpell): targets are indexed once by every form with
        up to two letters deleted, so a lookup touches a few words instead of all of them.
        """
        index = self._deletes
        if index is None:
            with self._lock:
                index = self._deletes
                if index is None:
                    built: dict[str, set[str]] = {}
                    for words in self._by_length.values():
                        for target in words:
                            for form in _deletions(target, 2):
                                built.setdefault(form, set()).add(target)
                    index = self._deletes = built
        found: set[str] = set()
        for form in _deletions(word, edits):
            found |= index.get(form, set())
        return found


def _deletions(word: str, most: int) -> set[str]:
    """``word`` and every form of it with up to ``most`` letters deleted."""
    forms = {word}
    edge = {word}
    for _ in range(most):
        edge = {w[:i] + w[i + 1:] for w in edge for i in range(len(w))}
        forms |= edge
    return forms


def split_compound(word: str, vocabulary: Vocabulary) -> tuple[str, ...] | None:
    """Split a run-together word into two or three vocabulary words of 3+ letters.

    Args:
        word: The word (``"lowerbackpain"``).
        vocabulary: Words that may be parts.

    Returns:
        The parts (``("lower", "back", "pain")``), or ``None``.
    """
    def known(part: str) -> bool:
        return len(part) >= 3 and part in vocabulary.words

    for i in range(3, len(word) - 2):
        head, tail = word[:i], word[i:]
        if not known(head):
            continue
        if known(tail) or (len(tail) >= 4 and stem(tail) in vocabulary.stems):
            return (head, tail)
        for j in range(3, len(tail) - 2):
            if known(tail[:j]) and known(tail[j:]):
                return (head, tail[:j], tail[j:])
    return None


def correct(word: str, vocabulary: Vocabulary) -> str | None:
    """Return the vocabulary word ``word`` is a near-miss of, or ``None``.

    Only vocabulary words of :data:`MIN_CORRECTABLE` or more letters are targets; the
    distance allowed is 1 edit (a transposition counts as one) for words of up to six
    letters and 2 for longer ones. Ties go to the alphabetically first word.

    Args:
        word: A lower-case word that is not in the vocabulary.
        vocabulary: The target words.

    Returns:
        The correction, or ``None``.
    """
    if len(word) < 4:
        return None
    from rapidfuzz.distance import DamerauLevenshtein

    limit = 1 if len(word) <= 6 else 2
    best: tuple[int, str] | None = None
    low, high = len(word) - limit, len(word) + limit
    for target in vocabulary.near(word, limit):
        if not low <= len(target) <= high:
            continue
        if target[0] != word[0] and limit == 1:
            continue  # short words: the first letter is rarely the typo
        d = int(DamerauLevenshtein.distance(word, target, score_cutoff=limit))
        if d <= limit and (best is None or (d, target) < best):
            best = (d, target)
    return best[1] if best else None
