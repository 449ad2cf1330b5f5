"""footreflex: a symptom in, a safe, ordered, time-budgeted foot self-massage routine out.

>>> import footreflex
>>> routine = footreflex.plan("lower back", minutes=20)
>>> routine.steps[0].kind
'warmup'

footreflex describes traditional self-care. It does not diagnose and does not promise relief.
"""

from typing import TYPE_CHECKING as _TYPE_CHECKING
from typing import Any as _Any

from footreflex.errors import (
    MAX_SYMPTOM_CHARS,
    BudgetError,
    FootreflexError,
    KnowledgeBaseError,
    MissingExtraError,
    NotCoveredError,
    SeekCareError,
    TextTooLongError,
    TimelineError,
    UnknownConditionError,
    UnknownQuestionError,
    UnknownSymptomError,
    UnknownTargetError,
)
from footreflex.knowledgebase import KnowledgeBase, knowledge
from footreflex.models import (
    Complaint,
    Cue,
    Finding,
    Question,
    Region,
    Routine,
    Source,
    Step,
    Target,
    Triage,
)
from footreflex.planner import plan
from footreflex.safety import red_flag_questions, triage
from footreflex.symptoms import resolve, understand

if _TYPE_CHECKING:
    from footreflex.footmap import FootMap, chart
    from footreflex.profile import Feedback, Preferences, Profile, ProfileError, Session
    from footreflex.recommend import Program, ProgramSession, program
    from footreflex.schemas import schemas

# Names whose modules load on first use, so `import footreflex` stays light.
_LAZY = {
    "FootMap": "footreflex.footmap", "chart": "footreflex.footmap",
    "Feedback": "footreflex.profile", "Preferences": "footreflex.profile",
    "Profile": "footreflex.profile", "ProfileError": "footreflex.profile",
    "Session": "footreflex.profile",
    "Program": "footreflex.recommend", "ProgramSession": "footreflex.recommend",
    "program": "footreflex.recommend",
    "schemas": "footreflex.schemas",
}


def __getattr__(name: str) -> _Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'footreflex' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))

__version__ = "0.2.0"
"""The package version (also the version pyproject.toml builds with)."""

__all__ = [
    "MAX_SYMPTOM_CHARS",
    "BudgetError",
    "Complaint",
    "Cue",
    "Feedback",
    "Finding",
    "FootMap",
    "FootreflexError",
    "KnowledgeBase",
    "KnowledgeBaseError",
    "MissingExtraError",
    "NotCoveredError",
    "Preferences",
    "Profile",
    "ProfileError",
    "Program",
    "ProgramSession",
    "Question",
    "Region",
    "Routine",
    "SeekCareError",
    "Session",
    "Source",
    "Step",
    "Target",
    "TextTooLongError",
    "TimelineError",
    "Triage",
    "UnknownConditionError",
    "UnknownQuestionError",
    "UnknownSymptomError",
    "UnknownTargetError",
    "__version__",
    "chart",
    "knowledge",
    "plan",
    "program",
    "red_flag_questions",
    "resolve",
    "schemas",
    "triage",
    "understand",
]
