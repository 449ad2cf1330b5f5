"""The shared text layer: normalisation, word forms, typo policy, concepts and context."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from footreflex.language import (
    ConceptIndex,
    Modifiers,
    correct,
    normalise,
    read,
    sentences,
    stem,
)
from footreflex.language._words import Vocabulary

INDEX = ConceptIndex({
    "numb": ["numb*", "tingl*", "pins and needles", "can not ~ feel"],
    "saddle": ["groin", "bum", "saddle area", "bottom"],
    "bowel": ["bowel*", "bladder"],
    "legs": ["=legs"],
    "back": ["lower back", "back"],
})


def _words(text: str) -> list[str]:
    return [word for sentence in sentences(normalise(text)) for _, word in sentence]


def _context(text: str, concept: str) -> list[Modifiers]:
    out = []
    for sentence in read(text, INDEX).sentences:
        out += [c for m, c in zip(sentence.matches, sentence.context, strict=True)
                if m.concept == concept]
    return out


def test_normalise_folds_unicode_quotes_and_invisible_characters() -> None:
    text = "My\u200b BACK\u00ad\u2019s numb\u2026 Caf\u00e9"
    assert _words(text)[:3] == ["my", "back", "numb"]
    assert "cafe" in _words(text)


@pytest.mark.parametrize(("text", "expected"), [
    ("can't feel", ["can", "not", "feel"]),
    ("cant feel", ["can", "not", "feel"]),
    ("I'm numb", ["i", "am", "numb"]),
    ("neck's sore", ["neck", "sore"]),
    ("w/o pain", ["without", "pain"]),
])
def test_contractions_and_chat_spellings(text: str, expected: list[str]) -> None:
    assert _words(text) == expected


def test_typos_are_corrected_only_for_non_words_towards_long_vocabulary() -> None:
    vocab = Vocabulary(["bowel", "bladder", "numbness", "numb", "tingling"])
    assert vocab.read("numbnes") == ("numbness",)
    assert vocab.read("bladdr") == ("bladder",)
    assert vocab.read("towel") == ("towel",)  # an ordinary word is never "corrected"
    assert vocab.read("bum") == ("bum",)  # short words are never corrected
    assert correct("xq", vocab) in (None, "xq")


def test_words_run_together_are_split_when_both_halves_are_known() -> None:
    sentence = read("my lowerback hurts", INDEX).sentences[0]
    assert next(sentence.words(m) for m in sentence.matches if m.concept == "back") == (
        "lowerback")  # the person's own word, though it was read as "lower" + "back"
    assert [t.norm for t in sentence.tokens][1:3] == ["lower", "back"]


def test_exact_word_terms_keep_the_plural() -> None:
    assert _context("both legs are numb", "legs")
    assert not _context("my leg is numb", "legs")


def test_negation_has_a_scope_and_runs_through_lists() -> None:
    assert all(c.negated for c in _context("no numbness, tingling or pins and needles", "numb"))
    assert not any(c.negated for c in _context("no back pain but my bum is numb", "numb"))


def test_a_negation_that_is_the_symptom_stays_affirmed() -> None:
    (context,) = _context("I can't feel my groin", "numb")
    assert context.affirmed


def test_other_people_past_and_hypotheticals() -> None:
    assert _context("my mum has a numb bum", "numb")[0].other
    assert _context("my mum had it, and my bum is numb now", "numb")[-1].affirmed
    assert _context("what if my groin goes numb", "numb")[0].hypothetical
    assert _context("years ago my bum went numb", "numb")[0].past


def test_lookalikes_are_masked_but_visible() -> None:
    sentence = read("sore after chest press day", ConceptIndex({"chest": ["chest"]})).sentences[0]
    assert [m.concept for m in sentence.matches] == ["lookalike"]


@given(st.text(max_size=300))
def test_read_never_raises(text: str) -> None:
    read(text, INDEX)


def brute_force_correct(word: str, vocabulary: Vocabulary) -> str | None:
    """The corrector's definition, every candidate scored (what the index must reproduce)."""
    from rapidfuzz.distance import DamerauLevenshtein

    if len(word) < 4:
        return None
    limit = 1 if len(word) <= 6 else 2
    best: tuple[int, str] | None = None
    for length in range(len(word) - limit, len(word) + limit + 1):
        for target in vocabulary.candidates(length):
            if target[0] != word[0] and limit == 1:
                continue
            d = int(DamerauLevenshtein.distance(word, target, score_cutoff=limit))
            if d <= limit and (best is None or (d, target) < best):
                best = (d, target)
    return best[1] if best else None


