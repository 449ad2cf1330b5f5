"""Every surface shows what to stop and seek care for, and a step's cautions when it starts."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from html import escape

import pytest

from footreflex import Routine, chart, plan
from footreflex.cli._guide import GuideSession, start_lines

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def routine() -> Routine:
    r = plan("lower back and neck", minutes=20)
    assert r.watch_for and any(step.cautions for step in r.steps)
    return r


def test_json_round_trip_keeps_watch_for_and_cautions(routine: Routine) -> None:
    data = json.loads(routine.model_dump_json())
    assert data["watch_for"] == list(routine.watch_for)
    assert [s["cautions"] for s in data["steps"]] == [list(s.cautions) for s in routine.steps]
    assert Routine.model_validate(data) == routine


def test_text_and_markdown(routine: Routine) -> None:
    text = str(routine)
    assert "Watch for:" in text
    assert text.index("Watch for:") < text.index(" 1. [0:00]")
    for line in routine.watch_for:
        assert f"  - {line}" in text
    step = next(s for s in routine.steps if s.cautions)
    block = text[text.index(f"{step.index:>2}. ["):]
    assert f"Careful: {step.cautions[0]}" in block.split("\n", 3)[2]
    markdown = routine.to_markdown()
    assert "### Watch for" in markdown
    assert markdown.index("### Watch for") < markdown.index("| # |")
    for line in routine.watch_for:
        assert f"- {line}" in markdown
    assert f"**Careful:** {step.cautions[0]}" in markdown


def test_card(routine: Routine) -> None:
    page = routine.to_html()
    assert '<section class="watch"' in page and "<h2>Watch for</h2>" in page
    assert page.index('class="watch"') < page.index('class="map"')
    for line in routine.watch_for:
        assert f"<li>{escape(line)}</li>" in page
    step = next(s for s in routine.steps if s.cautions)
    assert f"Careful:</strong> {escape(step.cautions[0])}" in page


def test_foot_map_legend(routine: Routine) -> None:
    drawing = routine.foot_map()
    assert drawing.notes == list(routine.watch_for)
    svg = drawing.to_svg()
    root = ET.fromstring(svg)
    height = float(root.get("height", "0"))
    legend = root.find(f"{SVG}g[@class='legend']")
    assert legend is not None
    top = float(legend.get("transform", "").split(",")[1].rstrip(")"))
    group = legend.find(f"{SVG}g[@class='watch-for']")
    assert group is not None
    texts = [t.text or "" for t in group.iter(f"{SVG}text")]
    assert texts[0] == "Watch for"
    joined = " ".join(t.removeprefix("\u2022 ") for t in texts[1:])
    for line in routine.watch_for:
        assert line in joined
    ys = [float(t.get("y", "0")) for t in legend.iter(f"{SVG}text")]
    assert top + max(ys) < height  # everything inside the drawing
    chart_svg = chart("lumbar").to_svg()
    assert "watch-for" not in chart_svg


def test_cues_warn_first_and_at_each_cautious_step(routine: Routine) -> None:
    cues = list(routine.cues())
    first_step = next(i for i, c in enumerate(cues) if c.kind == "step_start")
    opening = [c for c in cues[:first_step] if c.kind == "warning"]
    assert [c.text for c in opening] == [*routine.warnings, *routine.watch_for]
    assert all(c.at_s == 0 and c.step_index is None for c in opening)
    for step in routine.steps:
        mine = [c for c in cues if c.kind == "warning" and c.step_index == step.index]
        assert [c.text for c in mine] == [f"Careful: {x}" for x in step.cautions]
        if mine:
            at = cues.index(mine[0])
            assert cues[at - 1].kind == "step_start" and cues[at - 1].step_index == step.index
            assert mine[0].at_s == step.start_s


def test_guide_start_screen(routine: Routine) -> None:
    lines = start_lines(routine)
    assert lines[0] == "Read first:" and "Watch for:" in lines
    assert lines[lines.index("Watch for:") + 1:] == [f"  - {w}" for w in routine.watch_for]
    session = GuideSession(routine)
    due = session.advance(0)
    assert [c.kind for c in due] == ["session_start", "step_start"]  # shown before, not again
    cautious = next(s for s in routine.steps if s.cautions)
    session.advance(cautious.start_s)
    assert session.current == cautious
