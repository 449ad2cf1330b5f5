"""Small text helpers shared by alias and symptom matching."""

from __future__ import annotations

import re
import unicodedata

WATCH_FOR_HEADING = "Watch for"
"""The heading every surface puts over a routine's "stop and seek care if ..." lines."""

_NON_WORD = re.compile(r"[^\w]+")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'"})


def fold(text: str) -> str:
    """Lower-case ``text`` and strip accents (``"Tàichōng"`` -> ``"taichong"``)."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES))
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
