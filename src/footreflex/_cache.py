"""A JSON cache of work derived from the shipped data, so a fresh process starts fast.

The first plan of a process parses nine TOML files, stems a few thousand words and compiles
about five thousand red-flag and symptom terms. All of it depends only on the shipped data
files, the text-layer code and the Snowball stemmer, so it is kept in one JSON file (never a
pickle) in the user cache folder (where :func:`platformdirs.user_cache_dir` puts it, found
without importing platformdirs), named by a SHA-256
of exactly those inputs: any change to a data file, to the code that compiles terms or to the
stemmer gives a new name, and a stale file is never read. The code that validates the
shipped files (models, knowledge, safety rules and questions, and the text helpers their
checks use) is part of the name too.

Sections:

* ``toml``: file name -> the parsed TOML (what :func:`footreflex._data.raw` returns); as
  JSON text, decoded only when the file is read, for the files whose validated form is in
  ``valid`` below (a warm start does not read them);
* ``stems``: word -> Snowball stem;
* ``indexes``: a digest of a concept index's vocabularies -> its compiled terms (the stems
  of every word of every term, :mod:`footreflex.language._concepts`) grouped by first word,
  first stems apart from the other first words, and their words;
* ``valid``: the shipped knowledge, safety and questions files as their pydantic file models
  validated them (:func:`footreflex._data.validate`, ``shipped=``): a JSON dump and its
  SHA-256, from which a later process constructs the models without validating (the code
  that validates is part of the file's name). An entry whose digest does not match is
  ignored (the file is validated again); the cache is as trusted as the user's own files.

Reading: the file (written as ASCII JSON) is read once, on the first lookup; a missing,
unreadable or malformed file is an empty cache. Writing: at interpreter exit, only when this
process computed a TOML file, a validated file model or a concept index the file lacked (so
an ordinary run with a warm cache never writes), atomically (a temporary file, then
:func:`os.replace`); any error is ignored. Stems of the user's own words are kept only as a
side effect of such a write.

Settings (environment): ``FOOTREFLEX_CACHE_DIR`` chooses the folder; ``FOOTREFLEX_NO_CACHE=1``
turns the cache off (nothing read or written).
"""

from __future__ import annotations

import atexit
import hashlib
import json
import os
import threading
from pathlib import Path
from typing import Any

__all__ = ["mark_dirty", "path", "section"]

CACHE_FORMAT = 4
"""Version of the cache file's layout (part of the key)."""

_SECTIONS = ("toml", "stems", "indexes", "valid")
_lock = threading.Lock()
_state: dict[str, Any] = {"loaded": False, "dirty": False, "data": {}, "path": None}

# Code whose behaviour the cached values depend on (package-relative paths).
_CODE = ("_cache.py", "_data.py", "language/_normalise.py", "language/_concepts.py",
         "language/_words.py", "_models.py", "_knowledge.py", "_text.py", "safety/_rules.py",
         "safety/_questions.py")


def _key() -> str:
    """SHA-256 of the data files, the code that derives from them, the stemmer and pydantic."""
    digest = hashlib.sha256(f"footreflex-cache {CACHE_FORMAT}\n".encode())
    package: Any = Path(__file__).parent
    if not (package / "data").is_dir():  # not installed as files (a zip): ask importlib
        from importlib import resources

        package = resources.files("footreflex")
    names = sorted(entry.name for entry in package.joinpath("data").iterdir()
                   if entry.name.endswith(".toml"))
    for name in names:
        digest.update(f"data/{name}\n".encode())
        digest.update(package.joinpath("data", name).read_bytes())
    for name in _CODE:
        digest.update(f"{name}\n".encode())
        digest.update(package.joinpath(*name.split("/")).read_bytes())
    # The stemmer, and pydantic's version (the validated file models are dumped by it; it
    # pins its pydantic-core): found, never imported.
    for package, module in (("snowballstemmer", "english_stemmer.py"), ("pydantic", "version.py")):
        spec = _find_spec(package)
        if spec is not None and spec.submodule_search_locations:
            file = Path(next(iter(spec.submodule_search_locations))) / module
            digest.update(file.read_bytes() if file.is_file() else b"?")
    return digest.hexdigest()[:32]


def _find_spec(name: str) -> Any:
    """:func:`importlib.util.find_spec` for a top-level name, without importing that module."""
    import sys

    if name in sys.modules:
        return getattr(sys.modules[name], "__spec__", None)
    for finder in sys.meta_path:
        find = getattr(finder, "find_spec", None)
        spec = find(name, None) if find is not None else None
        if spec is not None:
            return spec
    return None


def path() -> Path | None:
    """Return the cache file for the current data and code, or ``None`` when disabled.

    Returns:
        The path (it may not exist yet).
    """
    if os.environ.get("FOOTREFLEX_NO_CACHE", "") not in ("", "0"):
        return None
    folder = os.environ.get("FOOTREFLEX_CACHE_DIR") or _user_cache_dir()
    return Path(folder) / f"shipped-{_key()}.json"


def _user_cache_dir() -> str:
    """The per-user cache folder, as platformdirs names it (without importing it)."""
    import sys

    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return str(Path(base) / "footreflex" / "Cache")
    if sys.platform == "darwin":
        return str(Path.home() / "Library" / "Caches" / "footreflex")
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    if not base or not os.path.isabs(base):
        base = str(Path.home() / ".cache")
    return str(Path(base) / "footreflex")


def _load() -> dict[str, dict[str, Any]]:
    if _state["loaded"]:
        return _state["data"]  # type: ignore[no-any-return]
    with _lock:
        if not _state["loaded"]:
            data: dict[str, dict[str, Any]] = {name: {} for name in _SECTIONS}
            try:
                file = path()
            except OSError:
                file = None
            _state["path"] = file
            if file is not None:
                try:
                    raw = json.loads(file.read_bytes())
                    if isinstance(raw, dict) and all(isinstance(raw.get(n), dict)
                                                      for n in _SECTIONS):
                        data = {name: raw[name] for name in _SECTIONS}
                except (OSError, ValueError):
                    pass
                atexit.register(_save)
            _state["data"] = data
            _state["loaded"] = True
    return _state["data"]  # type: ignore[no-any-return]


def section(name: str) -> dict[str, Any]:
    """Return the live dict of one section (``"toml"``, ``"stems"`` or ``"indexes"``).

    Args:
        name: The section.

    Returns:
        The section's dict: read it, and add what this process computes.
    """
    return _load()[name]


def mark_dirty() -> None:
    """Ask for the cache file to be written at exit (something new was computed)."""
    _state["dirty"] = True


def _save() -> None:
    file: Path | None = _state["path"]
    if file is None or not _state["dirty"]:
        return
    import tempfile
    try:
        with _lock:
            # ASCII (other characters as \u escapes): a fresh process decodes and scans a
            # one-byte-per-character text faster than the wide text the data's few emoji
            # and Chinese characters would make of the whole file.
            text = json.dumps({name: _state["data"][name] for name in _SECTIONS},
                              ensure_ascii=True, separators=(",", ":"))
        file.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=file.parent, prefix=".tmp-", suffix=".json")
        try:
            with os.fdopen(fd, "w", encoding="ascii") as out:
                out.write(text)
            os.replace(tmp, file)
        except BaseException:
            os.unlink(tmp)
            raise
        _state["dirty"] = False
    except (OSError, TypeError, ValueError, RuntimeError):
        pass
