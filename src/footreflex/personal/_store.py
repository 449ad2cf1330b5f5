"""Profile stores: where profiles live, safe under many processes writing at once.

:class:`ProfileStore` is the small protocol the CLI (and a server run with ``--profile``)
uses; :class:`SQLiteProfileStore` is the embedded default (the standard library's
``sqlite3``, WAL journal, one transaction per change, schema migrations through
``PRAGMA user_version``). A store holds many people, keyed by a profile id (the CLI uses
``"default"``). Nothing is ever rewritten: a session, a rating and a preference change are
each a new row, and :meth:`ProfileStore.load` folds the rows into an immutable
:class:`~footreflex.Profile`.

The tables (portable SQL; ``seq`` is an ever-growing row number that orders the rows, an
``INTEGER PRIMARY KEY`` in SQLite, a ``BIGINT GENERATED ALWAYS AS IDENTITY`` in
PostgreSQL)::

    profiles    (profile_id, created_at)
    sessions    (seq, profile_id, session_id, planned_at, minutes, symptoms, targets)
    feedback    (seq, profile_id, session_id, target_id, rating, pain_before, pain_after,
                 note, given_at)
    preferences (seq, profile_id, preferences, changed_at)
    imports     (source, profile_id, imported_at)

``symptoms``, ``targets`` and ``preferences`` are JSON texts; times are ISO 8601 texts in
UTC. A feedback row carries either one rating (``target_id``, ``rating``) or the pain
scores and note; later rows win. A preference row is the whole preferences after the
change, written in the same transaction that read the previous one, so two processes
changing preferences at once both keep their change.
"""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from pydantic import ValidationError

from footreflex._models import Routine
from footreflex.errors import ProfileError
from footreflex.personal._profile import (
    Preferences,
    Profile,
    Session,
    _names,
    _read,
    _short,
    expand_path,
    knowledge_base,
)

__all__ = [
    "DEFAULT_PROFILE",
    "STORE_SCHEMA_VERSION",
    "ProfileStore",
    "SQLiteProfileStore",
    "build_profile",
    "open_store",
]

DEFAULT_PROFILE = "default"
"""The profile id the CLI uses when ``--profile`` is given without a name."""
STORE_SCHEMA_VERSION = 1
"""The database schema version (``PRAGMA user_version``)."""
APPLICATION_ID = 0x46524658
"""``PRAGMA application_id`` of a footreflex database ("FRFX"): a foreign SQLite file is
refused, never written to."""
MAX_PROFILE_ID = 100

_SCHEMA: dict[int, Sequence[str]] = {
    1: (
        "CREATE TABLE IF NOT EXISTS profiles (profile_id TEXT PRIMARY KEY, "
        "created_at TEXT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS sessions (seq INTEGER PRIMARY KEY, "
        "profile_id TEXT NOT NULL, session_id TEXT NOT NULL, planned_at TEXT NOT NULL, "
        "minutes REAL NOT NULL, symptoms TEXT NOT NULL, targets TEXT NOT NULL, "
        "UNIQUE (profile_id, session_id))",
        "CREATE TABLE IF NOT EXISTS feedback (seq INTEGER PRIMARY KEY, "
        "profile_id TEXT NOT NULL, session_id TEXT NOT NULL, target_id TEXT, rating TEXT, "
        "pain_before INTEGER, pain_after INTEGER, note TEXT, given_at TEXT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS preferences (seq INTEGER PRIMARY KEY, "
        "profile_id TEXT NOT NULL, preferences TEXT NOT NULL, changed_at TEXT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS imports (source TEXT PRIMARY KEY, "
        "profile_id TEXT NOT NULL, imported_at TEXT NOT NULL)",
        "CREATE INDEX IF NOT EXISTS feedback_by_profile ON feedback (profile_id, seq)",
        "CREATE INDEX IF NOT EXISTS preferences_by_profile ON preferences (profile_id, seq)",
    ),
}
"""Version -> statements that bring a database of the version before up to it."""


