"""The red-flag screen on the labelled corpus (tests/data/triage_corpus*.jsonl).

Each line: ``text``, ``expect`` (the minimum level: ``emergency``, ``see_clinician``, or
``self_care`` for ordinary complaints), ``category``, ``source`` and ``split`` (``dev``, used to
develop the rules; ``independent``, written by an author who never saw them). The figures per
category are printed by ``benchmarks/triage_eval.py``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from footreflex import triage

DATA = Path(__file__).parent / "data"
FILES = sorted(DATA.glob("triage_corpus*.jsonl"))
ROWS = [json.loads(line) for path in FILES
        for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
RED = [r for r in ROWS if r["expect"] != "self_care"]
GREEN = [r for r in ROWS if r["expect"] == "self_care"]
MAX_FALSE_ALARMS = 0.03


def test_corpus_is_large_and_well_formed() -> None:
    assert len(ROWS) >= 800
    assert len(RED) >= 500 and len(GREEN) >= 300
    independent = [r for r in ROWS if r["split"] == "independent"]
    assert len(independent) >= 0.3 * len(ROWS)
    texts = [r["text"].strip().lower() for r in ROWS]
    assert len(set(texts)) == len(texts), "duplicate phrasings"
    for row in ROWS:
        assert row["expect"] in ("emergency", "see_clinician", "self_care"), row
        assert row["category"] and row["source"], row


@pytest.mark.parametrize("row", RED, ids=lambda r: r["text"][:40])
def test_no_red_phrasing_gets_self_care(row: dict[str, str]) -> None:
    result = triage(row["text"])
    assert result.level != "self_care", row
    if row["expect"] == "emergency":
        assert result.level == "emergency", (row, [f.rule_id for f in result.findings])


def test_green_false_alarms_are_rare() -> None:
    alarms = [r["text"] for r in GREEN if triage(r["text"]).level != "self_care"]
    assert len(alarms) <= MAX_FALSE_ALARMS * len(GREEN), alarms
