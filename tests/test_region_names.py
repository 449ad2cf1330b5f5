"""Renderers name regions and targets from the routine's own knowledge base, not the shipped one."""

from __future__ import annotations

import copy
import tomllib
from importlib import resources
from typing import Any

import pytest

import footreflex
from footreflex import KnowledgeBase, Routine
from footreflex.render import ics

SHIPPED_NAME = "Lower back"
CUSTOM_NAME = "Lumbosacral Quarter"
CUSTOM_TARGET = "Zephyr Hollow"
TEXT = "lower back and stiff neck"


def _shipped_data() -> dict[str, Any]:
    raw = resources.files("footreflex").joinpath("data/knowledge.toml").read_bytes()
    return tomllib.loads(raw.decode("utf-8"))


@pytest.fixture(scope="module")
def custom() -> tuple[KnowledgeBase, str]:
    """A copy of the shipped data with the lower back and one routine target renamed."""
    data = copy.deepcopy(_shipped_data())
    (region,) = [r for r in data["regions"] if r["id"] == "lumbar"]
    assert region["name"] == SHIPPED_NAME
    region["name"] = CUSTOM_NAME
    shipped_routine = footreflex.plan(TEXT, minutes=20)
    target_id = next(s.target_id for s in shipped_routine.steps if s.kind == "point")
    (target,) = [t for t in data["targets"] if t["id"] == target_id]
    target["name"] = CUSTOM_TARGET
    return KnowledgeBase(data, "<custom>"), target_id


@pytest.fixture(scope="module")
def routine(custom: tuple[KnowledgeBase, str]) -> Routine:
    return footreflex.plan(TEXT, minutes=20, knowledge=custom[0])


def test_planner_fills_region_names_from_the_knowledge_base(routine: Routine) -> None:
    assert routine.region_names == {"lumbar": CUSTOM_NAME, "cervical": "Neck"}
    shipped = footreflex.plan(TEXT, minutes=20)
    assert shipped.region_names == {"lumbar": SHIPPED_NAME, "cervical": "Neck"}


def test_text_and_markdown_show_the_custom_name(routine: Routine) -> None:
    title = str(routine).splitlines()[0]
    assert CUSTOM_NAME.lower() in title
    assert SHIPPED_NAME.lower() not in title
    heading = routine.to_markdown().splitlines()[0]
    assert heading.startswith("## ") and CUSTOM_NAME.lower() in heading
    assert SHIPPED_NAME.lower() not in heading
    assert CUSTOM_TARGET in str(routine)


def test_html_card_and_foot_map_show_the_custom_name(
        routine: Routine, custom: tuple[KnowledgeBase, str]) -> None:
    kb = custom[0]
    page = routine.to_html(kb)
    h1 = page.split("<h1>", 1)[1].split("</h1>", 1)[0]
    assert CUSTOM_NAME.lower() in h1 and SHIPPED_NAME.lower() not in h1
    # the step table names the regions a step serves when there are several
    assert f"for {CUSTOM_NAME.lower()}" in page
    assert f"for {SHIPPED_NAME.lower()}" not in page
    picture = routine.foot_map(kb)
    assert CUSTOM_NAME.lower() in picture.title
    assert SHIPPED_NAME.lower() not in picture.to_svg()


def test_cues_and_calendar_show_the_custom_names(routine: Routine) -> None:
    texts = [cue.text for cue in routine.cues()]
    assert any(CUSTOM_TARGET in t for t in texts)
    calendar = ics(routine, "2026-12-01 19:00").decode("utf-8")
    unfolded = calendar.replace("\r\n ", "")
    summary = next(line for line in unfolded.splitlines() if line.startswith("SUMMARY"))
    assert CUSTOM_NAME.lower() in summary and SHIPPED_NAME.lower() not in summary
    assert CUSTOM_TARGET in unfolded


def test_names_survive_json(routine: Routine) -> None:
    again = Routine.model_validate_json(routine.model_dump_json())
    assert again.region_names == routine.region_names
    assert str(again) == str(routine)


def test_older_json_without_names_falls_back_to_the_shipped_names(routine: Routine) -> None:
    # Routine JSON saved before schema 2 has no region_names: the shipped knowledge base is
    # the only one it can have been planned with; an id it does not know reads in words.
    data = routine.model_dump()
    del data["region_names"]
    old = Routine.model_validate(data)
    title = str(old).splitlines()[0]
    assert SHIPPED_NAME.lower() in title and "lumbar" not in title
    data["regions"] = ["lumbar", "made_up_region"]
    odd = Routine.model_validate(data)
    assert "made up region" in str(odd).splitlines()[0]
