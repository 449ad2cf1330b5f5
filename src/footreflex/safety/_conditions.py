"""Declared conditions: parse them, and turn them into plan effects or a stop."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, get_args

from footreflex._models import Finding, Foot
from footreflex._text import close_matches
from footreflex.errors import SeekCareError, UnknownConditionError
from footreflex.safety._rules import CautionArea, _condition_key, rules
from footreflex.safety._triage import _result

if TYPE_CHECKING:
    from footreflex._models import Target

_FEET: tuple[str, ...] = get_args(Foot)

# ------------------------------------------------------------------------------ conditions
@dataclass(frozen=True)
class Declared:
    """A declared condition: its id and, for foot-level conditions, the foot.

    ``staged`` records that the name given states a stage (``"second trimester"``); it does
    not change what the condition is.
    """

    id: str
    foot: str | None = None
    staged: bool = field(default=False, compare=False)

    def __str__(self) -> str:
        return f"{self.id}:{self.foot}" if self.foot else self.id


def parse_conditions(conditions: Iterable[str] | str | None) -> list[Declared]:
    """Read declared conditions (``"pregnant"``, ``"blood thinners"``, ``"wound:left"``).

    Args:
        conditions: Condition names or synonyms, each optionally followed by ``:left``,
            ``:right`` or ``:both`` (foot-level conditions only; none named means both).

    Returns:
        Canonical conditions, without duplicates, in the order given.

    Raises:
        UnknownConditionError: A name is not in the vocabulary (with suggestions), a foot is
            not ``left``/``right``/``both``, or a foot is given for a whole-body condition.
    """
    if conditions is None:
        return []
    if isinstance(conditions, str):
        conditions = [conditions]
    if not isinstance(conditions, Iterable):
        raise UnknownConditionError(repr(conditions), message=(
            f"conditions must be a list of texts, not {type(conditions).__name__}"))
    data = rules()
    out: list[Declared] = []
    for raw in conditions:
        if not isinstance(raw, str):
            raise UnknownConditionError(repr(raw), message=(
                f"a condition must be text, not {type(raw).__name__}"))
        name, _, foot_text = raw.partition(":")
        key = _condition_key(name)
        cid = data.condition_names.get(key)
        if cid is None:
            raise UnknownConditionError(raw, close_matches(key, data.condition_names))
        cond = data.conditions[cid]
        foot: str | None = None
        if cond.effect == "foot":
            foot = _condition_key(foot_text) or "both"
            foot = data.foot_aliases.get(foot, foot)
            if foot not in _FEET:
                raise UnknownConditionError(raw, message=(
                    f"unknown foot {foot_text!r} in {raw!r}; use :left, :right or :both"))
        elif foot_text.strip():
            raise UnknownConditionError(raw, message=(
                f"{cond.name} is not a foot-level condition: give it without ':{foot_text}'"))
        staged = key in {_condition_key(p) for p in cond.stage_synonyms}
        item = Declared(cid, foot, staged)
        if item not in out:
            out.append(item)
        elif staged:
            out[out.index(item)] = item
    return out


@dataclass(frozen=True)
class Screen:
    """Effects of the declared conditions on a plan.

    Attributes:
        conditions: The canonical conditions.
        feet: Feet that may be massaged, right first.
        excluded: Target ids that must not appear.
        gentle: Light pressure only: gentle wording, no step past its default duration.
        warnings: Warnings to show before the steps.
        areas: Caution areas to keep away from: a target (other than the warm-up and
            cool-down) whose point or area lies in one is left out (:meth:`avoids`).
    """

    conditions: tuple[Declared, ...] = ()
    feet: tuple[str, ...] = ("right", "left")
    excluded: frozenset[str] = frozenset()
    gentle: bool = False
    warnings: tuple[str, ...] = ()
    areas: tuple[CautionArea, ...] = ()

    def avoids(self, target: Target) -> bool:
        """Is ``target`` excluded, by id or because it lies in a caution area?

        The general warm-up and cool-down are never avoided by area (they cover the whole
        foot lightly). A target lies in an area when its drawn point (acupoints and zones
        without areas) or one of its areas overlaps one of the area's boxes on the same
        surface; touching edges do not count.

        Args:
            target: A knowledge-base target.

        Returns:
            True when the plan must leave it out.
        """
        if target.id in self.excluded:
            return True
        if target.kind == "general" or not self.areas:
            return False
        return any(in_area(target, area) for area in self.areas)


def in_area(target: Target, area: CautionArea) -> bool:
    """Does the target's point or one of its areas lie in the caution area?

    Args:
        target: A knowledge-base target.
        area: A caution area (conditions.toml ``areas``).

    Returns:
        True when they overlap on a surface the target covers.
    """
    def overlap(a: tuple[float, float], b: tuple[float, float]) -> bool:
        return a[0] < b[1] and b[0] < a[1]

    def contains(a: tuple[float, float], x: float) -> bool:
        return a[0] <= x <= a[1]

    for box in area.boxes:
        side = box.surface in ("medial", "lateral", "posterior")
        if box.surface not in target.surfaces:
            continue
        if target.areas:
            for part in target.areas:
                if part.surface != box.surface:
                    continue
                other = part.height if side else part.across
                mine = box.height if side else box.across
                if overlap(part.along, box.along) and (
                        mine is None or other is None or overlap(other, mine)):
                    return True
        else:
            pos = target.position
            value = pos.height if side else pos.across
            mine = box.height if side else box.across
            if contains(box.along, pos.along) and (mine is None or contains(mine, value)):
                return True
    return False


def screen(conditions: Iterable[str] | str | None, from_text: Sequence[str] = ()) -> Screen:
    """Turn declared conditions into plan effects, or stop the session.

    Args:
        conditions: Declared conditions (see :func:`parse_conditions`).
        from_text: Ids of conditions found in the symptom text (:func:`detect_conditions`);
            they apply as if declared, and a warning says so.

    Returns:
        The :class:`Screen` of effects.

    Raises:
        UnknownConditionError: A condition is not understood.
        SeekCareError: A condition stops the session (DVT, fever, pitting oedema, first
            trimester of pregnancy, or foot-level conditions on both feet).
    """
    data = rules()
    declared = parse_conditions(conditions)
    noted = [cid for cid in from_text if all(d.id != cid for d in declared)]
    declared.extend(Declared(cid) for cid in noted)
    stops: list[Finding] = []
    feet = ["right", "left"]
    excluded: set[str] = set()
    areas: list[CautionArea] = []
    gentle = False
    warnings: list[str] = []
    for item in declared:
        cond = data.conditions[item.id]
        if cond.effect == "stop":
            stops.append(Finding(rule_id=f"condition:{cond.id}", level="see_clinician",
                                 matched=(cond.name,), message=cond.message,
                                 reason=f"Declared condition: {cond.name}.",
                                 sources=data.cite(cond.sources)))
            continue
        if cond.effect == "foot":
            gone = ["right", "left"] if item.foot == "both" else [item.foot or "both"]
            feet = [f for f in feet if f not in gone]
            warnings.append(f"{cond.message} Leaving out: {item.foot} "
                            f"{'feet' if item.foot == 'both' else 'foot'}.")
            if not feet:
                stops.append(Finding(
                    rule_id=f"condition:{cond.id}", level="see_clinician", matched=(str(item),),
                    message=f"No foot massage today: {cond.message[0].lower()}"
                            f"{cond.message[1:]} It applies to both feet; see a clinician.",
                    reason=f"Declared condition on both feet: {cond.name}.",
                    sources=data.cite(cond.sources)))
        excluded.update(cond.exclude)
        areas.extend(data.areas[a] for a in cond.exclude_areas if data.areas[a] not in areas)
        gentle = gentle or cond.gentle
        warnings.extend(w for w in cond.warnings if w not in warnings)
        if (cond.unstaged_warning and cond.unstaged_warning not in warnings
                and not any(d.id == cond.id and d.staged for d in declared)):
            warnings.append(cond.unstaged_warning)
    if stops:
        raise SeekCareError(_result(stops))
    if noted:
        names = ", ".join(data.conditions[cid].name for cid in noted)
        warnings.insert(0, f"Applied from the symptom text: {names}. Declare conditions "
                        "explicitly to be sure they are taken into account.")
    if gentle:
        warnings.append("Light pressure only for the conditions declared; no step is held "
                        "longer than its usual time.")
    return Screen(tuple(declared), tuple(feet), frozenset(excluded), gentle, tuple(warnings),
                  tuple(areas))