@runtime_checkable
class ProfileStore(Protocol):
    """Where profiles are kept. Every change is one transaction and is never lost.

    Implement these methods over your own database to keep profiles there (see
    ``docs/embedding.md`` for a PostgreSQL table); :func:`build_profile` turns rows into a
    :class:`~footreflex.Profile`.
    """

    def load(self, profile_id: str = DEFAULT_PROFILE) -> Profile:
        """The profile with every session, rating and preference recorded so far."""
        ...

    def record(self, profile_id: str, routine: Routine, *,
               symptoms: str | Iterable[str] = (), when: datetime | None = None) -> Session:
        """Append a planned routine as a new session (with a new unique id)."""
        ...

    def rate(self, profile_id: str, ratings: Mapping[str, str], *,
             session: str | None = None, pain_before: int | None = None,
             pain_after: int | None = None, note: str | None = None,
             knowledge: Any = None) -> Session:
        """Append feedback on a session (the last one by default); return the session."""
        ...

    def rate_step(self, profile_id: str, session_id: str, target: str, rating: str, *,
                  knowledge: Any = None) -> Session:
        """Append one rating of one target (a step) of a session; return the session."""
        ...

    def prefer(self, profile_id: str, **changes: Any) -> Preferences:
        """Change the standing preferences (as :meth:`Profile.prefer`); return them."""
        ...

    def import_profile(self, profile_id: str, profile: Profile) -> int:
        """Add a profile's sessions (those not already there) and its preferences."""
        ...

    def profiles(self) -> list[str]:
        """The ids of the profiles in the store."""
        ...

    def close(self) -> None:
        """Release the store."""
        ...


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def _profile_id(value: object) -> str:
    if not isinstance(value, str):
        raise ProfileError(f"a profile id must be a text, not {type(value).__name__}")
    if not value.strip() or len(value) > MAX_PROFILE_ID or not value.isprintable():
        raise ProfileError(f"a profile id must be 1 to {MAX_PROFILE_ID} printable characters, "
                           f"not {value[:120]!r}")
    return value


def build_profile(sessions: Iterable[Sequence[Any]], feedback: Iterable[Sequence[Any]],
                  preferences: str | None) -> Profile:
    """Fold a profile's rows, each table's in ``seq`` order, into a :class:`Profile`.

    Args:
        sessions: ``(session_id, planned_at, minutes, symptoms, targets)`` rows.
        feedback: ``(session_id, target_id, rating, pain_before, pain_after, note)`` rows.
        preferences: The latest ``preferences`` JSON, or ``None``.

    Returns:
        The profile.

    Raises:
        ProfileError: A row does not hold what footreflex wrote.
    """
    try:
        marks: dict[str, dict[str, Any]] = {}
        for sid, target_id, rating, pain_before, pain_after, note in feedback:
            mark = marks.setdefault(sid, {"ratings": {}})
            if target_id is not None:
                mark["ratings"][target_id] = rating
            for key, value in (("pain_before", pain_before), ("pain_after", pain_after),
                               ("note", note)):
                if value is not None:
                    mark[key] = value
        built = [
            {"id": sid, "date": planned_at, "minutes": minutes, "symptoms": json.loads(symptoms),
             "targets": [{"id": t[0], "serves": t[1], "seconds": t[2]}
                         for t in json.loads(targets)],
             "feedback": marks.get(sid)}
            for sid, planned_at, minutes, symptoms, targets in sessions]
        prefs = json.loads(preferences) if preferences else {}
        # one validation of the whole document (in pydantic-core) is the fast way in
        return Profile.model_validate({"sessions": built, "preferences": prefs})
    except (ValueError, TypeError, KeyError, IndexError, ValidationError) as exc:
        raise ProfileError(f"the profile store holds a row footreflex did not write ({exc})"
                           ) from None


