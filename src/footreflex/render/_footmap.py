"""Draw routines and the atlas of targets on pictures of the feet (SVG).

Conventions (stated on every drawing): the left foot is on the left and the right foot on the
right; soles are drawn as footprints (the sole as if seen from above, through the foot, which
is how reflexology charts draw them) and tops from above, big toes toward the middle; side
views show the toes pointing outward. Acupoints are numbered markers; zones are shaded areas
on every surface they cover, coloured by the region they serve most (Okabe-Ito
colour-blind-safe palette). Outlines, landmarks and colours are package data
(``footreflex/data/footmap.toml``); target positions come from the knowledge base. Everything
is approximate.

SVG ids are derived from a hash of the drawn content and prefixed (``fr-<hash>-...``), so the
same routine always gives the same SVG and two different maps on one page never clash.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from footreflex._data import Shape, Term, check, load
from footreflex._text import (
    WATCH_FOR_HEADING,
    duration,
    escape,
    foot_phrase,
    region_list,
    region_name,
    relevance_words,
)
from footreflex.errors import InvalidArgumentError, KnowledgeBaseError
from footreflex.render._plain import names_of

if TYPE_CHECKING:
    from footreflex._knowledge import KnowledgeBase
    from footreflex._models import Routine, Target



__all__ = ["FootMap", "Marker", "chart", "routine_map"]

VIEWS = ("plantar", "dorsal", "medial", "lateral")
SOLE_W, SOLE_H = 150.0, 390.0  # px for across_abs 1.0 and along 1.0
SIDE_W, SIDE_H = 300.0, 120.0  # px for along 1.0 and height 1.0
LEG_TOP = 1.6  # side views show the leg up to this height
MARGIN, GAP, LABEL_H = 24.0, 36.0, 26.0
MARKER_R = 9.5
Point = tuple[float, float]


_OUTLINE: Shape = [[float]]
_FOOTMAP: Shape = {
    "version": int,
    "outlines": {"plantar": _OUTLINE, "medial": _OUTLINE, "lateral": _OUTLINE},
    "landmarks?": {str: {"ankle_bone": {"centre": [float], "radii": [float]}}},
    "labels": {view: Term for view in VIEWS},
    "colours": {str: Term},
}
"""The shape of footmap.toml (checked by :func:`footreflex._data.check`)."""


def _build_footmap(raw: Mapping[str, Any], origin: str) -> dict[str, Any]:
    check(raw, _FOOTMAP, origin)
    for key in ("other", "general"):
        if key not in raw["colours"]:
            raise KnowledgeBaseError(origin, f"colours.{key}", "missing")
    return dict(raw)


def _data() -> dict[str, Any]:
    return load("footmap.toml", _build_footmap)


def _side(view: str) -> bool:
    return view in ("medial", "lateral")


def _cell_size(view: str) -> Point:
    return (SIDE_W, SIDE_H * LEG_TOP) if _side(view) else (SOLE_W, SOLE_H)


def _raw_outline(view: str) -> list[Point]:
    key = "plantar" if view == "dorsal" else view
    return [(float(x), float(y)) for x, y in _data()["outlines"][key]]


def _edges(along: float) -> Point:
    """Medial and lateral ``across_abs`` of the sole outline at ``along``."""
    xs: list[float] = []
    poly = _raw_outline("plantar")
    for (x1, y1), (x2, y2) in zip(poly, poly[1:] + poly[:1], strict=True):
        if (y1 <= along < y2) or (y2 <= along < y1):
            xs.append(x1 + (along - y1) * (x2 - x1) / (y2 - y1))
    return (min(xs), max(xs)) if xs else (0.5, 0.5)


def _clamp(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


def point_in_polygon(point: Point, polygon: Sequence[Point]) -> bool:
    """Ray-casting test: is ``point`` inside ``polygon``?"""
    x, y = point
    inside = False
    for (x1, y1), (x2, y2) in zip(polygon, [*polygon[1:], polygon[0]], strict=True):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


@dataclass(frozen=True)
class Marker:
    """One drawn marker (an acupoint, or the label of a zone area) in SVG coordinates.

    Attributes:
        view: ``plantar``, ``dorsal``, ``medial`` or ``lateral``.
        foot: ``left`` or ``right``.
        x: Horizontal position in px.
        y: Vertical position in px.
        label: The text in the marker (a step number, or a target code in the atlas).
        title: Accessible title: step, name, foot, time, regions.
        colour: Fill colour.
        zone: Whether it labels a zone area rather than an acupoint.
    """

    view: str
    foot: str
    x: float
    y: float
    label: str
    title: str
    colour: str
    zone: bool = False


@dataclass(frozen=True)
class _Shape:
    view: str
    foot: str
    points: tuple[Point, ...]
    colour: str
    title: str


@dataclass(frozen=True)
class _Item:
    """Something to draw: a target on one foot, with its label and colour."""

    target: Target
    foot: str
    label: str
    title: str
    colour: str


@dataclass
class _Layout:
    views: tuple[str, ...]
    feet: tuple[str, ...]
    origins: dict[tuple[str, str], Point] = field(default_factory=dict)
    width: float = 0.0
    height: float = 0.0

    def __post_init__(self) -> None:
        y = MARGIN + LABEL_H  # room for the foot labels
        columns = len(self.feet)
        half = SIDE_W + GAP
        self.width = MARGIN * 2 + columns * SIDE_W + (columns - 1) * GAP
        for view in self.views:
            w, h = _cell_size(view)
            y += LABEL_H
            for i, foot in enumerate(self.feet):
                col_x = MARGIN + i * half
                if _side(view):
                    x = col_x
                elif columns == 2:  # big toes toward the middle
                    x = col_x + SIDE_W - w - 20 if foot == "left" else col_x + 20
                else:
                    x = col_x + (SIDE_W - w) / 2
                self.origins[(view, foot)] = (x, y)
            y += h + GAP / 2
        self.height = y

    def to_svg(self, view: str, foot: str, a: float, b: float) -> Point:
        """Map data coordinates (outline space) to SVG px for one cell."""
        ox, oy = self.origins[(view, foot)]
        w, _ = _cell_size(view)
        if _side(view):
            along, height = a, b
            u = along if foot == "right" else 1 - along
            return (round(ox + u * w, 2), round(oy + (LEG_TOP - height) * SIDE_H, 2))
        across_abs, along = a, b
        u = across_abs if foot == "right" else 1 - across_abs
        return (round(ox + u * w, 2), round(oy + (1 - along) * SOLE_H, 2))


def _target_point(target: Target, view: str) -> Point:
    """Outline-space coordinates of an acupoint (or a zone without areas) on a view."""
    pos = target.position
    if _side(view):
        return (_clamp(pos.along, 0.03, 0.97), pos.height)
    along = _clamp(pos.along, 0.03, 0.97)
    medial, lateral = _edges(along)
    return (medial + _clamp(pos.across, 0.1, 0.9) * (lateral - medial), along)


def _area_polygon(area_along: Point, other: Point, view: str) -> list[Point]:
    a0, a1 = area_along
    c0, c1 = other
    if _side(view):
        return [(a0, c0), (a1, c0), (a1, c1), (a0, c1)]
    steps = 10
    samples = [a0 + (a1 - a0) * i / steps for i in range(steps + 1)]
    left, right = [], []
    for along in samples:
        medial, lateral = _edges(_clamp(along, 0.002, 0.998))
        # extend past the edge a little so the clip path, not the sampling, draws the border
        span = lateral - medial
        left.append((medial + c0 * span - (0.05 if c0 <= 0 else 0), along))
        right.append((medial + c1 * span + (0.05 if c1 >= 1 else 0), along))
    return left + right[::-1]


def _smooth_path(points: Sequence[Point]) -> str:
    """Closed Catmull-Rom spline through ``points`` as an SVG path."""
    n = len(points)
    d = [f"M{points[0][0]:.2f},{points[0][1]:.2f}"]
    for i in range(n):
        p0, p1, p2, p3 = (points[(i + k) % n] for k in (-1, 0, 1, 2))
        c1 = (p1[0] + (p2[0] - p0[0]) / 6, p1[1] + (p2[1] - p0[1]) / 6)
        c2 = (p2[0] - (p3[0] - p1[0]) / 6, p2[1] - (p3[1] - p1[1]) / 6)
        d.append(f"C{c1[0]:.2f},{c1[1]:.2f} {c2[0]:.2f},{c2[1]:.2f} {p2[0]:.2f},{p2[1]:.2f}")
    return "".join(d) + "Z"


def _poly_path(points: Sequence[Point]) -> str:
    return "M" + "L".join(f"{x:.2f},{y:.2f}" for x, y in points) + "Z"


class FootMap:
    """A drawing of targets on the feet; render it with :meth:`to_svg`.

    Build one with :meth:`footreflex.Routine.foot_map` or :func:`footreflex.chart`. In a
    notebook it displays itself as SVG.

    Attributes:
        title: Title of the drawing.
        views: The views drawn, in order (only those its targets need).
        feet: The feet drawn, left first.
        markers: Every marker, in SVG coordinates (for tests and custom rendering).
        legend: Legend rows ``(label, text, colour)``.
        notes: Lines shown under the legend, under the heading "Watch for" (a routine's
            "stop and seek care if ..." lines; none on a chart).
    """

    def __init__(self, items: Sequence[_Item], feet: Sequence[str], title: str,
                 legend: Sequence[tuple[str, str, str]], key: str,
                 notes: Sequence[str] = ()) -> None:
        self.title = title
        self.legend = list(legend)
        self.notes = list(notes)
        self.feet = tuple(f for f in ("left", "right") if f in feet)
        if not self.feet:
            raise InvalidArgumentError("a foot map needs at least one foot")
        needed = {s for item in items for s in item.target.surfaces if s in VIEWS}
        self.views = tuple(v for v in VIEWS if v in needed) or ("plantar",)
        self._layout = _Layout(self.views, self.feet)
        self._prefix = "fr-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:10]
        self.markers: list[Marker] = []
        self._shapes: list[_Shape] = []
        for item in items:
            self._place(item)

    # ---------------------------------------------------------------- geometry
    def outline(self, view: str, foot: str) -> list[Point]:
        """The outline polygon of one cell in SVG px (the vertices of the drawn curve)."""
        return [self._layout.to_svg(view, foot, a, b) for a, b in _raw_outline(view)]

    def _place(self, item: _Item) -> None:
        target = item.target
        if item.foot not in self.feet:
            return
        areas = [a for a in target.areas if a.surface in self.views]
        if target.kind == "zone" and areas:
            for area in areas:
                other = area.height if _side(area.surface) else area.across
                assert other is not None
                poly = _area_polygon(area.along, other, area.surface)
                pts = tuple(self._layout.to_svg(area.surface, item.foot, a, b) for a, b in poly)
                self._shapes.append(_Shape(area.surface, item.foot, pts, item.colour,
                                           item.title))
                along = (area.along[0] + area.along[1]) / 2
                middle = (other[0] + other[1]) / 2
                if _side(area.surface):
                    x, y = self._layout.to_svg(area.surface, item.foot, along, middle)
                else:
                    medial, lateral = _edges(_clamp(along, 0.03, 0.97))
                    across_abs = medial + _clamp(middle, 0.1, 0.9) * (lateral - medial)
                    x, y = self._layout.to_svg(area.surface, item.foot, across_abs, along)
                self.markers.append(Marker(area.surface, item.foot, x, y, item.label,
                                           item.title, item.colour, zone=True))
            return
        for view in (s for s in target.surfaces if s in self.views):
            a, b = _target_point(target, view)
            x, y = self._layout.to_svg(view, item.foot, a, b)
            self.markers.append(Marker(view, item.foot, x, y, item.label, item.title,
                                       item.colour, zone=target.kind == "zone"))

    # ---------------------------------------------------------------- output
    def to_svg(self, *, legend: bool = True) -> str:
        """Return the drawing as a standalone SVG document (deterministic for its content).

        Args:
            legend: Draw the legend, the notes and the drawing convention under the feet.
                Pages that list the steps and notes beside the drawing (the printable card)
                leave it out.
        """
        p = self._prefix
        lay = self._layout
        legend_top = lay.height + 8
        width = lay.width
        notes = self._note_lines(width)
        convention = len(_wrap(CONVENTION, int((width - 2 * MARGIN) / 6.4)))
        legend_h = (22.0 * len(self.legend) + 16.0 * convention + 32
                    + (16.0 * len(notes) + 24 if notes else 0))
        height = legend_top + legend_h if legend else lay.height
        labels = _data()["labels"]
        out: list[str] = [
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" '
            f'width="{width:.0f}" height="{height:.0f}" role="img" '
            f'aria-labelledby="{p}-title {p}-desc" class="footreflex-map" id="{p}">',
            f'<title id="{p}-title">{escape(self.title)}</title>',
            f'<desc id="{p}-desc">{escape(CONVENTION)}</desc>',
            "<style>"
            f"#{p} text{{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;"
            "fill:#222}"
            f"#{p} .foot{{fill:#fbeee4;stroke:#8a6a55;stroke-width:1.6}}"
            f"#{p} .bone{{fill:none;stroke:#b89a86;stroke-width:1;stroke-dasharray:3 2}}"
            f"#{p} .zone{{fill-opacity:.42;stroke-opacity:.9;stroke-width:1}}"
            f"#{p} .mk text{{font-size:10.5px;font-weight:700;fill:#fff;"
            "text-anchor:middle;dominant-baseline:central}"
            f"#{p} .zl rect{{fill-opacity:.95}}"
            f"#{p} .vl{{font-size:12px;fill:#555}}"
            f"#{p} .fl{{font-size:14px;font-weight:700}}"
            f"#{p} .lg{{font-size:12px}}"
            f"#{p} .wf{{font-size:12px;fill:#a40e26}}"
            f"#{p} .wh{{font-size:13px;font-weight:700;fill:#a40e26}}"
            "</style>",
            "<defs>",
        ]
        for view in self.views:
            for foot in self.feet:
                path = _smooth_path(self.outline(view, foot))
                out.append(f'<clipPath id="{p}-clip-{view}-{foot}"><path d="{path}"/></clipPath>')
        out.append("</defs>")
        out.append(f'<rect width="{width:.0f}" height="{height:.0f}" fill="#fff"/>')
        for i, foot in enumerate(self.feet):
            x = MARGIN + i * (SIDE_W + GAP) + SIDE_W / 2
            out.append(f'<text class="fl" x="{x:.1f}" y="{MARGIN + 8:.1f}" '
                       f'text-anchor="middle">{foot.capitalize()} foot</text>')
        for view in self.views:
            for foot in self.feet:
                out.extend(self._cell_svg(view, foot, labels[view]))
        if legend:
            out.extend(self._legend_svg(legend_top, width, notes))
        out.append("</svg>")
        return "\n".join(out) + "\n"

    def _cell_svg(self, view: str, foot: str, label: str) -> list[str]:
        p = self._prefix
        lay = self._layout
        ox, oy = lay.origins[(view, foot)]
        w, _ = _cell_size(view)
        out = [f'<g id="{p}-{view}-{foot}" class="view {view} {foot}">']
        out.append(f'<text class="vl" x="{ox + w / 2:.1f}" y="{oy - 8:.1f}" '
                   f'text-anchor="middle">{escape(label)}</text>')
        out.append(f'<path class="foot" d="{_smooth_path(self.outline(view, foot))}"/>')
        landmark = _data().get("landmarks", {}).get(view, {}).get("ankle_bone")
        if landmark:
            (ca, ch), (ra, rh) = landmark["centre"], landmark["radii"]
            cx, cy = lay.to_svg(view, foot, ca, ch)
            out.append(f'<ellipse class="bone" cx="{cx:.1f}" cy="{cy:.1f}" '
                       f'rx="{ra * SIDE_W:.1f}" ry="{rh * SIDE_H:.1f}">'
                       "<title>ankle bone</title></ellipse>")
        shapes = [s for s in self._shapes if s.view == view and s.foot == foot]
        if shapes:
            out.append(f'<g clip-path="url(#{p}-clip-{view}-{foot})">')
            for shape in shapes:
                out.append(f'<path class="zone" d="{_poly_path(shape.points)}" '
                           f'fill="{shape.colour}" stroke="{shape.colour}">'
                           f"<title>{escape(shape.title)}</title></path>")
            out.append("</g>")
        for m in (m for m in self.markers if m.view == view and m.foot == foot):
            if m.zone:
                size = 8 + 6.5 * len(m.label)
                out.append(f'<g class="mk zl"><title>{escape(m.title)}</title>'
                           f'<rect x="{m.x - size / 2:.1f}" y="{m.y - 8:.1f}" '
                           f'width="{size:.1f}" height="16" rx="4" fill="{m.colour}" '
                           'stroke="#fff" stroke-width="1"/>'
                           f'<text x="{m.x:.1f}" y="{m.y:.1f}">{escape(m.label)}</text></g>')
            else:
                r = MARKER_R if len(m.label) <= 2 else MARKER_R + 4
                font = "" if len(m.label) <= 2 else ' style="font-size:8.5px"'
                out.append(f'<g class="mk pt"><title>{escape(m.title)}</title>'
                           f'<circle cx="{m.x:.1f}" cy="{m.y:.1f}" r="{r}" '
                           f'fill="{m.colour}" stroke="#fff" stroke-width="1.5"/>'
                           f'<text x="{m.x:.1f}" y="{m.y:.1f}"{font}>{escape(m.label)}</text>'
                           "</g>")
        out.append("</g>")
        return out

    def _note_lines(self, width: float) -> list[tuple[str, bool]]:
        """The notes wrapped to the drawing's width: ``(text, first line of a note)``."""
        columns = int((width - 2 * MARGIN - 14) / 6.6)
        return [(line, k == 0) for note in self.notes
                for k, line in enumerate(_wrap(note, columns))]

    def _legend_svg(self, top: float, width: float,
                    notes: Sequence[tuple[str, bool]] = ()) -> list[str]:
        out = [f'<g class="legend" transform="translate({MARGIN:.0f},{top:.0f})">']
        y = 0.0
        for label, text, colour in self.legend:
            out.append(f'<rect x="0" y="{y:.0f}" width="34" height="16" rx="4" '
                       f'fill="{colour}"/>')
            out.append(f'<text x="17" y="{y + 12:.0f}" text-anchor="middle" '
                       f'style="fill:#fff;font-size:10px;font-weight:700">'
                       f"{escape(label)}</text>")
            out.append(f'<text class="lg" x="42" y="{y + 12:.0f}">{escape(text)}</text>')
            y += 22
        if notes:
            y += 8
            out.append(f'<g class="watch-for"><text class="wh" x="0" y="{y + 12:.0f}">'
                       f"{escape(WATCH_FOR_HEADING)}</text>")
            y += 16
            for line, first in notes:
                y += 16
                bullet = "\u2022 " if first else ""
                out.append(f'<text class="wf" x="{0 if first else 9}" y="{y:.0f}">'
                           f"{escape(bullet + line)}</text>")
            out.append("</g>")
            y += 6
        for line in _wrap(CONVENTION, int((width - 2 * MARGIN) / 6.4)):
            y += 16
            out.append(f'<text class="vl" x="0" y="{y:.0f}">{escape(line)}</text>')
        out.append("</g>")
        return out

    def save(self, path: str | Path) -> None:
        """Write the SVG to ``path`` (UTF-8).

        Args:
            path: File to write.

        Raises:
            FileWriteError: The file cannot be written.
        """
        from footreflex._files import write_file

        write_file(path, self.to_svg())

    def _repr_svg_(self) -> str:
        return self.to_svg()

    def _repr_mimebundle_(self, include: object = None, exclude: object = None
                          ) -> dict[str, str]:
        return {"image/svg+xml": self.to_svg(), "text/plain": repr(self)}

    def __repr__(self) -> str:
        return (f"FootMap({self.title!r}, views={list(self.views)}, feet={list(self.feet)}, "
                f"markers={len(self.markers)})")