VOCAB = Vocabulary(["shoulder", "shoulders", "sciatica", "lumbar", "thoracic", "buttock",
                    "spine", "cervical", "numbness", "tingling", "weakness", "bladder",
                    "bowel", "fever", "chest", "breath", "stiff", "blade", "blades"])


@given(st.sampled_from(sorted(VOCAB.words)), st.lists(st.tuples(
    st.integers(0, 3), st.integers(0, 20), st.sampled_from("abcdeilnorstuz")), max_size=3))
def test_indexed_correction_equals_brute_force(word: str,
                                               edits: list[tuple[int, int, str]]) -> None:
    letters = list(word)
    for op, at, letter in edits:
        i = at % max(len(letters), 1)
        if op == 0 and letters:
            letters[i] = letter
        elif op == 1 and len(letters) > 1:
            del letters[i]
        elif op == 2 and i + 1 < len(letters):
            letters[i], letters[i + 1] = letters[i + 1], letters[i]
        else:
            letters.insert(i, letter)
    typo = "".join(letters)
    assert correct(typo, VOCAB) == brute_force_correct(typo, VOCAB)


def test_an_index_read_from_the_data_cache_finds_what_a_compiled_one_finds(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import random
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from footreflex import _cache, _data
    from footreflex.language import _concepts

    vocabularies = {name: list(terms) for name, terms in
                    _data.raw("concepts.toml")["concepts"].items()}
    vocabularies["extra"] = ["l# disc", "=legs ~ numb", "c#", "# weeks", "tingl* ~ feet"]
    section: dict[str, object] = {}  # the indexes' section, starting empty
    real = _cache.section
    monkeypatch.setattr(_cache, "section",
                        lambda name: section if name == "indexes" else real(name))
    monkeypatch.setattr(_cache, "mark_dirty", lambda: None)
    written = ConceptIndex(vocabularies)  # compiles, and adds its cached form
    assert len(section) == 1
    (entry,) = section.values()
    assert isinstance(entry, dict) and entry["stems"] and entry["others"]
    cached = ConceptIndex(vocabularies)
    assert not cached._root.exact  # a first stem's child is made when a text has it
    assert not cached._root.prefix and cached._root.prefix_lengths  # a first prefix's too
    monkeypatch.setattr(_concepts, "MAX_CACHED_INDEXES", 0)
    compiled = ConceptIndex(vocabularies)
    assert cached.words == written.words == compiled.words
    terms = [term for terms in vocabularies.values() for term in terms]
    rng = random.Random(5)
    texts = [*terms, *(" ".join(rng.sample(terms, 3)) for _ in range(300)),
             "pins and needles in my l5 and c6, can't really feel my legs for 3 weeks"]
    tokens = []
    for text in texts:
        for sentence in sentences(normalise(text.replace("*", "ing").replace("#", "4"))):
            words = [w for _, w in sentence]
            stems = [w if w == "," else stem(w) for w in words]
            tokens.append((stems, words))
            assert cached.find(stems, words), text
            assert cached.find(stems, words) == compiled.find(stems, words), text
    expected = [compiled.find(stems, words) for stems, words in tokens]
    shared = ConceptIndex(vocabularies)  # read from the cache by eight threads at once
    barrier = threading.Barrier(8)

    def work(start: int) -> bool:
        barrier.wait()
        order = list(range(len(tokens)))
        random.Random(start).shuffle(order)
        return all(shared.find(*tokens[k]) == expected[k] for k in order)

    with ThreadPoolExecutor(8) as pool:
        assert all(pool.map(work, range(8)))
