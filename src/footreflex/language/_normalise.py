"""Normalise text and split it into sentences of tokens (see :mod:`footreflex.language`)."""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import NamedTuple

from footreflex._data import load
from footreflex.language._schema import LANGUAGE

__all__ = ["Token", "normalise", "sentences"]

# Invisible characters (soft hyphen, zero-width and direction marks, word joiners, BOM) are
# dropped and quotes and dashes straightened, in one translation table (no pattern to compile).
_INVISIBLE = "\u00ad\u180e" + "".join(map(chr, (*range(0x200B, 0x2010), *range(0x202A, 0x202F),
                                                *range(0x2060, 0x2065)))) + "\ufeff"
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'", "\u02bc": "'",
                         "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": " - ",
                         "\u2026": ".", **dict.fromkeys(_INVISIBLE)})
# words, numbers and the punctuation that shapes sentences and lists
_PIECES = re.compile(r"[a-z0-9]+(?:'[a-z]+)*|[.!?;:\n]+|[,/&+()]|\s-\s")
_SENTENCE_END = re.compile(r"^[.!?;\n]+$")
_UNIT_SPLIT = re.compile(r"^(\d+)([a-z]+)$")


class Token(NamedTuple):
    """One normalised word (or a comma) of a sentence (a named tuple: cheap to make).

    Attributes:
        text: The person's own word (folded), for messages ("not understood: sholders").
        norm: The normalised word (contractions and chat spellings expanded, typos corrected,
            compounds split).
        stem: Its stem (Snowball English), what concepts match.
    """

    text: str
    norm: str
    stem: str


@functools.cache
def _tables() -> tuple[dict[str, tuple[str, ...]], dict[str, str], frozenset[str]]:
    data = load("language.toml", LANGUAGE)
    spelling = {k: tuple(v.split()) for k, v in data["spellings"].items()}
    emoji: dict[str, str] = dict(data["emoji"])
    units = frozenset(data["number_units"])
    return spelling, emoji, units


def _fold(text: str) -> str:
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def normalise(text: str) -> str:
    """Return ``text`` in one canonical form.

    NFKC, no invisible characters, straight quotes, emoji that name body parts or feelings
    as words, folded case and accents.

    Args:
        text: Anything a person typed.

    Returns:
        The normalised text (contractions are expanded later, per token).
    """
    _, emoji, _ = _tables()
    out = unicodedata.normalize("NFKC", text)
    out = out.translate(_QUOTES)
    if not out.isascii() and any(ord(ch) > 0x2000 for ch in out):
        chars: list[str] = []
        for ch in out:
            word = emoji.get(ch)
            if word is not None:
                chars.append(f" {word} ")
            elif ord(ch) > 0x2000 and unicodedata.category(ch) in ("So", "Sk", "Cs", "Co"):
                chars.append(" . ")  # other emoji and symbols end a thought
            else:
                chars.append(ch)
        out = "".join(chars)
    out = _fold(out)
    return _SLASHES.sub(lambda m: " without " if m.group(1) else " with ", out)


_SLASHES = re.compile(r"\bw/(o\b)?")


@functools.lru_cache(maxsize=1 << 16)
def _expand(word: str) -> tuple[str, ...]:
    """Contractions, possessives and chat spellings -> plain words (``can't`` -> can not)."""
    spelling, _, units = _tables()
    hit = spelling.get(word)
    if hit is not None:
        return hit
    if "'" in word:
        base, _, tail = word.partition("'")
        if tail == "t" and base.endswith("n"):  # don't, can't, won't, isn't
            stem = {"ca": "can", "wo": "will", "sha": "shall"}.get(base[:-1], base[:-1])
            return (*_expand(stem), "not")
        extra = {"m": ("am",), "re": ("are",), "ve": ("have",), "ll": ("will",),
                 "d": ("would",)}.get(tail, ())  # 's: possessive or "is": dropped
        return (*_expand(base), *extra) if base else extra
    m = _UNIT_SPLIT.match(word)
    if m and m.group(2) in units:
        return (m.group(1), *_expand(m.group(2)))
    return (word,)


def sentences(text: str) -> list[list[tuple[str, str]]]:
    """Split normalised text into sentences of ``(surface word, expanded word)`` pairs.

    Commas, slashes and "&" stay as tokens (they shape lists); sentence punctuation and line
    breaks end a sentence.

    Args:
        text: Output of :func:`normalise`.

    Returns:
        Sentences; each a list of pairs, a comma as ``(",", ",")``.
    """
    out: list[list[tuple[str, str]]] = []
    current: list[tuple[str, str]] = []
    for piece in _PIECES.findall(text):
        if _SENTENCE_END.match(piece):
            if current:
                out.append(current)
                current = []
            continue
        if piece in ("/", "&", "+"):
            current.append((piece, "and" if piece != "/" else "or"))
            continue
        if piece in ("(", ")", ",") or piece.strip() == "-":
            current.append((",", ","))
            continue
        surface = piece.strip("'")
        for word in _expand(surface):
            if word:
                current.append((surface, word))
    if current:
        out.append(current)
    return out
