"""Every source cited anywhere in the shipped data exists and is checkable (issue 12)."""

from __future__ import annotations

import re
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

import footreflex
from footreflex._models import Source
from footreflex.safety import rules

DATA = resources.files("footreflex").joinpath("data")
DOCS = Path(__file__).parent.parent / "docs"


def _data_files() -> dict[str, Any]:
    return {p.name: tomllib.loads(p.read_text("utf-8")) for p in DATA.iterdir()
            if p.name.endswith(".toml")}


def _walk(node: Any, defined: list[dict[str, Any]], used: set[str]) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "sources" and isinstance(value, list):
                for item in value:
                    if isinstance(item, dict):
                        defined.append(item)
                    else:
                        used.add(item)
            else:
                _walk(value, defined, used)
    elif isinstance(node, list):
        for item in node:
            _walk(item, defined, used)


def _all() -> tuple[list[dict[str, Any]], set[str]]:
    defined: list[dict[str, Any]] = []
    used: set[str] = set()
    for data in _data_files().values():
        _walk(data, defined, used)
    return defined, used


def test_every_source_id_used_exists() -> None:
    defined, used = _all()
    ids = [d["id"] for d in defined]
    assert used, "the walk found no citations: the test would prove nothing"
    assert sorted(used - set(ids)) == []


def test_source_ids_are_unique_across_the_library() -> None:
    defined, _ = _all()
    ids = [d["id"] for d in defined]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})


IDENTIFIER = re.compile(r"^(doi:10\.\S+/\S+|isbn:97[89]\d{10}|https?://\S+\.\S+|none)$")


@pytest.mark.parametrize("source", _all()[0], ids=lambda s: s["id"])
def test_every_source_has_structured_fields(source: dict[str, Any]) -> None:
    model = Source.model_validate(source)
    assert model.citation and model.title and model.publisher, model.id
    assert model.authors and all(a.strip() for a in model.authors), model.id
    assert re.fullmatch(r"(1[89]|20)\d\d|n\.d\.", model.year), (model.id, model.year)
    assert IDENTIFIER.match(model.identifier), (model.id, model.identifier)
    if model.identifier == "none":
        assert len(model.identifier_note) > 20, f"{model.id}: say why there is no identifier"
    else:
        assert not model.identifier_note


def test_no_uncheckable_or_misused_sources_left() -> None:
    defined, _ = _all()
    ids = {d["id"] for d in defined}
    # replaced by checkable sources (issue 12): NG59 has no red-flag list, the others were
    # not sources one could look up; "seed" was an internal word.
    assert not ids & {"practitioner", "neck_primary_care", "nice_ng59", "seed"}
    conditions = rules().conditions
    # The University of Minnesota page covers neither fever, bleeding nor osteoporosis (only
    # foot or ankle osteoarthritis), so it must not be the only source there.
    for cid in ("osteoporosis", "bleeding", "fever"):
        assert set(conditions[cid].sources) - {"umn"}, cid
    assert "umn" not in conditions["bleeding"].sources
    assert "umn" not in conditions["fever"].sources


def test_knowledge_sources_are_the_shipped_ones_with_full_citations() -> None:
    kb = footreflex.knowledge()
    assert "sze2022" in kb.sources
    li = kb.sources["li2021"]
    assert li.title.startswith("Clinical Efficacy and Safety of Acupressure on Low Back Pain")
    assert li.identifier == "doi:10.1155/2021/8862399"


def test_docs_cite_no_source_missing_from_the_library() -> None:
    defined, _ = _all()
    text = "\n".join(p.read_text("utf-8") for p in DOCS.glob("*.md"))
    # "Ernst 2009" was cited in the docs without an entry (issue 12).
    assert "Ernst 2009" not in text or any(d.get("year") == "2009" and "Ernst" in
                                           " ".join(d.get("authors", [])) for d in defined)


def test_sources_command_lists_every_source_in_full(capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from footreflex.cli._main import main

    kb = footreflex.knowledge()
    everything = kb.library_sources()
    assert {s.id for s in everything} == {d["id"] for d in _all()[0]}
    assert main(["sources"]) == 0
    text = capsys.readouterr().out
    for src in everything:
        assert src.citation in text
    assert main(["sources", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [d["id"] for d in data] == [s.id for s in everything]
    assert all(d["citation"] and d["identifier"] for d in data)


@pytest.mark.parametrize(("symptom", "minutes"), [("lower back", 20), ("neck", 15),
                                                  ("sciatica", 20), ("upper back", 15)])
def test_every_surface_shows_evidence_in_words_and_no_internal_word(symptom: str,
                                                                    minutes: int) -> None:
    from footreflex._text import escape

    routine = footreflex.plan(symptom, minutes=minutes)
    text, markdown, html = str(routine), routine.to_markdown(), routine.to_html()
    data = routine.model_dump(mode="json")
    for step in routine.steps:
        assert step.evidence, step.target_id
        assert f"Evidence: {step.evidence}" in text
        assert f"*Evidence: {step.evidence}.*" in markdown
        assert escape(step.evidence) in html
        if step.kind in ("point", "zone"):
            assert step.relevance is not None and "relevance" not in step.why
    assert all("evidence" in s and "relevance" in s for s in data["steps"])
    for surface in (text, markdown, html):
        assert "seed" not in surface.lower()
        assert "P. Sze" in surface  # the seed article, named as any other source
