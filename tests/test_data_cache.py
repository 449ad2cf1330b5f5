"""The shipped-data cache (footreflex._cache): same answers with it, without it, and broken."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

CODE = """
import json, sys, footreflex
from footreflex import SeekCareError
out = [footreflex.plan(t, minutes=m).model_dump_json() for t, m in
       [("lower back", 20), ("stiff neck and shoulders", 15), ("sciatica on the left", 25),
        ("lowerback pain", 10), ("upper back achey", 12)]]
try:
    footreflex.plan("back pain and I can't feel my legs", minutes=10)
except SeekCareError as exc:
    out.append(exc.triage.model_dump_json())
print(json.dumps(out))
print("snowballstemmer" in sys.modules, file=sys.stderr)
"""


def _run(env: dict[str, str]) -> tuple[list[str], str]:
    done = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True,
                          check=True, env=env)
    return json.loads(done.stdout), done.stderr.strip().splitlines()[-1]


@pytest.fixture()
def base_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FOOTREFLEX_")}
    env["FOOTREFLEX_CACHE_DIR"] = str(tmp_path)
    return env


def test_cached_uncached_and_corrupt_cache_give_the_same_bytes(base_env: dict[str, str],
                                                               tmp_path: Path) -> None:
    plain, _ = _run({**base_env, "FOOTREFLEX_NO_CACHE": "1"})
    assert not list(tmp_path.iterdir())  # disabled: nothing written
    first, _ = _run(base_env)  # computes and writes the cache
    files = list(tmp_path.glob("shipped-*.json"))
    assert len(files) == 1
    stamp = files[0].stat().st_mtime_ns
    warm, stemmer_loaded = _run(base_env)  # reads it
    assert plain == first == warm
    assert stemmer_loaded == "False"  # every word met was already stemmed in the cache
    assert files[0].stat().st_mtime_ns == stamp  # a warm run does not rewrite it
    files[0].write_text("{not json", encoding="utf-8")
    broken, _ = _run(base_env)
    assert broken == plain
    files[0].write_text(json.dumps({"toml": [], "stems": {}, "terms": {}}), encoding="utf-8")
    wrong_shape, _ = _run(base_env)
    assert wrong_shape == plain


def test_cache_file_name_follows_the_data(monkeypatch: pytest.MonkeyPatch,
                                          tmp_path: Path) -> None:
    from footreflex import _cache

    monkeypatch.setenv("FOOTREFLEX_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("FOOTREFLEX_NO_CACHE", raising=False)
    name = _cache.path()
    assert name is not None and name.parent == tmp_path
    assert name.name.startswith("shipped-") and name == _cache.path()
    monkeypatch.setenv("FOOTREFLEX_NO_CACHE", "1")
    assert _cache.path() is None


def _entries(file: Path) -> dict[str, dict[str, str]]:
    valid: dict[str, dict[str, str]] = json.loads(file.read_text(encoding="utf-8"))["valid"]
    return valid


def _rewrite(file: Path, name: str, text: str, *, digest: bool) -> None:
    import hashlib

    data = json.loads(file.read_text(encoding="utf-8"))
    entry = data["valid"][name]
    entry["json"] = text
    if digest:
        entry["sha256"] = hashlib.sha256(text.encode()).hexdigest()
    file.write_text(json.dumps(data), encoding="utf-8")


def test_pre_validated_entries_are_used_and_a_tampered_one_is_ignored(
        base_env: dict[str, str], tmp_path: Path) -> None:
    plain, _ = _run({**base_env, "FOOTREFLEX_NO_CACHE": "1"})
    first, _ = _run(base_env)
    (file,) = tmp_path.glob("shipped-*.json")
    entries = _entries(file)
    assert set(entries) == {"knowledge.toml", "questions.toml",
                            "safety.toml+redflags.toml+conditions.toml"}
    pristine = file.read_text(encoding="utf-8")
    knowledge = entries["knowledge.toml"]["json"]
    renamed = knowledge.replace('"name":"Lower back"', '"name":"Tampered back"')
    assert renamed != knowledge
    # An edit the digest does not match is ignored: the shipped file is validated again.
    _rewrite(file, "knowledge.toml", renamed, digest=False)
    assert _run(base_env)[0] == plain == first
    # With a matching digest but not fitting the models (an unknown field, a wrong type, a
    # value outside a Literal), the entry is ignored too.
    for bad in (knowledge.replace('"schema_version":1', '"schema_version":1,"extra":1'),
                knowledge.replace('"schema_version":1', '"schema_version":"1"'),
                knowledge.replace('"kind":"acupoint"', '"kind":"planet"')):
        assert bad != knowledge
        file.write_text(pristine, encoding="utf-8")
        _rewrite(file, "knowledge.toml", bad, digest=True)
        assert _run(base_env)[0] == plain
    file.write_text(pristine, encoding="utf-8")
    _rewrite(file, "questions.toml", "[]", digest=True)
    assert _run(base_env)[0] == plain


def test_constructed_models_equal_validated_ones() -> None:
    from footreflex import _data
    from footreflex._knowledge import _KnowledgeFile
    from footreflex.safety._questions import _QuestionsFile
    from footreflex.safety._rules import SAFETY_FILES, _SafetyFile

    merged: dict[str, object] = {}
    for name in SAFETY_FILES:
        for key, value in _data.raw(name).items():
            merged[key] = [*merged[key], *value] if key in merged else value  # type: ignore[misc]
    for model, data in ((_KnowledgeFile, _data.raw("knowledge.toml")),
                        (_QuestionsFile, _data.raw("questions.toml")),
                        (_SafetyFile, merged)):
        validated = model.model_validate(data)
        dumped = json.loads(json.dumps(validated.model_dump(mode="json", exclude_unset=True)))
        built = _data._construct(model, dumped)
        assert type(built) is model
        assert built == validated
        assert built.model_fields_set == validated.model_fields_set
        assert repr(built) == repr(validated)
        assert built.model_dump_json() == validated.model_dump_json()


def test_a_variant_of_a_shipped_file_is_always_validated() -> None:
    import copy

    from footreflex import _data
    from footreflex.errors import KnowledgeBaseError
    from footreflex.safety._questions import build_checklist

    variant = copy.deepcopy(_data.raw("questions.toml"))
    variant["questions"][0]["level"] = "whenever"
    with pytest.raises(KnowledgeBaseError, match=r"questions\.0\.level"):
        build_checklist(variant, "variant.toml")


def test_a_warm_start_reads_no_file_whose_validated_form_is_cached(
        base_env: dict[str, str]) -> None:
    code = ("import footreflex; from footreflex import _data\n"
            "footreflex.plan('lower back', minutes=20)\n"
            "print(' '.join(sorted(_data._raw)))")
    for _ in range(2):  # the first run writes the cache, the second reads it
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              check=True, env=base_env)
    assert done.stdout.split() == ["concepts.toml", "language.toml", "lexicon.toml"]


def test_a_replaced_shipped_file_is_validated_even_with_a_cached_form(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import copy

    from footreflex import _data
    from footreflex.errors import KnowledgeBaseError
    from footreflex.safety import _questions, _rules

    _rules.rules()
    _questions.questions()  # their cached forms, if any, are now in this process
    loads: list[tuple[str, str, Callable[[], object]]] = [
        ("questions.toml", "questions", _questions.questions),
        ("redflags.toml", "rules", _rules.rules)]
    for name, table, load in loads:
        data = copy.deepcopy(_data.raw(name))
        data[table][0]["level"] = "whenever"
        monkeypatch.setitem(_data._raw, name, data)
        monkeypatch.setattr(_data, "_built", {})
        with pytest.raises(KnowledgeBaseError, match="level"):
            load()
        monkeypatch.undo()


def test_the_shipped_knowledge_made_from_the_cache_equals_a_validated_one() -> None:
    import footreflex
    from footreflex import _data
    from footreflex._knowledge import KnowledgeBase

    footreflex.knowledge()  # its validated form is now in this process's cache
    cached = KnowledgeBase._from_cache()
    validated = KnowledgeBase(_data.raw("knowledge.toml"), _data.origin("knowledge.toml"))
    assert cached is not None and cached._alias_index is None  # names indexed on first use
    assert cached._file == validated._file and cached.origin == validated.origin
    assert cached._aliases == validated._aliases
    assert cached.target("Liv-3") == validated.target("tai chong")
    messages = []
    for kb in (cached, validated):
        with pytest.raises(footreflex.UnknownTargetError) as info:
            kb.target("tai chun")
        messages.append((str(info.value), info.value.suggestions))
    assert messages[0] == messages[1] and messages[0][1]
