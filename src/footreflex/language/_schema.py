"""The shape of ``data/language.toml``, validated once by the data loader (:mod:`footreflex._data`).

The normaliser reads the spellings, emoji and number units; the context reader (ConText)
reads the ``[context]`` triggers. Both load the file as ``load("language.toml",
LanguageFile)``, so it is parsed and validated once per process.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["ContextTriggers", "Directions", "LanguageFile"]

Terms = tuple[Annotated[str, Field(min_length=1)], ...]


class Directions(BaseModel):
    """One trigger kind's phrases: ``forward`` modify what follows, ``backward`` what precedes."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    forward: Terms = ()
    backward: Terms = ()


class ContextTriggers(BaseModel):
    """``[context]``: the ConText triggers and the words that shape clauses."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    first_person: Terms
    clause_openers: Terms
    clause_joins: Terms = Field(min_length=1)
    terminate: Terms
    pseudo: Terms
    lookalikes: Terms
    reporting: Terms = ()
    negated: Directions = Directions()
    other: Directions = Directions()
    past: Directions = Directions()
    resolved: Directions = Directions()
    hypothetical: Directions = Directions()


class LanguageFile(BaseModel):
    """``data/language.toml``."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    number_units: Terms
    spellings: dict[str, str]  # "" drops the word ("lol")
    emoji: dict[str, Annotated[str, Field(min_length=1)]]
    context: ContextTriggers
