"""One loader for every shipped TOML data file: read once, validated, cached, thread-safe.

Every data file under ``footreflex/data`` is read through :func:`load`, with the schema it
must satisfy::

    checklist = load("questions.toml", build_checklist)   # a builder: (raw, origin) -> T
    tables = load("language.toml", LanguageFile)          # a pydantic model

* **Read once.** The file is package data (:mod:`importlib.resources`), parsed with
  :mod:`tomllib`; the parse is kept in the shipped-data cache (:mod:`footreflex._cache`,
  section ``toml``), so a process with a warm cache never imports :mod:`tomllib`.
* **Validated.** ``schema`` is a pydantic model (validated with ``model_validate``) or a
  builder called as ``schema(raw, origin)`` that validates and returns the module's own
  typed structure (a builder may :func:`load` other files). A file that fails is a
  :class:`~footreflex.errors.KnowledgeBaseError` naming the file and the field
  (``invalid knowledge base <footreflex>/data/lexicon.toml: radiating.path: ...``).
* **Cached, thread-safe.** The result is kept per (file, schema) and returned as the same
  object on every call: treat it as read-only. One re-entrant lock serialises first loads,
  so a builder loading another file does not deadlock and no file is built twice.

:func:`raw` gives the parsed, unvalidated data, for tests and tools that build variants of a
shipped file.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from importlib import resources
from typing import TYPE_CHECKING, Any, TypeVar, overload

from footreflex.errors import KnowledgeBaseError

if TYPE_CHECKING:
    from pydantic import BaseModel

__all__ = ["load", "origin", "raw", "validate"]

T = TypeVar("T")
M = TypeVar("M", bound="BaseModel")

_lock = threading.RLock()
_raw: dict[str, dict[str, Any]] = {}
_built: dict[tuple[str, object], object] = {}


def origin(name: str) -> str:
    """How errors name a shipped data file: ``"<footreflex>/data/lexicon.toml"``."""
    return f"<footreflex>/data/{name}"


@overload
def load(name: str, schema: type[M]) -> M: ...


@overload
def load(name: str, schema: Callable[[Mapping[str, Any], str], T]) -> T: ...


def load(name: str, schema: Any) -> Any:
    """Return the shipped data file ``name``, validated by ``schema`` (loaded once).

    Args:
        name: File name under ``footreflex/data`` (``"language.toml"``).
        schema: A pydantic model class, or a builder ``(raw, origin) -> T`` that validates
            the parsed data and returns a typed structure.

    Returns:
        The model instance or the builder's result (the same object on every call).

    Raises:
        KnowledgeBaseError: The file is missing, not valid TOML, or fails validation (file
            and field named).
    """
    key = (name, schema)
    try:
        return _built[key]
    except KeyError:
        pass
    with _lock:
        if key not in _built:
            _built[key] = _build(name, schema)
        return _built[key]


def _build(name: str, schema: Any) -> object:
    from pydantic import BaseModel, ValidationError

    data = raw(name)
    where = origin(name)
    if isinstance(schema, type) and issubclass(schema, BaseModel):
        return validate(schema, data, where)
    try:
        return schema(data, where)
    except ValidationError as exc:  # a builder validating part of the file with pydantic
        raise _error(exc, where) from None


def validate(model: type[M], data: object, where: str) -> M:
    """Validate ``data`` with ``model``; a failure is a KnowledgeBaseError naming the field.

    Args:
        model: The pydantic model.
        data: The parsed data.
        where: The file, as errors name it (:func:`origin` for shipped files).

    Returns:
        The model instance.

    Raises:
        KnowledgeBaseError: ``data`` does not fit ``model`` (the first error's dotted field).
    """
    from pydantic import ValidationError

    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise _error(exc, where) from None


def _error(exc: Any, where: str) -> KnowledgeBaseError:
    first = exc.errors()[0]
    return KnowledgeBaseError(where, ".".join(map(str, first["loc"])), first["msg"])


def raw(name: str) -> dict[str, Any]:
    """Return the parsed, unvalidated shipped file ``name`` (read-only; cached).

    Args:
        name: File name under ``footreflex/data``.

    Returns:
        The parsed TOML (the same object on every call: copy it before changing it).

    Raises:
        KnowledgeBaseError: The file is missing or not valid TOML.
    """
    hit = _raw.get(name)
    if hit is not None:
        return hit
    with _lock:
        if name not in _raw:
            _raw[name] = _parse(name)
        return _raw[name]


def _parse(name: str) -> dict[str, Any]:
    from footreflex import _cache

    cached = _cache.section("toml")
    hit = cached.get(name)
    if isinstance(hit, dict):
        return hit
    import tomllib  # only when the shipped-data cache lacks the file

    try:
        data = resources.files("footreflex").joinpath(f"data/{name}").read_bytes()
        parsed = tomllib.loads(data.decode("utf-8-sig"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise KnowledgeBaseError(origin(name), "", f"cannot load shipped data ({exc})"
                                 ) from None
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
