"""Small text helpers shared by alias and symptom matching."""

from __future__ import annotations

import re
import unicodedata

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
