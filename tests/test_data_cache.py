"""The shipped-data cache (footreflex._cache): same answers with it, without it, and broken."""

from __future__ import annotations

import json
import os
import subprocess
import sys
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
