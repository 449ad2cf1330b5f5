"""One loader for every shipped TOML data file: read once, validated, cached, thread-safe.

Every data file under ``footreflex/data`` is read through :func:`load`, with the schema it
must satisfy::

    lexicon = load("lexicon.toml", LEXICON)               # a shape: {"suggest": {"words": [Term]}}
    checklist = load("questions.toml", build_checklist)   # a builder: (raw, origin) -> T

* **Read once.** The file is package data (:mod:`importlib.resources`), parsed with
  :mod:`tomllib`; the parse is kept in the shipped-data cache (:mod:`footreflex._cache`,
  section ``toml``), so a process with a warm cache never imports :mod:`tomllib`. A file
  whose builder makes its result from the cached validated form (``load(..., cached=...)``)
  is kept there as JSON text, decoded only if the file is read.
* **Validated.** ``schema`` is one of: a *shape* (nested dicts and lists of types, see
  :func:`check`: the parsed data is checked and returned as it is, at no import cost, for
  the word lists); a pydantic model (validated with ``model_validate``); or a builder called
  as ``schema(raw, origin)`` that validates and returns the module's own typed structure (a
  builder may :func:`load` other files). A file that fails is a
  :class:`~footreflex.errors.KnowledgeBaseError` naming the file and the field
  (``invalid knowledge base <footreflex>/data/lexicon.toml: radiating.path.3: ...``).
* **Cached, thread-safe.** The result is kept per (file, schema) and returned as the same
  object on every call: treat it as read-only. Pass the same schema object every time (a
  module-level constant or function): the cache knows a schema by its identity. One
  re-entrant lock serialises first loads, so a builder loading another file does not
  deadlock and no file is built twice.

:func:`raw` gives the parsed, unvalidated data, for tests and tools that build variants of a
shipped file.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar, overload

from footreflex.errors import KnowledgeBaseError

if TYPE_CHECKING:
    from pydantic import BaseModel

__all__ = ["Shape", "Term", "check", "instance", "load", "origin", "prevalidated", "pristine",
           "raw", "remember", "validate"]

T = TypeVar("T")
M = TypeVar("M", bound="BaseModel")

_lock = threading.RLock()
_raw: dict[str, dict[str, Any]] = {}
_parsed: dict[str, dict[str, Any]] = {}  # name -> the object parsed from the file or cache
_built: dict[tuple[str, int], tuple[object, object]] = {}  # (file, id(schema)) -> (schema, data)
# Files a builder reads only when its result cannot be made from the cache (load's ``files``):
# their parse is cached as JSON text, decoded when read; the other files' as JSON values.
_deferred: set[str] = set()


def origin(name: str) -> str:
    """How errors name a shipped data file: ``"<footreflex>/data/lexicon.toml"``."""
    return f"<footreflex>/data/{name}"


class Term:
    """In a shape: a non-empty string (a term, a word, a phrase)."""

    __slots__ = ()


Shape = Any
"""A shape: ``str``, ``int``, ``float``, ``bool`` or :class:`Term`; ``[shape]`` a list of
them; ``{str: shape}`` a table with any keys; ``{"key": shape, "other?": shape}`` a table
with exactly those keys (``?``: optional); a tuple of values: one of them."""


@overload
def load(name: str, schema: dict[Any, Any]) -> dict[str, Any]: ...


@overload
def load(name: str, schema: type[M]) -> M: ...


@overload
def load(name: str, schema: Callable[[Mapping[str, Any], str], T], *,
         cached: Callable[[], T | None] | None = None, files: tuple[str, ...] = ()) -> T: ...


def load(name: str, schema: Any, *, cached: Callable[[], Any] | None = None,
         files: tuple[str, ...] = ()) -> Any:
    """Return the shipped data file ``name``, validated by ``schema`` (loaded once).

    Args:
        name: File name under ``footreflex/data`` (``"language.toml"``).
        schema: A shape (:func:`check`), a pydantic model class, or a builder
            ``(raw, origin) -> T`` that validates the parsed data and returns a typed
            structure.
        cached: For a builder of pre-validated shipped data: makes the result from the
            shipped-data cache alone (:func:`prevalidated`), or returns ``None`` (then the
            file is parsed and given to the builder). Tried only while the files the builder
            reads (``files``; default: ``name``) have not been replaced by variants in this
            process, so the parse of a file whose validated form is cached is never needed.
        files: The shipped files the builder reads.

    Returns:
        The checked data, the model instance or the builder's result (the same object on
        every call: treat it as read-only).

    Raises:
        KnowledgeBaseError: The file is missing, not valid TOML, or fails validation (file
            and field named).
    """
    key = (name, id(schema))  # a shape (a dict) is not hashable; its id is kept alive below
    hit = _built.get(key)
    if hit is not None:
        return hit[1]
    with _lock:
        if key not in _built:
            made = None
            if cached is not None:
                _deferred.update(files or (name,))
            if cached is not None and all(_raw.get(f, _parsed.get(f)) is _parsed.get(f)
                                          for f in files or (name,)):
                made = cached()
            _built[key] = (schema, _build(name, schema) if made is None else made)
        return _built[key][1]


def _build(name: str, schema: Any) -> object:
    from pydantic import BaseModel, ValidationError

    data = raw(name)
    where = origin(name)
    if isinstance(schema, dict):
        check(data, schema, where)
        return data
    if isinstance(schema, type) and issubclass(schema, BaseModel):
        return validate(schema, data, where)
    try:
        return schema(data, where)
    except ValidationError as exc:  # a builder validating part of the file with pydantic
        raise _error(exc, where) from None


def validate(model: type[M], data: object, where: str, *, shipped: str = "") -> M:
    """Validate ``data`` with ``model``; a failure is a KnowledgeBaseError naming the field.

    Args:
        model: The pydantic model.
        data: The parsed data.
        where: The file, as errors name it (:func:`origin` for shipped files).
        shipped: Only for data parsed from shipped files, exactly as parsed (:func:`pristine`):
            the name of its entry in the shipped-data cache (section ``valid``). With a
            checked entry the instance is constructed from it, without validation (see
            :func:`prevalidated`); otherwise ``data`` is validated and the entry written.

    Returns:
        The model instance.

    Raises:
        KnowledgeBaseError: ``data`` does not fit ``model`` (the first error's dotted field).
    """
    if shipped:
        hit = prevalidated(model, shipped)
        if hit is not None:
            return hit
    from pydantic import ValidationError

    try:
        result = model.model_validate(data)
    except ValidationError as exc:
        raise _error(exc, where) from None
    if shipped:
        remember(shipped, result)
    return result


def prevalidated(model: type[M], name: str) -> M | None:
    """Construct ``model`` from its pre-validated entry in the shipped-data cache.

    The entry (section ``valid``, written by :func:`validate` after a successful validation
    of the shipped data) is ``{"sha256": ..., "json": ...}``: the instance's
    ``model_dump(mode="json", exclude_unset=True)`` as a JSON string and its SHA-256. The
    cache file is named by a hash of the data files and of the code that validates them, so
    an entry can only be read by the code that wrote it. An entry whose digest does not
    match (a damaged or edited file), that does not fit the model's fields, or a field type
    the constructor does not know, is ignored: the caller validates. Nothing is validated
    here: the models are made with ``model_construct`` (nested models too), so their
    pydantic schemas need not be built.

    Args:
        model: The model the entry was written for.
        name: The entry's name.

    Returns:
        The instance (equal to a validated one, fields set included), or ``None``.
    """
    import hashlib
    import json

    from footreflex import _cache

    entry = _cache.section("valid").get(name)
    if not isinstance(entry, dict):
        return None
    text, digest = entry.get("json"), entry.get("sha256")
    if not isinstance(text, str) or hashlib.sha256(text.encode()).hexdigest() != digest:
        return None
    try:
        return _construct(model, json.loads(text))  # type: ignore[no-any-return]
    except (TypeError, ValueError, KeyError, AttributeError):
        return None


def remember(name: str, instance: BaseModel) -> None:
    """Keep a validated model of shipped data as the cache entry ``name`` (:func:`validate`).

    Args:
        name: The entry's name.
        instance: The model, validated from the shipped data.
    """
    import hashlib
    import json

    from footreflex import _cache

    try:
        text = json.dumps(instance.model_dump(mode="json", exclude_unset=True),
                          ensure_ascii=True, separators=(",", ":"))  # ASCII: decoded faster
        _construct(type(instance), json.loads(text))  # only entries that can be read back
    except (TypeError, ValueError, KeyError, AttributeError):
        return
    _cache.section("valid")[name] = {
        "sha256": hashlib.sha256(text.encode()).hexdigest(), "json": text}
    _cache.mark_dirty()


def _construct(kind: Any, value: Any) -> Any:
    """Rebuild a JSON value as the Python value of type ``kind``, models constructed."""
    return _converter(kind)(value)


_converters: dict[Any, Callable[[Any], Any]] = {}


def _converter(kind: Any) -> Callable[[Any], Any]:
    """A function rebuilding JSON values of type ``kind`` (made once per type)."""
    try:
        return _converters[kind]
    except KeyError:
        pass
    except TypeError:  # an unhashable annotation: not kept
        return _make_converter(kind)
    made = _converters[kind] = _make_converter(kind)
    return made


def _scalar(kinds: tuple[type, ...]) -> Callable[[Any], Any]:
    def convert(value: Any) -> Any:
        if type(value) not in kinds:
            raise TypeError("a scalar of the wrong type")
        return value
    return convert


def _scalar_kinds(kind: Any) -> tuple[type, ...] | None:
    """The one type a JSON scalar of type ``kind`` must have (``None``: not a plain scalar)."""
    import typing

    while typing.get_origin(kind) is typing.Annotated:
        kind = typing.get_args(kind)[0]
    return (kind,) if kind in (str, int, bool, float) else None


def _make_converter(kind: Any) -> Callable[[Any], Any]:
    import types
    import typing

    from pydantic import BaseModel

    if isinstance(kind, type) and issubclass(kind, BaseModel):
        return _model_converter(kind)
    if kind in (str, int, bool, float):
        return _scalar((kind,))
    origin = typing.get_origin(kind)
    args = typing.get_args(kind)
    if origin is typing.Annotated:
        return _converter(args[0])
    if origin is typing.Literal:
        allowed = frozenset(args)

        def literal(value: Any) -> Any:
            if value not in allowed:
                raise ValueError("not one of the literal values")
            return value
        return literal
    if origin is typing.Union or origin is types.UnionType:
        options = [a for a in args if a is not type(None)]
        if len(options) != 1:
            raise TypeError("an ambiguous union")
        inner = _converter(options[0])
        if len(args) == 1:
            return inner

        def optional(value: Any) -> Any:
            return None if value is None else inner(value)
        return optional
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        kinds = _scalar_kinds(args[0])
        if kinds is not None:  # a tuple of strings (most): checked without a call per item
            allowed = frozenset(kinds)

            def strings(value: Any) -> Any:
                if type(value) is not list or not set(map(type, value)) <= allowed:
                    raise TypeError("a list of scalars of the right type is needed")
                return tuple(value)
            return strings
        item = _converter(args[0])

        def sequence(value: Any) -> Any:
            if type(value) is not list:
                raise TypeError("a list is needed")
            return tuple(map(item, value))
        return sequence
    if origin is tuple and args:
        items = tuple(_converter(a) for a in args)

        def fixed(value: Any) -> Any:
            if type(value) is not list or len(value) != len(items):
                raise ValueError("a tuple of the wrong length")
            return tuple(f(v) for f, v in zip(items, value, strict=True))
        return fixed
    if origin is dict and len(args) == 2:
        key, val = _converter(args[0]), _converter(args[1])

        def table(value: Any) -> Any:
            if type(value) is not dict:
                raise TypeError("a table is needed")
            return {key(k): val(v) for k, v in value.items()}
        return table
    raise TypeError(f"cannot construct {kind!r}")


_setattr = object.__setattr__


def instance(cls: type[M], fields: dict[str, Any], given: Iterable[str]) -> M:
    """A model instance holding ``fields``, not validated (what ``model_construct`` does last).

    Args:
        cls: The model class (no private attributes, no extra fields).
        fields: Every field, in declaration order; it becomes the instance's ``__dict__``.
        given: The names of the fields set (``model_fields_set``; the rest are defaults).

    Returns:
        The instance.
    """
    made = cls.__new__(cls)
    _setattr(made, "__dict__", fields)
    _setattr(made, "__pydantic_fields_set__", set(given))
    _setattr(made, "__pydantic_extra__", None)
    _setattr(made, "__pydantic_private__", None)
    return made


def _model_converter(cls: type[BaseModel]) -> Callable[[Any], Any]:
    """Construct ``cls`` as :meth:`~pydantic.BaseModel.model_construct` does, fields converted.

    The instance's ``__dict__`` holds every field in declaration order (defaults for the
    fields the JSON leaves out) and its fields set are the JSON's keys, as after validating
    the data the JSON was dumped from (``exclude_unset``).
    """
    import copy

    if cls.__private_attributes__ or cls.model_config.get("extra") == "allow":
        raise TypeError("a model with private attributes or extra fields")
    missing = object()
    # Per field: its name, its converter (None for a plain scalar, whose JSON type is
    # checked in place), the scalar's type, the default (``missing`` when required or
    # made by a factory), the factory, and whether the default is copied (as pydantic does).
    plan: list[tuple[str, Callable[[Any], Any] | None, Any, Any, Any, bool]] = []
    spec: list[tuple[str, Any, Any]] = [
        (name, field.annotation, field) for name, field in cls.model_fields.items()]
    holder: list[Callable[[Any], Any]] = []

    def make(value: Any) -> Any:
        return holder[0](value)
    _converters[cls] = make  # a model that contains itself finds this while being planned
    for name, annotation, field in spec:
        factory = field.default_factory
        if factory is not None and field.default_factory_takes_validated_data:
            raise TypeError("a default factory that takes the data")
        default = missing if field.is_required() or factory is not None else field.default
        kinds = _scalar_kinds(annotation)
        plan.append((name, None if kinds else _converter(annotation), kinds[0] if kinds else None,
                     default, factory, isinstance(default, list | dict | set)))
    names = frozenset(name for name, *_ in plan)
    # Every field in declaration order, with its default (``missing`` until filled); the JSON's
    # fields are converted into a copy of it, then the defaults that pydantic makes anew
    # (factories, copied mutable defaults) are filled in for the fields the JSON leaves out.
    template = {name: default for name, _, _, default, _, _ in plan}
    converters = {name: (convert, scalar) for name, convert, scalar, *_ in plan}
    required = frozenset(name for name, _, _, default, factory, _ in plan
                         if default is missing and factory is None)
    fresh = [(name, factory, default) for name, _, _, default, factory, mutable in plan
             if factory is not None or mutable]

    def construct(value: Any) -> Any:
        if type(value) is not dict:
            raise TypeError("a table is needed")
        keys = value.keys()
        if not keys <= names:
            raise KeyError("an unknown field")
        if not required <= keys:
            raise KeyError("a required field is missing")
        fields = template.copy()
        for name, item in value.items():
            convert, scalar = converters[name]
            if convert is None:
                if type(item) is not scalar:
                    raise TypeError("a scalar of the wrong type")
                fields[name] = item
            else:
                fields[name] = convert(item)
        for name, factory, default in fresh:
            if name not in value:
                fields[name] = factory() if factory is not None else copy.deepcopy(default)
        return instance(cls, fields, value)
    holder.append(construct)
    _converters[cls] = construct
    return construct


_FAST: dict[type, set[type]] = {Term: {str}, str: {str}, float: {int, float}, int: {int}}


def check(value: object, shape: Shape, where: str, path: str = "") -> None:
    """Check parsed data against a shape; a mismatch names the file and the field.

    Shapes are plain Python values, so checking the word-list files costs no model
    building (their data is tens of thousands of strings, read on the first plan)::

        {"radiating": {"path": [Term], "nerve_window": int},
         "not_covered": {str: [Term]}, "sides?": {str: {"terms": [Term]}}}

    Args:
        value: The parsed data.
        shape: What it must look like (see :data:`Shape`).
        where: The file, as errors name it.
        path: The dotted field of ``value`` (empty for the whole file).

    Raises:
        KnowledgeBaseError: The first field that does not fit.
    """
    if shape is Term:
        if not isinstance(value, str) or not value:
            raise KnowledgeBaseError(where, path, "a non-empty string is needed")
    elif shape is bool or shape is str:
        if not isinstance(value, shape):
            raise KnowledgeBaseError(where, path, "true or false is needed" if shape is bool
                                     else "a string is needed")
    elif shape is int or shape is float:
        if isinstance(value, bool) or not isinstance(value, int if shape is int else int | float):
            raise KnowledgeBaseError(where, path, "a whole number is needed" if shape is int
                                     else "a number is needed")
    elif isinstance(shape, list):
        if not isinstance(value, list):
            raise KnowledgeBaseError(where, path, "a list is needed")
        if _plain_list(value, shape):
            return  # the common case (word lists, coordinates) without a call per item
        (item,) = shape
        for i, v in enumerate(value):
            check(v, item, where, _join(path, i))
    elif isinstance(shape, dict):
        if not isinstance(value, dict):
            raise KnowledgeBaseError(where, path, "a table is needed")
        if str in shape:
            sub = shape[str]
            for key, v in value.items():
                if not (isinstance(sub, list) and type(v) is list and _plain_list(v, sub)):
                    check(v, sub, where, _join(path, key))
            return
        names = {key.rstrip("?"): key.endswith("?") for key in shape}
        for key, sub in shape.items():
            name = key.rstrip("?")
            if name in value:
                check(value[name], sub, where, _join(path, name))
            elif not names[name]:
                raise KnowledgeBaseError(where, _join(path, name), "missing")
        for key in value:
            if key not in names:
                raise KnowledgeBaseError(where, _join(path, key), "not a known field")
    elif isinstance(shape, tuple):
        if value not in shape:
            raise KnowledgeBaseError(where, path, "one of " + ", ".join(repr(v) for v in shape)
                                     + " is needed")
    else:  # pragma: no cover - a programming error in a shape
        raise TypeError(f"not a shape: {shape!r}")


def _join(path: str, key: object) -> str:
    """The dotted field of ``key`` below ``path``."""
    return f"{path}.{key}" if path else str(key)


def _plain_list(value: list[Any], shape: list[Any]) -> bool:
    """Whether a list fits a list shape of plain items (``[Term]``, ``[float]`` ...) at once."""
    (item,) = shape
    fast = _FAST.get(item) if isinstance(item, type) else None
    return fast is not None and set(map(type, value)) <= fast and (
        item is not Term or "" not in value)


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


def pristine(name: str, data: object) -> bool:
    """Whether ``data`` is the shipped file ``name`` exactly as this module parsed it.

    A pre-validated form (:func:`validate`, ``shipped=``) may stand for such data only: a
    variant, even one put in place of the shipped parse, is validated.

    Args:
        name: File name under ``footreflex/data``.
        data: The parsed data a builder was given.

    Returns:
        ``True`` when ``data`` is the very object parsed from the file (or its cache entry).
    """
    return _parsed.get(name) is data


def _parse(name: str) -> dict[str, Any]:
    parsed = _parse_file(name)
    _parsed[name] = parsed
    return parsed


def _parse_file(name: str) -> dict[str, Any]:
    from footreflex import _cache

    cached = _cache.section("toml")
    hit = cached.get(name)
    if isinstance(hit, dict):
        return hit
    if isinstance(hit, str):  # kept as JSON text: decoded only when the file is read
        import json

        try:
            parsed: object = json.loads(hit)
        except ValueError:
            parsed = None
        if isinstance(parsed, dict):
            return parsed
    import tomllib  # only when the shipped-data cache lacks the file
    from importlib import resources  # (it imports tempfile, shutil and the archive modules)

    try:
        data = resources.files("footreflex").joinpath(f"data/{name}").read_bytes()
        parsed = tomllib.loads(data.decode("utf-8-sig"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise KnowledgeBaseError(origin(name), "", f"cannot load shipped data ({exc})"
                                 ) from None
    if _json_safe(parsed):  # dates and times have no JSON form: such a file is not cached
        import json

        cached[name] = json.dumps(parsed, ensure_ascii=False, separators=(",", ":")
                                  ) if name in _deferred else parsed
        _cache.mark_dirty()
    return parsed


def _json_safe(value: object) -> bool:
    if isinstance(value, dict):
        return all(_json_safe(v) for v in value.values())
    if isinstance(value, list):
        return all(_json_safe(v) for v in value)
    return value is None or isinstance(value, str | int | float | bool)
