"""Steps, routines and triage results are assembled, not validated: prove they are the same.

The planner and the red-flag screen build :class:`~footreflex.Step`, :class:`~footreflex.Routine`
and :class:`~footreflex.Triage` with ``_models.assemble`` (no validation; see its docstring).
Here every call site is wrapped so that each assembled instance is compared with what
``model_validate`` makes of the very same values: the same field values of the same types
(a float stays a float, a tuple a tuple), the same fields set, the same JSON. Over random
plans (symptoms, budgets, conditions, sides, custom knowledge bases) and the triage corpora.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

import footreflex
from footreflex import FootreflexError, KnowledgeBase, Routine, Step, Triage, _models, _pipeline
from footreflex.planning import _steps
from footreflex.safety import _triage

DATA = Path(__file__).parent / "data"
CALL_SITES = (_steps, _pipeline, _triage)


def _same(a: object, b: object, where: str) -> None:
    """Equal values of exactly the same types, recursively (models: fields and fields set)."""
    assert type(a) is type(b), f"{where}: {type(a).__name__} != {type(b).__name__}"
    if isinstance(a, BaseModel):
        assert isinstance(b, BaseModel)
        assert a.model_fields_set == b.model_fields_set, where
        assert list(a.__dict__) == list(b.__dict__), where
        for name in a.__dict__:
            _same(a.__dict__[name], b.__dict__[name], f"{where}.{name}")
    elif isinstance(a, tuple | list):
        assert isinstance(b, tuple | list) and len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            _same(x, y, f"{where}[{i}]")
    elif isinstance(a, dict):
        assert isinstance(b, dict) and list(a) == list(b), where
        for key in a:
            _same(a[key], b[key], f"{where}[{key!r}]")
    else:
        assert a == b, where


@pytest.fixture(autouse=True)
def checked(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Wrap ``assemble`` at every call site: compare with ``model_validate`` of the values."""
    seen: list[str] = []

    def assemble(cls: type[BaseModel], values: dict[str, Any], *, exact: bool = False
                 ) -> BaseModel:
        valid = cls.model_validate(values)
        if exact:
            assert list(values) == list(cls.model_fields), "exact: every field, in order"
        made = _models.assemble(cls, values, exact=exact)
        _same(made, valid, cls.__name__)
        assert made == valid
        assert made.model_dump_json() == valid.model_dump_json()
        seen.append(cls.__name__)
        return made

    for module in CALL_SITES:
        monkeypatch.setattr(module, "assemble", assemble)
    yield seen


def test_the_wrapper_sees_every_model(checked: list[str]) -> None:
    footreflex.plan("lower back and neck", minutes=20)
    footreflex.triage("my back hurts")
    assert {"Step", "Routine", "Triage"} <= set(checked)


def test_the_check_fails_on_a_wrong_type() -> None:
    with pytest.raises(AssertionError):
        _same(_models.assemble(Routine, {**_routine_values(), "minutes": 20}),
              Routine.model_validate({**_routine_values(), "minutes": 20}), "Routine")


def _routine_values() -> dict[str, Any]:
    return {"regions": ("lumbar",), "total_seconds": 0, "steps": (), "disclaimer": "d"}


def test_assemble_rejects_unknown_and_missing_fields() -> None:
    with pytest.raises(TypeError, match="not fields"):
        _models.assemble(Routine, {**_routine_values(), "minutes": 1.0, "colour": "red"})
    full = {name: getattr(_ROUTINE, name) for name in Routine.model_fields}
    with pytest.raises(TypeError, match=r"not fields.*colour"):
        _models.assemble(Routine, {**{k: v for k, v in full.items() if k != "sides"},
                                   "colour": "red"})
    with pytest.raises(TypeError, match="required"):
        _models.assemble(Routine, _routine_values())


_ROUTINE = Routine.model_validate({**_routine_values(), "minutes": 1.0})


def test_assembled_defaults_are_fresh() -> None:
    a = _models.assemble(Routine, {**_routine_values(), "minutes": 1.0})
    b = _models.assemble(Routine, {**_routine_values(), "minutes": 1.0})
    assert a.sides == {} and a.sides is not b.sides
    assert a.schema_version == 2 and "schema_version" not in a.model_fields_set


REGION_WORDS = ["lower back", "neck", "sciatica", "shoulders", "upper back",
                "stiff neck on the left", "right side sciatica", "lumbago", "back and neck"]
CONDITIONS = [[], ["pregnancy"], ["diabetes"], ["wound:left"], ["diabetes", "varicose_veins"]]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(REGION_WORDS), min_size=1, max_size=3),
       st.floats(min_value=2, max_value=120, allow_nan=False),
       st.sampled_from(CONDITIONS))
def test_plans_assemble_what_validation_would_give(words: list[str], minutes: float,
                                                   conditions: list[str]) -> None:
    try:
        routine = footreflex.plan(" and ".join(words), minutes=minutes, conditions=conditions)
    except FootreflexError:
        return
    back = Routine.model_validate_json(routine.model_dump_json())
    assert back == routine and back.model_dump_json() == routine.model_dump_json()
    assert all(isinstance(s, Step) for s in routine.steps)


def test_plans_on_a_custom_knowledge_base() -> None:
    kb = KnowledgeBase({
        "schema_version": 1, "disclaimer": "Not medical advice.",
        "sources": [{"id": "s", "citation": "test"}],
        "regions": [{"id": "lumbar", "name": "Low back"}],
        "techniques": {"general": "rub"},
        "targets": [
            {"id": "warm", "kind": "general", "role": "warmup", "name": "Warm",
             "location": "all", "surfaces": ["plantar"], "position": {"along": 0.5, "across": 0.5},
             "technique": "general", "instructions": "Rub.", "value_weight": 0.3,
             "seconds": {"min": 60, "default": 60, "max": 120}, "sources": ["s"]},
            {"id": "z", "kind": "zone", "name": "Z", "location": "heel", "surfaces": ["plantar"],
             "position": {"along": 0.1, "across": 0.5}, "technique": "general",
             "instructions": "Press.", "seconds": {"min": 30, "default": 60, "max": 240},
             "serves": [{"region": "lumbar", "relevance": 1.0, "evidence": "t",
                         "sources": ["s"]}], "sources": ["s"]}]})
    for minutes in (3, 4.5, 7.5, 30):
        routine = footreflex.plan("lower back", minutes=minutes, knowledge=kb)
        assert routine.region_names == {"lumbar": "Low back"}


def _corpus(limit: int) -> list[str]:
    texts: list[str] = []
    for file in sorted(DATA.glob("triage_corpus*.jsonl")):
        rows = [json.loads(line) for line in file.read_text().splitlines() if line.strip()]
        texts.extend(row["text"] for row in rows[:limit])
    return texts


@pytest.mark.parametrize("text", _corpus(40))
def test_triage_assembles_what_validation_would_give(text: str) -> None:
    result = footreflex.triage(text)
    assert Triage.model_validate_json(result.model_dump_json()) == result
