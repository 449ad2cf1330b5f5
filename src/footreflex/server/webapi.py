"""The documents of the endpoints the web app uses (``footreflex serve`` → ``/``).

Plain pydantic models and functions, no web framework: the HTTP service
(:mod:`footreflex.server`) exposes them as ``GET /conditions``, ``POST /session`` and
``POST /feedback``, and any other app can call them the same way.

* :func:`conditions` lists the vocabulary of declared conditions (the choices a form offers).
* :func:`session_plan` plans a routine and returns everything a session screen needs: the
  routine, its cues (exactly :meth:`footreflex.Routine.cues`), the foot map (SVG) and the
  printable card (HTML). With a :class:`ServerProfile` it plans with the person's profile and,
  when asked to (``record``, sent when the person presses Start), records the session in it.
* :func:`give_feedback` stores per-target ratings ("helped", "no change", "didn't help") on a
  recorded session; without a profile nothing is stored and the result says so.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

import footreflex
from footreflex._models import Cue, Routine

if TYPE_CHECKING:
    from footreflex.personal._store import ProfileStore

__all__ = [
    "ConditionInfo",
    "FeedbackRequest",
    "FeedbackResult",
    "ServerProfile",
    "SessionPlan",
    "SessionRequest",
    "conditions",
    "give_feedback",
    "session_plan",
]

Text = Annotated[str, Field(max_length=500)]
ConditionText = Annotated[str, Field(max_length=100)]
QuestionId = Annotated[str, Field(max_length=64)]
TargetName = Annotated[str, Field(max_length=100)]
WebRating = Literal["helped", "neutral", "did_not_help"]


class ConditionInfo(BaseModel):
    """One condition of the vocabulary ``plan(conditions=...)`` understands.

    Attributes:
        schema_version: Version of this JSON shape.
        id: The id to send (``"pregnancy"``); foot-level ones take ``:left``, ``:right`` or
            ``:both`` (``"wound:left"``).
        name: Plain-words name (``"pregnancy or possible pregnancy"``).
        synonyms: Other words accepted for it.
        foot_level: Whether it concerns one foot (its steps on that foot are left out).
        stops_session: Whether declaring it stops the session (the advice is shown instead).
    """

    model_config = ConfigDict(frozen=True)

    schema_version: int = 1
    id: str
    name: str
    synonyms: tuple[str, ...] = ()
    foot_level: bool
    stops_session: bool


def conditions() -> list[ConditionInfo]:
    """Return the vocabulary of declared conditions, in the shipped order.

    Returns:
        One :class:`ConditionInfo` per condition.
    """
    from footreflex.safety import rules

    return [ConditionInfo(id=c.id, name=c.name, synonyms=c.synonyms,
                          foot_level=c.effect == "foot", stops_session=c.effect == "stop")
            for c in rules().conditions.values()]


class SessionRequest(BaseModel):
    """Body of ``POST /session``: the complaint, the budget, the conditions and answers."""

    model_config = ConfigDict(extra="forbid")

    symptoms: Text | Annotated[list[Text], Field(min_length=1, max_length=10)] = Field(
        description="One text, or a list of texts, naming what hurts.")
    minutes: float = Field(default=15, description="Time budget in minutes (finite, > 0).")
    conditions: Annotated[list[ConditionText], Field(max_length=20)] = Field(
        default_factory=list, description="Declared conditions (GET /conditions).")
    answers: Annotated[dict[QuestionId, bool], Field(max_length=50)] = Field(
        default_factory=dict, description="Answers to the red-flag questions (GET "
        "/questions): question id -> true for yes, false for no.")
    record: bool = Field(default=False, description=(
        "Record the session in the server's profile (when it runs with one); the web app "
        "sends true when the person presses Start."))


class SessionPlan(BaseModel):
    """What a session screen needs, in one answer.

    Attributes:
        schema_version: Version of this JSON shape.
        session_id: The id of the session recorded in the profile (``None`` when nothing
            was recorded: ``record`` was false or the server has no profile).
        profile: Whether the server runs with a profile (ratings can be stored).
        regions: The regions it serves, in plain words, with the side where one was stated
            (``"lower back (left side), neck"``).
        routine: The routine.
        cues: Exactly ``routine.cues()``: the texts and seconds to show and say.
        map_svg: The foot map without its legend (``routine.foot_map().to_svg(legend=False)``:
            the page lists the steps and the "watch for" lines beside it).
        card_html: The printable card (``routine.to_html()``).
    """

    schema_version: int = 1
    session_id: str | None = None
    profile: bool = False
    regions: str
    routine: Routine
    cues: list[Cue]
    map_svg: str
    card_html: str


class FeedbackRequest(BaseModel):
    """Body of ``POST /feedback``: ratings of a session's targets."""

    model_config = ConfigDict(extra="forbid")

    session_id: Annotated[str, Field(max_length=64)] | None = Field(
        default=None, description="The session_id POST /session answered with record=true.")
    ratings: Annotated[dict[TargetName, WebRating], Field(max_length=60)] = Field(
        default_factory=dict, description="Target id (a step's target_id) -> helped, neutral "
        "(no change) or did_not_help. Targets left out are not rated.")
    pain_before: int | None = Field(default=None, ge=0, le=10)
    pain_after: int | None = Field(default=None, ge=0, le=10)


