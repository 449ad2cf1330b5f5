"""A person's profile: sessions, feedback and standing preferences (immutable).

Every change returns a new :class:`Profile`; nothing is modified in place. Profiles are kept
in a :class:`~footreflex.ProfileStore` (by default an SQLite database, see
:mod:`footreflex._store`), which appends every session, rating and preference change as a
row and so cannot lose an update when several processes write at once.

A :class:`Profile` is also a JSON document (``footreflex profile --export/--import``):
:meth:`Profile.save` writes one atomically (temporary file, ``fsync``, rename) and refuses to
drop sessions the file on disk holds and this profile lacks; :meth:`Profile.load` reads at
most :data:`MAX_PROFILE_BYTES`, and a corrupt, foreign or newer-version file raises
:class:`ProfileError` and is left untouched. Older files are upgraded on load through
:data:`MIGRATIONS`. Format 2 keeps, per session, only what the recommender needs: the
targets with the regions they served and their seconds, and the feedback, not the whole
routine (format 1 did).
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import tempfile
import uuid
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from footreflex._models import Routine
from footreflex._text import plural
from footreflex.errors import ProfileError

__all__ = [
    "MAX_PROFILE_BYTES",
    "MIGRATIONS",
    "PROFILE_SCHEMA_VERSION",
    "Feedback",
    "Preferences",
    "Profile",
    "ProfileError",
    "Rating",
    "Session",
    "SessionTarget",
]

PROFILE_SCHEMA_VERSION = 2
MAX_PROFILE_BYTES = 16 * 1024 * 1024
"""The largest profile JSON file :meth:`Profile.load` reads (16 MiB; a format-2 profile of
1,000 sessions takes about 0.3 MiB). Anything that is not a regular file (a FIFO, a device)
is refused before it is opened."""
Rating = Literal["helped", "neutral", "did_not_help", "skip"]
Pressure = Literal["light", "medium", "firm"]
RATINGS: tuple[str, ...] = ("helped", "neutral", "did_not_help", "skip")


def expand_path(path: str | os.PathLike[str], what: str = "profile") -> Path:
    """A user-given file path with ``~`` expanded; a path naming a folder is a ProfileError.

    Args:
        path: The path as given.
        what: What the file is, for the message.

    Returns:
        The expanded path.

    Raises:
        ProfileError: The path is empty, contains a NUL character, or ends with a separator.
    """
    if not isinstance(path, str | os.PathLike):
        raise ProfileError(f"the {what} path must be a text, not {type(path).__name__}")
    text = os.fspath(path)
    if not isinstance(text, str) or not text.strip() or "\0" in text:
        raise ProfileError(f"the {what} path {text!r} is not a usable file name")
    if text.endswith(("/", os.sep)) or os.path.basename(text) in (".", ".."):
        raise ProfileError(f"the {what} path {text!r} names a folder; give a file name", text)
    return Path(os.path.expanduser(text))


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


class SessionTarget(BaseModel):
    """One target of a recorded session: what the recommender needs, not the whole step.

    Attributes:
        id: The target id.
        serves: The regions it served in that session (a rating counts for these).
        seconds: Seconds spent on it in the session (both feet, all its steps).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    serves: tuple[str, ...] = ()
    seconds: int = Field(default=0, ge=0)