CONVENTION = ("Left foot on the left, right foot on the right. Soles drawn as footprints (as "
              "if seen from above through the foot, like reflexology charts) and tops from "
              "above, big toes toward the middle; side views with the toes pointing outward. "
              "Positions are approximate; zones are practitioner conventions.")


def _wrap(text: str, width: int) -> list[str]:
    lines: list[str] = []
    line = ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return [*lines, line] if line else lines


def _colours() -> dict[str, str]:
    return {k: str(v) for k, v in _data()["colours"].items()}


def _strongest(target: Target, regions: Sequence[str]) -> str | None:
    edges = [e for e in target.serves if e.region in regions] or list(target.serves)
    if not edges:
        return None
    return max(edges, key=lambda e: (e.relevance, -list(regions).index(e.region)
                                     if e.region in regions else 0)).region


def _serves_text(target: Target, regions: Sequence[str], names: Mapping[str, str]) -> str:
    parts = [f"{region_name(e.region, names)} ({relevance_words(e.relevance)})"
             for e in sorted(target.serves, key=lambda e: -e.relevance)
             if not regions or e.region in regions]
    return ", ".join(parts)



def routine_map(routine: Routine, knowledge: KnowledgeBase | None = None) -> FootMap:
    """Draw a routine: its steps on the feet it uses, numbered in step order.

    Args:
        routine: The routine.
        knowledge: Knowledge base it was planned from (default: the shipped one).

    Returns:
        The :class:`FootMap`.

    Raises:
        InvalidArgumentError: A step's target is not in the knowledge base.
    """
    from footreflex._knowledge import knowledge_or_shipped

    kb = knowledge_or_shipped(knowledge)
    colours = _colours()
    items: list[_Item] = []
    legend: list[tuple[str, str, str]] = []
    feet: set[str] = set()
    for step in routine.steps:
        if step.target_id not in kb.targets:
            raise InvalidArgumentError(f"step {step.index}: target {step.target_id!r} is not in "
                                  "this knowledge base")
        target = kb.targets[step.target_id]
        foot_text = foot_phrase(step.foot)
        if step.foot == "both":
            feet.update(("left", "right"))
        else:
            feet.add(step.foot)
        region = _strongest(target, routine.regions)
        colour = colours.get(region or "", colours["other"]) if target.kind != "general" \
            else colours["general"]
        code = f"{target.code} " if target.code else ""
        legend.append((str(step.index), f"{code}{target.name} - {foot_text}, "
                       f"{duration(step.duration_s)}", colour))
        if target.kind == "general":
            continue
        serves = _serves_text(target, routine.regions, names_of(routine))
        title = (f"Step {step.index}: {code}{target.name}, {foot_text}, "
                 f"{duration(step.duration_s)}; serves {serves}")
        items.append(_Item(target, step.foot, str(step.index), title, colour))
    names = region_list(routine.regions, names_of(routine))
    title = f"Foot map: {names}, {duration(routine.total_seconds)}"
    key = routine.model_dump_json()
    return FootMap(items, sorted(feet) or ["left", "right"], title, legend, key,
                   notes=routine.watch_for)


