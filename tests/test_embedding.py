"""Embedding: JSON Schemas validate real outputs; threads, pickling and processes."""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
import threading
import tomllib
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from datetime import date
from importlib import resources
from typing import Any

import pytest

import footreflex
from footreflex import Profile, plan

jsonschema = pytest.importorskip("jsonschema")

CASES = [("lower back", 20, []), ("neck", 15, []), ("sciatica and shoulders", 30, ["wound:left"]),
         ("lower back", 20, ["pregnant"]), ("upper back", 7, ["blood thinners"])]


def validator(name: str) -> Any:
    schema = footreflex.schemas()[name]
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_schemas_are_versioned_and_complete() -> None:
    all_ = footreflex.schemas()
    assert set(all_) == {"routine", "triage", "cue", "question", "profile", "program",
                         "knowledge", "condition", "session", "feedback"}
    for name, schema in all_.items():
        assert schema["x-schema-version"] >= 1
        assert schema["$id"].endswith(f"{name}-v{schema['x-schema-version']}.json")
    assert "schema_version" in all_["routine"]["properties"]


@pytest.mark.parametrize(("text", "minutes", "conditions"), CASES)
def test_routines_validate(text: str, minutes: float, conditions: list[str]) -> None:
    routine = plan(text, minutes, conditions=conditions)
    validator("routine").validate(json.loads(routine.model_dump_json()))
    cue = validator("cue")
    for c in routine.cues():
        cue.validate(c.model_dump(mode="json"))


def test_triage_profile_program_knowledge_validate() -> None:
    check = validator("triage")
    for text in ["stiff neck", "numb groin", "fell off a ladder", ""]:
        check.validate(json.loads(footreflex.triage(text).model_dump_json()))
    person = Profile().record(plan("neck", 10)).rate({"BL60": "helped"}, pain_before=5)
    person = person.prefer(exclude=["KI3"], pressure="light", conditions=["diabetic"])
    validator("profile").validate(json.loads(person.model_dump_json()))
    prog = footreflex.program("neck", 10, sessions=3, start=date(2026, 12, 1))
    validator("program").validate(json.loads(prog.model_dump_json()))
    text = resources.files("footreflex").joinpath("data/knowledge.toml").read_text("utf-8")
    validator("knowledge").validate(tomllib.loads(text))


def test_questions_and_answered_triage_validate() -> None:
    check = validator("question")
    asked = footreflex.red_flag_questions(list(footreflex.knowledge().regions))
    for question in asked:
        check.validate(json.loads(question.model_dump_json()))
    answered = footreflex.triage("lower back", {asked[0].id: True})
    validator("triage").validate(json.loads(answered.model_dump_json()))
    with pytest.raises(jsonschema.ValidationError):
        check.validate(dict(json.loads(asked[0].model_dump_json()), level="maybe"))
    warnings = [c for c in plan("lower back", 20).cues() if c.kind == "warning"]
    assert warnings
    for cue in warnings:
        validator("cue").validate(cue.model_dump(mode="json"))


def test_schema_rejects_broken_documents() -> None:
    good = json.loads(plan("neck", 10).model_dump_json())
    bad = dict(good, steps=[dict(good["steps"][0], foot="middle")])
    with pytest.raises(jsonschema.ValidationError):
        validator("routine").validate(bad)


def test_schema_cli() -> None:
    out = subprocess.run([sys.executable, "-m", "footreflex", "schema", "routine"],
                         capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == footreflex.schemas()["routine"]
    out = subprocess.run([sys.executable, "-m", "footreflex", "schema"], capture_output=True,
                         text=True, check=True)
    assert set(json.loads(out.stdout)) == set(footreflex.schemas())
    bad = subprocess.run([sys.executable, "-m", "footreflex", "schema", "nope"],
                         capture_output=True, text=True, check=False)
    assert bad.returncode == 2


# ------------------------------------------------------------------------------ concurrency
def expected() -> list[str]:
    return [plan(t, m, conditions=c).model_dump_json() for t, m, c in CASES]


def test_eight_threads_including_first_use(monkeypatch: pytest.MonkeyPatch) -> None:
    from footreflex import _data

    want = expected()
    for _ in range(3):
        # first use of every data file (knowledge base, safety rules ...) happens in the threads
        monkeypatch.setattr(_data, "_built", {})
        barrier = threading.Barrier(8)

        def work(i: int, barrier: threading.Barrier = barrier) -> list[str]:
            barrier.wait()
            order = CASES[i % len(CASES):] + CASES[: i % len(CASES)]
            got = {(t, m, tuple(c)): plan(t, m, conditions=c).model_dump_json()
                   for t, m, c in order}
            return [got[(t, m, tuple(c))] for t, m, c in CASES]

        with ThreadPoolExecutor(8) as pool:
            results = list(pool.map(work, range(8)))
        assert all(r == want for r in results)


def test_routine_pickles() -> None:
    routine = plan("lower back", 20, conditions=["wound:left"])
    again = pickle.loads(pickle.dumps(routine))
    assert again == routine and again.model_dump_json() == routine.model_dump_json()
    triage = footreflex.triage("numb groin")
    assert pickle.loads(pickle.dumps(triage)) == triage
    with pytest.raises(footreflex.SeekCareError) as info:
        plan("numb groin")
    error = pickle.loads(pickle.dumps(info.value))
    assert isinstance(error, footreflex.SeekCareError) and error.triage == info.value.triage


def _plan_json(args: tuple[str, float, list[str]]) -> str:
    text, minutes, conditions = args
    return plan(text, minutes, conditions=conditions).model_dump_json()


def test_plans_in_a_process_pool() -> None:
    with ProcessPoolExecutor(2) as pool:
        results = list(pool.map(_plan_json, CASES))
    assert results == expected()


def test_every_error_pickles() -> None:
    from footreflex.errors import (
        BudgetError,
        KnowledgeBaseError,
        UnknownConditionError,
        UnknownSymptomError,
        UnknownTargetError,
    )

    errors: list[Exception] = [
        UnknownSymptomError("sciatca", ["sciatica"]), UnknownSymptomError("x", message="m"),
        UnknownTargetError("BL99", ["BL60"]), BudgetError("too short", 3.0),
        KnowledgeBaseError("f.toml", "targets[0]", "bad"),
        UnknownConditionError("pregnnt", ["pregnant"]), footreflex.ProfileError("corrupt", "p"),
        footreflex.TimelineError("bad time"),
    ]
    for error in errors:
        again = pickle.loads(pickle.dumps(error))
        assert type(again) is type(error) and str(again) == str(error)
        assert vars(again) == vars(error)
