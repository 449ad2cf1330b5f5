"""The one data loader (footreflex._data): every shipped file through it, validated, cached."""

from __future__ import annotations

import copy
import os
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from importlib import resources
from typing import Any

import pytest
from pydantic import BaseModel, ConfigDict

import footreflex
from footreflex import _data
from footreflex.errors import KnowledgeBaseError
from footreflex.language._schema import LANGUAGE


def _shipped_files() -> set[str]:
    folder = resources.files("footreflex").joinpath("data")
    return {entry.name for entry in folder.iterdir() if entry.name.endswith(".toml")}


EVERY_FILE = """
import footreflex
from footreflex import _data
routine = footreflex.plan("lower back and stiff neck", minutes=20)
routine.foot_map().to_svg()
footreflex.red_flag_questions("lumbar")
print(" ".join(sorted({name for name, _ in _data._built})))
"""


def test_every_shipped_file_is_loaded_validated() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FOOTREFLEX_")}
    env["FOOTREFLEX_NO_CACHE"] = "1"
    done = subprocess.run([sys.executable, "-c", EVERY_FILE], capture_output=True, text=True,
                          check=True, env=env)
    loaded = set(done.stdout.split())
    # the safety rules are built from safety.toml with redflags.toml and conditions.toml
    assert loaded | {"redflags.toml", "conditions.toml"} == _shipped_files()


def test_same_object_every_call_and_across_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_data, "_built", {})
    calls: list[int] = []

    class Counted(BaseModel):
        model_config = ConfigDict(extra="allow")

        def __init__(self, **data: Any) -> None:
            calls.append(1)
            super().__init__(**data)

    barrier = threading.Barrier(8)

    def work(_: int) -> Counted:
        barrier.wait()
        return _data.load("footmap.toml", Counted)

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(work, range(8)))
    assert all(r is results[0] for r in results)
    assert len(calls) == 1
    assert _data.load("footmap.toml", Counted) is results[0]


def _broken(monkeypatch: pytest.MonkeyPatch, name: str, change: Any) -> None:
    data = copy.deepcopy(_data.raw(name))
    change(data)
    monkeypatch.setitem(_data._raw, name, data)
    monkeypatch.setattr(_data, "_built", {})


def test_invalid_shaped_file_names_file_and_field(monkeypatch: pytest.MonkeyPatch) -> None:
    _broken(monkeypatch, "language.toml",
            lambda d: d["context"].__setitem__("clause_joins", "and"))
    with pytest.raises(KnowledgeBaseError) as info:
        _data.load("language.toml", LANGUAGE)
    assert info.value.file == "<footreflex>/data/language.toml"
    assert info.value.field == "context.clause_joins"


@pytest.mark.parametrize(("name", "change", "field"), [
    ("lexicon.toml", lambda d: d["clauses"].pop("breaks"), "clauses.breaks"),
    ("lexicon.toml", lambda d: d["radiating"].__setitem__("nerve_window", "4"),
     "radiating.nerve_window"),
    ("lexicon.toml", lambda d: d["sides"]["left"].__setitem__("sideways", {"terms": []}),
     "sides.left.sideways"),
    ("lexicon.toml", lambda d: d.pop("clauses"), "clauses"),
    ("footmap.toml", lambda d: d["outlines"]["medial"][2].__setitem__(0, "x"),
     "outlines.medial.2.0"),
    ("footmap.toml", lambda d: d["colours"].pop("other"), "colours.other"),
    ("concepts.toml", lambda d: d["concepts"].__setitem__("chest", ["chest", ""]),
     "concepts.chest.1"),
    ("conditions.toml", lambda d: d["foot_aliases"].__setitem__("lf", "leftish"),
     "foot_aliases.lf"),
])
def test_invalid_builder_file_names_file_and_field(monkeypatch: pytest.MonkeyPatch, name: str,
                                                   change: Any, field: str) -> None:
    _broken(monkeypatch, name, change)
    with pytest.raises(KnowledgeBaseError) as info:
        if name == "lexicon.toml":
            footreflex.understand("lower back", knowledge=footreflex.KnowledgeBase(
                _data.raw("knowledge.toml"), "<copy>"))
        elif name == "footmap.toml":
            footreflex.plan("neck", minutes=10).foot_map().to_svg()
        else:
            footreflex.safety.rules()
    assert name in info.value.file
    assert info.value.field == field


def test_missing_file_is_a_knowledge_base_error() -> None:
    with pytest.raises(KnowledgeBaseError, match=r"nothing\.toml"):
        _data.load("nothing.toml", LANGUAGE)


def test_foot_aliases_come_from_the_data(monkeypatch: pytest.MonkeyPatch) -> None:
    (declared,) = footreflex.safety.parse_conditions(["wound:left foot"])
    assert declared.foot == "left"
    _broken(monkeypatch, "conditions.toml",
            lambda d: d["foot_aliases"].__setitem__("sinister", "left"))
    (declared,) = footreflex.safety.parse_conditions(["wound:sinister"])
    assert declared.foot == "left"


def test_a_pydantic_model_file_names_file_and_field(monkeypatch: pytest.MonkeyPatch) -> None:
    _broken(monkeypatch, "questions.toml", lambda d: d["questions"][0].__setitem__("level", 3))
    with pytest.raises(KnowledgeBaseError) as info:
        footreflex.red_flag_questions()
    assert info.value.file == "<footreflex>/data/questions.toml"
    assert info.value.field == "questions.0.level"


@pytest.mark.parametrize(("value", "shape", "field"), [
    ({"a": [1]}, {"a": [_data.Term]}, "a.0"),
    ({"a": 1.5}, {"a": int}, "a"),
    ({"a": True}, {"a": float}, "a"),
    ({"a": "both ways"}, {"a": ("left", "right")}, "a"),
    ({}, {"a": str}, "a"),
    ({"b": "x"}, {"a?": str}, "b"),
    ([], {str: str}, ""),
])
def test_check_names_the_first_misfit(value: Any, shape: Any, field: str) -> None:
    with pytest.raises(KnowledgeBaseError) as info:
        _data.check(value, shape, "<test>")
    assert info.value.field == field


def test_check_accepts_what_fits() -> None:
    _data.check({"a": [" x", "y"], "n": 2, "f": 1, "c": "left", "t": {"k": {"v": True}}},
                {"a": [_data.Term], "n": int, "f": float, "c": ("left", "right"),
                 "t": {str: {"v": bool}}, "o?": str}, "<test>")
