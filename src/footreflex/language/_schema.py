"""The shape of ``data/language.toml``, checked once by the data loader (:mod:`footreflex._data`).

The normaliser reads the spellings, emoji and number units; the context reader (ConText)
reads the ``[context]`` triggers. Both load the file as ``load("language.toml", LANGUAGE)``,
so it is parsed and checked once per process.
"""

from __future__ import annotations

from footreflex._data import Shape, Term

__all__ = ["LANGUAGE"]

_DIRECTIONS: Shape = {"forward?": [Term], "backward?": [Term]}

LANGUAGE: Shape = {
    "number_units": [Term],
    "spellings": {str: str},  # "" drops the word ("lol")
    "emoji": {str: Term},
    "context": {
        "first_person": [Term],
        "clause_joins": [Term],
        "clause_openers": [Term],
        "terminate": [Term],
        "pseudo": [Term],
        "lookalikes": [Term],
        "reporting?": [Term],
        "negated?": _DIRECTIONS,
        "other?": _DIRECTIONS,
        "past?": _DIRECTIONS,
        "resolved?": _DIRECTIONS,
        "hypothetical?": _DIRECTIONS,
    },
}
"""``data/language.toml`` (see :func:`footreflex._data.check`)."""
