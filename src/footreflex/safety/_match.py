"""Normalise condition names and foot words for lookup (``"Can't"`` -> ``"cannot"``).

What is left of the first-release phrase matcher: its term index and its negation word lists
were no longer used by anything (negation lives in ``data/language.toml``, read by
:mod:`footreflex.language`).
"""

from __future__ import annotations

import re

from footreflex._text import fold

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
