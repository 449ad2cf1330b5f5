"""Golden files, split into structure and text, that never regenerate silently.

A routine's golden is two files: ``<name>.structure.json`` (regions, budget, and per step the
target id, kind, foot, start and duration: what the planner decided) and ``<name>.text.json``
(everything people read: instructions, why, evidence, cautions, warnings, watch-for,
disclaimer, sources). A change to the planner shows in the first file, a change of wording in
the second, each reviewable on its own.

``FOOTREFLEX_REGEN_GOLDEN=1 pytest`` rewrites the files, and a test whose golden changed still
FAILS, printing the unified diff: the regeneration is seen, never silent. Run it again to
confirm the new files.
"""

from __future__ import annotations

import difflib
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from footreflex import Cue, Routine

GOLDEN = Path(__file__).parent / "golden"


def _dump(value: Any) -> str:
    return json.dumps(value, indent=1, ensure_ascii=False, sort_keys=False) + "\n"


def routine_structure(routine: Routine) -> dict[str, Any]:
    """What the planner decided: ids, kinds, feet, start and duration, in order."""
    return {
        "regions": list(routine.regions),
        "minutes": routine.minutes,
        "total_seconds": routine.total_seconds,
        "conditions": list(routine.conditions),
        "sides": dict(routine.sides),
        "steps": [f"{s.index} {s.kind} {s.target_id} {s.foot} {s.start_s}+{s.duration_s}"
                  for s in routine.steps],
    }


def routine_text(routine: Routine) -> dict[str, Any]:
    """What people read, keyed by step."""
    return {
        "region_names": dict(routine.region_names),
        "warnings": list(routine.warnings),
        "watch_for": list(routine.watch_for),
        "disclaimer": routine.disclaimer,
        "sources": [s.citation for s in routine.sources],
        "steps": [{"index": s.index, "name": s.name, "location": s.location,
                   "instructions": s.instructions, "why": s.why, "evidence": s.evidence,
                   "relevance": s.relevance, "cautions": list(s.cautions)}
                  for s in routine.steps],
    }


def cue_structure(cues: Sequence[Cue]) -> list[str]:
    return [f"{c.at_s} {c.kind} {c.step_index}" for c in cues]


def cue_text(cues: Sequence[Cue]) -> list[str]:
    return [c.text for c in cues]


def check(filename: str, value: Any) -> None:
    """Compare ``value`` with ``golden/<filename>``; under regeneration rewrite and fail."""
    path = GOLDEN / filename
    actual = _dump(value)
    expected = path.read_text(encoding="utf-8") if path.exists() else ""
    if actual == expected:
        return
    diff = "".join(difflib.unified_diff(expected.splitlines(keepends=True),
                                        actual.splitlines(keepends=True),
                                        f"golden/{filename}", "actual"))
    if os.environ.get("FOOTREFLEX_REGEN_GOLDEN"):
        path.write_text(actual, encoding="utf-8")
        pytest.fail(f"golden/{filename} REGENERATED; review the change, then run again:\n"
                    f"{diff}", pytrace=False)
    pytest.fail(f"golden/{filename} differs (FOOTREFLEX_REGEN_GOLDEN=1 rewrites it and shows "
                f"this diff):\n{diff}", pytrace=False)


def check_routine(name: str, routine: Routine) -> None:
    """Check both halves of a routine's golden (both are compared before failing)."""
    failures: list[str] = []
    for suffix, value in (("structure", routine_structure(routine)),
                          ("text", routine_text(routine))):
        try:
            check(f"{name}.{suffix}.json", value)
        except pytest.fail.Exception as exc:
            failures.append(str(exc))
    if failures:
        pytest.fail("\n".join(failures), pytrace=False)
