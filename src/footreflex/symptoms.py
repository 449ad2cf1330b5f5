"""Free symptom text to canonical region ids.

Matching folds case and accents, ignores punctuation and filler words ("pain in my ...",
"aches"), treats a trailing plural ``s`` as optional, and takes the longest known phrase at
each point, so "upper back" wins over "back", and "back" alone means the lower back (the seed
article's sense). Several regions may be named in one text ("lower back and neck").

Words left over that name a body part footreflex has no region for (``knee``), or that look
like a misspelt region word (``sholders``), are reported so the routine can warn
"not understood: knee". A text that names no region at all raises
:class:`~footreflex.errors.UnknownSymptomError` with up to three suggestions.
"""

from __future__ import annotations

import difflib
import functools
import itertools
import tomllib
import weakref
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources

from footreflex._text import words
from footreflex.errors import UnknownSymptomError
from footreflex.knowledgebase import KnowledgeBase, knowledge

__all__ = ["Resolution", "resolve", "resolve_many", "resolve_text"]


@dataclass(frozen=True)
class _Lexicon:
    filler: frozenset[str]
    body_parts: frozenset[str]


@functools.cache
def _lexicon() -> _Lexicon:
    raw = resources.files("footreflex").joinpath("data/lexicon.toml").read_bytes()
    data = tomllib.loads(raw.decode("utf-8"))
    return _Lexicon(frozenset(data["filler"]), frozenset(data["body_parts"]))


def _stem(word: str) -> str:
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


@dataclass(frozen=True)
class _PhraseTable:
    phrases: dict[tuple[str, ...], str]
    longest: int
    vocabulary: tuple[str, ...]  # single words of all phrases, for typo detection
    display: tuple[str, ...]  # whole phrases, for suggestions


_tables: weakref.WeakKeyDictionary[KnowledgeBase, _PhraseTable] = weakref.WeakKeyDictionary()


def _table(kb: KnowledgeBase) -> _PhraseTable:
    cached = _tables.get(kb)
    if cached is not None:
        return cached
    phrases: dict[tuple[str, ...], str] = {}
    vocab: set[str] = set()
    display: list[str] = []
    for phrase, region in kb.region_synonyms().items():
        key = tuple(_stem(w) for w in words(phrase))
        if key:
            phrases.setdefault(key, region)
            vocab.update(words(phrase))
            display.append(phrase)
    table = _PhraseTable(phrases, max(map(len, phrases), default=1), tuple(sorted(vocab)),
                         tuple(display))
    _tables[kb] = table
    return table


@dataclass(frozen=True)
class Resolution:
    """What a symptom text named.

    Attributes:
        regions: Region ids in order of first mention, without duplicates.
        not_understood: Left-over words that look like a complaint, with a hint where one
            fits (``"sholders (did you mean 'shoulders'?)"``).
    """

    regions: list[str] = field(default_factory=list)
    not_understood: list[str] = field(default_factory=list)


def _suggest(candidates: Sequence[str], table: _PhraseTable) -> list[str]:
    scored: dict[str, float] = {}
    for text in candidates:
        for match in difflib.get_close_matches(text, table.display, n=3, cutoff=0.6):
            ratio = difflib.SequenceMatcher(None, text, match).ratio()
            scored[match] = max(scored.get(match, 0.0), ratio)
    return [m for m, _ in sorted(scored.items(), key=lambda kv: (-kv[1], kv[0]))][:3]


def resolve_text(text: str, kb: KnowledgeBase | None = None) -> Resolution:
    """Resolve one symptom text, keeping the words it could not place.

    Args:
        text: Free text such as ``"my lower back is killing me"``.
        kb: Knowledge base whose regions and synonyms to use (default: the shipped one).

    Returns:
        A :class:`Resolution`.

    Raises:
        UnknownSymptomError: The text names no region (with suggestions), or is not text.
    """
    if not isinstance(text, str):
        raise UnknownSymptomError(repr(text), message=(
            f"a symptom must be text, not {type(text).__name__}"))
    kb = kb or knowledge()
    table = _table(kb)
    lexicon = _lexicon()
    tokens = words(text.replace("-", " ").replace("_", " "))
    stems = [_stem(t) for t in tokens]
    regions: list[str] = []
    leftover: list[str] = []
    i = 0
    while i < len(tokens):
        for size in range(min(table.longest, len(tokens) - i), 0, -1):
            region = table.phrases.get(tuple(stems[i:i + size]))
            if region is not None:
                if region not in regions:
                    regions.append(region)
                i += size
                break
        else:
            if tokens[i] not in lexicon.filler and not tokens[i].isdigit():
                leftover.append(tokens[i])
            i += 1
    not_understood: list[str] = []
    for word in leftover:
        if word in lexicon.body_parts:
            entry = word
        elif len(word) >= 4 and (close := difflib.get_close_matches(
                word, table.vocabulary, n=1, cutoff=0.8)):
            entry = f"{word} (did you mean {close[0]!r}?)"
        else:
            continue
        if entry not in not_understood:
            not_understood.append(entry)
    if not regions:
        bigrams = [" ".join(p) for p in itertools.pairwise(leftover)]
        suggestions = _suggest([*bigrams, *leftover] or [" ".join(tokens)], table)
        if not tokens:
            raise UnknownSymptomError(text, message=(
                "no words in the symptom text; name a region such as 'lower back', 'neck', "
                "'sciatica' or 'upper back'"))
        raise UnknownSymptomError(text, suggestions)
    return Resolution(regions, not_understood)


def resolve_many(
    symptoms: str | Sequence[str], kb: KnowledgeBase | None = None
) -> Resolution:
    """Resolve a text or a list of texts into one :class:`Resolution`.

    A list plans for every region any of its texts names; an item that names no region is
    an error only when no item names one.

    Args:
        symptoms: One text or a sequence of texts.
        kb: Knowledge base (default: the shipped one).

    Returns:
        The combined resolution, regions in order of first mention.

    Raises:
        UnknownSymptomError: Nothing names a region, or the input is not text.
    """
    if isinstance(symptoms, str):
        return resolve_text(symptoms, kb)
    if not isinstance(symptoms, Sequence) or isinstance(symptoms, bytes | bytearray):
        raise UnknownSymptomError(repr(symptoms), message=(
            f"symptoms must be a text or a list of texts, not {type(symptoms).__name__}"))
    if not symptoms:
        raise UnknownSymptomError("", message="no symptoms given")
    regions: list[str] = []
    not_understood: list[str] = []
    first_error: UnknownSymptomError | None = None
    for item in symptoms:
        try:
            part = resolve_text(item, kb)
        except UnknownSymptomError as exc:
            if not isinstance(item, str):
                raise
            first_error = first_error or exc
            if item.strip() and item.strip() not in not_understood:
                not_understood.append(item.strip())
            continue
        regions.extend(r for r in part.regions if r not in regions)
        not_understood.extend(w for w in part.not_understood if w not in not_understood)
    if not regions:
        assert first_error is not None
        raise first_error
    return Resolution(regions, not_understood)


def resolve(text: str) -> list[str]:
    """Return the canonical region ids a symptom text names.

    Args:
        text: Free text, e.g. ``"lower back and neck"`` or ``"sore shoulders"``.

    Returns:
        Region ids in order of first mention, without duplicates
        (``["lumbar", "cervical"]``).

    Raises:
        UnknownSymptomError: The text names no region; ``suggestions`` holds up to three
            close matches.
    """
    return resolve_text(text).regions
