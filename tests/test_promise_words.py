"""No promise words in what people read (issue 12).

The package data, the CLI's messages, the docs and the notebooks are scanned for cure, heal,
relieve, fix, treat, proven, guarantee, eliminate and their forms. A sentence with one passes
only when a negation comes before the word in the same sentence ("not a treatment", "no promise
of relief"), when it is a red-flag message about treatment by a clinician ("needs treatment at
once", "See a clinician: ... checked and treated"), or when a reviewed entry of
``tests/data/promise_allowlist.toml`` (file, phrase, reason) covers it.
"""

from __future__ import annotations

import ast
import json
import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
PROMISE = re.compile(
    r"\b(cur(?:e|es|ed|ing)|heal(?:s|ed|ing)?|reliev(?:e|es|ed|ing)|relief|"
    r"fix(?:es|ed|ing)?|treat(?:s|ed|ing|ment|ments)?|prov(?:en|es|ed|e)|"
    r"guarantee(?:s|d)?|eliminat(?:e|es|ed|ing|ion))\b", re.IGNORECASE)
NEGATION = re.compile(r"\b(no|not|never|nor|without|cannot|none|n't)\b|n't\b", re.IGNORECASE)
CLINICIAN = re.compile(r"clinician|doctor|midwife|needs treatment|medical|emergency",
                       re.IGNORECASE)
SENTENCE = re.compile(r"(?<=[.!?])\s+|\n\s*\n")

ALLOW = tomllib.loads((ROOT / "tests/data/promise_allowlist.toml").read_text("utf-8"))["allow"]


def _texts() -> dict[str, str]:
    """Every file scanned, as the text people read (notebook cells, CLI string literals)."""
    out: dict[str, str] = {}
    for path in sorted((ROOT / "src/footreflex/data").glob("*.toml")):
        out[str(path.relative_to(ROOT))] = path.read_text("utf-8")
    for path in sorted((ROOT / "docs").glob("*.md")):
        out[str(path.relative_to(ROOT))] = path.read_text("utf-8")
    for path in sorted((ROOT / "examples").glob("*.ipynb")):
        raw = path.read_text("utf-8")
        cells = json.loads(raw)["cells"]
        out[str(path.relative_to(ROOT))] = "\n\n".join("".join(c["source"]) for c in cells)
        out[str(path.relative_to(ROOT)) + "#raw"] = raw
    for cli in sorted((ROOT / "src/footreflex/cli").glob("*.py")):
        tree = ast.parse(cli.read_text("utf-8"))
        strings = [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant)
                   and isinstance(n.value, str)]
        out[str(cli.relative_to(ROOT))] = "\n\n".join(strings)
    return out


def _sentences(text: str, per_line: bool) -> list[str]:
    """Sentences: data files line by line; prose paragraphs joined, then split at . ! ?"""
    out: list[str] = []
    for block in re.split(r"\n\s*\n", text):
        lines = [line for line in block.split("\n") if line.strip()]
        listy = any(line.lstrip().startswith(("|", "- ", "* ", "#", "```")) for line in lines)
        parts = lines if per_line or listy else [" ".join(" ".join(lines).split())]
        for part in parts:
            out.extend(p for p in SENTENCE.split(part) if p.strip())
    return out


def _allowed(file: str, sentence: str, word_at: int) -> bool:
    if NEGATION.search(sentence[:word_at]):
        return True
    word = sentence[word_at:].lower()
    if word.startswith("treat") and CLINICIAN.search(sentence):
        return True
    return any(entry["file"] == file.removesuffix("#raw") and entry["phrase"] in sentence
               for entry in ALLOW)


def _offences() -> list[str]:
    found: list[str] = []
    for file, text in _texts().items():
        if file.endswith("#raw"):
            continue
        for sentence in _sentences(text, per_line=file.endswith((".toml", ".py"))):
            for match in PROMISE.finditer(sentence):
                if not _allowed(file, sentence, match.start()):
                    found.append(f"{file}: {match.group(0)!r} in {sentence.strip()[:160]!r}")
    return found


def test_no_promise_words_reach_people() -> None:
    assert _offences() == []


def test_the_scan_catches_a_promise() -> None:
    assert PROMISE.search("This point relieves back pain")
    assert not _allowed("docs/x.md", "This point relieves back pain", 11)
    assert _allowed("docs/x.md", "It does not promise relief", 20)
    red = "See a clinician: it needs treatment."
    assert _allowed("src/footreflex/data/redflags.toml", red, red.index("treatment"))
    assert not _allowed("docs/x.md", "It is proven to heal", 6)
    assert not _allowed("docs/x.md", "Pressing it will heal you", 17)


@pytest.mark.parametrize("entry", ALLOW, ids=lambda e: f"{e['file']}:{e['phrase']}")
def test_every_allowlist_entry_is_reviewed_and_still_needed(entry: dict[str, str]) -> None:
    assert len(entry["reason"]) > 20
    texts = _texts()
    text = texts.get(entry["file"] + "#raw", texts.get(entry["file"], ""))
    assert entry["phrase"] in text, "a stale entry: remove it"
