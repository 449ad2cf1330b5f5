"""Small text helpers: folding for matching, and the wording every surface shares.

One helper each for what several modules say: a foot (:func:`foot_phrase`), a clock time
(:func:`clock`), HTML escaping (:func:`escape`), the close matches behind "did you mean"
(:func:`close_matches`; the sentence is :func:`footreflex.errors.did_you_mean`) and region
display names (:func:`region_name`, :func:`region_list`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping

WATCH_FOR_HEADING = "Watch for"
"""The heading every surface puts over a routine's "stop and seek care if ..." lines."""

_NON_WORD = re.compile(r"[^\w]+")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'"})


def fold(text: str) -> str:
    """Lower-case ``text`` and strip accents (``"Tàichōng"`` -> ``"taichong"``)."""
    text = text.translate(_APOSTROPHES)
    if text.isascii():  # nothing to decompose (most names): the same result, at once
        return text.casefold()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def compact(text: str) -> str:
    """Fold ``text`` and drop everything but letters and digits (``"Liv-3"`` -> ``"liv3"``)."""
    return _NON_WORD.sub("", fold(text)).replace("_", "")


def words(text: str) -> list[str]:
    """Fold ``text`` and split it into words, keeping inner apostrophes (``"i'm"``)."""
    folded = fold(text)
    return [w.strip("'") for w in re.findall(r"[\w']+", folded) if w.strip("'")]


def duration(seconds: int) -> str:
    """Format a length of time for people: ``"2 min"``, ``"30 s"``, ``"1 min 30 s"``."""
    minutes, secs = divmod(int(seconds), 60)
    if minutes and secs:
        return f"{minutes} min {secs} s"
    return f"{minutes} min" if minutes else f"{secs} s"


RELEVANCE_WORDS = ((0.8, "a main use"), (0.6, "a listed use"), (0.5, "a minor use"),
                   (0.4, "one report only"), (0.0, "a secondary use"))
"""Relevance bands in words (rubric in docs/knowledge-base.md), strongest first."""


def relevance_words(relevance: float) -> str:
    """Say a relevance (0-1) in words people understand: ``0.9`` -> ``"a main use"``.

    The bands follow the relevance rubric: 0.8 and up, the seed article's main items and
    points it shares with traditional texts; 0.6, listed by a traditional text; 0.5,
    practitioner notes or charts only; 0.4, one report only; below, a secondary use.
    """
    return next(words for floor, words in RELEVANCE_WORDS if relevance >= floor - 1e-9)


def plural(count: float, word: str, many: str | None = None) -> str:
    """Return ``count`` with ``word`` in the right number: ``"1 minute"``, ``"2.5 minutes"``.

    Args:
        count: How many (a whole or decimal number; ``1.0`` reads as ``1``).
        word: The singular.
        many: The plural when it is not ``word + "s"``.

    Returns:
        The number, formatted with ``:g``, then the word.
    """
    return f"{count:g} {word if count == 1 else (many or word + 's')}"


# ------------------------------------------------------------------ shared wording helpers
_FOOT_PHRASES = {"right": "right foot", "left": "left foot", "both": "both feet"}


def foot_phrase(foot: str) -> str:
    """Say a step's foot: ``"right"`` -> ``"right foot"``, ``"both"`` -> ``"both feet"``."""
    return _FOOT_PHRASES.get(foot) or f"{foot} foot"


def clock(seconds: float, *, pad: bool = False) -> str:
    """Format a time into the session as ``m:ss`` (``95`` -> ``"1:35"``).

    Args:
        seconds: Seconds (the fraction is dropped).
        pad: Two-digit minutes, as a running timer shows them (``"01:35"``).
    """
    minutes, secs = divmod(int(seconds), 60)
    return f"{minutes:02d}:{secs:02d}" if pad else f"{minutes}:{secs:02d}"


def escape(text: str) -> str:
    """Escape text for XML/HTML content and attribute values (quotes included)."""
    from html import escape as html_escape

    return html_escape(text, quote=True)


def close_matches(word: str, choices: Iterable[str], n: int = 3,
                  cutoff: float = 0.6) -> list[str]:
    """The ``n`` choices closest to ``word`` (difflib's ratio >= ``cutoff``), best first.

    For "did you mean" on error paths: :mod:`difflib` is imported only when this runs.
    """
    import difflib

    return difflib.get_close_matches(word, list(choices), n=n, cutoff=cutoff)


def region_name(region: str, names: Mapping[str, str]) -> str:
    """A region in words, as running text shows it: its display name in lower case.

    Args:
        region: The region id.
        names: Region id -> display name (``Routine.region_names``, or a knowledge base's).

    Returns:
        ``"lower back"`` for ``"lumbar"`` named ``"Lower back"``; a region without a name
        reads as its id in words (``"upper_back"`` -> ``"upper back"``).
    """
    name = names.get(region)
    return name.lower() if name else region.replace("_", " ")


def region_list(regions: Iterable[str], names: Mapping[str, str]) -> str:
    """Regions in words, comma-separated, in the order given (see :func:`region_name`)."""
    return ", ".join(region_name(r, names) for r in regions)
