"""One loader for every shipped TOML data file: read once, cached, thread-safe.

Each data file is package data (``footreflex/data/<name>``), read with
:mod:`importlib.resources` and parsed with :mod:`tomllib`. A file that is not valid TOML is a
:class:`~footreflex.errors.KnowledgeBaseError` naming the file (a packaging error).
"""

from __future__ import annotations

import functools
import threading
import tomllib
from importlib import resources
from typing import Any

from footreflex.errors import KnowledgeBaseError

__all__ = ["load"]

_lock = threading.Lock()


def load(name: str) -> dict[str, Any]:
    """Return the parsed shipped data file ``name`` (e.g. ``"language.toml"``).

    Args:
        name: File name under ``footreflex/data``.

    Returns:
        The parsed TOML (the same object on every call: treat it as read-only).

    Raises:
        KnowledgeBaseError: The file is missing or not valid TOML.
    """
    with _lock:
        return _load(name)


@functools.cache
def _load(name: str) -> dict[str, Any]:
    from footreflex import _cache

    cached = _cache.section("toml")
    hit = cached.get(name)
    if isinstance(hit, dict):
        return hit
    origin = f"<footreflex>/data/{name}"
    try:
        raw = resources.files("footreflex").joinpath(f"data/{name}").read_bytes()
        parsed = tomllib.loads(raw.decode("utf-8-sig"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise KnowledgeBaseError(origin, "", f"cannot load shipped data ({exc})") from None
    if _json_safe(parsed):  # dates and times have no JSON form: such a file is not cached
        cached[name] = parsed
        _cache.mark_dirty()
    return parsed


def _json_safe(value: object) -> bool:
    if isinstance(value, dict):
        return all(_json_safe(v) for v in value.values())
    if isinstance(value, list):
        return all(_json_safe(v) for v in value)
    return value is None or isinstance(value, str | int | float | bool)
