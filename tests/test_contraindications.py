"""The contraindications added in issue 12: each with its effect and a source."""

from __future__ import annotations

import pytest

import footreflex
from footreflex import SeekCareError
from footreflex.safety import rules


@pytest.mark.parametrize("name", ["thrombophlebitis", "phlebitis", "high risk pregnancy",
                                  "threatened miscarriage"])
def test_stop_conditions(name: str) -> None:
    with pytest.raises(SeekCareError) as caught:
        footreflex.plan("lower back", minutes=15, conditions=[name])
    finding = caught.value.triage.findings[0]
    assert finding.level == "see_clinician" and finding.sources


def test_high_risk_pregnancy_sends_to_the_midwife() -> None:
    assert "midwife" in rules().conditions["pregnancy_high_risk"].message


@pytest.mark.parametrize("name", ["hot swollen joint", "eczema", "psoriasis"])
def test_foot_conditions_leave_that_foot_out(name: str) -> None:
    routine = footreflex.plan("lower back", minutes=15, conditions=[f"{name}:left"])
    assert {s.foot for s in routine.steps} <= {"right", "both"}
    assert all(s.foot == "right" for s in routine.steps if s.kind in ("point", "zone"))


def test_lymphoedema_is_gentle_pressure_only() -> None:
    routine = footreflex.plan("lower back", minutes=15, conditions=["lymphoedema"])
    assert any(w.startswith("Lymphoedema:") for w in routine.warnings)
    assert all(s.instructions.startswith("Use light pressure only") for s in routine.steps)


def test_lymphoedema_from_the_text() -> None:
    routine = footreflex.plan("lower back pain, I have lymphoedema", minutes=15)
    assert "lymphoedema" in routine.conditions
