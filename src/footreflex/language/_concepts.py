"""Concepts: vocabularies of terms, found in one pass over a sentence's tokens.

A term is one or more words. Each word is stemmed when the index is built, so inflections
match ("numbness" = "numb"). Special words: a trailing ``*`` matches any word starting with
the stem before it (``"tingl*"``); ``#`` matches any number; letters followed by ``#`` match
those letters followed by a number written as one word (``"l#"`` matches "l4" and "l5", the
way vertebral levels are written); ``=word`` matches that exact word, not its stem; ``~`` lets
up to two other words stand there ("can not ~ feel" = "can not really feel"). All terms live
in one trie walked once from each token, so finding every concept in a sentence is linear in
its length.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping, Sequence
from typing import NamedTuple, TypeGuard

from footreflex.language._words import stem

__all__ = ["ConceptIndex", "Match"]

_NONE: dict[str, _Node] = {}  # the shared "no children" of a leaf; never written to
_RAW: tuple[tuple[str, ...], str] = ((), "")  # marks a node whose terms are still cached text

GAP = 2
"""How many words ``~`` may skip."""
MAX_CACHED_INDEXES = 16
"""At most this many compiled indexes are kept in the shipped-data cache."""
ROOT_MEMO_SIZE = 1 << 16
"""Distinct tokens whose first trie step is remembered (a bounded memo)."""


class Match(NamedTuple):
    """One occurrence of a concept: tokens ``start`` to ``end`` (exclusive) of a sentence.

    A named tuple (immutable, hashable, cheap to make: a text makes many).
    """

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
    if len(word) > 1 and word.endswith("#"):
        return word  # letters then a number ("l#" = "l4")
    return stem(word)


def compile_term(term: str) -> tuple[str, ...]:
    """Split a term into compiled words (stems, ``prefix*``, ``#``, ``~``)."""
    return _compile_term(term)


_Terms = list[tuple[tuple[str, ...], str]]  # (compiled words, concept) in file order


def _compile_index(concepts: Mapping[str, Sequence[str]]) -> tuple[_Terms, set[str]]:
    """Every usable term compiled, with its concept, and the words of those terms."""
    terms: _Terms = []
    words: set[str] = set()
    for name, raw in concepts.items():
        for term in raw:
            compiled = _compile_term(term)
            if not compiled or compiled[0] == "~":
                continue
            words.update(w.strip("*=") for w in term.lower().replace("-", " ").split()
                         if w.strip("*=").isalpha())
            terms.append((compiled, name))
    return terms, words


_TERM_SEP, _NAME_SEP = "\t", "\x1f"


def _digest(concepts: Mapping[str, Sequence[str]]) -> str:
    import hashlib

    return hashlib.sha256("\x1e".join(
        f"{name}\x1f" + "\x1f".join(terms) for name, terms in concepts.items()
    ).encode()).hexdigest()[:32]


def _grouped(terms: _Terms
             ) -> tuple[list[str], dict[str, str], dict[str, str], dict[str, str]] | None:
    """The cached form: the concept names, and per first word its terms (tab-separated).

    A term is ``<concept number><US><the other words, space-separated>``. The first words
    that are stems (most of them) and prefixes (``prefix*``, without the star) come apart
    from the others (``=word``, ``#``, ``l#``), so a start lays out only the few others and
    finds a stem's or a prefix's terms by a plain look-up when a text first has it.
    ``None`` when a word holds a separator or is empty (such an index is not cached).
    """
    names: dict[str, int] = {}
    first: dict[str, list[str]] = {}
    for compiled, name in terms:
        if any(" " in w or _TERM_SEP in w or _NAME_SEP in w or not w for w in compiled):
            return None
        number = names.setdefault(name, len(names))
        first.setdefault(compiled[0], []).append(f"{number}{_NAME_SEP}{' '.join(compiled[1:])}")
    stems = {word: _TERM_SEP.join(items) for word, items in first.items() if _is_stem(word)}
    prefixes = {word[:-1]: _TERM_SEP.join(items) for word, items in first.items()
                if word.endswith("*")}
    others = {word: _TERM_SEP.join(items) for word, items in first.items()
              if not _is_stem(word) and not word.endswith("*")}
    return list(names), stems, prefixes, others


def _is_stem(word: str) -> bool:
    """Whether a compiled word is a stem (not ``prefix*``, ``=word``, ``#``, ``~`` or ``l#``)."""
    return word[-1] not in "*#~" and word[0] != "="


def _blobs(value: object) -> TypeGuard[dict[str, str]]:
    """Whether a cached group is first word -> terms (a JSON object's keys are strings)."""
    return isinstance(value, dict) and "" not in value and set(map(type, value.values())) <= {str}


def _parse(blob: str, names: Sequence[str]) -> _Terms:
    """The terms below one first word, from their cached form (never raises)."""
    out: _Terms = []
    size = len(names)
    for item in blob.split(_TERM_SEP):
        number, _, rest = item.partition(_NAME_SEP)
        k = int(number) if number.isascii() and number.isdigit() else size
        out.append((tuple(rest.split(" ")) if rest else (), names[k] if k < size else ""))
    return out


def _compile_term(term: str) -> tuple[str, ...]:
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


def _get_or_add(children: dict[str, _Node], key: str) -> _Node:
    node = children.get(key)
    if node is None:
        node = children[key] = _Node()
    return node


class _Node:
    """A node of the term trie: edges by stem, exact word, prefix, number or gap."""

    __slots__ = ("ends", "exact", "gap", "lettered", "number", "pending", "prefix",
                 "prefix_lengths", "raw", "surface")

    def __init__(self) -> None:
        # Most nodes are leaves: they share one empty mapping until they get a child.
        self.exact: dict[str, _Node] = _NONE
        self.surface: dict[str, _Node] = _NONE
        self.prefix: dict[str, _Node] = _NONE
        self.prefix_lengths: tuple[int, ...] = ()
        self.number: _Node | None = None
        self.gap: _Node | None = None
        self.lettered: dict[str, _Node] = _NONE  # "l#": letters then a number, as one word
        self.ends: list[str] = []
        # Terms below this node not yet laid out as nodes: (remaining words, concept). A
        # node is expanded (one level) the first time a walk reaches it, so building an
        # index costs one pass over its terms and a text only builds the branches it meets.
        self.pending: _Terms = []
        # The same, still in the data cache's form (see ConceptIndex): parsed on expansion.
        self.raw: tuple[str, Sequence[str]] | None = None

    def expand(self) -> None:
        """Lay the pending terms out one level down (call under the index's lock)."""
        prefixes = len(self.prefix)
        pending = self.pending
        if self.raw is not None:
            pending = _parse(*self.raw)  # what was pending is only the _RAW marker
            self.raw = None
        for words, name in pending:
            if not words:
                if name not in self.ends:
                    self.ends.append(name)
                continue
            word = words[0]
            if word[-1] not in "*#~" and word[0] != "=":  # a stem: most words (_is_stem)
                if self.exact is _NONE:
                    self.exact = {}
                node = self.exact.get(word)
                if node is None:
                    node = self.exact[word] = _Node()
            else:
                node = self.child(word)
            node.pending.append((words[1:], name))
        if len(self.prefix) != prefixes:
            self.prefix_lengths = tuple(sorted({len(p) for p in self.prefix}))
        self.pending = []

    def child(self, word: str) -> _Node:
        """The child for one compiled word, made if missing.

        A new prefix child leaves ``prefix_lengths`` for the caller to update.
        """
        if word == "~":
            self.gap = self.gap or _Node()
            return self.gap
        if word == "#":
            self.number = self.number or _Node()
            return self.number
        if word.endswith("*"):
            if self.prefix is _NONE:
                self.prefix = {}
            return _get_or_add(self.prefix, word[:-1])
        if word.startswith("="):
            if self.surface is _NONE:
                self.surface = {}
            return _get_or_add(self.surface, word[1:])
        if len(word) > 1 and word.endswith("#"):
            if self.lettered is _NONE:
                self.lettered = {}
            return _get_or_add(self.lettered, word[:-1])
        if self.exact is _NONE:
            self.exact = {}
        return _get_or_add(self.exact, word)

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
        if self.lettered:
            head = word.rstrip("0123456789")
            if head != word and (node := self.lettered.get(head)) is not None:
                out.append(node)
        return out


class ConceptIndex:
    """Every term of every concept, in one trie walked once from each token.

    Args:
        concepts: Concept name -> terms.
    """

    def __init__(self, concepts: Mapping[str, Iterable[str]]) -> None:
        self._root = _Node()
        self._lock = threading.Lock()
        self._root_memo: dict[tuple[str, str], list[_Node]] = {}
        # From the data cache: first stem -> its terms, in the cache's form (the cache's own
        # dict, read only); the root's child for a stem is made when a text first has it.
        self._lazy: Mapping[str, str] = {}
        self._lazy_prefixes: Mapping[str, str] = {}  # the same for first prefixes
        self._names: Sequence[str] = ()
        lists = {name: list(terms) for name, terms in concepts.items()}
        self.concepts = tuple(lists)
        self.words: set[str] = set()
        if not self._from_cache(lists):
            self._root.pending, self.words = _compile_index(lists)
            self._root.expand()

    def _from_cache(self, concepts: Mapping[str, Sequence[str]]) -> bool:
        """Build from the shipped-data cache, or compile and add this index to it.

        Compiling stems every word of every term (a few thousand for the shipped data), so
        the compiled terms are kept in the cache (:mod:`footreflex._cache`), under a digest of
        the vocabularies, grouped by first word: a start makes only the root's children for
        the few first words that are not stems; a first stem's child is made (from its
        cached terms, parsed when a walk reaches it) the first time a text has that stem.

        Returns:
            Whether the index was built (otherwise the caller compiles it).
        """
        from footreflex import _cache

        digest = _digest(concepts)
        section = _cache.section("indexes")
        hit = section.get(digest)
        if isinstance(hit, dict):
            words, names = hit.get("words"), hit.get("names")
            stems, prefixes, others = hit.get("stems"), hit.get("prefixes"), hit.get("others")
            if isinstance(words, str) and isinstance(names, list) and all(
                    isinstance(n, str) for n in names) and _blobs(stems) and _blobs(
                    prefixes) and _blobs(others):
                root = self._root
                for word, blob in others.items():
                    node = root.child(word)
                    node.raw = (blob, names)
                    node.pending = [_RAW]  # non-empty: a walk reaching it expands it
                if prefixes:
                    root.prefix = {}
                root.prefix_lengths = tuple(sorted({len(p) for p in prefixes}))
                self._lazy, self._lazy_prefixes, self._names = stems, prefixes, names
                self.words = set(words.split())
                return True
        if len(section) >= MAX_CACHED_INDEXES:  # bounded: custom vocabularies cannot grow it
            return False
        terms, self.words = _compile_index(concepts)
        grouped = _grouped(terms)
        if grouped is not None:
            section[digest] = {"words": " ".join(sorted(self.words)), "names": grouped[0],
                               "stems": grouped[1], "prefixes": grouped[2],
                               "others": grouped[3]}
            _cache.mark_dirty()
        self._root.pending = terms
        self._root.expand()
        return True

    def _ready(self, node: _Node) -> _Node:
        """The node, its pending terms laid out first (thread-safe)."""
        if node.pending:
            with self._lock:
                if node.pending:
                    node.expand()
        return node

    def _root_step(self, stem: str, word: str) -> list[_Node]:
        """The root's children for a token, remembered per distinct token."""
        key = (stem, word)
        hit = self._root_memo.get(key)
        if hit is None:
            root = self._root
            if stem in self._lazy and stem not in root.exact:
                self._make(root, "exact", stem, self._lazy)
            prefixes = self._lazy_prefixes
            if prefixes:  # the prefixes this token may have (see _Node.step)
                for size in root.prefix_lengths:
                    if size > len(word) and size > len(stem):
                        break
                    for text in (word, stem):
                        if size <= len(text) and (head := text[:size]) in prefixes and (
                                head not in root.prefix):
                            self._make(root, "prefix", head, prefixes)
            hit = root.step(stem, word)
            if len(self._root_memo) >= ROOT_MEMO_SIZE:
                self._root_memo.clear()
            self._root_memo[key] = hit
        return hit

    def _make(self, root: _Node, kind: str, key: str, blobs: Mapping[str, str]) -> None:
        """Make the root's child ``key`` (of ``kind``) from its cached terms (thread-safe)."""
        with self._lock:
            children: dict[str, _Node] = getattr(root, kind)
            if key not in children:  # the first text with this word: its child
                if children is _NONE:
                    children = {}
                    setattr(root, kind, children)
                node = _Node()
                node.raw = (blobs[key], self._names)
                node.pending = [_RAW]
                children[key] = node

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
        best: dict[tuple[int, str], int] = {}  # (start, concept) -> end of the longest
        root_step = self._root_step
        ready = self._ready
        for i in range(n):
            stack = [(child, i + 1) for child in root_step(stems[i], words[i])]
            while stack:
                node, pos = stack.pop()
                if node.pending:
                    ready(node)
                for name in node.ends:
                    if pos > best.get((i, name), -1):
                        best[(i, name)] = pos
                gap = node.gap
                if gap is not None:
                    if gap.pending:
                        ready(gap)
                    for name in gap.ends:
                        if pos > best.get((i, name), -1):
                            best[(i, name)] = pos
                    for skip in range(GAP + 1):
                        at = pos + skip
                        if at >= n:
                            break
                        stack.extend((c, at + 1) for c in gap.step(stems[at], words[at]))
                if pos < n:
                    stack.extend((c, pos + 1) for c in node.step(stems[pos], words[pos]))
        return [Match(name, start, end) for (start, name), end in sorted(best.items())]
