from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import footreflex
from footreflex import FootMap, chart, plan
from footreflex.render._footmap import VIEWS, point_in_polygon

SVG = "{http://www.w3.org/2000/svg}"


def assert_markers_on_feet(drawing: FootMap) -> None:
    assert drawing.markers
    for m in drawing.markers:
        outline = drawing.outline(m.view, m.foot)
        assert point_in_polygon((m.x, m.y), outline), m


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


@pytest.mark.parametrize(("text", "minutes"), [("lower back", 20), ("neck", 15),
                                               ("sciatica", 20), ("upper back", 15),
                                               ("lower back and neck", 40)])
def test_routine_map_markers_lie_on_the_feet(text: str, minutes: float) -> None:
    drawing = plan(text, minutes=minutes).foot_map()
    assert_markers_on_feet(drawing)


def test_atlas_markers_lie_on_the_feet() -> None:
    drawing = chart()
    assert_markers_on_feet(drawing)
    assert drawing.views == VIEWS
    # every treatment target appears on both feet
    kb = footreflex.knowledge()
    labels = {m.label for m in drawing.markers}
    for target in kb.targets.values():
        if target.code:
            assert target.code in labels


@given(st.sampled_from(["lower back", "neck", "sciatica", "upper back", "shoulders and neck",
                        "lower back and sciatica"]),
       st.floats(min_value=4, max_value=60),
       st.sampled_from([[], ["wound:left"], ["gout:right"], ["pregnant"]]))
def test_every_marker_on_the_foot_for_any_routine(text: str, minutes: float,
                                                  conditions: list[str]) -> None:
    drawing = plan(text, minutes=minutes, conditions=conditions).foot_map()
    assert_markers_on_feet(drawing)


def test_views_are_only_those_needed_and_feet_follow_the_routine() -> None:
    neck = plan("neck", minutes=5).foot_map()
    assert "plantar" not in neck.views  # cervical line, BL60/GB40/BL65 are edge points
    one = plan("lower back", minutes=20, conditions=["wound:left"]).foot_map()
    assert one.feet == ("right",)
    assert {m.foot for m in one.markers} == {"right"}


def test_numbering_follows_steps_and_feet_are_mirrored() -> None:
    r = plan("lower back", minutes=20)
    drawing = r.foot_map()
    for step in r.steps:
        if step.kind == "point":
            found = [m for m in drawing.markers if m.label == str(step.index)]
            assert found and all(m.foot == step.foot for m in found)
            assert step.name in found[0].title
            assert f"{step.foot} foot" in found[0].title
    # LR3 on the right foot's top view is mirrored on the left foot's
    right = next(m for m in drawing.markers if m.view == "dorsal" and m.foot == "right")
    left = next(m for m in drawing.markers if m.view == "dorsal" and m.foot == "left")
    assert right.y == left.y and right.x != left.x


def test_colour_is_the_region_served_most_with_others_in_the_title() -> None:
    r = plan("sciatica and upper back", minutes=30)
    drawing = r.foot_map()
    bl60 = next(m for m in drawing.markers if "BL60" in m.title)
    assert bl60.colour == "#009E73"  # upper back 0.6 beats sciatica 0.5
    assert ("sciatica (a minor use)" in bl60.title
            and "upper back and shoulders (a listed use)" in bl60.title)


def test_svg_is_valid_deterministic_accessible_and_prefixed() -> None:
    r = plan("lower back", minutes=20)
    svg = r.foot_map().to_svg()
    assert svg == plan("lower back", minutes=20).foot_map().to_svg()
    root = parse(svg)
    ids = [el.get("id") for el in root.iter() if el.get("id")]
    assert len(ids) == len(set(ids))
    prefix = root.get("id")
    assert prefix and prefix.startswith("fr-")
    assert all(i is not None and i.startswith(prefix) for i in ids)
    assert root.find(f"{SVG}title") is not None and root.find(f"{SVG}desc") is not None
    markers = [g for g in root.iter(f"{SVG}g") if "mk" in (g.get("class") or "")]
    assert markers and all(g.find(f"{SVG}title") is not None for g in markers)
    for use in re.findall(r'url\(#([^)]+)\)', svg):
        assert use in ids
    other = plan("neck", minutes=15).foot_map().to_svg()
    assert parse(other).get("id") != prefix
    assert "big toes toward the middle" in svg and "approximate" in svg


def test_zones_wrap_the_surfaces_they_cover() -> None:
    drawing = chart()
    zone_views = {(m.view, m.title.split()[0]) for m in drawing.markers if m.zone}
    heel_label = next(m.label for m in drawing.markers if "Heel area" in m.title)
    sciatic = next(m.label for m in drawing.markers if "Sciatic nerve band" in m.title)
    shoulder = next(m.label for m in drawing.markers if m.title.split(" ", 1)[1].startswith(
        "Shoulder zone"))
    for label, views in [(heel_label, {"plantar", "medial", "lateral"}),
                         (sciatic, {"plantar", "medial"}),  # an L: heel pad + inner ankle
                         (shoulder, {"plantar", "lateral", "dorsal"})]:
        assert {v for v, lab in zone_views if lab == label} == views


def test_chart_for_one_region() -> None:
    neck = chart("stiff neck")
    titles = " ".join(m.title for m in neck.markers)
    assert "Cervical spine line" in titles and "Heel area" not in titles
    assert chart("cervical").to_svg() == neck.to_svg()
    with pytest.raises(footreflex.UnknownSymptomError):
        chart("knee")


def test_save_and_notebook_display(tmp_path: Path) -> None:
    r = plan("neck", minutes=10)
    path = tmp_path / "map.svg"
    r.foot_map().save(path)
    assert path.read_text(encoding="utf-8").startswith("<svg")
    bundle = r.foot_map()._repr_mimebundle_()
    assert bundle["image/svg+xml"].startswith("<svg")
    html = r._repr_mimebundle_()["text/html"]
    assert "<svg" in html and "<table" in html and r.steps[1].name in html
    with pytest.raises(footreflex.FootreflexError):
        r.foot_map().save(tmp_path / "missing" / "x.svg")


def test_outlines_and_colours_are_data() -> None:
    from importlib import resources

    text = resources.files("footreflex").joinpath("data/footmap.toml").read_text("utf-8")
    assert "[outlines]" in text and "[colours]" in text
