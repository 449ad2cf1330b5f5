from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import footreflex
from footreflex import Cue, TimelineError, plan
from footreflex.cli._guide import GuideSession
from tests import goldens

GOLDEN = Path(__file__).parent / "golden"


def kinds(cues: list[Cue]) -> list[str]:
    return [c.kind for c in cues]


def test_cue_sequence_for_the_seed_routine() -> None:
    r = plan("lower back", minutes=20)
    cues = list(r.cues())
    assert cues[0].kind == "session_start" and cues[0].at_s == 0
    assert cues[-1].kind == "session_end" and cues[-1].at_s == r.total_seconds
    assert [c.at_s for c in cues] == sorted(c.at_s for c in cues)
    starts = [c for c in cues if c.kind == "step_start"]
    assert [c.step_index for c in starts] == [s.index for s in r.steps]
    ends = [c for c in cues if c.kind == "step_end"]
    assert [c.at_s for c in ends] == [s.end_s for s in r.steps]
    switch = [c for c in cues if c.kind == "switch_foot"]
    assert len(switch) == 1 and "left foot" in switch[0].text
    first_left = next(s for s in r.steps if s.foot == "left")
    assert switch[0].at_s == first_left.start_s
    i = cues.index(switch[0])
    assert cues[i - 1].kind == "step_end" and cues[i + 1].kind == "step_start"
    bl60 = next(c for c in starts if "Kunlun" in c.text)
    assert "right foot" in bl60.text and "2 min" in bl60.text
    assert "Where: Back of the outer ankle" in bl60.text and "circles" in bl60.text


def test_halfway_and_one_minute_rules() -> None:
    r = plan("sciatica", minutes=40)
    for step in r.steps:
        mine = [c for c in r.cues() if c.step_index == step.index]
        has_half = "halfway" in kinds(mine)
        has_minute = "one_minute_left" in kinds(mine)
        assert has_minute == (step.duration_s >= 150)
        if step.duration_s < 120:
            assert not has_half
        if has_minute:
            minute = next(c for c in mine if c.kind == "one_minute_left")
            assert minute.at_s == step.end_s - 60
        if has_half:
            half = next(c for c in mine if c.kind == "halfway")
            assert half.at_s == step.start_s + step.duration_s // 2


def test_golden_cues() -> None:
    r = plan("lower back", minutes=20)
    cues = list(r.cues())
    goldens.check("lower_back_20_cues.structure.json", goldens.cue_structure(cues))
    goldens.check("lower_back_20_cues.text.json", goldens.cue_text(cues))
    actual = json.dumps([c.model_dump(mode="json") for c in cues])
    assert [Cue.model_validate(d) for d in json.loads(actual)] == cues


def test_resume_helpers() -> None:
    r = plan("neck", minutes=15)
    assert r.step_at(0) == r.steps[0]
    assert r.step_at(r.steps[1].start_s) == r.steps[1]
    assert r.step_at(r.steps[1].start_s - 0.5) == r.steps[0]
    assert r.step_at(r.total_seconds) is None
    assert r.remaining(0) == r.total_seconds
    assert r.remaining(10.2) == r.total_seconds - 10
    assert r.remaining(10**9) == 0
    later = list(r.cues(from_s=300))
    assert later and all(c.at_s >= 300 for c in later)
    assert later == [c for c in r.cues() if c.at_s >= 300]


@pytest.mark.parametrize("bad", [-1, math.nan, math.inf, None, "10", True])
def test_bad_times(bad: Any) -> None:
    r = plan("neck", minutes=5)
    with pytest.raises(TimelineError):
        r.step_at(bad)
    with pytest.raises(TimelineError):
        r.remaining(bad)
    with pytest.raises(TimelineError):
        list(r.cues(from_s=bad))
    assert issubclass(TimelineError, footreflex.FootreflexError)


@given(st.sampled_from(["lower back", "neck and shoulders", "sciatica"]),
       st.floats(min_value=3, max_value=45), st.floats(min_value=0, max_value=3000))
def test_timeline_properties(text: str, minutes: float, at: float) -> None:
    r = plan(text, minutes=minutes)
    cues = list(r.cues())
    assert len([c for c in cues if c.kind == "step_start"]) == len(r.steps)
    assert all(0 <= c.at_s <= r.total_seconds for c in cues)
    step = r.step_at(at)
    if at < r.total_seconds:
        assert step is not None and step.start_s <= at < step.end_s
    else:
        assert step is None
    assert 0 <= r.remaining(at) <= r.total_seconds


def test_guide_session_logic() -> None:
    r = plan("neck", minutes=5)
    session = GuideSession(r)
    assert kinds(session.advance(0)) == ["session_start", "step_start"]
    session.toggle_pause()
    assert session.advance(1000) == [] and session.t == 0
    session.toggle_pause()
    due = session.advance(60)
    assert "halfway" in kinds(due)
    assert session.current == r.steps[0]
    due = session.skip()
    assert kinds(due)[:2] == ["step_end", "step_start"]
    assert session.current == r.steps[1]
    due = session.advance(10**6)
    assert due[-1].kind == "session_end" and session.finished
    summary = session.summary()
    assert summary.completed and summary.skipped == [1]
    assert summary.done == [s.index for s in r.steps[1:]]
    assert summary.elapsed_s == r.total_seconds - (r.steps[0].duration_s - 60)
    assert "Session complete" in summary.lines(len(r.steps))[0]
