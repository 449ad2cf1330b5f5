"""The text layer every reader of people's words shares.

One pipeline, used by the red-flag screen (:mod:`footreflex.safety`) and by the symptom
reader (:func:`footreflex.understand`):

1. :mod:`~footreflex.language._normalise` — Unicode NFKC, zero-width and soft-hyphen
   characters removed, curly quotes straightened, case and accents folded, contractions and
   possessives (with or without the apostrophe) and chat spellings expanded, emoji that name
   a body part or a feeling read as words; then split into sentences and tokens.
2. :mod:`~footreflex.language._words` — each token's stem (Snowball English stemmer), words
   run together split when both halves are vocabulary ("lowerback"), and typo correction
   (Damerau-Levenshtein via ``rapidfuzz``) only for tokens that are not ordinary English words
   (``pyspellchecker``'s English frequency list decides) and only towards vocabulary words of
   five letters or more: "towel" never becomes "bowel", nor "bum" "numb". Corrections are
   memoised per word, so the cost stays linear in the text.
3. :mod:`~footreflex.language._concepts` — concepts are vocabularies in the data
   (``data/concepts.toml``); each term is stemmed once, indexed by its first stem, and found in
   one pass over the tokens.
4. :mod:`~footreflex.language._context` — the ConText/NegEx algorithm, with its triggers as
   data (``data/language.toml``): negation, other people, resolved past and hypotheticals,
   each with a direction and a scope ended by the sentence or a termination term; look-alike
   phrases ("chest press", "fell asleep", "Bladder 60") are masked first. A trigger never
   modifies a concept match that contains it, so negations that *are* the symptom ("can't
   feel", "no control") stay affirmed.

The heavy libraries are imported only when a token needs them.
"""

from footreflex.language._concepts import ConceptIndex, Match
from footreflex.language._context import Modifiers, Reading, read
from footreflex.language._normalise import Token, normalise, sentences
from footreflex.language._words import correct, is_ordinary_word, split_compound, stem

__all__ = [
    "ConceptIndex",
    "Match",
    "Modifiers",
    "Reading",
    "Token",
    "correct",
    "is_ordinary_word",
    "normalise",
    "read",
    "sentences",
    "split_compound",
    "stem",
]