class Session(BaseModel):
    """One planned session.

    Attributes:
        id: A unique id (a random UUID, never derived from the content).
        date: When it was planned (UTC).
        minutes: The budget asked for.
        symptoms: The symptom texts.
        targets: The targets of the routine, in the order they came, with the regions each
            served and its seconds.
        feedback: The person's feedback, once given.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    date: datetime
    minutes: float
    symptoms: list[str]
    targets: tuple[SessionTarget, ...] = ()
    feedback: Feedback | None = None

    @classmethod
    def of(cls, routine: Routine, *, symptoms: Iterable[str] = (), when: datetime | None = None,
           session_id: str | None = None) -> Session:
        """The session record of a planned routine.

        Args:
            routine: The routine.
            symptoms: The symptom texts it was planned for.
            when: When (default: now, UTC; a naive time is taken as UTC).
            session_id: Its id (default: a new random UUID).

        Returns:
            The session, without feedback.

        Raises:
            ProfileError: ``routine`` is not a Routine or ``when`` is not a datetime.
        """
        if not isinstance(routine, Routine):
            raise ProfileError(f"record() needs a Routine, not {type(routine).__name__}")
        if when is not None and not isinstance(when, datetime):
            raise ProfileError(f"when must be a datetime, not {type(when).__name__}")
        if session_id is not None and (not isinstance(session_id, str) or not session_id
                                       or len(session_id) > 100):
            raise ProfileError("a session id must be a text of 1 to 100 characters")
        moment = (when or datetime.now(UTC)).replace(microsecond=0)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return cls(id=session_id or uuid.uuid4().hex, date=moment, minutes=routine.minutes,
                   symptoms=list(symptoms), targets=_targets(routine.model_dump(mode="json")))

    def rated(self, ratings: Mapping[str, str], *, pain_before: int | None = None,
              pain_after: int | None = None, note: str | None = None,
              knowledge: Any = None) -> Session:
        """Return this session with feedback added (new ratings win over earlier ones).

        Args:
            ratings: Target name or alias -> ``helped``, ``neutral``, ``did_not_help`` or
                ``skip``; keys are stored as target ids.
            pain_before: Pain before, 0-10.
            pain_after: Pain after, 0-10.
            note: Free text.
            knowledge: Knowledge base to resolve aliases (default: the shipped one).

        Returns:
            The session with the merged feedback.

        Raises:
            ProfileError: A bad rating or pain value, or a target not in this session.
            UnknownTargetError: A name is not a target.
        """
        kb = knowledge_base(knowledge)
        if not isinstance(ratings, Mapping):
            raise ProfileError("ratings must be a mapping of target name to rating")
        in_routine = {t.id for t in self.targets}
        resolved: dict[str, Rating] = {}
        for name, value in ratings.items():
            if not isinstance(name, str):
                raise ProfileError(f"a target name must be a text, not {type(name).__name__}")
            if value not in RATINGS:
                raise ProfileError(f"rating for {name!r} must be one of {', '.join(RATINGS)}, "
                                   f"not {value!r}")
            tid = kb.target(name).id
            if tid not in in_routine:
                raise ProfileError(f"{tid} was not in that session")
            resolved[tid] = value  # type: ignore[assignment]
        old = self.feedback or Feedback()
        try:
            feedback = Feedback(
                ratings={**old.ratings, **resolved},
                pain_before=old.pain_before if pain_before is None else pain_before,
                pain_after=old.pain_after if pain_after is None else pain_after,
                note=old.note if note is None else note)
        except ValidationError as exc:
            raise ProfileError(f"invalid feedback: {exc.errors()[0]['msg']}") from None
        return self.model_copy(update={"feedback": feedback})


def _targets(routine: Mapping[str, Any]) -> tuple[SessionTarget, ...]:
    """The per-target summary of a routine given as a dict (format 1 kept whole routines)."""
    seen: dict[str, tuple[list[str], int]] = {}
    for step in routine["steps"]:
        serves, seconds = seen.setdefault(step["target_id"], ([], 0))
        serves.extend(r for r in step.get("serves", ()) if r not in serves)
        seen[step["target_id"]] = (serves, seconds + int(step.get("duration_s", 0)))
    return tuple(SessionTarget(id=tid, serves=tuple(serves), seconds=seconds)
                 for tid, (serves, seconds) in seen.items())


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


def _migrate_1_to_2(data: dict[str, Any]) -> dict[str, Any]:
    """Format 1 kept each session's whole routine; format 2 keeps its targets only."""
    sessions = []
    for old in data.get("sessions", []):
        new = {key: value for key, value in old.items() if key != "routine"}
        new["targets"] = [t.model_dump() for t in _targets(old["routine"])]
        sessions.append(new)
    return {**data, "schema_version": 2, "sessions": sessions}


MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {
    0: _migrate_0_to_1, 1: _migrate_1_to_2}
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


class Profile(BaseModel):
    """A person's sessions, feedback and preferences. Immutable: changes return a new one.

    Attributes:
        schema_version: Version of the JSON format (2).
        sessions: Sessions, oldest first.
        preferences: Standing preferences.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    schema_version: Literal[2] = 2
    sessions: tuple[Session, ...] = ()
    preferences: Preferences = Field(default_factory=Preferences)

    # ------------------------------------------------------------------ changes
    def record(self, routine: Routine, *, symptoms: str | Iterable[str] = (),
               when: datetime | None = None, session_id: str | None = None) -> Profile:
        """Return a new profile with ``routine`` recorded as a session.

        Args:
            routine: The routine planned.
            symptoms: The symptom text(s) it was planned for.
            when: When (default: now, UTC).
            session_id: The session's id (default: a new random UUID).

        Returns:
            The new profile.

        Raises:
            ProfileError: ``routine`` is not a Routine, ``when`` not a datetime, the symptoms
                not texts, or ``session_id`` already in the profile.
        """
        session = Session.of(routine, symptoms=_names(symptoms, "symptoms"), when=when,
                             session_id=session_id)
        if any(s.id == session.id for s in self.sessions):
            raise ProfileError(f"session {session.id!r} is already in this profile")
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
        kb = knowledge_base(knowledge)
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
        target_session = self.sessions[index].rated(
            ratings, pain_before=pain_before, pain_after=pain_after, note=note, knowledge=kb)
        sessions = list(self.sessions)
        sessions[index] = target_session
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
        from footreflex.safety import parse_conditions

        kb = knowledge_base(knowledge)
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
            served = {t.id: t.serves for t in session.targets}
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
    def load(cls, path: str | os.PathLike[str]) -> Profile:
        """Read a profile JSON file (an absent file gives an empty profile).

        Args:
            path: The JSON file (``~`` is expanded).

        Returns:
            The profile, upgraded to the current format if it was older.

        Raises:
            ProfileError: The file is unreadable, not a regular file, larger than
                :data:`MAX_PROFILE_BYTES`, corrupt, or from a newer version; it is left
                untouched.
        """
        file = expand_path(path)
        try:
            if not file.exists():
                return cls()
        except OSError as exc:
            raise ProfileError(
                f"cannot read profile {_short(file)}: {exc.strerror}", str(file)) from None
        return cls.parse_json(_read(file), _short(file))

    @classmethod
    def parse_json(cls, text: str | bytes, where: str = "the profile") -> Profile:
        """Read a profile from its JSON text (any format version; older ones are upgraded).

        Args:
            text: The JSON document.
            where: The file it came from, for messages.

        Returns:
            The profile.

        Raises:
            ProfileError: The text is not a profile, or is from a newer version.
        """
        if not isinstance(text, str | bytes | bytearray):
            raise ProfileError(f"a profile's JSON must be a text, not {type(text).__name__}")
        try:
            data = json.loads(text)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ProfileError(f"profile {where} is corrupt (not JSON: {exc}); it was left "
                               "untouched", where) from None
        except RecursionError:
            raise ProfileError(f"profile {where} is corrupt (nested too deeply); it was left "
                               "untouched", where) from None
        if not isinstance(data, dict):
            raise ProfileError(f"profile {where} is corrupt (not an object)", where)
        version = data.get("schema_version", 0)
        if not isinstance(version, int) or isinstance(version, bool) or version < 0:
            raise ProfileError(f"profile {where} is corrupt (bad schema_version)", where)
        if version > PROFILE_SCHEMA_VERSION:
            raise ProfileError(f"profile {where} was written by a newer footreflex (format "
                               f"{version} > {PROFILE_SCHEMA_VERSION}); upgrade footreflex",
                               where)
        try:
            while version < PROFILE_SCHEMA_VERSION:
                data = MIGRATIONS[version](data)
                version = data["schema_version"]
            return cls.model_validate(data)
        except ValidationError as exc:
            err = exc.errors()[0]
            field = ".".join(map(str, err["loc"]))
            raise ProfileError(f"profile {where} is corrupt ({field}: {err['msg']}); it was "
                               "left untouched", where) from None
        except (KeyError, TypeError, AttributeError, ValueError, RecursionError) as exc:
            what = f"missing {exc}" if isinstance(exc, KeyError) else "a value of the wrong type"
            raise ProfileError(f"profile {where} is corrupt ({what}); it was left untouched",
                               where) from None

    def save(self, path: str | os.PathLike[str], *, create_folder: bool = False) -> None:
        """Write the profile as JSON, atomically (temporary file, fsync, rename).

        A symbolic link is followed: the file it points to is replaced, the link stays.

        Args:
            path: The JSON file (``~`` is expanded; a path ending in ``/`` is refused).
            create_folder: Create the file's folder if it does not exist.

        Raises:
            ProfileError: The file on disk holds sessions this profile lacks (reload and
                record again), the file on disk is corrupt or newer, or writing failed. In
                every case the file on disk is left as it was.
        """
        file = expand_path(path)
        try:
            file = Path(os.path.realpath(file))
            exists = file.exists()
        except OSError as exc:
            raise ProfileError(f"cannot write {_short(file)}: {exc.strerror}", str(file)) from None
        if exists:
            on_disk = Profile.parse_json(_read(file), _short(file))
            mine = {s.id for s in self.sessions}
            lost = [s.id for s in on_disk.sessions if s.id not in mine]
            if lost:
                raise ProfileError(f"{_short(file)} has {plural(len(lost), 'session')} this "
                                   "profile lacks "
                                   "(saved elsewhere since it was loaded); load it again and "
                                   "repeat the change", str(file))
        text = self.model_dump_json(indent=1) + "\n"
        directory = file.parent if str(file.parent) else Path(".")
        try:
            if create_folder:
                directory.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{file.name}.", suffix=".tmp", dir=directory)
        except OSError as exc:
            raise ProfileError(f"cannot write {_short(file)}: {exc.strerror}", str(file)) from None
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
                raise ProfileError(
                    f"cannot write {_short(file)}: {exc.strerror}", str(file)) from None
            raise

    @property
    def last(self) -> Session | None:
        """The most recent session, if any."""
        return self.sessions[-1] if self.sessions else None

    def days(self) -> list[date]:
        """The dates of the sessions, oldest first."""
        return [s.date.date() for s in self.sessions]


def _read(file: Path) -> bytes:
    """Read a regular file of at most :data:`MAX_PROFILE_BYTES` (never a FIFO or device)."""
    try:
        info = file.stat()
        if not stat.S_ISREG(info.st_mode):
            raise ProfileError(
                f"profile {_short(file)} is not a regular file; it was left untouched",
                               str(file))
        with open(file, "rb") as handle:
            data = handle.read(MAX_PROFILE_BYTES + 1)
    except OSError as exc:
        raise ProfileError(
            f"cannot read profile {_short(file)}: {exc.strerror}", str(file)) from None
    if len(data) > MAX_PROFILE_BYTES:
        raise ProfileError(
            f"profile {_short(file)} is larger than {MAX_PROFILE_BYTES // 2**20} MiB; "
                           "it was left untouched", str(file))
    return data


def knowledge_base(knowledge: object) -> Any:
    """The knowledge base to use: the one given, or the shipped one (``None``).

    Raises:
        InvalidArgumentError: ``knowledge`` is not a KnowledgeBase.
    """
    from footreflex._knowledge import knowledge_or_shipped

    return knowledge_or_shipped(knowledge)


def _short(path: object, limit: int = 120) -> str:
    """A path for a message: at most ``limit`` characters (the end kept)."""
    text = str(path)
    return text if len(text) <= limit else "…" + text[-(limit - 1):]