class FeedbackResult(BaseModel):
    """The answer of ``POST /feedback``.

    Attributes:
        stored: Whether the ratings were saved in the profile.
        message: One sentence for the person.
    """

    stored: bool
    message: str


class ServerProfile:
    """The profile a server runs with: one profile of a profile store.

    Every change is one transaction of the store (:class:`~footreflex.ProfileStore`), so
    several servers, the CLI and other processes can use the same store at once.

    Args:
        store: The profile store (e.g. :class:`~footreflex.SQLiteProfileStore`).
        profile_id: Whose profile in it (default ``"default"``, as the CLI's).
    """

    def __init__(self, store: ProfileStore, profile_id: str = "default") -> None:
        self.store = store
        self.profile_id = profile_id

    def load(self) -> footreflex.Profile:
        """Return the profile as the store holds it now."""
        return self.store.load(self.profile_id)

    def record(self, routine: Routine, symptoms: list[str]) -> str:
        """Record a session; return its id."""
        return self.store.record(self.profile_id, routine, symptoms=symptoms).id

    def rate(self, session_id: str, ratings: dict[str, str], pain_before: int | None,
             pain_after: int | None) -> None:
        """Store ratings on a recorded session."""
        self.store.rate(self.profile_id, ratings, session=session_id,
                        pain_before=pain_before, pain_after=pain_after)


def session_plan(request: SessionRequest, profile: ServerProfile | None = None) -> SessionPlan:
    """Plan a routine for a session screen (and record it when asked and possible).

    Args:
        request: The complaint, budget, conditions, answers and whether to record.
        profile: The server's profile, if it runs with one: the routine is planned with it.

    Returns:
        The :class:`SessionPlan`.

    Raises:
        SeekCareError: Self-care is the wrong answer (a red flag in the text or an answer,
            or a condition that stops the session).
        FootreflexError: Bad input (unknown symptom, condition or question, bad minutes).
    """
    person = profile.load() if profile is not None else None
    routine = footreflex.plan(request.symptoms, minutes=request.minutes,
                              conditions=request.conditions, answers=request.answers,
                              profile=person)
    texts = [request.symptoms] if isinstance(request.symptoms, str) else list(request.symptoms)
    session_id = profile.record(routine, texts) if profile is not None and request.record \
        else None
    from footreflex.render._plain import region_names

    return SessionPlan(session_id=session_id, profile=profile is not None,
                       regions=region_names(routine), routine=routine,
                       cues=list(routine.cues()), map_svg=routine.foot_map().to_svg(legend=False),
                       card_html=routine.to_html())


def give_feedback(request: FeedbackRequest, profile: ServerProfile | None = None
                  ) -> FeedbackResult:
    """Store ratings on a recorded session (nothing is stored without a profile).

    Args:
        request: The session id and the ratings.
        profile: The server's profile, if it runs with one.

    Returns:
        Whether the ratings were stored, and a sentence saying so.

    Raises:
        ProfileError: No session id, an unknown session, or a target not in that session.
        UnknownTargetError: A rated name is not a target.
    """
    from footreflex.personal._profile import ProfileError

    count = len(request.ratings)
    noun = "rating" if count == 1 else "ratings"
    if profile is None:
        return FeedbackResult(stored=False, message=(
            "Thank you. Ratings are not saved: this server runs without a profile (start it "
            "with 'footreflex serve --profile' to keep them)."))
    if not request.session_id:
        raise ProfileError("a session id is needed to store ratings: start the session first")
    profile.rate(request.session_id, dict(request.ratings), request.pain_before,
                 request.pain_after)
    return FeedbackResult(stored=True, message=(
        f"Thank you. {count} {noun} saved in your profile; later routines take "
        f"{'it' if count == 1 else 'them'} into account."))
