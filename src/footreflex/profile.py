"""A person's profile: sessions, feedback and standing preferences (immutable, JSON on disk).

Every change returns a new :class:`Profile`; nothing is modified in place. On disk a profile
is one JSON file written atomically (temporary file, ``fsync``, rename). :meth:`Profile.save`
refuses to drop sessions that the file on disk holds and this profile lacks (another process
recorded them), and a corrupt or newer-version file raises :class:`ProfileError` and is left
untouched. Older files are upgraded on load through :data:`MIGRATIONS`.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from footreflex.errors import FootreflexError
from footreflex.models import Routine

__all__ = [
    "MIGRATIONS",
    "PROFILE_SCHEMA_VERSION",
    "Feedback",
    "Preferences",
    "Profile",
    "ProfileError",
    "Rating",
    "Session",
]

PROFILE_SCHEMA_VERSION = 1
Rating = Literal["helped", "neutral", "did_not_help", "skip"]
Pressure = Literal["light", "medium", "firm"]
RATINGS: tuple[str, ...] = ("helped", "neutral", "did_not_help", "skip")


class ProfileError(FootreflexError):
    """A profile file is corrupt, newer than this version, in conflict, or bad input.

    Attributes:
        path: The file concerned (empty for input errors).
    """

    def __init__(self, message: str, path: str = "") -> None:
        self.path = path
        super().__init__(message)

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (str(self), self.path))


class Feedback(BaseModel):
    """A person's feedback on one session.

    Attributes:
        ratings: Target id -> ``helped``, ``neutral``, ``did_not_help`` or ``skip``.
        pain_before: Pain before the session, 0 (none) to 10 (worst).
        pain_after: Pain after it, 0 to 10.
        note: Free text.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    ratings: dict[str, Rating] = Field(default_factory=dict)
    pain_before: int | None = Field(default=None, ge=0, le=10)
    pain_after: int | None = Field(default=None, ge=0, le=10)
    note: str | None = None


class Session(BaseModel):
    """One planned session.

    Attributes:
        id: Content hash of the session (routine, date, symptoms, position).
        date: When it was planned (UTC).
        minutes: The budget asked for.
        symptoms: The symptom texts.
        routine: The routine as planned.
        feedback: The person's feedback, once given.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    date: datetime
    minutes: float
    symptoms: list[str]
    routine: Routine
    feedback: Feedback | None = None


class Preferences(BaseModel):
    """Standing preferences.

    Attributes:
        excluded: Target ids never to use again (the warm-up cannot be excluded).
        favourites: Target ids that win ties.
        pressure: Preferred pressure, shown in instructions (never over a caution).
        minutes: Preferred session length (used by the CLI when ``--minutes`` is not given,
            and by :func:`footreflex.program` when ``minutes`` is ``None``).
        conditions: Conditions that always apply, as if passed to ``plan``.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    excluded: list[str] = Field(default_factory=list)
    favourites: list[str] = Field(default_factory=list)
    pressure: Pressure | None = None
    minutes: float | None = Field(default=None, gt=0, le=240)
    conditions: list[str] = Field(default_factory=list)


def _migrate_0_to_1(data: dict[str, Any]) -> dict[str, Any]:
    """Format 0 (development builds): ``history`` with flat ``ratings`` lists."""
    sessions = []
    for old in data.get("history", []):
        ratings = {item["target"]: item["rating"] for item in old.get("ratings", [])}
        feedback = None
        if ratings or "pain" in old:
            pain = old.get("pain") or {}
            feedback = {"ratings": ratings, "pain_before": pain.get("before"),
                        "pain_after": pain.get("after")}
        sessions.append({"id": old["id"], "date": old["date"], "minutes": old["minutes"],
                         "symptoms": [old["symptom"]] if "symptom" in old else [],
                         "routine": old["routine"], "feedback": feedback})
    prefs = data.get("prefs", {})
    return {"schema_version": 1, "sessions": sessions,
            "preferences": {"excluded": prefs.get("never", []),
                            "favourites": prefs.get("favourites", [])}}


MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {0: _migrate_0_to_1}
"""Version -> function upgrading a profile dict of that version to the next one."""


