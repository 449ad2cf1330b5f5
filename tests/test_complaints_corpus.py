"""The labelled complaint corpus (tests/data/complaints_corpus*.jsonl, docs/understanding.md)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

import footreflex
from footreflex import NotCoveredError, UnknownSymptomError

DATA = Path(__file__).parent / "data"
FILES = ("complaints_corpus.jsonl", "complaints_corpus_independent.jsonl")
CATEGORIES = {"everyday", "slang", "typo", "contraction_possessive", "compound", "clinical",
              "radiating", "coordinated", "exclusion", "movement", "laterality",
              "back_of_part", "emoji_format", "not_covered", "mixed"}
REGIONS = {"lumbar", "cervical", "sciatic", "upper_back"}


def _rows() -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for name in FILES:
        rows.extend(json.loads(line) for line in (DATA / name).read_text("utf-8").splitlines()
                    if line.strip())
    return rows


ROWS = _rows()


def _read(text: str) -> tuple[list[str] | str, dict[str, str]]:
    try:
        complaint = footreflex.understand(text)
    except NotCoveredError:
        return "not_covered", {}
    except UnknownSymptomError:
        return "unknown", {}
    return sorted(complaint.regions), dict(complaint.sides)


def _right(row: dict[str, Any]) -> bool:
    got, sides = _read(row["text"])
    return got == row["expect"] and ("sides" not in row or sides == row["sides"])


def test_corpus_is_well_formed() -> None:
    assert len(ROWS) >= 500
    independent = [r for r in ROWS if r["split"] == "independent"]
    assert len(independent) >= 0.3 * len(ROWS)
    labels: dict[tuple[str, str], Any] = {}
    for row in ROWS:  # a text may be in both splits (written twice), with the same label
        key = (row["split"], row["text"])
        assert key not in labels, row
        labels[key] = row["expect"]
        other = labels.get(("dev" if row["split"] == "independent" else "independent",
                            row["text"]))
        assert other is None or other == row["expect"], row
    for row in ROWS:
        assert row["split"] in ("dev", "independent")
        assert row["category"] in CATEGORIES, row
        expect = row["expect"]
        assert expect == "not_covered" or (expect == sorted(set(expect))
                                           and set(expect) <= REGIONS), row
        if "sides" in row:
            assert set(row["sides"]) <= set(expect), row
            assert set(row["sides"].values()) <= {"left", "right", "both"}


def test_at_least_97_percent_exact_sets() -> None:
    misses = [r["text"] for r in ROWS if not _right(r)]
    accuracy = 1 - len(misses) / len(ROWS)
    assert accuracy >= 0.97, misses


@pytest.mark.parametrize("split", ["dev", "independent"])
def test_each_split_at_least_95_percent(split: str) -> None:
    rows = [r for r in ROWS if r["split"] == split]
    misses = [r["text"] for r in rows if not _right(r)]
    assert 1 - len(misses) / len(rows) >= 0.95, misses


MUST = [r for r in ROWS if r.get("must")]


def test_must_pass_subset_is_substantial() -> None:
    assert len(MUST) >= 100
    assert {r["split"] for r in MUST} == {"dev", "independent"}


@pytest.mark.parametrize("row", MUST, ids=[r["text"][:40] for r in MUST])
def test_must_pass(row: dict[str, Any]) -> None:
    got, sides = _read(row["text"])
    assert got == row["expect"]
    if "sides" in row:
        assert sides == row["sides"]


def test_messages_have_no_internal_words() -> None:
    internal = ("lumbar", "upper_back", "cervical", "not_covered", "regions", "sciatic ")
    for row in ROWS:
        if row["expect"] != "not_covered":
            continue
        with pytest.raises(UnknownSymptomError) as info:
            footreflex.understand(row["text"])
        message = str(info.value)
        assert not any(word in message for word in internal), message


def _calls(text: str) -> int:
    """Python function calls made by understand(text): a count, not a timing."""
    count = 0

    def profile(frame: object, event: str, arg: object) -> None:
        nonlocal count
        if event in ("call", "c_call"):
            count += 1

    sys.setprofile(profile)
    try:
        footreflex.understand(text)
    finally:
        sys.setprofile(None)
    return count


def test_cost_is_linear_in_the_text() -> None:
    """Ten times the text costs about ten times the work (counted, so never flaky)."""
    sentence = "my lower back aches, not my neck, and a qwzx{} typo. "
    footreflex.understand("neck (warm-up: load the vocabulary once)")
    small = _calls("".join(sentence.format(i) for i in range(100)))
    large = _calls("".join(sentence.format(i) for i in range(100, 1100)))
    assert large < 12 * small  # linear: about 10x, never 100x


def test_one_long_run_on_sentence_is_linear() -> None:
    def text(n: int, offset: int) -> str:
        return "lower back " + " ".join(f"neck{'x' * (i % 5)}qz{i}"
                                        for i in range(offset, offset + n))

    footreflex.understand("neck (warm-up: load the vocabulary once)")
    small = _calls(text(300, 0))
    large = _calls(text(3000, 10_000))
    assert large < 12 * small
