"""Normalise condition names and foot words for lookup (``"Can't"`` -> ``"cannot"``).

What is left of the first-release phrase matcher: its term index and its negation word lists
were no longer used by anything (negation lives in ``data/language.toml``, read by
:mod:`footreflex.language`).
"""

from __future__ import annotations

import re

from footreflex._text import fold

# ------------------------------------------------------------------------------ text handling
# Patterns as text: ``re`` compiles (and keeps) them on first use, so importing the safety
# package for a plan that declares no condition compiles none of them.
_CONTRACTIONS = [
    (r"\b(can ?not|can'?t|cant)\b", "cannot"),
    (r"\bwon'?t\b", "will not"),
    (r"\bshan'?t\b", "shall not"),
    (r"\b(do|does|did|is|are|was|were|could|would|should|have|has|had|must|need|"
     r"might)n'?t\b", r"\1 not"),
    (r"\b(\w+)n't\b", r"\1 not"),
    (r"\bi'?m\b", "i am"),
    (r"\b(i|you|we|they)'ve\b", r"\1 have"),
    (r"\b(it|that|there)'s\b", r"\1 is"),
]
_TOKENS = r"[a-z0-9]+|,"
_CONTRACTION_HINT = r"'|\b(?:can|cant|wont|shant|im|\w+nt)\b"


def normalise(text: str) -> str:
    """Fold case and accents and expand contractions (``"Can't"`` -> ``"cannot"``)."""
    out = fold(text).replace("-", " ").replace("/", " ")
    if re.search(_CONTRACTION_HINT, out):
        for pattern, repl in _CONTRACTIONS:
            out = re.sub(pattern, repl, out)
    return out.replace("'", "")


def _tokens(text: str) -> list[str]:
    return re.findall(_TOKENS, text)
