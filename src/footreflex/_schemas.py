"""JSON Schemas of the public models, for apps in any language.

Each schema carries ``$id`` (``https://footreflex.invalid/schemas/<name>-v<N>.json``; a name,
not a fetchable address) and ``x-schema-version``: the ``schema_version`` field value the
documents it describes carry. Later versions only add fields.
"""

from __future__ import annotations

import sys
import types
from typing import Any, Literal

from pydantic import BaseModel

from footreflex.errors import InvalidArgumentError

__all__ = ["SCHEMA_NAMES", "schema", "schemas"]

SCHEMA_NAMES = ("routine", "triage", "cue", "question", "profile", "program", "knowledge",
                "condition", "session", "feedback")


def _models() -> dict[str, tuple[type[BaseModel], int]]:
    from footreflex._knowledge import KNOWLEDGE_SCHEMA_VERSION, _KnowledgeFile
    from footreflex._models import ROUTINE_SCHEMA_VERSION, Cue, Question, Routine, Triage
    from footreflex._program import Program
    from footreflex.personal._profile import PROFILE_SCHEMA_VERSION, Profile
    from footreflex.server.webapi import ConditionInfo, FeedbackRequest, SessionPlan

    return {"routine": (Routine, ROUTINE_SCHEMA_VERSION), "triage": (Triage, 1),
            "cue": (Cue, 2), "question": (Question, 1),
            "profile": (Profile, PROFILE_SCHEMA_VERSION),
            "program": (Program, 1), "knowledge": (_KnowledgeFile, KNOWLEDGE_SCHEMA_VERSION),
            "condition": (ConditionInfo, 1), "session": (SessionPlan, 1),
            "feedback": (FeedbackRequest, 1)}


def schema(name: str) -> dict[str, Any]:
    """Return the JSON Schema of one public document type.

    Args:
        name: One of :data:`SCHEMA_NAMES`.

    Returns:
        A JSON Schema (draft 2020-12) as a dict.

    Raises:
        InvalidArgumentError: Unknown name.
    """
    models = _models()
    if not isinstance(name, str) or name not in models:
        raise InvalidArgumentError(
            f"unknown schema {name!r}; choose from {', '.join(SCHEMA_NAMES)}")
    model, version = models[name]
    mode: Literal["validation", "serialization"] = (
        "validation" if name in ("knowledge", "feedback") else "serialization")
    out = model.model_json_schema(mode=mode)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": f"https://footreflex.invalid/schemas/{name}-v{version}.json",
            "x-schema-version": version, **out}


def schemas() -> dict[str, dict[str, Any]]:
    """Return the JSON Schema of every public document type, by name.

    Returns:
        ``{"routine": {...}, "triage": {...}, "cue": {...}, "question": {...},
        "profile": {...}, "program": {...}, "knowledge": {...}, "condition": {...},
        "session": {...}, "feedback": {...}}`` (the last three: the web app's endpoints,
        :mod:`footreflex.webapi`).
    """
    return {name: schema(name) for name in SCHEMA_NAMES}


class _CallableModule(types.ModuleType):
    """``import footreflex.schemas`` puts this module where the function ``schemas`` was."""

    def __call__(self) -> dict[str, dict[str, Any]]:
        return schemas()


sys.modules[__name__].__class__ = _CallableModule