def _names(value: object, what: str) -> list[str]:
    """A text or an iterable of texts, as a list (a ProfileError for anything else)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, Iterable) and not isinstance(value, bytes | bytearray | Mapping):
        items = list(value)
        if all(isinstance(item, str) for item in items):
            return items
    raise ProfileError(f"{what} must be a text or a list of texts")


def _hash(payload: Any) -> str:
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


class Profile(BaseModel):
    """A person's sessions, feedback and preferences. Immutable: changes return a new one.

    Attributes:
        schema_version: Version of the file format (1).
        sessions: Sessions, oldest first.
        preferences: Standing preferences.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    schema_version: Literal[1] = 1
    sessions: tuple[Session, ...] = ()
    preferences: Preferences = Field(default_factory=Preferences)

    # ------------------------------------------------------------------ changes
    def record(self, routine: Routine, *, symptoms: str | Iterable[str] = (),
               when: datetime | None = None) -> Profile:
        """Return a new profile with ``routine`` recorded as a session.

        Args:
            routine: The routine planned.
            symptoms: The symptom text(s) it was planned for.
            when: When (default: now, UTC).

        Returns:
            The new profile; the session's id is a hash of its content.
        """
        if not isinstance(routine, Routine):
            raise ProfileError(f"record() needs a Routine, not {type(routine).__name__}")
        texts = _names(symptoms, "symptoms")
        moment = (when or datetime.now(UTC)).replace(microsecond=0)
        sid = _hash({"routine": routine.model_dump(mode="json"), "date": moment.isoformat(),
                     "symptoms": texts, "n": len(self.sessions)})
        session = Session(id=sid, date=moment, minutes=routine.minutes, symptoms=texts,
                          routine=routine)
        return self.model_copy(update={"sessions": (*self.sessions, session)})

    def rate(self, ratings: Mapping[str, str], *, session: str | None = None,
             pain_before: int | None = None, pain_after: int | None = None,
             note: str | None = None, knowledge: Any = None) -> Profile:
        """Return a new profile with feedback on a session (the last one by default).

        Args:
            ratings: Target name or alias -> ``helped``, ``neutral``, ``did_not_help`` or
                ``skip``; keys are stored as target ids.
            session: Session id (default: the last session).
            pain_before: Pain before, 0-10.
            pain_after: Pain after, 0-10.
            note: Free text.
            knowledge: Knowledge base to resolve aliases (default: the shipped one).

        Returns:
            The new profile (earlier feedback on that session is merged, new ratings win).

        Raises:
            ProfileError: No session, an unknown session id, a bad rating or pain value, or
                a target that was not in that session.
            UnknownTargetError: A name is not a target.
        """
        from footreflex.knowledgebase import knowledge as shipped

        kb = knowledge or shipped()
        if not isinstance(ratings, Mapping):
            raise ProfileError("ratings must be a mapping of target name to rating")
        if not self.sessions:
            raise ProfileError("no session to rate yet: plan one with a profile first")
        index = len(self.sessions) - 1
        if session is not None:
            ids = [s.id for s in self.sessions]
            if session not in ids:
                raise ProfileError(f"no session {session!r} in this profile")
            index = ids.index(session)
        target_session = self.sessions[index]
        in_routine = {s.target_id for s in target_session.routine.steps}
        resolved: dict[str, Rating] = {}
        for name, value in ratings.items():
            if value not in RATINGS:
                raise ProfileError(f"rating for {name!r} must be one of {', '.join(RATINGS)}, "
                                   f"not {value!r}")
            tid = kb.target(name).id
            if tid not in in_routine:
                raise ProfileError(f"{tid} was not in that session")
            resolved[tid] = value  # type: ignore[assignment]
        old = target_session.feedback or Feedback()
        try:
            feedback = Feedback(
                ratings={**old.ratings, **resolved},
                pain_before=old.pain_before if pain_before is None else pain_before,
                pain_after=old.pain_after if pain_after is None else pain_after,
                note=old.note if note is None else note)
        except ValidationError as exc:
            raise ProfileError(f"invalid feedback: {exc.errors()[0]['msg']}") from None
        sessions = list(self.sessions)
        sessions[index] = target_session.model_copy(update={"feedback": feedback})
        return self.model_copy(update={"sessions": tuple(sessions)})

    def prefer(self, *, exclude: Iterable[str] = (), include: Iterable[str] = (),
               favourites: Iterable[str] | None = None, pressure: str | None = None,
               minutes: float | None = None, conditions: Iterable[str] | None = None,
               knowledge: Any = None) -> Profile:
        """Return a new profile with changed standing preferences.

        Args:
            exclude: Targets never to use again (names or aliases).
            include: Targets to allow again.
            favourites: Replace the favourites (names or aliases).
            pressure: ``light``, ``medium`` or ``firm``.
            minutes: Preferred session length.
            conditions: Replace the standing conditions (validated like ``plan``'s).
            knowledge: Knowledge base to resolve names (default: the shipped one).

        Returns:
            The new profile.

        Raises:
            ProfileError: The warm-up is excluded, or a value is invalid.
            UnknownTargetError: A name is not a target.
            UnknownConditionError: A condition is not understood.
        """
        from footreflex.knowledgebase import knowledge as shipped
        from footreflex.safety import parse_conditions

        kb = knowledge or shipped()
        prefs = self.preferences
        excluded = list(prefs.excluded)
        for name in _names(exclude, "exclude"):
            target = kb.target(name)
            if target.role != "treatment":
                raise ProfileError(f"the {target.name.lower()} cannot be excluded")
            if target.id not in excluded:
                excluded.append(target.id)
        allowed = {kb.target(name).id for name in _names(include, "include")}
        excluded = [t for t in excluded if t not in allowed]
        update: dict[str, Any] = {"excluded": excluded}
        if favourites is not None:
            update["favourites"] = list(dict.fromkeys(
                kb.target(n).id for n in _names(favourites, "favourites")))
        if pressure is not None:
            update["pressure"] = pressure
        if minutes is not None:
            update["minutes"] = minutes
        if conditions is not None:
            update["conditions"] = [str(c) for c in parse_conditions(conditions)]
        try:
            new = Preferences.model_validate({**prefs.model_dump(), **update})
        except ValidationError as exc:
            err = exc.errors()[0]
            raise ProfileError(f"invalid preference {'.'.join(map(str, err['loc']))}: "
                               f"{err['msg']}") from None
        return self.model_copy(update={"preferences": new})

    # ------------------------------------------------------------------ evidence
    def counts(self) -> dict[tuple[str, str], tuple[float, float, int]]:
        """Per ``(target, region)``: successes, failures and number of ratings.

        ``helped`` counts one success, ``did_not_help`` one failure, ``neutral`` half of
        each, ``skip`` nothing. A rating counts for the regions the target served in that
        session (its step's ``serves``).
        """
        table: dict[tuple[str, str], tuple[float, float, int]] = {}
        for session in self.sessions:
            if session.feedback is None:
                continue
            served: dict[str, list[str]] = {}
            for step in session.routine.steps:
                served.setdefault(step.target_id, list(step.serves))
            for tid, rating in session.feedback.ratings.items():
                if rating == "skip":
                    continue
                win = {"helped": 1.0, "neutral": 0.5, "did_not_help": 0.0}[rating]
                for region in served.get(tid, []):
                    s, f, n = table.get((tid, region), (0.0, 0.0, 0))
                    table[(tid, region)] = (s + win, f + 1 - win, n + 1)
        return table

    # ------------------------------------------------------------------ files
    @classmethod
    def load(cls, path: str | Path) -> Profile:
        """Read a profile file (an absent file gives an empty profile).

        Args:
            path: The JSON file.

        Returns:
            The profile, upgraded to the current schema if it was older.

        Raises:
            ProfileError: The file is unreadable, corrupt, or from a newer version.
        """
        file = Path(path)
        if not file.exists():
            return cls()
        return cls._parse(file)

    @classmethod
    def _parse(cls, file: Path) -> Profile:
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
        except OSError as exc:
            raise ProfileError(f"cannot read profile {file}: {exc.strerror}", str(file)) from None
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ProfileError(f"profile {file} is corrupt (not JSON: {exc}); it was left "
                               "untouched", str(file)) from None
        if not isinstance(data, dict):
            raise ProfileError(f"profile {file} is corrupt (not an object)", str(file))
        version = data.get("schema_version", 0)
        if not isinstance(version, int) or isinstance(version, bool):
            raise ProfileError(f"profile {file} is corrupt (bad schema_version)", str(file))
        if version > PROFILE_SCHEMA_VERSION:
            raise ProfileError(f"profile {file} was written by a newer footreflex (schema "
                               f"{version} > {PROFILE_SCHEMA_VERSION}); upgrade footreflex",
                               str(file))
        try:
            while version < PROFILE_SCHEMA_VERSION:
                data = MIGRATIONS[version](data)
                version = data["schema_version"]
            return cls.model_validate(data)
        except (KeyError, TypeError, ValidationError) as exc:
            raise ProfileError(f"profile {file} is corrupt ({type(exc).__name__}: {exc}); it "
                               "was left untouched", str(file)) from None

    def save(self, path: str | Path, *, create_folder: bool = False) -> None:
        """Write the profile atomically (temporary file, fsync, rename).

        Args:
            path: The JSON file.
            create_folder: Create the file's folder if it does not exist (the CLI does this
                for the default profile location only).

        Raises:
            ProfileError: The file on disk holds sessions this profile lacks (reload and
                record again), the file on disk is corrupt or newer, or writing failed. In
                every case the file on disk is left as it was.
        """
        file = Path(path)
        if file.exists():
            on_disk = Profile._parse(file)
            mine = {s.id for s in self.sessions}
            lost = [s.id for s in on_disk.sessions if s.id not in mine]
            if lost:
                raise ProfileError(f"{file} has {len(lost)} session(s) this profile lacks "
                                   "(saved elsewhere since it was loaded); load it again and "
                                   "repeat the change", str(file))
        text = self.model_dump_json(indent=1) + "\n"
        directory = file.parent if str(file.parent) else Path(".")
        try:
            if create_folder:
                directory.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{file.name}.", suffix=".tmp", dir=directory)
        except OSError as exc:
            raise ProfileError(f"cannot write {file}: {exc.strerror}", str(file)) from None
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, file)
            with contextlib.suppress(OSError):  # make the rename durable where possible
                dir_fd = os.open(directory, os.O_RDONLY)
                try:
                    os.fsync(dir_fd)
                finally:
                    os.close(dir_fd)
        except BaseException as exc:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            if isinstance(exc, OSError):
                raise ProfileError(f"cannot write {file}: {exc.strerror}", str(file)) from None
            raise

    @property
    def last(self) -> Session | None:
        """The most recent session, if any."""
        return self.sessions[-1] if self.sessions else None

    def days(self) -> list[date]:
        """The dates of the sessions, oldest first."""
        return [s.date.date() for s in self.sessions]
