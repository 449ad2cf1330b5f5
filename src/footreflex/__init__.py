"""footreflex: a symptom in, a safe, ordered, time-budgeted foot self-massage routine out.

>>> import footreflex
>>> routine = footreflex.plan("lower back", minutes=20)
>>> routine.steps[0].kind
'warmup'

footreflex describes traditional self-care. It does not diagnose and does not promise relief.
"""

from footreflex.errors import (
    BudgetError,
    FootreflexError,
    KnowledgeBaseError,
    SeekCareError,
    TimelineError,
    UnknownConditionError,
    UnknownSymptomError,
    UnknownTargetError,
)
from footreflex.footmap import FootMap, chart
from footreflex.knowledgebase import KnowledgeBase, knowledge
from footreflex.models import Cue, Finding, Region, Routine, Source, Step, Target, Triage
from footreflex.planner import plan
from footreflex.profile import Feedback, Preferences, Profile, ProfileError, Session
from footreflex.recommend import Program, ProgramSession, program
from footreflex.safety import triage
from footreflex.schemas import schemas
from footreflex.symptoms import resolve

__version__ = "0.2.0"
"""The package version (also the version pyproject.toml builds with)."""

__all__ = [
    "BudgetError",
    "Cue",
    "Feedback",
    "Finding",
    "FootMap",
    "FootreflexError",
    "KnowledgeBase",
    "KnowledgeBaseError",
    "Preferences",
    "Profile",
    "ProfileError",
    "Program",
    "ProgramSession",
    "Region",
    "Routine",
    "SeekCareError",
    "Session",
    "Source",
    "Step",
    "Target",
    "TimelineError",
    "Triage",
    "UnknownConditionError",
    "UnknownSymptomError",
    "UnknownTargetError",
    "__version__",
    "chart",
    "knowledge",
    "plan",
    "program",
    "resolve",
    "schemas",
    "triage",
]