def chart(region: str | None = None, *, knowledge: KnowledgeBase | None = None) -> FootMap:
    """Draw the atlas: every target of the knowledge base, or one region's, on both feet.

    Args:
        region: A region id (``"lumbar"``) or any symptom text (``"stiff neck"``); ``None``
            for every target.
        knowledge: Knowledge base (default: the shipped one).

    Returns:
        The :class:`FootMap`; markers are labelled with acupoint codes or zone numbers.

    Raises:
        UnknownSymptomError: ``region`` names no region.
    """
    from footreflex._knowledge import knowledge_or_shipped
    from footreflex._symptoms import resolve_text

    kb = knowledge_or_shipped(knowledge)
    if region is None:
        regions: list[str] = []
    elif isinstance(region, str) and region in kb.regions:
        regions = [region]
    else:
        regions = resolve_text(region, kb).regions
    colours = _colours()
    kb_names = {r.id: r.name for r in kb.regions.values()}
    targets = [t for t in kb.targets.values() if t.kind != "general"
               and (not regions or any(t.relevance(r) > 0 for r in regions))]
    items: list[_Item] = []
    legend: list[tuple[str, str, str]] = []
    zone_number = 0
    for target in targets:
        strongest = _strongest(target, regions or list(kb.regions))
        colour = colours.get(strongest or "", colours["other"])
        if target.code:
            label = target.code
        else:
            zone_number += 1
            label = f"Z{zone_number}"
        serves = _serves_text(target, regions, kb_names)
        legend.append((label, f"{target.name}: {serves}", colour))
        title = f"{label} {target.name}: {serves}. {target.location}"
        for foot in ("left", "right"):
            items.append(_Item(target, foot, label, title, colour))
    names = region_list(regions, kb_names) or "all regions"
    key = json.dumps({"chart": regions, "kb": kb.name, "version": kb.version,
                      "targets": [t.id for t in targets]}, sort_keys=True)
    return FootMap(items, ["left", "right"], f"Foot chart: {names}", legend, key)
