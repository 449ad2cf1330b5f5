"""One reading of the text serves the red-flag screen and the conditions it states.

``plan()`` reads the symptom text once (:func:`footreflex.safety.read_text`) and passes the
sentences to :func:`~footreflex.safety.triage` and
:func:`~footreflex.safety.detect_conditions`; given the reading, both must answer exactly as
when they read the text themselves, on every text of the corpora.
"""

from __future__ import annotations

import json
from pathlib import Path

from footreflex.safety import detect_conditions, read_text, triage

DATA = Path(__file__).parent / "data"
TEXTS = [json.loads(line)["text"] for path in sorted(DATA.glob("*.jsonl"))
         for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
STATED = ["back pain, I am pregnant (10 weeks)", "neck ache while on warfarin",
          "my sister is pregnant, my lower back hurts", "no diabetes. sore neck",
          "I was pregnant last year; sciatica now", "stiff neck. 20 weeks pregnant"]


def test_corpora_are_there() -> None:
    assert len(TEXTS) >= 1000


def test_the_shared_reading_gives_the_same_triage_and_conditions() -> None:
    for text in [*TEXTS, *STATED, ""]:
        reading = read_text(text)
        assert triage(text, sentences=reading) == triage(text), text
        assert detect_conditions(text, sentences=reading) == detect_conditions(text), text


def test_the_stated_conditions_are_found_through_the_shared_reading() -> None:
    found = {text: detect_conditions(text, sentences=read_text(text)) for text in STATED}
    assert found[STATED[0]] == ["pregnancy_first_trimester", "pregnancy"]
    assert found[STATED[1]] == ["bleeding"]
    assert found[STATED[2]] == found[STATED[3]] == found[STATED[4]] == []
    assert found[STATED[5]] == ["pregnancy"]