class SQLiteProfileStore:
    """A :class:`ProfileStore` in one SQLite file, safe for many processes and threads.

    Opening a file that is not a footreflex database (another program's SQLite file, a
    corrupt file, a newer schema) raises :class:`ProfileError` and leaves it untouched. An
    empty or absent file becomes a new store. Use it as a context manager, or call
    :meth:`close`; after the last connection closes only the database file remains.

    Args:
        path: The database file (``~`` is expanded).
        create_folder: Create the file's folder if it does not exist.
        timeout: Seconds to wait for another process's transaction to finish.

    Raises:
        ProfileError: The file cannot be opened, is not a footreflex database, or is newer.
    """

    def __init__(self, path: str | os.PathLike[str], *, create_folder: bool = False,
                 timeout: float = 30.0) -> None:
        file = expand_path(path, "profile database")
        self.path = file
        self._lock = threading.RLock()
        try:
            info = file.stat() if file.exists() else None
            if info is not None and not stat.S_ISREG(info.st_mode):
                raise ProfileError(f"profile database {_short(file)} is not a regular file; it was "
                                   "left untouched", str(file))
            if info is None:
                if create_folder:
                    file.parent.mkdir(parents=True, exist_ok=True)
                elif not file.parent.is_dir():
                    raise ProfileError(f"cannot create profile database {_short(file)}: its folder "
                                       "does not exist", str(file))
        except OSError as exc:
            raise ProfileError(f"cannot open profile database {_short(file)}: {exc.strerror}",
                               str(file)) from None
        try:
            self._db = sqlite3.connect(str(file), timeout=timeout, isolation_level=None,
                                       check_same_thread=False)
        except sqlite3.Error as exc:
            raise ProfileError(f"cannot open profile database {_short(file)}: {exc}", str(file)
                               ) from None
        try:
            self._prepare()
        except sqlite3.DatabaseError as exc:
            self._db.close()
            raise ProfileError(
                f"{_short(file)} is not a usable footreflex profile database ({exc}); "
                               "it was left untouched", str(file)) from None
        except BaseException:
            self._db.close()
            raise

    # ------------------------------------------------------------------ plumbing
    def _header(self) -> tuple[int, int]:
        app = self._db.execute("PRAGMA application_id").fetchone()[0]
        version = self._db.execute("PRAGMA user_version").fetchone()[0]
        if app == 0:
            tables = self._db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            if tables:
                app = -1
        if app not in (0, APPLICATION_ID):
            raise ProfileError(
                f"{_short(self.path)} is another program's database, not a footreflex "
                               "profile store; it was left untouched", str(self.path))
        if version > STORE_SCHEMA_VERSION:
            raise ProfileError(f"profile database {_short(self.path)} was written by a newer "
                               f"footreflex (schema {version} > {STORE_SCHEMA_VERSION}); "
                               "upgrade footreflex", str(self.path))
        return app, version

    def _prepare(self) -> None:
        _, version = self._header()
        if version < STORE_SCHEMA_VERSION:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                _, version = self._header()  # another process may have done it meanwhile
                for step in range(version + 1, STORE_SCHEMA_VERSION + 1):
                    for statement in _SCHEMA[step]:
                        self._db.execute(statement)
                self._db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                self._db.execute(f"PRAGMA user_version = {STORE_SCHEMA_VERSION}")
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        self._db.execute("PRAGMA journal_mode = WAL")
        self._db.execute("PRAGMA synchronous = FULL")

    @contextmanager
    def _transaction(self, write: bool) -> Iterator[sqlite3.Connection]:
        """One transaction: IMMEDIATE (takes the write lock first) for a change."""
        with self._lock:
            if self._db is None:
                raise ProfileError("the profile store is closed", str(self.path))
            try:
                self._db.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            except sqlite3.Error as exc:
                raise ProfileError(f"profile database {_short(self.path)}: {exc}", str(self.path)
                                   ) from None
            try:
                yield self._db
                self._db.execute("COMMIT")
            except sqlite3.Error as exc:
                self._rollback()
                raise ProfileError(f"profile database {_short(self.path)}: {exc}", str(self.path)
                                   ) from None
            except BaseException:
                self._rollback()
                raise

    def _rollback(self) -> None:
        with suppress(sqlite3.Error):  # nothing left to roll back
            self._db.execute("ROLLBACK")

    @staticmethod
    def _ensure(db: sqlite3.Connection, pid: str) -> None:
        db.execute("INSERT INTO profiles (profile_id, created_at) VALUES (?, ?) "
                   "ON CONFLICT DO NOTHING", (pid, _now()))

    @staticmethod
    def _insert_session(db: sqlite3.Connection, pid: str, session: Session) -> bool:
        targets = json.dumps([[t.id, list(t.serves), t.seconds] for t in session.targets],
                             separators=(",", ":"))
        cursor = db.execute(
            "INSERT INTO sessions (profile_id, session_id, planned_at, minutes, symptoms, "
            "targets) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            (pid, session.id, session.date.isoformat(), session.minutes,
             json.dumps(session.symptoms, ensure_ascii=False), targets))
        return cursor.rowcount == 1

    @staticmethod
    def _insert_feedback(db: sqlite3.Connection, pid: str, sid: str, ratings: Mapping[str, str],
                         pain_before: int | None, pain_after: int | None,
                         note: str | None) -> None:
        now = _now()
        for tid, rating in ratings.items():
            db.execute("INSERT INTO feedback (profile_id, session_id, target_id, rating, "
                       "given_at) VALUES (?, ?, ?, ?, ?)", (pid, sid, tid, rating, now))
        if pain_before is not None or pain_after is not None or note is not None:
            db.execute("INSERT INTO feedback (profile_id, session_id, pain_before, pain_after, "
                       "note, given_at) VALUES (?, ?, ?, ?, ?, ?)",
                       (pid, sid, pain_before, pain_after, note, now))

    @staticmethod
    def _session(db: sqlite3.Connection, pid: str, sid: str | None) -> Session:
        if sid is None:
            row = db.execute("SELECT session_id, planned_at, minutes, symptoms, targets FROM "
                             "sessions WHERE profile_id = ? ORDER BY seq DESC LIMIT 1",
                             (pid,)).fetchone()
            if row is None:
                raise ProfileError("no session to rate yet: plan one with a profile first")
        else:
            if not isinstance(sid, str):
                raise ProfileError(f"a session id must be a text, not {type(sid).__name__}")
            row = db.execute("SELECT session_id, planned_at, minutes, symptoms, targets FROM "
                             "sessions WHERE profile_id = ? AND session_id = ?",
                             (pid, sid)).fetchone()
            if row is None:
                raise ProfileError(f"no session {sid!r} in this profile")
        marks = db.execute("SELECT session_id, target_id, rating, pain_before, pain_after, "
                           "note FROM feedback WHERE profile_id = ? AND session_id = ? "
                           "ORDER BY seq", (pid, row[0])).fetchall()
        return build_profile([row], marks, None).sessions[0]

    @staticmethod
    def _preferences(db: sqlite3.Connection, pid: str) -> str | None:
        row = db.execute("SELECT preferences FROM preferences WHERE profile_id = ? "
                         "ORDER BY seq DESC LIMIT 1", (pid,)).fetchone()
        return None if row is None else str(row[0])

    # ------------------------------------------------------------------ the protocol
    def load(self, profile_id: str = DEFAULT_PROFILE) -> Profile:
        """The profile as recorded so far (an unknown id gives an empty profile).

        Args:
            profile_id: Whose profile.

        Returns:
            The profile, read in one consistent snapshot.

        Raises:
            ProfileError: A bad id, or the database cannot be read.
        """
        pid = _profile_id(profile_id)
        with self._transaction(write=False) as db:
            sessions = db.execute("SELECT session_id, planned_at, minutes, symptoms, targets "
                                  "FROM sessions WHERE profile_id = ? ORDER BY seq",
                                  (pid,)).fetchall()
            feedback = db.execute("SELECT session_id, target_id, rating, pain_before, "
                                  "pain_after, note FROM feedback WHERE profile_id = ? "
                                  "ORDER BY seq", (pid,)).fetchall()
            prefs = self._preferences(db, pid)
        return build_profile(sessions, feedback, prefs)

    def record(self, profile_id: str, routine: Routine, *,
               symptoms: str | Iterable[str] = (), when: datetime | None = None) -> Session:
        """Append a planned routine as a new session.

        Args:
            profile_id: Whose profile (created on first use).
            routine: The routine planned.
            symptoms: The symptom text(s) it was planned for.
            when: When (default: now, UTC).

        Returns:
            The recorded session; its ``id`` is a new random UUID.

        Raises:
            ProfileError: Bad input, or the database cannot be written.
        """
        pid = _profile_id(profile_id)
        session = Session.of(routine, symptoms=_names(symptoms, "symptoms"), when=when)
        with self._transaction(write=True) as db:
            self._ensure(db, pid)
            self._insert_session(db, pid, session)
        return session

    def rate(self, profile_id: str, ratings: Mapping[str, str], *,
             session: str | None = None, pain_before: int | None = None,
             pain_after: int | None = None, note: str | None = None,
             knowledge: Any = None) -> Session:
        """Append feedback on a session, as :meth:`Profile.rate` validates it.

        Args:
            profile_id: Whose profile.
            ratings: Target name or alias -> ``helped``, ``neutral``, ``did_not_help`` or
                ``skip``.
            session: Session id (default: the last session).
            pain_before: Pain before, 0-10.
            pain_after: Pain after, 0-10.
            note: Free text.
            knowledge: Knowledge base to resolve aliases (default: the shipped one).

        Returns:
            The session with all its feedback so far.

        Raises:
            ProfileError: No such session, a bad rating or pain value, or a target that
                was not in that session.
            UnknownTargetError: A name is not a target.
        """
        pid = _profile_id(profile_id)
        kb = knowledge_base(knowledge)
        with self._transaction(write=True) as db:
            before = self._session(db, pid, session)
            after = before.rated(ratings, pain_before=pain_before, pain_after=pain_after,
                                 note=note, knowledge=kb)
            assert after.feedback is not None
            given = {kb.target(name).id for name in ratings}
            new = {tid: r for tid, r in after.feedback.ratings.items() if tid in given}
            self._insert_feedback(db, pid, before.id, new, pain_before, pain_after, note)
        return after

    def rate_step(self, profile_id: str, session_id: str, target: str, rating: str, *,
                  knowledge: Any = None) -> Session:
        """Append one rating of one target of a session (per-step feedback, e.g. from an app).

        Args:
            profile_id: Whose profile.
            session_id: The session (the id :meth:`record` returned).
            target: The step's target id (``step.target_id``) or any alias.
            rating: ``helped``, ``neutral``, ``did_not_help`` or ``skip``.
            knowledge: Knowledge base to resolve aliases (default: the shipped one).

        Returns:
            The session with all its feedback so far.

        Raises:
            ProfileError: No such session, a bad rating, or a target not in that session.
            UnknownTargetError: ``target`` is not a target.
        """
        if not isinstance(session_id, str):
            raise ProfileError(f"a session id must be a text, not {type(session_id).__name__}")
        if not isinstance(target, str):
            raise ProfileError(f"a target name must be a text, not {type(target).__name__}")
        return self.rate(profile_id, {target: rating}, session=session_id, knowledge=knowledge)

    def prefer(self, profile_id: str, **changes: Any) -> Preferences:
        """Change the standing preferences, as :meth:`Profile.prefer` (same keywords).

        Args:
            profile_id: Whose profile.
            **changes: ``exclude``, ``include``, ``favourites``, ``pressure``, ``minutes``,
                ``conditions``, ``knowledge``.

        Returns:
            The preferences after the change.

        Raises:
            ProfileError: An unknown keyword or an invalid value.
            UnknownTargetError: A name is not a target.
            UnknownConditionError: A condition is not understood.
        """
        from footreflex.safety import rules

        pid = _profile_id(profile_id)
        known = {"exclude", "include", "favourites", "pressure", "minutes", "conditions",
                 "knowledge"}
        unknown = sorted(set(changes) - known)
        if unknown:
            raise ProfileError(f"unknown preference {unknown[0]!r}")
        changes["knowledge"] = knowledge_base(changes.get("knowledge"))
        rules()  # load the safety rules before taking the write lock
        with self._transaction(write=True) as db:
            current = self._preferences(db, pid)
            base = Profile(preferences=Preferences.model_validate_json(current) if current
                           else Preferences())
            new = base.prefer(**changes).preferences
            self._ensure(db, pid)
            db.execute("INSERT INTO preferences (profile_id, preferences, changed_at) "
                       "VALUES (?, ?, ?)", (pid, new.model_dump_json(), _now()))
        return new

    def import_profile(self, profile_id: str, profile: Profile, *,
                       source: str | None = None) -> int:
        """Add a profile's sessions (with their feedback) and make its preferences current.

        Sessions whose id is already in the store are skipped, so importing the same file
        twice adds nothing. With ``source``, a file already imported under that name is
        skipped altogether (the CLI imports an old JSON profile once this way).

        Args:
            profile_id: Into whose profile.
            profile: The profile (e.g. from :meth:`Profile.load`).
            source: A name for where it came from (e.g. the file's path), or ``None``.

        Returns:
            The number of sessions added.

        Raises:
            ProfileError: Bad input, or the database cannot be written.
        """
        pid = _profile_id(profile_id)
        if not isinstance(profile, Profile):
            raise ProfileError(f"import_profile() needs a Profile, not {type(profile).__name__}")
        added = 0
        with self._transaction(write=True) as db:
            if source is not None:
                done = db.execute("INSERT INTO imports (source, profile_id, imported_at) "
                                  "VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                                  (source, pid, _now()))
                if done.rowcount != 1:
                    return 0
            self._ensure(db, pid)
            for session in profile.sessions:
                if self._insert_session(db, pid, session):
                    added += 1
                    fb = session.feedback
                    if fb is not None:
                        self._insert_feedback(db, pid, session.id, fb.ratings, fb.pain_before,
                                              fb.pain_after, fb.note)
            if profile.preferences != Preferences() or self._preferences(db, pid):
                db.execute("INSERT INTO preferences (profile_id, preferences, changed_at) "
                           "VALUES (?, ?, ?)",
                           (pid, profile.preferences.model_dump_json(), _now()))
        return added

    def import_file(self, profile_id: str, path: str | os.PathLike[str], *,
                    once: bool = False) -> int:
        """Import a profile JSON file (any format version), see :meth:`import_profile`.

        Args:
            profile_id: Into whose profile.
            path: The JSON file; it is only read.
            once: Skip the file if it was imported before (by its resolved path).

        Returns:
            The number of sessions added.

        Raises:
            ProfileError: The file is unreadable, corrupt or newer.
        """
        file = expand_path(path)
        person = Profile.parse_json(_read(file), _short(file))
        source = os.path.realpath(file) if once else None
        return self.import_profile(profile_id, person, source=source)

    def profiles(self) -> list[str]:
        """The ids of the profiles in the store, sorted."""
        with self._transaction(write=False) as db:
            rows = db.execute("SELECT profile_id FROM profiles ORDER BY profile_id").fetchall()
        return [str(r[0]) for r in rows]

    def close(self) -> None:
        """Close the connection (the last one to close removes the WAL side files)."""
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None  # type: ignore[assignment]

    def __enter__(self) -> SQLiteProfileStore:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"SQLiteProfileStore({str(self.path)!r})"


def open_store(path: str | os.PathLike[str] | None = None) -> SQLiteProfileStore:
    """Open a profile store: ``path``, else ``$FOOTREFLEX_PROFILE_DB``, else the default.

    The default is ``profiles.db`` in the user's data folder (platformdirs), created with
    its folder on first use; a profile JSON file at the old default location
    (``profile.json`` there, or ``$FOOTREFLEX_PROFILE``) is imported into the ``"default"``
    profile once and left untouched on disk.

    Args:
        path: The database file, or ``None``.

    Returns:
        The store (close it, or use it as a context manager).

    Raises:
        ProfileError: The store cannot be opened, or the old profile cannot be imported.
    """
    if path is not None:
        return SQLiteProfileStore(path)
    env = os.environ.get("FOOTREFLEX_PROFILE_DB")
    if env:
        return SQLiteProfileStore(env)
    from platformdirs import user_data_dir

    folder = Path(user_data_dir("footreflex", appauthor=False))
    store = SQLiteProfileStore(folder / "profiles.db", create_folder=True)
    try:
        legacy = expand_path(os.environ.get("FOOTREFLEX_PROFILE") or folder / "profile.json")
        if legacy.is_file():
            store.import_file(DEFAULT_PROFILE, legacy, once=True)
    except BaseException:
        store.close()
        raise
    return store
