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
    FileWriteError,
    FootreflexError,
    InvalidArgumentError,
    KnowledgeBaseError,
    MissingExtraError,
    NotCoveredError,
    ProfileError,
    SeekCareError,
    ServiceError,
    TextTooLongError,
    TimelineError,
    UnknownConditionError,
    UnknownQuestionError,
    UnknownSymptomError,
    UnknownTargetError,
)

if _TYPE_CHECKING:
    from footreflex._store import ProfileStore, SQLiteProfileStore, open_store
    from footreflex.footmap import FootMap, chart
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
    from footreflex.profile import Feedback, Preferences, Profile, Session, SessionTarget
    from footreflex.recommend import Program, ProgramSession, program
    from footreflex.safety import red_flag_questions, triage
    from footreflex.schemas import schemas
    from footreflex.symptoms import resolve, understand

# Names whose modules load on first use, so `import footreflex` (and `footreflex --help`)
# stays light: only the errors are imported eagerly.
_LAZY = {
    "KnowledgeBase": "footreflex.knowledgebase", "knowledge": "footreflex.knowledgebase",
    **dict.fromkeys(["Complaint", "Cue", "Finding", "Question", "Region", "Routine", "Source",
                     "Step", "Target", "Triage"], "footreflex.models"),
    "plan": "footreflex.planner",
    "red_flag_questions": "footreflex.safety", "triage": "footreflex.safety",
    "resolve": "footreflex.symptoms", "understand": "footreflex.symptoms",
    "FootMap": "footreflex.footmap", "chart": "footreflex.footmap",
    "Feedback": "footreflex.profile", "Preferences": "footreflex.profile",
    "Profile": "footreflex.profile", "Session": "footreflex.profile",
    "SessionTarget": "footreflex.profile",
    "ProfileStore": "footreflex._store", "SQLiteProfileStore": "footreflex._store",
    "open_store": "footreflex._store",
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
    "FileWriteError",
    "Finding",
    "FootMap",
    "FootreflexError",
    "InvalidArgumentError",
    "KnowledgeBase",
    "KnowledgeBaseError",
    "MissingExtraError",
    "NotCoveredError",
    "Preferences",
    "Profile",
    "ProfileError",
    "ProfileStore",
    "Program",
    "ProgramSession",
    "Question",
    "Region",
    "Routine",
    "SQLiteProfileStore",
    "SeekCareError",
    "ServiceError",
    "Session",
    "SessionTarget",
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
    "open_store",
    "plan",
    "program",
    "red_flag_questions",
    "resolve",
    "schemas",
    "triage",
    "understand",
]
