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
    from footreflex._knowledge import KnowledgeBase, knowledge
    from footreflex._models import (
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
    from footreflex._pipeline import plan
    from footreflex._program import Program, ProgramSession, program
    from footreflex._schemas import schemas
    from footreflex._symptoms import resolve, understand
    from footreflex.personal import (
        Feedback,
        Preferences,
        Profile,
        ProfileStore,
        Session,
        SessionTarget,
        SQLiteProfileStore,
        open_store,
    )
    from footreflex.render import FootMap, chart
    from footreflex.safety import red_flag_questions, triage

# The pipeline, stage by stage (each a module or package; data flows down this list):
#   errors · _data (one TOML loader) · _models (data only) · _knowledge (typed indexes, graph)
#   · language (text layer) · _symptoms (text -> regions) · safety (triage, questions,
#   conditions) · planning (candidates -> select -> order -> steps) · personal (profile,
#   store, tuning) · _pipeline (plan = the composition) · _program · render · cli · server.
# Names load on first use, so `import footreflex` (and `footreflex --help`) stays light: only
# the errors are imported eagerly.
_LAZY = {
    "KnowledgeBase": "footreflex._knowledge", "knowledge": "footreflex._knowledge",
    **dict.fromkeys(["Complaint", "Cue", "Finding", "Question", "Region", "Routine", "Source",
                     "Step", "Target", "Triage"], "footreflex._models"),
    "plan": "footreflex._pipeline",
    "red_flag_questions": "footreflex.safety", "triage": "footreflex.safety",
    "resolve": "footreflex._symptoms", "understand": "footreflex._symptoms",
    "FootMap": "footreflex.render._footmap", "chart": "footreflex.render._footmap",
    **dict.fromkeys(["Feedback", "Preferences", "Profile", "Session", "SessionTarget"],
                    "footreflex.personal._profile"),
    **dict.fromkeys(["ProfileStore", "SQLiteProfileStore", "open_store"],
                    "footreflex.personal._store"),
    **dict.fromkeys(["Program", "ProgramSession", "program"], "footreflex._program"),
    "schemas": "footreflex._schemas",
}


def __getattr__(name: str) -> _Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'footreflex' has no attribute {name!r}")
    import importlib

    importlib.import_module("footreflex.render")  # registers the models' renderers (cheap)
    value = getattr(importlib.import_module(module), name)
    _publish()
    return value


def _publish() -> None:
    """Bind every public name whose module has loaded, with ``__module__ = "footreflex"``.

    Reprs, pickles and the docs then show the public path (``footreflex.Routine``, as httpx
    does), whichever public name was reached first.
    """
    import sys

    for public, module in _LAZY.items():
        if public in globals() or module not in sys.modules:
            continue
        value = getattr(sys.modules[module], public)
        if getattr(value, "__module__", "").startswith("footreflex."):
            value.__module__ = "footreflex"
        globals()[public] = value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


for _error in (MAX_SYMPTOM_CHARS, BudgetError, FileWriteError, FootreflexError,
               InvalidArgumentError, KnowledgeBaseError, MissingExtraError, NotCoveredError,
               ProfileError, SeekCareError, ServiceError, TextTooLongError, TimelineError,
               UnknownConditionError, UnknownQuestionError, UnknownSymptomError,
               UnknownTargetError):
    if isinstance(_error, type):
        _error.__module__ = "footreflex"
del _error

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
